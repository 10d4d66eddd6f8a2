"""The canonical resolution tree.

Every reader produces a :class:`Resolution`; every writer consumes one.  The
tree is made of frozen dataclasses holding tuples (never lists), so a tree can
be hashed, compared and shared between processes.  The set of node types is
closed: :data:`INLINE_TYPES` and :data:`BLOCK_TYPES` list them all, and
:func:`to_json` / :func:`from_json` refuse anything else.

Each structural node carries ``span``: where it came from in the source
(file, line, column).  Spans are kept out of equality (``compare=False``) so
that a tree read from a markdown file equals the same tree read back from the
AKN we wrote, while diagnostics can still point at the source line.

Shape (see ``ARCHITECTURE.md``)::

    Resolution
      meta: Meta                  symbol, organ, session, dates, proponent, ...
      body: Body                  (a documentCollection has components instead)
        preamble: Preamble        formula + Recital(lead, body)
        operative: (Paragraph | Section | Recital | Heading)...
          Paragraph(num, lead, body, items=(Item(label, body, items, tail)...), tail)
        closing: Closing          meeting and date
        annexes: (Annex(heading, blocks)...)
      components: (Component(letter, meta, body)...)   A and B under one symbol

Inlines: Text, Emphasis, Strong, Superscript, Subscript, FootnoteRef (the note
itself is kept once, at its reference), DocRef (a UN symbol, linkable), Link,
LineBreak.  A lead phrase is not an inline: it is the ``lead`` field of the
paragraph it opens, kept apart from the ``body``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Union

AST_VERSION = 1


# ---------------------------------------------------------------- positions

@dataclass(frozen=True, slots=True)
class Span:
    """A position in a source file (1-based line and column)."""

    file: str = ""
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def _span() -> Any:
    return field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------- inlines

@dataclass(frozen=True, slots=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Italic text that is not a lead phrase."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Bold text that is not a lead phrase."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Superscript:
    """Superscript text that is not a footnote call (e.g. 1st, m²)."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Subscript:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A footnote call; the note's blocks live here, once, at their reference.

    ``marker`` is the number as printed ("1", "*").
    """

    marker: str
    blocks: tuple["Block", ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class DocRef:
    """A UN document symbol cited in the text (A/RES/60/288, 70/1, A/71/L.17).

    ``symbol`` is the full symbol the link points to; ``children`` is what the
    text shows (often shorter: "70/1").
    """

    symbol: str
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink that is not a UN symbol."""

    href: str
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A forced line break inside a block."""


Inline = Union[Text, Emphasis, Strong, Superscript, Subscript, FootnoteRef, DocRef, Link,
               LineBreak]
INLINE_TYPES = (Text, Emphasis, Strong, Superscript, Subscript, FootnoteRef, DocRef, Link,
                LineBreak)


# ---------------------------------------------------------------- generic blocks

@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph of running text (in notes, annexes, intros and tails).

    ``style`` is an optional presentational role the source gave it (e.g. the
    UN Word style "H1" or "SingleTxt"); writers may use it, the structure
    does not depend on it.
    """

    inlines: tuple[Inline, ...]
    style: str = ""
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading (level 1 = most important) inside the operative part or an annex."""

    inlines: tuple[Inline, ...]
    level: int = 1
    num: str = ""
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple["Block", ...]
    header: bool = False
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[Row, ...]
    caption: tuple[Inline, ...] = ()
    span: Span | None = _span()


# ---------------------------------------------------------------- resolution structure

@dataclass(frozen=True, slots=True)
class Item:
    """A lettered or numbered sub-item: (a), (i), a), ㈠, (أ), '1' ...

    ``label`` is the label as printed; ``items`` nests deeper levels;
    ``tail`` holds text that follows the nested list inside this item.
    """

    label: str
    body: tuple[Inline, ...]
    items: tuple["Item", ...] = ()
    tail: tuple["Block", ...] = ()
    lead: tuple[Inline, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Recital:
    """A preambular paragraph: its lead phrase ("Recalling", "回顾") and the rest."""

    lead: tuple[Inline, ...]
    body: tuple[Inline, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """An operative paragraph.

    ``num`` is the number as printed without padding ("1.", "1 -"); empty for
    a single unnumbered paragraph.  ``lead`` is the operative lead phrase
    ("Calls upon", "呼吁").  ``body`` is the text after the lead (for a
    paragraph with items: the text introducing the list).  ``items`` are the
    sub-items, ``tail`` the text after the list.  ``extra`` holds further
    blocks of the same paragraph (a table, a quoted passage).
    """

    num: str
    lead: tuple[Inline, ...]
    body: tuple[Inline, ...]
    items: tuple[Item, ...] = ()
    tail: tuple["Block", ...] = ()
    extra: tuple["Block", ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the operative text with a heading (section I, part A ...).

    ``children`` may hold recitals (preambular text inside a section),
    paragraphs, headings and nested sections.
    """

    num: str
    heading: tuple[Inline, ...]
    children: tuple["OperativeNode", ...]
    span: Span | None = _span()


OperativeNode = Union[Paragraph, Section, Recital, Heading, Para, Table]
Block = Union[Para, Heading, Table, Paragraph, Item, Recital, Section]
BLOCK_TYPES = (Para, Heading, Table, Paragraph, Item, Recital, Section)


@dataclass(frozen=True, slots=True)
class Preamble:
    """The enacting formula ("The General Assembly,", "大会，") and the recitals."""

    formula: tuple[Inline, ...] = ()
    recitals: tuple[Recital, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Closing:
    """The closing lines: the meeting and the date of adoption.

    ``meeting`` is the meeting line as printed ("48th plenary meeting",
    "第48次全体会议"); ``meeting_number`` its number; ``date`` ISO 8601;
    ``date_text`` the date as printed.
    """

    meeting: str = ""
    meeting_number: int | None = None
    date: str = ""
    date_text: str = ""
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Annex:
    """An annex: an optional label ("Annex", "附件") and title, then blocks."""

    heading: tuple[Inline, ...] = ()
    title: tuple[Inline, ...] = ()
    blocks: tuple[Block, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Body:
    """The text of one resolution: preamble, operative part, closing, annexes."""

    preamble: Preamble = Preamble()
    operative: tuple[OperativeNode, ...] = ()
    closing: Closing | None = None
    annexes: tuple[Annex, ...] = ()


# ---------------------------------------------------------------- metadata

@dataclass(frozen=True, slots=True)
class AgendaItem:
    """An agenda item: number as printed ("126", "130 (y)") and its title."""

    number: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Proponent:
    """Who brought the draft: no Main Committee, or a committee's report.

    ``kind`` is "noMainCommittee" or "committee"; ``committee`` names the
    committee in camelCase as the UN's markup does ("fifthCommittee");
    ``drafts`` are the full symbols of the drafts or reports, ``reference``
    the pinpoint ("para. 6"); ``text`` the line as printed.
    """

    kind: str = ""
    committee: str = ""
    drafts: tuple[str, ...] = ()
    reference: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class WorkflowStep:
    """A procedural step from the UN's markup (draft, sponsors, adoption)."""

    outcome: str
    date: str = ""
    symbol: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True)
class VoteCount:
    """A count in a recorded vote: kind is inFavour, against or abstaining."""

    kind: str
    value: int
    voters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Voting:
    outcome: str = ""
    counts: tuple[VoteCount, ...] = ()


@dataclass(frozen=True, slots=True)
class Keyword:
    value: str
    href: str = ""
    show_as: str = ""
    dictionary: str = ""


@dataclass(frozen=True, slots=True)
class Classification:
    source: str = ""
    keywords: tuple[Keyword, ...] = ()


@dataclass(frozen=True, slots=True)
class Meta:
    """What the masthead shows and what the UN's markup records about a resolution.

    Dates are ISO 8601 strings.  ``symbol`` is the full symbol
    ("A/RES/71/19"); ``number`` the resolution number ("71/19"); ``letter``
    the part letter of resolutions adopted as A, B, C under one number.
    Fields ending in ``_text`` keep the line as the source printed it, so
    that nothing is lost; writers regenerate them from the language data
    when they are empty.
    """

    symbol: str = ""
    organ: str = ""                       # GA | SC | ECOSOC | HRC
    language: str = ""                    # ISO 639-1: ar zh en fr ru es
    number: str = ""
    letter: str = ""
    title: tuple[Inline, ...] = ()
    session: int | None = None
    session_text: str = ""
    agenda_items: tuple[AgendaItem, ...] = ()
    agenda_text: str = ""
    adopted: str = ""
    adoption_text: str = ""
    meeting: int | None = None
    proponent: Proponent = Proponent()
    distribution: str = ""                # "General", "Limited" ...
    issued: str = ""                      # date of issuance (masthead)
    job_number: str = ""
    sponsors: tuple[str, ...] = ()
    published: str = ""                   # expression date in the UN's markup
    marked_up: str = ""                   # manifestation date in the UN's markup
    workflow: tuple[WorkflowStep, ...] = ()
    voting: Voting | None = None
    classifications: tuple[Classification, ...] = ()


@dataclass(frozen=True, slots=True)
class Component:
    """One of several resolutions issued under one symbol (75/101 A and B)."""

    letter: str
    meta: Meta
    body: Body


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolution: metadata and text, or several components under one symbol."""

    meta: Meta
    body: Body = Body()
    components: tuple[Component, ...] = ()
    span: Span | None = _span()

    def texts(self) -> tuple[tuple[Meta, Body], ...]:
        """(meta, body) for each resolution text: the components, or the body."""
        if self.components:
            return tuple((c.meta, c.body) for c in self.components)
        return ((self.meta, self.body),)


NODE_TYPES: tuple[type, ...] = INLINE_TYPES + BLOCK_TYPES + (
    Span, Cell, Row, Preamble, Closing, Annex, Body, AgendaItem, Proponent, WorkflowStep,
    VoteCount, Voting, Keyword, Classification, Meta, Component, Resolution)
_BY_NAME = {t.__name__: t for t in NODE_TYPES}


# ---------------------------------------------------------------- helpers

def plain_text(inlines: tuple[Inline, ...] | Inline, *, notes: bool = False) -> str:
    """The text of inlines, footnotes left out unless ``notes``."""
    if not isinstance(inlines, tuple):
        inlines = (inlines,)
    out: list[str] = []
    for n in inlines:
        if isinstance(n, Text):
            out.append(n.text)
        elif isinstance(n, LineBreak):
            out.append("\n")
        elif isinstance(n, FootnoteRef):
            if notes:
                out.append(" ".join(plain_text(b.inlines, notes=True)
                                    for b in n.blocks if isinstance(b, Para)))
        else:
            out.append(plain_text(n.children, notes=notes))
    return "".join(out)


def merge_texts(inlines, *, deep: bool = False) -> tuple[Inline, ...]:
    """Adjacent Text nodes joined into one and empty ones dropped (inside marks too
    when ``deep``): the one normal form of a run of inlines."""
    out: list = []
    for n in inlines:
        if deep and isinstance(n, (Emphasis, Strong, Superscript, Subscript, Link, DocRef)):
            n = dataclasses.replace(n, children=merge_texts(n.children, deep=True))
        if isinstance(n, Text):
            if not n.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + n.text)
                continue
        out.append(n)
    return tuple(out)


def iter_footnotes(node: Any):
    """Every FootnoteRef under ``node``, in document order."""
    if isinstance(node, FootnoteRef):
        yield node
        for b in node.blocks:
            yield from iter_footnotes(b)
        return
    if isinstance(node, tuple):
        for x in node:
            yield from iter_footnotes(x)
        return
    if dataclasses.is_dataclass(node) and not isinstance(node, (Span, Text)):
        for f in dataclasses.fields(node):
            if f.name == "span":
                continue
            yield from iter_footnotes(getattr(node, f.name))


# ---------------------------------------------------------------- JSON

class ASTVersionError(ValueError):
    """The JSON was written by another version of the tree."""


def to_data(node: Any) -> Any:
    """The node as plain JSON data; fields equal to their defaults are left out."""
    if isinstance(node, tuple):
        return [to_data(x) for x in node]
    if dataclasses.is_dataclass(node):
        d: dict[str, Any] = {"type": type(node).__name__}
        for f in dataclasses.fields(node):
            v = getattr(node, f.name)
            if f.default is not dataclasses.MISSING and v == f.default and \
                    (f.name != "span" or v is None):
                continue
            if v == () and f.default is dataclasses.MISSING:
                d[f.name] = []
                continue
            if v is None:
                continue
            d[f.name] = to_data(v)
        return d
    return node


def from_data(data: Any) -> Any:
    """Inverse of :func:`to_data`."""
    if isinstance(data, list):
        return tuple(from_data(x) for x in data)
    if isinstance(data, dict):
        name = data.get("type")
        cls = _BY_NAME.get(name)  # type: ignore[arg-type]
        if cls is None:
            raise ValueError(f"unknown node type {name!r}")
        kwargs = {k: from_data(v) for k, v in data.items() if k != "type"}
        return cls(**kwargs)
    return data


def to_json(res: Resolution, *, indent: int | None = 1) -> str:
    """The tree as JSON text with its version: ``{"ast_version": N, "resolution": ...}``."""
    return json.dumps({"ast_version": AST_VERSION, "resolution": to_data(res)},
                      ensure_ascii=False, indent=indent, sort_keys=False) + "\n"


def from_json(text: str) -> Resolution:
    """Read :func:`to_json` output back; a different ``ast_version`` is refused."""
    data = json.loads(text)
    version = data.get("ast_version") if isinstance(data, dict) else None
    if version != AST_VERSION:
        raise ASTVersionError(f"tree JSON has ast_version {version!r}, this pipeline reads "
                              f"{AST_VERSION}")
    res = from_data(data["resolution"])
    if not isinstance(res, Resolution):
        raise ValueError("tree JSON does not hold a Resolution")
    return res
