"""Raw blocks: what a text reader hands to the normalizer.

A reader of loose text (markdown, PDF-extracted text) produces a flat list of
:class:`RawBlock`: one per paragraph, heading, list item or table, in source
order, with the inline content already in the tree's inline types and the
position it came from.  List nesting is deliberately flattened (``depth`` is
kept only as a hint): the normalizer decides nesting from item labels, since
the indentation of extracted text is not reliable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..ast import Inline, LineBreak, Span, Table, Text, plain_text


@dataclass(frozen=True, slots=True)
class RawBlock:
    """One block of loose source text.

    kind: "para" (a paragraph or a list item's text), "heading", "table", "rule".
    num: an ordered-list number the reader took off the text ("1."), if any.
    depth: list nesting depth in the source (0 = not in a list); a hint only.
    level: heading level.
    """

    kind: str
    inlines: tuple[Inline, ...] = ()
    span: Span = Span()
    num: str = ""
    depth: int = 0
    level: int = 0
    table: Table | None = None
    attrs: tuple[tuple[str, str], ...] = field(default=())

    @property
    def text(self) -> str:
        return plain_text(self.inlines)

    def with_inlines(self, inlines: tuple[Inline, ...]) -> "RawBlock":
        return replace(self, inlines=inlines)


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
