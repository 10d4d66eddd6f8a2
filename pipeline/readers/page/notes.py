"""Notes at page feet and their calls, in text extracted from UN PDFs.

The note texts of a page follow the rule at its foot ("1 United Nations,
Treaty Series, ..."); a note may run over several lines and on to the foot
of the next page.  Its marker opens its first line, or stands on a line of
its own before it ("1" then "United Nations, ..."), or, in pdftotext's
reading order, apart from the texts altogether (all markers first or last,
the texts in order).  The call is a number the extractor glued to the word
or punctuation it follows ("INTERPOL1", "2024,1", "Agreement.3") or set
apart by spaces ("Agreement, 3  which", "Diversity 12  and",
"disarmament, 1").

Guarantees:
- :func:`read_notes` returns the notes in order, each with its marker, the
  page it started on and its lines; the markers of a page are the numbers,
  alone on a line or opening one, that continue the numbering of the pages
  before (a number opening a line counts only when it is the next in
  sequence, is not followed by a dash, as a range's first day is, "3 – 14
  June 1992", and does not open a line under an unfinished one when a later
  line opens with it too); when each marker stands before its text, in order, a note is
  its marker's text up to the next marker; otherwise the page's text lines,
  which are in the notes' order, are cut into one note per marker at the
  lines that end a note (a full stop, the next line not continuing it);
  text before a page's first marker continues the note before it (on the
  previous page); no note line is lost, and odd input (no numbers, numbers
  out of range, more markers than texts) never raises: a note may then have
  no text, or text no marker (``marker == ""``);
- :func:`find_calls` places each note's call on the body lines of the page
  the note starts on, after the call of the note before it on that page; a
  call is placed only where the number cannot be part of a symbol, a date or
  a reference ("resolution 70/1", "A/78/L.6", "para. 3", "paragraph 3 of");
  a note whose call is not found gets none (the normalizer then reports it
  and keeps its text).
Both are pure functions of their arguments.

The words after which a spaced number is a reference, not a call, are
language data (``[furniture]`` not_a_call, numbered_nouns and numbered_abbreviations in
``pipeline/lang``).
"""

from __future__ import annotations

import re
from collections import Counter
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ... import lang
from .furniture import Line, Page

_START = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_BARE = re.compile(r"^\s*(\d{1,3})\s*$")
#: a page's markers are at most this far past the last note of the pages before
_SPAN = 60
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z\-]*)\W*$")


@dataclass
class Note:
    """A note found at a page's foot."""

    marker: str
    page: int                         # index of the page in the list of pages
    lines: list[Line] = field(default_factory=list)
    no: int = 0                       # source line of its marker (or first line)


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
        lines = [x for x in page.notes if not x.blank]
        if lines:
            _page_notes(pi, lines, notes)
    return notes


def _last_number(notes: list[Note]) -> int:
    return next((int(n.marker) for n in reversed(notes) if n.marker.isdigit()), 0)


@dataclass(frozen=True, slots=True)
class _Tok:
    """A line at a page's foot: a marker (``n``) with its text on the same line, a
    marker alone (``text`` None), or text (``n`` None); ``src`` the source line."""

    n: int | None
    text: Line | None
    src: Line


def _page_notes(pi: int, lines: list[Line], notes: list[Note]) -> None:
    """The notes of one page's foot appended to ``notes`` (see module docstring)."""
    last = _last_number(notes)
    # a bare number is a marker; a number opening a line is one only when it is the
    # next in sequence (or, for the text's first note, whatever it is)
    tokens: list[_Tok] = []
    top = last
    for k, line in enumerate(lines):
        b = _BARE.match(line.text)
        if b and last < int(b.group(1)) <= last + _SPAN:
            top = max(top, int(b.group(1)))
            tokens.append(_Tok(int(b.group(1)), None, line))
            continue
        m = _START.match(line.text)
        n = int(m.group(1)) if m else 0
        if m and (line.text[m.end():m.end() + 1] in _DASHES or
                  (tokens and not _ends_note(tokens[-1].src.text) and
                   any(_opens_with(x.text, n) for x in lines[k + 1:]))):
            m = None          # "3 – 14 June 1992": a range going on, the marker comes later
        if m and (n == top + 1 or (not notes and not tokens and n <= _SPAN)):
            top = n
            tokens.append(_Tok(n, Line(line.text[m.end():], line.no), line))
            continue
        tokens.append(_Tok(None, line, line))
    run = _run(sorted({t.n for t in tokens if t.n is not None}), last)
    # a number that is not one of the page's markers, or that opens a text line
    # while it also stands alone (the marker), is text
    alone = {t.n for t in tokens if t.text is None}
    tokens = [t if t.n is None or (t.n in run and (t.text is None or t.n not in alone))
              else _Tok(None, t.src, t.src) for t in tokens]
    if not _in_place(tokens):
        _shuffled(pi, tokens, run, notes)
        return
    for t in tokens:
        if t.n is not None:
            notes.append(Note(str(t.n), pi, [t.text] if t.text is not None else [], t.src.no))
        elif notes:
            notes[-1].lines.append(t.text)
        else:  # text under the rule that opens with no number: keep it as a note
            notes.append(Note("", pi, [t.text], t.src.no))


#: what never opens a note's text after its marker (a range's dash: "3 – 14 June")
_DASHES = "–—-"


def _opens_with(text: str, n: int) -> bool:
    """Whether a line opens with the number ``n``, alone or before text."""
    m = _BARE.match(text) or _START.match(text)
    return bool(m) and int(m.group(1)) == n


def _run(numbers: list[int], last: int) -> list[int]:
    """The markers of a page: consecutive numbers from the one after ``last`` (else
    from the smallest found)."""
    if not numbers:
        return []
    n = last + 1 if last + 1 in numbers else numbers[0]
    out = []
    while n in numbers:
        out.append(n)
        n += 1
    return out


def _in_place(tokens: list[_Tok]) -> bool:
    """Whether every marker stands before its own text, in order (the usual case),
    as against markers set apart from their texts (pdftotext's reading order)."""
    prev = 0
    for i, t in enumerate(tokens):
        if t.n is None:
            continue
        if t.n < prev:
            return False
        prev = t.n
        if t.text is None and (i + 1 == len(tokens) or tokens[i + 1].n is not None):
            return False
    return True


_WEB = re.compile(r"\s*(?:https?://|www\.)")


def _opens_low(text: str) -> bool:
    """Whether a note line opens in lower case, as a note's continuation does (a web
    address, "https://...", opens a note of its own)."""
    return text.lstrip()[:1].islower() and not _WEB.match(text)


def _ends_note(text: str) -> bool:
    t = text.rstrip()
    return t.endswith((".", ".)", ".”", '."', ".’"))


def _shuffled(pi: int, tokens: list[_Tok], run: list[int], notes: list[Note]) -> None:
    """Notes whose markers stand apart from their texts: the texts are in the notes'
    order, so the text lines are cut into as many notes as there are markers, at
    the line ends that end a note (a full stop), the markers' places as a hint."""
    texts: list[Line] = []
    hint: list[bool] = []           # a marker stands right before this text line
    fixed: list[bool] = []          # a marker on the same line as this text
    after_marker = False
    for t in tokens:
        if t.text is None:
            after_marker = True
            continue
        texts.append(t.text)
        hint.append(after_marker)
        fixed.append(t.n is not None)
        after_marker = False
    at = {t.n: t.src.no for t in tokens if t.n is not None}
    if not texts:
        notes.extend(Note(str(n), pi, [], at.get(n, 0)) for n in run)
        return
    # does the first line continue the last note of the page before? (it opens in
    # lower case, or that note did not end and the texts make one note too many)
    natural = 1 + sum(1 for i in range(1, len(texts))
                      if _ends_note(texts[i - 1].text) and not _opens_low(texts[i].text))
    cont = bool(notes) and not fixed[0] and (
        _opens_low(texts[0].text)
        or (natural > len(run) and
            not _ends_note(notes[-1].lines[-1].text if notes[-1].lines else ".")))
    cuts = _cuts(texts, hint, fixed, len(run) - 1 + (1 if cont else 0))
    groups: list[list[Line]] = []
    for i, x in enumerate(texts):
        if i == 0 or i in cuts:
            groups.append([])
        groups[-1].append(x)
    if cont:
        notes[-1].lines.extend(groups.pop(0))
    for k, n in enumerate(run):
        notes.append(Note(str(n), pi, groups[k] if k < len(groups) else [], at.get(n, 0)))
    for extra in groups[len(run):]:       # more texts than markers: the last note runs on
        if notes:
            notes[-1].lines.extend(extra)
        else:
            notes.append(Note("", pi, extra, extra[0].no))


def _cuts(texts: list[Line], hint: list[bool], fixed: list[bool], want: int) -> set[int]:
    """``want`` places (indices of text lines) where a new note starts, best first."""
    if want <= 0:
        return set()
    scored = []
    for i in range(1, len(texts)):
        prev, cur = texts[i - 1].text.strip(), texts[i].text.strip()
        score = 0
        if fixed[i]:
            score += 8
        if _ends_note(prev):
            score += 4
        if cur[:1].isupper() or cur[:1] in "“\"‘(" or cur[:1].isdigit():
            score += 2
        if hint[i]:
            score += 1
        if prev.endswith((",", ";", "(", "-", "–")) or _opens_low(cur):
            score -= 6
        scored.append((score, i))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return {i for _, i in scored[:want]}


_YEAR = re.compile(r"(?:19|20)\d\d$")
_SMALL_NUMBER = re.compile(r"\(?\d{1,3}\)?[,;:]?$")
#: what a place costs at each level (see :func:`_candidates`), and a note left without a call
_LEVEL_COST = (0.0, 1.0, 2.0, 3.0)
_NO_CALL = 10.0


@lru_cache(maxsize=None)
def _ordinal_endings(code: str) -> frozenset[str]:
    """The letters the language prints glued after an ordinal number ("1st", "2e", "21er"),
    read from its meeting line: a number followed by those letters is no call."""
    L = lang.get(code)
    out = set()
    for n in range(1, 40):
        m = re.search(rf"(?<!\d){n}([^\W\d_]+)", L.meeting_text(n))
        if m:
            out.add(m.group(1).casefold())
    return frozenset(out)


def _next_marker_follows(text: str, at: int, marker: str) -> bool:
    """Whether the next note's call follows at ``at`` ("10,11": two calls together)."""
    nxt = str(int(marker) + 1)
    return text.startswith(nxt, at) and not text[at + len(nxt):at + len(nxt) + 1].isdigit()


def _candidates(text: str, marker: str, code: str):
    """(start, end, level) of each place ``marker`` may be a call in ``text``, in order;
    the start includes the spaces before a spaced call.  Level 0: only a call can be
    there (glued to a word, a clause's punctuation or a year; spaced after a clause or a
    capitalized word); 1: spaced after any word but a lower-case one of the language's
    ``not_a_call`` list (or one of its ``numbered_nouns``, "Goal 4"), or after a number;
    2: spaced after those words too; 3: glued to
    a number or a symbol ("Agenda 216", "59/3009", "COVID-1916", "(No. 181)47",
    "HIV/AIDS7") or to the word after it ("Agreement4and")."""
    L = lang.get(code)
    words = L.words("not_a_call")
    nouns = L.words("numbered_nouns")
    abbrevs = L.words("numbered_abbreviations")
    for m in re.finditer(rf"(?<!\d){marker}(?!\d)|(?<=\d){marker}(?!\d)", text):
        s, e = m.start(), m.end()
        after = text[e:e + 2]
        if after[:1] in ("/", "-", "–") or after[:1] in (")", "%", "°"):
            continue
        if re.match(r"[.,:]\d", after) and not (after[0] == "," and
                                                 _next_marker_follows(text, e + 1, marker)):
            continue
        floor = 0                         # the lowest level this place can have
        if after[:1].isalpha():
            word = re.match(r"[^\W\d_]+", text[e:]).group(0).casefold()
            if word in _ordinal_endings(code):
                continue
            floor = 3
        before = text[:s]
        prev = before[-1:] if before else ""
        if not prev:
            continue
        token = before.split()[-1] if before.split() else ""
        w = _WORD_BEFORE.search(before[:len(before) - len(token)].rstrip())
        if prev.isdigit():
            # glued to a year: "20 October 20256", "3 April 202310"
            if _YEAR.search(token) and re.fullmatch(r"[(]?(?:\d{4}[–-])?\d{4}", token) and \
                    not (w and w.group(1).lower() in abbrevs):
                yield s, e, floor
            elif not re.fullmatch(r"[(]?(?:\d{4}[–-])?(?:19|20)\d\d", token + marker) and \
                    not (before.strip() == token and L.operative_number(text.strip())) and \
                    not L.parse_date(" ".join([token + marker] + text[e:].split()[:2])
                                     .rstrip(",;:.")):
                yield s, e, 3       # not the last digits of a year, a date's day, or of
                #                     a paragraph's number ("11.")
            continue
        if prev.isalpha() or prev in ")”’\"]":
            yield s, e, (3 if "/" in token or re.search(r"\d", token) else floor)
        elif prev in ",;:":
            yield s, e, floor
        elif prev == ".":
            wb = _WORD_BEFORE.search(before[:-1])
            if "/" in token or re.search(r"\d", token[:-1]) or \
                    (wb and wb.group(1).lower() in abbrevs) or len(token) < 4:
                continue
            if after[:1] not in ("", " ", "\t"):
                continue
            yield s, e, floor
        elif prev in " \t" and floor:
            stripped = before.rstrip()      # "Parties, 8and": glued to the word after
            if stripped and _CALL_BEFORE_END.search(stripped):
                yield len(stripped), e, floor
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
            level = 0
            if last.isdigit() or _SMALL_NUMBER.fullmatch(prev_token):
                # after a number only when it is a year ("Decade 2024–2034 8", "of 1994, 9")
                if not _YEAR.search(prev_token.rstrip(",;:")):
                    level = 1
            elif last.isalpha() and ws and ws.group(1).lower() in words:
                level = 1 if ws.group(1)[0].isupper() and \
                    ws.group(1).lower() not in nouns else 2
            elif last.isalpha() and not (ws and ws.group(1)[0].isupper()) and \
                    not text[e:e + 2] == "  ":
                level = 1
            yield len(stripped), e, level


_CALL_BEFORE_END = re.compile(r"[^\W\d_][,;:.]?$|[)”’\"][,;:.]?$|[,;:]$")


def _line_start(text: str, before: str, marker: str, code: str,
                after: str = "") -> list[tuple[int, int, int]]:
    """[(start, end, level)] when the line opens with the call, as some extractors set a
    call on the next line ("...March 2016," then "2 31/37 of"): the marker alone or
    before a space, after a line that ends with a word or a clause (level 0; level 3
    when a lower-case word or letters glued to it follow: "3  including", "16including";
    level 1 after a clause's end when an operative lead phrase follows, on the line or
    the next: "6 Also reaffirms" is likelier a paragraph's number printed without its
    full stop);
    never a date's day ("8 July 2022") or an ordinal ("1st")."""
    m = re.match(rf"\s*{marker}(?=\s|$|[^\W\d_])", text)
    if not m or not _CALL_BEFORE_END.search(before.rstrip()):
        return []
    glued = text[m.end():m.end() + 1].isalpha()
    if glued:
        word = re.match(r"[^\W\d_]+", text[m.end():]).group(0).casefold()
        if word in _ordinal_endings(code):
            return []
        return [(m.start(), m.end(), 3)]
    rest = text[m.end():].split()
    L = lang.get(code)
    if rest and L.parse_date(" ".join([marker] + rest[:2]).rstrip(",;:.")):
        return []
    words = rest or after.split()       # the marker alone: the words of the next line
    if words and words[0][:1].isupper() and L.match_lead(" ".join(words[:6]), "operative") and \
            before.rstrip()[-1:] in ";.:":
        return [(m.start(), m.end(), 1)]    # likelier a paragraph's number without its stop
    return [(m.start(), m.end(), 3 if rest and rest[0][:1].islower() else 0)]


def find_calls(pages: list[Page], notes: list[Note], code: str = "en") -> list[Call]:
    """The call of each note, where one is found (see module docstring).

    The calls of a page's notes follow each other in the notes' order: of all
    the ways to place them in that order, the one whose places are the likeliest
    (the sum of their levels, :func:`_candidates`; a note without a call counting
    more than any place) is taken, the earlier place where two are alike.  So a
    number glued to another ("Agenda 216") is a call only where no likelier place
    for that note lies between the calls of the notes around it."""
    calls: list[Call] = []
    by_page: dict[int, list[Note]] = {}
    for note in notes:
        if note.marker:
            by_page.setdefault(note.page, []).append(note)
    seen = _tokens(pages) if by_page else Counter()
    for pi, page_notes in sorted(by_page.items()):
        calls.extend(_place_page(pages[pi], pi, page_notes, code, seen))
    return calls


def _places(page: Page, pi: int, marker: str, code: str,
            seen: Counter[str]) -> list[tuple[Call, float]]:
    """Every place ``marker`` may be a call on the page's body, with its cost, in order.
    A number glued to another (level 3) costs a little less when the document also
    prints the number without it ("59/300" elsewhere, "59/3009" here), a little more
    when it prints the whole number elsewhere too ("61/29"); ``seen`` counts the
    document's tokens (:func:`_tokens`)."""
    out = []
    for li, line in enumerate(page.body):
        before = page.body[li - 1].text if li else ""
        after = next((x.text for x in page.body[li + 1:] if not x.blank), "")
        found = _line_start(line.text, before, marker, code, after) + \
            list(_candidates(line.text, marker, code))
        for s, e, level in sorted(found):
            cost = _LEVEL_COST[level]
            head = line.text[:s].split()
            if level == 3 and head and line.text[s - 1:s].isdigit():
                part = head[-1].strip("(),;:.")
                if seen[part]:
                    cost -= 0.5
                elif seen[part + marker] > 1:
                    cost += 0.5
            out.append((Call(pi, li, s, e, marker), cost))
    return out


def _tokens(pages: list[Page]) -> Counter[str]:
    """The words of the pages' bodies and notes, edge punctuation aside."""
    out: Counter[str] = Counter()
    for page in pages:
        for x in page.body + page.notes:
            out.update(w.strip("(),;:.") for w in x.text.split())
    return out


def _place_page(page: Page, pi: int, notes: list[Note], code: str,
                seen: Counter[str]) -> list[Call]:
    """The calls of one page's notes, in order (see :func:`find_calls`)."""
    # states: the end of the last call placed -> (cost, calls placed)
    states: dict[tuple[int, int], tuple[float, tuple[Call, ...]]] = {(0, 0): (0.0, ())}
    for i, note in enumerate(notes):
        nxt = {at: (cost + _NO_CALL, placed) for at, (cost, placed) in states.items()}
        # after a word that usually counts something ("paragraph 3"), only between two calls
        most = _LEVEL_COST[2] if i + 1 < len(notes) else _LEVEL_COST[1]
        order = sorted(states)
        best: list[tuple[float, tuple[Call, ...]]] = []     # the best state up to each
        for at in order:
            v = states[at]
            best.append(v if not best or v[0] < best[-1][0] - 1e-9 else best[-1])
        for rank, (call, c) in enumerate(_places(page, pi, note.marker, code, seen)):
            if _LEVEL_COST[1] < c <= _LEVEL_COST[2] and c > most:
                continue
            k = bisect_right(order, (call.line, call.start))
            if not k:
                continue
            cost, placed = best[k - 1]
            cost += c + 1e-6 * rank
            at = (call.line, call.end)
            if at not in nxt or cost < nxt[at][0] - 1e-9:
                nxt[at] = (cost, placed + (call,))
        states = nxt
    return list(min(states.values(), key=lambda v: v[0])[1])
