"""Body pass: the blocks after the title line -> preamble, operative part,
closing and annexes.

Guarantees of :func:`split_body`:
- the enacting formula, when the first block is one, is ``Preamble.formula``;
- preambular paragraphs are the unnumbered paragraphs before the first
  operative paragraph or section; each is a :class:`Recital` with its lead
  phrase apart (marked, else from the lexicon);
- an operative paragraph starts at each numbered block ("1.", "1 -");
  labelled blocks after it are its items, nested by label (:mod:`.items`);
  unlabelled text after its items is its ``tail``; an unnumbered block that
  opens with an operative lead phrase where the next number is missing is that
  paragraph, its number restored with a warning;
- a heading in the body opens a :class:`Section`, unless it opens with a
  preambular lead phrase, in which case it is a recital of that section;
- when no paragraph is numbered, the paragraphs after the recitals that do
  not end like a preambular paragraph form the (unnumbered) operative part;
- the closing (meeting and date lines, in either order, hard-broken or run
  together on one line) is taken from the end of the text before the annexes;
- an annex starts at a block the language calls an annex heading, or, where
  no such heading comes, right after a closing (meeting and date) that more
  blocks follow (an annex whose label is not printed); its title is the
  heading that follows; everything after it is the annex's blocks;
- no block is dropped: a block that fits nowhere is kept as a paragraph's
  ``extra`` or a top-level Para and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ast import (Annex, Body, Closing, Heading, Inline, LineBreak, Para, Paragraph, Preamble,
                   Recital, Section, Span, Table, Text, plain_text)
from ..errors import Diagnostic
from .blocks import RawBlock, split_lines
from .fields import split_fields
from .items import FlatItem, nest_items, take_label
from .leads import split_lead
from .text import strip_edges


def _opnum(b: RawBlock, L) -> tuple[str, tuple[Inline, ...]] | None:
    """(number as printed, the rest) for an operative paragraph block."""
    if b.kind != "para":
        return None
    if b.num:
        return b.num, b.inlines
    if b.inlines and isinstance(b.inlines[0], Text):
        got = L.operative_number(b.inlines[0].text)
        if got:
            num, rest = got
            return num, ((Text(rest),) if rest else ()) + b.inlines[1:]
    return None


@dataclass
class _Para:
    num: str
    lead: tuple[Inline, ...]
    body: tuple[Inline, ...]
    span: Span
    items: list[FlatItem] = field(default_factory=list)
    tail: list = field(default_factory=list)
    extra: list = field(default_factory=list)


@dataclass
class _Section:
    num: str
    heading: tuple[Inline, ...]
    span: Span
    children: list = field(default_factory=list)


def _closing(blocks: list[RawBlock], L) -> tuple[Closing | None, int]:
    """The closing at the end of ``blocks`` and the index where it starts."""
    meeting = date = None
    meeting_text = date_text = ""
    start = len(blocks)
    span = None
    k = len(blocks) - 1
    while k >= 0 and k >= len(blocks) - 3:
        b = blocks[k]
        if b.kind not in ("para", "heading"):
            break
        lines = split_lines(b)
        found = False
        for line in lines:
            t = line.text.strip()
            m = L.parse_meeting(t) if meeting is None else None
            if m:
                meeting, meeting_text = m[0], t
                found = True
                continue
            d = L.parse_date(t) if date is None else None
            if d:
                date, date_text = d, t
                found = True
                continue
            pieces = split_fields(t, (("meeting", L.parse_meeting), ("date", L.parse_date))) \
                if meeting is None and date is None else None
            if pieces and sorted(p[0] for p in pieces) == ["date", "meeting"]:
                # "18th plenary meeting 14 October 2025": both on one line
                for name, piece, value in pieces:
                    if name == "meeting":
                        meeting, meeting_text = value[0], piece
                    else:
                        date, date_text = value, piece
                found = True
                continue
            found = False
            break
        if not found:
            break
        start, span = k, b.span
        if meeting is not None and date is not None:
            break
        k -= 1
    if meeting is None and date is None:
        return None, len(blocks)
    return Closing(meeting=meeting_text, meeting_number=meeting, date=date or "",
                   date_text=date_text, span=span), start


def _is_heading_like(b: RawBlock) -> bool:
    return b.kind == "heading"


#: the longest closing block: "181st plenary meeting" and a date, hard-broken or not
_CLOSING_CHARS = 120


def _annex_start(blocks: list[RawBlock], L, after: int) -> int:
    for k in range(after, len(blocks)):
        b = blocks[k]
        if b.kind in ("para", "heading") and L.annex_heading(b.text.strip()):
            return k
    for k in range(after + 1, len(blocks)):     # nothing of a resolution follows its closing
        if len(blocks[k - 1].text) > _CLOSING_CHARS:  # not a meeting or a date line
            continue
        closing, _ = _closing(blocks[:k], L)
        if closing is not None and closing.meeting_number is not None and closing.date:
            return k
    return len(blocks)


def _annexes(blocks: list[RawBlock], L) -> tuple[Annex, ...]:
    out: list[Annex] = []
    cur: dict | None = None
    for b in blocks:
        if b.kind in ("para", "heading") and L.annex_heading(b.text.strip()):
            if cur:
                out.append(Annex(cur["heading"], cur["title"], tuple(cur["blocks"]), cur["span"]))
            cur = {"heading": b.inlines, "title": (), "blocks": [], "span": b.span}
            continue
        if cur is None:                          # an annex with no label printed
            cur = {"heading": (), "title": (), "blocks": [], "span": b.span}
        if not cur["title"] and not cur["blocks"] and b.kind == "heading":
            cur["title"] = b.inlines
            continue
        if b.kind == "table" and b.table is not None:
            cur["blocks"].append(Table(b.table.rows, b.table.caption, span=b.span))
        elif b.kind == "heading":
            num, inlines = _section_heading(b.inlines, L)
            cur["blocks"].append(Heading(inlines, level=b.level, num=num, span=b.span))
        elif b.kind == "para":
            if b.num:
                cur["blocks"].append(Paragraph(b.num, (), b.inlines, span=b.span))
            else:
                cur["blocks"].append(Para(b.inlines, span=b.span))
    if cur:
        out.append(Annex(cur["heading"], cur["title"], tuple(cur["blocks"]), cur["span"]))
    return tuple(out)


def _ends_preambular(inlines: tuple[Inline, ...], L) -> bool:
    text = plain_text(inlines).rstrip()
    end = L.punctuation.get("preamble_end", ",")
    return text.endswith(end) or text.endswith(",")


def split_body(blocks: list[RawBlock], L) -> tuple[Body, list[Diagnostic]]:
    """The body pass (see module docstring)."""
    diags: list[Diagnostic] = []
    blocks = [b for b in blocks if b.kind != "rule"]
    formula: tuple[Inline, ...] = ()
    formula_span: Span | None = None
    i = 0
    while i < len(blocks) and not blocks[i].text.strip() and blocks[i].kind != "table":
        i += 1
    if i < len(blocks) and blocks[i].kind in ("para", "heading") and L.is_formula(blocks[i].text):
        formula = _plain_formula(blocks[i].inlines)
        formula_span = blocks[i].span
        i += 1
    rest = blocks[i:]
    first_op = next((k for k, b in enumerate(rest) if _opnum(b, L)), 0)
    annex_at = _annex_start(rest, L, first_op)
    closing, close_at = _closing(rest[:annex_at], L)
    annexes = _annexes(rest[annex_at:], L)
    main = rest[:close_at]

    recitals: list[Recital] = []
    top: list = []                     # operative nodes (_Para, _Section, Recital, Para, Table)
    section: _Section | None = None
    para: _Para | None = None
    phase = "preamble"

    def container() -> list:
        return section.children if section is not None else top

    prev_text = ""
    for at, b in enumerate(main):
        before, prev_text = prev_text, b.text.rstrip()
        if b.kind == "table":
            table = Table(b.table.rows, b.table.caption, span=b.span) if b.table else None
            if table is None:
                continue
            if para is not None:
                para.extra.append(table)
            else:
                container().append(table)
            continue
        if _is_heading_like(b):
            lead, body = split_lead(b.inlines, L, "preambular")
            if lead and (phase != "preamble" or section is not None):
                rec = Recital(lead, body, span=b.span)
                container().append(rec)
                para = None
                continue
            if lead and phase == "preamble" and section is None:
                recitals.append(Recital(lead, body, span=b.span))
                continue
            num, heading = _section_heading(b.inlines, L)
            section = _Section(num, heading, b.span)
            top.append(section)
            para = None
            phase = "operative"
            continue
        got = _opnum(b, L)
        if not got and not top and b.kind == "para" and b.inlines and \
                isinstance(b.inlines[0], Text) and \
                (restored := L.misread_number(b.inlines[0].text)) is not None:
            # "l. Decides" / "I. Decides": the first operative number, misread
            fixed = b.with_inlines((Text(restored),) + b.inlines[1:])
            got = _opnum(fixed, L)
            if got and (split_lead(got[1], L, "operative")[0]):
                diags.append(Diagnostic(f"operative number {b.inlines[0].text[:2]!r} read as "
                                        f"\"1.\"", b.span, code="lookalike-number"))
            else:
                got = None
        if got:
            num, inl = got
            lead, body = split_lead(inl, L, "operative")
            para = _Para(num, lead, body, b.span)
            container().append(para)
            phase = "operative"
            continue
        lab = take_label(b.inlines, L) if (para is not None and not para.tail) else None
        if lab is not None and para is not None:
            para.items.append(FlatItem(lab[0], strip_edges(lab[1]), b.span))
            continue
        if phase == "preamble":
            lead, body = split_lead(b.inlines, L, "preambular")
            olead, obody = split_lead(b.inlines, L, "operative")
            if _opens_operative_part(olead, obody, L):
                # "Adopts the following Pact:" with no number, then numbered paragraphs
                para = _Para("", olead, obody, b.span)
                container().append(para)
                phase = "operative"
                continue
            recitals.append(Recital(lead, body, span=b.span))
            continue
        if para is None:
            lead, body = split_lead(b.inlines, L, "preambular")
            if lead or section is not None:
                container().append(Recital(lead, body, span=b.span))
            else:
                container().append(Para(b.inlines, span=b.span))
                diags.append(Diagnostic("unnumbered text in the operative part", b.span,
                                        code="operative-unnumbered"))
            continue
        if (num := _lost_number(para.num, before, b, main[at + 1:], L)) is not None:
            lead, body = split_lead(b.inlines, L, "operative")
            para = _Para(num, lead, body, b.span)
            container().append(para)
            diags.append(Diagnostic(f"operative paragraph without its number; read as {num!r}",
                                    b.span, code="operative-number-lost"))
            continue
        if para.items:
            para.tail.append(Para(b.inlines, span=b.span))
        else:
            para.extra.append(Para(b.inlines, span=b.span))

    # no numbered paragraph at all: the trailing recitals that do not end like
    # preambular paragraphs are the operative part
    if not top and recitals:
        k = len(recitals)
        while k > 0 and not _ends_preambular(recitals[k - 1].body or recitals[k - 1].lead, L):
            k -= 1
        if k == len(recitals):
            k = len(recitals) - 1
        for r in recitals[k:]:
            inl = r.lead + r.body
            lead, body = split_lead(inl, L, "operative") if not r.lead else (r.lead, r.body)
            top.append(_Para("", lead, body, r.span or Span()))
        recitals = recitals[:k]

    operative = []
    for node in top:
        operative.append(_finish(node, L, diags))
    span = formula_span or (recitals[0].span if recitals else None)
    return Body(Preamble(formula, tuple(recitals), span=span), tuple(operative), closing,
                annexes), diags


def _lost_number(num: str, before: str, b: RawBlock, after: list[RawBlock], L) -> str | None:
    """The number of an operative paragraph whose number the source lost, else None.

    ``b`` follows paragraph ``num`` ("1."), which ended as an operative paragraph ends;
    it opens with an operative lead phrase that is not a preambular one ("Expresses"),
    and the next numbered paragraph, if any, is not ``num`` + 1 (so the number is
    missing here, not text after a list): ``b`` is paragraph ``num`` + 1 ("2.").
    """
    m = re.fullmatch(r"(\D*)(\d+)(\D*)", num.strip())
    if not m or b.kind != "para" or b.num:
        return None
    ends = tuple(L.punctuation.get(k, d) for k, d in (("operative_end", ";"), ("last_end", ".")))
    if not before.endswith(ends):
        return None
    lead, _ = split_lead(b.inlines, L, "operative")
    phrase = plain_text(lead).strip()
    if not phrase or phrase not in L.leads("operative") or phrase in L.leads("preambular"):
        return None
    n = int(m.group(2)) + 1
    nxt = next((got for c in after if (got := _opnum(c, L))), None)
    if nxt is not None:
        k = re.search(r"\d+", nxt[0])
        if k and int(k.group(0)) == n:
            return None
    return f"{m.group(1)}{n}{m.group(3)}"


def _opens_operative_part(lead: tuple[Inline, ...], body: tuple[Inline, ...], L) -> bool:
    """An unnumbered paragraph that opens the operative part: its lead phrase is an
    operative one and no preambular one ("Adopts", not "Recalling"), and it ends
    introducing what follows (a colon)."""
    phrase = plain_text(lead).strip()
    if not phrase:
        return False
    text = plain_text(body).rstrip()
    if not text.endswith((":", "：")):
        return False
    return phrase in L.leads("operative") and phrase not in L.leads("preambular")


def _finish(node, L, diags):
    if isinstance(node, _Para):
        items, d = nest_items(node.items, L)
        diags.extend(d)
        return Paragraph(node.num, node.lead, node.body, items, tuple(node.tail),
                         tuple(node.extra), span=node.span)
    if isinstance(node, _Section):
        return Section(node.num, node.heading, tuple(_finish(c, L, diags) for c in node.children),
                       span=node.span)
    return node


def _plain_formula(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The formula as text, marks dropped (writers set it as the UN does)."""
    return (Text(plain_text(inlines).strip()),)


def _section_heading(inlines: tuple[Inline, ...], L) -> tuple[str, tuple[Inline, ...]]:
    """("I", heading) for "I. Heading" / "A. Heading"; ("", inlines) otherwise."""
    if inlines and isinstance(inlines[0], Text):
        got = L.section_number(inlines[0].text)
        if got and got[1]:
            return got[0], (Text(got[1]),) + inlines[1:]
        if got and len(inlines) == 1:
            return got[0], ()
        if got and isinstance(inlines[1], LineBreak):      # "I" on a line of its own
            return got[0], tuple(inlines[2:])
    return "", inlines
