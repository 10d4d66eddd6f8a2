"""Layout passes for the official UN PDFs: positioned glyphs -> rows -> paragraphs.

A PDF gives characters with their font, size and box, not lines or
paragraphs.  The UN's PDFs (made from the UN's Word template) are regular:
10-point body text set on 12-point lines, paragraphs 6 points apart, the
first line of a preambular paragraph indented, operative numbers and item
labels at the start of a paragraph's first line, footnote calls and note
numbers as small raised digits, italic lead phrases, the notes under a rule
of underscores at the page's foot, a running head above a rule at the top
and the job number, page number and barcode at the foot.

This module knows nothing of pdfplumber: a reader hands it :class:`Glyph`\\ s
(see :mod:`pipeline.readers.pdf`), so that every pass can be tested on
synthetic glyphs.

Guarantees:
- :func:`make_rows` puts every glyph of a page in exactly one :class:`Row`:
  glyphs sharing a baseline form a row; a small glyph set above the baseline
  of the row under it (a footnote call, a note number) joins that row marked
  ``sup``; rows are in reading order (top to bottom, left to right);
- :func:`split_page` puts every row in exactly one of ``body``, ``notes`` or
  ``furniture``: furniture is the running head (above the top rule of pages
  after the first), the foot of the page (job number, page number, barcode,
  recycling residue) and the note rule itself; notes are the rows under the
  note rule;
- :func:`row_inlines` gives a row's text as inlines: italic runs as
  ``Emphasis`` (spaces between two italic words belong to the run), raised
  small glyphs as ``Superscript``, everything else ``Text``; no character is
  dropped, a space is added only where the gap between two glyphs shows one;
- :func:`paragraphs` cuts body rows into paragraphs: at a vertical gap wider
  than the line spacing, at a change between bold and regular rows, and at a
  page turn only when the new page's first row visibly opens a paragraph
  (indented first line, operative number, item label, bold); every row is in
  exactly one paragraph, in order.
All are pure functions of their arguments.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..ast import Emphasis, Inline, Superscript, Text

#: a glyph at most this share of its row's size, raised above the baseline, is a superscript
SUP_RATIO = 0.8
#: a superscript is raised by at least this many points
SUP_RAISE = 0.8
#: rows closer than this (points, between baselines) share a baseline
SAME_BASELINE = 1.6
#: a gap between two glyphs wider than this share of the size is a space
SPACE_RATIO = 0.18
#: a vertical gap between rows wider than this share of the size separates paragraphs
PARA_GAP = 0.45
#: the foot band (from the page's bottom, in points) where every row is furniture
FOOT_BAND = 50.0
#: the band (share of the page's height) at the foot where furniture-like rows are furniture
FOOT_ZONE = 0.12


@dataclass(frozen=True, slots=True)
class Glyph:
    """A character on a page: its text, box (points, from the page's top-left), size and style."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    italic: bool = False
    bold: bool = False
    font: str = ""


@dataclass
class Row:
    """Glyphs on one baseline of one page (``page`` is the 0-based page index);
    ``sup[i]`` tells whether ``glyphs[i]`` is a raised small glyph."""

    page: int
    glyphs: list[Glyph] = field(default_factory=list)
    sup: list[bool] = field(default_factory=list)

    def _main(self) -> list[Glyph]:
        main = [g for g, s in zip(self.glyphs, self.sup) if not s]
        return main or self.glyphs

    @property
    def ink(self) -> list[Glyph]:
        """The glyphs that are not spaces."""
        return [g for g in self.glyphs if g.text.strip()]

    @property
    def top(self) -> float:
        ink = [g for g, s in zip(self.glyphs, self.sup) if not s and g.text.strip()]
        return min(g.top for g in ink or self.glyphs)

    @property
    def bottom(self) -> float:
        ink = [g for g, s in zip(self.glyphs, self.sup) if not s and g.text.strip()]
        return max(g.bottom for g in ink or self.glyphs)

    @property
    def size(self) -> float:
        ink = [g for g, s in zip(self.glyphs, self.sup) if not s and g.text.strip()]
        c = Counter(round(g.size, 1) for g in ink or self.glyphs)
        return c.most_common(1)[0][0]

    @property
    def x0(self) -> float:
        ink = self.ink
        return ink[0].x0 if ink else self.glyphs[0].x0

    @property
    def x1(self) -> float:
        ink = self.ink
        return ink[-1].x1 if ink else self.glyphs[-1].x1

    @property
    def blank(self) -> bool:
        return not self.ink

    @property
    def bold(self) -> bool:
        """Every letter or digit of the row is bold."""
        ink = [g for g in self.ink if g.text.isalnum()]
        return bool(ink) and all(g.bold for g in ink)

    @property
    def text(self) -> str:
        return "".join(_spaced(self.glyphs))

    def segments(self, gap: float) -> list["Row"]:
        """The row cut where two glyphs are more than ``gap`` points apart (columns of the
        masthead: "United Nations" ... "A/RES/78/6")."""
        out: list[Row] = []
        prev: Glyph | None = None
        for g, s in zip(self.glyphs, self.sup):
            if not g.text.strip():
                continue
            if prev is None or g.x0 - prev.x1 > gap:
                out.append(Row(self.page))
            out[-1].glyphs.append(g)
            out[-1].sup.append(s)
            prev = g
        return out


def _spaced(glyphs: list[Glyph]) -> list[str]:
    """The glyphs' texts with a space where the gap between two of them shows one."""
    out: list[str] = []
    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None and g.text.strip() and prev.text.strip() and \
                g.x0 - prev.x1 > SPACE_RATIO * max(g.size, prev.size):
            out.append(" ")
        out.append(g.text)
        prev = g
    return out


def make_rows(glyphs: list[Glyph], page: int) -> list[Row]:
    """The glyphs of a page in rows (see module docstring)."""
    rows: list[Row] = []
    for g in sorted(glyphs, key=lambda g: (round(g.bottom, 1), g.x0)):
        if rows and abs(rows[-1].glyphs[-1].bottom - g.bottom) <= SAME_BASELINE \
                and abs(_base(rows[-1]) - g.bottom) <= SAME_BASELINE:
            rows[-1].glyphs.append(g)
            rows[-1].sup.append(False)
        else:
            rows.append(Row(page, [g], [False]))
    # small raised glyphs: a row of small glyphs just above a row of larger ones joins it
    merged: list[Row] = []
    for i, r in enumerate(rows):
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below is not None and r.ink and below.ink and _raised_onto(r, below):
            below.glyphs.extend(r.glyphs)
            below.sup.extend([True] * len(r.glyphs))
            continue
        merged.append(r)
    joined: list[Row] = []
    for r in merged:
        host = next((h for h in joined if _touching(r, h)), None) or \
            next((h for h in merged if h is not r and _touching(r, h)), None)
        if host is not None and host is not r:
            host.glyphs.extend(r.glyphs)
            host.sup.extend(r.sup)
            continue
        joined.append(r)
    out = []
    for r in joined:
        order = sorted(range(len(r.glyphs)), key=lambda k: r.glyphs[k].x0)
        r.glyphs = [r.glyphs[k] for k in order]
        r.sup = [r.sup[k] for k in order]
        _mark_inline_sup(r)
        out.append(r)
    out.sort(key=lambda r: (round(r.bottom, 1), r.x0))
    return out


#: what a raised small run may hold: note numbers and symbols, ordinal endings ("er", "th")
_MARK = re.compile(r"[\d*†‡§,]{1,5}|[a-z]{1,3}")


def _touching(a: Row, b: Row) -> bool:
    """Row ``a`` sits inside ``b``'s height and touches one of its glyphs (the big "A"
    and the small "/RES/78/6" of a masthead symbol)."""
    if a.blank or b.blank or a.top < b.top - 1 or a.bottom > b.bottom + 1:
        return False
    return any(abs(a.ink[0].x0 - g.x1) < 1.0 or abs(g.x0 - a.ink[-1].x1) < 1.0 for g in b.ink)


def _base(row: Row) -> float:
    return max(g.bottom for g in row.glyphs)


def _raised_onto(small: Row, row: Row) -> bool:
    if not all(_MARK.fullmatch(w) for w in small.text.split()):
        return False
    size = max(g.size for g in small.ink)
    rsize = row.size
    if size > SUP_RATIO * rsize:
        return False
    lift = row.bottom - max(g.bottom for g in small.ink)
    if not (SUP_RAISE <= lift <= 0.75 * rsize):
        return False
    # horizontally inside (or at the left edge of) the row below
    return small.ink[0].x0 >= row.x0 - 3 * rsize and small.ink[-1].x1 <= row.x1 + 2 * rsize


def _mark_inline_sup(row: Row) -> None:
    """Small glyphs raised above the baseline inside a row are superscripts too."""
    base = row.bottom
    size = row.size
    for k, g in enumerate(row.glyphs):
        if not row.sup[k] and g.text.strip() and g.size <= SUP_RATIO * size and \
                base - g.bottom >= SUP_RAISE:
            row.sup[k] = True


def body_size(rows: list[Row]) -> float:
    """The size most glyphs of the document have (the body text's)."""
    c = Counter(round(g.size, 1) for r in rows for g in r.ink)
    return c.most_common(1)[0][0] if c else 10.0


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
        if r.top > height - FOOT_BAND or any("barcode" in g.font.lower() for g in r.ink) or \
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

def row_inlines(row: Row, *, italics: bool = True) -> tuple[Inline, ...]:
    """The row's text as inlines (see module docstring)."""
    pieces: list[list] = []             # [kind or None (a space), text]
    prev: Glyph | None = None
    for g, s in zip(row.glyphs, row.sup):
        if prev is not None and g.text.strip() and prev.text.strip() and \
                g.x0 - prev.x1 > SPACE_RATIO * max(g.size, prev.size):
            pieces.append([None, " "])
        if not g.text.strip():
            pieces.append([None, g.text])
        else:
            pieces.append(["sup" if s else ("i" if (g.italic and italics) else "t"), g.text])
        prev = g
    # punctuation set in italics after an upright glyph is upright ("2" + italic ".")
    for k, p in enumerate(pieces):
        if p[0] == "i" and p[1] in ".,;:":
            left = next((pieces[j][0] for j in range(k - 1, -1, -1) if pieces[j][0]), None)
            if left == "t":
                p[0] = "t"
    # a space takes the style of the glyphs around it when both are italic
    for k, p in enumerate(pieces):
        if p[0] is not None:
            continue
        left = next((pieces[j][0] for j in range(k - 1, -1, -1) if pieces[j][0]), None)
        right = next((pieces[j][0] for j in range(k + 1, len(pieces)) if pieces[j][0]), None)
        p[0] = "i" if left == right == "i" else "t"
    runs: list[list] = []
    for kind, text in pieces:
        if runs and runs[-1][0] == kind:
            runs[-1][1] += text
        else:
            runs.append([kind, text])
    out: list[Inline] = []
    for kind, text in runs:
        if kind == "i":
            # spaces at the run's edges stay outside the emphasis
            core = text.strip()
            lead = text[:len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            if lead:
                out.append(Text(lead))
            if core:
                out.append(Emphasis((Text(core),)))
            if trail:
                out.append(Text(trail))
        elif kind == "sup":
            if text.strip():
                out.append(Superscript((Text(text.strip()),)))
        else:
            out.append(Text(text))
    return merge(out)


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
        if isinstance(n, Emphasis) and res and isinstance(res[-1], Emphasis):
            res[-1] = Emphasis(merge(list(res[-1].children) + list(n.children)))
            continue
        res.append(n)
    return tuple(res)


# ---------------------------------------------------------------- paragraphs

_OPNUM = re.compile(r"^\s*\d{1,3}\s*\.(?!\d)")
_LABEL = re.compile(r"^\s*\(?(?:[a-z]{1,3}|[ivxlc]+|\d{1,2})\)\s")


def left_margin(rows: list[Row]) -> float:
    """The x most body rows start at (continuation lines)."""
    c = Counter(round(r.x0) for r in rows if not r.blank)
    return float(c.most_common(1)[0][0]) if c else 0.0


def opens(row: Row, margin: float) -> bool:
    """Whether a row visibly opens a paragraph: indented, numbered or labelled."""
    t = row.text
    return row.x0 > margin + 0.8 * row.size or bool(_OPNUM.match(t)) or bool(_LABEL.match(t))


def paragraphs(rows: list[Row], margin: float) -> list[list[Row]]:
    """Body rows cut into paragraphs (see module docstring)."""
    groups: list[list[Row]] = []
    for r in rows:
        if r.blank:
            continue
        if not groups:
            groups.append([r])
            continue
        last = groups[-1][-1]
        if r.page != last.page:
            cut = opens(r, margin) or r.bold != last.bold
        else:
            gap = r.top - last.bottom
            cut = gap > PARA_GAP * max(last.size, r.size) or r.bold != last.bold or \
                abs(r.size - last.size) > 1.5
        if cut:
            groups.append([r])
        else:
            groups[-1].append(r)
    return groups


def join_rows(rows: list[Row], code: str = "en", *, italics: bool = True) -> tuple[Inline, ...]:
    """The inlines of a paragraph's rows joined as :func:`pipeline.normalize.lines.join_lines`
    joins lines (one space, none after a hyphen that breaks a word); an italic run
    that goes on at the next row stays one run."""
    from .lines import joiner

    out: list[Inline] = []
    prev = ""
    for r in rows:
        if r.blank:
            continue
        parts = list(row_inlines(r, italics=italics))
        if out and parts:
            sep = joiner(prev, r.text, code)
            if isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text.rstrip())
            if isinstance(parts[0], Text):
                parts[0] = Text(parts[0].text.lstrip())
            if out and not (isinstance(out[-1], Text) and not out[-1].text):
                if isinstance(out[-1], Emphasis) and isinstance(parts[0], Emphasis):
                    out[-1] = Emphasis(merge(list(out[-1].children) + [Text(sep)]
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
