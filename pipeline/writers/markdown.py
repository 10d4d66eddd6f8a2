"""Markdown writer: the canonical source form (``docs/source-format.md``), what ``unres fmt`` writes.

:func:`write` turns a :class:`~pipeline.ast.Resolution` into the documented
source format: YAML front matter for what the page does not show, then the
text as the UN prints it, one block per paragraph, lead phrases marked in the
language's style, footnotes as markdown footnotes.

Guarantees:

- reading the output with :mod:`pipeline.readers.markdown` gives back the
  same tree (spans aside) for every tree the readers produce, except for the
  shapes listed as "[-]" below, which are reported as warnings;
- writing that tree again gives the same bytes (``fmt`` is idempotent);
- deterministic: the same tree gives the same bytes (no clock, no network);
- text is escaped so that it reads back as the same text: markdown-special
  characters (``* _ [ ] < ` ~ { } \\ |``), and at the start of a line anything
  that would open a block (``#``, ``>``, ``-``, ``+``, ``:``, ``1.``, ``1)``);
- a front-matter key is written only when it carries something: the symbol and
  the language always, any other value only when the body lines do not already
  say it (a value the masthead line shows is not repeated);
- masthead and closing lines the tree has no ``*_text`` for are generated from
  the language data as every writer generates them
  (:class:`pipeline.writers.view.View`);
- links follow the writers' one policy (:func:`pipeline.writers.view.link_target`):
  http, https and mailto kept, any other written as its text, with a warning.

Supported nodes (tree -> markdown)::

  [X] Meta                       front matter + masthead lines (session, agenda,
                                 ## adoption heading, [committee line], ### N. Title)
  [-] Resolution.components      each component written in turn, reported: the
                                 source format has no syntax for a collection yet
  [X] Preamble                   formula in the lead style, then one block per Recital
  [X] Recital                    *Lead* body (italic / **bold** / ***bold italic*** per language)
  [X] Paragraph                  1. *Lead* body (Arabic "1 - ..."); a number out of
                                 sequence is written "N\\." so that no list renumbers it
  [X] Item (nested)              - (a) body, nested "  - (i) body"
  [X] Paragraph.extra/.tail      paragraphs (or tables) after the paragraph / its items
  [-] Item.tail                  paragraphs after the item (read back as the paragraph's tail)
  [X] Section                    #### I. Heading, then its children
  [X] Recital inside a Section   #### *Lead* body
  [-] Heading (operative part)   ##### Heading (the reader makes it a Section)
  [X] Para / Table               paragraph / pipe table (first row as header)
  [-] Table spans, captions,     not expressible in a pipe table: written flattened,
      several header rows        reported
  [X] Closing                    meeting and date joined by a hard line break, in the
                                 language's order
  [X] Annex                      ## Annex, ### title, then headings, paragraphs, tables
  [X] Text Emphasis Strong       escaped text, *x*, **x** (<i>/<b> where CommonMark's
                                 flanking rules would not close the run)
  [X] Superscript Subscript      <sup>x</sup>, <sub>x</sub>
  [X] LineBreak                  two trailing spaces (<br> inside a table cell)
  [X] FootnoteRef                [^N] at the call, "[^N]: text" after the block
  [X] DocRef                     the text as printed when the reader links it back
                                 by itself, else [text](undocs.org address)
  [X] Link                       [text](<href>) (http, https, mailto; other links: the text)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..ast import (Annex, Body, Closing, DocRef, Emphasis, FootnoteRef, Heading, Inline, Item,
                   LineBreak, Link, Meta, Para, Paragraph, Preamble, Proponent, Recital,
                   Resolution, Section, Span, Strong, Subscript, Superscript, Table, Text,
                   plain_text)
from ..errors import Diagnostic
from ..lang import ordered_list_number
from ..options import DEFAULT_WRITE, WriteOptions
from . import Written
from .view import (View, default_distribution, formula_parts, language_code, lead_gap,
                   link_target)

#: markdown marks of a lead phrase by the language's ``lead_style``
_LEAD_MARKS = {"italic": ("*", "*"), "bold": ("**", "**"), "bold italic": ("***", "***")}
_LEAD_TAGS = {"italic": ("<i>", "</i>"), "bold": ("<b>", "</b>"),
              "bold italic": ("<b><i>", "</i></b>")}
#: characters escaped wherever they occur in text
_SPECIAL = set("\\`*_[]<>~{}|")
#: an entity reference that pandoc would decode
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: what opens a block at the start of a line, but an ordered list's marker ("1.", "1)":
#: :func:`pipeline.lang.ordered_list_number`)
_BLOCK_START = re.compile(r"^(?:#|>|[-+*](?=\s|$)|[:~](?=\s|$|:|~)|=+\s*$|-{2,}|:::)")


# ---------------------------------------------------------------- characters

def _is_punct(ch: str) -> bool:
    """CommonMark's punctuation: ASCII punctuation and Unicode P* and S* categories."""
    return unicodedata.category(ch)[0] in "PS"


def _is_space(ch: str | None) -> bool:
    return ch is None or ch.isspace()


def _opens(prev: str | None, first: str | None) -> bool:
    """Whether ``*`` between ``prev`` and ``first`` is a left-flanking delimiter run."""
    if _is_space(first):
        return False
    return not _is_punct(first) or _is_space(prev) or _is_punct(prev)


def _closes(last: str | None, nxt: str | None) -> bool:
    """Whether ``*`` between ``last`` and ``nxt`` is a right-flanking delimiter run."""
    if _is_space(last):
        return False
    return not _is_punct(last) or _is_space(nxt) or _is_punct(nxt)


def escape(text: str, *, line_start: bool = False) -> str:
    """``text`` with every markdown-special character escaped (see module docstring)."""
    out = []
    for ch in text:
        if ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    s = "".join(out)
    s = _ENTITY.sub(lambda m: "\\" + m.group(0), s)
    if line_start:
        s = escape_line_start(s)
    return s


def escape_line_start(s: str) -> str:
    """An escaped line whose start would open a block (heading, list, quote ...) made literal."""
    digits = ordered_list_number(s)
    if digits:                          # "1." -> "1\.": the marker's digits, then the escape
        return digits + "\\" + s[len(digits):]
    return "\\" + s if _BLOCK_START.match(s) else s


# ---------------------------------------------------------------- writer state

@dataclass
class _W:
    """What the writer carries while it walks one document."""

    view: View
    organ: str
    warnings: list | None
    notes: int = 0
    used_labels: set = field(default_factory=set)
    pending: list = field(default_factory=list)   # footnote definitions waiting for their block

    @property
    def L(self) -> Any:
        return self.view.L

    def warn(self, message: str, span: Span | None = None, code: str = "md-writer") -> None:
        _warn(self.warnings, message, span, code)

    # inlines -----------------------------------------------------------
    def inlines(self, nodes: tuple[Inline, ...], prev: str | None = None,
                nxt: str | None = None, *, cell: bool = False) -> str:
        """Markdown for a run of inlines; ``prev``/``nxt`` are the characters around it."""
        plain = self._docref_plain(nodes)
        out: list[str] = []
        for i, n in enumerate(nodes):
            before = _last_char(nodes[:i]) if i else prev
            after = _first_char(nodes[i + 1:]) if i + 1 < len(nodes) else nxt
            out.append(self.inline(n, before, after, plain, cell))
        return "".join(out)

    def inline(self, n: Inline, prev: str | None, nxt: str | None, plain: set[int],
               cell: bool) -> str:
        if isinstance(n, Text):
            return escape(n.text, line_start=prev == "\n")
        if isinstance(n, (Emphasis, Strong)):
            return self._marked(n, prev, nxt, cell)
        if isinstance(n, Superscript):
            return "<sup>" + self.inlines(n.children, None, None, cell=cell) + "</sup>"
        if isinstance(n, Subscript):
            return "<sub>" + self.inlines(n.children, None, None, cell=cell) + "</sub>"
        if isinstance(n, LineBreak):
            return "<br>" if cell else "  \n"
        if isinstance(n, FootnoteRef):
            return self._note(n)
        if isinstance(n, DocRef):
            if id(n) in plain:
                return self.inlines(n.children, prev, nxt, cell=cell)
            return self._link(n.children, self.L.undocs_url(n.symbol.replace(" ", "%20")), cell)
        if isinstance(n, Link):
            href = self.view.link(n.href)
            if href is None:
                return self.inlines(n.children, prev, nxt, cell=cell)
            return self._link(n.children, href, cell)
        self.warn(f"{type(n).__name__} inline not rendered")
        return ""

    def _marked(self, n: Emphasis | Strong, prev: str | None, nxt: str | None,
                cell: bool) -> str:
        mark, tag = ("*", "i") if isinstance(n, Emphasis) else ("**", "b")
        kids = n.children
        if not kids:
            return ""
        text = plain_text(kids, notes=False)
        first = _first_char(kids)
        last = _last_char(kids)
        nested = isinstance(kids[0], (Emphasis, Strong)) or isinstance(kids[-1], (Emphasis, Strong))
        # a neighbour written with stars would join this run's delimiters: tags then
        if not text.strip() or nested or prev == "*" or nxt == "*" or not _opens(prev, first) or not _closes(last, nxt) \
                or isinstance(kids[0], (FootnoteRef, LineBreak)) \
                or isinstance(kids[-1], LineBreak):
            return f"<{tag}>" + self.inlines(kids, None, None, cell=cell) + f"</{tag}>"
        return mark + self.inlines(kids, mark[0], mark[0], cell=cell) + mark

    def _link(self, children: tuple[Inline, ...], href: str, cell: bool) -> str:
        target = href.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        return "[" + self.inlines(children, "[", "]", cell=cell) + "](<" + target + ">)"

    def _note(self, n: FootnoteRef) -> str:
        self.notes += 1
        label = n.marker if re.fullmatch(r"[0-9A-Za-z]{1,8}", n.marker or "") \
            and n.marker not in self.used_labels else f"n{self.notes}"
        while label in self.used_labels:
            label += "x"
        self.used_labels.add(label)
        paras = []
        for b in n.blocks:
            if isinstance(b, Para):
                paras.append(b)
            else:
                self.warn(f"{type(b).__name__} inside a footnote not rendered", getattr(b, "span", None))
        body_lines = []
        for k, p in enumerate(paras):
            text = self.inlines(p.inlines)
            text = escape_line_start(text) if k == 0 else text
            if k:
                self.warn("a footnote of several paragraphs is read back as one paragraph "
                          "(the reader removes the indentation that continues it)",
                          p.span, code="md-note-paragraphs")
            body_lines.append(("    " if k else "") + text.replace("\n", "\n    "))
        self.pending.append(f"[^{label}]: " + "\n\n".join(body_lines))
        return f"[^{label}]"

    def flush_notes(self) -> list[str]:
        out, self.pending = self.pending, []
        return out

    # symbols -----------------------------------------------------------
    def _docref_plain(self, nodes: tuple[Inline, ...]) -> set[int]:
        """ids of the DocRefs that the normalizer links back by itself when written as text.

        The reader merges a DocRef's text with the Text around it and looks for
        symbols in the run.  A DocRef is written plain when the run's symbols
        include it at the same place with the same target; the others become
        explicit links, which cut the runs, so the test is repeated until no
        choice changes."""
        refs = [n for n in nodes if isinstance(n, DocRef)
                and all(isinstance(c, Text) for c in n.children)]
        plain = {id(r) for r in refs}
        changed = bool(refs)
        while changed:
            changed = False
            for run in self._runs(nodes, plain):
                text, spans, at = "", [], 0
                for n in run:
                    t = plain_text(n.children) if isinstance(n, DocRef) else n.text
                    if isinstance(n, DocRef):
                        spans.append((at, at + len(t), n))
                    text += t
                    at += len(t)
                if not spans:
                    continue
                found = {(a, b, s.replace(" ", ""))
                         for a, b, s in self.L.find_symbols(text, self.organ)}
                for a, b, n in spans:
                    if (a, b, n.symbol.replace(" ", "")) not in found:
                        plain.discard(id(n))
                        changed = True
        return plain

    @staticmethod
    def _runs(nodes: tuple[Inline, ...], plain: set[int]) -> list[list[Inline]]:
        """Maximal runs of Text and plain-written DocRefs (what the reader merges)."""
        runs: list[list[Inline]] = [[]]
        for n in nodes:
            if isinstance(n, Text) or (isinstance(n, DocRef) and id(n) in plain):
                runs[-1].append(n)
            elif runs[-1]:
                runs.append([])
        return [r for r in runs if r]


def _first_char(nodes: tuple[Inline, ...]) -> str | None:
    for n in nodes:
        if isinstance(n, Text):
            if n.text:
                return n.text[0]
        elif isinstance(n, LineBreak):
            return "\n"
        elif isinstance(n, (FootnoteRef, Link)) and not _as_text(n):
            return "["
        elif isinstance(n, (Superscript, Subscript)):
            return "<"
        elif isinstance(n, (DocRef, Link)):
            c = _first_char(n.children)
            if c:
                return c
        elif isinstance(n, (Emphasis, Strong)):
            return "*"
    return None


def _last_char(nodes: tuple[Inline, ...]) -> str | None:
    for n in reversed(nodes):
        if isinstance(n, Text):
            if n.text:
                return n.text[-1]
        elif isinstance(n, LineBreak):
            return "\n"
        elif isinstance(n, (FootnoteRef, Link)) and not _as_text(n):
            return ")" if isinstance(n, Link) else "]"
        elif isinstance(n, (Superscript, Subscript)):
            return ">"
        elif isinstance(n, (DocRef, Link)):
            c = _last_char(n.children)
            if c:
                return c
        elif isinstance(n, (Emphasis, Strong)):
            return "*"
    return None


def _as_text(n: Inline) -> bool:
    """Whether ``n`` is a link the writers' link policy writes as its text."""
    return isinstance(n, Link) and link_target(n.href) is None


def _warn(warnings: list | None, message: str, span: Span | None = None,
          code: str = "md-writer") -> None:
    if warnings is not None:
        warnings.append(Diagnostic(message, span or Span(), code=code))


# ---------------------------------------------------------------- blocks

class _Doc:
    """The blocks of one document, separated by blank lines, notes after their block."""

    def __init__(self, w: _W):
        self.w = w
        self.blocks: list[str] = []
        self.last_num: int | None = None      # the number of an ordered-list item just written
        self.last_item = False                # whether the last block is a list of items

    def add(self, text: str, *, num: int | None = None, item: bool = False) -> None:
        if item and self.last_item:
            self.blocks[-1] += "\n" + text      # the items of one list, tight
        else:
            self.blocks.append(text)
        notes = self.w.flush_notes()
        self.blocks.extend(notes)
        self.last_num = num if not notes else None
        self.last_item = item and not notes

    def text(self) -> str:
        return "\n\n".join(b.rstrip(" ") if not b.endswith("  \n") else b for b in self.blocks) + "\n"


def _lead(w: _W, lead: tuple[Inline, ...], body: tuple[Inline, ...]) -> str:
    """A lead phrase marked in the language's style, the gap, the body."""
    if not lead:
        return escape_line_start(w.inlines(body))
    gap = lead_gap(lead, body)
    after = gap[:1] or _first_char(body)
    style = w.L.lead_style if w.L.lead_style in _LEAD_MARKS else "italic"
    first, last = _first_char(lead), _last_char(lead)
    opening, closing = _LEAD_MARKS[style]
    simple = all(isinstance(n, Text) for n in lead)
    if simple and _opens(None, first) and _closes(last, after):
        marked = opening + w.inlines(lead, "*", "*") + closing
    else:
        opening, closing = _LEAD_TAGS[style]
        marked = opening + w.inlines(lead) + closing
    return marked + gap + w.inlines(body, gap[:1] or "*", None)


def _list_number(L: Any, num: str) -> int | None:
    """n when ``num`` is the language's operative number n printed as markdown's
    ordered-list marker "n."; None for any other number ("1 -", "IV.", "3 bis")."""
    parsed = L.operative_number(num)
    if parsed is None or parsed[1] or parsed[0] != num or not num.endswith("."):
        return None
    digits = num[:-1]
    return int(digits) if digits.isascii() and digits.isdigit() else None


def _paragraph_line(w: _W, doc: _Doc, p: Paragraph, *, annex: bool = False) -> None:
    n = _list_number(w.L, p.num)
    text = _lead(w, p.lead, p.body) if (p.lead or p.body) else ""
    if n is not None:
        as_list = doc.last_num == n - 1 or doc.last_num is None
        if annex or as_list:
            if not as_list:
                w.warn(f"annex paragraph {p.num} follows {doc.last_num}.: the reader renumbers it",
                       p.span, code="md-annex-number")
            doc.add(f"{n}. {text}".rstrip(), num=n)
        else:
            doc.add(f"{n}\\. {text}".rstrip())
    elif p.num:
        doc.add(escape(p.num, line_start=True) + (" " + text if text else ""))
    else:
        doc.add(text)
    for b in p.extra:
        _block(w, doc, b)
    _items(w, doc, p.items, 0)
    for b in p.tail:
        _block(w, doc, b)


def _items(w: _W, doc: _Doc, items: tuple[Item, ...], depth: int) -> None:
    for it in items:
        label = escape(it.label, line_start=True)
        body = _lead(w, it.lead, it.body) if it.lead else w.inlines(it.body)
        doc.add("  " * depth + "- " + label + (" " + body if body else ""), item=True)
        _items(w, doc, it.items, depth + 1)
        for b in it.tail:
            w.warn("text after the sub-items of an item is read back as the paragraph's "
                   "closing text", getattr(b, "span", None), code="md-item-tail")
            _block(w, doc, b)


def _table(w: _W, doc: _Doc, t: Table) -> None:
    if not t.rows:
        return
    if t.caption:
        w.warn("table caption written as a paragraph before the table (pipe tables have none)",
               t.span, code="md-table")
        doc.add(escape_line_start(w.inlines(t.caption)))
    width = max(sum(c.colspan for c in r.cells) for r in t.rows)
    rows = list(t.rows)
    header_rows = [r for r in rows if r.cells and all(c.header for c in r.cells)]
    if any(c.colspan > 1 or c.rowspan > 1 for r in rows for c in r.cells):
        w.warn("table cells spanning several rows or columns are written as single cells",
               t.span, code="md-table")
    if len(header_rows) > 1 or (header_rows and header_rows[0] is not rows[0]) or \
            any(c.header for r in rows[1:] for c in r.cells):
        w.warn("only the first row of a table can be a header in a pipe table", t.span,
               code="md-table")
    if not all(c.header for c in rows[0].cells):
        w.warn("a table without a header row gets an empty one", t.span, code="md-table")
        rows.insert(0, None)

    def cell_text(c) -> str:
        parts = []
        for b in c.blocks:
            if isinstance(b, Para):
                parts.append(w.inlines(b.inlines, cell=True))
            else:
                w.warn(f"{type(b).__name__} in a table cell not rendered", t.span, code="md-table")
        if len(parts) > 1:
            w.warn("a table cell of several paragraphs is written with line breaks", t.span,
                   code="md-table")
        return "<br>".join(parts).replace("\n", " ")

    lines = []
    for k, r in enumerate(rows):
        cells = [""] * width if r is None else [cell_text(c) for c in r.cells]
        cells += [""] * (width - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
        if k == 0:
            lines.append("|" + "|".join("---" for _ in range(width)) + "|")
    doc.add("\n".join(lines))


def _heading(w: _W, doc: _Doc, h: Heading, level: int) -> None:
    text = w.inlines(h.inlines)
    if h.num:
        text = escape(h.num) + (" " + text if text else "")
    doc.add("#" * max(1, min(level, 6)) + " " + _heading_text(text))


def _heading_text(text: str) -> str:
    """Heading text that keeps its trailing ``#`` and attributes as text."""
    text = text.replace("  \n", " ").replace("\n", " ").rstrip()
    return re.sub(r"#+$", lambda m: "\\#" * len(m.group(0)), text)


def _block(w: _W, doc: _Doc, b: Any, *, annex: bool = False) -> None:
    if isinstance(b, Para):
        if b.style:
            w.warn(f"paragraph style {b.style!r} has no markdown form; not written", b.span,
                   code="md-style")
        doc.add(escape_line_start(w.inlines(b.inlines)))
    elif isinstance(b, Paragraph):
        _paragraph_line(w, doc, b, annex=annex)
    elif isinstance(b, Table):
        _table(w, doc, b)
    elif isinstance(b, Heading):
        _heading(w, doc, b, b.level if annex else 5)
        if not annex:
            w.warn("a heading in the operative part is read back as a section", b.span,
                   code="md-heading")
    elif isinstance(b, Recital):
        doc.add(_lead(w, b.lead, b.body))
    elif isinstance(b, Section):
        head = w.inlines(b.heading)
        num = escape(b.num) + ("." if b.num and head else "") if b.num else ""
        doc.add("#### " + _heading_text(" ".join(x for x in (num, head) if x)))
        for c in b.children:
            if isinstance(c, Recital):
                doc.add("#### " + _heading_text(_lead(w, c.lead, c.body)))
            else:
                if isinstance(c, Section):
                    w.warn("a section inside a section is read back as the next section",
                           c.span, code="md-section")
                _block(w, doc, c)
    elif isinstance(b, Item):
        _items(w, doc, (b,), 0)
    else:
        w.warn(f"{type(b).__name__} block not rendered", getattr(b, "span", None))


# ---------------------------------------------------------------- masthead and meta

def _lines(meta: Meta, view: View) -> dict[str, str]:
    """The masthead lines to write (as printed, else generated), by kind.  An adoption
    line is generated only when the tree names the organ: the line would name one."""
    out = {"session": view.session_line(meta), "agenda": view.agenda_line(meta),
           "adoption": view.adoption_line(meta)
           if meta.adoption_text or (meta.adopted and meta.organ) else "",
           "proponent": view.proponent_line(meta)}
    return {k: v for k, v in out.items() if v}


def _front(meta: Meta, body: Body, lines: dict[str, str], L, title_line: bool) -> dict:
    """The front matter: the keys whose values the body lines do not carry."""
    fm: dict[str, Any] = {}
    if meta.symbol:
        fm["symbol"] = meta.symbol
    if meta.language:
        fm["language"] = meta.language
    adoption = L.parse_adoption(lines["adoption"]) if "adoption" in lines else None
    formula = L.formula_organ(plain_text(body.preamble.formula)) if body.preamble.formula else None
    shown_organ = (adoption[0] if adoption else None) or formula
    if meta.organ and meta.organ != (shown_organ or "GA"):
        fm["organ"] = meta.organ
    if meta.number and not title_line:
        fm["number"] = meta.number
    if meta.letter:
        fm["letter"] = meta.letter
    if meta.title and not title_line:
        fm["title"] = plain_text(meta.title)
    if meta.session is not None and \
            (L.parse_session(lines["session"]) if "session" in lines else None) != meta.session:
        fm["session"] = meta.session
    numbers = tuple(a.number for a in meta.agenda_items)
    shown = L.parse_agenda(lines["agenda"]) if "agenda" in lines else None
    if any(a.title for a in meta.agenda_items):
        fm["agenda_items"] = [{"number": a.number, "title": a.title} if a.title else
                              {"number": a.number} for a in meta.agenda_items]
    elif numbers and tuple(shown or ()) != numbers:
        fm["agenda_items"] = list(numbers)
    closing = body.closing
    shown_date = (adoption[1] if adoption else None) or (closing.date if closing else "")
    if meta.adopted and meta.adopted != shown_date:
        fm["adopted"] = meta.adopted
    if meta.meeting is not None and meta.meeting != (closing.meeting_number if closing else None):
        fm["meeting"] = meta.meeting
    if meta.distribution and meta.distribution != default_distribution(meta):
        fm["distribution"] = meta.distribution
    for key in ("issued", "job_number"):
        if getattr(meta, key):
            fm[key] = getattr(meta, key)
    if meta.sponsors:
        fm["sponsors"] = list(meta.sponsors)
    p = meta.proponent
    if p.kind or p.drafts or p.reference or p.committee:
        got = L.parse_proponent(lines["proponent"]) if "proponent" in lines else None
        shown_p = Proponent(kind=got["kind"], committee=got["committee"],
                            drafts=tuple(got["drafts"]), reference=got["reference"]) if got else None
        want = Proponent(p.kind, p.committee, p.drafts, p.reference)
        if shown_p != want:
            fm["proponent"] = {k: v for k, v in (("kind", p.kind), ("committee", p.committee),
                                                 ("drafts", list(p.drafts)),
                                                 ("reference", p.reference)) if v}
    for key in ("published", "marked_up"):
        if getattr(meta, key):
            fm[key] = getattr(meta, key)
    if meta.workflow:
        fm["workflow"] = [_compact({"outcome": s.outcome, "date": s.date, "symbol": s.symbol,
                                    "by": s.by}) for s in meta.workflow]
    if meta.voting is not None:
        fm["voting"] = _compact({"outcome": meta.voting.outcome, "counts": [
            _compact({"kind": c.kind, "value": c.value, "voters": list(c.voters)})
            for c in meta.voting.counts]})
    if meta.classifications:
        # a keyword's address passes the one link policy (a refused one is left out)
        fm["classifications"] = [_compact({"source": c.source, "keywords": [
            _compact({"value": k.value, "href": link_target(k.href) or "", "show_as": k.show_as,
                      "dictionary": k.dictionary}) for k in c.keywords]})
            for c in meta.classifications]
    return fm


def _compact(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in ("", None, [], ())}


def _yaml(fm: dict) -> str:
    import yaml

    if not fm:
        return ""
    text = yaml.safe_dump(fm, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)
    return "---\n" + text + "---\n\n"


def _masthead(w: _W, doc: _Doc, meta: Meta, lines: dict[str, str]) -> bool:
    """The masthead lines; whether a title line was written."""
    if "session" in lines:
        doc.add(escape(lines["session"], line_start=True))
    if "agenda" in lines:
        doc.add(escape(lines["agenda"], line_start=True))
    if "adoption" in lines:
        doc.add("## " + _heading_text(escape(lines["adoption"])))
    if "proponent" in lines:
        t = lines["proponent"]
        if t.startswith("[") and t.endswith("]"):
            doc.add("[" + escape(t[1:-1]) + "]")
        else:
            doc.add(escape(t, line_start=True))
    if meta.number and meta.title:
        number = meta.number if meta.number.endswith(".") else meta.number + "."
        doc.add("### " + _heading_text(escape(number) + " " + w.inlines(meta.title, " ")))
        return True
    if meta.title and not all(isinstance(n, Text) for n in meta.title):
        w.warn("a title without a resolution number goes to the front matter as plain text",
               code="md-title")
    return False


def _preamble(w: _W, doc: _Doc, pre: Preamble) -> None:
    if pre.formula:
        words, punct = formula_parts(pre.formula) or ("", "")
        if words:
            doc.add(_lead(w, (Text(words),), (Text(punct),) if punct else ()))
        else:
            doc.add(escape_line_start(w.inlines(pre.formula)))
    for r in pre.recitals:
        doc.add(_lead(w, r.lead, r.body))


def _closing(w: _W, doc: _Doc, c: Closing) -> None:
    meeting, date, _ = w.view.closing_lines(c)   # the meta's meeting is front matter
    parts = {"meeting": meeting, "date": date}
    lines = [escape(parts[k], line_start=True) for k in w.L.closing_order if parts.get(k)]
    if lines:
        doc.add("  \n".join(lines))


def _annex(w: _W, doc: _Doc, a: Annex) -> None:
    heading = w.inlines(a.heading) if a.heading else escape(w.view.annex_label())
    if not a.heading:
        w.warn("annex without its heading: written with the language's annex label",
               a.span, code="md-annex")
    doc.add("## " + _heading_text(heading))
    if a.title:
        doc.add("### " + _heading_text(w.inlines(a.title)))
    doc.last_num = None
    for b in a.blocks:
        _block(w, doc, b, annex=True)


def _body(w: _W, doc: _Doc, body: Body) -> None:
    _preamble(w, doc, body.preamble)
    doc.last_num = None
    for node in body.operative:
        _block(w, doc, node)
    if body.closing is not None:
        _closing(w, doc, body.closing)
    for a in body.annexes:
        _annex(w, doc, a)


def write(res: Resolution, options: WriteOptions = DEFAULT_WRITE) -> Written:
    """The resolution in the canonical source form (UTF-8 markdown).

    Deterministic; what cannot be said in the source format comes back as the
    result's diagnostics (see the module docstring)."""
    warnings: list[Diagnostic] = []
    meta = res.meta
    view = View(language_code(res), lambda message, code: _warn(warnings, message, code=code),
                "md")
    L = view.L
    w = _W(view, meta.organ or "GA", warnings)
    doc = _Doc(w)
    if res.components:
        w.warn(f"a collection of {len(res.components)} resolutions under one symbol: the "
               f"source format has no syntax for one yet; the texts are written in turn",
               res.span, code="md-collection")
        lines = _lines(meta, view)
        titled = _masthead(w, doc, meta, lines)
        front = _front(meta, Body(), lines, L, titled)
        for comp in res.components:
            cw = _W(view, comp.meta.organ or meta.organ or "GA", warnings, w.notes, w.used_labels)
            cdoc = _Doc(cw)
            cdoc.add("# " + escape(comp.letter))
            clines = _lines(comp.meta, view)
            _masthead(cw, cdoc, comp.meta, clines)
            _body(cw, cdoc, comp.body)
            w.notes = cw.notes
            doc.blocks.extend(cdoc.blocks)
    else:
        lines = _lines(meta, view)
        titled = _masthead(w, doc, meta, lines)
        front = _front(meta, res.body, lines, L, titled)
        _body(w, doc, res.body)
    return Written((_yaml(front) + doc.text()).encode("utf-8"), tuple(warnings))
