"""Reader for Akoma Ntoso (AKN4UN): the UN's own XML, and ours, back into the tree.

``read(data, path) -> Parsed``.  The input is parsed with every dangerous
feature of XML switched off (no DTD loading, no entity expansion, no network,
no huge trees); a DOCTYPE that declares entities or names an external DTD, and
any XInclude element, is refused with a :class:`~pipeline.errors.ReadError`
at its position.  Nothing of a refused file is read.

Mapping (the writer ``pipeline/writers/akn.py`` follows the same table)::

  akomaNtoso/statement                   Resolution(meta, body)
  akomaNtoso/documentCollection          Resolution(meta, components=(Component...))
  meta/identification                    Meta.adopted/published/marked_up/language/organ
  meta/workflow/step                     WorkflowStep(outcome, date, symbol=@as, by)
  meta/analysis/.../voting/count         Voting(outcome, counts=(VoteCount...))
  meta/classification/keyword            Classification(source, keywords)
  meta/presentation//docketNumber        Meta.job_number
  coverPage                              symbol, distribution, issued, session, agenda,
                                         adoption_text, proponent
  preface docNumber / docTitle           Meta.number (or letter) / Meta.title
  preamble/formula                       Preamble.formula (styling dropped)
  preamble/container|recital|p           Recital(lead, body)
  container/blockList                    Recital: listIntroduction, then each item on a line
  mainBody/paragraph                     Paragraph(num, lead, body, items, tail, extra)
  list/intro, point, sublist, wrapUp     body, Item, nested items, tail
  section|part|title|division|hcontainer Section(num, heading, children)
  crossHeading[@refersTo=#preamble]      Recital; other crossHeading/heading: Heading
  table/tr/th|td                         Table/Row/Cell
  conclusions                            Closing (and Meta.meeting)
  attachments/attachment/doc             Annex(heading, title, blocks)

Bidirectional controls (LRM, RLM ...) are dropped, as the normalizer drops them.
Inlines: span.italic / i -> Emphasis, span.bold / b -> Strong, sup, sub,
eol/br -> LineBreak, authorialNote -> FootnoteRef at its place, a to undocs.org
-> DocRef, other a -> Link; every other inline element gives its children.
Whitespace runs (space, tab, newline) become one space, stripped at block edges
and at the junction of a lead and its body; no-break spaces are kept. A bold or
italic run that holds no letter gives its children (an italic comma), except a
bold one in a table cell (a total's figures).

Repairs of known faults in the UN's files, each reported as a Diagnostic with
the element's line: tab-padded ``<num>``; operative numbers typed as text
("1 - تدعو"); items and text after a list marked up as unnumbered paragraphs
(made Items or the tail of the paragraph before); operative paragraphs typed in
the preamble; a statement that repeats preamble and mainBody, read in document
order; the meeting line typed as the last paragraph of the body (moved to the
closing, which it makes, with its date, where the file has no conclusions).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Iterable

from lxml import etree

from ..ast import (AgendaItem, Annex, Body, Cell, Classification, Closing, Component, DocRef,
                   Emphasis, FootnoteRef, Heading, Inline, Item, Keyword, LineBreak, Link, Meta,
                   Para, Paragraph, Preamble, Proponent, Recital, Resolution, Row, Section, Span,
                   Strong, Subscript, Superscript, Table, Text, VoteCount, Voting, WorkflowStep,
                   plain_text)
from ..ast import merge_texts
from .. import lang as langs
from ..errors import Diagnostic, LanguageError, ReadError, StructureError
from ..normalize.fields import split_fields
from ..normalize.items import FlatItem, attach_item_paras, nest_items
from ..normalize.leads import marked_lead
from ..normalize.text import unmark_letterless
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
A = "{%s}" % NS
AKN4UN = "{http://un.org/akn4un}"
XINCLUDE = "http://www.w3.org/2001/XInclude"

#: Containers of operative text read as Section.
SECTION_TAGS = {"section", "part", "title", "division", "chapter", "subsection", "book",
                "subdivision", "subpart", "subtitle", "article", "hcontainer"}
#: Inline elements that keep only their children.
DROPPED_INLINE = {"img", "noteRef", "marker", "componentRef"}

_WS = re.compile(r"[ \t\n\r\f\v]+")
#: bidirectional controls, which the tree does not keep (as the normalizer's text pass)
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_DOCREF = re.compile(r"^https?://(?:undocs\.org|docs\.un\.org)/(?:(?:en|fr|es|ru|ar|ch|zh)/)?"
                     r"(.+)$", re.I)
_SYMBOL = re.compile(r"(?<![A-Za-z0-9/])[A-Z]{1,6}(?:/[A-Za-z0-9.\-()]*[A-Za-z0-9)])+")
_SHORT = re.compile(r"(?<![A-Za-z0-9/])(Add|Rev|Corr)\.\d+")
_AGENDA = re.compile(r"\d+(?:\s*\(?[^\W\d_]{1,3}\))?")
_STYLE_CLASS = re.compile(r"italic|bold")
_HEADING_LEVELS = {"HM": 1, "HCh": 1, "H1": 1, "H23": 2, "H4": 3, "H56": 4}
#: the level of a heading in a paragraph without a heading style (a bold paragraph, a
#: short line): the UN prints these at 10 pt bold, as H2/3
_UNSTYLED_LEVEL = 2

_ACTORS = {"unga": "GA", "ga": "GA", "un-ga": "GA", "unsc": "SC", "sc": "SC", "un-sc": "SC",
           "unecosoc": "ECOSOC", "ecosoc": "ECOSOC", "un-ecosoc": "ECOSOC", "unhrc": "HRC",
           "hrc": "HRC"}


# ================================================================= entry point

def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read AKN bytes into the tree.

    The markup names its own language; ``options.lang`` is used only where it
    does not (no ``FRBRlanguage``).

    Guarantees: a ``Parsed`` whose tree holds every paragraph, item, footnote
    (at its place), lead phrase and metadata field the file carries; or a
    ``ReadError`` (unreadable, hostile, not AKN) / ``StructureError`` (AKN but
    no statement) with a position.  Never another exception for bad input.
    """
    root = _parse(data, path)
    reader = _Reader(path, options.lang)
    try:
        res = reader.resolution(root)
    except (ReadError, StructureError):
        raise
    except RecursionError:
        raise ReadError("XML nested too deeply", Span(path, 1, 1)) from None
    return Parsed(res, tuple(reader.diags))


# ================================================================= safe parsing

def _position(data: bytes, needle: bytes) -> tuple[int, int]:
    i = data.find(needle)
    if i < 0:
        return 1, 1
    line = data.count(b"\n", 0, i) + 1
    col = i - (data.rfind(b"\n", 0, i) + 1) + 1
    return line, col


def _parse(data: bytes, path: str) -> etree._Element:
    """Parse with no DTD, no entities, no network; refuse what could be hostile.

    Refused, with the position of the offending declaration: a DOCTYPE naming an
    external DTD, a DOCTYPE declaring entities (general or parameter), any
    XInclude element; malformed XML gives the parser's line and column.  A bare
    ``<!DOCTYPE akomaNtoso>`` is harmless and allowed.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ReadError("input is not bytes", Span(path, 1, 1))
    if not data.strip():
        raise ReadError("empty input", Span(path, 1, 1))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True,
                             dtd_validation=False, attribute_defaults=False)
    try:
        tree = etree.fromstring(bytes(data), parser).getroottree()
    except etree.XMLSyntaxError as e:
        line, col = (e.position if e.position else (1, 1))
        msg = re.sub(r",? line \d+, column \d+$", "",
                     (e.msg or "malformed XML").splitlines()[0].strip())
        raise ReadError(f"not well-formed XML: {msg}", Span(path, line or 1, col or 1)) from None
    except ValueError as e:  # e.g. unicode strings with encoding declaration
        raise ReadError(f"cannot parse XML: {e}", Span(path, 1, 1)) from None
    info = tree.docinfo
    if info.system_url or info.public_id:
        line, col = _position(data, b"<!DOCTYPE")
        raise ReadError("external DTD refused (DOCTYPE names "
                        f"{info.system_url or info.public_id!r})", Span(path, line, col))
    dtd = info.internalDTD
    if dtd is not None:
        if any(True for _ in dtd.iterentities()):
            line, col = _position(data, b"<!ENTITY")
            raise ReadError("DOCTYPE with entity declarations refused", Span(path, line, col))
    root = tree.getroot()
    for el in root.iter():
        if isinstance(el, etree._Entity):
            raise ReadError(f"entity reference &{el.name}; refused",
                            Span(path, el.sourceline or 1, 1))
        if isinstance(el.tag, str) and el.tag.startswith("{%s}" % XINCLUDE):
            raise ReadError("XInclude refused", Span(path, el.sourceline or 1, 1))
    if not isinstance(root.tag, str) or etree.QName(root).localname != "akomaNtoso":
        name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise ReadError(f"not Akoma Ntoso: the root element is <{name}>, not <akomaNtoso>",
                        Span(path, root.sourceline or 1, 1))
    if etree.QName(root).namespace != NS:
        raise ReadError(f"not Akoma Ntoso 3.0: namespace {etree.QName(root).namespace!r}, "
                        f"expected {NS!r}", Span(path, root.sourceline or 1, 1))
    return root


# ================================================================= helpers

def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el) -> list:
    return [c for c in el if isinstance(c.tag, str)]


def _find(el, *names: str):
    """First descendant in the AKN namespace along the path of local names."""
    return None if el is None else el.find("/".join(A + n for n in names))


def _text(el) -> str:
    """All text of an element, whitespace collapsed and stripped."""
    if el is None:
        return ""
    return unicodedata.normalize("NFC", _WS.sub(" ", _BIDI.sub("", "".join(el.itertext())))
                                 .strip())


def _merge(inlines: Iterable[Inline]) -> list[Inline]:
    """Adjacent Text merged, empty Text dropped."""
    return list(merge_texts(inlines))


def _has_children(n) -> bool:
    return isinstance(n, (Emphasis, Strong, Superscript, Subscript, DocRef, Link))


def _collapse(inlines: list[Inline], space_before: bool) -> tuple[list[Inline], bool]:
    """Drop a space that follows another space across node boundaries.

    ``space_before``: the text before ends with a space (or is a block edge).
    Returns the new inlines and whether they end with a space.
    """
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, Text):
            t = unicodedata.normalize("NFC", n.text)      # as every reader gives text
            if space_before and t.startswith(" "):
                t = t[1:]
            if t:
                out.append(Text(t))
                space_before = t.endswith(" ")
        elif isinstance(n, LineBreak):
            if out and isinstance(out[-1], Text) and out[-1].text.endswith(" "):
                out[-1] = Text(out[-1].text[:-1])
            out.append(n)
            space_before = True
        elif _has_children(n):
            kids, space_before_new = _collapse(list(n.children), space_before)
            if not kids:
                continue
            out.append(replace(n, children=tuple(_merge(kids))))
            space_before = space_before_new
        else:  # FootnoteRef: opaque, no text of its own in the line
            out.append(n)
    return _merge(out), space_before


#: spaces taken off the edges of a block (no-break spaces too: at an edge they mean nothing)
_EDGE_SPACE = " \u00a0\u202f"


def _strip_end(inlines: list[Inline], left: bool) -> list[Inline]:
    """Remove whitespace at one edge, descending into styled nodes."""
    seq = list(inlines)
    idx = range(len(seq)) if left else range(len(seq) - 1, -1, -1)
    for i in idx:
        n = seq[i]
        if isinstance(n, Text):
            t = n.text.lstrip(_EDGE_SPACE) if left else n.text.rstrip(_EDGE_SPACE)
            if t:
                seq[i] = Text(t)
                return seq
            seq[i] = Text("")
            continue
        if _has_children(n):
            kids = [k for k in _strip_end(list(n.children), left) if k != Text("")]
            if kids:
                seq[i] = replace(n, children=tuple(kids))
                return seq
            seq[i] = Text("")
            continue
        return seq  # a footnote or a line break ends the edge
    return seq


def _clean(inlines: Iterable[Inline], keep_bold: bool = False) -> tuple[Inline, ...]:
    """Block-level clean-up: merged texts, single spaces, stripped edges, no bold or
    italic run that holds no letter (an italic comma; as the normalizer reads them) but,
    with ``keep_bold`` (a table cell), a bold one (a total's figures)."""
    keep = (Strong,) if keep_bold else ()
    seq, _ = _collapse(_merge(unmark_letterless(tuple(_merge(inlines)), keep)), True)
    seq = _strip_end(seq, True)
    seq = _strip_end(seq, False)
    return tuple(_merge(seq))


def _unstyle(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Emphasis and Strong replaced by their children (the role carries the style)."""
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, (Emphasis, Strong)):
            out.extend(_unstyle(n.children))
        else:
            out.append(n)
    return tuple(_merge(out))


def _unwrap_whole(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """If one Emphasis/Strong spans the whole, its children (e.g. a bold title)."""
    while len(inlines) == 1 and isinstance(inlines[0], (Emphasis, Strong)):
        inlines = inlines[0].children
    return inlines


def _language(code: str):
    """The language data for an AKN or ISO code; English data when the code is unknown
    (reading goes on; the code itself is kept in Meta.language)."""
    try:
        return langs.get(code)
    except LanguageError:
        return langs.get("en")


def _iso639_1(code: str) -> str:
    """ISO 639-1 for an AKN language code ("zho" -> "zh"); an unknown code is kept."""
    try:
        return langs.get(code).code
    except LanguageError:
        return code.lower()


def _parse_agenda(text: str, language: str) -> tuple[str, ...]:
    """Agenda item numbers as printed ("130 (y)", "127 y)") in a masthead line."""
    got = _language(language).parse_agenda(text)
    if got is not None:
        return tuple(got)
    return tuple(m.group(0).strip() for m in _AGENDA.finditer(text))


# ================================================================= the reader

@dataclass
class _Record:
    """One mainBody <paragraph> as read, before the repairs that group them."""

    num: str
    lead: tuple
    body: tuple
    items: tuple
    tail: tuple
    extra: tuple
    heading: tuple | None
    level: int
    span: Span
    raw: tuple = ()             # lead and body as they were, styled lead included
    after: tuple = ()           # headings typed as the last items of its list, moved out


class _Reader:
    def __init__(self, path: str, lang: str | None = None):
        self.path = path
        self.lang = lang or ""      # the language when the markup names none
        self.L = _language(self.lang)
        self.diags: list[Diagnostic] = []
        self.multi_p_recitals = 0
        self.cells = 0              # depth of table cells being read
        # the level of the last numbered heading read (before any: 2, as the readers of
        # printed pages set a numbered heading)
        self.number_level = 2

    # ------------------------------------------------------------ utilities

    def span(self, el) -> Span:
        return Span(self.path, getattr(el, "sourceline", None) or 0, 1)

    def warn(self, el, message: str, code: str) -> None:
        self.diags.append(Diagnostic(message, self.span(el), "warning", code))

    def warn_at(self, span: Span, message: str, code: str) -> None:
        self.diags.append(Diagnostic(message, span, "warning", code))

    def num_of(self, el) -> str:
        """The element's <num> text, stripped; padding reported."""
        num = el.find(A + "num")
        if num is None:
            return ""
        raw = "".join(num.itertext())
        clean = _WS.sub(" ", raw).strip()
        if raw != clean:
            self.warn(num, f"padded <num> {raw!r}", "akn-padded-num")
        return clean

    # ------------------------------------------------------------ document

    def resolution(self, root) -> Resolution:
        doc = next(iter(_kids(root)), None)
        if doc is None or _local(doc) not in ("statement", "documentCollection"):
            what = f"<{_local(doc)}>" if doc is not None else "nothing"
            raise StructureError(f"Akoma Ntoso without a statement (found {what})",
                                 Span(self.path, (doc if doc is not None else root).sourceline
                                      or 1, 1))
        if _local(doc) == "statement":
            meta, body = self.statement(doc)
            return Resolution(meta=meta, body=body, span=self.span(doc))
        meta = self.meta(doc)
        comps = []
        statements = [st for comp in root.iter(A + "component")
                      for st in comp if isinstance(st.tag, str) and _local(st) == "statement"]
        if not statements:
            raise StructureError("documentCollection without component statements",
                                 self.span(doc))
        for st in statements:
            cmeta, cbody = self.statement(st)
            comps.append(Component(letter=cmeta.letter, meta=cmeta, body=cbody))
        return Resolution(meta=meta, components=tuple(comps), span=self.span(doc))

    def statement(self, st) -> tuple[Meta, Body]:
        """Meta and Body of one <statement>.

        A statement that repeats preamble and mainBody (a fault of the UN's markup:
        preamble, mainBody, preamble, mainBody, ...) is read in document order: recitals of
        every preamble; the unnumbered paragraphs of a mainBody followed by another
        preamble as recitals; and a preamble placed after operative paragraphs whose
        containers each open with an operative number ("4. 鼓励…") as the operative
        paragraphs they are.
        """
        meta = self.meta(st)
        self.L = _language(meta.language)
        pres = st.findall(A + "preamble")
        preamble = self.preamble(pres[0]) if pres else Preamble()
        recitals: list = []
        operative: list = []
        pending: Paragraph | None = None  # the last paragraph moved out of a preamble
        seen_pre = False
        kids = _kids(st)
        for at, kid in enumerate(kids):
            if _local(kid) == "preamble":
                found = list(self.preamble(kid).recitals if seen_pre else preamble.recitals)
                seen_pre = True
                moved = self.operative_in_preamble(found, whole=True) if operative else []
                if moved:
                    if pending is not None:
                        operative.append(pending)
                    operative.extend(moved[:-1])
                    pending = moved[-1]
                else:
                    recitals.extend(found)
                continue
            if _local(kid) != "mainBody":
                continue
            later_pre = any(_local(k) == "preamble" for k in kids[at + 1:])
            paras = [c for c in _kids(kid) if _local(c) == "paragraph"]
            if later_pre and not operative and pending is None and paras and \
                    all(not self.record(c).num for c in paras) and len(paras) == len(_kids(kid)):
                for c in paras:
                    self.warn(c, "paragraph of a mainBody placed between two preambles read "
                                 "as a recital", "akn-recital-in-body")
                    recitals.append(self.recital(c.find(A + "content")
                                                 if c.find(A + "content") is not None else c))
                continue
            if not operative and pending is None and recitals:
                moved = self.operative_in_preamble(recitals)
                if moved:
                    del recitals[len(recitals) - len(moved):]
                    operative.extend(moved[:-1])
                    pending = moved[-1]
            operative.extend(self.operative(kid, before=pending))
            pending = None
        if pending is not None:
            operative.append(pending)
        preamble = replace(preamble, recitals=tuple(recitals))
        concl = st.find(A + "conclusions")
        closing = self.closing(concl) if concl is not None else None
        if (closing is None or not closing.meeting) and operative:
            operative, closing = self.meeting_in_body(operative, closing)
        if closing is not None and closing.meeting_number is not None:
            meta = replace(meta, meeting=closing.meeting_number)
        annexes = tuple(x for att in st.findall(A + "attachments") for a in _kids(att)
                        for x in self.annexes_of(a))
        return meta, Body(preamble=preamble, operative=tuple(operative), closing=closing,
                          annexes=annexes)

    def operative_in_preamble(self, recitals: list[Recital],
                              whole: bool = False) -> list[Paragraph]:
        """Operative paragraphs typed in the preamble ("1. 表示注意到…"), as Paragraphs.

        Only a trailing run of recitals that each open with an operative number, the
        first of them numbered 1; with ``whole`` (a preamble placed after operative
        paragraphs), every recital, whatever the first number. Each move is reported.
        """
        start = len(recitals)
        while start > 0:
            r = recitals[start - 1]
            if r.lead or not r.body or not isinstance(r.body[0], Text) or \
                    self.L.any_operative_number(r.body[0].text) is None:
                break
            start -= 1
        run = recitals[start:]
        if not run or (start if whole else
                       self.L.any_operative_number(run[0].body[0].text)[0] != "1"):
            return []
        out = []
        for r in run:
            _, num, rest = self.L.any_operative_number(r.body[0].text)
            lead, body = _split_lead(_clean((Text(rest), *r.body[1:])))
            self.diags.append(Diagnostic(f"operative paragraph {num!r} typed in the preamble: "
                                         "moved to the operative part", r.span or Span(self.path),
                                         "warning", "akn-operative-in-preamble"))
            out.append(Paragraph(num=num, lead=lead, body=body, span=r.span))
        return out

    def meeting_in_body(self, operative: list,
                        closing: Closing | None) -> tuple[list, Closing | None]:
        """A meeting line typed as the last paragraph of the body, moved to the closing.

        Only when the conclusions have no meeting, and the last node is a paragraph whose
        last tail block is a short unlabelled line that reads as a meeting line in the
        language ("Primera sesión plenaria") or holds a number. Where the file has no
        conclusions at all, only a line that reads as a meeting line, or as a meeting and
        a date ("37-е пленарное заседание 7 декабря 2020 года"), which then makes the
        closing.
        """
        last = operative[-1]
        if not isinstance(last, Paragraph) or not last.tail or \
                not isinstance(last.tail[-1], Para):
            return operative, closing
        line = plain_text(last.tail[-1].inlines).strip()
        meeting = self.L.parse_meeting(line)
        m = re.search(r"\d+", line)
        if not (meeting or m) or len(line) > 60 or \
                _unstyle(last.tail[-1].inlines) != (Text(line),):
            return operative, closing
        span = last.tail[-1].span or Span(self.path)
        if closing is None:
            found = {"meeting": (line, meeting)} if meeting else {
                name: (piece, value) for name, piece, value in split_fields(
                    line, (("meeting", self.L.parse_meeting), ("date", self.L.parse_date)))
                or ()}
            if "meeting" not in found:
                return operative, closing
            date_text, date = found.get("date", ("", ""))
            closing = Closing(meeting=found["meeting"][0],
                              meeting_number=found["meeting"][1][0], date=date,
                              date_text=date_text, span=span)
        else:
            closing = replace(closing, meeting=line,
                              meeting_number=meeting[0] if meeting else int(m.group(0)))
        self.diags.append(Diagnostic(f"meeting line {line!r} typed in the body: moved to the "
                                     "closing", span, "warning", "akn-meeting-in-body"))
        return operative[:-1] + [replace(last, tail=last.tail[:-1])], closing

    # ------------------------------------------------------------ metadata

    def meta(self, doc) -> Meta:
        m: dict = {}
        meta = doc.find(A + "meta")
        ident = _find(meta, "identification")
        work = _find(ident, "FRBRWork")
        if ident is not None:
            for part, key in (("FRBRWork", "adopted"), ("FRBRExpression", "published"),
                              ("FRBRManifestation", "marked_up")):
                d = _find(ident, part, "FRBRdate")
                if d is not None and d.get("date"):
                    m[key] = d.get("date")
            lang = _find(ident, "FRBRExpression", "FRBRlanguage")
            if lang is not None and lang.get("language"):
                m["language"] = _iso639_1(lang.get("language"))
                self.L = _language(m["language"])
        if not m.get("language") and self.lang:
            m["language"] = _iso639_1(self.lang)
        organ = ""
        this = _find(work, "FRBRthis")
        if this is not None:
            parts = [p for p in (this.get("value") or "").split("/") if p]
            if len(parts) > 4:
                organ = _ACTORS.get(parts[4].lower(), "")
        if not organ:
            author = _find(work, "FRBRauthor")
            if author is not None:
                organ = _ACTORS.get((author.get("href") or "").lstrip("#").lower(), "")
        if meta is not None:
            wf = meta.find(A + "workflow")
            if wf is not None:
                m["workflow"] = tuple(
                    WorkflowStep(outcome=s.get("outcome", ""), date=s.get("date", ""),
                                 symbol=s.get("as", ""), by=s.get("by", ""))
                    for s in wf.findall(A + "step"))
            voting = meta.find(f"{A}analysis/{A}parliamentary/{A}voting")
            if voting is not None:
                counts = []
                for c in voting.findall(A + "count"):
                    try:
                        value = int(c.get("value", "").strip() or 0)
                    except ValueError:
                        value = 0
                        self.warn(c, f"vote count {c.get('value')!r} is not a number",
                                  "akn-bad-count")
                    voters = tuple(_text(o) for v in c.findall(AKN4UN + "voters")
                                   for o in v if isinstance(o.tag, str))
                    counts.append(VoteCount(kind=c.get("refersTo", "").lstrip("#"),
                                            value=value, voters=voters))
                m["voting"] = Voting(outcome=voting.get("outcome", "").lstrip("#"),
                                     counts=tuple(counts))
            m["classifications"] = tuple(
                Classification(source=c.get("source", ""), keywords=tuple(
                    Keyword(value=k.get("value", ""), href=k.get("href", ""),
                            show_as=k.get("showAs", ""), dictionary=k.get("dictionary", ""))
                    for k in c.findall(A + "keyword")))
                for c in meta.findall(A + "classification"))
            docket = next(meta.iter(A + "docketNumber"), None)
            if docket is not None:
                m["job_number"] = _text(docket)
        cover = doc.find(A + "coverPage")
        if cover is not None:
            self.cover(cover, m)
        sym = m.get("symbol", "")
        if not organ and sym:
            organ = {"A": "GA", "S": "SC", "E": "ECOSOC"}.get(sym.split("/")[0], "")
        if organ:
            m["organ"] = organ
        pref = doc.find(A + "preface")
        if pref is not None:
            for dn in pref.iter(A + "docNumber"):
                t = _text(dn)
                if dn.get("refersTo") == "#letter" or re.fullmatch(r"[A-Z]", t):
                    m["letter"] = t
                elif t:
                    m["number"] = t[:-1] if t.endswith(".") else t
            title = next(pref.iter(A + "docTitle"), None)
            if title is not None:
                inl = _unwrap_whole(_clean(self.inlines(title)))
                if inl and isinstance(inl[0], Text) and \
                        re.match(r"^[-\u2013\u2014]\s", inl[0].text):
                    self.warn(title, "title opens with the dash that follows the number: dropped",
                              "akn-title-dash")
                    inl = _clean((Text(inl[0].text[2:]), *inl[1:]))
                m["title"] = inl
            # a note of the part letter (or of the number) outside the title: kept with
            # the title, the preface's one place for notes in the tree
            loose = [n for n in pref.iter(A + "authorialNote")
                     if not any(_local(a) in ("docTitle", "authorialNote")
                                for a in n.iterancestors())]
            if loose:
                m["title"] = tuple(m.get("title", ())) + tuple(
                    x for n in loose for x in self.inline(n))
        # The schema requires expression and manifestation dates; a writer that
        # knows no separate date repeats the one before it (issuance, else
        # adoption).  Such a repeated date says nothing of its own: keep it empty,
        # so that reading what we wrote gives back the tree we wrote.
        fallback = m.get("issued") or m.get("adopted", "")
        if m.get("published") == fallback:
            m.pop("published")
        if m.get("marked_up") == (m.get("published") or fallback):
            m.pop("marked_up", None)
        return Meta(**m)

    def cover(self, cover, m: dict) -> None:
        agenda_texts, agenda_titles = [], []
        for el in cover.iter():
            if not isinstance(el.tag, str):
                continue
            name = _local(el)
            ref = (el.get("refersTo") or "").lstrip("#")
            if name == "docNumber" and (ref == "symbol" or "symbol" not in m):
                m["symbol"] = _text(el)
            elif name == "docStatus":
                line = _text(el)
                m["distribution"] = self.L.parse_distribution(line) or line
            elif name == "docDate" and ref in ("dateOfIssuance", ""):
                if el.get("date"):
                    m["issued"] = el.get("date")
            elif name == "session":
                m["session_text"] = _text(el)
                v = (el.get("value") or "").strip()
                if v.isdigit():
                    m["session"] = int(v)
                elif (n := self.L.parse_session(m["session_text"])) is not None:
                    m["session"] = n     # the value the markup left out, read from the text
            elif name == "inline" and el.get("name") in ("agenda item", "agendaItem"):
                agenda_texts.append(_text(el))
            elif name == "inline" and el.get("name") in ("agenda item name", "agendaItemTitle",
                                                         "agendaItemName"):
                agenda_titles.append(_text(el))
            elif name == "docTitle":
                # its spaces plain, as the normalizer gives them: the writers hold the date
                # together themselves (writers.view)
                m["adoption_text"] = _text(el).replace("\u00a0", " ")
            elif name == "docProponent":
                m["proponent"] = self.proponent(el)
        if agenda_texts:
            m["agenda_text"] = " ".join(agenda_texts)
            numbers = _parse_agenda(m["agenda_text"], m.get("language", ""))
            items = []
            for i, n in enumerate(numbers):
                title = agenda_titles[i] if i < len(agenda_titles) else ""
                if len(agenda_titles) == 1 and len(numbers) > 1:
                    title = agenda_titles[0] if i == 0 else ""
                items.append(AgendaItem(number=n, title=title))
            m["agenda_items"] = tuple(items)

    def proponent(self, el) -> Proponent:
        ref = (el.get("refersTo") or "").lstrip("#")
        if ref == "noMainCommittee":
            kind, committee = "noMainCommittee", ""
        elif ref.lower().endswith("committee"):
            kind, committee = "committee", ref
        else:
            kind, committee = ref, ""
        origin = " ".join(_text(o) for o in el.iter(A + "inline")
                          if o.get("name") == "originating document")
        drafts: list[str] = []
        last_end = 0
        tokens = sorted([(mm.start(), mm.end(), mm.group(0), False)
                         for mm in _SYMBOL.finditer(origin)]
                        + [(mm.start(), mm.end(), mm.group(0), True)
                           for mm in _SHORT.finditer(origin)])
        for start, end, tok, short in tokens:
            if short:
                if not drafts:
                    continue
                base = re.sub(r"/(Add|Rev|Corr)\.\d+$", "", drafts[-1])
                tok = f"{base}/{tok}"
            tok = tok.rstrip(".,")
            if tok not in drafts:
                drafts.append(tok)
            last_end = max(last_end, end)
        reference = origin[last_end:].strip(" ,，،;") if drafts else ""
        return Proponent(kind=kind, committee=committee, drafts=tuple(drafts),
                         reference=reference, text=_text(el))

    # ------------------------------------------------------------ inlines

    def inlines(self, el, *, with_text: bool = True) -> list[Inline]:
        """Children (and text) of ``el`` as inlines, whitespace runs made one space."""
        out: list[Inline] = []
        if with_text and el.text:
            out.append(Text(_WS.sub(" ", _BIDI.sub("", el.text))))
        for c in el:
            if isinstance(c.tag, str):
                out.extend(self.inline(c))
            if c.tail:
                out.append(Text(_WS.sub(" ", _BIDI.sub("", c.tail))))
        return _merge(out)

    def inline(self, el) -> list[Inline]:
        name = _local(el)
        if name in ("i", "em"):
            return [Emphasis(tuple(self.inlines(el)))]
        if name in ("b", "strong"):
            return [Strong(tuple(self.inlines(el)))]
        if name == "span":
            cls = (el.get("class") or "").lower()
            kids = tuple(self.inlines(el))
            if "italic" in cls:
                kids = (Emphasis(kids),)
            if "bold" in cls:
                kids = (Strong(kids),)
            return list(kids)
        if name == "sup":
            return [Superscript(tuple(self.inlines(el)))]
        if name == "sub":
            return [Subscript(tuple(self.inlines(el)))]
        if name in ("eol", "br", "eop"):
            return [LineBreak()]
        if name == "authorialNote":
            blocks = tuple(self.note_blocks(el))
            return [FootnoteRef(marker=el.get("marker", ""), blocks=blocks, span=self.span(el))]
        if name == "a":
            href = el.get("href")
            kids = tuple(self.inlines(el))
            if not href:
                return list(kids)
            m = _DOCREF.match(href)
            if m:
                return [DocRef(symbol=m.group(1), children=kids)]
            return [Link(href=href, children=kids)]
        if name in DROPPED_INLINE:
            if name == "img":
                return []
            return self.inlines(el)
        if name in ("p", "block", "blockContainer"):  # a block inside a line: keep its text
            return [Text(" "), *self.inlines(el), Text(" ")]
        return self.inlines(el)

    def note_blocks(self, note) -> list:
        blocks = []
        text = (note.text or "").strip()
        if text:  # a note written without <p>
            blocks.append(Para(_clean(self.inlines(note)), span=self.span(note)))
            return blocks
        for c in _kids(note):
            blocks.extend(self.blocks(c))
        return blocks

    # ------------------------------------------------------------ generic blocks

    def para(self, el, style: str | None = None) -> Para:
        return Para(_clean(self.inlines(el), keep_bold=self.cells > 0),
                    style=el.get("class", "") if style is None else style, span=self.span(el))

    def table(self, el) -> Table:
        rows = []
        caption: tuple = ()
        for c in _kids(el):
            if _local(c) == "caption":
                caption = _clean(self.inlines(c))
            elif _local(c) == "tr":
                cells = []
                for cell in _kids(c):
                    if _local(cell) not in ("td", "th"):
                        continue
                    self.cells += 1
                    try:
                        blocks = tuple(b for k in _kids(cell) for b in self.blocks(k))
                        if not blocks and (cell.text or "").strip():
                            blocks = (Para(_clean(self.inlines(cell), keep_bold=True),
                                           span=self.span(cell)),)
                    finally:
                        self.cells -= 1
                    cells.append(Cell(blocks=blocks, header=_local(cell) == "th",
                                      colspan=_int(cell.get("colspan"), 1),
                                      rowspan=_int(cell.get("rowspan"), 1)))
                rows.append(Row(tuple(cells)))
        return Table(rows=tuple(rows), caption=caption, span=self.span(el))

    def blocks(self, el) -> list:
        """Any block element as generic blocks (notes, cells, annexes)."""
        name = _local(el)
        if name in ("p", "block"):
            return [self.para(el)]
        if name == "table":
            return [self.table(el)]
        if name in ("heading", "subheading", "crossHeading"):
            return [Heading(_clean(self.inlines(el)), span=self.span(el))]
        if name in ("list", "blockList"):
            return [self.para(c) for c in el.iter(A + "p")]
        if name == "paragraph":
            return [self.annex_paragraph(el)]
        out = []
        for c in _kids(el):
            out.extend(self.blocks(c))
        if not out and (el.text or "").strip():
            out.append(self.para(el))
        return out

    # ------------------------------------------------------------ preamble

    def preamble(self, pre) -> Preamble:
        formula: tuple = ()
        recitals = []
        for c in _kids(pre):
            name = _local(c)
            if name == "formula":
                formula = _unstyle(_clean(x for p in _kids(c) for x in
                                          [*self.inlines(p), Text(" ")]))
            elif name in ("container", "recital", "p", "recitals", "blockContainer"):
                if name == "recitals":
                    recitals.extend(self.recital(r) for r in _kids(c))
                else:
                    recitals.append(self.recital(c))
            else:
                self.warn(c, f"<{name}> in the preamble read as a recital", "akn-preamble")
                recitals.append(self.recital(c))
        return Preamble(formula=formula, recitals=tuple(recitals), span=self.span(pre))

    def recital(self, el) -> Recital:
        ps = [p for p in _kids(el) if _local(p) == "p"]
        lists = [b for b in _kids(el) if _local(b) == "blockList"]
        if not ps and len(lists) == 1:
            return self.recital_list(el, lists[0])
        if not ps:  # crossHeading, or text directly in the container
            lead, body = _split_lead(_clean(self.inlines(el)))
            return Recital(lead=lead, body=body, span=self.span(el))
        lead, body = _split_lead(_clean(self.inlines(ps[0])))
        if len(ps) > 1:
            self.multi_p_recitals += 1
            self.warn(el, f"preambular paragraph with {len(ps)} <p>: joined with line breaks",
                      "akn-recital-multi-p")
            rest: list[Inline] = list(body)
            for p in ps[1:]:
                rest += [LineBreak(), *_clean(self.inlines(p))]
            body = tuple(_merge(rest))
        others = [c for c in _kids(el) if _local(c) != "p"]
        for o in others:
            self.warn(o, f"<{_local(o)}> inside a preambular paragraph dropped", "akn-dropped")
        return Recital(lead=lead, body=body, span=self.span(el))

    def recital_list(self, el, bl) -> Recital:
        """A recital that introduces a list (container > blockList > listIntroduction,
        item (num, p)): its introduction, then each item on a line of its own, label
        first, as the normalizer reads such a recital."""
        intro = next((c for c in _kids(bl) if _local(c) == "listIntroduction"), None)
        lead, body = _split_lead(_clean(self.inlines(intro))) if intro is not None else ((), ())
        rest: list[Inline] = list(body)
        for item in _kids(bl):
            if _local(item) not in ("item", "listWrapUp"):
                continue
            label = self.num_of(item)
            inl = _clean(x for c in _kids(item) if _local(c) != "num"
                         for x in [*self.inlines(c), Text(" ")])
            rest += [LineBreak(), *((Text(label + " "),) if label else ()), *inl]
        return Recital(lead=lead, body=tuple(_merge(rest)), span=self.span(el))

    # ------------------------------------------------------------ operative

    def operative(self, container, before: Paragraph | None = None) -> tuple:
        """Operative nodes of a mainBody or section.

        ``before``: a paragraph read elsewhere that the first paragraphs here may continue
        (items of it typed as paragraphs); it is returned first.
        """
        nodes: list = []
        records: list = []
        pending = [before] if before is not None else []

        def flush():
            if records or pending:
                nodes.extend(self.group(records, pending.pop() if pending else None))
                records.clear()

        for c in _kids(container):
            name = _local(c)
            if name in ("num", "heading", "subheading") and container.tag != A + "mainBody":
                continue  # the section's own
            if name == "paragraph":
                r = self.record(c)
                records.append(replace(r, after=()))
                records.extend(_Record(h.num, (), (), (), (), (), h.inlines, h.level, h.span)
                               for h in r.after)
                continue
            flush()
            if name in SECTION_TAGS:
                nodes.append(self.section(c))
            elif name == "crossHeading":
                if (c.get("refersTo") or "").lstrip("#") == "preamble":
                    nodes.append(self.recital(c))
                else:
                    nodes.append(Heading(_clean(self.inlines(c)), span=self.span(c)))
            elif name in ("heading", "subheading"):
                nodes.append(Heading(_clean(self.inlines(c)), span=self.span(c)))
            elif name == "table":
                nodes.append(self.table(c))
            elif name in ("container", "blockContainer", "p", "block", "intro", "wrapUp",
                          "content"):
                nodes.extend(b for b in self.blocks(c) if isinstance(b, (Para, Table, Heading)))
            else:
                self.warn(c, f"<{name}> in the operative part read as text", "akn-unknown")
                nodes.extend(b for b in self.blocks(c) if isinstance(b, (Para, Table, Heading)))
        flush()
        return tuple(nodes)

    def section(self, el) -> Section:
        num = self.num_of(el)
        head = el.find(A + "heading")
        if head is None:
            head = el.find(A + "subheading")
        heading = _clean(self.inlines(head)) if head is not None else ()
        return Section(num=num, heading=heading, children=self.operative(el),
                       span=self.span(el))

    def record(self, el) -> _Record:
        """Read one <paragraph> as it is marked up."""
        num = self.num_of(el)
        span = self.span(el)
        level = _HEADING_LEVELS.get(el.get("class", ""), _UNSTYLED_LEVEL)
        kids = [c for c in _kids(el) if _local(c) != "num"]
        heads = [c for c in kids if _local(c) in ("heading", "subheading")]
        rest = [c for c in kids if _local(c) not in ("heading", "subheading")]
        if heads and not any(_text(c) or c.find(f".//{A}table") is not None for c in rest):
            inl: list[Inline] = []
            for h in heads:
                if inl:
                    inl.append(LineBreak())
                inl.extend(_clean(self.inlines(h)))
            return _Record(num, (), (), (), (), (), tuple(inl), level, span)
        first: tuple = ()
        items: tuple = ()
        tail: list = []
        extra: list = []
        got_first = False
        for c in rest:
            name = _local(c)
            if name in ("heading", "subheading"):
                extra.append(Heading(_clean(self.inlines(c)), span=self.span(c)))
            elif name == "content":
                for b in _kids(c):
                    if _local(b) == "p" and not got_first:
                        first, got_first = _clean(self.inlines(b)), True
                    else:
                        extra.extend(self.blocks(b))
            elif name == "list":
                intro, its, wrap = self.list_(c)
                if not got_first and intro:
                    first, got_first = intro[0], True
                    extra.extend(Para(x) for x in intro[1:])
                items = items + its
                tail.extend(wrap)
            elif name == "intro":
                ps = [p for p in _kids(c) if _local(p) == "p"]
                if ps and not got_first:
                    first, got_first = _clean(self.inlines(ps[0])), True
            elif name == "wrapUp":
                tail.extend(self.para(p, "") for p in _kids(c) if _local(p) == "p")
            elif name == "paragraph":
                sub = self.record(c)
                extra.append(self.paragraph_of(sub))
            else:
                extra.extend(self.blocks(c))
        if not num and first and isinstance(first[0], Text):
            got = self.L.any_operative_number(first[0].text)
            if got:
                _, num, rest = got
                first = _clean((Text(rest), *first[1:]))
                self.warn(el, f"operative number {num!r} typed as text: moved to <num>",
                          "akn-num-in-text")
        if num and not items and not tail and not extra and _bold_heading(first) and \
                self.section_heading_number(num):
            # a numbered heading typed as a paragraph ("<num>I.</num>" then a bold title):
            # the chapter heading of an adopted text
            self.warn(el, f"numbered bold paragraph {num!r} without final punctuation read "
                          "as a heading", "akn-bold-heading")
            self.number_level = level
            return _Record(num, (), (), (), (), (), _unwrap_whole(first), level, span)
        items, after = self.hoist_headings(items)
        if after:
            self.warn(el, "numbered headings typed as the last items of a list moved after "
                          "the paragraph", "akn-heading-item")
        if not num and not items and not tail and not extra and _bold_heading(first):
            # a heading typed as a paragraph of bold text ("**I Demande de subvention
            # ...**", "**أولا**"): a heading, as every reader of the page sees it
            self.warn(el, "bold paragraph without final punctuation read as a heading",
                      "akn-bold-heading")
            return _Record("", (), (), (), (), (), first, level, span)
        if not first and not items and not tail and not extra and num and \
                self.L.any_operative_number(num) is None and \
                (sec := self.L.section_number(num)) and not sec[1]:
            # a section number typed as a paragraph's number, with no text ("<num>I</num>"):
            # the number of the heading that follows
            self.warn(el, f"section number {num!r} typed as a paragraph's number read as a "
                          "heading", "akn-section-num")
            return _Record(num, (), (), (), (), (), (), level, span)
        lead, body = _split_lead(first)
        return _Record(num, lead, body, items, tuple(tail), tuple(extra), None, level, span,
                       first, after)

    def section_heading_number(self, num: str) -> bool:
        """A heading's number alone ("I.", "IV", "B."), never an operative number."""
        sec = self.L.section_number(num)
        return self.L.any_operative_number(num) is None and bool(sec) and not sec[1]

    def heading_item(self, it: Item) -> bool:
        """An item that is a numbered heading: a heading's number ("II.") and a bold
        title without final punctuation, nothing under it."""
        return not it.items and not it.tail and self.section_heading_number(it.label) and \
            _bold_heading(it.body)

    def hoist_headings(self, items: tuple) -> tuple[tuple, tuple]:
        """(items, headings): numbered headings typed as the last points of a list (or of
        the last item's sub-list: the markup nests the next chapter's heading in the
        list before it) taken out, in order, as Headings."""
        if not items:
            return items, ()
        last = items[-1]
        if self.heading_item(last):
            rest, heads = self.hoist_headings(items[:-1])
            return rest, heads + (Heading(_unwrap_whole(last.body), level=self.number_level,
                                          num=last.label, span=last.span),)
        sub, heads = self.hoist_headings(last.items)
        if heads and not last.tail:
            return items[:-1] + (replace(last, items=sub),), heads
        return items, ()

    def list_(self, lst) -> tuple[list[tuple], tuple[Item, ...], list]:
        """(intro inlines per <p>, items, wrap-up paras) of a <list>/<sublist>."""
        intro: list[tuple] = []
        items: list[Item] = []
        wrap: list = []
        for c in _kids(lst):
            name = _local(c)
            if name in ("intro", "listIntroduction"):
                intro.extend(_clean(self.inlines(p)) for p in _kids(c) if _local(p) == "p")
                if not _kids(c) and (c.text or "").strip():
                    intro.append(_clean(self.inlines(c)))
            elif name == "point" or name == "item":
                items.append(self.point(c))
            elif name in ("sublist", "list") and items:
                _, sub, w = self.list_(c)
                last = items[-1]
                items[-1] = replace(last, items=last.items + sub, tail=last.tail + tuple(w))
            elif name in ("sublist", "list"):
                _, sub, w = self.list_(c)
                items.extend(sub)
                wrap.extend(w)
            elif name in ("wrapUp", "listWrapUp"):
                wrap.extend(self.para(p, "") for p in _kids(c) if _local(p) == "p")
            else:
                self.warn(c, f"<{name}> in a list read as text after it", "akn-unknown")
                wrap.extend(self.blocks(c))
        return intro, tuple(items), wrap

    def point(self, el) -> Item:
        label = self.num_of(el)
        body: tuple = ()
        got = False
        items: tuple = ()
        tail: list = []
        for c in _kids(el):
            name = _local(c)
            if name == "num":
                continue
            if name == "content":
                for b in _kids(c):
                    if _local(b) == "p" and not got:
                        body, got = _clean(self.inlines(b)), True
                    else:
                        tail.extend(self.blocks(b))
            elif name in ("list", "sublist", "blockList"):
                intro, its, wrap = self.list_(c)
                if intro and not got:
                    body, got = intro[0], True
                    intro = intro[1:]
                tail.extend(Para(x) for x in intro)
                items = items + its
                tail.extend(wrap)
            elif name == "intro":
                ps = [p for p in _kids(c) if _local(p) == "p"]
                if ps and not got:
                    body, got = _clean(self.inlines(ps[0])), True
            elif name == "wrapUp":
                tail.extend(self.para(p, "") for p in _kids(c) if _local(p) == "p")
            elif name == "p" and not got:
                body, got = _clean(self.inlines(c)), True
            else:
                tail.extend(self.blocks(c))
        return Item(label=label, body=body, items=items, tail=tuple(tail), span=self.span(el))

    @staticmethod
    def paragraph_of(r: _Record) -> Paragraph | Heading:
        if r.heading is not None:
            return Heading(r.heading, level=r.level, num=r.num, span=r.span)
        return Paragraph(num=r.num, lead=r.lead, body=r.body, items=r.items, tail=r.tail,
                         extra=r.extra, span=r.span)

    def group(self, records: list[_Record], current: Paragraph | None = None) -> list:
        """Paragraph records to nodes, repairing items and tails typed as paragraphs.

        Guarantees: a paragraph numbered like an operative paragraph ("1.", "1 -") starts a
        Paragraph; an unnumbered or item-labelled paragraph after it becomes one of its
        Items (label in <num> or opening the text: "(a)", "a)", "(أ)", "㈠", "(i)"), nested by
        label kind, or, unlabelled, its tail (text after an item stays with that item);
        headings stay Headings; the first paragraph is always a Paragraph.
        """
        out: list = []
        flat: list = []         # pending labelled items of ``current``: [label, body, tail, span]
        tail: list = []         # pending tail of ``current``

        def close():
            nonlocal current, flat, tail
            if current is not None:
                nested, diags = nest_items([FlatItem(label, body, span, tuple(tl))
                                            for label, body, tl, span in flat], self.L)
                self.diags.extend(diags)
                items = current.items + nested
                out.append(replace(current, items=items, tail=current.tail + tuple(tail)))
            current, flat, tail = None, [], []

        def is_numbered(r) -> bool:
            """Numbered as a paragraph: an operative number, or a number no item label
            has the shape of ("4.9", "I.": sub-paragraphs and headings of an adopted
            text)."""
            return bool(r.num) and (self.L.any_operative_number(r.num) is not None or
                                    self.L.any_label_shape(r.num + " ") is None)

        def short_heading(r) -> bool:
            """An unnumbered paragraph of one short line that does not end as a paragraph
            does and is no item, meeting or date: a heading typed as a paragraph, as the
            page shows it ("2021年7月1日至2022年6月30日期间预算估计数")."""
            if r.num or r.items or r.tail or r.extra or r.heading is not None:
                return False
            text = plain_text(r.raw).strip()
            return bool(text) and len(text) <= _HEADING_CHARS and text[-1] not in _FINAL and \
                self.L.any_label_shape(text + " ") is None and \
                self.L.any_operative_number(text) is None and \
                self.L.parse_meeting(text) is None and self.L.parse_date(text) is None and \
                not any(isinstance(n, (LineBreak, FootnoteRef)) for n in r.raw)

        numbered_any = any(is_numbered(r) for r in records)
        for at, r in enumerate(records):
            if current is not None and at + 1 < len(records) and short_heading(r):
                close()
                self.warn_at(r.span, "short line without final punctuation read as a heading",
                             "akn-short-heading")
                out.append(Heading(r.raw, level=r.level, span=r.span))
                continue
            if r.heading is not None:
                close()
                out.append(self.paragraph_of(r))
                continue
            numbered = is_numbered(r)
            if numbered or current is None:
                close()
                if not numbered and numbered_any:
                    self.diags.append(Diagnostic(
                        f"paragraph {r.num!r} before the numbered ones kept as a paragraph",
                        r.span, "warning", "akn-unnumbered-first"))
                current = self.paragraph_of(r)
                continue
            label, inl = r.num, r.raw
            if not label and inl and isinstance(inl[0], Text):
                got = self.L.any_label_shape(inl[0].text)
                if got:
                    label, rest = got
                    inl = _clean((Text(rest), *inl[1:]))
            if label:
                if r.num:
                    what = f"paragraph numbered {label!r}"
                else:
                    what = f"paragraph opening with {label!r}"
                self.diags.append(Diagnostic(
                    f"{what} after paragraph {current.num!r} made an item", r.span, "warning",
                    "akn-item-paragraph"))
                if tail:  # text between items belongs to the item before
                    if flat:
                        flat[-1][2] = flat[-1][2] + tuple(tail)
                    else:
                        current = replace(current, extra=current.extra + tuple(tail))
                    tail = []
                flat.append([label, inl, r.tail + r.extra, r.span])
                for it in r.items:  # an item paragraph with a list of its own
                    flat.append([it.label, it.body, it.tail, it.span])
            else:
                self.diags.append(Diagnostic(
                    f"unnumbered paragraph after paragraph {current.num!r} made its tail",
                    r.span, "warning", "akn-tail-paragraph"))
                tail.append(Para(inl, span=r.span))
                tail.extend(r.extra)
                for it in r.items:
                    tail.append(Para(_clean((Text(it.label + " "), *it.body)), span=it.span))
        close()
        return out

    # ------------------------------------------------------------ closing and annexes

    def closing(self, concl) -> Closing:
        date_el = next(concl.iter(A + "docDate"), None)
        meeting_el = None
        for el in concl.iter():
            if not isinstance(el.tag, str):
                continue
            if (_local(el) == "inline" and el.get("name") == "adoptionMeeting") or \
                    _local(el) == "location":
                meeting_el = el
                break
        if meeting_el is not None:
            meeting = _text(meeting_el)
            key = meeting_el.get("title") or meeting
        else:
            full = _text(concl)
            if date_el is not None:
                full = full.replace(_text(date_el), " ")
            meeting = _WS.sub(" ", full).strip()
            key = meeting
        mm = re.search(r"\d+", key or "") or re.search(r"\d+", meeting)
        return Closing(meeting=meeting, meeting_number=int(mm.group(0)) if mm else None,
                       date=date_el.get("date", "") if date_el is not None else "",
                       date_text=_text(date_el), span=self.span(concl))

    def annex_paragraph(self, el):
        """A paragraph of an annex: Heading (heading style), Paragraph (numbered) or Para."""
        num = self.num_of(el)
        cls = el.get("class", "")
        ps = [p for p in el.iter(A + "p")]
        if cls in _HEADING_LEVELS and len(ps) <= 1 and el.find(f".//{A}table") is None:
            head = next((c for c in _kids(el) if _local(c) in ("heading", "subheading")), None)
            src = ps[0] if ps else head if head is not None else el
            inl = _unwrap_whole(_clean(self.inlines(src)))
            if num.endswith(".") and inl and isinstance(inl[0], Text) and \
                    inl[0].text.startswith("."):
                self.warn(el, f"heading repeats the full stop of its number {num!r}",
                          "akn-heading-dot")
                inl = _clean((Text(inl[0].text[1:]), *inl[1:]))
            return Heading(inl, level=_HEADING_LEVELS[cls], num=num, span=self.span(el))
        r = self.record(el)
        if r.after:
            return [self.paragraph_of(r)] + list(r.after)
        if r.heading is not None or r.num:
            return self.paragraph_of(r)
        if r.items or r.tail or r.extra:
            return self.paragraph_of(r)
        return Para(r.raw, style=cls, span=r.span)

    def annex_items(self, blocks: list) -> list:
        """Items typed as paragraphs of an annex (a paragraph "TAB (a) TAB Text" after
        "11. We commit to:") made the items of the numbered paragraph before them
        (normalize.items.attach_item_paras)."""
        blocks, moved, diags = attach_item_paras(blocks, self.L)
        for span in moved:
            self.warn_at(span, "annex paragraph opening with an item label made an item of "
                               "the paragraph before it", "akn-item-paragraph")
        self.diags.extend(diags)
        return blocks

    def annexes_of(self, att) -> list[Annex]:
        """The annexes one attachment holds: the UN's markup may put two annexes in one
        attachment ("Annex I" ... "Annex II" ...); an unnumbered heading that is an
        annex heading ("Annex II") among its blocks starts the next, its title the
        heading after it at the same level."""
        first = self.annex(att)
        out: list[Annex] = []
        cur, start = first, 0
        blocks = first.blocks
        for i, b in enumerate(blocks):
            if i > start and isinstance(b, Heading) and not b.num and \
                    self.L.annex_heading(plain_text(b.inlines)):
                out.append(replace(cur, blocks=blocks[start:i]))
                self.warn_at(b.span, "an annex heading inside an annex starts the next annex",
                             "akn-annex-split")
                title: tuple = ()
                start = i + 1
                nxt = blocks[start] if start < len(blocks) else None
                if isinstance(nxt, Heading) and not nxt.num and nxt.level == b.level:
                    title, start = nxt.inlines, start + 1
                cur = Annex(heading=b.inlines, title=title, blocks=(), span=b.span)
        out.append(replace(cur, blocks=blocks[start:]))
        return out

    def annex(self, att) -> Annex:
        doc = att
        if _local(att) == "attachment":
            doc = next(iter(_kids(att)), att)
        blocks: list = []
        heading: tuple = ()
        title: tuple = ()
        pref = doc.find(A + "preface")
        if pref is not None:
            for el in pref.iter():
                if _local(el) == "docNumber":
                    heading = _clean(self.inlines(el))
                elif _local(el) == "docTitle":
                    title = _clean(self.inlines(el))
        for part in _kids(doc):
            name = _local(part)
            if name in ("meta", "preface"):
                continue
            for c in (_kids(part) if name in ("mainBody", "body", "attachmentBody",
                                              "preamble", "conclusions") else [part]):
                cname = _local(c)
                if cname == "paragraph":
                    got = self.annex_paragraph(c)
                    blocks.extend(got if isinstance(got, list) else [got])
                elif cname in SECTION_TAGS:
                    blocks.append(self.section(c))
                else:
                    blocks.extend(self.blocks(c))
        blocks = self.annex_items(blocks)
        if not heading and not title:
            # the annex's label and title as its first headings, whatever their style
            # (HCh, H1 or H23: the UN's files use each); a title only of the label's level
            i = 0
            level = None
            if blocks and isinstance(blocks[0], Heading) and not blocks[0].num and \
                    self.L.annex_heading(plain_text(blocks[0].inlines)):
                heading = blocks[0].inlines
                level = blocks[0].level
                i = 1
            if i < len(blocks) and isinstance(blocks[i], Heading) and not blocks[i].num \
                    and blocks[i].level == (level or 1):
                title = blocks[i].inlines
                i += 1
            blocks = blocks[i:]
        return Annex(heading=heading, title=title, blocks=tuple(blocks), span=self.span(doc))


# ================================================================= lead phrases

#: punctuation that ends a paragraph, never a heading
_FINAL = ".,;:!?،؛。，；：！？"
#: the longest line read as a heading by its shape alone (as the scoring of the UN's
#: markup reads headings typed as paragraphs)
_HEADING_CHARS = 150


def _bold_heading(inlines: tuple) -> bool:
    """Every letter of the paragraph is in bold runs, there is no italic lead, and it
    does not end as a paragraph does."""
    text = plain_text(inlines).strip()
    if not text or text[-1] in _FINAL:
        return False
    runs = [n for n in inlines if isinstance(n, Strong)]
    if not runs or any(isinstance(k, Emphasis) for r in runs for k in r.children):
        return False
    return not any(ch.isalpha() for n in inlines if not isinstance(n, (Strong, FootnoteRef))
                   for ch in plain_text((n,)))


def _split_lead(inlines: tuple) -> tuple[tuple, tuple]:
    """(lead, body): the lead is the styled node opening the paragraph, unwrapped.

    Same rule as ``tools/akn_compare.py:lead_of``: an italic and/or bold span
    with no text before it.
    """
    if inlines and isinstance(inlines[0], (Emphasis, Strong)):
        got = marked_lead(tuple(inlines))       # the markdown reader's rule, shared
        if got:
            lead, body = got
            return _clean(lead), _clean(body)
    return (), tuple(inlines)


def _int(v, default: int) -> int:
    try:
        return max(1, int(str(v).strip()))
    except (TypeError, ValueError):
        return default
