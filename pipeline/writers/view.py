"""The writer view: what every writer shows of the tree, derived once.

Each writer lays the tree out in its own format, but the words it prints around the
text are the same in every format: the masthead lines (session, agenda item,
adoption, committee line, organ, distribution, date of issuance), the resolution
number, the closing lines, the text of a block a writer cannot render as such, the
gap between a lead phrase and its body, and which links of the source may be kept.
They are derived here, with one set of fallbacks, so that a fix to one of them is
made once for the HTML, PDF, DOCX, AKN and markdown outputs.

Guarantees:

- a line the tree holds as printed (``session_text``, ``adoption_text`` ...) is
  used as it is; a line it does not hold is generated from the language data
  (:mod:`pipeline.lang`, through its public methods), or is "" when the data
  cannot say it: a failing call is a warning (``<writer>-language``), never an
  exception;
- an unknown language code is a warning and the document is written with English
  conventions; a missing one is English without a warning;
- one link policy: :func:`link_target` keeps ``http``, ``https`` and ``mailto``
  addresses and refuses every other (``javascript:``, ``vbscript:``, ``data:``,
  ``file:``, ``\\\\host\\share``, relative paths); a refused link is written as its
  text, with a warning (``<writer>-link``);
- nothing here reads the environment, the clock or a file besides the language data
  and the pages' labels (``styles/html/lang.toml``).

The view knows the tree and the language data, nothing of any output format's markup.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from functools import lru_cache
from typing import Any, Callable, NamedTuple

from .. import lang as lang_mod
from ..ast import (Closing, Emphasis, FootnoteRef, Heading, Inline, Item, LineBreak, Meta,
                   Para, Paragraph, Recital, Resolution, Section, Strong, Superscript, Table,
                   Text, plain_text)
from ..errors import LanguageError
from ..resources import STYLES

#: a writer's warning function, called as ``warn(message, code=...)``
Warn = Callable[..., None]

#: the schemes a link of the source may keep (lower case); any other is written as text
LINK_SCHEMES = ("http://", "https://", "mailto:")

#: punctuation that closes the enacting formula ("The General Assembly," "大会，")
_FORMULA_PUNCT = ",，،:：;；؛.。"
_NO_SPACE_BEFORE = ",.;:!?)]}،؛…"
#: exceptions of the language data that mean "the data cannot say it"
_DATA_ERRORS = (AttributeError, KeyError, ValueError, TypeError, IndexError,
                NotImplementedError)


# ---------------------------------------------------------------- the tree, format-free

def language_code(res: Resolution) -> str:
    """The document's language code: its own, else its first component's ("" if none)."""
    code = (res.meta.language or "").strip()
    if not code and res.components:
        code = (res.components[0].meta.language or "").strip()
    return code


def number(meta: Meta) -> str:
    """The resolution number: the tree's, else what follows ``/RES/`` in the symbol
    ("71/19" of "A/RES/71/19"), else ""."""
    if meta.number:
        return meta.number
    _, sep, rest = meta.symbol.strip().partition("/RES/")
    return rest if sep else ""


def default_distribution(meta: Meta) -> str:
    """The distribution a document has when the tree names none: "General" for a
    resolution (every A/RES and E/RES is issued so), else ""."""
    return "General" if "/RES/" in meta.symbol else ""


def title_number(meta: Meta) -> str:
    """The number before the title, with the part letter and a full stop ("71/19.",
    "75/253 C."); "" when there is no number."""
    n = number(meta)
    if not n:
        return ""
    label = f"{n} {meta.letter}" if meta.letter else n
    return label if label.endswith(".") else label + "."


def running_job_number(meta: Meta) -> str:
    """The job number as the running foot prints it, without the language letter
    ("16-20567 (C)" -> "16-20567")."""
    job = meta.job_number.strip()
    head, sep, tail = job.rpartition("(")
    if sep and len(tail) == 2 and tail[0].isascii() and tail[0].isupper() and tail[1] == ")":
        return head.rstrip()
    return job


def formula_parts(formula: tuple[Inline, ...]) -> tuple[str, str] | None:
    """(words, closing punctuation) of an enacting formula of plain text ("The General
    Assembly", ","), the words to be set in the lead style; None when the formula holds
    anything but text."""
    if not all(isinstance(n, Text) for n in formula):
        return None
    text = plain_text(formula)
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in _FORMULA_PUNCT):
        end -= 1
    return text[:end], text[end:]


#: the marks that end a paragraph introducing what follows it ("Adopts the following
#: Pact:")
_INTRODUCING = (":", "：")


def adopted_text_start(nodes: tuple) -> int | None:
    """Where a text adopted in the operative part begins: the index of its title, a
    heading straight after the unnumbered operative paragraph, with its lead phrase and
    without items, that ends by introducing it ("Adopts the following declaration:",
    the normalizer's ``adopting``); else None.  A numbered paragraph introducing a
    heading ("6. Approves ... as set out below:" over "A. Pension Administration") opens
    no adopted text.  The UN sets the numbered paragraphs of such a text as those of an
    annex: the number flush at the column's edge, the text after a tab."""
    for i in range(1, len(nodes)):
        before = nodes[i - 1]
        if isinstance(nodes[i], Heading) and isinstance(before, Paragraph) and \
                not before.num.strip() and before.lead and not before.items and \
                not before.tail and not before.extra and \
                lead_text(before.lead, before.body).rstrip().endswith(_INTRODUCING):
            return i
    return None


def block_text(b: Any) -> str:
    """All the text of a block (its number or label, lead, body, items, tails and notes),
    for a writer that cannot render the block as such where it stands."""
    if isinstance(b, (Para, Heading)):
        return _joined(getattr(b, "num", ""), plain_text(b.inlines, notes=True))
    if isinstance(b, Table):
        return _joined(plain_text(b.caption, notes=True),
                       *(block_text(x) for r in b.rows for c in r.cells for x in c.blocks))
    if isinstance(b, Recital):
        return lead_text(b.lead, b.body)
    if isinstance(b, Paragraph):
        return _joined(b.num, lead_text(b.lead, b.body), *map(block_text, b.items),
                       *map(block_text, b.tail), *map(block_text, b.extra))
    if isinstance(b, Item):
        return _joined(b.label, lead_text(b.lead, b.body), *map(block_text, b.items),
                       *map(block_text, b.tail))
    if isinstance(b, Section):
        return _joined(b.num, plain_text(b.heading, notes=True), *map(block_text, b.children))
    return ""


def _joined(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def lead_text(lead: tuple[Inline, ...], body: tuple[Inline, ...]) -> str:
    """Lead phrase, gap and body as plain text (notes' text included)."""
    return plain_text(lead, notes=True) + lead_gap(lead, body) + plain_text(body, notes=True)


# ---------------------------------------------------------------- lead phrases

def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF \
        or 0x3000 <= o <= 0x303F


def call_gaps_closed(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` as a script without spaces between words prints them (the language
    data's ``compact``, Chinese): no space between a note's call and the CJK character
    after it ("报告¹以及").  The tree keeps the space, as the UN's Chinese markup has
    it ("报告<authorialNote/> 以及"); the UN's page shows none."""
    out = list(inlines)
    for i in range(1, len(out)):
        n = out[i]
        if isinstance(out[i - 1], FootnoteRef) and isinstance(n, Text) \
                and n.text[:1] == " " and is_cjk(n.text.lstrip(" ")[:1] or "a"):
            out[i] = Text(n.text.lstrip(" "))
    return tuple(out)


def needs_gap(lead: tuple[Inline, ...], body: tuple[Inline, ...]) -> bool:
    """Whether a space separates lead and body.

    The tree keeps no whitespace at that junction (see :mod:`pipeline.normalize.leads`):
    a space goes back unless either side is already a space, a CJK character touches
    the junction, or the body opens with closing punctuation or a footnote call.
    """
    a, b = plain_text(lead), plain_text(body)
    if not a or not body or isinstance(body[0], (FootnoteRef, LineBreak)):
        return False
    if not b:
        return False
    x, y = a[-1], b[0]
    if x.isspace() or y.isspace() or is_cjk(x) or is_cjk(y):
        return False
    return y not in _NO_SPACE_BEFORE


def lead_gap(lead: tuple[Inline, ...], body: tuple[Inline, ...]) -> str:
    """" " or "" to put between a lead phrase and its body."""
    return " " if needs_gap(lead, body) else ""


# ---------------------------------------------------------------- links

class TableShape(NamedTuple):
    """How a table is set, as the UN sets its financial tables: a
    wide label column and narrow columns of figures, right-aligned, under a header of
    italic column heads closed by a thick rule; no rule between body rows, a thin rule
    above and below each total, a thick rule under the table.

    ``columns``: the grid's width; ``header_rows``: the leading rows made of header cells
    only; ``figures``: the columns (never the first) whose body cells are mostly figures
    ("97 194 000", "(1 200)", "–", "3.5 per cent" is not one); ``starts``: per row, the
    grid column each of its cells starts at (row spans from above taken into account);
    ``totals``: the body rows that are totals: a bold label with figures beside it (the
    UN bolds the figures too; a reader may have lost that bold on a cell of figures
    alone), or every filled cell bold; ``head_last``: the last header row with words in
    it, the one the thick rule goes under (empty header rows after it are the gap the UN
    leaves under that rule)."""

    columns: int
    header_rows: int
    figures: frozenset[int]
    starts: tuple[tuple[int, ...], ...]
    totals: frozenset[int]
    head_last: int = -1

    def is_figure(self, row: int, cell: int) -> bool:
        """Whether cell ``cell`` of row ``row`` starts in a column of figures."""
        return self.starts[row][cell] in self.figures

    def row_kinds(self, row: int) -> tuple[str, ...]:
        """What row ``row`` is in a table of figures, as the stylesheets and the DOCX
        writer set it: "head", "head-last" (the thick rule under it) or "head-gap" (an
        empty header row under that rule) for a header row; for a body row "total", or
        any of "pre-total" (the row just above a total: the total's upper rule under it)
        and "post-total" (the row just below one), or nothing."""
        if row < self.header_rows:
            return ("head-last" if row == self.head_last else
                    "head-gap" if row > self.head_last else "head",)
        if row in self.totals:
            return ("total",)
        kinds = []
        if row + 1 in self.totals:
            kinds.append("pre-total")
        if row - 1 in self.totals:
            kinds.append("post-total")
        return tuple(kinds)


_FIGURE = re.compile(r"[(\[]?[-+\u2212\u2013\u2014]?\s*\d[\d\s\u00a0\u202f.,]*[)\]]?[a-z*]?"
                     r"|[-\u2013\u2014]")


def _cell_text(cell: Any) -> str:
    return " ".join(block_text(b) for b in cell.blocks).strip()


def _all_strong(cell: Any) -> bool:
    inl = [i for b in cell.blocks if isinstance(b, Para) for i in b.inlines
           if not (isinstance(i, Text) and not i.text.strip())]
    return bool(inl) and all(isinstance(i, Strong) for i in inl)


def table_shape(t: Table) -> TableShape:
    """The shape of a table (see :class:`TableShape`)."""
    starts: list[tuple[int, ...]] = []
    taken: dict[int, int] = {}           # column -> rows it is still covered for
    columns = 0
    for row in t.rows:
        col, first = 0, []
        for c in row.cells:
            while taken.get(col, 0) > 0:
                col += 1
            first.append(col)
            span = max(1, c.colspan)
            if c.rowspan > 1:
                for k in range(col, col + span):
                    taken[k] = c.rowspan
            col += span
        columns = max(columns, col, max(taken, default=-1) + 1)
        taken = {k: v - 1 for k, v in taken.items() if v > 1}
        starts.append(tuple(first))
    header = 0
    for row in t.rows:
        if not row.cells or not all(c.header for c in row.cells):
            break
        header += 1
    seen: dict[int, list[bool]] = {}
    for r in range(header, len(t.rows)):
        for c, col in zip(t.rows[r].cells, starts[r]):
            text = _cell_text(c)
            if col > 0 and c.colspan <= 1 and text:
                seen.setdefault(col, []).append(bool(_FIGURE.fullmatch(text)))
    figures = frozenset(col for col, marks in seen.items()
                        if sum(marks) >= max(1, 0.6 * len(marks)))
    totals = set()
    for r in range(header, len(t.rows)):
        row = t.rows[r]
        filled = [(c, col) for c, col in zip(row.cells, starts[r]) if _cell_text(c)]
        words = [c for c, col in filled if col not in figures]
        figs = [c for c, col in filled if col in figures]
        if len(filled) > 1 and all(_all_strong(c) for c, _ in filled):
            totals.add(r)
        elif words and figs and all(_all_strong(c) for c in words):
            totals.add(r)
    head_last = max((r for r in range(header) if any(_cell_text(c) for c in t.rows[r].cells)),
                    default=header - 1)
    return TableShape(max(columns, 1), header, figures, tuple(starts), frozenset(totals),
                      head_last)


#: the label that opens a note under a table when it is typed, not raised: "(a)", "(أ)"
_NOTE_LABEL = re.compile(r"\s*(\(\w{1,3}\))\s+")


def table_note_label(inlines: tuple[Inline, ...]) -> tuple[tuple[Inline, ...],
                                                          tuple[Inline, ...]] | None:
    """The label and the text of a note under a table (a paragraph of the UN's
    ``FootnoteText`` style: "\t<sup>a</sup>\tSee A/00/000."), else None: a leading
    superscript (italic or not), or a typed "(a)"."""
    if not inlines:
        return None
    first = inlines[0]
    inner = first.children[0] if isinstance(first, Emphasis) and len(first.children) == 1 \
        else first
    if isinstance(inner, Superscript) and plain_text((inner,)).strip():
        rest = list(inlines[1:])
        if rest and isinstance(rest[0], Text):
            rest[0] = Text(rest[0].text.lstrip())
        return (first,), tuple(r for r in rest if r != Text(""))
    if isinstance(first, Text) and (m := _NOTE_LABEL.match(first.text)):
        rest = first.text[m.end():]
        return (Text(m.group(1)),), ((Text(rest),) if rest else ()) + inlines[1:]
    return None


#: letters of right-to-left scripts (Arabic, Hebrew and their presentation forms)
_RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")


def latin_runs(inlines: tuple[Inline, ...]) -> list[tuple[bool, list[Inline]]]:
    """``inlines`` of a right-to-left text cut into runs: ``(True, run)`` for a stretch
    without right-to-left letters that holds a Latin (or Cyrillic) letter, to be set
    left to right as one unit ("United Nations, *Treaty Series*, vol. 1996, No. 1200."
    keeps its order and its full stop), ``(False, run)`` for the rest.  Text nodes are
    cut where the script changes; a run starts at the word of its first Latin letter
    (the number of an Arabic date before it, "2001 (A/CONF.192/15)", is not in it);
    spaces at the ends of a Latin run stay outside it; a bracket is inside a run only
    with its pair ("(A/CONF.192/15)" whole, the opening bracket taken from the text
    before the run when the closing one ends it); a footnote call or a line break ends
    a run."""
    pieces: list[tuple[str, Inline]] = []   # ("r" | "l" | "n" | "x", inline)
    for n in inlines:
        if isinstance(n, Text):
            for part in re.split(r"([\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+)", n.text):
                if not part:
                    continue
                kind = "r" if _RTL_LETTER.search(part) else \
                    "l" if _LATIN_LETTER.search(part) else "n"
                if kind == "l":
                    first = _LATIN_LETTER.search(part).start()
                    cut = max(part.rfind(" ", 0, first), part.rfind("\t", 0, first)) + 1
                    if cut:
                        pieces.append(("n", Text(part[:cut])))
                        part = part[cut:]
                pieces.append((kind, Text(part)))
        elif isinstance(n, (FootnoteRef, LineBreak)):
            pieces.append(("x", n))
        else:
            t = plain_text(n)
            kind = "r" if _RTL_LETTER.search(t) else "l" if _LATIN_LETTER.search(t) else "n"
            pieces.append((kind, n))
    out: list[tuple[bool, list[Inline]]] = []
    i = 0
    while i < len(pieces):
        if pieces[i][0] != "l":
            _append(out, False, pieces[i][1])
            i += 1
            continue
        j = i
        while j + 1 < len(pieces) and pieces[j + 1][0] in ("l", "n"):
            j += 1
        while j > i and pieces[j][0] == "n" and not _ends_latin(pieces[j][1]):
            j -= 1
        run = [p for _, p in pieces[i:j + 1]]
        head, run, tail = _trim_spaces(run)
        if head:
            _append(out, False, head)
        run, after = _paired(out, run)
        out.append((True, run))
        for n in (after, tail):
            if n:
                _append(out, False, n)
        i = j + 1
    return out


#: closing brackets and their opening ones (not the single quotes: ’ is an apostrophe too)
_PAIRS = {")": "(", "]": "[", "}": "{", "»": "«", "”": "“"}


def _paired(out: list, run: list[Inline]) -> tuple[list[Inline], Inline | None]:
    """A Latin run holding a closing bracket whose opening one it lacks ("A/77/23)."):
    with the opening bracket that ends the text before it (moved from ``out``), else
    cut before that closing bracket when it stands in the run's last text (the rest is
    returned to follow the run)."""
    text = "".join(n.text if isinstance(n, Text) else plain_text(n) for n in run)
    for close, opening in _PAIRS.items():
        if text.count(close) <= text.count(opening):
            continue
        last = out[-1][1] if out and not out[-1][0] and out[-1][1] else None
        if last and isinstance(last[-1], Text) and last[-1].text.endswith(opening):
            rest = last[-1].text[:-1]
            if rest:
                last[-1] = Text(rest)
            else:
                last.pop()
                if not last:
                    out.pop()
            return [Text(opening)] + run, None
        end = run[-1].text if run and isinstance(run[-1], Text) else ""
        depth = 0
        for k, ch in enumerate(end):
            depth += (ch == opening) - (ch == close)
            if depth < 0:
                head = run[:-1] + ([Text(end[:k].rstrip())] if end[:k].strip() else [])
                if head:
                    return head, Text(end[len(end[:k].rstrip()):])
                break
    return run, None


def _ends_latin(n: Inline) -> bool:
    """A neutral piece that belongs to the Latin run before it: digits, or punctuation
    that closes it (", vol. 1996, No. 1200.")."""
    t = plain_text(n) if not isinstance(n, Text) else n.text
    return bool(t.strip()) and not re.fullmatch(r"[\s(\[«“‘]+", t)


def _append(out: list, latin: bool, n: Inline) -> None:
    if out and out[-1][0] == latin and not latin:
        last = out[-1][1]
        if isinstance(n, Text) and last and isinstance(last[-1], Text):
            last[-1] = Text(last[-1].text + n.text)    # one text node, as in the tree
        else:
            last.append(n)
    else:
        out.append((latin, [n]))


def _trim_spaces(run: list[Inline]) -> tuple[Inline | None, list[Inline], Inline | None]:
    head = tail = None
    if run and isinstance(run[0], Text) and run[0].text != run[0].text.lstrip():
        t = run[0].text
        head = Text(t[:len(t) - len(t.lstrip())])
        run = [Text(t.lstrip())] + run[1:] if t.strip() else run[1:]
    if run and isinstance(run[-1], Text) and run[-1].text != run[-1].text.rstrip():
        t = run[-1].text
        tail = Text(t[len(t.rstrip()):])
        run = run[:-1] + [Text(t.rstrip())] if t.strip() else run[:-1]
    return head, run, tail


def strip_note_shell(blocks: tuple, shell: str) -> tuple:
    """A note's blocks without the empty shell of its mark ("()") that opens its text in
    the UN's Arabic markup (Word fills it with the number); the writers print the mark in
    its shell themselves."""
    if not shell or not blocks or not isinstance(blocks[0], Para) or not blocks[0].inlines:
        return blocks
    first = blocks[0].inlines[0]
    if not isinstance(first, Text) or not first.text.lstrip().startswith(shell):
        return blocks
    rest = first.text.lstrip()[len(shell):].lstrip()
    inlines = ((Text(rest),) if rest else ()) + blocks[0].inlines[1:]
    return (dataclasses.replace(blocks[0], inlines=inlines),) + tuple(blocks[1:])


def link_target(href: str) -> str | None:
    """The address a writer may write for a link of the source: ``href`` without the
    white space around it when it is an http, https or mailto address; None for any
    other (script and data URIs, local files, network shares, relative addresses),
    whose text is then written without the link."""
    h = href.strip()
    return h if h.lower().startswith(LINK_SCHEMES) else None


@lru_cache(maxsize=None)
def page_labels() -> dict[str, dict]:
    """``styles/html/lang.toml``: per language, how a page presents the text (its
    ``lang`` tag, labels for the skip link, sections and annexes, the closing's order
    in print ...)."""
    with open(STYLES / "html" / "lang.toml", "rb") as f:
        return tomllib.load(f)


# ---------------------------------------------------------------- one document, one writer

class ClosingLines(NamedTuple):
    """The closing as printed: the meeting line, the date line, the meeting's number."""

    meeting: str
    date: str
    meeting_number: int | None


class View:
    """The language data of one document and the lines derived from its tree, for one
    writer (``writer`` prefixes the codes of the warnings: ``html-language``)."""

    def __init__(self, code: str, warn: Warn, writer: str):
        self._warn = warn
        self.writer = writer
        self.given = (code or "").strip()
        self.known = bool(self.given)   # the document names a language we have
        try:
            self.L = lang_mod.get(self.given or "en")
        except LanguageError as exc:
            warn(f"{exc}; written with English conventions", code=f"{writer}-language")
            self.L = lang_mod.get("en")
            self.known = False
        self.code: str = self.L.code

    # -- the language data
    def call(self, name: str, *args: Any) -> str:
        """``L.name(*args)`` as text; "" (with a warning) when the data cannot say it."""
        return self._call(self.L, name, *args)

    def _call(self, L: Any, name: str, *args: Any) -> str:
        try:
            v = getattr(L, name)(*args)
        except _DATA_ERRORS as exc:
            self._warn(f"language data {L.code}.{name}{args!r} failed: {exc}",
                       code=f"{self.writer}-language")
            return ""
        return v if isinstance(v, str) else ""

    # -- masthead
    def un_name(self) -> str:
        return self.L.un_name

    def organ_name(self, meta: Meta) -> str:
        """The organ line ("General Assembly"); the Assembly's when the tree names none."""
        return self.L.organ_name(meta.organ or "GA") or ""

    def distribution_line(self, meta: Meta) -> str:
        """"Distr.: General" / "Distr. générale": the tree's distribution, else
        :func:`default_distribution`."""
        dist = meta.distribution.strip() or default_distribution(meta)
        if not dist:
            return ""
        if dist.lower().startswith("distr"):
            return dist
        return self.call("distribution_line", dist) or f"Distr.: {dist}"

    def issue_date(self, meta: Meta) -> str:
        """The date of issuance as the masthead prints it (in English in Arabic, Chinese
        and Russian documents, as the UN does); the ISO date when the data cannot say it."""
        if not meta.issued:
            return ""
        try:
            L = lang_mod.get(self.L.masthead_date_language)
        except LanguageError:
            L = self.L
        return self._call(L, "format_date", meta.issued) or meta.issued

    def session_line(self, meta: Meta) -> str:
        """"Seventy-first session"."""
        if meta.session_text:
            return meta.session_text
        return self.call("session_text", meta.session) if meta.session is not None else ""

    def agenda_line(self, meta: Meta) -> str:
        """"Agenda item 19"."""
        if meta.agenda_text:
            return meta.agenda_text
        numbers = tuple(a.number for a in meta.agenda_items)
        return self.call("agenda_text", numbers) if numbers else ""

    def adoption_line(self, meta: Meta) -> str:
        """"Resolution adopted by the General Assembly on 21 November 2016"."""
        if meta.adoption_text:
            return meta.adoption_text
        return self.call("adoption_text", meta.organ or "GA", meta.adopted) \
            if meta.adopted else ""

    def adoption_heading(self, meta: Meta) -> str:
        """The adoption line as a printed heading: its date, and the word before it, held
        together by no-break spaces ("… General Assembly / on 16 April 2025"), as the UN's
        editors keep them; :meth:`adoption_line` is the text itself."""
        line = self.adoption_line(meta)
        if not line or not meta.adopted or self.L.dir == "rtl":
            # right-to-left: as it is (LibreOffice 7 loops for ever laying out an Arabic
            # heading whose date is held together so)
            return line
        try:
            date = self.call("format_date", meta.adopted)
        except Exception:  # a date the language data cannot write: the line as it is
            return line
        at = line.replace("\u00a0", " ").rfind(date.replace("\u00a0", " ")) if date else -1
        if at < 0:
            return line
        head, tail = line[:at], line[at:at + len(date)].replace(" ", "\u00a0") + line[at + len(date):]
        if head.endswith(" ") and 0 < len(head.rstrip().rsplit(" ", 1)[-1]) <= 3:
            word_start = head.rstrip().rfind(" ") + 1
            head = head[:word_start] + head[word_start:].rstrip() + "\u00a0"
        return head + tail

    def proponent_line(self, meta: Meta) -> str:
        """"[without reference to a Main Committee (A/71/L.17)]"."""
        pr = meta.proponent
        if pr.text:
            return pr.text
        if not (pr.kind or pr.committee):
            return ""
        return self.call("proponent_text", pr.kind, pr.committee, pr.drafts, pr.reference)

    def annex_label(self) -> str:
        """What the language calls an annex ("Annex", "附件"), for an annex the tree gives
        no heading: the label of :func:`page_labels` when the language data reads it as an
        annex heading, else "Annex"."""
        labels = page_labels().get(self.code) or page_labels()["en"]
        label = labels.get("labels", {}).get("annex", "")
        return label if label and self.L.annex_heading(label) else "Annex"

    # -- closing
    def closing_lines(self, closing: Closing, meeting: int | None = None) -> ClosingLines:
        """The meeting and date lines of the closing; ``meeting`` is the number used when
        the closing has none (the meta's, for writers that show it there)."""
        n = closing.meeting_number if closing.meeting_number is not None else meeting
        line = closing.meeting or (self.call("meeting_text", n) if n is not None else "")
        date = closing.date_text or (self.call("format_date", closing.date)
                                     if closing.date else "")
        return ClosingLines(line, date, n)

    # -- links
    def link(self, href: str) -> str | None:
        """:func:`link_target` of ``href``; a refused link is reported."""
        target = link_target(href)
        if target is None:
            self._warn(f"link to {href.strip()[:60]!r} written as plain text (only http, "
                       "https and mailto links are kept)", code=f"{self.writer}-link")
        return target
