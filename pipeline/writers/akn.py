"""Akoma Ntoso writer: the canonical tree as AKN4UN XML, the way DGACM publishes it.

:func:`write` turns a :class:`~pipeline.ast.Resolution` into UTF-8 XML that
follows ``design/AKN4UN.md`` and the UN's production files (``corpus/akn``),
without their known faults (unresolved ``refersTo``, ``<num>`` padded with
tabs, ``FRBRauthor`` hrefs without ``#``).

Guarantees:

- the output validates against the OASIS Akoma Ntoso 3.0 schema
  (:mod:`pipeline.akn_schema`);
- it is deterministic: the same tree gives the same bytes (no clock is read;
  eIds are counters over the tree, attributes are written in a fixed order);
- every ``refersTo``/``source``/``href`` of the form ``#id`` names an eId of the
  same document: each one used is declared once in ``meta/references``;
- no whitespace is added inside mixed content (``p``, ``num``, headings, inline
  elements): only element-only containers are indented, so the reader gets
  back exactly the text of the tree;
- a value missing from the tree is never invented: its element is left out;
  masthead and closing lines the tree has no ``*_text`` for are generated from
  the language data as every writer generates them
  (:class:`pipeline.writers.view.View`);
- links follow the writers' one policy (:func:`pipeline.writers.view.link_target`):
  http, https and mailto kept, any other written as its text, with a warning;
- a node the writer cannot render is reported as a warning (a
  :class:`~pipeline.errors.Diagnostic` appended to ``warnings``), never dropped
  silently.

Supported nodes (tree -> AKN)::

  [X] Resolution                   statement name="resolution"
  [X] Resolution.components        documentCollection name="publication" + components
  [X] Meta                         meta (identification, classification, workflow,
                                   analysis/voting, references, presentation),
                                   coverPage, preface (notes that end the title after
                                   docTitle, or after the part letter, as the UN writes them)
  [X] Preamble                     preamble: formula name="enactingFormula", container per recital
                                   (a recital whose lines after the first are labelled:
                                   blockList > listIntroduction, item > num, p)
  [X] Paragraph                    paragraph > num > content > p | list > intro + point...
  [X] Item (nested)                point > num > content | intro + sublist + wrapUp
  [X] Paragraph.tail / Item.tail   wrapUp
  [X] Paragraph.extra              further blocks in content (or hcontainer name="extra")
  [X] Section                      section > num > heading > children
  [X] Recital inside a Section     crossHeading refersTo="#preamble"
  [X] Heading                      paragraph class=H1|H23|H4|H56 > num? > heading (mainBody,
                                   sections), > num? > subheading (annexes, as the UN's files)
  [X] Para                         container name="text" > p class=style (mainBody), p elsewhere
  [X] Table / Row / Cell           container name="table" > table > tr > th | td (colspan, rowspan)
  [X] Closing                      conclusions > p > inline name="adoptionMeeting", eol, docDate
  [X] Annex                        attachments > attachment > doc name="annex"
  [X] Text Emphasis Strong Superscript Subscript LineBreak
                                   text, i, b, sup, sub, eol
  [X] FootnoteRef                  authorialNote marker placement="bottom" eId="authorialNote_N"
  [X] DocRef / Link                a href (undocs.org for a DocRef)
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from lxml import etree

from ..ast import (Annex, Block, Body, Cell, Closing, Component, DocRef, Emphasis, FootnoteRef,
                   Heading, Inline, Item, LineBreak, Link, Meta, Para, Paragraph, Preamble,
                   Recital, Resolution, Section, Span, Strong, Subscript, Superscript, Table,
                   Text, plain_text)
from ..errors import Diagnostic
from ..options import DEFAULT_WRITE, WriteOptions
from . import Written
from .view import View, block_text, formula_parts, language_code, needs_gap, number

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN4UN_NS = "http://un.org/akn4un"
_NSMAP = {None: AKN_NS, "akn4un": AKN4UN_NS}
_A = "{%s}" % AKN_NS
_U = "{%s}" % AKN4UN_NS

#: Who edits the markup (the ``source`` of every meta block).
_EDITOR = "DGACM"

#: Organs: FRBR actor, TLCOrganization eId, ontology name, English name.
_ORGANS: dict[str, tuple[str, str, str, str]] = {
    "GA": ("unga", "generalAssembly", "generalAssembly", "General Assembly"),
    "ECOSOC": ("unecosoc", "ecosoc", "economicAndSocialCouncil", "Economic and Social Council"),
    "SC": ("unsc", "securityCouncil", "securityCouncil", "Security Council"),
    "HRC": ("unhrc", "humanRightsCouncil", "humanRightsCouncil", "Human Rights Council"),
}

#: The TLC entries the writer may refer to: eId -> (element, href, showAs).
_TLC: dict[str, tuple[str, str, str]] = {
    _EDITOR: ("TLCOrganization", "/akn/ontology/organization/un/DGACM",
              "Department for General Assembly and Conference Management"),
    "author": ("TLCRole", "/akn/ontology/role/un/author", "Author"),
    "issuer": ("TLCRole", "/akn/ontology/role/un/issuer", "Issuer"),
    "editor": ("TLCRole", "/akn/ontology/role/un/editor", "Editor"),
    "publisher": ("TLCRole", "/akn/ontology/role/un/publisher", "Publisher"),
    "issuingBody": ("TLCRole", "/akn/ontology/role/un/issuingBody", "Issuing body"),
    "symbol": ("TLCConcept", "/akn/ontology/reference/un/symbol", "Symbol"),
    "letter": ("TLCConcept", "/akn/ontology/reference/un/letter", "Part letter"),
    "resolutionTitle": ("TLCTerm", "/akn/ontology/reference/un/resolutionTitle",
                        "Resolution title"),
    "dateOfIssuance": ("TLCConcept", "/akn/ontology/concept/un/dateOfIssuance",
                       "Date of issuance"),
    "dateOfAdoption": ("TLCConcept", "/akn/ontology/concept/un/dateOfAdoption",
                       "Date of adoption"),
    "adoptionMeeting": ("TLCConcept", "/akn/ontology/concept/un/adoptionMeeting",
                        "Adoption meeting"),
    "preamble": ("TLCConcept", "/akn/ontology/concept/un/preamble", "Preambular part"),
    "publicationJobNumber": ("TLCConcept", "/akn/ontology/concept/un/publicationJobNumber",
                             "Job number"),
    "noMainCommittee": ("TLCTerm", "/akn/ontology/concept/un/noMainCommittee",
                        "Without reference to a Main Committee"),
    "memberState": ("TLCTerm", "/akn/ontology/organization/un/memberState", "Member State"),
    "inFavour": ("TLCTerm", "/akn/ontology/concept/un/voting/inFavour", "In favour"),
    "against": ("TLCTerm", "/akn/ontology/concept/un/voting/against", "Against"),
    "abstaining": ("TLCTerm", "/akn/ontology/concept/un/voting/abstaining", "Abstaining"),
}
_TLC_ORDER = ("TLCOrganization", "TLCRole", "TLCConcept", "TLCTerm")
_ORGAN_TLC = {eid: ("TLCOrganization", f"/akn/ontology/organization/un/{onto}", name)
              for _, eid, onto, name in _ORGANS.values()}
#: Heading level -> the UN's Word style for headings (the reader maps them back).
_HEADING_CLASS = {1: "H1", 2: "H23", 3: "H4", 4: "H56"}
_HEADING_STYLES = set(_HEADING_CLASS.values()) | {"HM", "HCh"}

# Elements whose content is mixed (text and inline elements): never indented.
_MIXED = {"p", "num", "heading", "subheading", "crossHeading", "docTitle", "docNumber",
          "docProponent", "docAuthority", "docStatus", "docDate", "session", "inline", "span",
          "i", "b", "a", "sup", "sub", "caption", "docketNumber", "organization", "location",
          "authorialNote", "keyword", "step"}

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TRAILING_PUNCT = re.compile(r"[\s,，،:：;；؛.。]+$")
_LABEL_ID = re.compile(r"[^0-9A-Za-z]+")
_PAREN_GROUP = re.compile(r"[(（]([^()（）]*)[)）]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


# ---------------------------------------------------------------- language access

class _Lang:
    """The document's language as this writer needs it: the writers' view of the tree
    (:class:`~pipeline.writers.view.View`: masthead lines, language data) and the AKN
    identity (the FRBR language code: ``und`` when the tree names no language)."""

    def __init__(self, code: str, diag: "_Diag"):
        self.code = code
        self.view = View(code, diag.warn, "akn")
        L = self.view.L
        self.akn = L.akn if self.view.known else (code.strip() or "und")
        self.lead_style = L.lead_style
        self.closing_order = tuple(L.closing_order) or ("meeting", "date")

    def undocs_url(self, symbol: str) -> str:
        """The undocs.org address of ``symbol``; its path is the symbol exactly, so the
        reader recovers the same symbol from it."""
        url = self.view.call("undocs_url", symbol)
        if url.endswith("/" + symbol):
            return url
        return f"https://undocs.org/{self.view.L.undocs}/{symbol}"


# ---------------------------------------------------------------- state

@dataclass
class _Diag:
    """Collects the warnings of one write."""

    out: list | None
    seen: set = field(default_factory=set)

    def warn(self, message: str, span: Span | None = None, code: str = "") -> None:
        d = Diagnostic(message, span or Span(), "warning", code)
        if self.out is not None and d not in self.seen:
            self.seen.add(d)
            self.out.append(d)


#: what an eId may be (the schema's noWhiteSpace, kept to letters, digits, "_", "-", ".")
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


class _Doc:
    """Per-statement state: eId counters, used references, language."""

    def __init__(self, lang: _Lang, diag: _Diag):
        self.L = lang
        self.diag = diag
        self.used: dict[str, tuple[str, str, str]] = {}
        self.notes = 0
        self.counters: dict[str, int] = {}

    def ref(self, eid: str, entry: tuple[str, str, str] | None = None) -> str:
        """``#eid``, recording that ``eid`` must be declared in the references.  A
        value that is no identifier (the UN's markup has outcomes such as "Adopted
        without vote, 59th plenary meeting") is declared under one made of its words
        ("adoptedWithoutVote59thPlenaryMeeting"), showing the value as written."""
        if not _ID.fullmatch(eid):
            words = re.findall(r"[A-Za-z0-9]+", eid)
            name = "".join([words[0].lower(), *(w[:1].upper() + w[1:] for w in words[1:])]) \
                if words else "term"
            entry = entry or ("TLCTerm", f"/akn/ontology/concept/un/{name}", eid)
            eid = name if name[:1].isalpha() else "term" + name
        if eid not in self.used:
            if entry is None:
                entry = _TLC.get(eid) or _ORGAN_TLC.get(eid) or (
                    "TLCTerm", f"/akn/ontology/concept/un/{eid}",
                    _CAMEL.sub(" ", eid).capitalize())
            self.used[eid] = entry
        return "#" + eid

    def next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]


# ---------------------------------------------------------------- small helpers

def _el(parent: etree._Element | None, tag: str, attrib: Iterable[tuple[str, str]] = (),
        text: str | None = None, ns: str = _A) -> etree._Element:
    """A new element (attributes in the given order, empty values left out)."""
    e = etree.Element(ns + tag) if parent is None else etree.SubElement(parent, ns + tag)
    for k, v in attrib:
        if v is not None and v != "":
            e.set(k, v)
    if text:
        e.text = _clean(text)
    return e


def _clean(s: str) -> str:
    return _XML_ILLEGAL.sub("", s)


def _add_text(el: etree._Element, s: str) -> None:
    """Append text at the end of ``el``'s content (its text, or the last child's tail)."""
    if not s:
        return
    s = _clean(s)
    if len(el):
        last = el[-1]
        last.tail = (last.tail or "") + s
    else:
        el.text = (el.text or "") + s


def _iri_number(number: str) -> str:
    return number.strip().replace("/", "-").replace(" ", "_")


def _number_of(meta: Meta) -> str:
    """The number the IRIs and the preface show: the resolution number
    (:func:`~pipeline.writers.view.number`), else the whole symbol."""
    return number(meta) or meta.symbol.strip()


def _label_id(label: str) -> str:
    return _LABEL_ID.sub("", label).lower()


# ---------------------------------------------------------------- inlines

def _inlines(doc: _Doc, parent: etree._Element, inlines: Iterable[Inline]) -> None:
    """Write ``inlines`` at the end of ``parent``'s content."""
    for n in inlines:
        if isinstance(n, Text):
            _add_text(parent, n.text)
        elif isinstance(n, Emphasis):
            _inlines(doc, _el(parent, "i"), n.children)
        elif isinstance(n, Strong):
            _inlines(doc, _el(parent, "b"), n.children)
        elif isinstance(n, Superscript):
            _inlines(doc, _el(parent, "sup"), n.children)
        elif isinstance(n, Subscript):
            _inlines(doc, _el(parent, "sub"), n.children)
        elif isinstance(n, LineBreak):
            _el(parent, "eol")
        elif isinstance(n, FootnoteRef):
            _footnote(doc, parent, n)
        elif isinstance(n, DocRef):
            _inlines(doc, _el(parent, "a", [("href", doc.L.undocs_url(n.symbol))]), n.children)
        elif isinstance(n, Link):
            href = doc.L.view.link(n.href)
            _inlines(doc, _el(parent, "a", [("href", href)]) if href else parent, n.children)
        else:
            doc.diag.warn(f"inline {type(n).__name__} not rendered in AKN", code="akn-node")


def _footnote(doc: _Doc, parent: etree._Element, n: FootnoteRef) -> None:
    doc.notes += 1
    note = _el(parent, "authorialNote", [("marker", n.marker or str(doc.notes)),
                                         ("placement", "bottom"),
                                         ("eId", f"authorialNote_{doc.notes}")])
    blocks = n.blocks or (Para(()),)
    for b in blocks:
        if isinstance(b, Para):
            _para(doc, note, b)
        elif isinstance(b, Table):
            _table(doc, note, b, f"authorialNote_{doc.notes}")
        else:
            doc.diag.warn(f"{type(b).__name__} inside a footnote rendered as text",
                          getattr(b, "span", None), code="akn-node")
            p = _el(note, "p")
            _add_text(p, block_text(b))


def _para(doc: _Doc, parent: etree._Element, para: Para) -> etree._Element:
    p = _el(parent, "p", [("class", para.style)])
    _inlines(doc, p, para.inlines)
    return p


def _lead_p(doc: _Doc, parent: etree._Element, lead: tuple[Inline, ...],
            body: tuple[Inline, ...], tag: str = "p") -> etree._Element:
    """``<p><span class=lead_style>lead</span>body</p>`` (the span only when there is a lead)."""
    p = _el(parent, tag)
    if lead:
        span = _el(p, "span", [("class", doc.L.lead_style)])
        _inlines(doc, span, lead)
        if needs_gap(lead, body):
            _add_text(p, " ")
    elif body and isinstance(body[0], (Emphasis, Strong)) and not plain_text(body[:1]).isspace():
        doc.diag.warn("a paragraph without lead opens with styled text: a reader will take it "
                      "for a lead phrase", code="akn-lead")
    _inlines(doc, p, body)
    return p


# ---------------------------------------------------------------- blocks

def _table(doc: _Doc, parent: etree._Element, t: Table, prefix: str) -> etree._Element:
    n = doc.next(prefix + "table")
    table = _el(parent, "table", [("eId", f"{prefix}__table_{n}" if prefix else f"table_{n}")])
    if t.caption:
        _inlines(doc, _el(table, "caption"), t.caption)
    for row in t.rows:
        tr = _el(table, "tr")
        for cell in row.cells:
            _cell(doc, tr, cell)
    if not len(table) or all(c.tag == _A + "caption" for c in table):
        _el(_el(table, "tr"), "td").append(etree.Element(_A + "p"))
        doc.diag.warn("empty table written with one empty cell", t.span, code="akn-table")
    return table


def _cell(doc: _Doc, tr: etree._Element, cell: Cell) -> None:
    attrs = []
    if cell.colspan and cell.colspan != 1:
        attrs.append(("colspan", str(cell.colspan)))
    if cell.rowspan and cell.rowspan != 1:
        attrs.append(("rowspan", str(cell.rowspan)))
    c = _el(tr, "th" if cell.header else "td", attrs)
    for b in cell.blocks:
        if isinstance(b, Para):
            _para(doc, c, b)
        else:
            doc.diag.warn(f"{type(b).__name__} inside a table cell rendered as text",
                          getattr(b, "span", None), code="akn-node")
            _add_text(_el(c, "p"), block_text(b))


def _blocks_into(doc: _Doc, parent: etree._Element, blocks: Iterable[Block], prefix: str) -> None:
    """Blocks inside a blocks container (content, intro, wrapUp): ``p`` and ``table``."""
    for b in blocks:
        if isinstance(b, Para):
            _para(doc, parent, b)
        elif isinstance(b, Table):
            _table(doc, parent, b, prefix)
        else:
            doc.diag.warn(f"{type(b).__name__} in running text rendered as a plain p",
                          getattr(b, "span", None), code="akn-node")
            _add_text(_el(parent, "p"), block_text(b))


class _Body:
    """Writes the operative part (and annex bodies) of one statement."""

    def __init__(self, doc: _Doc, annex: bool = False):
        self.doc = doc
        self.annex = annex

    # -- paragraphs and items
    def paragraph(self, parent: etree._Element, p: Paragraph, prefix: str) -> None:
        doc = self.doc
        eid = f"{prefix}para_{doc.next(prefix + 'para')}"
        el = _el(parent, "paragraph", [("eId", eid)])
        if p.num.strip():
            _el(el, "num", text=p.num.strip())
        if p.items or p.tail:  # a tail needs the list's wrapUp, even without points
            lst = _el(el, "list", [("eId", f"{eid}__list_1")])
            if p.lead or p.body:
                _lead_p(doc, _el(lst, "intro"), p.lead, p.body)
            self.items(lst, p.items, f"{eid}__list_1", "point")
            if p.tail:
                _blocks_into(doc, _el(lst, "wrapUp"), p.tail, eid)
            if p.extra:
                hc = _el(el, "hcontainer", [("eId", f"{eid}__hcontainer_1"), ("name", "extra")])
                _blocks_into(doc, _el(hc, "content"), p.extra, eid)
        else:
            content = _el(el, "content")
            _lead_p(doc, content, p.lead, p.body)
            _blocks_into(doc, content, p.extra, eid)

    def items(self, parent: etree._Element, items: tuple[Item, ...], prefix: str,
              tag: str) -> None:
        doc = self.doc
        used: set[str] = set()
        for n, it in enumerate(items, 1):
            key = _label_id(it.label)
            if not key or key in used:
                key = str(n)
            used.add(key)
            eid = f"{prefix}__point_{key}"
            pt = _el(parent, "point", [("eId", eid)])
            if it.label.strip():
                _el(pt, "num", text=it.label.strip())
            if it.items:
                if it.lead or it.body:
                    _lead_p(doc, _el(pt, "intro"), it.lead, it.body)
                sub = _el(pt, "sublist", [("eId", f"{eid}__list_1")])
                self.items(sub, it.items, f"{eid}__list_1", "point")
                if it.tail:
                    _blocks_into(doc, _el(pt, "wrapUp"), it.tail, eid)
            else:  # text after the item: further blocks of its content
                content = _el(pt, "content")
                _lead_p(doc, content, it.lead, it.body)
                _blocks_into(doc, content, it.tail, eid)

    # -- other operative nodes
    def node(self, parent: etree._Element, node: Any, prefix: str, in_section: bool,
             annex: bool = False) -> None:
        doc = self.doc
        if isinstance(node, Paragraph):
            self.paragraph(parent, node, prefix)
        elif isinstance(node, Section):
            self.section(parent, node, prefix)
        elif isinstance(node, Recital):
            if in_section:
                eid = f"{prefix}crossHeading_{doc.next(prefix + 'crossHeading')}"
                ch = _el(parent, "crossHeading", [("refersTo", doc.ref("preamble")),
                                                  ("eId", eid)])
                _lead_in(doc, ch, node.lead, node.body)
            else:  # the schema allows no crossHeading directly in mainBody
                doc.diag.warn("preambular paragraph among operative paragraphs outside a "
                              "section written as a text container (it reads back as text)",
                              node.span, code="akn-node")
                n = doc.next(prefix + "container")
                c = _el(parent, "container", [("eId", f"{prefix}container_{n}"),
                                              ("name", "preambular")])
                _lead_p(doc, c, node.lead, node.body)
        elif isinstance(node, Heading):
            self.heading(parent, node, prefix, annex)
        elif isinstance(node, (Para, Table)):
            # mainBody takes a container (as in the UN's files); a section, whose children
            # must be hierarchical, an hcontainer holding the block in its content
            name = "text" if isinstance(node, Para) else "table"
            kind = "hcontainer" if in_section else "container"
            eid = f"{prefix}{kind}_{doc.next(prefix + kind)}"
            c = _el(parent, kind, [("eId", eid), ("name", name)])
            if in_section:
                c = _el(c, "content")
            if isinstance(node, Para):
                _para(doc, c, node)
            else:
                _table(doc, c, node, eid)
        else:
            doc.diag.warn(f"{type(node).__name__} not rendered in the operative part",
                          getattr(node, "span", None), code="akn-node")

    def heading(self, parent: etree._Element, h: Heading, prefix: str, annex: bool) -> None:
        """A heading as the UN marks it: a ``paragraph`` whose class is the Word heading
        style of its level, holding only ``num`` and ``heading`` (in an annex:
        ``subheading``, as in the UN's annexes; a heading there is no text of its own)."""
        doc = self.doc
        eid = f"{prefix}para_{doc.next(prefix + 'para')}"
        cls = _HEADING_CLASS.get(h.level, "H56" if h.level > 4 else "H1")
        el = _el(parent, "paragraph", [("eId", eid), ("class", cls)])
        if h.num.strip():
            _el(el, "num", text=h.num.strip())
        if annex:
            _inlines(doc, _el(el, "subheading"), h.inlines)
        else:
            _inlines(doc, _el(el, "heading"), h.inlines)

    def section(self, parent: etree._Element, s: Section, prefix: str) -> None:
        doc = self.doc
        eid = f"{prefix}sec_{doc.next(prefix + 'sec')}"
        el = _el(parent, "section", [("eId", eid)])
        if s.num.strip():
            _el(el, "num", text=s.num.strip())
        if s.heading:
            _inlines(doc, _el(el, "heading"), s.heading)
        for child in s.children:
            self.node(el, child, eid + "__", True, self.annex)

    def operative(self, parent: etree._Element, nodes: Iterable[Any], prefix: str = "") -> None:
        for node in nodes:
            self.node(parent, node, prefix, False)


def _lead_in(doc: _Doc, el: etree._Element, lead: tuple[Inline, ...],
             body: tuple[Inline, ...]) -> None:
    """Lead and body straight into an inline element (crossHeading)."""
    if lead:
        _inlines(doc, _el(el, "span", [("class", doc.L.lead_style)]), lead)
        if needs_gap(lead, body):
            _add_text(el, " ")
    _inlines(doc, el, body)


# ---------------------------------------------------------------- document parts

def _organ(meta: Meta) -> tuple[str, str, str, str]:
    organ = meta.organ or ("ECOSOC" if meta.symbol.startswith("E/") else
                           "SC" if meta.symbol.startswith("S/") else "GA")
    return _ORGANS.get(organ, _ORGANS["GA"])


def _frbr(meta: Meta, number_part: str, lang: _Lang, suffix: str = "") -> dict:
    """The FRBR IRIs and dates, in DGACM's shapes (trailing slashes, ``zho@!main/``);
    a missing adoption date is the UN's unknown date 0001-01-01, never today."""
    actor = _organ(meta)[0]
    adopted = meta.adopted or "0001-01-01"
    work = f"/akn/un/statement/deliberation/{actor}/{adopted}/{number_part}/"
    expr_date = meta.published or meta.issued or adopted
    return {
        "work_this": f"{work}!main{suffix}/" if not suffix else f"{work}!main/{suffix}",
        "work_uri": work,
        "adopted": adopted,
        "expr_this": f"{work}{lang.akn}@!main/" if not suffix else
        f"{work}{lang.akn}@!main/{suffix}",
        "expr_uri": f"{work}{lang.akn}@/",
        "expr_date": expr_date,
        "man_this": f"{work}{lang.akn}@/!main{'/' + suffix if suffix else ''}.xml",
        "man_uri": f"{work}{lang.akn}@.xml",
        "man_date": meta.marked_up or expr_date,
    }


def _identification(meta_el: etree._Element, meta: Meta, doc: _Doc, number_part: str,
                    suffix: str = "") -> None:
    f = _frbr(meta, number_part, doc.L, suffix)
    organ_id = _organ(meta)[1]
    ident = _el(meta_el, "identification", [("source", doc.ref(_EDITOR))])
    w = _el(ident, "FRBRWork")
    _el(w, "FRBRthis", [("value", f["work_this"])])
    _el(w, "FRBRuri", [("value", f["work_uri"])])
    _el(w, "FRBRdate", [("date", f["adopted"]), ("name", "adoption")])
    _el(w, "FRBRauthor", [("href", doc.ref(organ_id)), ("as", doc.ref("author"))])
    _el(w, "FRBRcountry", [("value", "un")])
    e = _el(ident, "FRBRExpression")
    _el(e, "FRBRthis", [("value", f["expr_this"])])
    _el(e, "FRBRuri", [("value", f["expr_uri"])])
    _el(e, "FRBRdate", [("date", f["expr_date"]), ("name", "publication")])
    _el(e, "FRBRauthor", [("href", doc.ref(organ_id)), ("as", doc.ref("issuer"))])
    _el(e, "FRBRlanguage", [("language", doc.L.akn)])
    m = _el(ident, "FRBRManifestation")
    _el(m, "FRBRthis", [("value", f["man_this"])])
    _el(m, "FRBRuri", [("value", f["man_uri"])])
    _el(m, "FRBRdate", [("date", f["man_date"]), ("name", "markup")])
    _el(m, "FRBRauthor", [("href", doc.ref(_EDITOR)), ("as", doc.ref("editor"))])


def _meta(parent: etree._Element, meta: Meta, doc: _Doc, number_part: str) -> etree._Element:
    """``<meta>`` in the order the schema requires; ``references`` lists every ref used."""
    meta_el = _el(None, "meta")
    parent.insert(0, meta_el)
    _identification(meta_el, meta, doc, number_part)
    for c in meta.classifications:
        if not c.keywords:
            continue  # the schema refuses an empty classification
        cl = _el(meta_el, "classification", [("source", c.source or doc.ref(_EDITOR))])
        for k in c.keywords:
            # a keyword's address passes the one link policy (a refused one is left empty)
            href = (doc.L.view.link(k.href) if k.href else None) or ""
            _el(cl, "keyword", [("value", k.value), ("href", href),
                                ("showAs", k.show_as or k.value),
                                ("dictionary", k.dictionary or "unknown")])
    if meta.workflow:
        wf = _el(meta_el, "workflow", [("source", doc.ref(_EDITOR))])
        for s in meta.workflow:
            step = _el(wf, "step", [("date", s.date or "0001-01-01"), ("outcome", s.outcome)])
            if s.symbol:
                step.set("as", s.symbol)
            step.set("by", s.by)
    if meta.voting is not None:
        an = _el(meta_el, "analysis", [("source", doc.ref(_EDITOR))])
        outcome = meta.voting.outcome
        vt = _el(_el(an, "parliamentary"), "voting",
                 [("outcome", doc.ref(outcome) if outcome else "")])
        for c in meta.voting.counts:
            cnt = _el(vt, "count", [("value", str(c.value)),
                                    ("refersTo", doc.ref(c.kind) if c.kind else "")])
            if c.voters:
                voters = _el(cnt, "voters", ns=_U)
                for v in c.voters:
                    _el(voters, "organization", [("refersTo", doc.ref("memberState"))], text=v)
        if not meta.voting.counts:  # the schema wants a quorum or a count
            _el(vt, "quorum").set("value", "")
    # presentation first (it may use a ref), references last in creation, placed before it
    pres = None
    if meta.job_number:
        pres = _el(None, "presentation", [("source", doc.ref(_EDITOR))])
        ffp = _el(pres, "footerFirstPage", ns=_U)
        code = _el(_el(ffp, "footerFirstPageLeft", ns=_U), "internalCode", ns=_U)
        _el(code, "docketNumber", [("refersTo", doc.ref("publicationJobNumber"))],
            text=meta.job_number)
    doc.ref(_EDITOR)
    refs = _el(meta_el, "references", [("source", doc.ref(_EDITOR))])
    used = dict(doc.used)
    for eid, (kind, href, show) in sorted(used.items(),
                                          key=lambda kv: (_TLC_ORDER.index(kv[1][0]), kv[0])):
        _el(refs, kind, [("eId", eid), ("href", href), ("showAs", show)])
    if pres is not None:
        meta_el.append(pres)
    return meta_el


def _cover_page(parent: etree._Element, meta: Meta, doc: _Doc) -> None:
    view = doc.L.view
    cover = _el(parent, "coverPage")
    organ_id = _organ(meta)[1]
    un_name = view.un_name()
    if un_name:
        _el(_el(cover, "p"), "docAuthority", [("refersTo", doc.ref("publisher"))], text=un_name)
    if meta.symbol:
        _el(_el(cover, "p"), "docNumber", [("refersTo", doc.ref("symbol"))], text=meta.symbol)
    organ_name = view.organ_name(meta)
    if organ_name:
        _el(_el(cover, "p"), "docAuthority", [("refersTo", doc.ref("issuingBody"))],
            text=organ_name)
    if meta.distribution:
        dist = meta.distribution.strip()
        text = view.distribution_line(meta)
        key = _label_id(dist.split(":")[-1].split()[-1]) if dist else "general"
        _el(_el(cover, "p"), "docStatus", [("refersTo", doc.ref(f"{key}Distribution", (
            "TLCConcept", f"/akn/ontology/concept/un/{key}Distribution",
            f"{key.capitalize()} distribution")))], text=text)
    if meta.issued:
        _el(_el(cover, "p"), "docDate", [("date", meta.issued),
                                          ("refersTo", doc.ref("dateOfIssuance"))],
            text=view.issue_date(meta))
    if meta.session is not None or meta.session_text:
        _el(_el(cover, "p"), "session", [("refersTo", doc.ref(organ_id)),
                                         ("value", str(meta.session)
                                          if meta.session is not None else "")],
            text=view.session_line(meta))
    agenda = view.agenda_line(meta)
    if agenda:
        _el(_el(cover, "p"), "inline", [("name", "agenda item")], text=agenda)
    titles = [a.title for a in meta.agenda_items if a.title]
    for t in titles:
        _el(_el(cover, "p"), "inline", [("name", "agenda item name")], text=t)
    adoption = view.adoption_line(meta)
    if adoption:
        _el(_el(cover, "p"), "docTitle", text=adoption)
    _proponent(cover, meta, doc)
    if not len(cover):
        parent.remove(cover)


def _proponent(cover: etree._Element, meta: Meta, doc: _Doc) -> None:
    pr = meta.proponent
    text = doc.L.view.proponent_line(meta)
    if not text:
        return
    target = pr.committee or pr.kind or "proponent"
    el = _el(_el(cover, "p"), "docProponent", [("refersTo", doc.ref(target))])
    start, end = _originating_span(text, pr.drafts, pr.reference)
    if start < 0:
        el.text = _clean(text)
        return
    el.text = _clean(text[:start])
    _el(el, "inline", [("name", "originating document")], text=text[start:end])
    _add_text(el, text[end:])


def _originating_span(text: str, drafts: tuple[str, ...], reference: str) -> tuple[int, int]:
    """Where the originating documents are named in the proponent line: from the first
    draft symbol to the pinpoint reference (or the closing parenthesis); (-1, -1) if
    the line names none."""
    start = text.find(drafts[0]) if drafts else -1
    if start < 0:  # no known draft in the line: the last parenthesised group with a symbol
        groups = [m for m in _PAREN_GROUP.finditer(text) if "/" in m.group(1)]
        return (groups[-1].start(1), groups[-1].end(1)) if groups else (-1, -1)
    first_end = start + len(drafts[0])
    if reference:
        i = text.find(reference, first_end)
        if i >= 0:
            return start, i + len(reference)
    end = max(text.rfind(")"), text.rfind("）"))
    return start, end if end >= first_end else first_end


def _preface(parent: etree._Element, meta: Meta, doc: _Doc, component: bool) -> None:
    """``docNumber`` "71/19." and ``docTitle``; a part letter in its own ``docNumber``
    (a component of a collection shows only its letter, as the UN's files do)."""
    number = _number_of(meta) if not component else meta.number
    if not (number or meta.title or meta.letter):
        return
    pre = _el(parent, "preface")
    p = _el(pre, "p")
    if component and meta.letter and not number:
        _el(p, "docNumber", text=meta.letter)
    elif number:
        _el(p, "docNumber", text=number if number.endswith(".") else number + ".")
    title, notes = meta.title, ()
    while title and isinstance(title[-1], FootnoteRef):   # notes after the title, as the
        title, notes = title[:-1], (title[-1],) + notes   # UN writes them: never inside it
    if title:
        if len(p):
            _add_text(p, " ")
        _inlines(doc, _el(p, "docTitle", [("refersTo", doc.ref("resolutionTitle"))]), title)
    if meta.letter and (number or not component):
        p = _el(pre, "p")
        _el(p, "docNumber", [("refersTo", doc.ref("letter"))], text=meta.letter)
    for n in notes:                      # the part letter's note follows the letter
        _footnote(doc, p, n)


def _formula(doc: _Doc, parent: etree._Element, formula: tuple[Inline, ...]) -> None:
    """The enacting formula styled as the UN styles it: the words in the lead style, the
    final punctuation after the span."""
    f = _el(parent, "formula", [("name", "enactingFormula"), ("eId", "preamble__formula_1")])
    p = _el(f, "p")
    parts = formula_parts(formula)
    if parts:
        words, punct = parts
        if words:
            _el(p, "span", [("class", doc.L.lead_style)]).text = _clean(words)
        _add_text(p, punct)
    else:
        _inlines(doc, _el(p, "span", [("class", doc.L.lead_style)]), formula)


def _preamble(parent: etree._Element, pre: Preamble, doc: _Doc) -> None:
    if not pre.formula and not pre.recitals:
        return
    el = _el(parent, "preamble")
    if pre.formula:
        _formula(doc, el, pre.formula)
    for n, r in enumerate(pre.recitals, 1):
        name = _TRAILING_PUNCT.sub("", plain_text(r.lead)).strip() or "recital"
        eid = f"preamble__container_{n}"
        c = _el(el, "container", [("name", name), ("eId", eid)])
        lines = _list_lines(doc, r.body)
        if lines is None:
            _lead_p(doc, c, r.lead, r.body)
            continue
        # a recital that introduces a list: blockList > listIntroduction, item (num, p)
        bl = _el(c, "blockList", [("eId", f"{eid}__list_1")])
        _lead_p(doc, bl, r.lead, lines[0][1], "listIntroduction")
        for k, (label, inl) in enumerate(lines[1:], 1):
            item = _el(bl, "item", [("eId", f"{eid}__list_1__item_{k}")])
            if label:
                _el(item, "num", text=label)
            _inlines(doc, _el(item, "p"), inl)


def _list_lines(doc: _Doc, body: tuple[Inline, ...]) -> list[tuple[str, tuple]] | None:
    """A recital's body cut at its line breaks into (label, inlines) when its second line
    opens with an item label (the normalizer's form of a recital's list); else None."""
    lines: list[list[Inline]] = [[]]
    for n in body:
        if isinstance(n, LineBreak):
            lines.append([])
        else:
            lines[-1].append(n)
    if len(lines) < 2:
        return None
    out: list[tuple[str, tuple]] = [("", tuple(lines[0]))]
    for k, line in enumerate(lines[1:]):
        first = line[0] if line else None
        got = doc.L.view.L.any_label_shape(first.text) if isinstance(first, Text) else None
        if got is None and k == 0:
            return None
        if got is None:
            out.append(("", tuple(line)))
        else:
            rest = got[1].lstrip()
            out.append((got[0], ((Text(rest),) if rest else ()) + tuple(line[1:])))
    return out


def _meeting_title(meeting: str, number: int | None) -> str:
    """The ordinal as printed ("48th", "30e", "30-е", "第30"), else the number."""
    m = re.search(r"(?:第)?\d+[^\s\d(（\u2e80-\u9fff]{0,3}", meeting)
    if m:
        return m.group(0)
    return str(number) if number is not None else ""


def _conclusions(parent: etree._Element, closing: Closing | None, meta: Meta, doc: _Doc) -> None:
    if closing is None:
        return
    meeting, date_text, number = doc.L.view.closing_lines(closing, meta.meeting)
    parts: list[str] = []
    for what in doc.L.closing_order:
        if what == "meeting" and meeting:
            parts.append("meeting")
        elif what == "date" and (closing.date or date_text):
            parts.append("date")
    if not parts:
        return
    p = _el(_el(parent, "conclusions"), "p")
    for i, what in enumerate(parts):
        if i:
            _el(p, "eol")
        if what == "meeting":
            _el(p, "inline", [("name", "adoptionMeeting"),
                              ("title", _meeting_title(meeting, number))], text=meeting)
        elif closing.date:
            _el(p, "docDate", [("date", closing.date),
                               ("refersTo", doc.ref("dateOfAdoption"))], text=date_text)
        else:
            _el(p, "inline", [("name", "adoptionDate")], text=date_text)


def _attachments(parent: etree._Element, body: Body, meta: Meta, doc: _Doc,
                 number_part: str) -> None:
    if not body.annexes:
        return
    atts = _el(parent, "attachments")
    for n, annex in enumerate(body.annexes, 1):
        _annex(atts, annex, n, meta, doc, number_part)


def _annex(atts: etree._Element, annex: Annex, n: int, meta: Meta, doc: _Doc,
           number_part: str) -> None:
    prefix = f"att_{n}__"
    att = _el(atts, "attachment", [("eId", f"att_{n}")])
    d = _el(att, "doc", [("name", "annex")])
    meta_el = _el(d, "meta")
    _identification(meta_el, meta, doc, number_part, suffix=f"annex_{n}")
    if annex.heading or annex.title:
        pre = _el(d, "preface")
        if annex.heading:
            _inlines(doc, _el(_el(pre, "p"), "docNumber"), annex.heading)
        if annex.title:
            _inlines(doc, _el(_el(pre, "p"), "docTitle"), annex.title)
    mb = _el(d, "mainBody")
    w = _Body(doc, annex=True)
    for b in annex.blocks:
        if isinstance(b, Para) and b.style not in _HEADING_STYLES and \
                not re.match(r"\s*\d", plain_text(b.inlines)):
            # running text as the UN marks it: a paragraph with its Word style as class
            k = doc.next(prefix + "para")
            par = _el(mb, "paragraph", [("eId", f"{prefix}para_{k}"), ("class", b.style)])
            _inlines(doc, _el(_el(par, "content"), "p"), b.inlines)
        elif isinstance(b, (Paragraph, Section, Heading, Para, Table)):
            w.node(mb, b, prefix, False, True)
        else:
            doc.diag.warn(f"{type(b).__name__} in an annex rendered as text",
                          getattr(b, "span", None), code="akn-node")
            k = doc.next(prefix + "container")
            _add_text(_el(_el(mb, "container", [("eId", f"{prefix}container_{k}"),
                                               ("name", "text")]), "p"), block_text(b))
    if not len(mb):
        _el(_el(mb, "container", [("eId", f"{prefix}container_1"), ("name", "empty")]), "p")


# ---------------------------------------------------------------- statements

def _statement(parent: etree._Element, meta: Meta, body: Body, lang: _Lang, diag: _Diag,
               component: bool = False, number_part: str | None = None,
               id_meta: Meta | None = None) -> etree._Element:
    """One ``statement``; ``id_meta`` (default ``meta``) gives the identity (IRIs, dates)."""
    id_meta = id_meta or meta
    doc = _Doc(lang, diag)
    st = _el(parent, "statement", [("name", "resolution")])
    if number_part is None:
        number_part = _iri_number(_number_of(meta)) + (meta.letter or "").strip()
    if not component:
        _cover_page(st, meta, doc)
    _preface(st, meta, doc, component)
    _preamble(st, body.preamble, doc)
    mb = _el(st, "mainBody")
    _Body(doc).operative(mb, body.operative)
    if not len(mb):
        diag.warn("resolution without operative part: an empty paragraph is written",
                  code="akn-empty")
        _el(_el(_el(mb, "paragraph", [("eId", "para_1")]), "content"), "p")
    _conclusions(st, body.closing, meta, doc)
    _attachments(st, body, id_meta, doc, number_part)
    _meta(st, id_meta, doc, number_part)
    return st


def _collection(root: etree._Element, res: Resolution, lang: _Lang, diag: _Diag) -> None:
    meta = res.meta
    doc = _Doc(lang, diag)
    letters = [c.letter for c in res.components if c.letter]
    number_part = _iri_number(_number_of(meta)) + "-".join(letters)
    coll = _el(root, "documentCollection", [("name", "publication")])
    _cover_page(coll, meta, doc)
    _preface(coll, meta, doc, False)
    cb = _el(coll, "collectionBody")
    comps = _el(root, "components")
    for n, comp in enumerate(res.components, 1):
        show = f"Resolution {comp.letter}" if comp.letter else f"Resolution {n}"
        c = _el(cb, "component", [("eId", f"collection__component_{n}")])
        _el(c, "documentRef", [("eId", f"collection__documentRef_{n}"),
                               ("href", f"#comp_{n}"), ("showAs", show)])
        holder = _el(comps, "component", [("eId", f"comp_{n}")])
        cmeta = _component_meta(comp, meta)
        _statement(holder, comp.meta, comp.body, _Lang(cmeta.language or lang.code, diag), diag,
                   component=True,
                   number_part=_iri_number(_number_of(cmeta)) + (comp.letter or ""),
                   id_meta=cmeta)
    _meta(coll, meta, doc, number_part)


def _component_meta(comp: Component, parent: Meta) -> Meta:
    """The component's meta, falling back to the collection's for identity fields."""
    m = comp.meta
    updates: dict[str, Any] = {}
    for name in ("symbol", "organ", "language", "number", "adopted", "published", "marked_up",
                 "issued"):
        if not getattr(m, name) and getattr(parent, name):
            updates[name] = getattr(parent, name)
    if comp.letter and not m.letter:
        updates["letter"] = comp.letter
    if not updates:
        return m
    return dataclasses.replace(m, **updates)


# ---------------------------------------------------------------- serialisation

def _indent(el: etree._Element, level: int = 0) -> None:
    """Indent element-only containers; mixed content is left exactly as built."""
    if etree.QName(el).localname in _MIXED or not len(el):
        return
    if (el.text and el.text.strip()) or any(c.tail and c.tail.strip() for c in el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for c in el:
        c.tail = pad
        _indent(c, level + 1)
    el[-1].tail = "\n" + "  " * level


def write(res: Resolution, options: WriteOptions = DEFAULT_WRITE) -> Written:
    """The resolution as AKN4UN XML (UTF-8, with declaration, pretty-printed).

    Deterministic and schema-valid (see the module docstring); problems that
    do not stop the writing come back as the result's diagnostics.
    """
    warnings: list[Diagnostic] = []
    diag = _Diag(warnings)
    meta = res.meta
    code = language_code(res)
    if not code:
        diag.warn("no language in the tree: FRBRlanguage written as 'und'", code="akn-language")
    lang = _Lang(code, diag)
    root = etree.Element(_A + "akomaNtoso", nsmap=_NSMAP)
    if res.components:
        _collection(root, res, lang, diag)
    else:
        _statement(root, meta, res.body, lang, diag)
    _indent(root)
    root.tail = None
    return Written(b'<?xml version="1.0" encoding="UTF-8"?>\n' +
                   etree.tostring(root, encoding="UTF-8") + b"\n", tuple(warnings))
