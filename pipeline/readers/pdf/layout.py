"""Layout passes for the official UN PDFs: positioned glyphs -> rows -> paragraphs.

A PDF gives characters with their font, size and box, not lines or
paragraphs.  The UN's PDFs (made from the UN's Word template) are regular:
10-point body text set on 12-point lines, paragraphs 6 points apart, the
first line of a preambular paragraph indented, operative numbers and item
labels at the start of a paragraph's first line, footnote calls and note
numbers as small raised digits, italic lead phrases, the notes under a rule
of underscores at the page's foot, a running head above a rule at the top
and the job number, page number and barcode at the foot.

This module knows nothing of the PDF library: :mod:`.pages` hands it
:class:`Glyph`\\ s, so that every pass can be tested on synthetic glyphs.

Guarantees:
- :func:`make_rows` puts every glyph of a page in exactly one :class:`Row`:
  glyphs sharing a baseline form a row (the glyph's own baseline when the
  reader knows it, so that Arabic and Latin glyphs of one line are one row);
  a small glyph set above the baseline of a row under it (a footnote call, a
  note number, "er" of "1er", the brackets of an Arabic call "(1)") joins that
  row marked ``sup``; rows are in reading order (top to bottom); a row holding
  right-to-left letters is read from the right (:attr:`Row.rtl`,
  :mod:`pipeline.readers.pdf.bidi`): :attr:`Row.text`, :func:`row_inlines` and
  :attr:`Row.start` follow its reading order;
- :func:`thin_rules` finds the horizontal rules among a page's boxes;
- :func:`split_page` puts every row in exactly one of ``body``, ``notes`` or
  ``furniture``: furniture is the running head (above the top rule of pages
  after the first), the foot of the page (job number, page number, barcode,
  recycling residue) and the note rule itself; notes are the rows under the
  note rule;
- :func:`row_inlines` gives a row's text as inlines: italic runs as
  ``Emphasis`` (spaces between two italic words belong to the run), on request
  bold runs as ``Strong``, raised small glyphs as ``Superscript`` (brackets
  around them as text), everything else ``Text``; no character is dropped, a
  space is added only where the gap between two glyphs shows one (never
  between two CJK characters of a compact language);
- :func:`paragraphs` cuts body rows into paragraphs: where the baselines of
  two rows stand further apart than the document's line spacing by more than
  :data:`PARA_EXTRA` of the size (a call that makes its line a little taller
  does not open a paragraph), at a change between bold and regular rows, and at a
  page turn only when the new page's first row visibly opens a paragraph
  (indented first line, operative number, item label, bold, or a bold run at
  its start); every row is in exactly one paragraph, in order;
- :func:`join_rows` joins a paragraph's rows with one space, none where a word
  was broken (:func:`glued`) or between CJK characters.
All are pure functions of their arguments.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from itertools import count, repeat
from operator import itemgetter
from dataclasses import dataclass, field
from typing import NamedTuple

from ... import lang
from ...ast import Emphasis, Inline, Strong, Superscript, Text
from ..page.lines import joiner
from .bidi import bidi_type, has_rtl, read_rtl

#: a glyph at most this share of its row's size, raised above the baseline, is a superscript
SUP_RATIO = 0.92
#: a superscript is raised by at least this many points
SUP_RAISE = 0.8
#: rows closer than this (points, between baselines) share a baseline
SAME_BASELINE = 1.6
#: a gap between two glyphs wider than this share of the size is a space
SPACE_RATIO = 0.18
#: a vertical gap between rows wider than this share of the size separates blocks (the
#: masthead's groups, the title's rows)
PARA_GAP = 0.6
#: between the baselines of two rows, space beyond the document's line spacing wider than
#: this share of the size separates paragraphs
PARA_EXTRA = 0.4
#: the foot band (from the page's bottom, in points) where every row is furniture
FOOT_BAND = 50.0
#: the band (share of the page's height) at the foot where furniture-like rows are furniture
FOOT_ZONE = 0.12


class Glyph(NamedTuple):
    """A character on a page: its text, box (points, from the page's top-left), size and style
    (a named tuple: a page has thousands, made fast)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    italic: bool = False
    bold: bool = False
    font: str = ""
    #: the baseline (points from the page's top) when the reader knows it; glyphs of two
    #: fonts on one line (Arabic and Latin) have different boxes but one baseline
    base: float | None = None
    #: the fill colour as the reader gives it (a link is drawn in another colour)
    color: str = ""

    @property
    def line(self) -> float:
        """Where the glyph stands: its baseline, else the bottom of its box."""
        return self.base if self.base is not None else self.bottom


_BRACKETS = "()[]"
_CLOSING = ")]"


class _kept:
    """A property of a :class:`Row` worked out once for the row's glyphs as they are: the
    value is kept with the state it was worked out for (which glyphs, which of them
    raised, the page's direction) and worked out again when that changes.  Once the row
    is fixed (:meth:`Row.fix`) the value is kept in the row's own attributes, where it
    is found without calling this again."""

    def __init__(self, fn):
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__
        _KEPT.append(self.name)

    def __get__(self, row, owner=None):
        if row is None:
            return self
        name = self.name
        if row._fixed:
            value = row.__dict__[name] = self.fn(row)
            return value
        got = row._memo.get(name)
        key = (id(row.glyphs), len(row.glyphs), id(row.sup), row.sup.count(True),
               row.rtl_page)
        if got is not None and got[0] == key:
            return got[1]
        value = self.fn(row)
        row._memo[name] = (key, value)
        return value


#: the names of the kept properties of a :class:`Row`
_KEPT: list[str] = []


@dataclass
class Row:
    """Glyphs on one baseline of one page (``page`` is the 0-based page index);
    ``sup[i]`` tells whether ``glyphs[i]`` is a raised small glyph."""

    page: int
    glyphs: list[Glyph] = field(default_factory=list)
    sup: list[bool] = field(default_factory=list)
    #: the page is written right to left (most of its letters are Arabic)
    rtl_page: bool = False
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    _fixed: bool = field(default=False, init=False, repr=False, compare=False)

    def fix(self) -> None:
        """The row is complete: its glyphs, their marks and its direction change no more,
        so what is worked out of them is kept without checking (:func:`make_rows`)."""
        key = (id(self.glyphs), len(self.glyphs), id(self.sup), self.sup.count(True),
               self.rtl_page)
        for name in _KEPT:
            got = self._memo.get(name)
            if got is not None and got[0] == key:
                self.__dict__[name] = got[1]    # worked out for the row as it stays
            else:
                self.__dict__.pop(name, None)
        self._memo.clear()
        self._fixed = True

    def _main(self) -> list[Glyph]:
        main = [g for g, s in zip(self.glyphs, self.sup) if not s]
        return main or self.glyphs

    @_kept
    def ink(self) -> list[Glyph]:
        """The glyphs that are not spaces."""
        return [g for g in self.glyphs if g.text.strip()]

    @_kept
    def upright_ink(self) -> list[Glyph]:
        """The glyphs that are neither spaces nor raised."""
        return [g for g, s in zip(self.glyphs, self.sup) if not s and not g.text.isspace()
                and g.text]

    @_kept
    def top(self) -> float:
        ink = self.upright_ink
        return min(g.top for g in ink or self.glyphs)

    @_kept
    def bottom(self) -> float:
        ink = self.upright_ink
        return max(g.bottom for g in ink or self.glyphs)

    @_kept
    def line(self) -> float:
        """The row's baseline (that of its glyphs that are not raised)."""
        ink = self.upright_ink
        return max(g.bottom if g.base is None else g.base for g in ink or self.glyphs)

    @_kept
    def size(self) -> float:
        ink = self.upright_ink
        raw = Counter(g.size for g in ink or self.glyphs)
        c: Counter[float] = Counter()
        for size, n in raw.items():         # sizes a hair apart count as one
            c[round(size, 1)] += n
        return c.most_common(1)[0][0]

    @_kept
    def x0(self) -> float:
        ink = self.ink
        return ink[0].x0 if ink else self.glyphs[0].x0

    @_kept
    def x1(self) -> float:
        ink = self.ink
        return ink[-1].x1 if ink else self.glyphs[-1].x1

    @_kept
    def blank(self) -> bool:
        return not self.ink

    @_kept
    def bold(self) -> bool:
        """Every letter or digit of the row is bold."""
        ink = [g for g in self.ink if g.text.isalnum()]
        return bool(ink) and all(g.bold for g in ink)

    @_kept
    def rtl(self) -> bool:
        """The row is read from the right (:mod:`pipeline.readers.pdf.bidi`): it holds
        right-to-left letters; or it stands on a right-to-left page and holds no
        Latin letter ("1957،" ending a line) or reads a closing bracket first from
        the left (a job line "21-18664 (A)" of a right-to-left paragraph, drawn
        ")A( 21-18664": on such a page a bracket reads as the one typed)."""
        if has_rtl("".join(g.text for g in self.glyphs)):
            return True
        if not self.rtl_page:
            return False
        if not any(bidi_type(g.text) == "L" for g in self.glyphs):
            return True                 # digits and punctuation only ("،1957")
        first = next((g.text for g in sorted(self.glyphs, key=lambda g: g.x0)
                      if g.text and g.text in _BRACKETS), "")
        return bool(first) and first in _CLOSING

    @_kept
    def start(self) -> float:
        """Where the row begins, measured in its reading direction: its left edge, or for
        a right-to-left row the distance of its right edge from x = 0, negated (so
        that, as on a left-to-right page, a larger start is an indented row)."""
        if self.rtl:
            ink = self.ink or self.glyphs
            return -max(g.x1 for g in ink)
        return self.x0

    def spans(self) -> list[tuple[float, float]]:
        """The boxes of the row's ink in reading order, measured as :attr:`start` is
        (from the right edge in a right-to-left row): (begin, end), begin < end."""
        if self.rtl:
            return sorted((-g.x1, -g.x0) for g in self.ink)
        return sorted((g.x0, g.x1) for g in self.ink)

    @_kept
    def text(self) -> str:
        """The row's text in logical (reading) order, a space where a gap shows one."""
        if self.rtl:
            return "".join(p[1] for p in _pieces(self, italics=False))
        return "".join(_spaced(self.glyphs))

    def segments(self, gap: float) -> list["Row"]:
        """The row cut where two glyphs are more than ``gap`` points apart (columns of the
        masthead: "United Nations" ... "A/RES/78/6"), in reading order."""
        out: list[Row] = []
        prev: Glyph | None = None
        for g, s in zip(self.glyphs, self.sup):
            if not g.text.strip():
                continue
            if prev is None or g.x0 - prev.x1 > gap:
                out.append(Row(self.page, rtl_page=self.rtl_page))
            out[-1].glyphs.append(g)
            out[-1].sup.append(s)
            prev = g
        return out[::-1] if self.rtl else out


def spaced_text(glyphs: list[Glyph]) -> str:
    """The glyphs' text, left to right as given, a space where a gap shows one."""
    return "".join(_spaced(glyphs))


def _spaced(glyphs: list[Glyph]) -> list[str]:
    """The glyphs' texts with a space where the gap between two of them shows one."""
    out: list[str] = []
    right = size = 0.0                  # the glyph before: its right edge and size
    ink = False                         # and whether it is more than a space
    for g in glyphs:
        t = g.text
        now = not t.isspace()
        if ink and now and g.x0 - right > SPACE_RATIO * (g.size if g.size > size else size):
            out.append(" ")
        out.append(t)
        right, size, ink = g.x1, g.size, now
    return out


def make_rows(glyphs: list[Glyph], page: int) -> list[Row]:
    """The glyphs of a page in rows (see module docstring)."""
    rows: list[Row] = []
    deepest = 0.0                       # the lowest baseline of the last row
    last = 0.0                          # the baseline of the last glyph placed
    lines = [g.bottom if g.base is None else g.base for g in glyphs]
    order = sorted(zip(map(round, lines, repeat(1)), map(itemgetter(1), glyphs), count()))
    now_glyphs: list[Glyph] = []        # the glyphs and marks of the last row
    now_sup: list[bool] = []
    for _, _, k in order:
        line = lines[k]
        if rows and abs(last - line) <= SAME_BASELINE and abs(deepest - line) <= SAME_BASELINE:
            now_glyphs.append(glyphs[k])
            now_sup.append(False)
            if line > deepest:
                deepest = line
        else:
            now_glyphs, now_sup = [glyphs[k]], [False]
            rows.append(Row(page, now_glyphs, now_sup))
            deepest = line
        last = line
    # small raised glyphs: a row of small glyphs just above a row of larger ones joins it
    # (the next rows are looked at: the brackets of an Arabic call "(1)" stand on a
    # baseline of their own, between the call's digits and the line's)
    merged: list[Row] = []
    for i, r in enumerate(rows):
        ink = r.ink
        size = max((g.size for g in ink if g.text not in "()"), default=0.0)
        host = next((b for b in rows[i + 1:i + 4] if ink and b.ink and _raised_onto(r, b, size)),
                    None) if ink else None
        if host is not None:
            host.glyphs.extend(r.glyphs)
            host.sup.extend([True] * len(r.glyphs))
            continue
        merged.append(r)
    joined: list[Row] = []
    box = {id(r): _box(r) for r in merged}
    for r in merged:
        a = box[id(r)]
        host = None if a is None else \
            _touched(a, joined, box, None) or _touched(a, merged, box, r)
        if host is not None and host is not r:
            host.glyphs.extend(r.glyphs)
            host.sup.extend(r.sup)
            box[id(host)] = _box(host)
            continue
        joined.append(r)
    text = "".join(g.text for g in glyphs)
    if has_rtl(text):
        letters = [bidi_type(g.text) for g in glyphs if g.text.strip()]
        rtl_page = sum(t in ("R", "AL") for t in letters) > sum(t == "L" for t in letters)
    else:
        rtl_page = False
    out = []
    for r in joined:
        r.rtl_page = rtl_page
        order = sorted(range(len(r.glyphs)), key=[g.x0 for g in r.glyphs].__getitem__)
        r.glyphs = [r.glyphs[k] for k in order]
        r.sup = [r.sup[k] for k in order]
        _mark_inline_sup(r)
        out.append(r)
    out.sort(key=lambda r: (round(r.bottom, 1), r.x0))
    for r in out:
        r.fix()
    return out


#: what a raised small run may hold: note numbers and symbols (in brackets in Arabic:
#: "(1)"), ordinal endings ("er", "th")
_MARK = re.compile(r"[()]?[\d*†‡§,]{1,5}[()]?|[a-z]{1,3}|[()]")


def _box(row: Row) -> tuple[float, float, float, float, list[float], list[float]] | None:
    """(top, bottom, left, right, right edges, left edges) of a row (edges of its ink,
    sorted), or None when it has no ink."""
    ink = row.ink
    if not ink:
        return None
    return row.top, row.bottom, min(g.x0 for g in ink), max(g.x1 for g in ink), \
        sorted(g.x1 for g in ink), sorted(g.x0 for g in ink)


def _near(edges: list[float], x: float) -> bool:
    """Whether one of the sorted ``edges`` is less than a point from ``x``."""
    k = bisect_left(edges, x - 1.0)
    return k < len(edges) and edges[k] < x + 1.0 and abs(edges[k] - x) < 1.0 or \
        k + 1 < len(edges) and abs(edges[k + 1] - x) < 1.0


def _touching(a, b) -> bool:
    """Row ``a`` sits inside ``b``'s height and touches one of its glyphs (the big "A"
    and the small "/RES/78/6" of a masthead symbol); rows given by :func:`_box`."""
    if a is None or b is None or a[0] < b[0] - 1 or a[1] > b[1] + 1 or \
            a[2] > b[3] + 1 or a[3] < b[2] - 1:
        return False
    return _near(b[4], a[2]) or _near(b[5], a[3])


def _touched(a, rows: list[Row], box: dict, skip: Row | None) -> Row | None:
    """The first of ``rows`` but ``skip`` that row ``a`` is :func:`_touching` (boxes of
    the rows by their ids in ``box``), or None."""
    top, bottom, left, right = a[0], a[1], a[2], a[3]
    for h in rows:
        if h is skip:
            continue
        b = box[id(h)]
        if b is None or top < b[0] - 1 or bottom > b[1] + 1 or left > b[3] + 1 or \
                right < b[2] - 1:
            continue
        if _near(b[4], left) or _near(b[5], right):
            return h
    return None


def _raised_onto(small: Row, row: Row, size: float | None = None) -> bool:
    """Whether ``small`` is raised onto ``row`` (``size``: that of ``small``'s glyphs,
    brackets aside, when the caller knows it)."""
    if size is None:
        size = max((g.size for g in small.ink if g.text not in "()"), default=0.0)
    rsize = row.size
    if size > SUP_RATIO * rsize:
        return False
    text = "".join(_spaced(sorted(small.glyphs, key=lambda g: g.x0)))
    if not all(_MARK.fullmatch(w) for w in text.split()):
        return False
    main = [g for g, s in zip(row.glyphs, row.sup) if not s and g.text.strip()] or row.ink
    lift = max(g.line for g in main) - max(g.line for g in small.ink)
    if not (SUP_RAISE <= lift <= 0.75 * rsize):
        return False
    # horizontally inside (or at the left edge of) the row below (glyphs not yet in x order)
    left = min(g.x0 for g in row.ink)
    right = max(g.x1 for g in row.ink)
    return min(g.x0 for g in small.ink) >= left - 3 * rsize and \
        max(g.x1 for g in small.ink) <= right + 2 * rsize


def _mark_inline_sup(row: Row) -> None:
    """Small glyphs raised above the baseline inside a row are superscripts too."""
    base = row.bottom
    most = SUP_RATIO * row.size
    sup = row.sup
    for k, g in enumerate(row.glyphs):
        if g.size <= most and not sup[k] and base - g.bottom >= SUP_RAISE and g.text.strip():
            sup[k] = True


def body_size(rows: list[Row]) -> float:
    """The size most glyphs of the document have (the body text's)."""
    c = Counter(round(g.size, 1) for r in rows for g in r.ink)
    return c.most_common(1)[0][0] if c else 10.0


# ---------------------------------------------------------------- rules

#: a drawn shape at most this tall (points) is a horizontal rule
RULE_THICK = 2.5


#: two edges closer than this are the same edge (floating-point noise in a PDF's numbers)
_HAIR = 0.01


def thin_rules(boxes: list[tuple[float, float, float, float]]
               ) -> list[tuple[float, float, float, float]]:
    """The thin horizontal rules among a page's filled boxes ``(x0, x1, top, bottom)``.

    A rule is drawn either as a thin box (Word) or, as WeasyPrint draws a
    border, as two boxes filled together even-odd: the same left and right
    edges and one more edge in common, the fourth edges a hair apart; the
    band between those is the rule.  The rules come sorted from the top."""
    out: set[tuple[float, float, float, float]] = set()
    near = 0.6
    for x0, x1, top, bottom in boxes:
        if 0 <= bottom - top < RULE_THICK and x1 - x0 > bottom - top:
            out.add((x0, x1, top, bottom))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if abs(a[0] - b[0]) > near or abs(a[1] - b[1]) > near:
                continue
            # edges a rounding error apart (1e-13) are one edge, not a hair-thin rule
            if abs(a[2] - b[2]) <= near and _HAIR < abs(a[3] - b[3]) < RULE_THICK:
                lo, hi = sorted((a[3], b[3]))
            elif abs(a[3] - b[3]) <= near and _HAIR < abs(a[2] - b[2]) < RULE_THICK:
                lo, hi = sorted((a[2], b[2]))
            else:
                continue
            out.add((min(a[0], b[0]), max(a[1], b[1]), lo, hi))
    return sorted(out, key=lambda r: (r[2], r[0]))


# ---------------------------------------------------------------- furniture and notes

@dataclass
class PageRows:
    """A page's rows sorted into body, notes and furniture."""

    index: int
    body: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)
    furniture: list[Row] = field(default_factory=list)


def split_page(rows: list[Row], index: int, height: float, pats: dict[str, re.Pattern], *,
               head_rule: float | None = None, note_rule: float | None = None) -> PageRows:
    """A page's rows sorted (see module docstring).

    ``head_rule`` is the top of the rule under the running head, ``note_rule``
    the top of a drawn rule over the notes (when the rule is not a row of
    underscores), both as found by the reader, or None."""
    page = PageRows(index)
    in_notes = False
    for r in rows:
        t = r.text.strip()
        if r.blank:
            page.furniture.append(r)
            continue
        if index > 0 and head_rule is not None and r.bottom <= head_rule + 1.5:
            page.furniture.append(r)
            continue
        if index > 0 and head_rule is None and r.top < 0.085 * height and _furniture_like(t, pats):
            page.furniture.append(r)
            continue
        if r.top > height - FOOT_BAND or any("barcode" in f.lower() for f in {g.font for g in r.ink}) or \
                (r.top > height * (1 - FOOT_ZONE) and _furniture_like(t, pats)):
            page.furniture.append(r)
            continue
        if "note_rule" in pats and pats["note_rule"].fullmatch(t.replace(" ", "")):
            page.furniture.append(r)
            in_notes = True
            continue
        if note_rule is not None and r.top > note_rule:
            in_notes = True
        (page.notes if in_notes else page.body).append(r)
    return page


def _furniture_like(text: str, pats: dict[str, re.Pattern]) -> bool:
    """A row made only of job numbers, page numbers, barcodes, symbols or residue."""
    parts = [p for p in re.split(r"\s{2,}", text.strip()) if p]
    if not parts:
        return True
    whole = " ".join(text.split())

    def one(p: str) -> bool:
        return any(k in pats and pats[k].fullmatch(p.strip())
                   for k in ("job_number", "barcode", "page_number", "residue"))
    if one(whole) or all(one(p) for p in parts):
        return True
    words = text.split()
    return all(one(w) for w in words)


# ---------------------------------------------------------------- inlines

#: Han ideographs, kana, CJK punctuation and full-width forms (no space between two)
_CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3200-\u33ff\u3400-\u4dbf"
                  r"\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _kind(g: Glyph, sup: bool, italics: bool, bold: bool) -> str:
    """A glyph's style: "sup", "t" (plain) or a mark: "i", "b", "bi"."""
    if sup:
        return "sup"
    k = ("b" if bold and g.bold else "") + ("i" if italics and g.italic else "")
    return k or "t"


def _marked(kind: str, text: str) -> Inline:
    inner: Inline = Text(text)
    if "i" in kind:
        inner = Emphasis((inner,))
    if "b" in kind:
        inner = Strong((inner,))
    return inner


def _marks_only(g: Glyph) -> str | None:
    """The combining marks a glyph draws (an Arabic vowel sign), else None.  A mark
    drawn with no width may carry its whole cluster's text ("أُ" on the damma, the
    alef drawn and read on its own): only its marks are its own."""
    if not g.text:
        return None
    marks = "".join(c for c in g.text if unicodedata.category(c) == "Mn")
    if marks == g.text or (marks and g.x1 - g.x0 < 0.01):
        return marks
    return None


def _glyph_text(g: Glyph) -> str:
    m = _marks_only(g)
    return g.text if m is None else m


def _units(row: Row) -> list[list[int]]:
    """The row's glyphs as units, left to right: one glyph each, but in a right-to-left
    row a combining mark (an Arabic vowel sign) goes with the glyph it sits on, and
    glyphs are placed by their centre (the second letter of a ligature is drawn with
    no width at the first one's edge)."""
    if not row.rtl:
        return [[k] for k in range(len(row.glyphs))]
    marks = [k for k, g in enumerate(row.glyphs) if _marks_only(g) is not None]
    bases = [k for k in range(len(row.glyphs)) if k not in set(marks)]
    if not bases:
        return [[k] for k in marks]

    def centre(k: int) -> float:
        g = row.glyphs[k]
        return (g.x0 + g.x1) / 2

    units = {b: [b] for b in bases}
    for m in marks:
        host = min(bases, key=lambda b: (abs(centre(b) - centre(m)), b))
        units[host].append(m)
    # a zero-width glyph is drawn at the left edge of its ligature: after it, right to left
    return [units[b] for b in sorted(bases, key=lambda b: (centre(b), -b))]


def _pieces(row: Row, *, italics: bool = True, bold: bool = False,
            compact: bool = False) -> list[list]:
    """[kind, text] pieces of the row in reading order: kind "sup", "t" (plain), a
    mark ("i", "b", "bi") or None for a space (see :func:`row_inlines`)."""
    pieces: list[list] = []             # [kind or None (a space), text]
    rtl = row.rtl
    glyphs = row.glyphs
    if not rtl:                         # one glyph a unit, left to right (the fast way)
        right = size = 0.0
        ink = False
        before = ""
        for g, s in zip(glyphs, row.sup):
            t = g.text
            now = not t.isspace()
            if ink and now and g.x0 - right > SPACE_RATIO * (g.size if g.size > size else size) \
                    and not (compact and _CJK.match(t) and _CJK.match(before)):
                pieces.append([None, " "])
            if not now:
                pieces.append([None, t])
            else:
                pieces.append(["sup" if s else ("b" if bold and g.bold else "")
                               + ("i" if italics and g.italic else "") or "t", t])
            right, size, ink, before = g.x1, g.size, now, t
        return pieces
    boxes: list[tuple | None] = []      # per piece: its inline box (style, colour), None: a space
    prev: tuple[float, float, float, str] | None = None     # x0, x1, size, text
    for unit in _units(row):
        if len(unit) == 1:
            g = glyphs[unit[0]]
            text = _glyph_text(g) if rtl else g.text
            x0, x1 = g.x0, g.x1
        else:
            gs = [glyphs[k] for k in unit]
            g = gs[0]
            text = "".join(_glyph_text(x) for x in gs) if rtl else "".join(x.text for x in gs)
            x0 = min(x.x0 for x in gs)
            x1 = max(x.x1 for x in gs)
        if prev is not None and text.strip() and prev[3].strip() and \
                x0 - prev[1] > SPACE_RATIO * max(g.size, prev[2]) and \
                not (compact and _CJK.match(text) and _CJK.match(prev[3])):
            pieces.append([None, " "])
            boxes.append(None)
        if not text.strip():
            pieces.append([None, text])
            boxes.append(None)
        else:
            pieces.append([_kind(g, row.sup[unit[0]], italics, bold), text])
            boxes.append((g.italic, g.bold, row.sup[unit[0]], g.color))
        prev = (x0, x1, g.size, text)
    if rtl:
        pieces = _rtl_pieces(pieces, boxes)
    return pieces


def _rtl_pieces(pieces: list[list], boxes: list[tuple]) -> list[list]:
    """A right-to-left row's pieces (left to right as drawn) in logical order.  A layout
    engine such as WeasyPrint lays out each inline box (a run of one style or colour:
    an italic title, a link, a call) on its own and places the boxes from the right:
    the boxes are read from the right, the text of each through
    :func:`pipeline.readers.pdf.bidi.read_rtl`."""
    runs: list[list[int]] = []
    for k, key in enumerate(boxes):
        if runs and (key is None or key == boxes[runs[-1][0]]):
            runs[-1].append(k)
        else:
            runs.append([k])
    runs = _glued_ends(pieces, boxes, runs)
    # boxes with no right-to-left letter side by side are one stretch laid out left to
    # right as a whole (the writer isolates a Latin stretch: "United Nations, *Treaty
    # Series*, vol. 1996"), read as one; a raised call or note number is a box of its
    # own, never part of a stretch (the writer ends a stretch at a call)
    merged: list[list[int]] = []
    for run in runs:
        if merged and not _rtl_run(pieces, run) and not _rtl_run(pieces, merged[-1]) and \
                boxes[run[0]] is not None and not _raised(boxes, run) and \
                not _raised(boxes, merged[-1]):
            merged[-1].extend(run)
        else:
            merged.append(run)
    out: list[list] = []
    for run in reversed(merged):
        for k, text in read_rtl([pieces[k][1] for k in run]):
            out.append([pieces[run[k]][0], text])
    return out


def _glued_ends(pieces: list[list], boxes: list[tuple | None],
                runs: list[list[int]]) -> list[list[int]]:
    """The runs with the word that a run holding right-to-left letters begins or ends
    with cut off as a run of its own when it holds none and touches (no space
    between) a run of Latin letters that holds none either: the brackets and
    punctuation around a link or an italic title ("(" + "A/77/23" + ")." of
    "رقم 23 (A/77/23)."), set in the plain text's box but part of the stretch the
    writer isolated.  Digits alone are no such run ("9" + italic "-20 تموز")."""
    def latin(run: list[int]) -> bool:
        return not _rtl_run(pieces, run) and not _raised(boxes, run)

    def letters(run: list[int]) -> bool:
        return latin(run) and any(bidi_type(pieces[k][1]) == "L" for k in run)

    out: list[list[int]] = []
    for idx, run in enumerate(runs):
        if latin(run):
            out.append(run)
            continue
        spaces = [n for n, k in enumerate(run) if boxes[k] is None]
        if not spaces:
            out.append(run)
            continue
        head, body = run[:spaces[0]], run[spaces[0]:]
        if head and out and latin(head) and letters(out[-1]) and \
                boxes[out[-1][-1]] is not None:
            out.append(head)
        else:
            body = run
        last = max(n for n, k in enumerate(body) if boxes[k] is None)
        body, tail = body[:last + 1], body[last + 1:]
        nxt = runs[idx + 1] if idx + 1 < len(runs) else None
        if tail and nxt and latin(tail) and letters(nxt):
            out += [body, tail]
        else:
            out.append(body + tail)
    return out


def _rtl_run(pieces: list[list], run: list[int]) -> bool:
    return any(has_rtl(pieces[k][1]) for k in run)


def _raised(boxes: list[tuple | None], run: list[int]) -> bool:
    """Whether a run of boxes is raised (a call, a note's number)."""
    return any(boxes[k] is not None and boxes[k][2] for k in run)


#: the kinds of pieces that are no mark (None: a space)
_UNMARKED = frozenset((None, "t", "sup"))


def _restyle(pieces: list[list]) -> None:
    """Punctuation and spaces among marked pieces take their style (:func:`row_inlines`)."""
    # punctuation set in a mark after a plain glyph is plain ("2" + italic ".")
    for k, p in enumerate(pieces):
        if p[0] not in (None, "t", "sup") and p[1] in ".,;:":
            left = next((pieces[j][0] for j in range(k - 1, -1, -1) if pieces[j][0]), None)
            if left == "t":
                p[0] = "t"
    # a space takes the style of the glyphs around it when both have the same mark
    for k, p in enumerate(pieces):
        if p[0] is not None:
            continue
        left = next((pieces[j][0] for j in range(k - 1, -1, -1) if pieces[j][0]), None)
        right = next((pieces[j][0] for j in range(k + 1, len(pieces)) if pieces[j][0]), None)
        p[0] = left if left == right and left not in ("t", "sup", None) else "t"


def row_inlines(row: Row, *, italics: bool = True, bold: bool = False,
                compact: bool = False) -> tuple[Inline, ...]:
    """The row's text as inlines (see module docstring): italic runs as ``Emphasis``;
    with ``bold``, bold runs as ``Strong`` (the lead phrases of Chinese and Arabic);
    with ``compact``, no space is read between two CJK characters; a right-to-left
    row in its logical order."""
    pieces = _pieces(row, italics=italics, bold=bold, compact=compact)
    if {p[0] for p in pieces} <= _UNMARKED:
        # no mark in the row: no punctuation to unmark, every space is plain
        for p in pieces:
            if p[0] is None:
                p[0] = "t"
    else:
        _restyle(pieces)
    runs: list[list] = []
    for kind, text in pieces:
        if runs and runs[-1][0] == kind:
            runs[-1][1] += text
        else:
            runs.append([kind, text])
    out: list[Inline] = []
    for kind, text in runs:
        if kind == "sup":
            # the brackets of an Arabic call "(1)" are text, around the call (read either
            # way round: which of the two glyphs pdfium mirrors depends on the context)
            core = text.strip()
            opening = core[:len(core) - len(core.lstrip("()"))]
            closing = core[len(core.rstrip("()")):]
            core = core.strip("()").strip()
            if opening:
                out.append(Text(opening))
            if core:
                out.append(Superscript((Text(core),)))
            if closing:
                out.append(Text(closing))
        elif kind != "t":
            # spaces at the run's edges stay outside the mark
            core = text.strip()
            lead = text[:len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            if lead:
                out.append(Text(lead))
            if core:
                out.append(_marked(kind, core))
            if trail:
                out.append(Text(trail))
        else:
            out.append(Text(text))
    return merge(out)


def _simple_mark(node: Inline) -> bool:
    """An Emphasis or Strong (nested or not) around one Text."""
    if isinstance(node, (Emphasis, Strong)) and len(node.children) == 1:
        kid = node.children[0]
        return isinstance(kid, Text) or _simple_mark(kid)
    return False


def _mark_text(node: Inline) -> str:
    return node.text if isinstance(node, Text) else _mark_text(node.children[0])


def _remark(node: Inline, text: str) -> Inline:
    """The same marks around another text."""
    if isinstance(node, Text):
        return Text(text)
    return type(node)((_remark(node.children[0], text),))


def plain_prefix(inlines: tuple[Inline, ...], n: int) -> tuple[Inline, ...]:
    """The inlines with their first ``n`` characters as one plain ``Text`` (an italic or
    bold run they cut is split); a superscript among them ends the prefix."""
    head: list[str] = []
    out: list[Inline] = []
    left = n
    for k, node in enumerate(inlines):
        if left <= 0:
            out.extend(inlines[k:])
            break
        if isinstance(node, Text):
            head.append(node.text[:left])
            rest = node.text[left:]
            left -= len(node.text[:left])
            if rest:
                out.append(Text(rest))
        elif _simple_mark(node):
            t = _mark_text(node)
            head.append(t[:left])
            rest = t[left:]
            left -= len(t[:left])
            if rest:
                out.append(_remark(node, rest))
        else:
            out.extend(inlines[k:])
            break
    return merge([Text("".join(head))] + out)


def plain_inlines(row: Row) -> tuple[Inline, ...]:
    """The row as Text and Superscript only (the masthead's lines)."""
    return row_inlines(row, italics=False)


def merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent Text nodes joined, adjacent Emphasis runs joined, empty Texts dropped."""
    res: list[Inline] = []
    for n in nodes:
        if isinstance(n, Text):
            if not n.text:
                continue
            if res and isinstance(res[-1], Text):
                res[-1] = Text(res[-1].text + n.text)
                continue
        if isinstance(n, (Emphasis, Strong)) and res and type(res[-1]) is type(n):
            res[-1] = type(n)(merge(list(res[-1].children) + list(n.children)))
            continue
        res.append(n)
    return tuple(res)


# ---------------------------------------------------------------- paragraphs

def left_margin(rows: list[Row]) -> float:
    """The start (:attr:`Row.start`) most body rows have (continuation lines)."""
    c = Counter(round(r.start) for r in rows if not r.blank)
    return float(c.most_common(1)[0][0]) if c else 0.0


def numbered(text: str, L) -> bool:
    """Whether a row's text opens with one of the language's operative numbers, in
    digits, or one of its item labels."""
    t = text.strip()
    return bool(L.operative_number(t) and t[:1].isdecimal() or L.item_label(t))


def opens(row: Row, margin: float, L) -> bool:
    """Whether a row visibly opens a paragraph: indented, numbered or labelled
    (:func:`numbered`: the language's operative numbers and item labels), or
    opening with a bold run (a lead phrase where leads are bold: a row that goes on
    with a paragraph does not start in bold)."""
    t = row.text
    if row.start > margin + 0.8 * row.size or numbered(t, L):
        return True
    first = _first_glyph(row)
    return first is not None and first.bold and not row.bold


def _first_glyph(row: Row) -> Glyph | None:
    """The row's first letter or digit in reading order (the rightmost one in a
    right-to-left row)."""
    ink = [g for g, s in zip(row.glyphs, row.sup) if not s and g.text.strip()
           and g.text[0].isalnum()]
    if not ink:
        return None
    return max(ink, key=lambda g: g.x1) if row.rtl else min(ink, key=lambda g: g.x0)


def _size_key(row: Row) -> float:
    return round(row.size * 2) / 2


def line_pitch(rows: list[Row]) -> dict[float, float]:
    """Per text size, the distance between the baselines of two rows of one paragraph
    (the document's line spacing): the smallest distance, at least the size, between
    rows that follow each other on a page, among those met at least a fifth as often
    as the most common one (in a short text, rows a paragraph apart may be the most
    common)."""
    by: dict[float, Counter] = {}
    for a, b in zip(rows, rows[1:]):
        if a.blank or b.blank or a.page != b.page or _size_key(a) != _size_key(b):
            continue
        d = round(b.line - a.line)
        if b.size <= d < 3 * b.size:
            by.setdefault(_size_key(b), Counter())[d] += 1
    out = {}
    for k, c in by.items():
        top = c.most_common(1)[0][1]
        out[k] = float(min(d for d, n in c.items() if n * 5 >= top))
    return out


def paragraphs(rows: list[Row], margin: float, L) -> list[list[Row]]:
    """Body rows cut into paragraphs (see module docstring), in the language ``L``,
    whose operative numbers and item labels open a paragraph (see :func:`opens`)."""
    pitch = line_pitch([r for r in rows if not r.blank])
    groups: list[list[Row]] = []
    for r in rows:
        if r.blank:
            continue
        if not groups:
            groups.append([r])
            continue
        last = groups[-1][-1]
        if r.page != last.page:
            cut = opens(r, margin, L) or r.bold != last.bold
        else:
            extra = r.line - last.line - pitch.get(_size_key(r), 1.2 * r.size)
            cut = extra > PARA_EXTRA * max(last.size, r.size) or r.bold != last.bold or \
                abs(r.size - last.size) > 1.5
        if cut:
            groups.append([r])
        else:
            groups[-1].append(r)
    return groups


#: a symbol broken after a dot that ends letters ("A/75/5/Add." + "15", "UNEP/GC." +
#: "23/6"), a sales number after its letter ("Sales No. E." + "93.I.8")
_BROKEN_SYMBOL = re.compile(r"[A-Z][A-Za-z]*/\S*[A-Za-z]\.$|\bNo\.\s[A-Z]\.$")


def glued(left: str, right: str, compact: bool = False) -> bool:
    """Whether a row ending ``left`` and the next opening ``right`` join with no space:
    a word broken after a slash ("HIV/" + "AIDS", "A/75/53/" + "Add.1"), a symbol
    broken after "Add." and the like, a number range broken after its hyphen
    ("2014-" + "2024"); in a compact language (Chinese), a CJK character on
    either side.  A line is broken there only where no space was."""
    left, right = left.rstrip(), right.lstrip()
    if compact and left and right and (_CJK.match(left[-1]) or _CJK.match(right[0])):
        return True
    if not right[:1].isalnum() or len(left) < 2 or left[-2].isspace():
        return False
    if left.endswith("/"):
        return True
    if left[-1] in "-\u2010\u2011\u2013" and left[-2].isdigit():
        return right[:1].isdigit()
    return left.endswith(".") and right[:1].isdigit() and bool(_BROKEN_SYMBOL.search(left))


def join_rows(rows: list[Row], code: str = "en", *, italics: bool = True,
              bold: bool = False) -> tuple[Inline, ...]:
    """The inlines of a paragraph's rows joined as :func:`pipeline.readers.page.lines.join_lines`
    joins lines (one space, none after a hyphen that breaks a word, none where
    :func:`glued` says the break fell inside a word, none between two CJK
    characters in a compact language); a marked run that goes on at the next row
    stays one run.  ``italics``/``bold``: as :func:`row_inlines`."""
    compact = lang.get(code).compact
    out: list[Inline] = []
    prev = ""
    for r in rows:
        if r.blank:
            continue
        parts = list(row_inlines(r, italics=italics, bold=bold, compact=compact))
        if out and parts:
            sep = "" if glued(prev, r.text, compact) else joiner(prev, r.text, code)
            if isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text.rstrip())
            if isinstance(parts[0], Text):
                parts[0] = Text(parts[0].text.lstrip())
            if out and not (isinstance(out[-1], Text) and not out[-1].text):
                if isinstance(out[-1], (Emphasis, Strong)) and type(parts[0]) is type(out[-1]):
                    out[-1] = type(out[-1])(merge(list(out[-1].children) + [Text(sep)]
                                                  + list(parts[0].children)))
                    parts = parts[1:]
                    sep = ""
            if sep:
                out.append(Text(sep))
        out.extend(parts)
        prev = r.text
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return merge(out)
