"""Sequence rules: UN201 operative numbering, UN202 item labels.

- UN201: in each part of the operative text (the top level, each section) the
  numbered paragraphs run 1, 2, 3 ... without gap or repeat; a section may
  start again at 1 or go on from the previous section's last number; when a
  resolution has more than one operative paragraph, each one is numbered.
- UN202: the labels of one list are the first labels of one of the language's
  label sequences (``lang.item_levels``: (a) (b) (c) ... / (i) (ii) ... in
  English, (a) ... / ㈠ ㈡ ... in Chinese, (أ) (ب) ... / ’1‘ ’2‘ ... in Arabic),
  in order and from the first; a list nested in an item does not use its
  parent's sequence.  An ambiguous label ("(i)": letter or roman) is read in
  whichever sequence its list follows.
"""

from __future__ import annotations

import re

from ..ast import Item, Paragraph
from .base import Doc, finding, paragraphs, rule, sections

_NUMBER = re.compile(r"\s*(\d+)")


def number_of(num: str) -> int | None:
    """The integer of a printed number ("12.", "12 -", "١٢."), else None."""
    m = _NUMBER.match(num or "")
    return int(m.group(1)) if m else None


@rule("UN201", "operative-numbering", "error",
      "operative paragraphs are numbered 1, 2, 3 ... in each section, without gaps")
def check_numbering(doc: Doc):
    """Operative paragraphs are numbered 1, 2, 3 ... without gap or repeat, in
    each part of the operative text (the top level, each section); a section may
    start again at 1 or go on from the previous one.  When a resolution has more
    than one operative paragraph, each one is numbered.  Numbers are read as
    written in the source: nothing is renumbered silently.

    Wrong:

        2. *Encourages* Member States ...;

        4. *Invites* Member States ...;

    Right:

        2. *Encourages* Member States ...;

        3. *Invites* Member States ...;
    """
    for _meta, body in doc.res.texts():
        if len(paragraphs(body)) <= 1:
            continue                         # a lone operative paragraph is unnumbered
        previous_last = 0
        for _sec, children in sections(body):
            paras = [n for n in children if isinstance(n, Paragraph)]
            if not paras:
                continue
            expected: int | None = None
            for p in paras:
                n = number_of(p.num)
                if n is None:
                    yield finding("UN201", "operative paragraph has no number"
                                  + (f" (expected {expected})" if expected else ""), doc.span(p))
                    if expected:
                        expected += 1
                    continue
                if expected is None:
                    if n not in (1, previous_last + 1):
                        yield finding("UN201", f"operative numbering starts at {n}, expected 1"
                                      + (f" or {previous_last + 1}" if previous_last else ""),
                                      doc.span(p))
                elif n != expected:
                    what = "repeats" if n < expected else "skips"
                    yield finding("UN201", f"operative paragraph {n} {what} the sequence: "
                                           f"expected {expected}", doc.span(p))
                expected = n + 1
            if expected:
                previous_last = expected - 1


def _levels_fitting(cands: list[tuple[tuple[int, int], ...]]) -> list[int]:
    """Levels in which every label k of the list is the k-th label."""
    if not cands or not cands[0]:
        return []
    out = []
    for lv, ix in cands[0]:
        if ix == 0 and all((lv, k) in c for k, c in enumerate(cands)):
            out.append(lv)
    return out


def _report_level(cands: list[tuple[tuple[int, int], ...]]) -> int:
    """The level a broken list most likely means: the one its longest correct prefix follows."""
    best, best_len = 0, -1
    levels = {lv for c in cands for lv, _ in c}
    for lv in sorted(levels):
        k = 0
        while k < len(cands) and (lv, k) in cands[k]:
            k += 1
        if k > best_len:
            best, best_len = lv, k
    return best


@rule("UN202", "item-sequence", "error",
      "item labels follow the language's sequence ((a) (b) ..., (i) (ii) ..., ㈠ ㈡ ..., "
      "(أ) (ب) ...)")
def check_items(doc: Doc):
    """The labels of a list follow one of the language's label sequences from its
    first label: (a) (b) (c) ... and (i) (ii) (iii) ... in English, a) b) ... in
    French, Spanish and Russian, ㈠ ㈡ ... in Chinese, (أ) (ب) ... and ’1‘ ’2‘ ...
    in Arabic.  A list inside an item does not use its parent's sequence.

    Wrong:

        - (a) The collection of reliable data;
        - (c) The inclusion of road safety education;

    Right:

        - (a) The collection of reliable data;
        - (b) The inclusion of road safety education;
    """
    L = doc.lang
    if L is None:
        return
    for _meta, body in doc.res.texts():
        for p in paragraphs(body):
            yield from _check_list(doc, L, p.items, ())


def _check_list(doc: Doc, L, its: tuple[Item, ...], outer: tuple[tuple[int, int], ...]):
    """One list; ``outer`` is (level, index) of each enclosing item, outermost first."""
    if not its:
        return
    parent_level = outer[-1][0] if outer else None
    cands = [tuple(L.label_candidates(it.label)) for it in its]
    levels: list[int | None] = [None] * len(its)
    unknown = [it for it, c in zip(its, cands) if not c]
    if unknown:
        it = unknown[0]
        yield finding("UN202", f"{it.label!r} is not an item label in {L.code}", doc.span(it))
    else:
        fitting = _levels_fitting(cands)
        if fitting:
            level = next((lv for lv in fitting if lv != parent_level), fitting[0])
            levels = [level] * len(its)
            if level == parent_level:
                yield finding("UN202", f"sub-items {its[0].label} ... use the same labels as the "
                                       f"item they belong to", doc.span(its[0]))
        else:
            level = _report_level(cands)
            for k, (it, c) in enumerate(zip(its, cands)):
                if (level, k) in c:
                    levels[k] = level
                    continue
                want = _expected(L, level, k)
                for olv, oix in reversed(outer):     # meant to go on an enclosing list
                    if any(lv == olv for lv, _ in c) and olv != level:
                        want = _expected(L, olv, oix + 1)
                        break
                msg = (f"list starts with {it.label}, expected {want}" if k == 0 else
                       f"item label {it.label} out of sequence: expected {want}")
                yield finding("UN202", msg, doc.span(it))
                break
    for k, it in enumerate(its):
        lv = levels[k] if levels[k] is not None else -1
        yield from _check_list(doc, L, it.items, outer + ((lv, k),))


def _expected(L, level: int, index: int) -> str:
    seq = L.item_levels[level]
    return seq[index] if 0 <= index < len(seq) else "?"
