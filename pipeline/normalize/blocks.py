"""Raw blocks: what a reader of loose text hands to the normalizer.

A reader of loose text (markdown, PDF-extracted text, PDF, Word) produces a
flat list of :class:`RawBlock`: one per paragraph, heading, list item, table
or footnote, in source order, with the inline content already in the tree's
inline types and the position it came from.  List nesting is deliberately
flattened (``depth`` is kept only as a hint): the normalizer decides nesting
from item labels, since the indentation of extracted text is not reliable.

A reader that knows where a page's notes are (the text and PDF readers) hands
each over as a ``"note"`` block with its marker, after the last block of the
page it stands on; the calls stay superscripts in the text.  The normalizer
attaches each note at its call (:func:`pipeline.normalize.footnotes.attach_notes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..ast import Inline, LineBreak, Span, Table, Text, plain_text


@dataclass(frozen=True, slots=True)
class RawBlock:
    """One block of loose source text.

    kind: "para" (a paragraph or a list item's text), "heading", "table", "rule", or
    "note" (a footnote's text, without its marker).
    num: an ordered-list number the reader took off the text ("1."), if any.
    depth: list nesting depth in the source (0 = not in a list); a hint only.
    level: heading level.
    marker: a note's marker as printed before its text and at its call ("1", "*").
    """

    kind: str
    inlines: tuple[Inline, ...] = ()
    span: Span = Span()
    num: str = ""
    depth: int = 0
    level: int = 0
    table: Table | None = None
    attrs: tuple[tuple[str, str], ...] = field(default=())
    marker: str = ""

    @property
    def text(self) -> str:
        return plain_text(self.inlines)

    def with_inlines(self, inlines: tuple[Inline, ...]) -> "RawBlock":
        # what replace(self, inlines=inlines) gives, without its look at the fields
        return RawBlock(self.kind, inlines, self.span, self.num, self.depth, self.level,
                        self.table, self.attrs, self.marker)


def split_lines(block: RawBlock) -> list[RawBlock]:
    """A block cut at its hard line breaks, each line a block of its own (same span line + k)."""
    lines: list[list[Inline]] = [[]]
    for n in block.inlines:
        if isinstance(n, LineBreak):
            lines.append([])
        else:
            lines[-1].append(n)
    out = []
    for i, parts in enumerate(lines):
        if not plain_text(tuple(parts)).strip() and not any(not isinstance(p, Text) for p in parts):
            continue
        span = Span(block.span.file, block.span.line + i, block.span.col if i == 0 else 1)
        out.append(replace(block, inlines=tuple(parts), span=span))
    return out


def attr(block: RawBlock, name: str, default: Any = None) -> Any:
    for k, v in block.attrs:
        if k == name:
            return v
    return default
