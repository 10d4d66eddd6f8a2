"""HTML writer: the canonical tree as one self-contained, semantic HTML5 page.

:func:`write` gives the page a browser shows (screen stylesheet inlined, notes
listed after the text with links both ways); :func:`document` gives the same
page for print, which :mod:`pipeline.writers.pdf` hands to WeasyPrint (each
note's text placed at its call, to float to the foot of the page, and the
first-page furniture: job number, barcode, QR code).

Guarantees:

- every string of the tree is escaped: the page is built as an lxml tree and
  serialized by lxml, so no source text can add an element, an attribute or a
  script; links follow the writers' one policy (:func:`pipeline.writers.view.link_target`:
  http, https and mailto kept, any other written as its text, with a warning);
- the page fetches nothing: styles are inlined, the UN emblem (optional, never
  shipped) is embedded as a data URI, and a Content-Security-Policy forbids
  every request;
- ``lang`` is on the root (``dir="rtl"`` for Arabic), the masthead is the
  banner, the text is ``main``, preamble and operative part are labelled
  sections, headings go in order (h1 adoption heading, h2 title and annex
  headings, h3 and below for parts);
- numbers, item labels, lead phrases, footnote markers and masthead lines are
  printed as the tree holds them; masthead lines missing from the tree are
  generated from the language data, as every writer generates them
  (:class:`pipeline.writers.view.View`); the page's own labels come from
  ``styles/html/lang.toml``;
- deterministic: the same tree gives the same bytes (no clock, ids are counters);
- a node the writer cannot render is reported as a warning, never dropped silently.

Supported nodes (tree -> HTML)::

  [X] Resolution / components      body > header.masthead + main > article (one per text)
  [X] Meta                         masthead, session, agenda, h1 adoption, proponent, h2 title
  [X] Preamble                     section.preamble > p.formula, p.recital
  [X] Paragraph                    div.paragraph > p (span.num, span.lead) + ol.items + tail
                                   (div.paragraph.adopted: of a text adopted in the operative
                                   part, view.adopted_text_start)
  [X] Item (nested)                li.item > p (span.label) + ol.items + tail
  [X] Section                      section.part > h3..h6 + children
  [X] Recital inside a Section     p.recital
  [X] Heading                      h3..h6 (level + 2), class "heading level-N", span.heading-num
  [X] Para                         p (class = its style)
  [X] Table / Row / Cell           table > tr > th | td (colspan, rowspan), caption
  [X] Closing                      div.closing > p.meeting, p.date (order: lang.toml)
  [X] Annex                        section.annex > h2 + h3 + blocks
  [X] Text Emphasis Strong Superscript Subscript LineBreak
                                   text, em, strong, sup, sub, br
  [X] FootnoteRef                  screen: a.fn-ref -> section.notes li (back link);
                                   print: span.fn at the call (float: footnote)
  [X] DocRef                       a.symbol href=lang.undocs_url(symbol)
  [X] Link                         a href (http, https, mailto only)
"""

from __future__ import annotations

import base64
import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

from lxml import etree
from lxml import html as lhtml

from ..ast import (Annex, Body, Cell, Closing, DocRef, Emphasis, FootnoteRef, Heading, Inline,
                   Item, LineBreak, Link, Meta, Para, Paragraph, Preamble, Recital, Resolution,
                   Section, Span, Strong, Subscript, Superscript, Table, Text, plain_text)
from ..errors import Diagnostic
from ..options import DEFAULT_WRITE, Emblem, WriteOptions
from ..resources import STYLES
from . import Written
from .view import (View, adopted_text_start, block_text, call_gaps_closed, formula_parts,
                   language_code, latin_runs, lead_gap, page_labels, running_job_number,
                   strip_note_shell, table_note_label, table_shape, title_number)

_HTML_DIR = STYLES / "html"
_CSS_DIR = STYLES / "css"

#: Characters XML (and so lxml) refuses; they never reach the page.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------- data and files

@lru_cache(maxsize=None)
def stylesheet_text(name: str) -> str:
    """A stylesheet of ``styles/css`` (``screen.css``, ``print.css``, ``lang/zh.css``...)."""
    path = _CSS_DIR / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def language_stylesheets(code: str) -> tuple[str, ...]:
    """Names (under ``styles/css``) of the per-language overrides for ``code``."""
    name = f"lang/{code}.css"
    return (name,) if (_CSS_DIR / name).is_file() else ()


@lru_cache(maxsize=None)
def _template() -> bytes:
    return (_HTML_DIR / "page.html").read_bytes()


# ---------------------------------------------------------------- state

@dataclass
class _Diag:
    out: list | None
    seen: set = field(default_factory=set)

    def warn(self, message: str, span: Span | None = None, code: str = "html") -> None:
        d = Diagnostic(message, span or Span(), "warning", code)
        if self.out is not None and d not in self.seen:
            self.seen.add(d)
            self.out.append(d)


class _Page:
    """Per-page state: language, medium, note counter, collected notes."""

    def __init__(self, code: str, medium: str, diag: _Diag):
        self.diag = diag
        self.medium = medium
        self.view = View(code, diag.warn, "html")
        self.L = self.view.L
        self.code = self.view.code
        self.P = page_labels().get(self.code) or page_labels()["en"]
        self.notes: list[tuple[int, FootnoteRef]] = []
        self.note_count = 0
        self.anchor: Callable[[Any], str | None] | None = None

    def mark(self, el: etree._Element, node: Any) -> etree._Element:
        """``el`` gets the id ``anchor(node)`` gives (when the caller asked for anchors)."""
        if self.anchor is not None:
            name = self.anchor(node)
            if name:
                el.set("id", _clean(name))
        return el

    @property
    def print(self) -> bool:
        return self.medium == "print"

    @property
    def rtl(self) -> bool:
        return self.L.dir == "rtl"

    @property
    def note_mark(self) -> tuple[str, str]:
        wrap = self.P.get("note_mark") or ["", ""]
        return wrap[0], wrap[1]

    def label(self, key: str) -> str:
        return self.P.get("labels", {}).get(key, key)


# ---------------------------------------------------------------- element helpers

def _clean(s: str) -> str:
    return _ILLEGAL.sub("", s)


def _el(parent: etree._Element | None, tag: str, cls: str = "", text: str = "",
        **attrs: str) -> etree._Element:
    e = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    if cls:
        e.set("class", cls)
    for k, v in attrs.items():
        if v:
            e.set(k.rstrip("_").replace("_", "-"), _clean(v))
    if text:
        e.text = _clean(text)
    return e


def _add_text(el: etree._Element, s: str) -> None:
    if not s:
        return
    s = _clean(s)
    if len(el):
        el[-1].tail = (el[-1].tail or "") + s
    else:
        el.text = (el.text or "") + s


# ---------------------------------------------------------------- inlines

def _inlines(page: _Page, parent: etree._Element, inlines: Iterable[Inline]) -> None:
    if page.rtl:
        # Latin stretches of a right-to-left text keep their order: one isolated run each
        for latin, run in latin_runs(tuple(inlines)):
            target = _el(parent, "span", "ltr", dir="ltr") if latin else parent
            _inline_nodes(page, target, run)
        return
    _inline_nodes(page, parent, inlines)


def _inline_nodes(page: _Page, parent: etree._Element, inlines: Iterable[Inline]) -> None:
    if page.L.compact:
        inlines = call_gaps_closed(tuple(inlines))
    for n in inlines:
        if isinstance(n, Text):
            _add_text(parent, n.text)
        elif isinstance(n, Emphasis):
            _inlines(page, _el(parent, "em"), n.children)
        elif isinstance(n, Strong):
            _inlines(page, _el(parent, "strong"), n.children)
        elif isinstance(n, Superscript):
            _inlines(page, _el(parent, "sup"), n.children)
        elif isinstance(n, Subscript):
            _inlines(page, _el(parent, "sub"), n.children)
        elif isinstance(n, LineBreak):
            _el(parent, "br")
        elif isinstance(n, DocRef):
            a = _el(parent, "a", "symbol", href=page.L.undocs_url(n.symbol))
            _inlines(page, a, n.children)
        elif isinstance(n, Link):
            href = page.view.link(n.href)
            _inlines(page, _el(parent, "a", href=href) if href else parent, n.children)
        elif isinstance(n, FootnoteRef):
            _footnote_call(page, parent, n)
        else:
            page.diag.warn(f"inline {type(n).__name__} not rendered in HTML", code="html-node")


def _footnote_call(page: _Page, parent: etree._Element, n: FootnoteRef) -> None:
    page.note_count += 1
    k = page.note_count
    marker = n.marker or str(k)
    # the language's shell around a note's number ("(1)" in Arabic), which its markup
    # leaves empty at the start of the note's text
    opening, closing = page.note_mark
    if opening or closing:
        n = dataclasses.replace(n, blocks=strip_note_shell(n.blocks, opening + closing))
    if page.print:
        # the note itself, at its call: print.css floats it to the foot of the page
        fn = _el(parent, "span", "fn", id=f"fn-{k}", data_marker=marker,
                 data_note_marker=opening + marker + closing)
        _note_blocks(page, fn, n, inline=True)
        return
    a = _el(parent, "a", "fn-ref", id=f"fnref-{k}", href=f"#fn-{k}", role="doc-noteref")
    _el(a, "sup", text=marker)
    page.notes.append((k, n))


def _note_blocks(page: _Page, parent: etree._Element, n: FootnoteRef, inline: bool) -> None:
    """The note's blocks: ``span.fn-p`` inside a print note (phrasing content only), ``p``
    and tables in the list of notes."""
    for b in n.blocks or (Para(()),):
        if isinstance(b, Para):
            _inlines(page, _el(parent, "span" if inline else "p", "fn-p"), b.inlines)
        elif isinstance(b, Table) and not inline:
            _table(page, parent, b)
        else:
            page.diag.warn(f"{type(b).__name__} inside a footnote rendered as text",
                           getattr(b, "span", None), code="html-node")
            _el(parent, "span" if inline else "p", "fn-p", text=block_text(b))


def _lead_body(page: _Page, p: etree._Element, lead: tuple[Inline, ...],
               body: tuple[Inline, ...]) -> None:
    if lead:
        _inlines(page, _el(p, "span", "lead " + page.L.lead_style), lead)
        _add_text(p, lead_gap(lead, body))
    _inlines(page, p, body)


# ---------------------------------------------------------------- blocks

def _para(page: _Page, parent: etree._Element, b: Para) -> None:
    """A paragraph; one of the UN's ``FootnoteText`` style (a note under a table) with a
    label has the label in a ``note-label`` span, for the stylesheets to hang it."""
    cls = "text" + (f" s-{re.sub(r'[^A-Za-z0-9_-]', '', b.style)}" if b.style else "")
    p = _el(parent, "p", cls)
    got = table_note_label(b.inlines) if b.style == "FootnoteText" else None
    if got:
        _inlines(page, _el(p, "span", "note-label"), got[0])
        _inlines(page, p, got[1])
    else:
        _inlines(page, p, b.inlines)


def _table(page: _Page, parent: etree._Element, t: Table) -> None:
    """A table; one with columns of figures (:func:`pipeline.writers.view.table_shape`) is
    classed ``figures``, its first column's cells ``label``, its figure cells ``fig``, its
    header rows ``head`` (the one the thick rule goes under also ``head-last``, an empty
    one under it ``head-gap``), its total rows ``total`` and the rows next to a total
    ``pre-total`` / ``post-total`` (:meth:`~pipeline.writers.view.TableShape.row_kinds`),
    for the stylesheets to set as the UN does."""
    shape = table_shape(t)
    wrap = _el(parent, "div", "table-wrap")
    table = _el(wrap, "table", "figures" if shape.figures else "")
    if t.caption:
        _inlines(page, _el(table, "caption"), t.caption)
    body = _el(table, "tbody")
    for r, row in enumerate(t.rows):
        kinds = shape.row_kinds(r) if shape.figures else \
            ("total",) if r in shape.totals else ()
        if kinds and kinds[0].startswith("head") and kinds[0] != "head":
            kinds = ("head",) + kinds
        tr = _el(body, "tr", " ".join(kinds))
        for i, cell in enumerate(row.cells):
            cls = ""
            if shape.figures:
                cls = "fig" if shape.is_figure(r, i) else \
                    "label" if shape.starts[r][i] == 0 else ""
            _cell(page, tr, cell, cls)


def _cell(page: _Page, tr: etree._Element, cell: Cell, cls: str = "") -> None:
    c = _el(tr, "th" if cell.header else "td", cls,
            colspan=str(cell.colspan) if cell.colspan != 1 else "",
            rowspan=str(cell.rowspan) if cell.rowspan != 1 else "")
    for b in cell.blocks:
        if isinstance(b, Para):
            _para(page, c, b)
        else:
            page.diag.warn(f"{type(b).__name__} inside a table cell rendered as text",
                           getattr(b, "span", None), code="html-node")
            _el(c, "p", text=block_text(b))


def _heading_tag(level: int) -> str:
    return f"h{min(6, max(3, level + 2))}"


def _label(page: _Page, p: etree._Element, label: str, depth: int) -> None:
    span = _el(p, "span", "label")
    parts = _letter_label(page, label.strip()) if depth == 0 else None
    if parts:
        _add_text(span, parts[0])
        _el(span, "span", "l", text=parts[1])
        _add_text(span, parts[2] + " ")
    else:
        _add_text(span, label.strip() + " ")


def _letter_label(page: _Page, label: str) -> tuple[str, str, str] | None:
    """(opening, letter, closing) of a first-level label in Latin letters ("(a)", "a)",
    "（b）"), whose letter is set apart for CSS to italicize; None for any other label."""
    if not any(level == 0 for level, _ in page.L.label_candidates(label)):
        return None
    letter = label.lstrip("(（").rstrip(")）")
    if not (1 <= len(letter) <= 2 and letter.isascii() and letter.isalpha()
            and letter.islower()):
        return None
    start = label.index(letter)
    return label[:start], letter, label[start + len(letter):]


def _items(page: _Page, parent: etree._Element, items: tuple[Item, ...], depth: int) -> None:
    ol = _el(parent, "ol", f"items level-{depth}")
    for it in items:
        li = page.mark(_el(ol, "li", "item"), it)
        p = _el(li, "p")
        if it.label.strip():
            _label(page, p, it.label, depth)
        _lead_body(page, p, it.lead, it.body)
        if it.items:
            _items(page, li, it.items, depth + 1)
        _blocks(page, li, it.tail, depth + 1, "tail")


def _paragraph(page: _Page, parent: etree._Element, para: Paragraph,
               adopted: bool = False) -> None:
    div = page.mark(_el(parent, "div", "paragraph" + ("" if para.num.strip() else " unnumbered")
                        + (" adopted" if adopted else "")), para)
    p = _el(div, "p", "op")
    if para.num.strip():
        _el(p, "span", "num", text=para.num.strip() + " ")
    _lead_body(page, p, para.lead, para.body)
    if para.items:
        _items(page, div, para.items, 0)
    _blocks(page, div, para.tail, 1, "tail")
    _blocks(page, div, para.extra, 1, "extra")


def _section(page: _Page, parent: etree._Element, s: Section, depth: int) -> None:
    sec = page.mark(_el(parent, "section", "part"), s)
    if s.num.strip() or s.heading:
        h = _el(sec, _heading_tag(depth), "part-heading")
        if s.num.strip():
            _el(h, "span", "part-num", text=s.num.strip())
            if s.heading:
                _el(h, "br")
        _inlines(page, h, s.heading)
    _blocks(page, sec, s.children, depth + 1, "")


def _blocks(page: _Page, parent: etree._Element, blocks: Iterable[Any], depth: int,
            cls: str, operative: bool = False) -> None:
    """Any block of the tree, in order (operative part, sections, annexes, tails); the
    paragraphs of a text adopted in the operative part marked ``adopted``."""
    blocks = tuple(blocks)
    start = adopted_text_start(blocks) if operative else None
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            _paragraph(page, parent, b, start is not None and i > start)
        elif isinstance(b, Section):
            _section(page, parent, b, depth)
        elif isinstance(b, Recital):
            _lead_body(page, page.mark(_el(parent, "p", "recital"), b), b.lead, b.body)
        elif isinstance(b, Heading):
            h = page.mark(_el(parent, _heading_tag(b.level + depth - 1),
                              f"heading level-{b.level}"), b)
            if b.num.strip():
                _el(h, "span", "heading-num", text=b.num.strip() + " ")
            _inlines(page, h, b.inlines)
        elif isinstance(b, Para):
            _para(page, parent, b)
            page.mark(parent[-1], b)
            if cls:
                parent[-1].set("class", parent[-1].get("class") + " " + cls)
        elif isinstance(b, Table):
            _table(page, parent, b)
            page.mark(parent[-1], b)
        elif isinstance(b, Item):
            _items(page, parent, (b,), 0)
        else:
            page.diag.warn(f"{type(b).__name__} not rendered in HTML",
                           getattr(b, "span", None), code="html-node")


# ---------------------------------------------------------------- document parts

def _masthead(page: _Page, body: etree._Element, meta: Meta, emblem: str | None) -> None:
    head = _el(None, "header", "masthead")
    body.insert(body.index(body.find("main")), head)
    if emblem:
        _el(head, "img", "emblem", src=emblem, alt="")
    _el(head, "p", "un-name", text=page.view.un_name())
    sym = meta.symbol.strip()
    if sym:
        p = _el(head, "p", "symbol")
        series, sep, rest = sym.partition("/")
        _el(p, "span", "series", text=series)
        _add_text(p, sep + rest)
    organ = page.view.organ_name(meta)
    if organ:
        _el(head, "p", "organ", text=organ)
    dist = page.view.distribution_line(meta)
    if dist or meta.issued:
        d = _el(head, "p", "distr", dir="ltr" if page.rtl else "")
        if dist:
            _el(d, "span", "dist", text=dist)
        if dist and meta.issued:
            _el(d, "br")
        if meta.issued:
            _el(d, "span", "issued", text=page.view.issue_date(meta))


def _doc_head(page: _Page, art: etree._Element, meta: Meta, show_adoption: bool,
              show_session: bool) -> None:
    view = page.view
    head = _el(art, "header", "doc-head")
    if show_session:
        sess = view.session_line(meta)
        if sess:
            _el(head, "p", "session", text=sess)
        agenda = view.agenda_line(meta)
        if agenda:
            _el(head, "p", "agenda", text=agenda)
        for a in meta.agenda_items:
            if a.title:
                _el(head, "p", "agenda-title", text=a.title)
    if show_adoption:
        adoption = view.adoption_heading(meta)
        if adoption:
            _el(head, "h1", "adoption", text=adoption)
        text = view.proponent_line(meta)
        if text:
            _proponent(page, _el(head, "p", "proponent"), text)
    label = title_number(meta) or meta.letter
    if label or meta.title:
        h = _el(head, "h2", "title")
        _el(h, "span", "num", text=label + " ")
        t = _el(h, "span", "title-text")
        _inlines(page, t, meta.title)


def _proponent(page: _Page, p: etree._Element, text: str) -> None:
    """The bracketed committee line: brackets roman, the words italic, symbols linked."""
    t = text.strip()
    open_, close = ("[", "]") if t.startswith("[") and t.endswith("]") else ("", "")
    inner = t[len(open_):len(t) - len(close)]
    _add_text(p, open_)
    em = _el(p, "span", "proponent-text")
    pos = 0
    for m in page.L.symbol_pattern.finditer(inner):
        _add_text(em, inner[pos:m.start()])
        _el(em, "a", "symbol", text=m.group(0), href=page.L.undocs_url(m.group("symbol")))
        pos = m.end()
    _add_text(em, inner[pos:])
    _add_text(p, close)


def _preamble(page: _Page, art: etree._Element, pre: Preamble) -> None:
    if not pre.formula and not pre.recitals:
        return
    sec = _el(art, "section", "preamble", aria_label=page.label("preamble"))
    if pre.formula:
        p = page.mark(_el(sec, "p", "formula"), pre)
        parts = formula_parts(pre.formula)
        if parts:
            _el(p, "span", "lead " + page.L.lead_style, text=parts[0])
            _add_text(p, parts[1])
        else:
            _inlines(page, _el(p, "span", "lead " + page.L.lead_style), pre.formula)
    for r in pre.recitals:
        _lead_body(page, page.mark(_el(sec, "p", "recital"), r), r.lead, r.body)


def _closing(page: _Page, art: etree._Element, closing: Closing | None, meta: Meta) -> None:
    if closing is None:
        return
    meeting, date, _ = page.view.closing_lines(closing, meta.meeting)
    lines = {"meeting": meeting, "date": date}
    order = page.P.get("closing_print") or list(page.L.closing_order)
    if not (meeting or date):
        return
    div = _el(art, "div", "closing")
    for what in order:
        if lines.get(what):
            _el(div, "p", what, text=lines[what])


def _annex(page: _Page, art: etree._Element, annex: Annex, n: int) -> None:
    sec = page.mark(_el(art, "section", "annex", id=f"annex-{n}"), annex)
    if annex.heading:
        _inlines(page, _el(sec, "h2", "annex-heading"), annex.heading)
    if annex.title:
        _inlines(page, _el(sec, "h3" if annex.heading else "h2", "annex-title"), annex.title)
    if not annex.heading and not annex.title:
        sec.set("aria-label", page.label("annex"))
    _blocks(page, sec, annex.blocks, 2, "")


def _notes(page: _Page, art: etree._Element) -> None:
    """The list of notes (screen): each with its marker and a link back to its call."""
    if not page.notes:
        return
    sec = _el(art, "section", "notes", role="doc-endnotes", aria_label=page.label("notes"))
    _el(sec, "hr", "notes-rule")
    ol = _el(sec, "ol", "notes-list")
    for k, n in page.notes:
        # a list item keeps its own role: a list holds list items only, and doc-endnote
        # is deprecated in DPUB-ARIA 1.1 (the section's doc-endnotes says what they are)
        li = _el(ol, "li", "note", id=f"fn-{k}")
        opening, closing = page.note_mark
        _el(li, "span", "note-marker", text=opening + (n.marker or str(k)) + closing)
        body = _el(li, "div", "note-body")
        _note_blocks(page, body, n, inline=False)
        last = body[-1] if len(body) and body[-1].tag == "p" else _el(body, "p")
        _add_text(last, " ")
        _el(last, "a", "back", text="↩", href=f"#fnref-{k}", role="doc-backlink",
            aria_label=page.label("back"))


def _text(page: _Page, main: etree._Element, meta: Meta, body: Body, first: bool,
          component: bool) -> None:
    art = _el(main, "article", "resolution" + (" component" if component else ""))
    _doc_head(page, art, meta, show_adoption=not component or bool(meta.adoption_text),
              show_session=first and not component)
    _preamble(page, art, body.preamble)
    if body.operative:
        sec = _el(art, "section", "operative", aria_label=page.label("operative"))
        _blocks(page, sec, body.operative, 1, "", operative=True)
    _closing(page, art, body.closing, meta)
    for n, annex in enumerate(body.annexes, 1):
        _annex(page, art, annex, n)


def _running(page: _Page, body: etree._Element, meta: Meta) -> None:
    """Print only: the strings of the running heads (symbol, title, job number)."""
    run = _el(body, "div", "running", aria_hidden="true")
    _el(run, "span", "run-symbol", text=meta.symbol)
    _el(run, "span", "run-title", text=plain_text(meta.title))
    if meta.job_number.strip():
        _el(run, "span", "run-job", text=running_job_number(meta))


_CONTAINERS = {"html", "head", "body", "main", "article", "section", "header", "div", "ol",
               "table", "tbody", "tr", "li"}


def _layout(el: etree._Element) -> None:
    """One block per line: a newline after each child of an element that holds only
    blocks (never inside running text, where it would be a space)."""
    if not isinstance(el.tag, str):
        return
    if el.tag in _CONTAINERS and not (el.text or "").strip() and \
            all(not (c.tail or "").strip() for c in el) and len(el):
        el.text = "\n"
        for c in el:
            c.tail = "\n"
    for c in el:
        if c.tag in _CONTAINERS:
            _layout(c)


# ---------------------------------------------------------------- entry points

def document(res: Resolution, *, medium: str = "screen", warnings: list | None = None,
             emblem: Emblem | None = None,
             anchor: Callable[[Any], str | None] | None = None) -> etree._Element:
    """The page as an lxml tree; ``medium`` is "screen" (notes listed after the text) or
    "print" (notes at their calls, running heads and first-page footer, no inlined CSS).

    ``anchor``, when given, names the element of each structural node of the tree: it
    is called with the node (the Preamble for its formula, each Recital, Paragraph,
    Item, Section, Heading, Annex, and Para or Table of the operative part and
    annexes) and the element gets the id it returns (none for None).  The
    publishing site gives every language version the same paragraph ids this way."""
    diag = _Diag(warnings)
    meta = res.meta
    page = _Page(language_code(res), medium, diag)
    page.anchor = anchor
    root = lhtml.document_fromstring(_template())
    root.set("lang", page.P.get("html_lang", page.code))
    root.set("dir", page.L.dir)
    root.set("class", f"lang-{page.code}")
    head, body = root.find("head"), root.find("body")
    title = " ".join(x for x in (meta.symbol, plain_text(meta.title)) if x)
    head.find("title").text = _clean(title) or "Resolution"
    if meta.symbol:
        _el(head, "meta", name="dcterms.identifier", content=meta.symbol)
    skip = body.find("a")
    skip.text = page.label("skip")
    main = body.find("main")
    _masthead(page, body, meta, _emblem_uri(emblem))
    texts = res.texts()
    for i, (m, b) in enumerate(texts):
        comp = bool(res.components)
        if comp and i == 0:
            _doc_head(page, _el(main, "div", "collection-head"), meta, True, True)
        _text(page, main, m, b, first=i == 0, component=comp)
    _el(main, "hr", "end-rule")
    if page.print:
        _running(page, body, meta)
        body.insert(0, body[-1])  # strings set before the first page is laid out
    else:
        _notes(page, main)
        css = "\n".join(stylesheet_text(n) for n in ("screen.css",) +
                        language_stylesheets(page.code))
        _el(head, "style", text="\n" + css)
    return root


def _emblem_uri(emblem: Emblem | None) -> str:
    """The emblem as a data URI (the page stays self-contained), or "" when not set.
    The image was read and checked by the command (:func:`pipeline.options.read_emblem`)."""
    if emblem is None:
        return ""
    return f"data:{emblem.media_type};base64,{base64.b64encode(emblem.data).decode('ascii')}"


def serialize(root: etree._Element) -> bytes:
    """The page as UTF-8 bytes, one block per line."""
    _layout(root)
    return b"<!DOCTYPE html>\n" + etree.tostring(root, method="html", encoding="utf-8") + b"\n"


def write(res: Resolution, options: WriteOptions = DEFAULT_WRITE) -> Written:
    """The resolution as one self-contained HTML5 page (UTF-8 bytes)."""
    warnings: list[Diagnostic] = []
    page = serialize(document(res, medium="screen", warnings=warnings, emblem=options.emblem))
    return Written(page, tuple(warnings))
