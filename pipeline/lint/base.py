"""What every lint rule shares: the document under check, the rule registry, tree walks.

A rule is a small pure function registered with :func:`rule`; it takes a
:class:`Doc` (one file's tree, its language and its reader's warnings) and
yields :class:`~pipeline.errors.Diagnostic` whose ``code`` is the rule id and
whose span points at the node (``FILE:LINE:COL``).  A rule of scope ``"set"``
takes every document of the run at once (six-language alignment).

Guarantees of this module: nothing here reads a file, prints or imports a
reader or writer; the walks visit nodes in document order.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..ast import (Body, DocRef, Emphasis, FootnoteRef, Heading, Inline, Item, Link, Para,
                   Paragraph, Recital, Resolution, Section, Span, Strong, Subscript,
                   Superscript, Table, plain_text)
from ..errors import Diagnostic

if TYPE_CHECKING:
    from ..lang import Language


@dataclass(frozen=True)
class Doc:
    """One file under lint: its path, tree, language data (None if unknown), reader warnings."""

    path: str
    res: Resolution
    lang: Language | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    def span(self, node: object = None) -> Span:
        """The node's span, else the resolution's, else the file's first line."""
        for s in (getattr(node, "span", None) if node is not None else None, self.res.span):
            if isinstance(s, Span) and s.line:
                return s if s.file else Span(self.path, s.line, s.col)
        return Span(self.path, 1, 1)


#: the families of rules: the first three characters of an id, and a name for each
FAMILIES: dict[str, str] = {
    "UN1": "punctuation",
    "UN2": "numbering",
    "UN3": "footnotes",
    "UN4": "symbols",
    "UN5": "leads",
    "UN6": "alignment",
}


@dataclass(frozen=True)
class Rule:
    """A registered rule: id ("UN101"), short name, level, what it checks, the check.

    The check function's docstring is the rule's explanation (``unres rules ID``):
    what it checks, then a wrong and a right example."""

    id: str
    name: str
    level: str
    summary: str
    check: Callable
    scope: str = "document"          # "document": check(doc); "set": check(docs)

    @property
    def family(self) -> str:
        """The family's prefix ("UN1")."""
        return self.id[:3]

    @property
    def family_name(self) -> str:
        return FAMILIES.get(self.family, "")

    @property
    def explanation(self) -> str:
        """What the rule checks, with an example (the check's docstring)."""
        return inspect.cleandoc(self.check.__doc__ or self.summary)


#: every rule by id, in registration order (the rule modules register on import)
RULES: dict[str, Rule] = {}


def rule(id: str, name: str, level: str, summary: str, *, scope: str = "document"):
    """Register the decorated function as rule ``id``."""
    def deco(fn: Callable) -> Callable:
        if id in RULES:
            raise ValueError(f"lint rule {id} registered twice")
        RULES[id] = Rule(id, name, level, summary, fn, scope)
        return fn
    return deco


def finding(rule_id: str, message: str, span: Span, level: str | None = None) -> Diagnostic:
    """A diagnostic of rule ``rule_id`` (at the rule's level unless ``level`` is given)."""
    return Diagnostic(message, span, level or RULES[rule_id].level, rule_id)


# ---------------------------------------------------------------- walks

def text_end(inlines: tuple[Inline, ...]) -> str:
    """The text of inlines without footnote calls, trailing space stripped."""
    return plain_text(inlines).rstrip()


def sections(body: Body) -> Iterator[tuple[Section | None, tuple]]:
    """(section or None for the top level, its children) for the operative part, depth first."""
    def walk(sec: Section | None, nodes: tuple):
        yield sec, nodes
        for n in nodes:
            if isinstance(n, Section):
                yield from walk(n, n.children)
    yield from walk(None, body.operative)


def paragraphs(body: Body) -> list[Paragraph]:
    """Every operative paragraph of the body (sections included), in document order."""
    out: list[Paragraph] = []

    def walk(nodes: tuple) -> None:
        for n in nodes:
            if isinstance(n, Paragraph):
                out.append(n)
            elif isinstance(n, Section):
                walk(n.children)
    walk(body.operative)
    return out


def recitals(body: Body) -> list[Recital]:
    """Every preambular paragraph: the preamble's, then those inside sections."""
    out = list(body.preamble.recitals)

    def walk(nodes: tuple) -> None:
        for n in nodes:
            if isinstance(n, Recital):
                out.append(n)
            elif isinstance(n, Section):
                walk(n.children)
    walk(body.operative)
    return out


def items(nodes: Iterable[Item]) -> Iterator[Item]:
    """Every item under ``nodes``, depth first."""
    for it in nodes:
        yield it
        yield from items(it.items)


def item_lists(body: Body) -> Iterator[tuple[object, tuple[Item, ...]]]:
    """(parent paragraph or item, its items) for every list of the operative part."""
    def walk(parent, its):
        if its:
            yield parent, its
        for it in its:
            yield from walk(it, it.items)
    for p in paragraphs(body):
        yield from walk(p, p.items)


def inline_runs(body: Body) -> Iterator[tuple[object, tuple[Inline, ...]]]:
    """(nearest node with a span, inlines) for every run of inlines in the body, notes
    included (a note's run comes with the note's own block)."""
    def blocks(bs: tuple, owner) -> Iterator:
        for b in bs:
            yield from block(b, owner)

    def block(b, owner) -> Iterator:
        here = b if getattr(b, "span", None) else owner
        if isinstance(b, Recital):
            yield here, b.lead + b.body
        elif isinstance(b, Paragraph):
            yield here, b.lead + b.body
            for it in b.items:
                yield from block(it, here)
            yield from blocks(b.tail, here)
            yield from blocks(b.extra, here)
        elif isinstance(b, Item):
            yield here, b.lead + b.body
            for it in b.items:
                yield from block(it, here)
            yield from blocks(b.tail, here)
        elif isinstance(b, Section):
            yield here, b.heading
            yield from blocks(b.children, here)
        elif isinstance(b, (Para, Heading)):
            yield here, b.inlines
        elif isinstance(b, Table):
            yield here, b.caption
            for row in b.rows:
                for cell in row.cells:
                    yield from blocks(cell.blocks, here)

    yield body.preamble, body.preamble.formula
    for r in body.preamble.recitals:
        yield from block(r, body.preamble)
    yield from blocks(body.operative, None)
    for a in body.annexes:
        yield a, a.heading + a.title
        yield from blocks(a.blocks, a)


def walk_inlines(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    """Every inline, nested ones included; a footnote's note is not entered."""
    for n in inlines:
        yield n
        if isinstance(n, (Emphasis, Strong, Superscript, Subscript, DocRef, Link)):
            yield from walk_inlines(n.children)


def note_runs(owner, inlines: tuple[Inline, ...]) -> Iterator[tuple[object, tuple[Inline, ...]]]:
    """The runs inside the notes called from ``inlines`` (notes within notes too)."""
    for n in walk_inlines(inlines):
        if isinstance(n, FootnoteRef):
            for b in n.blocks:
                here = n if n.span else owner
                if isinstance(b, (Para, Heading)):
                    yield here, b.inlines
                    yield from note_runs(here, b.inlines)


def all_runs(body: Body) -> Iterator[tuple[object, tuple[Inline, ...]]]:
    """:func:`inline_runs` and the runs of the notes they call."""
    for owner, run in inline_runs(body):
        yield owner, run
        yield from note_runs(owner, run)


__all__ = ["Doc", "FAMILIES", "Rule", "RULES", "rule", "finding", "text_end", "sections",
           "paragraphs", "recitals", "items", "item_lists", "inline_runs", "all_runs",
           "walk_inlines"]
