"""Body pass: the blocks after the title line -> preamble, operative part,
closing and annexes.

Guarantees of :func:`split_body`:
- the enacting formula, when the first block is one, is ``Preamble.formula``;
- preambular paragraphs are the unnumbered paragraphs before the first
  operative paragraph or section; each is a :class:`Recital` with its lead
  phrase apart (marked, else from the lexicon); the labelled lines under a
  recital that introduces them ("... contribution to:" / "(a) ...") are lines
  of that recital, label first, after a line break, never recitals of their own;
- an operative paragraph starts at each numbered block ("1.", "1 -"); a
  number alone in its block takes the next block's text;
  labelled blocks after it are its items, nested by label (:mod:`.items`);
  a numbered list under a paragraph that ends with a colon (an agenda, 1. to
  7.) is that paragraph's items, not operative paragraphs;
  unlabelled text after its items is its ``tail``, unless the list resumes
  after it with the next label ("(b)" after "(a)"), in which case those lines
  belong to the item before them: unlabelled sub-items where the source
  bullets them, else its text after its own; an unnumbered block that
  opens with an operative lead phrase where the next number is missing is that
  paragraph, its number restored with a warning;
- a heading in the body opens a :class:`Section`, unless it opens with a
  preambular lead phrase, in which case it is a recital of that section, or
  the operative part opened with an unnumbered paragraph that adopts a text
  ("Adopts the following declaration:"), in which case it is a
  :class:`Heading` of that text in its place;
- when no paragraph is numbered, the paragraphs after the recitals that do
  not end like a preambular paragraph form the (unnumbered) operative part;
- the closing (meeting and date lines, in either order, hard-broken or run
  together on one line) is taken from the end of the text before the annexes;
- an annex starts at a block the language calls an annex heading, or, where
  no such heading comes, right after a closing (meeting and date) that more
  blocks follow (an annex whose label is not printed); an annex heading that
  follows a whole closing starts the annex even before any numbered paragraph
  (a resolution whose only paragraph, unnumbered, adopts the text of its annex:
  the text's own "1." are the annex's); its title is the heading that follows;
  everything after it is the annex's blocks;
- no block is dropped: a block that fits nowhere is kept as a paragraph's
  ``extra`` or a top-level Para and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..ast import (Annex, Body, Closing, Emphasis, FootnoteRef, Heading, Inline, LineBreak, Para,
                   Paragraph, Preamble, Recital, Section, Span, Strong, Table, Text, merge_texts,
                   plain_text)
from ..errors import Diagnostic
from .blocks import RawBlock, split_lines
from .fields import split_fields
from .items import FlatItem, attach_item_paras, nest_items, take_label
from .leads import marked_lead, split_lead
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
    tail_bullets: list = field(default_factory=list)   # per tail block: a bulleted line
    list_number: int = 0              # the last number of a numbered list in the paragraph
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


#: punctuation that ends a paragraph or an item, never a heading
_FINAL = ".,;:!?،؛。，；：！？"
#: the longest line read as a heading by its shape alone (as the scoring of the UN's
#: own markup reads headings typed as paragraphs)
_HEADING_CHARS = 150


def _whole_bold(inlines: tuple[Inline, ...], L=None) -> bool:
    """Every letter is bold (in bold runs that only punctuation may part: "**XIII État
    d**’**avancement**"), and the first run is no bold-italic lead."""
    runs = [n for n in inlines if isinstance(n, Strong)]
    if not runs or (len(runs[0].children) == 1 and isinstance(runs[0].children[0], Emphasis)):
        return False
    if inlines and isinstance(inlines[0], Text) and L is not None and \
            (got := L.section_number(inlines[0].text.strip())) and not got[1]:
        inlines = inlines[1:]             # "I. **Introduction**": the number may be plain
    return not any(ch.isalpha() for n in inlines
                   if not isinstance(n, (Strong, FootnoteRef)) for ch in plain_text((n,)))


def _heading_shape(b: RawBlock, L) -> str:
    """How ``b`` looks like a heading when it is no markdown heading: "number" (a
    section number alone: "II", "ثانيا", "二"), "bold" (one bold run that does not end
    as a paragraph does), "short" (a short line that does not end so and opens with
    no lead phrase), else ""."""
    if b.kind != "para" or b.num or not b.inlines:
        return ""
    text = b.text.strip()
    if not text or take_label(b.inlines, L) is not None or _opnum(b, L):
        return ""
    got = L.section_number(text)
    if got and not got[1]:
        return "number"
    if text[-1] in _FINAL:
        return ""
    if _whole_bold(b.inlines, L):
        return "bold"
    if len(text) <= _HEADING_CHARS and not split_lead(b.inlines, L, "preambular")[0] and \
            not split_lead(b.inlines, L, "operative")[0]:
        return "short"
    return ""


def _heads_paragraphs(main: list[RawBlock], at: int, L) -> bool:
    """Whether the blocks from ``at`` on are headings (by their shape) followed by a
    numbered paragraph or a markdown heading: a section heading's place."""
    for b in main[at:at + 4]:
        if _opnum(b, L) or b.kind == "heading":
            return True
        if not _heading_shape(b, L):
            return False
    return False


def _is_heading_like(b: RawBlock, L, main: list[RawBlock], at: int, phase: str,
                     before: str) -> bool:
    """A section heading: a markdown heading; a section number alone; a bold line or
    a short line without final punctuation that stands between the last recital (or
    an operative paragraph that ended) and a numbered paragraph."""
    if b.kind == "heading":
        return True
    shape = _heading_shape(b, L)
    if shape == "number":
        return True
    if not shape:
        return False
    prev = main[at - 1] if at else None
    if phase == "operative" and before and before[-1] not in _FINAL and \
            not (prev is not None and (prev.kind == "heading" or _heading_shape(prev, L))):
        return False                      # lines of a list, not headings
    if shape == "bold":
        return True
    return _heads_paragraphs(main, at + 1, L)


#: the longest closing block: "181st plenary meeting" and a date, hard-broken or not
_CLOSING_CHARS = 120


def _annex_start(blocks: list[RawBlock], L, after: int) -> int:
    """Where the annexes start: the first annex heading from the first operative
    paragraph (``after``) on; an annex heading before it that follows a whole closing
    (meeting and date), as in a resolution whose only paragraph, unnumbered, adopts
    the text of its annex ("Adopts the Declaration ..., as contained in the annex",
    the meeting lines, "Annex", the declaration's own "1."); else, where no heading
    comes, right after a closing that more blocks follow."""
    for k in range(1, after):
        b = blocks[k]
        if b.kind in ("para", "heading") and L.annex_heading(b.text.strip()):
            closing, close_at = _closing(blocks[:k], L)
            if closing is not None and closing.meeting_number is not None and \
                    closing.date and close_at > 0:
                return k
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
    """The annexes from their first heading on.  Guarantees: an annex's label and title
    are its ``heading`` and ``title``; the reader's headings are Headings (the number
    as printed); items set as paragraphs of their own are the items of the numbered
    paragraph before them (``attach_item_paras``)."""
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
            num, inlines = _printed_heading(b.inlines, L)
            cur["blocks"].append(Heading(inlines, level=b.level, num=num, span=b.span))
        elif b.kind == "para":
            if b.num:
                cur["blocks"].append(Paragraph(b.num, (), b.inlines, span=b.span))
            else:
                cur["blocks"].append(Para(b.inlines, span=b.span))
    if cur:
        out.append(Annex(cur["heading"], cur["title"], tuple(cur["blocks"]), cur["span"]))
    return tuple(replace(a, blocks=tuple(attach_item_paras(list(a.blocks), L)[0]))
                 for a in out)


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
    rest = _join_lone_numbers(blocks[i:], L)
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

    adopting = False                   # the operative part opened "Adopts the following ...:"
    prev_text = ""
    expected = 1                       # the number the next operative paragraph should have
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
        if _is_heading_like(b, L, main, at, phase, before):
            if section is not None and not section.children and \
                    (b.kind != "heading" or not section.heading) and \
                    not (b.kind == "heading" and split_lead(b.inlines, L, "preambular")[0]):
                # a section's title under its number, or its title's next line
                inl = _unbold(b.inlines)
                if not section.heading:
                    num, inl = (section.num, inl) if section.num else _section_heading(inl, L)
                    section.num, section.heading = num, inl
                else:
                    section.heading = section.heading + (LineBreak(),) + inl
                continue
            lead, body = split_lead(b.inlines, L, "preambular")
            if b.kind != "heading":
                lead = ()                 # a bold heading's run is no lead
            if lead and (phase != "preamble" or section is not None):
                rec = Recital(lead, body, span=b.span)
                container().append(rec)
                para = None
                continue
            if lead and phase == "preamble" and section is None:
                recitals.append(Recital(lead, body, span=b.span))
                continue
            num, heading = _section_heading(_unbold(b.inlines), L)
            if adopting:
                num, heading = _printed_heading(_unbold(b.inlines), L)
                # a heading of the text the resolution adopts ("Adopts the following
                # declaration:"), not a part of the resolution: a heading in its place
                # level: the reader's, else as the readers set a numbered heading (2)
                top.append(Heading(heading, level=b.level or (2 if num else 1), num=num,
                                   span=b.span))
                para = None
                continue
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
        if not got and (got := _unstopped_number(b, expected, L)) is not None:
            diags.append(Diagnostic(f"operative number {got[0]!r} printed without its "
                                    f"punctuation", b.span, code="operative-number-stop"))
        if got and para is not None and (k := _list_number(got, para, expected, L)):
            # "1. Opening of the session" under "... the following agenda:": an item
            para.items.append(FlatItem(got[0], strip_edges(got[1]), b.span))
            para.list_number = k
            continue
        if got:
            num, inl = got
            lead, body = split_lead(inl, L, "operative")
            para = _Para(num, lead, body, b.span)
            container().append(para)
            phase = "operative"
            expected = _number_after(num, expected)
            continue
        lab = take_label(b.inlines, L) if para is not None else None
        if lab is not None and para is not None and para.tail and \
                _resumes(para.items, lab[0], L):
            # unlabelled lines between (a) and (b) ("Panel 1: ..."): bulleted, sub-items
            # of (a); else text of (a) after its own
            last = para.items[-1]
            for t, bullet in zip(para.tail, para.tail_bullets):
                if bullet and isinstance(t, Para):
                    para.items.append(FlatItem("", t.inlines, t.span))
                elif para.items[-1] is last:
                    last.tail = last.tail + (t,)
                else:
                    para.items[-1].tail = para.items[-1].tail + (t,)
            para.tail.clear()
            para.tail_bullets.clear()
        if lab is not None and para is not None and not para.tail:
            para.items.append(FlatItem(lab[0], strip_edges(lab[1]), b.span))
            continue
        if phase == "preamble" and recitals and section is None and \
                (line := _recital_line(recitals[-1], b, L)) is not None:
            # "(a) International peace and security," under "Convinced that ... to:"
            r = recitals[-1]
            recitals[-1] = Recital(r.lead, r.body + (LineBreak(),) + line, span=r.span)
            continue
        if phase == "preamble":
            lead, body = split_lead(b.inlines, L, "preambular")
            olead, obody = split_lead(b.inlines, L, "operative")
            if _opens_operative_part(olead, obody, L):
                # "Adopts the following Pact:" with no number, then numbered paragraphs
                para = _Para("", olead, obody, b.span)
                container().append(para)
                phase = "operative"
                adopting = True
                continue
            recitals.append(Recital(lead, body, span=b.span))
            continue
        if para is None:
            lead, body = split_lead(b.inlines, L, "preambular")
            olead, obody = split_lead(b.inlines, L, "operative")
            phrase = plain_text(lead).strip()
            if lead and not (phrase in L.leads("operative") and
                             phrase not in L.leads("preambular")) and \
                    (phrase in L.leads("preambular") or _ends_preambular(b.inlines, L)):
                container().append(Recital(lead, body, span=b.span))
            else:
                # text that opens a section or follows a heading ("We, Heads of State
                # ..." under the title of an adopted declaration): an unnumbered
                # paragraph, whose items and tail follow it
                para = _Para("", olead, obody, b.span)
                container().append(para)
                diags.append(Diagnostic("unnumbered paragraph in the operative part", b.span,
                                        code="operative-unnumbered"))
            continue
        if (num := _lost_number(para.num, before, b, main[at + 1:], L)) is not None:
            lead, body = split_lead(b.inlines, L, "operative")
            para = _Para(num, lead, body, b.span)
            container().append(para)
            expected = _number_after(num, expected)
            diags.append(Diagnostic(f"operative paragraph without its number; read as {num!r}",
                                    b.span, code="operative-number-lost"))
            continue
        if para.items:
            para.tail.append(Para(b.inlines, span=b.span))
            para.tail_bullets.append(b.depth > 0)
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


def _join_lone_numbers(blocks: list[RawBlock], L) -> list[RawBlock]:
    """An operative number alone in its block ("1." as an empty list item, "12 -")
    joined to the text of the next block, when that is an unnumbered, unlabelled
    paragraph: that paragraph is the number's."""
    out: list[RawBlock] = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        alone = b.kind == "para" and not any(ch.isalpha() for ch in b.text) and \
            (b.num if b.num and not b.text.strip() else
             L.num_text(n) if not b.num and (n := L.bare_number(b.text)) is not None else "")
        if alone and nxt is not None and nxt.kind == "para" and not nxt.num and \
                nxt.text.strip() and not _opnum(nxt, L) and take_label(nxt.inlines, L) is None:
            out.append(RawBlock("para", nxt.inlines, b.span, num=alone, depth=b.depth))
            k += 2
            continue
        out.append(b)
        k += 1
    return out


#: quotation marks that open a quoted text
_QUOTES = "\"“„«‘'「『”"


def _recital_line(r: Recital, b: RawBlock, L) -> tuple[Inline, ...] | None:
    """The inlines of ``b`` as a line of recital ``r``'s list, else None: a labelled
    block after a recital that introduces a list (ends with a colon or a comma) with
    the first label of a sequence ("(a)", "a)", "(أ)"), or after such a line with any
    label; or, after a labelled line, an unlabelled block with no lead phrase that
    the source bullets or that opens in lower case ("and to the commitments ...", the
    list's last words); or a quoted text with no lead phrase after a recital that
    ends with a colon (the question after "... on the following question:")."""
    if b.kind != "para" or b.num or _opnum(b, L):
        return None
    listed = any(isinstance(n, LineBreak) for n in r.body)
    lab = take_label(b.inlines, L)
    if lab is not None:
        if not listed:
            text = plain_text(r.body).rstrip()
            if not text.endswith((":", "：", ",", "，", "،")) or \
                    not any(ix == 0 for _lv, ix in L.label_candidates(lab[0])):
                return None
        return (Text(lab[0] + " "),) + strip_edges(lab[1])
    if marked_lead(b.inlines) is not None or split_lead(b.inlines, L, "preambular")[0]:
        return None
    first = plain_text(b.inlines).lstrip()[:1]
    if not listed:
        # the quoted question after "... on the following question:"
        intro = plain_text(r.body).rstrip().endswith((":", "："))
        return b.inlines if intro and first in _QUOTES else None
    return b.inlines if b.depth > 0 or first.islower() else None


def _list_number(got: tuple[str, tuple[Inline, ...]], para: _Para, expected: int, L) -> int:
    """The number of a numbered block that is an item of ``para``'s numbered list
    ("1." to "7." of an agenda under "... the following agenda:"), else 0: the list
    starts at 1 under a paragraph that ends with a colon and has no items yet, where 1
    is not the next paragraph's number; it goes on while each number follows the one
    before, except where that number is also the next paragraph's and a lead phrase
    follows it ("3. *Decides* ...")."""
    m = re.fullmatch(r"\D*(\d+)\D*", got[0].strip())
    if not m:
        return 0
    k = int(m.group(1))
    if para.list_number:
        if k == expected and (marked_lead(got[1]) is not None or
                              split_lead(got[1], L, "operative")[0]):
            return 0
        return k if k == para.list_number + 1 else 0
    ends = plain_text(para.body or para.lead).rstrip().endswith((":", "："))
    return 1 if k == 1 and expected != 1 and ends and not para.items and not para.tail else 0


def _number_after(num: str, expected: int) -> int:
    """The number that follows paragraph ``num`` ("7." -> 8)."""
    m = re.search(r"\d+", num)
    return int(m.group(0)) + 1 if m else expected


def _unstopped_number(b: RawBlock, expected: int, L) -> tuple[str, tuple[Inline, ...]] | None:
    """(number as the language prints it, the rest) for a block that opens with the
    next expected operative number printed bare ("5 *Decides*" after paragraph 4)
    and then a lead phrase (marked, or an operative one of the lexicon that is no
    preambular one); else None."""
    if b.kind != "para" or b.num or not b.inlines or not isinstance(b.inlines[0], Text):
        return None
    got = L.any_operative_number(b.inlines[0].text)
    if not got or int(got[0]) != expected or got[1] != got[0]:
        return None
    rest = ((Text(got[2]),) if got[2] else ()) + b.inlines[1:]
    rest = strip_edges(rest)
    if marked_lead(rest) is None:
        phrase = plain_text(split_lead(rest, L, "operative")[0]).strip()
        if not phrase or phrase in L.leads("preambular"):
            return None
    return L.num_text(expected), rest


def _unbold(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A heading's inlines without the bold run that made it one."""
    if _whole_bold(inlines):
        out: list[Inline] = []
        for n in inlines:
            out.extend(n.children if isinstance(n, Strong) else (n,))
        return strip_edges(merge_texts(out))
    return inlines


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


def _resumes(items: list[FlatItem], label: str, L) -> bool:
    """Whether ``label`` is the next label after one of the labelled ``items`` ("(b)"
    after "(a)"): the list goes on after lines of its own that had no label."""
    new = L.label_candidates(label)
    return any((lv, ix + 1) in new for it in items if it.label
               for lv, ix in L.label_candidates(it.label))


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
        if got and not got[1]:                            # "I. **Introduction**"
            return got[0], strip_edges(tuple(inlines[1:]))
    return "", inlines


def _printed_heading(inlines: tuple[Inline, ...], L) -> tuple[str, tuple[Inline, ...]]:
    """As :func:`_section_heading`, the number as printed: a heading of a text (an
    annex's, an adopted text's) keeps the full stop after its number ("I." ->
    "I."), which a part of the resolution ("I" over its title) has not."""
    num, rest = _section_heading(inlines, L)
    if num and isinstance(inlines[0], Text) and \
            inlines[0].text.lstrip()[len(num):].startswith("."):
        num += "."
    return num, rest
