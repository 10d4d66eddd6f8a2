"""Paragraph identities: the same name for the same place in every language version.

The names are the Akoma Ntoso writer's eIds (:mod:`pipeline.writers.akn`) where
those are positional, so that ``A/RES/75/10/en/#para_3``,
``A/RES/75/10/ar/#para_3`` and ``A_RES_75_10.en.akn.xml#para_3`` name the same
operative paragraph::

    preamble__formula_1                 the enacting formula
    preamble__container_3               preambular paragraph 3
    para_4                              operative paragraph 4 (headings count as paragraphs)
    sec_2, sec_2__para_1                part 2 and its paragraph 1
    sec_2__crossHeading_1               a preambular paragraph inside a part
    container_1, sec_1__hcontainer_2    running text or a table among operative paragraphs
    para_4__list_1__point_2             the second item of paragraph 4 (nested items go on:
                                        ...__point_2__list_1__point_1)
    att_1, att_1__para_2                annex 1 and its second block
    comp_2__para_1                      paragraph 1 of the second resolution under one symbol

Items are where the AKN writer is not positional (its eIds follow the printed label,
``point_a``, which differs from one language to the next: (a), (أ), а), ㈠): here an
item is named by its position among its siblings.  Nothing depends on the language,
the labels or the text: two versions with the same shape get the same names.

Guarantees: names are unique within a resolution; :func:`anchors` and
:func:`units` walk the tree in document order; pure functions of the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from ..ast import (Annex, Heading, Item, Para, Paragraph, Preamble, Recital, Resolution,
                   Section, Table, plain_text)

#: the Word styles of headings (an annex's running text is a paragraph unless it is one)
_HEADING_STYLES = {"H1", "H23", "H4", "H56", "HM", "HCh"}
_NUMBERED = re.compile(r"\s*\d")


@dataclass(frozen=True, slots=True)
class Unit:
    """One aligned place of a text: its name, what it is, and the node."""

    name: str
    kind: str        # formula, recital, paragraph, item, section, heading, text, annex
    node: Any
    depth: int = 0   # item nesting (0 for everything else)


class _Counter:
    def __init__(self) -> None:
        self.n: dict[str, int] = {}

    def next(self, key: str) -> int:
        self.n[key] = self.n.get(key, 0) + 1
        return self.n[key]


def units(res: Resolution) -> list[Unit]:
    """Every named place of ``res`` in document order."""
    out: list[Unit] = []
    many = bool(res.components)
    for i, (_meta, body) in enumerate(res.texts(), 1):
        prefix = f"comp_{i}__" if many else ""
        out.extend(_text(body, prefix))
    return out


def anchors(res: Resolution) -> dict[int, str]:
    """``{id(node): name}`` for every named node of ``res`` (the HTML writer's ``anchor``
    hook takes ``lambda node: names.get(id(node))``)."""
    return {id(u.node): u.name for u in units(res)}


def _text(body, prefix: str) -> Iterator[Unit]:
    pre: Preamble = body.preamble
    if pre.formula:
        yield Unit(f"{prefix}preamble__formula_1", "formula", pre)
    for n, r in enumerate(pre.recitals, 1):
        yield Unit(f"{prefix}preamble__container_{n}", "recital", r)
    c = _Counter()
    for node in body.operative:
        yield from _node(node, prefix, c, in_section=False)
    for n, annex in enumerate(body.annexes, 1):
        yield from _annex(annex, f"{prefix}att_{n}", n)


def _node(node: Any, prefix: str, c: _Counter, in_section: bool) -> Iterator[Unit]:
    if isinstance(node, Paragraph):
        name = f"{prefix}para_{c.next(prefix + 'para')}"
        yield Unit(name, "paragraph", node)
        yield from _items(node.items, f"{name}__list_1", 0)
    elif isinstance(node, Heading):
        yield Unit(f"{prefix}para_{c.next(prefix + 'para')}", "heading", node)
    elif isinstance(node, Section):
        name = f"{prefix}sec_{c.next(prefix + 'sec')}"
        yield Unit(name, "section", node)
        for child in node.children:
            yield from _node(child, name + "__", c, in_section=True)
    elif isinstance(node, Recital):
        kind = "crossHeading" if in_section else "container"
        yield Unit(f"{prefix}{kind}_{c.next(prefix + kind)}", "recital", node)
    elif isinstance(node, (Para, Table)):
        kind = "hcontainer" if in_section else "container"
        yield Unit(f"{prefix}{kind}_{c.next(prefix + kind)}", "text", node)


def _items(items: tuple[Item, ...], prefix: str, depth: int) -> Iterator[Unit]:
    for k, it in enumerate(items, 1):
        name = f"{prefix}__point_{k}"
        yield Unit(name, "item", it, depth)
        yield from _items(it.items, f"{name}__list_1", depth + 1)


def _annex(annex: Annex, name: str, n: int) -> Iterator[Unit]:
    yield Unit(name, "annex", annex)
    prefix = name + "__"
    c = _Counter()
    for b in annex.blocks:
        if isinstance(b, Para) and b.style not in _HEADING_STYLES and \
                not _NUMBERED.match(plain_text(b.inlines)):
            yield Unit(f"{prefix}para_{c.next(prefix + 'para')}", "text", b)
        else:
            yield from _node(b, prefix, c, in_section=False)
