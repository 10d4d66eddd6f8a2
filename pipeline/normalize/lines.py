"""Line passes for text extracted from UN PDFs: hard-broken lines -> paragraphs.

Extracted text has one line per printed line, paragraphs apart by blank
lines (not always: the extractor sets some numbered paragraphs one under the
other), numbers and item labels on a line of their own ("1." then the text,
the tab of the PDF lost), and words broken at a hyphen at line end.

Guarantees:
- :func:`join_lines` gives the inlines of a run of lines: lines are joined
  with one space, except after a hyphen that ends a line between two letters
  ("post-" + "conflict" -> "post-conflict"; "zero-" + "and low-" keeps its
  space: a suspended hyphen); no character of a line is changed or lost;
- :func:`paragraphs` cuts the body lines into paragraphs: at blank lines, at
  a line opening with the next operative number, and at a page turn only when
  the new page visibly opens a paragraph (operative number, item label,
  lead phrase of the language, closing line, annex heading, or a capital after
  a paragraph that ended with ``;``/``.``/``:``); a line holding only a number
  or an item label is kept with the line after it; every line is in exactly
  one paragraph, in order;
- :func:`masthead_lines` rejoins the masthead's lines into its logical lines
  (the adoption line "Resolution adopted by the General Assembly" + "on 1
  November 2023", a title or agenda-item title over two lines) and keeps
  apart the lines the language data reads on their own;
- :func:`section_heading` tells a section heading ("I" over its title);
- :func:`closing_lines` cuts a paragraph made of the meeting and date lines
  into one paragraph per line.
All are pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ast import Inline, Superscript, Text, plain_text
from ..ast import merge_texts

#: words that follow a suspended hyphen ("zero- and low-emission")

_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_LETTER_START = re.compile(r"^[^\W\d_]")
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*\.?\s*$")
_BARE_LABEL = re.compile(r"^\s*\(?[a-z]{1,4}\)\s*$|^\s*\([ivxlc]+\)\s*$|^\s*[IVXLC]+\.\s*$")
_OPNUM = re.compile(r"^\s*(\d{1,3})\s*\.(?!\d)(?:\s|$)")


@dataclass(frozen=True, slots=True)
class SegLine:
    """A body line: its inlines (Text, and Superscript for a footnote call), its source
    line number and the index of its page."""

    parts: tuple[Inline, ...]
    no: int
    page: int

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, Text))

    @property
    def blank(self) -> bool:
        return not plain_text(self.parts).strip()


def joiner(left: str, right: str, code: str = "en") -> str:
    """What goes between two lines: "" after a hyphen that breaks a word, else " "."""
    left, right = left.rstrip(), right.lstrip()
    if _HYPHEN_END.search(left) and _LETTER_START.match(right):
        word = re.match(r"[^\W\d_]+", right).group(0).lower()
        from .. import lang

        if word not in lang.get(code).words("suspended_hyphen"):
            return ""
    return " "


def join_lines(lines: list[SegLine], code: str = "en") -> tuple[Inline, ...]:
    """The inlines of a run of lines joined (see module docstring)."""
    out: list[Inline] = []
    prev = ""
    for line in lines:
        if line.blank:
            continue
        parts = list(line.parts)
        if out:
            sep = joiner(prev, line.text, code)
            _rstrip_last(out)
            if parts and isinstance(parts[0], Text):
                parts[0] = Text(parts[0].text.lstrip())
            if sep:
                out.append(Text(sep))
        out.extend(parts)
        prev = line.text
    _rstrip_last(out)
    return _merge(out)


def _rstrip_last(out: list[Inline]) -> None:
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    return merge_texts(nodes)

def _bare(line: SegLine) -> bool:
    """A line holding only an operative number or an item label."""
    t = line.text
    return bool(_BARE_NUMBER.match(t) or _BARE_LABEL.match(t))


def _opnum(text: str) -> int | None:
    m = _OPNUM.match(text)
    return int(m.group(1)) if m else None


def opens_paragraph(text: str, prev_text: str, L, next_num: int) -> bool:
    """Whether a line that opens a page also opens a paragraph (see module docstring)."""
    t = text.strip()
    n = _opnum(t)
    if n is not None and n in (next_num, 1):
        return True
    if L.item_label(t) and re.match(r"^\(?[a-z]{1,4}\)|^\([ivxlc]+\)", t):
        return True
    if not t[:1].islower() and (L.match_lead(t, "preambular") or L.match_lead(t, "operative")):
        return True
    if L.parse_meeting(t) or L.annex_heading(t) or L.is_formula(t):
        return True
    end = prev_text.rstrip()[-1:]
    return bool(end in (";", ".", ":") and t[:1].isupper())


def paragraphs(lines: list[SegLine], L) -> list[list[SegLine]]:
    """The body lines cut into paragraphs (see module docstring)."""
    groups: list[list[SegLine]] = []
    cur: list[SegLine] = []
    last_num = 0                        # the last operative number that opened a paragraph

    def close() -> None:
        nonlocal cur
        if cur:
            groups.append(cur)
        cur = []

    for line in lines:
        if line.blank:
            if cur and not all(_bare(x) for x in cur):
                close()
            continue
        if L.annex_heading(line.text.strip()):       # "Annex" on a line of its own
            close()
            cur.append(line)
            close()
            continue
        if cur and not all(_bare(x) for x in cur):
            last = cur[-1]
            n = _opnum(line.text)
            if n is not None and n == last_num + 1 and not _bare(last) and \
                    re.match(r"^\s*\d{1,3}\s*\.\s*(?:$|[A-Z“‘\"(])", line.text):
                close()
            elif n is not None and _BARE_NUMBER.match(line.text) and \
                    last.text.rstrip().endswith((":", ";", ".")):
                close()                 # a number on its own line after a sentence's end
            elif line.page != last.page and opens_paragraph(line.text, last.text, L, last_num + 1):
                close()
        if not cur and (n := _opnum(line.text)) is not None:
            last_num = n
        cur.append(line)
    close()
    return groups


#: masthead fields the language data reads on a line of its own
def _field(text: str, L, symbol: re.Pattern) -> bool:
    t = text.strip()
    return bool(L.parse_session(t) is not None or L.parse_agenda(t) is not None
                or L.parse_date(t) or symbol.fullmatch(t.replace(" ", ""))
                or re.match(r"(?i)^distr\.?\s*:", t) or L.parse_proponent(t) is not None
                or L.parse_adoption(t) is not None)


def masthead_lines(groups: list[list[SegLine]], L, code: str = "en") -> list[list[SegLine]]:
    """The masthead's blank-separated groups cut into logical lines (see module docstring)."""
    from .masthead import SYMBOL_LINE

    out: list[list[SegLine]] = []
    for group in groups:
        closed = True                       # the logical line before is complete
        for line in group:
            t = line.text.strip()
            if not t:
                continue
            own = _field(t, L, SYMBOL_LINE) or L.parse_masthead_name(t) is not None or bool(L.parse_title(t))
            if not out or (own and not t[:1].islower()) or (closed and not t[:1].islower()):
                out.append([line])
            else:
                out[-1].append(line)
            closed = own and not L.parse_title(t)
    return out


_ROMAN = re.compile(r"^\s*[IVXLC]+\.?\s*$")


def section_heading(group: list[SegLine]) -> bool:
    """Whether a paragraph is a section heading: a roman number on a line of its own
    ("I", "II.") and a short title that does not end like a sentence."""
    lines = [x for x in group if not x.blank]
    if len(lines) < 2 or len(lines) > 4 or not _ROMAN.match(lines[0].text):
        return False
    title = " ".join(x.text.strip() for x in lines[1:])
    return len(title) <= 200 and not title.endswith((".", ",", ";", ":"))


def closing_lines(group: list[SegLine], L) -> list[list[SegLine]] | None:
    """One paragraph per line when every line is a meeting or a date line, else None."""
    lines = [x for x in group if not x.blank]
    if len(lines) < 2:
        return None
    for x in lines:
        t = x.text.strip()
        if not (L.parse_meeting(t) or L.parse_date(t)):
            return None
    return [[x] for x in lines]
