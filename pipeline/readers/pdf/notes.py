"""The notes at the feet of a PDF's pages: the rows under the note rule -> numbered notes.

Guarantees of :func:`read_notes`:

- the notes come in the order of the pages and of their rows; each is
  (page index, marker, inlines), the marker as printed (raised small digits,
  or a number opening the row and followed by a space, either in brackets as
  Arabic notes print it), the inlines the note's rows joined
  (:func:`.layout.join_rows`) without the marker and its brackets;
- a row that opens with no marker continues the note before it, on this
  page or the last; a row that opens with a number also continues it when it
  starts where the text of the note's first row starts (a continuation line
  "31 July 2014 ..."), or, when that cannot be told, when its number is not
  the next one;
- rows under the rule before any note are reported and dropped (the only
  text left out).
"""

from __future__ import annotations

import re

from ...ast import Superscript, Text
from ...errors import Diagnostic
from . import layout
from .layout import PageRows, Row, merge
from .pages import page_span

#: a number or sign opening a note's row, then a space; or a number in brackets, as
#: Arabic notes print it ("(1)"; in a right-to-left row as read, ")1(")
_NOTE_START = re.compile(r"^\s*(?:[()]\s*(\d{1,3})\s*[()]\s*|(\d{1,3}|[*†‡§]{1,3})\s+)(?=\S)")


def read_notes(pages: list[PageRows], code: str, path: str, diags: list[Diagnostic]):
    """(page index, marker, inlines) of every note at the pages' feet, in order; a row
    that opens with no number continues the note before it, on this page or the last."""
    notes: list[list] = []                   # [page, marker, rows]
    for p in pages:
        for r in p.notes:
            if r.blank:
                continue
            marker = None
            first = r.ink[0]
            k0 = r.glyphs.index(first)
            if r.sup[k0]:
                digits = []
                for g, s in zip(r.glyphs[k0:], r.sup[k0:]):
                    if not g.text.strip():
                        continue
                    if not s:
                        break
                    digits.append(g.text)
                marker = "".join(digits).strip().strip("()")
            else:
                m = _NOTE_START.match(r.text)
                hangs = hangs_under(r, notes[-1][2][0]) if notes else None
                number = m and (m.group(1) or m.group(2))
                if m and (not notes or hangs is False or
                          hangs is None and _next(notes[-1][1], number)):
                    marker = number
            if marker:
                notes.append([p.index, marker, [r]])
            elif notes:
                notes[-1][2].append(r)
            else:
                diags.append(Diagnostic("text under a page's note rule has no note number; "
                                        "dropped", page_span(path, p.index), code="pdf-note"))
    out = []
    for page, marker, rows in notes:
        inl = layout.join_rows(rows, code)
        inl = _drop_marker(inl, marker)
        out.append((page, marker, inl))
    return out


def hangs_under(row: Row, first: Row) -> bool | None:
    """Whether ``row`` starts where the text of a note's first row starts, right of its
    number (a continuation line "31 July 2014 ..." that only looks like note 31), or
    False when it starts left of that, where numbers stand (a new note); None when the
    first row shows no gap after its number to tell."""
    ink = first.spans()                 # measured from the reading edge (right in Arabic)
    gaps = [k for k in range(1, len(ink)) if ink[k][0] - ink[k - 1][1] > 0.2 * first.size]
    if not gaps or ink[gaps[0]][0] - ink[0][0] < 0.5 * first.size:
        return None
    text_x = ink[gaps[0]][0]
    if row.start >= text_x - 0.5:
        return True
    return False if row.start < text_x - 0.3 * first.size else None


def _next(prev: str, cand: str) -> bool:
    return prev.isdigit() and cand.isdigit() and int(cand) == int(prev) + 1


def _drop_marker(inlines, marker: str):
    """The note's inlines without the number that opens them, raised or not, with the
    brackets around it (an Arabic note's "(1)", its brackets read either way round)."""
    items = list(inlines)
    bracketed = False
    while items and isinstance(items[0], Text) and not items[0].text.strip("() \t"):
        if (len(items) > 1 and isinstance(items[1], Superscript)) or not items[0].text.strip():
            bracketed = bracketed or bool(items.pop(0).text.strip())
        else:
            break
    if items and isinstance(items[0], Superscript):
        items.pop(0)
        if bracketed and items and isinstance(items[0], Text):
            items[0] = Text(re.sub(r"^\s*[()]", "", items[0].text))
    elif items and isinstance(items[0], Text):
        m = re.match(r"\s*[()]\s*" + re.escape(marker) + r"\s*[()]\s*", items[0].text) or \
            re.match(r"\s*" + re.escape(marker) + r"(?:\s+|$)", items[0].text)
        if m:
            items[0] = Text(items[0].text[m.end():])
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    return merge(items)
