"""Text clean-up pass.

Guarantees after :func:`tidy_blocks`:
- every Text is NFC-normalised; runs of spaces, tabs and soft breaks are one
  space (no-break spaces, which French typography needs, are kept);
- in languages whose data sets ``[text] compact`` (Chinese), no space is
  left between a character of that script and another such character, a
  Latin letter, a digit or CJK punctuation ("1923 年" -> "1923年",
  "第 70/1 号决议" -> "第70/1号决议"); spaces between two Latin words stay;
- blocks have no leading or trailing whitespace.
Nothing else in the text changes.  A note block (``"note"``) is tidied as the
notes inside the tree are: an item label cannot open it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..ast import Emphasis, FootnoteRef, Inline, LineBreak, Link, Para, Strong, Subscript, \
    Superscript, Text, DocRef
from ..ast import merge_texts
from .blocks import RawBlock

_SPACES = re.compile(r"[ \t\r\n\u2028\u2029]+")
#: Han ideographs, CJK punctuation and full-width forms
CJK = r"\u2e80-\u2fff\u3000-\u303f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TIGHT_AFTER_CJK = re.compile(rf"(?<=[{CJK}])[ \u00a0]+(?=[{CJK}A-Za-z0-9(\[“‘\"'])")
_TIGHT_BEFORE_CJK = re.compile(rf"(?<=[{CJK}A-Za-z0-9)\]”’\"'.,;:%])[ \u00a0]+(?=[{CJK}])")


def collapse(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text))


def tighten_cjk(text: str) -> str:
    """Spaces next to CJK characters removed (see module docstring)."""
    return _TIGHT_BEFORE_CJK.sub("", _TIGHT_AFTER_CJK.sub("", text))


def map_text(inlines: tuple[Inline, ...], fn) -> tuple[Inline, ...]:
    """``fn`` applied to the text of every Text node, at any depth (notes included)."""
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, Text):
            out.append(Text(fn(n.text)))
        elif isinstance(n, FootnoteRef):
            out.append(replace(n, blocks=tuple(
                replace(b, inlines=map_text(b.inlines, fn)) if isinstance(b, Para) else b
                for b in n.blocks)))
        elif isinstance(n, (Emphasis, Strong, Superscript, Subscript, Link, DocRef)):
            out.append(replace(n, children=map_text(n.children, fn)))
        else:
            out.append(n)
    return tuple(out)


def merge_text(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Adjacent Text nodes joined, empty ones dropped, at every depth."""
    return merge_texts(inlines, deep=True)


def _tight_across(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """CJK tightening across node boundaries: a Text's edge space next to a
    bold, italic or linked neighbour is dropped when a CJK character touches it.

    The space after a footnote call is left as the source has it: the UN's own
    Chinese markup keeps one there ("报告<note/> 以及")."""
    items = list(inlines)

    def edge_text(n: Inline, last: bool) -> str | None:
        if isinstance(n, Text):
            return n.text
        if isinstance(n, (Emphasis, Strong, Link, DocRef)) and n.children:
            return edge_text(n.children[-1 if last else 0], last)
        return None

    cjk = re.compile(rf"[{CJK}]")
    for i, n in enumerate(items):
        if not isinstance(n, Text):
            continue
        t = n.text
        if i > 0 and t[:1] == " ":
            prev = edge_text(items[i - 1], True)
            if prev is not None and (cjk.match(prev[-1:] or "x") or cjk.match(t.lstrip()[:1] or "x")):
                t = t.lstrip(" ")
        if i + 1 < len(items) and t[-1:] == " ":
            nxt = edge_text(items[i + 1], False)
            if nxt is not None and (cjk.match(nxt[:1] or "x") or cjk.match(t.rstrip()[-1:] or "x")):
                t = t.rstrip(" ")
        items[i] = Text(t)
    return tuple(items)


def strip_edges(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Leading and trailing whitespace of a run of inlines removed."""
    items = list(inlines)
    while items and isinstance(items[0], Text) and not items[0].text.strip():
        items.pop(0)
    while items and isinstance(items[-1], (Text, LineBreak)) and \
            (isinstance(items[-1], LineBreak) or not items[-1].text.strip()):
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(items)


def tidy_inlines(inlines: tuple[Inline, ...], tight: bool, label_shape=None, *,
                 labelled: bool = True) -> tuple[Inline, ...]:
    """The clean-up of one run of inlines (see module docstring).  ``label_shape``: the
    language's :meth:`~pipeline.lang.Language.label_shape`; the space after an item
    label that opens the run ("(a) ", "㈠ ") is not tightened.  ``labelled``: an item
    label may open the run (not so in a note)."""
    out = merge_text(map_text(inlines, collapse))
    if tight:
        label = ""
        got = label_shape(out[0].text) if labelled and label_shape and out \
            and isinstance(out[0], Text) else None
        if got and got[1][:1].isspace():
            label = got[0] + " "
            out = (Text(got[1].lstrip()),) + out[1:]
        out = map_text(out, tighten_cjk)
        out = _tight_across(out)
        if label:
            out = (Text(label),) + out
    return merge_text(out)


def tidy_blocks(blocks: list[RawBlock], *, tight: bool, label_shape=None) -> list[RawBlock]:
    """The clean-up pass over every block (see module docstring; ``label_shape`` as in
    :func:`tidy_inlines`)."""
    out = []
    for b in blocks:
        if b.kind == "table" and b.table is not None:
            out.append(b)
            continue
        out.append(b.with_inlines(strip_edges(tidy_inlines(b.inlines, tight, label_shape,
                                                           labelled=b.kind != "note"))))
    return out
