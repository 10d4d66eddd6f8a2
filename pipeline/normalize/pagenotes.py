"""Notes at page feet and their calls, in text extracted from UN PDFs.

The note texts of a page follow the rule at its foot ("1 United Nations,
Treaty Series, ..."); a note may run over several lines and on to the foot
of the next page.  The call is a number the extractor glued to the word or
punctuation it follows ("INTERPOL1", "2024,1", "Agreement.3") or set apart
by spaces ("Agreement, 3  which", "Diversity 12  and").

Guarantees:
- :func:`read_notes` returns the notes in order, each with its marker, the
  page it started on and its lines; a note is opened only by a line that
  starts with the next number in sequence, every other line continues the
  note before it (on the same page or the previous one), so no note line is
  lost;
- :func:`find_calls` places each note's call on the body lines of the page
  the note starts on, after the call of the note before it on that page; a
  call is placed only where the number cannot be part of a symbol, a date or
  a reference ("resolution 70/1", "A/78/L.6", "para. 3", "paragraph 3 of");
  a note whose call is not found gets none (the normalizer then reports it
  and keeps its text).
Both are pure functions of their arguments.

The words after which a spaced number is a reference, not a call, are
language data (``[furniture]`` not_a_call and numbered_abbreviations in ``pipeline/lang``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .furniture import Line, Page

_START = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z\-]*)\W*$")


@dataclass
class Note:
    """A note found at a page's foot."""

    marker: str
    page: int                         # index of the page in the list of pages
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Call:
    """Where a note's call sits: page index, index of the body line, columns [start, end)."""

    page: int
    line: int
    start: int
    end: int
    marker: str


def read_notes(pages: list[Page]) -> list[Note]:
    """The notes of every page, in order (see module docstring)."""
    notes: list[Note] = []
    for pi, page in enumerate(pages):
        for line in page.notes:
            if line.blank:
                continue
            m = _START.match(line.text)
            expected = int(notes[-1].marker) + 1 if notes else 1
            if m and int(m.group(1)) == expected:
                notes.append(Note(m.group(1), pi, [Line(line.text[m.end():], line.no)]))
            elif m and not notes:
                notes.append(Note(m.group(1), pi, [Line(line.text[m.end():], line.no)]))
            elif notes:
                notes[-1].lines.append(line)
            else:  # text under the rule that opens with no number: keep it as a note
                notes.append(Note("", pi, [line]))
    return notes


_YEAR = re.compile(r"(?:19|20)\d\d$")
_SMALL_NUMBER = re.compile(r"\(?\d{1,3}\)?[,;:]?$")


def _candidates(text: str, marker: str, code: str, relaxed: bool = False):
    """(start, end) of each place ``marker`` may be a call in ``text``, in order; the
    start includes the spaces before a spaced call.  ``relaxed`` also admits a
    spaced number after any word (the last resort when nothing else is found)."""
    from .. import lang

    L = lang.get(code)
    words = L.words("not_a_call")
    abbrevs = L.words("numbered_abbreviations")
    for m in re.finditer(rf"(?<!\d){marker}(?!\d)|(?<=\d){marker}(?!\d)", text):
        s, e = m.start(), m.end()
        after = text[e:e + 2]
        if after[:1] in ("/", "-", "–") or re.match(r"[.,:]\d", after) or after[:1].isalpha() \
                or after[:1] in (")", "%", "°"):
            continue
        before = text[:s]
        prev = before[-1:] if before else ""
        if not prev:
            continue
        token = before.split()[-1] if before.split() else ""
        w = _WORD_BEFORE.search(before[:len(before) - len(token)].rstrip())
        if prev.isdigit():
            # glued to a year: "20 October 20256", "3 April 202310"
            if _YEAR.search(token) and re.fullmatch(r"[(]?\d{4}", token) and \
                    not (w and w.group(1).lower() in abbrevs):
                yield s, e
            continue
        if prev.isalpha() or prev in ")”’\"]":
            if "/" in token or re.search(r"\d", token):
                continue
            yield s, e
        elif prev in ",;:":
            yield s, e
        elif prev == ".":
            wb = _WORD_BEFORE.search(before[:-1])
            if "/" in token or re.search(r"\d", token[:-1]) or \
                    (wb and wb.group(1).lower() in abbrevs) or len(token) < 4:
                continue
            if after[:1] not in ("", " ", "\t"):
                continue
            yield s, e
        elif prev in " \t":
            stripped = before.rstrip()
            if not stripped or after[:1] not in ("", " ", "\t", ",", ";"):
                continue
            last = stripped[-1]
            prev_token = stripped.split()[-1]
            ws = _WORD_BEFORE.search(stripped)
            if last in "/-–(" or (ws and ws.group(1).lower() in abbrevs and
                                   prev_token.lower().rstrip(".") == ws.group(1).lower()):
                continue
            if last.isdigit() or _SMALL_NUMBER.fullmatch(prev_token):
                # after a number only when it is a year ("Decade 2024–2034 8", "of 1994, 9")
                if not _YEAR.search(prev_token.rstrip(",;:")) and not relaxed:
                    continue
            elif last.isalpha() and ws and ws.group(1).lower() in words and \
                    not (relaxed and ws.group(1)[0].isupper()):
                continue
            elif relaxed:
                pass
            elif last.isalpha() and not (ws and ws.group(1)[0].isupper()) and \
                    not text[e:e + 2] == "  ":
                continue
            yield len(stripped), e


def find_calls(pages: list[Page], notes: list[Note], code: str = "en") -> list[Call]:
    """The call of each note, where one is found (see module docstring)."""
    calls: list[Call] = []
    cursor: dict[int, tuple[int, int]] = {}
    for note in notes:
        if not note.marker:
            continue
        page = pages[note.page]
        at_line, at_col = cursor.get(note.page, (0, 0))
        found = None
        for relaxed in (False, True):
            for li in range(at_line, len(page.body)):
                text = page.body[li].text
                for s, e in _candidates(text, note.marker, code, relaxed):
                    if li == at_line and s < at_col:
                        continue
                    found = Call(note.page, li, s, e, note.marker)
                    break
                if found:
                    break
            if found:
                break
        if found:
            calls.append(found)
            cursor[note.page] = (found.line, found.end)
    return calls
