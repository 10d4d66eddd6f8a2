"""UN601: the language versions of one symbol have the same structure.

When files of the same symbol are linted together (the six language versions
of A/RES/71/19, say), each text of each file is counted: preambular
paragraphs, operative paragraphs, items (every level).  A file whose counts
differ from those of the majority of the versions is reported, once per kind
of count, at its first surplus node (or its last one when it has fewer); when
no count has a majority, every file is reported.  Files of a collection
(75/101 A and B) are compared component by component.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from .base import Doc, finding, items, paragraphs, recitals, rule

KINDS = ("preambular paragraphs", "operative paragraphs", "items")


def _nodes(body) -> dict[str, list]:
    paras = paragraphs(body)
    return {"preambular paragraphs": recitals(body),
            "operative paragraphs": paras,
            "items": [it for p in paras for it in items(p.items)]}


def _key(doc: Doc) -> str:
    return "".join((doc.res.meta.symbol or "").split()).upper()


@rule("UN601", "language-alignment", "error",
      "language versions of one symbol agree in their numbers of paragraphs and items",
      scope="set")
def check_alignment(docs: Sequence[Doc]):
    """The language versions of one symbol, linted together, have the same numbers
    of preambular paragraphs, operative paragraphs and items.  A version that
    differs from the majority is reported at its first surplus node (or its last
    one when it has fewer); with no majority, every version is.

    Wrong:

        unres lint A_RES_71_19.en.md A_RES_71_19.fr.md
        (the English has items (a) to (e), the French a) to d))

    Right:

        both versions have five items
    """
    groups: dict[str, list[Doc]] = {}
    for d in docs:
        if _key(d):
            groups.setdefault(_key(d), []).append(d)
    for _sym, group in groups.items():
        if len(group) < 2:
            continue
        n_texts = max(len(d.res.texts()) for d in group)
        for t in range(n_texts):
            counted = []
            for d in group:
                texts = d.res.texts()
                counted.append((d, _nodes(texts[t][1]) if t < len(texts) else None))
            yield from _compare(counted, t, n_texts)


def _label(d: Doc) -> str:
    return (d.lang.code if d.lang is not None else "") or d.path


def _compare(counted, t: int, n_texts: int):
    part = f" (text {t + 1} of {n_texts})" if n_texts > 1 else ""
    for kind in KINDS:
        numbers = {id(d): len(nodes[kind]) if nodes is not None else 0 for d, nodes in counted}
        tally = Counter(numbers.values())
        if len(tally) == 1:
            continue
        (top, top_n), *rest = tally.most_common()
        majority = top if top_n > len(counted) / 2 else None
        others = ", ".join(f"{_label(d)} {numbers[id(d)]}" for d, _ in counted)
        for d, nodes in counted:
            n = numbers[id(d)]
            if majority is not None and n == majority:
                continue
            ref = majority if majority is not None else min(numbers.values())
            span = d.span()
            if nodes is not None and nodes[kind]:
                at = nodes[kind][ref] if n > ref else nodes[kind][-1]
                span = d.span(at)
            expect = f"most versions have {majority}" if majority is not None else \
                "the versions disagree"
            yield finding("UN601", f"{n} {kind}{part} where {expect} ({d.res.meta.symbol}: "
                                   f"{others})", span)
