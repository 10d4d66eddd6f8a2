"""End punctuation: UN101 recitals, UN102 operative paragraphs, UN103 items, UN104 formula.

In each language's marks (``lang.punctuation``: ``preamble_end``, ``operative_end``,
``last_end``; "," ";" "." in English, "，" "；" "。" in Chinese, "،" "؛" "." in
Arabic):

- a preambular paragraph (in the preamble or inside a section) ends with ``preamble_end``;
- an operative paragraph ends with ``operative_end``, the last one of the resolution
  (of each component of a collection) with ``last_end``;
- a paragraph's punctuation is carried by the last thing printed in it: the text
  after its list (``tail``) when there is one, else its last item, else its text;
  the same holds for an item with sub-items; every other item ends with
  ``operative_end``; the last item before text that continues the paragraph may
  end with ``operative_end`` or the paragraph's own punctuation;
- a text that introduces a list (ending ":" in most cases) is not checked;
- the enacting formula followed by preambular paragraphs ends with ``preamble_end``
  (warning).

Closing quotation marks and brackets after the mark are allowed (``...”;`` and
``...;”`` both pass); footnote calls are ignored.
"""

from __future__ import annotations

from ..ast import Item, Para, Paragraph, plain_text
from .base import Doc, finding, paragraphs, recitals, rule, text_end

_CLOSERS = "”’\"'»)]」』》）›"
#: invisible characters that may trail a paragraph (bidi marks, zero-width spaces, soft hyphen)
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff\u00ad"


def ends_with(text: str, marks: frozenset[str] | set[str]) -> bool:
    """Whether ``text`` ends with one of ``marks``, closing quotes and brackets aside."""
    t = _trim(text)
    if t and t[-1] in marks:
        return True
    core = t.rstrip(_CLOSERS + _INVISIBLE + " \u00a0")
    return bool(core) and core[-1] in marks


def _trim(text: str) -> str:
    return text.rstrip().rstrip(_INVISIBLE + " \u00a0\t\n")


def _shown(text: str) -> str:
    t = _trim(text)
    return f"ends with {t[-1]!r}" if t else "is empty"


def _marks(*marks: str) -> str:
    return " or ".join(repr(m) for m in dict.fromkeys(marks))


@rule("UN101", "preamble-punctuation", "error",
      "a preambular paragraph ends with the language's preamble mark (, ， ،)")
def check_recitals(doc: Doc):
    """A preambular paragraph, in the preamble or inside a section, ends with the
    language's preamble mark: "," in English, French, Russian and Spanish, "，" in
    Chinese, "،" in Arabic.  Closing quotation marks and brackets may follow the
    mark; footnote calls do not count.

    Wrong:

        *Recalling* its resolution 74/299 of 31 August 2020;

    Right:

        *Recalling* its resolution 74/299 of 31 August 2020,
    """
    L = doc.lang
    if L is None:
        return
    mark = L.punctuation["preamble_end"]
    for _meta, body in doc.res.texts():
        for r in recitals(body):
            text = text_end(r.lead + r.body)
            if not ends_with(text, {mark}):
                yield finding("UN101", f"preambular paragraph should end with {mark!r} "
                                       f"({_shown(text)})", doc.span(r))


@rule("UN102", "operative-punctuation", "error",
      "an operative paragraph ends with the operative mark (; ； ؛), the last with the final "
      "mark (. 。)")
def check_paragraphs(doc: Doc):
    """An operative paragraph ends with the language's operative mark (";" "；"
    "؛"), the last one of the resolution (of each resolution of a collection) with
    the final mark ("." "。").  A paragraph with a list is ended by its last item
    (UN103) or by the text after the list; one that ends in a table or a quoted
    passage is not checked.

    Wrong:

        5. *Invites* Member States to contribute to the Fund.

        6. *Decides* to remain seized of the matter;

    Right:

        5. *Invites* Member States to contribute to the Fund;

        6. *Decides* to remain seized of the matter.
    """
    L = doc.lang
    if L is None:
        return
    for p, mark, last in _paragraph_marks(doc, L.punctuation):
        what = "the last operative paragraph" if last else "an operative paragraph"
        yield from _check_end(doc, "UN102", p, mark, what)


@rule("UN103", "item-punctuation", "error",
      "items end like operative text; the last item carries its paragraph's mark")
def check_items(doc: Doc):
    """Items end like operative text: each with the operative mark (";"), the last
    one with its paragraph's own mark (";", or "." in the last paragraph), or ";"
    when text after the list goes on with the paragraph.  An item with sub-items
    hands the mark to its last sub-item.  The text that opens a list (ending ":")
    is not checked.

    Wrong:

        - (a) The collection of reliable data,
        - (b) The safety of journeys to and from school;

    Right:

        - (a) The collection of reliable data;
        - (b) The safety of journeys to and from school;
    """
    L = doc.lang
    if L is None:
        return
    for p, mark, _last in _paragraph_marks(doc, L.punctuation):
        yield from _check_list(doc, p, frozenset({mark}), L.punctuation["operative_end"])


def _paragraph_marks(doc: Doc, marks: dict):
    """(paragraph, the mark it must end with, whether it is the last) for each text."""
    for _meta, body in doc.res.texts():
        paras = paragraphs(body)
        for i, p in enumerate(paras):
            last = i == len(paras) - 1
            yield p, marks["last_end"] if last else marks["operative_end"], last


def _tail_text(node: Paragraph | Item) -> tuple[object, str] | None:
    """(block, text) of the last paragraph of running text after a list, if any."""
    for b in reversed(node.tail):
        if isinstance(b, Para):
            return b, plain_text(b.inlines).rstrip()
    return None


def _check_end(doc: Doc, rule_id: str, node: Paragraph | Item, mark: str, what: str):
    """The end of a paragraph or item whose own text (not a list) carries ``mark``."""
    if node.items and not node.tail:
        return                                   # its last item carries it (UN103)
    tail = _tail_text(node) if node.tail else None
    if tail is not None:
        block, text = tail
        span = doc.span(block) if getattr(block, "span", None) else doc.span(node)
        where = f"the text after the list of {what}" if node.items else f"the last block of {what}"
    else:
        if isinstance(node, Paragraph) and node.extra:
            return                               # ends in a table or a quoted passage
        text, span, where = text_end(node.lead + node.body), doc.span(node), what
    if not ends_with(text, {mark}):
        yield finding(rule_id, f"{where} should end with {mark!r} ({_shown(text)})", span)


def _check_list(doc: Doc, parent: Paragraph | Item, marks: frozenset[str], op_end: str):
    """Items of ``parent``, whose own punctuation is one of ``marks``."""
    its = parent.items
    continues = bool(parent.tail)
    for k, it in enumerate(its):
        last = k == len(its) - 1
        if last and continues:
            allowed = marks | {op_end}
        elif last:
            allowed = marks
        else:
            allowed = frozenset({op_end})
        if it.items and not it.tail:
            yield from _check_list(doc, it, allowed, op_end)
            continue
        tail = _tail_text(it) if it.tail else None
        if tail is not None:
            block, text = tail
            span = doc.span(block) if getattr(block, "span", None) else doc.span(it)
        else:
            text, span = text_end(it.lead + it.body), doc.span(it)
        if not ends_with(text, allowed):
            yield finding("UN103", f"item {it.label} should end with {_marks(*sorted(allowed))} "
                                   f"({_shown(text)})", span)
        if it.items:
            yield from _check_list(doc, it, frozenset({op_end}), op_end)


@rule("UN104", "formula-punctuation", "warning",
      "the enacting formula before preambular paragraphs ends with the preamble mark")
def check_formula(doc: Doc):
    """The enacting formula that precedes preambular paragraphs ends with the
    preamble mark, as they do (a warning: some resolutions print it without).

    Wrong:

        *The General Assembly*

    Right:

        *The General Assembly*,
    """
    L = doc.lang
    if L is None:
        return
    mark = L.punctuation["preamble_end"]
    for _meta, body in doc.res.texts():
        pre = body.preamble
        if not pre.formula or not pre.recitals:
            continue
        text = text_end(pre.formula)
        if not ends_with(text, {mark}):
            # the markdown reader gives the preamble no span: then the first recital's
            at = pre if pre.span and pre.span.line else pre.recitals[0]
            yield finding("UN104", f"the enacting formula should end with {mark!r} "
                                   f"({_shown(text)})", doc.span(at))
