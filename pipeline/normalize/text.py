"""Text clean-up pass.

Guarantees after :func:`tidy_blocks`:
- every Text is NFC-normalised; runs of spaces, tabs and soft breaks are one
  space (no-break spaces, which French typography needs, are kept);
- in languages whose data sets ``[text] compact`` (Chinese), no space is
  left between a character of that script and another such character, a
  Latin letter, a digit or CJK punctuation ("1923 年" -> "1923年",
  "第 70/1 号决议" -> "第70/1号决议"); spaces between two Latin words stay;
- blocks have no leading or trailing whitespace;
- no bidirectional control (LRM, RLM, ALM, embeddings, overrides, isolates) is
  left: extraction scatters them around numbers and labels, and the tree's
  direction is the language's; nor any other control character (C0 but tab and
  line ends, DEL, C1) or noncharacter U+FFFE/U+FFFF: no output format can hold
  them; Arabic presentation forms (the glyph shapes some extractors give: "ﻫ")
  are the letters they show ("ه");
- a bold or italic run that holds no letter (a number, a dash, a comma, a
  bracket: "**7 -**", "**(**") is plain text: emphasis marks words, and such a
  run would hide a paragraph's number or lead;
- a block that opens with a number whose closing punctuation was set inside
  the bold or italic lead after it ("9 ***- Calls***") has that punctuation
  back after the number ("9 - ***Calls***").
Nothing else in the text changes.  A note block (``"note"``) is tidied as the
notes inside the tree are: an item label cannot open it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..ast import Emphasis, FootnoteRef, Inline, LineBreak, Link, Para, Strong, Subscript, \
    Superscript, Text, DocRef, plain_text
from ..ast import merge_texts
from .blocks import RawBlock

_SPACES = re.compile(r"[ \t\r\n\u2028\u2029]+")
#: Han ideographs, CJK punctuation and full-width forms
CJK = r"\u2e80-\u2fff\u3000-\u303f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TIGHT_AFTER_CJK = re.compile(rf"(?<=[{CJK}])[ \u00a0]+(?=[{CJK}A-Za-z0-9(\[“‘\"'])")
_TIGHT_BEFORE_CJK = re.compile(rf"(?<=[{CJK}A-Za-z0-9)\]”’\"'.,;:%])[ \u00a0]+(?=[{CJK}])")


#: bidirectional controls: LRM, RLM, ALM, embeddings and overrides, isolates; and the
#: other control characters (C0 but tab and line ends, DEL, C1) and two noncharacters
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
                   "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Arabic presentation forms A and B (not U+FEFF, the byte order mark)
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def strip_controls(value):
    """``value`` (a string, or lists and mappings of them, as a front matter holds) without
    the control characters no output can hold (see the module docstring), nor half a
    surrogate pair (YAML's "\\ud800" escape makes one)."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, list):
        return [strip_controls(v) for v in value]
    if isinstance(value, dict):
        return {strip_controls(k): strip_controls(v) for k, v in value.items()}
    return value


def collapse(text: str) -> str:
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)),
                             _BIDI.sub("", text))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text))


def _has_letter(inlines: tuple[Inline, ...]) -> bool:
    return any(map(str.isalpha, plain_text(inlines)))


def unmark_letterless(inlines: tuple[Inline, ...], keep: tuple[type, ...] = ()
                      ) -> tuple[Inline, ...]:
    """Bold and italic runs that hold no letter replaced by their contents, at any depth;
    runs of the types in ``keep`` stay (the bold of a total's figures in a table)."""
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, (Emphasis, Strong)):
            kids = unmark_letterless(n.children, keep)
            if _has_letter(kids) or isinstance(n, keep):
                out.append(replace(n, children=kids))
            else:
                out.extend(kids)
        elif isinstance(n, (Superscript, Subscript, Link, DocRef)):
            out.append(replace(n, children=unmark_letterless(n.children, keep)))
        else:
            out.append(n)
    return tuple(out)


#: a number that opens a block, and the punctuation that closes a number
_OPEN_NUMBER = re.compile(r"\s*\d{1,3}\s*")
_NUMBER_END = re.compile(r"\s*([-\u2013.])\s+")


def number_out_of_lead(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """"9 ***- Calls***" -> "9 - ***Calls***" (see module docstring)."""
    if len(inlines) < 2 or not isinstance(inlines[0], Text) or \
            not _OPEN_NUMBER.fullmatch(inlines[0].text):
        return inlines
    mark = inlines[1]
    path = []
    while isinstance(mark, (Emphasis, Strong)) and mark.children:
        path.append(mark)
        mark = mark.children[0]
    if not path or not isinstance(mark, Text) or not (m := _NUMBER_END.match(mark.text)):
        return inlines
    rest: Inline = Text(mark.text[m.end():])
    for node in reversed(path):
        rest = replace(node, children=(rest,) + node.children[1:])
    return (Text(inlines[0].text.rstrip() + " " + m.group(1) + " "), rest) + inlines[2:]


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
    out = merge_text(unmark_letterless(map_text(inlines, collapse)))
    if labelled:
        out = number_out_of_lead(out)
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
