"""Item nesting pass: (a), (b) ... with (i), (ii) ... inside, at any depth.

The indentation of extracted text is not trusted; nesting follows from the
labels and the language's label sequences (``L.item_levels``).  An ambiguous
label such as "(i)" (the ninth letter, or roman one) is read in context: it
continues the current level when it is the next label there, opens a deeper
level when it is the first label of a level below, and otherwise continues
an enclosing level.

Guarantees of :func:`nest_items`: every input item appears exactly once in
the result, in order; an item whose label fits no sequence is kept at the
current level and reported; an unlabelled item is a sub-item of the labelled
item before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ast import Inline, Item, Para, Paragraph, Span, Text
from ..errors import Diagnostic


@dataclass
class FlatItem:
    label: str
    body: tuple[Inline, ...]
    span: Span | None = None
    tail: tuple = ()


@dataclass
class _Open:
    level: int
    index: int
    label: str
    body: tuple[Inline, ...]
    span: Span | None
    tail: tuple = ()
    children: list = field(default_factory=list)

    def close(self) -> Item:
        return Item(self.label, self.body, tuple(c.close() for c in self.children),
                    tail=tuple(self.tail), span=self.span)


#: the level of an unlabelled sub-item: below every labelled one
_SUB = 1_000


def _choose(cands: tuple[tuple[int, int], ...], stack: list[_Open]) -> tuple[int, int] | None:
    if not cands:
        return None
    if not stack:
        for lv, ix in cands:
            if ix == 0:
                return lv, ix
        return min(cands)
    cur = stack[-1]
    for lv, ix in cands:                         # next label at the current level
        if lv == cur.level and ix == cur.index + 1:
            return lv, ix
    for lv, ix in cands:                         # first label of a deeper level
        if lv > cur.level and ix == 0:
            return lv, ix
    for node in reversed(stack[:-1]):            # next label of an enclosing level
        for lv, ix in cands:
            if lv == node.level and ix == node.index + 1:
                return lv, ix
    return None


def nest_items(flat: list[FlatItem], L) -> tuple[tuple[Item, ...], list[Diagnostic]]:
    """Nested items from a flat run of labelled items (see module docstring)."""
    diags: list[Diagnostic] = []
    roots: list[_Open] = []
    stack: list[_Open] = []
    for it in flat:
        if not it.label and stack:           # an unlabelled line of the item before
            while stack[-1].level == _SUB:
                stack.pop()
            node = _Open(_SUB, 0, "", it.body, it.span, it.tail)
            stack[-1].children.append(node)
            stack.append(node)
            continue
        while stack and stack[-1].level == _SUB:
            stack.pop()
        cands = tuple(L.label_candidates(it.label))
        if not cands and stack and _numeric(it.label) and _numeric(stack[-1].label):
            cands = ((stack[-1].level, stack[-1].index + 1),)    # "1.", "2." of a list
        choice = _choose(cands, stack)
        if choice is None:
            if stack:
                diags.append(Diagnostic(f"item label {it.label!r} is out of sequence",
                                        it.span or Span(), code="item-sequence"))
                lv, ix = stack[-1].level, stack[-1].index + 1
            else:
                lv, ix = (cands[0] if cands else (0, 0))
        else:
            lv, ix = choice
        while stack and stack[-1].level >= lv:
            stack.pop()
        node = _Open(lv, ix, it.label, it.body, it.span, it.tail)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return tuple(r.close() for r in roots), diags


def _numeric(label: str) -> bool:
    return any(ch.isdigit() for ch in label) and not any(ch.isalpha() for ch in label)


def take_label(inlines: tuple[Inline, ...], L) -> tuple[str, tuple[Inline, ...]] | None:
    """(label, rest of the inlines) when the text opens with an item label."""
    if not inlines or not isinstance(inlines[0], Text):
        return None
    got = L.item_label(inlines[0].text)
    if not got:
        return None
    label = got[0]
    text = inlines[0].text
    at = text.find(label)
    if at < 0 or text[:at].strip(" -–*•"):
        return None
    rest = text[at + len(label):].lstrip()
    body = ((Text(rest),) if rest else ()) + inlines[1:]
    return label, body


def attach_item_paras(blocks: list, L) -> tuple[list, list[Span | None], list[Diagnostic]]:
    """Items set as paragraphs of their own ("(a) Develop ..." after "11. We commit,
    by 2030, to:"), as the blocks of an annex come from the UN's markup and from the
    printed page, made the items of the numbered paragraph before them, nested by
    label.  Guarantees: a run of paragraphs opening with an item label (of any
    language's form) straight after a numbered Paragraph without items, tail or extra
    blocks becomes its items, in order; an unlabelled paragraph, a heading or any other
    block ends the run and stays as it was; nothing else changes.  Returns (blocks,
    the spans of the paragraphs made items, the diagnostics of nesting)."""
    out: list = []
    flat: list[FlatItem] = []
    moved: list[Span | None] = []
    diags: list[Diagnostic] = []

    def close() -> None:
        if flat:
            nested, got = nest_items(flat, L)
            diags.extend(got)
            out[-1] = replace(out[-1], items=out[-1].items + nested)
            flat.clear()

    for b in blocks:
        got = None
        if isinstance(b, Para) and b.inlines and isinstance(b.inlines[0], Text) and out and \
                isinstance(out[-1], Paragraph) and out[-1].num.strip() and \
                not out[-1].tail and not out[-1].extra and (flat or not out[-1].items):
            got = L.any_label_shape(b.inlines[0].text)
        if got:
            label, rest = got
            rest = rest.lstrip()
            body = ((Text(rest),) if rest else ()) + tuple(b.inlines[1:])
            flat.append(FlatItem(label, body, b.span, ()))
            moved.append(b.span)
            continue
        close()
        out.append(b)
    close()
    return out, moved, diags
