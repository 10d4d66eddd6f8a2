"""Word writer: the canonical tree as a DOCX that behaves like one the UN issued.

:func:`write` writes the parts of the package directly with lxml, into the
template kept unzipped in ``styles/docx/`` (:class:`pipeline.writers.docx_package.Package`:
parts, relationships, content types, reproducible zip): the document body, the
footnotes part, the header and footer parts with fields, per-script run
properties, the core properties.

Guarantees:

- paragraphs use the UN's Word styles (``SingleTxt``, ``H1``, ``HCh``, ``H23``,
  ``H4``, ``H56``, ``Session``, ``AgendaItemNormal``, ``TitleHCH``, ``TitleH1``,
  ``FootnoteText``, ``Header``, ``Footer``), numbers and labels typed as the UN
  types them: ``TAB num TAB text`` against the style's tab stops, hanging
  indents for deeper item levels;
- the first page has its own header holding the masthead (United Nations, the
  symbol, the organ, the distribution and issue date); even and odd pages carry
  running heads with the symbol (a ``SUBJECT`` field: the symbol is the
  document's subject) and footers with ``PAGE``/``NUMPAGES`` fields ("n/N");
- footnotes are real Word footnotes: a footnotes part with separator and
  continuation separator, one ``w:footnote`` per call, the call a
  ``w:footnoteReference`` run in the ``FootnoteReference`` style at its place
  in the text (numbered by Word when the tree's markers are 1..n in order,
  custom marks otherwise);
- fonts and direction follow the language (``styles/docx/languages.toml``):
  Times New Roman; SimSun in the East Asian slot with ``w:lang w:eastAsia``
  and each Chinese run naming it; Simplified Arabic in the complex-script
  slot, ``w:bidi`` on every paragraph, ``w:rtl`` on Arabic runs (Latin runs
  such as symbols stay left-to-right in Times), ``w:bCs``/``w:iCs`` beside every
  ``w:b``/``w:i``, ``w:lang w:bidi``;
- property children are in ECMA-376 order (:func:`docx_package.ordered`);
- document properties: title, subject (the symbol), language; dates from
  :meth:`pipeline.options.WriteOptions.build_time` (``SOURCE_DATE_EPOCH`` or the adoption
  date), nothing naming the library that made the file;
- links follow the writers' one policy (:func:`pipeline.writers.view.link_target`):
  http, https and mailto kept, any other written as its text, with a warning;
- deterministic: the same tree gives the same bytes (fixed zip times and
  order, no clock, relationship ids in document order);
- nothing is fetched; a node that cannot be rendered as such is rendered as
  text and reported (a :class:`~pipeline.errors.Diagnostic` in ``warnings``).

Masthead values missing from the tree are generated from the language data as
every writer generates them (:class:`pipeline.writers.view.View`) or left out; the
distribution of a resolution defaults to "General" (every A/RES and E/RES is
issued so).  The UN emblem, barcode and QR
code of the first page are not drawn (no artwork is shipped).

Supported nodes (tree -> WordprocessingML)::

  [X] Meta                masthead: first-page header table + Session, AgendaItemNormal,
                          TitleHCH (adoption), H4 (committee line), TitleH1 (number, title)
  [X] Preamble            SingleTxt: TAB formula (lead style) punctuation
  [X] Recital             SingleTxt: TAB lead body
  [X] Paragraph           SingleTxt: TAB num TAB lead body; tail, extra after it; in an
                          annex or a text adopted in the operative part: num TAB lead body
  [X] Item (nested)       SingleTxt: TAB label TAB body; level >= 2 hanging at 1742, 2218 ...
  [X] Section             H1 centred: number, heading; then its children
  [X] Heading             H1 / H23 / H4 / H56 by level: TAB num TAB text
  [X] Para                its style when the template has it, else SingleTxt
  [X] Table / Row / Cell  w:tbl (TableGrid), gridSpan, vMerge, header cells bold
  [X] Closing             SingleTxt right-aligned, italic where the script has italics
  [X] Annex               runs on: label and title H23 (TAB TAB text), blocks
  [X] Component           HCh centred letter, TitleH1 title, its text
  [X] Text Emphasis Strong Superscript Subscript LineBreak
  [X] FootnoteRef         w:footnoteReference + footnotes part
  [X] DocRef / Link       w:hyperlink (undocs.org for a DocRef), Hyperlink style
  [-] FootnoteRef inside a note: its marker as superscript text, warned
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from lxml import etree

from ..ast import (Annex, Block, Body, Cell, Closing, DocRef, Emphasis, FootnoteRef, Heading,
                   Inline, Item, LineBreak, Link, Meta, Para, Paragraph, Recital, Resolution,
                   Section, Span, Strong, Subscript, Superscript, Table, Text, iter_footnotes,
                   plain_text)
from ..errors import Diagnostic
from ..options import DEFAULT_WRITE, WriteOptions
from . import Written, codes
from .docx_package import (CT_FOOTER, CT_FOOTNOTES, CT_HEADER, R_NS, RT_FOOTER, RT_FOOTNOTES,
                           RT_HEADER, RT_HYPERLINK, W, W_NS, Package, header_footer_root,
                           ordered, styles_for, w)
from .view import (TableShape, View, adopted_text_start, block_text, formula_parts,
                   language_code, lead_gap, number, running_job_number, table_note_label,
                   table_shape, title_number)

#: styles of the template a Para may name (the UN's Word styles)
_KNOWN_STYLES = {"SingleTxt", "H1", "HCh", "H23", "H4", "H56", "Session", "AgendaItemNormal",
                 "TitleHCH", "TitleH1", "XLarge", "Publication"}
_HEADING_STYLE = {1: "H1", 2: "H23", 3: "H4"}

#: body column (twips): page 12240 - margins 2 x 1200; SingleTxt indents 1267 each side
_TEXT_WIDTH = 9840
_COLUMN = 1267
_STEP = 475
_TABLE_WIDTH = _TEXT_WIDTH - 2 * _COLUMN
#: the agenda item's title wraps at about half the page, as the UN's does (the PDF's
#: 280 pt): the right indent, in twips, from a text width of 9840
_AGENDA_TITLE_RIGHT = 4240
#: a column of figures in a table of figures (the UN's are 1128 to 1447 twips), at least
_FIGURE_COLUMN = 1206
#: a figure cell's paragraph indents (twips): 7.2 pt on the label's side, 2 pt on the
#: side the figures are aligned to (the UN's 144 and 40)
_FIGURE_IND = (144, 40)
#: a total's label is indented 14.4 pt (the UN's tab to 288 twips, runover lines too)
_TOTAL_IND = 288
#: the label column of a table of figures keeps at least this (twips); when the figure
#: columns leave it less, the table runs on into the right margin (one of the UN's tables
#: is 8611 twips wide, 1305 more than the body column)
_LABEL_MIN = 3600
#: widths (twips) of the characters of a figure at 8.5 pt in Times New Roman: digits
#: half an em, spaces a quarter, brackets and dashes a third; bold adds a twentieth
_FIGURE_CHAR = {" ": 43, "\u00a0": 43, "\u202f": 30, "(": 57, ")": 57, "[": 57, "]": 57,
                ",": 43, ".": 43, "-": 57, "\u2013": 85, "\u2014": 170, "\u2212": 97}
#: the end rule is 72 pt (1440 twips) long, centred: indented (9840 - 1440) / 2
_END_RULE_INDENT = (_TEXT_WIDTH - 1440) // 2

_LTR = re.compile(r"[A-Za-z0-9][A-Za-z0-9./\-]*")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_DOCUMENT = "word/document.xml"
_FOOTNOTES = "word/footnotes.xml"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


# ---------------------------------------------------------------- run formatting

@dataclass(frozen=True)
class Fmt:
    """Character formatting of a run being written."""

    bold: bool = False
    italic: bool = False
    vert: str = ""            # superscript | subscript
    style: str = ""           # character style id
    size: int = 0             # half-points, 0 = inherit
    size_cs: int = 0          # half-points of the complex-script slot, 0 = ``size``
    east_asia_font: str = ""  # masthead face for CJK


@dataclass
class _Note:
    id: int
    blocks: tuple
    mark: str | None          # custom mark, None when Word numbers it
    span: Span | None


@dataclass
class _State:
    """One write: the language (the writers' view), the package, notes and warnings."""

    view: View
    S: dict
    pkg: Package
    diag: list | None
    notes: list[_Note] = field(default_factory=list)
    auto_notes: bool = True
    seen: set = field(default_factory=set)
    #: the part being written (images are related from it); pictures written so far
    part: str = "word/document.xml"
    pictures: int = 0

    @property
    def L(self) -> Any:
        return self.view.L

    @property
    def code(self) -> str:
        return self.view.code

    @property
    def rtl(self) -> bool:
        return bool(self.S.get("rtl"))

    def warn(self, message: str, span: Span | None = None, code: str = "docx-node") -> None:
        d = Diagnostic(message, span or Span(), "warning", code)
        if self.diag is not None and d not in self.seen:
            self.seen.add(d)
            self.diag.append(d)


def _clean(s: str) -> str:
    return _XML_ILLEGAL.sub("", s)


def _rpr(st: _State, fmt: Fmt, rtl: bool, native: bool) -> etree._Element | None:
    kids: list[etree._Element] = []
    if fmt.style:
        kids.append(w("rStyle", {"val": fmt.style}))
    if native:
        font = fmt.east_asia_font or st.S["fonts"]["eastAsia"]
        kids.append(w("rFonts", {"ascii": st.S["fonts"]["ascii"], "eastAsia": font,
                                 "hAnsi": st.S["fonts"]["ascii"], "hint": "eastAsia"}))
    elif fmt.east_asia_font:
        kids.append(w("rFonts", {"eastAsia": fmt.east_asia_font}))
    if fmt.bold:
        kids += [w("b"), w("bCs")]
    if fmt.italic:
        kids += [w("i"), w("iCs")]
    if fmt.size:
        kids += [w("sz", {"val": fmt.size}), w("szCs", {"val": fmt.size_cs or fmt.size})]
    if fmt.vert:
        kids.append(w("vertAlign", {"val": fmt.vert}))
    if rtl:
        kids.append(w("rtl"))
    if native or rtl:
        tag = "eastAsia" if native else "bidi"
        kids.append(w("lang", {tag: st.S["lang"][tag]}))
    return ordered("rPr", kids) if kids else None


def _t(text: str) -> etree._Element:
    t = w("t", text=_clean(text))
    if text != text.strip() or "  " in text:
        t.set(_XML_SPACE, "preserve")
    return t


def _segments(st: _State, text: str) -> list[tuple[str, bool, bool]]:
    """(text, rtl, native) pieces of ``text``.

    Right-to-left text: Latin words and numbers (symbols such as A/80/L.23, years)
    are left-to-right runs in the Latin face; the rest is ``w:rtl`` where it holds
    a character of the script (or sits between such pieces).  Other scripts: one
    piece, native when it holds a character of the East Asian script.
    """
    native = st.S.get("native")
    if not st.rtl:
        return [(text, False, bool(native and re.search(native, text)))]
    script = re.compile(native) if native else None
    has_script = bool(script and script.search(text))
    out: list[tuple[str, bool, bool]] = []
    pos = 0
    for m in _LTR.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], has_script, False))
        out.append((m.group(0), False, False))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], has_script, False))
    return out


def _text_runs(st: _State, text: str, fmt: Fmt) -> list[etree._Element]:
    runs = []
    for piece, rtl, native in _segments(st, text):
        if not piece:
            continue
        r = w("r", None, _rpr(st, fmt, rtl, native))
        # a tab inside text stays a tab
        parts = piece.split("\t")
        for i, p in enumerate(parts):
            if i:
                r.append(w("tab"))
            if p:
                r.append(_t(p))
        runs.append(r)
    return runs


def _tab(st: _State, fmt: Fmt = Fmt()) -> etree._Element:
    return w("r", None, _rpr(st, fmt, st.rtl, False), w("tab"))


def _field(st: _State, instr: str, result: str, fmt: Fmt) -> list[etree._Element]:
    """A complex field: begin, instruction, separate, cached result, end."""
    def run(*kids):
        return w("r", None, _rpr(st, fmt, False, False), *kids)
    instr_el = w("instrText", text=f" {instr} ")
    instr_el.set(_XML_SPACE, "preserve")
    return [run(w("fldChar", {"fldCharType": "begin"})), run(instr_el),
            run(w("fldChar", {"fldCharType": "separate"})), run(_t(result)),
            run(w("fldChar", {"fldCharType": "end"}))]


# ---------------------------------------------------------------- inlines

def _hyperlink(st: _State, part: str, url: str, children: tuple, fmt: Fmt,
               in_note: bool) -> etree._Element:
    rid = st.pkg.relate(part, RT_HYPERLINK, url, external=True)
    link = w("hyperlink", {f"{{{R_NS}}}id": rid, "history": "1"})
    for r in _inlines(st, children, replace(fmt, style="Hyperlink"), part, in_note):
        link.append(r)
    return link


def _inlines(st: _State, inlines: Iterable[Inline], fmt: Fmt, part: str,
             in_note: bool = False) -> list[etree._Element]:
    """Runs (and hyperlinks) for ``inlines``; ``part`` (its name) owns the hyperlink
    relationships."""
    out: list[etree._Element] = []
    # the space after a note's call in Chinese stays, as in the UN's Word files (their
    # markup has it): the DOCX is the editable form, and reads back to the same tree
    for n in inlines:
        if isinstance(n, Text):
            out += _text_runs(st, n.text, fmt)
        elif isinstance(n, Emphasis):
            out += _inlines(st, n.children, replace(fmt, italic=True), part, in_note)
        elif isinstance(n, Strong):
            out += _inlines(st, n.children, replace(fmt, bold=True), part, in_note)
        elif isinstance(n, Superscript):
            out += _inlines(st, n.children, replace(fmt, vert="superscript"), part, in_note)
        elif isinstance(n, Subscript):
            out += _inlines(st, n.children, replace(fmt, vert="subscript"), part, in_note)
        elif isinstance(n, LineBreak):
            out.append(w("r", None, _rpr(st, fmt, st.rtl, False), w("br")))
        elif isinstance(n, DocRef):
            out.append(_hyperlink(st, part, st.L.undocs_url(n.symbol), n.children, fmt, in_note))
        elif isinstance(n, Link):
            href = st.view.link(n.href)
            if href is None:
                out += _inlines(st, n.children, fmt, part, in_note)
            else:
                out.append(_hyperlink(st, part, href, n.children, fmt, in_note))
        elif isinstance(n, FootnoteRef):
            if in_note:
                st.warn(f"footnote {n.marker} inside a footnote: its marker is written as "
                        "superscript text and its note is left out", n.span, "docx-note")
                out += _text_runs(st, n.marker, replace(fmt, vert="superscript"))
            else:
                out.append(_note_call(st, n))
        else:
            st.warn(f"{type(n).__name__} written as plain text", None)
            out += _text_runs(st, plain_text((n,)), fmt)
    return out


def _note_call(st: _State, n: FootnoteRef) -> etree._Element:
    nid = len(st.notes) + 1
    mark = None if st.auto_notes else n.marker
    st.notes.append(_Note(nid, n.blocks, mark, n.span))
    ref = w("footnoteReference", {"customMarkFollows": "1" if mark else None, "id": nid})
    r = w("r", None, _rpr(st, Fmt(style="FootnoteReference"), False, False), ref)
    if mark:
        r.append(_t(mark))
    return r


# ---------------------------------------------------------------- paragraphs

def _p(st: _State, style: str, runs: Iterable[etree._Element], *, jc: str | None = None,
       ind: dict | None = None, spacing: dict | None = None, keep_next: bool = False,
       page_break: bool = False, border_bottom: bool = False,
       bidi: bool | None = None) -> etree._Element:
    """A paragraph; ``bidi`` (default: the language's direction) makes it right-to-left."""
    ppr = ordered("pPr", [
        w("pStyle", {"val": style}) if style else None,
        w("keepNext") if keep_next else None,
        w("pageBreakBefore") if page_break else None,
        w("pBdr", None, w("bottom", {"val": "single", "sz": 4, "space": 1, "color": "auto"}))
        if border_bottom else None,
        w("bidi") if (st.rtl if bidi is None else bidi) else None,
        w("spacing", spacing) if spacing else None,
        w("ind", ind) if ind else None,
        w("jc", {"val": jc}) if jc else None,
    ])
    p = w("p", None, ppr if len(ppr) else None)
    for r in runs:
        p.append(r)
    return p


class _Body:
    """Writes the blocks of the document body (or of a cell) into a list."""

    def __init__(self, st: _State):
        self.st = st
        self.part = _DOCUMENT
        lead = st.L.lead_style
        italic_ok = st.S.get("italic", True)
        self.lead_fmt = Fmt(bold="bold" in lead, italic="italic" in lead and italic_ok)
        self.out: list[etree._Element] = []
        self.in_annex = False       # writing an annex: its paragraphs numbered flush

    # -- helpers
    def runs(self, inlines, fmt: Fmt = Fmt()) -> list[etree._Element]:
        return _inlines(self.st, inlines, fmt, self.part)

    def add(self, el: etree._Element) -> None:
        self.out.append(el)

    def lead_body(self, lead, body) -> list[etree._Element]:
        runs = self.runs(lead, self.lead_fmt) if lead else []
        gap = lead_gap(lead, body) if lead else ""
        if gap:
            runs += _text_runs(self.st, gap, Fmt())
        return runs + self.runs(body)

    # -- preamble
    def formula(self, formula: tuple) -> None:
        if not formula:
            return
        runs = [_tab(self.st)]
        parts = formula_parts(formula)
        if parts:
            words, punct = parts
            runs += _text_runs(self.st, words, self.lead_fmt)
            runs += _text_runs(self.st, punct, Fmt())
        else:
            runs += self.runs(formula, self.lead_fmt)
        self.add(_p(self.st, "SingleTxt", runs))

    def recital(self, r: Recital) -> None:
        self.add(_p(self.st, "SingleTxt", [_tab(self.st)] + self.lead_body(r.lead, r.body)))

    # -- operative part
    def paragraph(self, p: Paragraph, adopted: bool = False) -> None:
        """An operative paragraph: TAB number TAB text (the number at 1742); one of an
        annex, or of a text adopted in the operative part, as the UN numbers an annex's:
        number TAB text (the number at the column's edge, 1267)."""
        runs = [] if (adopted or self.in_annex) and p.num else [_tab(self.st)]
        if p.num:
            runs += _text_runs(self.st, p.num, Fmt()) + [_tab(self.st)]
        self.add(_p(self.st, "SingleTxt", runs + self.lead_body(p.lead, p.body)))
        self.items(p.items, 0)
        self.blocks(p.tail)
        self.blocks(p.extra)

    def items(self, items: tuple[Item, ...], depth: int) -> None:
        for it in items:
            runs = [_tab(self.st)] + _text_runs(self.st, it.label, Fmt()) + [_tab(self.st)]
            runs += self.lead_body(it.lead, it.body)
            ind = None
            if depth:
                ind = {"left": _COLUMN + _STEP * depth, "hanging": _STEP}
            self.add(_p(self.st, "SingleTxt", runs, ind=ind))
            self.items(it.items, depth + 1)
            self.blocks(it.tail)

    def heading(self, h: Heading) -> None:
        style = _HEADING_STYLE.get(h.level, "H56")
        runs = [_tab(self.st)]
        if h.num:
            runs += _text_runs(self.st, h.num, Fmt())
        runs.append(_tab(self.st))
        self.add(_p(self.st, style, runs + self.runs(h.inlines)))

    def centred(self, style: str, runs: list, page_break: bool = False) -> None:
        self.add(_p(self.st, style, runs, jc="center", page_break=page_break,
                    ind={"left": 0, "right": 0, "firstLine": 0}))

    def section(self, s: Section) -> None:
        if s.num:
            self.centred("H1", _text_runs(self.st, s.num, Fmt()))
        if s.heading:
            self.centred("H1", self.runs(s.heading))
        for c in s.children:
            self.node(c)

    def node(self, n: Any) -> None:
        if isinstance(n, Paragraph):
            self.paragraph(n)
        elif isinstance(n, Recital):
            self.recital(n)
        elif isinstance(n, Section):
            self.section(n)
        elif isinstance(n, Heading):
            self.heading(n)
        elif isinstance(n, Para):
            self.para(n)
        elif isinstance(n, Table):
            self.table(n)
        elif isinstance(n, Item):
            self.items((n,), 0)
        else:
            self.st.warn(f"{type(n).__name__} written as text", getattr(n, "span", None))
            self.add(_p(self.st, "SingleTxt", _text_runs(self.st, block_text(n), Fmt())))

    def blocks(self, blocks: Iterable[Block]) -> None:
        for b in blocks:
            self.node(b)

    def para(self, p: Para, default: str = "SingleTxt") -> None:
        if p.style == "FootnoteText":
            # a note under a table, as the UN types it: its style's right tab at 1195
            # twips ends the label (if any), the text starts at the column's edge (1267)
            label, text = table_note_label(p.inlines) or ((), p.inlines)
            self.add(_p(self.st, "FootnoteText", [_tab(self.st), *self.runs(label),
                                                  _tab(self.st), *self.runs(text)]))
            return
        style = p.style if p.style in _KNOWN_STYLES else default
        self.add(_p(self.st, style, self.runs(p.inlines)))

    # -- tables
    def table(self, t: Table) -> None:
        if t.caption:
            self.add(_p(self.st, "SingleTxt", self.runs(t.caption, Fmt(bold=True)),
                        keep_next=True))
        shape = table_shape(t)
        if shape.figures:
            self.figure_table(t, shape)
            return
        ncols = max((sum(max(1, c.colspan) for c in r.cells) for r in t.rows), default=1)
        ncols = max(ncols, 1)
        col_w = _TABLE_WIDTH // ncols
        tbl = w("tbl", None, ordered("tblPr", [
            w("tblStyle", {"val": "TableGrid"}),
            w("bidiVisual") if self.st.rtl else None,
            w("tblW", {"w": col_w * ncols, "type": "dxa"}),
            w("tblInd", {"w": _COLUMN, "type": "dxa"}),
            w("tblLayout", {"type": "fixed"}),
            w("tblLook", {"val": "0000", "firstRow": "0", "lastRow": "0", "firstColumn": "0",
                          "lastColumn": "0", "noHBand": "0", "noVBand": "0"}),
        ]), w("tblGrid", None, *[w("gridCol", {"w": col_w}) for _ in range(ncols)]))
        pending: dict[int, list[int]] = {}   # column -> [rows left, colspan]
        for row in t.rows:
            tr = w("tr")
            if all(c.header for c in row.cells) and row.cells:
                tr.append(ordered("trPr", [w("tblHeader")]))
            cells = list(row.cells)
            col = 0
            while col < ncols:
                if col in pending:
                    left, span = pending[col]
                    tr.append(self.cell(None, span, col_w, merge="continue"))
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col][0] = left - 1
                    col += span
                    continue
                if not cells:
                    tr.append(self.cell(None, 1, col_w))
                    col += 1
                    continue
                c = cells.pop(0)
                span = max(1, min(c.colspan, ncols - col))
                merge = None
                if c.rowspan > 1:
                    pending[col] = [c.rowspan - 1, span]
                    merge = "restart"
                tr.append(self.cell(c, span, col_w, merge=merge))
                col += span
            tbl.append(tr)
        self.add(tbl)
        # Word needs a paragraph between a table and what follows
        self.add(_p(self.st, "SingleTxt", [], spacing={"after": 0, "line": 120,
                                                        "lineRule": "exact"}))

    def figure_table(self, t: Table, shape: TableShape) -> None:
        """A table of figures as the UN sets its financial tables:

        - a wide label column and figure columns of at least :data:`_FIGURE_COLUMN`, wide
          enough for their widest figure (:func:`_figure_grid`); no cell margins;
        - italic 7 pt heads (exactly 8 pt, 4 pt above and below) with a thin rule above,
          a thin rule under the heads of the figure columns and a thick one (1.5 pt)
          under the last head row with words (:attr:`TableShape.head_last`);
        - 8.5 pt body rows on exactly 10.5 pt with 2 pt above and below, figures aligned
          to the right (to the start of a right-to-left paragraph: its right) and never
          broken; no rule between rows;
        - a total bold, its label indented 14.4 pt, between thin rules with 4 pt inside
          them (:meth:`TableShape.row_kinds`); a thick rule under the table;
        - sizes grown with the language's body size (Chinese 10.5 pt, Arabic 14 pt in the
          complex-script slot); cells aligned to the bottom."""
        n = shape.columns
        rtl = self.st.rtl
        size, size_cs = self.st.S["size"], self.st.S.get("size_cs", self.st.S["size"])

        def half_points(base: int, body: float) -> int:
            return round(base * body / 10)

        head_fmt = Fmt(italic=True, size=half_points(14, size), size_cs=half_points(14, size_cs))
        body_fmt = Fmt(size=half_points(17, size), size_cs=half_points(17, size_cs))
        grid = _figure_grid(t, shape, body_fmt.size,
                            self.st.S.get("figure_column", _FIGURE_COLUMN), head_fmt.size)
        tbl = w("tbl", None, ordered("tblPr", [
            w("tblStyle", {"val": "TableGrid"}),
            w("bidiVisual") if rtl else None,
            w("tblW", {"w": sum(grid), "type": "dxa"}),
            # from the body column, or as far into the other margin as it must
            w("tblInd", {"w": max(0, min(_COLUMN, _TEXT_WIDTH - sum(grid))), "type": "dxa"}),
            ordered("tblBorders", [w(side, {"val": "none", "sz": 0, "space": 0,
                                            "color": "auto"})
                                   for side in ("top", "left", "bottom", "right", "insideH",
                                                "insideV")]),
            w("tblLayout", {"type": "fixed"}),
            w("tblCellMar", None, w("left", {"w": 0, "type": "dxa"}),
              w("right", {"w": 0, "type": "dxa"})),
            w("tblLook", {"val": "0000", "firstRow": "0", "lastRow": "0", "firstColumn": "0",
                          "lastColumn": "0", "noHBand": "0", "noVBand": "0"}),
        ]), w("tblGrid", None, *[w("gridCol", {"w": g}) for g in grid]))
        last_row = len(t.rows) - 1
        covered: dict[int, list[int]] = {}    # column -> [rows still covered, colspan]
        merged: dict[int, list[int]] = {}     # the same, of this row's cells
        for r, row in enumerate(t.rows):
            kinds = shape.row_kinds(r)
            head = r < shape.header_rows
            tr = w("tr")
            props = [w("tblHeader")] if head else []
            if "head-gap" in kinds:
                props.insert(0, w("trHeight", {"hRule": "exact", "val": 115}))
            if props:
                tr.append(ordered("trPr", props))
            total = "total" in kinds
            if head:
                fmt, before, after, line = head_fmt, 81, 81, 160
            else:
                fmt = replace(body_fmt, bold=total)
                before = 81 if total or "post-total" in kinds else 40
                after = 81 if total or "pre-total" in kinds else 40
                line = 210
            if self.st.S.get("relax_exact_lines"):
                rule = "atLeast"
            else:
                rule = "exact"
            spacing = {"before": before, "after": after, "line": line, "lineRule": rule}
            # the row's cells, and where a cell from a row above still covers a column, a
            # continuation of that cell (w:vMerge), in the order of their columns
            slots: list[tuple[int, int, Cell | None, str | None]] = []
            for i, c in enumerate(row.cells):
                col = shape.starts[r][i]
                span = max(1, min(c.colspan, n - col))
                slots.append((col, span, c, "restart" if c.rowspan > 1 else None))
                if c.rowspan > 1:
                    merged[col] = [c.rowspan - 1, span]
            for col, (left, span) in list(covered.items()):
                slots.append((col, span, None, "continue"))
            slots.sort(key=lambda x: x[0])
            covered = {col: v for col, v in covered.items() if v[0] > 1}
            for v in covered.values():
                v[0] -= 1
            covered.update(merged)
            merged = {}
            for col, span, c, merge in slots:
                fig = col in shape.figures
                text = block_text_of(c) if c is not None else ""
                borders: dict[str, int] = {}
                if r == 0:
                    borders["top"] = 4
                if head and r < shape.head_last and fig and text:
                    borders["bottom"] = 4
                if r == shape.head_last:
                    borders["bottom"] = 12
                if total or "post-total" in kinds:
                    borders["top"] = 4
                if total or "pre-total" in kinds:
                    borders["bottom"] = 4
                if r == last_row and not head:
                    borders["bottom"] = 12
                if fig:
                    # in a right-to-left paragraph jc and ind name the start and the end:
                    # "left" is its right
                    jc = "center" if span > 1 else ("left" if rtl else "right")
                    far, near = _FIGURE_IND
                    ind = {"left": near, "right": far} if rtl and span == 1 else \
                        {"left": far, "right": near}
                else:
                    jc = "left"
                    ind = {"left": _TOTAL_IND if total and col == 0 else 0,
                           "right": _FIGURE_IND[1]}
                # figures keep the Latin size in every script (the digits of an Arabic
                # cell are set in its complex-script slot: at 12 pt they would not fit)
                cf = replace(fmt, size_cs=fmt.size) if fig and not head else fmt
                blocks = c.blocks if c is not None else ()
                paras = [_p(self.st, "SingleTxt", self.runs(b.inlines, cf), jc=jc, ind=ind,
                            spacing=spacing)
                         for b in blocks if isinstance(b, Para)]
                if not paras:
                    paras = [_p(self.st, "SingleTxt", [], jc=jc, ind=ind, spacing=spacing)]
                tc = _cell(self.st, sum(grid[col:col + span]), paras, span=span,
                           borders=borders or None, valign="bottom", merge=merge)
                if any(not isinstance(b, Para) for b in blocks):
                    self.st.warn("a table of figures keeps only the paragraphs of its cells",
                                 getattr(t, "span", None))
                tr.append(tc)
            tbl.append(tr)
        self.add(tbl)
        self.add(_p(self.st, "SingleTxt", [], spacing={"after": 0, "line": 120,
                                                        "lineRule": "exact"}))

    def cell(self, c: Cell | None, span: int, col_w: int, merge: str | None = None):
        tcpr = ordered("tcPr", [
            w("tcW", {"w": col_w * span, "type": "dxa"}),
            w("gridSpan", {"val": span}) if span > 1 else None,
            w("vMerge", {"val": "restart"} if merge == "restart" else None)
            if merge else None,
        ])
        tc = w("tc", None, tcpr)
        paras: list[etree._Element] = []
        if c is not None:
            inner = _Body(self.st)
            fmt = Fmt(bold=c.header)
            for b in c.blocks:
                if isinstance(b, Para):
                    inner.add(_p(self.st, "", inner.runs(b.inlines, fmt)))
                else:
                    inner.node(b)
            paras = inner.out
        if not paras or paras[-1].tag != W + "p":
            paras.append(_p(self.st, "", []))
        for p in paras:
            tc.append(p)
        return tc

    # -- closing and annexes
    def closing(self, closing: Closing | None, meta: Meta) -> None:
        if closing is None:
            return
        meeting, date, _ = self.st.view.closing_lines(closing, meta.meeting)
        order = tuple(self.st.L.closing_order) or ("meeting", "date")
        lines = [x for x in ({"meeting": meeting, "date": date}.get(k, "") for k in order) if x]
        if not lines:
            return
        fmt = Fmt(italic=bool(self.st.S.get("italic", True)))
        runs: list[etree._Element] = []
        for i, line in enumerate(lines):
            if i:
                runs.append(w("r", None, _rpr(self.st, fmt, self.st.rtl, False), w("br")))
            runs += _text_runs(self.st, line, fmt)
        self.add(_p(self.st, "SingleTxt", runs, jc="right", keep_next=True,
                    spacing={"before": 240}))

    def end_rule(self) -> None:
        self.add(_p(self.st, "SingleTxt", [], border_bottom=True, jc="center",
                    spacing={"before": 240, "after": 0, "line": 120, "lineRule": "exact"},
                    ind={"left": _END_RULE_INDENT, "right": _END_RULE_INDENT}))

    def annex(self, a: Annex) -> None:
        """An annex runs on after the closing, as in the UN's files (Word's keep with
        next on its headings moves them to a new page when they do not fit): its label
        and title H23 at the column's edge, TAB TAB text, as the UN sets them."""
        if a.heading:
            self.add(_p(self.st, "H23", [_tab(self.st), _tab(self.st)] + self.runs(a.heading),
                        spacing={"before": 480, "after": 0 if a.title else 120}))
        if a.title:
            self.add(_p(self.st, "H23", [_tab(self.st), _tab(self.st)] + self.runs(a.title),
                        spacing={"before": 0 if a.heading else 480}))
        self.in_annex = True
        self.blocks(a.blocks)
        self.in_annex = False


# ---------------------------------------------------------------- first page

def _masthead_body(b: _Body, meta: Meta) -> None:
    """What the UN's files keep in the body of page 1: session, agenda item, adoption
    heading, committee line, numbered title."""
    st, view = b.st, b.st.view
    session = view.session_line(meta)
    if session:
        b.add(_p(st, "Session", _text_runs(st, session, Fmt())))
    agenda = view.agenda_line(meta)
    if agenda:
        b.add(_p(st, "AgendaItemNormal", _text_runs(st, agenda, Fmt())))
    for a in meta.agenda_items:
        if a.title:
            b.add(_p(st, "AgendaItemNormal", _text_runs(st, a.title, Fmt(bold=True)),
                     ind={"right": _AGENDA_TITLE_RIGHT}))
    adoption = view.adoption_heading(meta)
    if adoption:
        b.add(_p(st, "TitleHCH", [_tab(st), _tab(st)] + _text_runs(st, adoption, Fmt())))
    _proponent(b, meta)
    _title(b, meta)


def _proponent(b: _Body, meta: Meta) -> None:
    st = b.st
    text = st.view.proponent_line(meta)
    if not text:
        return
    runs = [_tab(st), _tab(st)]
    # the brackets stay upright in an italic line, the UN's way
    lead = text[:1] if text[:1] in "[［" else ""
    tail = text[-1:] if text[-1:] in "]］" else ""
    inner = text[len(lead):len(text) - len(tail)]
    runs += _upright_runs(st, lead) + _linked(b, inner, meta) + _upright_runs(st, tail)
    b.add(_p(st, "H4", runs, spacing={"before": 240, "after": 0}))


def _with_props(run: etree._Element, extra: list[etree._Element]) -> etree._Element:
    """``run`` with ``extra`` properties added to its rPr, in schema order."""
    rpr = run.find(W + "rPr")
    kids = list(rpr) if rpr is not None else []
    if rpr is not None:
        run.remove(rpr)
    run.insert(0, ordered("rPr", kids + extra))
    return run


def _upright_runs(st: _State, text: str) -> list[etree._Element]:
    """Runs that switch off the italic of the paragraph style."""
    runs = _text_runs(st, text, Fmt())
    if st.S.get("italic", True):
        runs = [_with_props(r, [w("i", {"val": "0"}), w("iCs", {"val": "0"})]) for r in runs]
    return runs


def _linked(b: _Body, text: str, meta: Meta) -> list[etree._Element]:
    """``text`` with the UN symbols it names as hyperlinks."""
    st = b.st
    found = st.L.find_symbols(text, meta.organ or "GA")
    runs: list[etree._Element] = []
    pos = 0
    for start, end, sym in found:
        if start < pos:
            continue
        runs += _text_runs(st, text[pos:start], Fmt())
        runs.append(_hyperlink(st, b.part, st.L.undocs_url(sym), (Text(text[start:end]),),
                               Fmt(), False))
        pos = end
    runs += _text_runs(st, text[pos:], Fmt())
    return runs


def _title(b: _Body, meta: Meta) -> None:
    st = b.st
    label = title_number(meta)
    if not (label or meta.title):
        return
    runs = [_tab(st)]
    if label:
        runs += _text_runs(st, label, Fmt())
    runs.append(_tab(st))
    runs += b.runs(meta.title)
    b.add(_p(st, "TitleH1", runs))


# ---------------------------------------------------------------- headers and footers

def block_text_of(cell: Cell) -> str:
    """A cell's text (empty when it holds none)."""
    return " ".join(block_text(b) for b in cell.blocks).strip()


def _figure_width(text: str, bold: bool, size: int = 17) -> int:
    """Twips a figure takes at ``size`` half-points, with its cell's indents
    (:data:`_FIGURE_CHAR`: widths at 8.5 pt)."""
    width = sum(_FIGURE_CHAR.get(ch, 85) for ch in text.strip()) * size // 17
    return (width * 21 // 20 if bold else width) + sum(_FIGURE_IND)


#: a word of Latin or Cyrillic letters (a column head breaks only between them)
_HEAD_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]+")


def _figure_grid(t: Table, shape: TableShape, size: int = 17,
                 least: int = _FIGURE_COLUMN, head_size: int = 14) -> list[int]:
    """The column widths (twips) of a table of figures: each figure column as wide as its
    widest figure at ``size`` half-points and its longest head word at ``head_size``
    (letters taken at 0.55 em: "налогообложения" in a 7 pt italic Russian head),
    ``least`` at least; the label column (and any
    other column of words, as wide) takes the rest of the body column, :data:`_LABEL_MIN`
    at least, the table running on into the right margin (the left in Arabic) when it
    must, and then into the other (the writer's ``tblInd``)."""
    n = shape.columns
    need = {c: least for c in shape.figures}
    for r in range(shape.header_rows):
        for i, c in enumerate(t.rows[r].cells):
            col = shape.starts[r][i]
            words = _HEAD_WORD.findall(block_text_of(c))
            if col in need and c.colspan <= 1 and words:
                longest = max(len(x) for x in words) * head_size * 11 // 2
                need[col] = max(need[col], longest + sum(_FIGURE_IND))
    for r in range(shape.header_rows, len(t.rows)):
        bold = r in shape.totals
        for i, c in enumerate(t.rows[r].cells):
            col = shape.starts[r][i]
            if col in need and c.colspan <= 1:
                need[col] = max(need[col], _figure_width(block_text_of(c), bold, size))
    words = 1 + sum(1 for c in range(1, n) if c not in need)
    figures = sum(need.values())
    width = max(_TABLE_WIDTH, min(_TEXT_WIDTH - _COLUMN, figures + words * _LABEL_MIN))
    label = max((width - figures) // words, least)
    return [label] + [need.get(c, label) for c in range(1, n)]


def _cell(st: _State, width: int, paras: list, *, span: int = 1, borders: dict | None = None,
          valign: str | None = None, merge: str | None = None) -> etree._Element:
    """A table cell; ``merge``: "restart" or "continue" for a cell of several rows."""
    bd = None
    if borders:
        bd = ordered("tcBorders", [w(side, {"val": "single", "sz": sz, "space": 0,
                                            "color": "auto"}) for side, sz in borders.items()])
    tc = w("tc", None, ordered("tcPr", [
        w("tcW", {"w": width, "type": "dxa"}),
        w("gridSpan", {"val": span}) if span > 1 else None,
        (w("vMerge", {"val": "restart"}) if merge == "restart" else w("vMerge"))
        if merge else None,
        bd,
        w("vAlign", {"val": valign}) if valign else None,
    ]))
    for p in paras or [_p(st, "Header", [])]:
        tc.append(p)
    return tc


def _header_table(st: _State, grid: list[int], rows: list[tuple[int, list]],
                  borders: dict | None = None, height_rule: str = "exact") -> etree._Element:
    tbl = w("tbl", None, ordered("tblPr", [
        w("bidiVisual") if st.rtl else None,
        w("tblW", {"w": sum(grid), "type": "dxa"}),
        ordered("tblBorders", [w(side, {"val": "single", "sz": sz, "space": 0, "color": "auto"})
                               for side, sz in borders.items()]) if borders else None,
        w("tblLayout", {"type": "fixed"}),
        w("tblCellMar", None, w("left", {"w": 0, "type": "dxa"}),
          w("right", {"w": 0, "type": "dxa"})),
        w("tblLook", {"val": "0000", "firstRow": "0", "lastRow": "0", "firstColumn": "0",
                      "lastColumn": "0", "noHBand": "0", "noVBand": "0"}),
    ]), w("tblGrid", None, *[w("gridCol", {"w": g}) for g in grid]))
    for height, cells in rows:
        tr = w("tr", None, ordered("trPr", [w("trHeight", {"hRule": height_rule,
                                                           "val": height})]))
        for c in cells:
            tr.append(c)
        tbl.append(tr)
    return tbl


def _spacer(st: _State, style: str) -> etree._Element:
    """The small paragraph Word needs after a table in a header or footer."""
    p = _p(st, style, [])
    ppr = p.find(W + "pPr")
    p.replace(ppr, ordered("pPr", list(ppr) + [
        w("rPr", None, w("sz", {"val": 2}), w("szCs", {"val": 2}))]))
    return p


def _masthead(st: _State, meta: Meta) -> list[etree._Element]:
    """The first-page header: United Nations and the symbol over a thin rule, the organ
    and the distribution and date over a thick one."""
    S, view = st.S, st.view
    face = S.get("masthead_font", "")
    un = view.un_name()
    organ = view.organ_name(meta)
    sym = meta.symbol or ""
    head, rest = (sym.split("/", 1)[0], "/" + sym.split("/", 1)[1]) if "/" in sym else (sym, "")
    symbol_runs = _text_runs(st, head, Fmt(size=40)) + _text_runs(st, rest, Fmt())
    distr_lines = []
    dist = view.distribution_line(meta)
    if dist:
        distr_lines.append(_p(st, "Publication", _text_runs(st, dist, Fmt()),
                              spacing={"before": 240}, bidi=False))
    if meta.issued:
        # left to right in every language: "30 November 2020", never "November 2020 30"
        distr_lines.append(_p(st, "Publication", _text_runs(st, view.issue_date(meta), Fmt()),
                              bidi=False))
    organ_runs = _text_runs(st, organ, Fmt(east_asia_font=face))
    if S.get("organ_spacing"):
        # the characters set apart (XLarge is 20 pt: an em is 400 twips)
        apart = round(S["organ_spacing"] * 400)
        organ_runs = [_with_props(r, [w("spacing", {"val": apart})]) for r in organ_runs]
    grid = [_COLUMN, 5227, 245, _TEXT_WIDTH - _COLUMN - 5227 - 245]
    thin = {"bottom": 4}
    thick = {"top": 4, "bottom": 12}
    row1 = [
        _cell(st, grid[0], [], borders=thin, valign="bottom"),
        _cell(st, grid[1], [_p(st, "HCh", [_with_props(r, [w("b", {"val": "0"}),
                                                            w("bCs", {"val": "0"}),
                                                            w("spacing", {"val": 2}),
                                                            w("w", {"val": 96})])
                                           for r in _text_runs(st, un,
                                                               Fmt(east_asia_font=face))],
                               spacing={"before": 0, "after": 80},
                               ind={"left": 0, "right": 0, "firstLine": 0})],
              borders=thin, valign="bottom"),
        _cell(st, grid[2], [], borders=thin, valign="bottom"),
        _cell(st, grid[3], [_p(st, "Header", [_with_props(r, [w("position", {"val": -4})])
                                              for r in symbol_runs], jc="right",
                               spacing={"after": 80})], borders=thin, valign="bottom"),
    ]
    row2 = [
        _cell(st, grid[0], [], borders=thick),
        _cell(st, grid[1], [_p(st, "XLarge", organ_runs, spacing={"before": 109})],
              borders=thick),
        _cell(st, grid[2], [], borders=thick),
        _cell(st, grid[3], distr_lines, borders=thick),
    ]
    return [_header_table(st, grid, [(864, row1), (2880, row2)]), _spacer(st, "Header")]


def _running_head(st: _State, meta: Meta, even: bool) -> list[etree._Element]:
    """Symbol on the outer side (left on even pages, right on odd), the title inside."""
    bold = Fmt(bold=True)
    symbol = _p(st, "Header", _field(st, "SUBJECT  \\* MERGEFORMAT", meta.symbol, bold),
                jc=None if even else "right", spacing={"after": 80})
    title_text = plain_text(meta.title)
    title_runs = _text_runs(st, title_text, bold) if 0 < len(title_text) <= 90 else []
    title = _p(st, "Header", title_runs, jc="right" if even else None, spacing={"after": 80})
    sym_w, title_w = 3600, _TEXT_WIDTH - 3600
    if even:
        grid, cells = [sym_w, title_w], [_cell(st, sym_w, [symbol], valign="bottom"),
                                         _cell(st, title_w, [title], valign="bottom")]
    else:
        grid, cells = [title_w, sym_w], [_cell(st, title_w, [title], valign="bottom"),
                                         _cell(st, sym_w, [symbol], valign="bottom")]
    return [_header_table(st, grid, [(864, cells)], borders={"bottom": 2}),
            _spacer(st, "Header")]


def _page_footer(st: _State, meta: Meta, even: bool) -> list[etree._Element]:
    """"n/N" in fields on the outer side; the job number (7 pt, not bold) inside."""
    page = (_field(st, "PAGE  \\* Arabic  \\* MERGEFORMAT", "1", Fmt())
            + _text_runs(st, "/", Fmt())
            + _field(st, "NUMPAGES  \\* Arabic  \\* MERGEFORMAT", "1", Fmt()))
    job = running_job_number(meta)
    job_runs = _text_runs(st, job, Fmt(size=14)) if job else []
    job_runs = [_with_props(r, [w("b", {"val": "0"}), w("bCs", {"val": "0"})])
                for r in job_runs]
    tab = [w("r", None, w("tab"))] if job_runs else []
    # numbers only: a left-to-right paragraph (fields in a right-to-left one come out
    # as "3/2"), the outer side mirrored by hand for a right-to-left document
    outer_left = even != st.rtl
    runs = page + tab + job_runs if outer_left else job_runs + tab + page
    p = _p(st, "Footer", runs, jc=None if (outer_left or job_runs) else "right", bidi=False)
    ppr = p.find(W + "pPr")
    p.replace(ppr, ordered("pPr", list(ppr) + [
        w("tabs", None, w("tab", {"val": "right", "pos": _TEXT_WIDTH}))]))
    return [p]


def _first_footer(st: _State, meta: Meta) -> list[etree._Element]:
    """Page 1's foot, as the official files set it: the job line and, under it, a Code 39
    barcode of the job number's digits; at the right a "Please recycle" mark and a QR
    code to the document on undocs.org (the images are PNGs the writer makes)."""
    job = meta.job_number.strip()
    if not job:
        return [_p(st, "Footer", [])]
    # the official files leave Word's default cell margin (108 twips) before the job line
    # and the barcode: they start at x 65.4, not at the margin
    inset = {"left": _FOOT_INSET}
    left = [_p(st, "ReleaseDate0", _text_runs(st, job, Fmt()), ind=inset)]
    digits = "".join(ch for ch in job.split("(")[0] if ch.isdigit())
    if digits:
        png, (wpx, hpx) = codes.barcode_png(digits)
        left.append(_p(st, "Footer", [_picture(st, png, 100.5, 10.0, "Barcode")],
                       spacing={"before": 80, "line": 210, "lineRule": "exact"}, ind=inset))
    # the official mark (an image) ends at x 490, 8 pt short of the QR code
    recycle = _p(st, "Footer", _text_runs(st, "\u267b Please recycle", Fmt(size=14)),
                 jc="right", ind={"right": _FOOT_INSET})
    qr = []
    if meta.symbol.strip():
        png, _ = codes.qr_png(codes.undocs_address(meta.symbol.strip()))
        qr = [_p(st, "Footer", [_picture(st, png, 55.0, 55.0, "QR code")], jc="right")]
    grid = [3801, _TEXT_WIDTH - 3801 - 1150, 1150]
    table = _header_table(st, grid, [(1120, [
        _cell(st, grid[0], left, valign="bottom"),
        _cell(st, grid[1], [recycle], valign="bottom"),
        _cell(st, grid[2], qr, valign="bottom")])], height_rule="atLeast")
    # the paragraph Word needs after the table: 2.8 pt high, as the official files' (a
    # 56/240 line of 10 pt) is in Word; an exact height, which LibreOffice keeps too, so
    # that the table ends 2.8 pt over the footer's bottom (y 764 on the page)
    return [table, _spacer_exact(st, "Footer", _FOOT_END)]


#: Word's default left cell margin (twips), before the job line and the barcode
_FOOT_INSET = 108
#: the height (twips) of the paragraph closing page 1's footer
_FOOT_END = 56


def _spacer_exact(st: _State, style: str, height: int) -> etree._Element:
    """An empty paragraph exactly ``height`` twips high (its mark 1 pt)."""
    p = _p(st, style, [], spacing={"line": height, "lineRule": "exact"})
    ppr = p.find(W + "pPr")
    p.replace(ppr, ordered("pPr", list(ppr) + [
        w("rPr", None, w("sz", {"val": 2}), w("szCs", {"val": 2}))]))
    return p


_EMU_PER_PT = 12700


def _picture(st: _State, png: bytes, width_pt: float, height_pt: float,
             name: str) -> etree._Element:
    """A run holding an inline PNG of ``width_pt`` x ``height_pt``, related from the part
    being written (``st.part``)."""
    media = st.pkg.add_media("word/media/image%d.png", "image/png", png)
    rid = st.pkg.relate(st.part, RT_IMAGE, media)
    st.pictures += 1
    pid = st.pictures
    cx, cy = int(width_pt * _EMU_PER_PT), int(height_pt * _EMU_PER_PT)
    wp, a, pic = (f"{{{_WP}}}", f"{{{_A}}}", f"{{{_PIC}}}")
    inline = etree.Element(wp + "inline", {"distT": "0", "distB": "0", "distL": "0",
                                           "distR": "0"}, nsmap={"wp": _WP, "a": _A})
    etree.SubElement(inline, wp + "extent", {"cx": str(cx), "cy": str(cy)})
    etree.SubElement(inline, wp + "docPr", {"id": str(pid), "name": f"{name} {pid}",
                                            "descr": name})
    graphic = etree.SubElement(inline, a + "graphic")
    data = etree.SubElement(graphic, a + "graphicData", {"uri": _PIC})
    p = etree.SubElement(data, pic + "pic", nsmap={"pic": _PIC})
    nv = etree.SubElement(p, pic + "nvPicPr")
    etree.SubElement(nv, pic + "cNvPr", {"id": "0", "name": f"{name} {pid}"})
    etree.SubElement(nv, pic + "cNvPicPr")
    fill = etree.SubElement(p, pic + "blipFill")
    etree.SubElement(fill, a + "blip", {f"{{{R_NS}}}embed": rid})
    etree.SubElement(etree.SubElement(fill, a + "stretch"), a + "fillRect")
    sp = etree.SubElement(p, pic + "spPr")
    xfrm = etree.SubElement(sp, a + "xfrm")
    etree.SubElement(xfrm, a + "off", {"x": "0", "y": "0"})
    etree.SubElement(xfrm, a + "ext", {"cx": str(cx), "cy": str(cy)})
    etree.SubElement(etree.SubElement(sp, a + "prstGeom", {"prst": "rect"}), a + "avLst")
    return w("r", None, w("drawing", None, inline))


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _headers_and_footers(st: _State, meta: Meta) -> None:
    """The header and footer parts (first page, even pages, odd pages), related from the
    document and named in its section properties; the template asks for a different
    first page (``w:titlePg``) and different even and odd pages (``w:evenAndOddHeaders``)."""
    refs = []
    for kind, tag, content_type, reltype, make in (
            ("header", "hdr", CT_HEADER, RT_HEADER, (
                ("first", lambda: _masthead(st, meta)),
                ("even", lambda: _running_head(st, meta, even=True)),
                ("default", lambda: _running_head(st, meta, even=False)))),
            ("footer", "ftr", CT_FOOTER, RT_FOOTER, (
                ("first", lambda: _first_footer(st, meta)),
                ("even", lambda: _page_footer(st, meta, even=True)),
                ("default", lambda: _page_footer(st, meta, even=False))))):
        for page, content in make:
            root = header_footer_root(tag)
            name = st.pkg.add_part(f"word/{kind}%d.xml", content_type, root)
            st.part = name          # the part its images are related from
            for el in content():
                root.append(el)
            rid = st.pkg.relate(_DOCUMENT, reltype, name)
            refs.append(w(f"{kind}Reference", {"type": page, f"{{{R_NS}}}id": rid}))
    sect = _first_section(st)
    for i, ref in enumerate(refs):
        sect.insert(i, ref)


# ---------------------------------------------------------------- footnotes

def _footnotes_xml(st: _State) -> etree._Element:
    root = etree.Element(W + "footnotes", nsmap={"w": W_NS, "r": R_NS})

    def separator(kind: str, nid: int) -> etree._Element:
        p = _p(st, "Footer", [w("r", None, _rpr(st, Fmt(size=16), False, False),
                                _t("__________________"))],
               spacing={"after": 80}, ind={"left": 792})
        return w("footnote", {"type": kind, "id": nid}, p)

    root.append(separator("separator", -1))
    root.append(separator("continuationSeparator", 0))
    for note in st.notes:
        fn = w("footnote", {"id": note.id})
        paras: list[etree._Element] = []
        for b in note.blocks:
            if isinstance(b, Para):
                paras.append(_inlines(st, b.inlines, Fmt(), _FOOTNOTES, in_note=True))
            else:
                st.warn(f"{type(b).__name__} in footnote {note.id} written as text", note.span,
                        "docx-note")
                paras.append(_text_runs(st, block_text(b), Fmt()))
        if not paras:
            paras = [[]]
        wrap = st.S.get("note_mark_wrap", ["", ""])
        if wrap[0] and paras[0]:
            _strip_empty_mark(paras[0], wrap)
        for i, runs in enumerate(paras):
            lead: list[etree._Element] = []
            if i == 0:
                ref_rpr = _rpr(st, Fmt(style="FootnoteReference"), False, False)
                mark = w("r", None, ref_rpr, w("footnoteRef")) if note.mark is None else \
                    w("r", None, ref_rpr, _t(note.mark))
                lead = [_tab(st)] + _text_runs(st, wrap[0], Fmt()) + [mark] + \
                    _text_runs(st, wrap[1], Fmt()) + [_tab(st)]
            fn.append(_p(st, "FootnoteText", lead + runs))
        root.append(fn)
    return root


def _strip_empty_mark(runs: list[etree._Element], wrap: list[str]) -> None:
    """Drop the empty shell of the note mark ("() ") that text extracted from a PDF
    leaves at the start of a note, when the writer puts the mark in its own shell."""
    shell = wrap[0] + wrap[1]
    for r in runs:
        t = r.find(W + "t")
        if t is None or not (t.text or "").strip():
            continue
        if t.text.lstrip().startswith(shell):
            t.text = t.text.lstrip()[len(shell):].lstrip()
            if not t.text:
                r.remove(t)
        return


# ---------------------------------------------------------------- document


def _text(b: _Body, meta: Meta, body: Body) -> None:
    b.formula(body.preamble.formula)
    for r in body.preamble.recitals:
        b.recital(r)
    start = adopted_text_start(body.operative)
    for i, n in enumerate(body.operative):
        if isinstance(n, Paragraph) and start is not None and i > start:
            b.paragraph(n, adopted=True)
        else:
            b.node(n)
    b.closing(body.closing, meta)


#: page 1's bottom margin (twips) in the official Word files; later pages have the
#: template's (1152)
_FIRST_PAGE_BOTTOM = 1728
#: the height (twips) of that first paragraph: the session line's baseline then falls at
#: 222.3 pt, where the official PDFs have it, under the masthead of the first header (as
#: LibreOffice sets the page; tests/test_docx_writer.py measures it)
_OPENING_LINE = 24


def _split_sections(st: _State) -> None:
    """Two sections, as in the official Word files: an empty first paragraph closes page
    1's section (bottom margin :data:`_FIRST_PAGE_BOTTOM`, a different first page, the
    headers and footers), and the rest of the text follows in a continuous section with
    the template's margins, which takes its headers and footers from the first."""
    doc = st.pkg.part(_DOCUMENT)
    body = doc.find(f"{W}body")
    last = body.find(f"{W}sectPr")
    first = deepcopy(last)
    first.find(f"{W}pgMar").set(W + "bottom", str(_FIRST_PAGE_BOTTOM))
    kids = [c for c in last if c.tag != W + "titlePg"] + [w("type", {"val": "continuous"})]
    for c in list(last):
        last.remove(c)
    for c in ordered("sectPr", kids):
        last.append(c)
    opening = _p(st, "", [], spacing={"line": _OPENING_LINE, "lineRule": "exact"})
    ppr = opening.find(W + "pPr")
    if ppr is None:
        ppr = w("pPr")
        opening.insert(0, ppr)
    ppr.append(first)
    body.insert(0, opening)


def _first_section(st: _State) -> etree._Element:
    """The section properties of page 1 (see :func:`_split_sections`)."""
    return st.pkg.part(_DOCUMENT).find(f"{W}body/{W}p/{W}pPr/{W}sectPr")


def _set_rtl_section(st: _State) -> None:
    for sect in (_first_section(st), st.pkg.part(_DOCUMENT).find(f"{W}body/{W}sectPr")):
        kids = list(sect) + [w("bidi")]
        for c in list(sect):
            sect.remove(c)
        for c in ordered("sectPr", kids):
            sect.append(c)


def _core_properties(st: _State, res: Resolution, options: WriteOptions) -> None:
    """docProps/core.xml: the template's creator and revision, then title, subject (the
    symbol), language, no last editor, and the build time as creation and modification
    dates."""
    meta = res.meta
    num = number(meta)
    title = plain_text(meta.title)
    if not title and res.components:
        title = plain_text(res.components[0].meta.title)
    when = options.build_time(meta.adopted or (res.body.closing.date if res.body.closing else ""))
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = st.pkg.part("docProps/core.xml")
    for tag, value in ((_DC + "title", f"{num}. {title}" if num and title
                        else (title or meta.symbol)),
                       (_DC + "subject", meta.symbol),
                       (_DC + "language", st.S.get("properties_lang", meta.language)),
                       (_DC + "creator", "United Nations"),
                       (_CP + "lastModifiedBy", ""),
                       (_CP + "revision", "1"),
                       (_DCTERMS + "created", stamp),
                       (_DCTERMS + "modified", stamp)):
        el = core.find(tag)
        if el is None:
            el = etree.SubElement(core, tag)
        el.text = value or None
        if tag.startswith(_DCTERMS):
            el.set(_XSI_TYPE, "dcterms:W3CDTF")


def write(res: Resolution, options: WriteOptions = DEFAULT_WRITE) -> Written:
    """The resolution as a DOCX (bytes); see the module docstring for what it holds."""
    warnings: list[Diagnostic] = []
    meta = res.meta
    view = View(language_code(res), lambda message, code: _warn(warnings, message, code),
                "docx")
    st = _State(view, styles_for(view.code), Package(view.code), warnings)
    markers = [n.marker for n in _top_notes(res)]
    st.auto_notes = markers == [str(i) for i in range(1, len(markers) + 1)]
    st.pkg.relate(_DOCUMENT, RT_FOOTNOTES, _FOOTNOTES)   # the notes' part, filled last

    b = _Body(st)
    _masthead_body(b, meta)
    if res.components:
        for comp in res.components:
            if comp.letter:
                b.centred("HCh", _text_runs(st, comp.letter, Fmt()))
            if comp.meta.title and comp.meta.title != meta.title:
                b.centred("H1", b.runs(comp.meta.title))
            _text(b, comp.meta, comp.body)
            for a in comp.body.annexes:
                b.annex(a)
    else:
        _text(b, meta, res.body)
        for a in res.body.annexes:
            b.annex(a)
    b.end_rule()                # after the annexes, which run on after the closing
    sect = st.pkg.part(_DOCUMENT).find(f"{W}body/{W}sectPr")
    for el in b.out:
        sect.addprevious(el)

    _split_sections(st)
    _headers_and_footers(st, meta)
    if st.rtl:
        _set_rtl_section(st)
    st.pkg.add_part(_FOOTNOTES, CT_FOOTNOTES, _footnotes_xml(st))
    _core_properties(st, res, options)
    return Written(st.pkg.zip(), tuple(warnings))


def _warn(out: list[Diagnostic], message: str, code: str) -> None:
    d = Diagnostic(message, Span(), "warning", code)
    if d not in out:
        out.append(d)


def _top_notes(res: Resolution) -> list[FootnoteRef]:
    """Footnote calls of the text, in order, without calls inside notes."""
    out: list[FootnoteRef] = []
    nested: set[int] = set()
    for n in iter_footnotes(res):
        if id(n) in nested:
            continue
        out.append(n)
        for b in n.blocks:
            for inner in iter_footnotes(b):
                nested.add(id(inner))
    return out
