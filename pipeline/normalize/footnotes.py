"""Footnote passes: notes found in the text, then every note attached at its call.

Readers of printed pages (PDF-extracted text, PDF) know where each note is
and hand it over as a ``"note"`` :class:`~.blocks.RawBlock` with its marker.
Markdown extracted from a PDF (the seed's kind) does not: there a note is
stranded text where a page ended, a block such as ``<sup>1</sup> United
Nations, Treaty Series, vol. 1996, No. 1200.`` between two paragraphs, far
from the ``<sup>1</sup>`` call.

Guarantees after :func:`relocate_footnotes`:
- no block left is a footnote definition (a paragraph that opens with a
  superscript marker followed by text; one holding several on hard-broken
  lines is cut into one per line first): each is a ``"note"`` block in its
  place, with that marker and the text after it.

Guarantees after :func:`attach_notes`:
- no ``"note"`` block is left;
- every superscript call whose marker has a note is a
  :class:`~pipeline.ast.FootnoteRef` carrying that note's text, at the
  call's place; the note chosen for a call is the first unused one with the
  same marker at or after the call, else the nearest unused one before it;
- a call without a note stays a superscript and is reported (a second call of
  a note already placed is reported as such); a note without a call is reported
  and attached to the end of the block before it, so that no text is lost.
Footnotes already in the tree (pandoc ``[^1]`` notes) are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..ast import (DocRef, Emphasis, FootnoteRef, Inline, LineBreak, Link, Para, Strong,
                   Subscript, Superscript, plain_text)
from ..errors import Diagnostic
from .blocks import RawBlock, split_lines
from .text import strip_edges

_MARKER = re.compile(r"^\s*(\d{1,3}|[*†‡§]{1,3})\s*$")


def footnote_marker(text: str) -> str | None:
    """The marker a footnote's call or note shows ("1", "*"), or None when ``text`` is
    none (a table's lettered note "a", an ordinal ending "er")."""
    m = _MARKER.match(text)
    return m.group(1) if m else None


def _marker(n: Inline) -> str | None:
    return footnote_marker(plain_text(n.children)) if isinstance(n, Superscript) else None


def definition_marker(block: RawBlock) -> str | None:
    """The marker if the block is a footnote definition left as text, else None."""
    if block.kind != "para" or block.num or not block.inlines:
        return None
    marker = _marker(block.inlines[0])
    if marker is None:
        return None
    rest = plain_text(block.inlines[1:]).strip()
    return marker if rest else None


def _split_definitions(blocks: list[RawBlock]) -> list[RawBlock]:
    """Blocks holding several definitions on hard-broken lines cut into one block per line."""
    out: list[RawBlock] = []
    for b in blocks:
        if any(isinstance(n, LineBreak) for n in b.inlines) and definition_marker(b):
            out.extend(split_lines(b))
        else:
            out.append(b)
    return out


def relocate_footnotes(blocks: list[RawBlock]) -> list[RawBlock]:
    """Stranded definitions made note blocks (see module docstring)."""
    out: list[RawBlock] = []
    for b in _split_definitions(blocks):
        m = definition_marker(b)
        out.append(b if m is None else RawBlock("note", b.inlines[1:], b.span, marker=m))
    return out


@dataclass
class _Note:
    marker: str
    index: int
    block: RawBlock
    used: bool = False


def attach_notes(blocks: list[RawBlock]) -> tuple[list[RawBlock], list[Diagnostic]]:
    """Every note block attached at its call (see module docstring)."""
    diags: list[Diagnostic] = []
    notes: list[_Note] = []
    kept: list[tuple[int, RawBlock]] = []
    for i, b in enumerate(blocks):
        if b.kind == "note":
            notes.append(_Note(b.marker, i, b))
        else:
            kept.append((i, b))

    def take(marker: str, at: int) -> _Note | None:
        after = [n for n in notes if not n.used and n.marker == marker and n.index >= at]
        before = [n for n in notes if not n.used and n.marker == marker and n.index < at]
        pick = after[0] if after else (before[-1] if before else None)
        if pick:
            pick.used = True
        return pick

    def note_blocks(n: _Note) -> tuple[Para, ...]:
        return (Para(strip_edges(n.block.inlines), span=n.block.span),)

    def walk(inlines: tuple[Inline, ...], at: int, block: RawBlock) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for n in inlines:
            m = _marker(n)
            if m is not None:
                note = take(m, at)
                if note is not None:
                    out.append(FootnoteRef(m, note_blocks(note), span=block.span))
                    continue
                if any(x.marker == m for x in notes):
                    diags.append(Diagnostic(f"footnote {m} is called a second time; its note "
                                            f"stays with the first call", block.span,
                                            code="footnote-repeated"))
                else:
                    diags.append(Diagnostic(f"footnote call {m} has no note", block.span,
                                            code="footnote-missing"))
                out.append(n)
            elif isinstance(n, (Emphasis, Strong, Link, DocRef, Subscript)):
                out.append(replace(n, children=walk(n.children, at, block)))
            else:
                out.append(n)
        return tuple(out)

    result: list[RawBlock] = []
    for i, b in kept:
        result.append(b.with_inlines(walk(b.inlines, i, b)) if b.kind != "table" else b)
    # notes without a call: keep their text, at the end of the block before them
    for n in notes:
        if n.used:
            continue
        twin = next((t for t in notes if t.used and t.marker == n.marker), None)
        again = f" is defined a second time (first on line {twin.block.span.line}) and" \
            if twin is not None and twin.block.span.line else ""
        diags.append(Diagnostic(f"footnote {n.marker}{again} is never called; attached to the "
                                f"paragraph before it", n.block.span, code="footnote-uncalled"))
        pos = max((k for k, (i, _b) in enumerate(kept) if i < n.index), default=None)
        if pos is None:
            continue
        b = result[pos]
        result[pos] = b.with_inlines(b.inlines + (FootnoteRef(n.marker, note_blocks(n),
                                                              span=n.block.span),))
    return result, diags
