"""The limits on what one document may cost: one policy, one place.

A source from anywhere may be built to make the pipeline run away (a compression
bomb in a PDF, a page of 200,000 glyphs, a YAML alias bomb, a table of 40,000
cells that WeasyPrint lays out for minutes).  Each limit below is checked at the
layer that meets the cost first, *before* paying it, and a document that passes
one fails alone with one located line::

    FILE:LINE:COL: error: WHAT (N; limit L; raise with --limit NAME=M)

and a nonzero exit for that file; the batch goes on and nothing is written for
it.  The limits are read options (:class:`~pipeline.options.ReadOptions`), so a
run that raises one rebuilds what it changes (they are part of the build
record's key).  Raise them on the command line (``--limit NAME=VALUE``,
repeatable, on ``convert``, ``parse`` and ``lint``) or in the configuration::

    [tool.unres.limits]
    table_cells = 40000

=====================  ========  ===============================================
name                   default   what it bounds, and where it is checked
=====================  ========  ===============================================
``markdown_kb``        512       kilobytes of a markdown source (pandoc takes about
                                 0.5 GB of memory per MB, twice that for text dense
                                 in marks): the markdown reader, before pandoc runs;
                                 it also sets pandoc's heap (160 MB per 512 kB) and
                                 the longest JSON answer read from it (32 bytes per
                                 byte), :mod:`pipeline.readers.pandoc`
``pdf_stream_mb``      64        megabytes one compressed stream of a PDF inflates
                                 to, through every filter of its chain: the PDF
                                 reader, before pdfium sees the file
``pdf_page_glyphs``    60000     characters on one page of a PDF: the PDF reader,
                                 before the page's glyphs are measured
``table_cells``        10000     cells of one table: after reading, before any
                                 writer lays it out
``block_chars``        200000    characters of one paragraph, item or cell: after
                                 reading (a 5 MB paragraph takes minutes to lay
                                 out in a PDF)
``depth``              50        levels of nesting (items in items, parts in
                                 parts): after reading
=====================  ========  ===============================================

Fixed, not raised by an option: an input file is at most
:data:`MAX_INPUT_MB` MB (:func:`pipeline.sources.read_input`), a Word file's
members are bounded by :mod:`pipeline.readers.safezip`, a markdown front
matter may hold no YAML aliases or anchors (an alias bomb is refused before it
is expanded) and at most :data:`MAX_FRONT_MATTER` bytes, and the time one
document may take is ``--timeout`` of ``convert`` (300 s by default).
"""

from __future__ import annotations

from dataclasses import dataclass

from .ast import Span
from .errors import ReadError, UsageError

#: the largest input file read, in megabytes
MAX_INPUT_MB = 64
#: the largest YAML front matter of a markdown source, in bytes
MAX_FRONT_MATTER = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit: its name (as ``--limit`` and the configuration spell it), its
    default, the read option that carries it and what it bounds."""

    name: str
    default: int
    field: str
    what: str


LIMITS: dict[str, Limit] = {lim.name: lim for lim in (
    Limit("markdown_kb", 512, "max_markdown_kb", "kilobytes of a markdown source"),
    Limit("pdf_stream_mb", 64, "pdf_max_stream_mb",
          "megabytes one compressed stream of a PDF inflates to"),
    Limit("pdf_page_glyphs", 60_000, "pdf_max_page_glyphs", "characters on one page of a PDF"),
    Limit("table_cells", 10_000, "max_table_cells", "cells of one table"),
    Limit("block_chars", 200_000, "max_block_chars",
          "characters of one paragraph, item or cell"),
    Limit("depth", 50, "max_depth", "levels of nesting"),
)}


class LimitError(ReadError):
    """A document passes one of the limits (see the module docstring)."""


def exceeded(what: str, value: int | str, name: str, limit: int, span: Span, *,
             fixed: bool = False) -> LimitError:
    """The error of a document that passes limit ``name``: ``WHAT (VALUE; limit L;
    raise with --limit NAME=N)`` (a ``fixed`` limit is not raised by an option)."""
    how = "" if fixed else f"; raise with --limit {name}=N"
    return LimitError(f"{what} ({value}; limit {limit}{how})", span)


def parse(values: tuple[str, ...] | list[str], where: str = "--limit") -> dict[str, int]:
    """``NAME=VALUE`` strings as {read option field: value}; an unknown name or a value
    that is not a whole number above 0 is a UsageError."""
    out: dict[str, int] = {}
    for text in values:
        name, eq, value = text.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or name not in LIMITS:
            raise UsageError(f"{where}: {text!r} is not NAME=VALUE with NAME one of "
                             f"{', '.join(LIMITS)}")
        out.update(of(name, value.strip(), where))
    return out


def of(name: str, value: object, where: str) -> dict[str, int]:
    """{read option field: value} of one limit set by ``where`` (a UsageError when bad)."""
    if name not in LIMITS:
        raise UsageError(f"{where}: unknown limit {name!r} (known: {', '.join(LIMITS)})")
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UsageError(f"{where}: the limit {name} must be a whole number above 0 "
                         f"(it is {value!r})")
    return {LIMITS[name].field: value}


def check_tree(resolution, options, path: str = "") -> None:
    """A :class:`~pipeline.limits.LimitError` at the first place where the tree read
    passes ``options``' limits of shape (``table_cells``, ``block_chars``, ``depth``),
    so that no writer lays out a table or a paragraph that would run for minutes.
    Iterative, in document order: a tree of any depth is walked without recursion.
    A place in another file than ``path`` (a tree read back from JSON keeps its source's
    places) is given as ``path``'s first line."""
    try:
        _check(resolution, options)
    except LimitError as e:
        if path and e.span.file != path:
            e.span = Span(path, 1, 1)
        raise


def _check(resolution, options) -> None:
    from dataclasses import fields, is_dataclass

    from . import ast

    blocks = (ast.Para, ast.Heading, ast.Cell, ast.Item, ast.Recital, ast.Paragraph)
    top = getattr(resolution, "span", None) or Span()
    chars: dict[int, int] = {}
    # (node, depth, the nearest span above, the block whose text it is)
    stack: list[tuple[object, int, Span, object]] = [(resolution, 0, top, None)]
    names_of: dict[type, tuple[str, ...]] = {}   # each node type's fields, last first
    last = top
    while stack:
        node, depth, where, block = stack.pop()
        if isinstance(node, tuple):
            stack.extend((child, depth, where, block) for child in reversed(node))
            continue
        if not is_dataclass(node) or isinstance(node, Span):
            continue
        span = getattr(node, "span", None)
        if isinstance(span, Span) and span.line:
            where = last = span
        else:                   # a node read without a line (a markdown table): the
            where = last        # nearest place before it in the document
        if depth > options.max_depth:
            raise exceeded("the document is nested too deeply", f"more than {depth - 1} "
                           "levels", "depth", options.max_depth, where)
        if isinstance(node, ast.Table):
            cells = sum(len(r.cells) for r in node.rows)
            if cells > options.max_table_cells:
                raise exceeded("a table too large to lay out", f"{cells} cells",
                               "table_cells", options.max_table_cells, where)
        if isinstance(node, blocks):
            block = node
        if isinstance(node, ast.Text) and block is not None:
            n = chars[id(block)] = chars.get(id(block), 0) + len(node.text)
            if n > options.max_block_chars:
                raise exceeded("a paragraph too long to lay out", f"{n} characters or more",
                               "block_chars", options.max_block_chars, where)
            continue
        names = names_of.get(type(node))
        if names is None:
            names = names_of[type(node)] = tuple(f.name for f in reversed(fields(node)))
        for name in names:
            value = getattr(node, name)
            if isinstance(value, tuple) or (is_dataclass(value) and not isinstance(value, Span)):
                stack.append((value, depth + 1, where, block))
