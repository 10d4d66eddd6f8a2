"""Symbol linking pass.

Guarantees of :func:`link_symbols`: every UN symbol the language data
recognises in running text (recitals, paragraphs, items, tails, notes, annex
paragraphs) is a :class:`~pipeline.ast.DocRef` whose ``symbol`` is the full
symbol and whose children are the text as printed ("70/1" in "第70/1号决议"
links A/RES/70/1); the text itself is unchanged; text already inside a link
is left alone.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from urllib.parse import unquote

from ..ast import (Annex, Body, DocRef, Emphasis, FootnoteRef, Inline, Item, Link, Para,
                   Paragraph, Preamble, Recital, Section, Strong, Subscript, Superscript, Text)


#: the address :meth:`Language.undocs_url` gives, in any language: the symbol after it
_UNDOCS = re.compile(r"https?://undocs\.org/(?:[a-z]{2}/)?(.+)")


def link_text(text: str, L, organ: str) -> tuple[Inline, ...]:
    found = L.find_symbols(text, organ)
    if not found:
        return (Text(text),)
    out: list[Inline] = []
    at = 0
    for start, end, symbol in found:
        if start < at:
            continue
        if start > at:
            out.append(Text(text[at:start]))
        out.append(DocRef(symbol, (Text(text[start:end]),)))
        at = end
    if at < len(text):
        out.append(Text(text[at:]))
    return tuple(out)


def link_inlines(inlines: tuple[Inline, ...], L, organ: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, Text):
            out.extend(link_text(n.text, L, organ))
        elif isinstance(n, (Emphasis, Strong, Superscript, Subscript)):
            out.append(replace(n, children=link_inlines(n.children, L, organ)))
        elif isinstance(n, FootnoteRef):
            out.append(replace(n, blocks=tuple(_node(b, L, organ) for b in n.blocks)))
        elif isinstance(n, Link) and (m := _UNDOCS.fullmatch(n.href)):
            out.append(DocRef(unquote(m.group(1)), n.children))   # a symbol written as a link
        else:  # Link, DocRef, LineBreak
            out.append(n)
    return tuple(out)


_INLINE_FIELDS = {"inlines", "body", "lead", "formula", "heading", "title"}


def _node(node, L, organ):
    if isinstance(node, tuple):
        return tuple(_node(x, L, organ) for x in node)
    if not is_dataclass(node) or isinstance(node, (Text, DocRef, Link)):
        return node
    changes = {}
    for f in fields(node):
        if f.name == "span":
            continue
        v = getattr(node, f.name)
        if f.name in _INLINE_FIELDS and isinstance(v, tuple) and f.name not in ("lead", "formula"):
            changes[f.name] = link_inlines(v, L, organ)
        elif isinstance(v, tuple) or isinstance(v, (Preamble, Annex, Item, Paragraph, Recital,
                                                    Section, Para)):
            changes[f.name] = _node(v, L, organ)
    return replace(node, **changes) if changes else node


def link_symbols(body: Body, L, organ: str) -> Body:
    """The pass (see module docstring)."""
    return _node(body, L, organ)
