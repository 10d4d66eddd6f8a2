"""Markdown reader: the documented source format and the seed's kind of source.

Stages: bytes -> text (UTF-8, BOM dropped; binary refused) -> YAML front
matter split off -> pandoc's JSON AST (``commonmark_x`` with source
positions, fancy lists, smart quotes, TeX math and emoji off, so that item
labels, quotes and dollar signs reach us as written) -> :class:`RawBlock` list
-> the language (:func:`~pipeline.readers.common.document_language`: front
matter, ``--lang``, file name, then the script of the first blocks) ->
:func:`pipeline.normalize.normalize` -> :class:`~pipeline.ast.Resolution`.

Leading whitespace is taken off every body line before pandoc sees it: the
indentation of extracted text is noise (a deep indent would otherwise become
a code block), and nesting is decided from item labels.  Columns in spans
are corrected back to the source.

Raw HTML is never passed through: ``<sup>``/``<sub>``/``<br>``/``<i>``/``<b>``
become the tree's inlines; any other tag is dropped with a warning.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..ast import (Cell, Emphasis, FootnoteRef, Inline, LineBreak, Link, Para, Row, Span, Strong,
                   Subscript, Superscript, Table, Text)
from ..ast import merge_texts
from ..errors import Diagnostic, LanguageError, NotAResolution, ReadError
from ..lang import ordered_list_number
from ..limits import MAX_FRONT_MATTER, exceeded
from ..normalize.blocks import RawBlock
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed, pandoc
from .common import decode, document_language, resolution_like

PANDOC_FORMAT = ("commonmark_x-fancy_lists-smart-tex_math_dollars-emoji-task_lists"
                 "-subscript-superscript-alerts-implicit_header_references+sourcepos")

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_POS = re.compile(r"(\d+):(\d+)")
_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>$", re.S)
_INLINE_TAGS = {"sup": Superscript, "sub": Subscript, "i": Emphasis, "em": Emphasis,
                "b": Strong, "strong": Strong}


def split_front_matter(text: str, path: str) -> tuple[dict, str, int]:
    """(front matter mapping, body, number of lines the front matter took)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    import yaml

    if len(m.group(1)) > MAX_FRONT_MATTER:
        raise exceeded("the front matter is too long", f"{len(m.group(1))} characters",
                       "front matter", MAX_FRONT_MATTER, Span(path, 2, 1), fixed=True)
    try:
        data = yaml.load(m.group(1), Loader=_loader()) or {}
    except _AliasFound as e:
        raise ReadError("front matter uses a YAML alias (*name); aliases are not read (an "
                        "alias bomb expands without end): write the value out",
                        Span(path, e.mark.line + 2, e.mark.column + 1)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = (mark.line + 2) if mark else 1
        col = (mark.column + 1) if mark else 1
        raise ReadError(f"front matter is not valid YAML: {getattr(e, 'problem', e)}",
                        Span(path, line, col)) from None
    if not isinstance(data, dict):
        raise ReadError("front matter must be a mapping of keys to values", Span(path, 2, 1))
    from ..normalize.text import strip_controls

    return strip_controls(data), text[m.end():], text[:m.end()].count("\n")


class _AliasFound(Exception):
    def __init__(self, mark):
        self.mark = mark


@functools.lru_cache(maxsize=1)
def _loader():
    """PyYAML's safe loader that stops at the first alias, before it is expanded."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise _AliasFound(self.peek_event().start_mark)
            return super().compose_node(parent, index)

    return NoAliases


@functools.lru_cache(maxsize=1)
def run_pandoc(body: str, path: str, limit_kb: int = DEFAULT_READ.max_markdown_kb) -> dict:
    """Pandoc's JSON AST of ``body`` (:mod:`pipeline.readers.pandoc`: one process for a
    single document, one kept running for a batch), within the memory that the limit
    ``markdown_kb`` gives: a heap of 160 MB and 32 bytes of pandoc's JSON per byte of
    the limit (what the largest resolutions take, a few times over), both growing
    with the limit."""
    bounds = pandoc.Bounds(heap_mb=max(160, limit_kb * 160 // 512),
                           json_bytes=max(16 * 2**20, limit_kb * 1024 * 32), limit=limit_kb)
    return pandoc.to_json(body, PANDOC_FORMAT, path, bounds, _without_plain_wrappers)


#: in pandoc's JSON, a source-position wrapper Span (``+sourcepos`` wraps every inline in
#: one) around a single word, space or line break; group 1: that inline
_PLAIN_WRAPPER = re.compile(
    rb'\{"t":"Span","c":\[\["",\[\],\[\["wrapper","1"\],\["data-pos","[^"\\]*+"\]\]\],\['
    rb'(\{"t":"(?:Space|SoftBreak)"\}|\{"t":"Str","c":"(?:[^"\\]++|\\.)*+"\})\]\]\}')


def _without_plain_wrappers(json_text: bytes) -> bytes:
    """Pandoc's JSON with each wrapper Span around one word, space or line break
    replaced by that inline: the inlines are the same once :func:`_unwrap` has taken
    the wrappers off (no inline's position is read), with a third of the objects to
    build.  A JSON string cannot hold the unescaped quotes the pattern starts with,
    so it matches whole objects only; wrappers around anything else stay.  (The pieces
    that ``split`` gives are the text between the wrappers and, for each, its group:
    joined, they are what ``sub(rb"\\1", ...)`` gives, without a call per wrapper.)"""
    return b"".join(_PLAIN_WRAPPER.split(json_text))


@dataclass
class _Converter:
    """Pandoc JSON -> RawBlocks, keeping positions (pandoc ``data-pos`` wrappers)."""

    path: str
    line_offset: int
    indents: list[int]
    lines: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    notes: int = 0
    #: read asterisks left in the text as the emphasis they mark (:func:`_literal_marks`):
    #: not in a source that escapes asterisks ("\\*"), which means them as written
    literal_marks: bool = True

    # positions -------------------------------------------------------
    def span_of(self, pos: str | None) -> Span:
        if not pos:
            return Span(self.path, 0, 0)
        m = _POS.match(pos)
        if not m:
            return Span(self.path, 0, 0)
        line, col = int(m.group(1)), int(m.group(2))
        indent = self.indents[line - 1] if 0 < line <= len(self.indents) else 0
        return Span(self.path, line + self.line_offset, col + indent)

    def number_as_written(self, item: list) -> str | None:
        """The number a list item carries in the source: pandoc numbers a list's items
        from its start, which would hide a wrong "6." in a run of paragraphs."""
        if not item or item[0].get("t") != "Div":
            return None
        m = _POS.match(dict(item[0]["c"][0][2]).get("data-pos", ""))
        if not m or not 0 < int(m.group(1)) <= len(self.lines):
            return None
        got = ordered_list_number(self.lines[int(m.group(1)) - 1].lstrip())
        return str(int(got)) if got else None

    @staticmethod
    def _wrapper_pos(attr: list) -> str | None:
        kv = dict(attr[2])
        return kv.get("data-pos") if "wrapper" in kv or "data-pos" in kv else None

    # blocks ----------------------------------------------------------
    def blocks(self, items: list, depth: int = 0, pos: str | None = None,
               num: str = "") -> list[RawBlock]:
        out: list[RawBlock] = []
        for b in items:
            out.extend(self.block(b, depth, pos, num))
            num = ""  # an ordered-list number belongs to the item's first block only
        return out

    def block(self, b: dict, depth: int, pos: str | None, num: str = "") -> list[RawBlock]:
        t, c = b["t"], b.get("c")
        if t == "Div":
            attr, children = c
            kv = dict(attr[2])
            if "wrapper" in kv:
                return self.blocks(children, depth, kv.get("data-pos", pos), num)
            inner = self.blocks(children, depth, kv.get("data-pos", pos), num)
            classes = tuple(("class", cl) for cl in attr[1])
            return [RawBlock(r.kind, r.inlines, r.span, r.num, r.depth, r.level, r.table,
                             r.attrs + classes) for r in inner]
        span = self.span_of(pos)
        if t in ("Para", "Plain"):
            return [RawBlock("para", self.inlines(c), span, num=num, depth=depth)]
        if t == "Header":
            level, hattr, inl = c
            hpos = dict(hattr[2]).get("data-pos")
            span = self.span_of(hpos or pos)
            return [RawBlock("heading", self.inlines(inl), span, level=level, depth=depth)]
        if t == "OrderedList":
            (start, _style, delim), items = c
            out = []
            for i, item in enumerate(items):
                n = self.number_as_written(item) or str(start + i)
                label = {"OneParen": f"{n})", "TwoParens": f"({n})"}.get(delim["t"], f"{n}.")
                got = self.blocks(item, depth, pos, label)
                # a number alone on its line ("1." and the text in the next block) is
                # kept: the normalizer joins it to its text
                out.extend(got or [RawBlock("para", (), span, num=label, depth=depth)])
            return out
        if t == "BulletList":
            return [r for item in c for r in self.blocks(item, depth + 1, pos)]
        if t == "BlockQuote":
            return self.blocks(c, depth + 1, pos)
        if t == "Table":
            return [RawBlock("table", (), span, table=self.table(c), depth=depth)]
        if t == "HorizontalRule":
            return [RawBlock("rule", (), span, depth=depth)]
        if t == "CodeBlock":
            return [RawBlock("para", (Text(line.strip()),), span, depth=depth)
                    for line in c[1].split("\n") if line.strip()]
        if t == "LineBlock":
            return [RawBlock("para", self.inlines(line), span, depth=depth) for line in c]
        if t == "DefinitionList":
            out = []
            for term, defs in c:
                out.append(RawBlock("para", self.inlines(term), span, depth=depth))
                for d in defs:
                    out.extend(self.blocks(d, depth + 1, pos))
            return out
        if t == "RawBlock":
            if c[0] == "html" and re.fullmatch(r"\s*(?:<!--.*?-->\s*)+", c[1], re.S):
                return []       # HTML comments (notes, lint suppressions): no output shows them
            self.warn(f"raw {c[0]} block dropped", span)
            return []
        if t == "Figure":
            self.warn("figure dropped (images are not part of a resolution's text)", span)
            return []
        self.warn(f"{t} block not understood; dropped", span)
        return []

    def table(self, c: list) -> Table:
        _attr, caption, _colspecs, head, bodies, foot = c
        rows: list[Row] = []

        def add(pandoc_rows: list, header: bool) -> None:
            for _rattr, cells in pandoc_rows:
                rows.append(Row(tuple(
                    Cell(tuple(Para(r.inlines) for r in self.blocks(blocks) if r.kind == "para"),
                         header=header, rowspan=rs, colspan=cs)
                    for _cattr, _align, rs, cs, blocks in cells)))

        add(head[1], True)
        for _battr, _rhc, bhead, bbody in bodies:
            add(bhead, True)
            add(bbody, False)
        add(foot[1], False)
        cap = tuple(i for r in self.blocks(caption[1]) for i in r.inlines)
        return Table(tuple(rows), cap)

    # inlines ---------------------------------------------------------
    def inlines(self, items: list) -> tuple[Inline, ...]:
        out: list[Inline] = []
        stack: list[tuple[str, list[Inline]]] = []  # open raw HTML inline tags

        def emit(node: Inline) -> None:
            (stack[-1][1] if stack else out).append(node)

        for i in _unwrap(items):
            t, c = i["t"], i.get("c")
            if t == "RawInline":
                fmt, raw = c
                m = _TAG.match(raw.strip()) if fmt == "html" else None
                name = m.group(2).lower() if m else ""
                if m and name == "br":
                    emit(LineBreak())
                elif m and name in _INLINE_TAGS and not m.group(1) and not m.group(3):
                    stack.append((name, []))
                elif m and name in _INLINE_TAGS and m.group(1):
                    if stack and stack[-1][0] == name:
                        tag, kids = stack.pop()
                        emit(_INLINE_TAGS[tag](_merge(kids)))
                    else:
                        self.warn(f"unmatched </{name}> dropped", None)
                else:
                    self.warn(f"raw {fmt} {raw.strip()[:40]!r} dropped", None)
                continue
            for node in self.inline(i):
                emit(node)
        while stack:  # unclosed tags: keep their content
            _tag, kids = stack.pop()
            (stack[-1][1] if stack else out).extend(kids)
        return _literal_marks(_merge(out)) if self.literal_marks else _merge(out)

    def inline(self, i: dict) -> list[Inline]:
        t, c = i["t"], i.get("c")
        if t == "Str":
            return [Text(c)]
        if t in ("Space", "SoftBreak"):
            return [Text(" ")]
        if t == "LineBreak":
            return [LineBreak()]
        if t == "Span":
            return list(self.inlines(c[1]))
        if t == "Emph":
            return [Emphasis(self.inlines(c))]
        if t == "Strong":
            return [Strong(self.inlines(c))]
        if t == "Superscript":
            return [Superscript(self.inlines(c))]
        if t == "Subscript":
            return [Subscript(self.inlines(c))]
        if t in ("Underline", "SmallCaps", "Strikeout"):
            return list(self.inlines(c))
        if t == "Quoted":
            q = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            return [Text(q[0]), *self.inlines(c[1]), Text(q[1])]
        if t == "Cite":
            return list(self.inlines(c[1]))
        if t == "Code":
            return [Text(c[1])]
        if t == "Math":
            return [Text(c[1])]
        if t == "Link":
            _attr, inl, (href, _title) = c
            return [Link(href, self.inlines(inl))]
        if t == "Image":
            self.warn("image dropped", None)
            return []
        if t == "Note":
            self.notes += 1
            blocks = tuple(Para(r.inlines, span=r.span) for r in self.blocks(c) if r.kind == "para")
            return [FootnoteRef(str(self.notes), blocks)]
        if t == "RawInline":
            return []
        self.warn(f"{t} inline not understood; dropped", None)
        return []

    def warn(self, message: str, span: Span | None) -> None:
        self.warnings.append(Diagnostic(message, span or Span(self.path, 0, 0), code="markdown"))


def _unwrap(items: list) -> list:
    """Pandoc inlines with the source-position wrapper Spans replaced by their contents
    (a Span is a wrapper when one of its attributes is named "wrapper")."""
    out: list = []
    todo = items[::-1]              # a stack: the next inline last
    while todo:
        i = todo.pop()
        if i["t"] == "Span":
            attrs = i["c"][0][2]
            if attrs and (attrs[0][0] == "wrapper" or any(k == "wrapper" for k, _v in attrs)):
                todo.extend(i["c"][1][::-1])
                continue
        out.append(i)
    return out


#: emphasis that CommonMark leaves as literal asterisks: a closing run after punctuation
#: and before a letter ("**感到震惊的是，**构成", "mutandis*,* to"), never across a
#: space on the inside; one to three asterisks, the same number on both sides
_LITERAL_MARKS = re.compile(r"(?<!\*)(\*{1,3})(?![\s*])([^*]*?[^\s*])\1(?!\*)")


def _literal_marks(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Asterisks that pandoc left in the text because CommonMark's flanking rules
    refused them (around CJK punctuation, around a comma) read as the emphasis
    they mark; a mark around punctuation only ("*,*", "**(**") is dropped, the
    punctuation kept.  A lone asterisk (a reissue mark, a note call) stays."""
    out: list[Inline] = []
    for n in nodes:
        if not isinstance(n, Text) or "*" not in n.text:
            out.append(n)
            continue
        at = 0
        for m in _LITERAL_MARKS.finditer(n.text):
            out.append(Text(n.text[at:m.start()]))
            inner: tuple[Inline, ...] = (Text(m.group(2)),)
            if any(ch.isalpha() for ch in m.group(2)):
                kind = len(m.group(1))
                inner = ((Emphasis(inner),) if kind == 1 else (Strong(inner),) if kind == 2
                         else (Strong((Emphasis(inner),)),))
            out.extend(inner)
            at = m.end()
        out.append(Text(n.text[at:]))
    return _merge(out)


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent Text nodes joined; empty ones dropped."""
    return merge_texts(nodes)


def read_blocks(data: bytes, path: str = "<input>", limit_kb: int = DEFAULT_READ.max_markdown_kb
                ) -> tuple[dict, list[RawBlock], list[Diagnostic]]:
    """Front matter, raw blocks and warnings of a markdown source (``limit_kb``: the
    limit ``markdown_kb``, which bounds pandoc's memory, :func:`run_pandoc`)."""
    text = decode(data, path)
    front, body, offset = split_front_matter(text, path)
    indents, dedented = _dedent(body)
    doc = run_pandoc(dedented, path, limit_kb)
    conv = _Converter(path, offset, indents, dedented.split("\n"),
                      literal_marks="\\*" not in dedented)
    blocks = conv.blocks(doc.get("blocks", []))
    return front, blocks, conv.warnings + _note_warnings(dedented.split("\n"), indents, offset,
                                                         path)


_NOTE_DEF = re.compile(r"\[\^([^\]\s]+)\]:")
_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FENCE = re.compile(r"(`{3,}|~{3,})")


def _note_warnings(lines: list[str], indents: list[int], offset: int,
                   path: str) -> list[Diagnostic]:
    """Warnings about pandoc's footnotes (``[^x]`` and ``[^x]: text``) that pandoc passes
    over in silence: a note defined twice (pandoc keeps the first), a note never called
    (pandoc drops it), a call of a note never defined (left as text).  Outside fenced
    code; each where it stands in the source."""
    defs: dict[str, Span] = {}
    calls: dict[str, Span] = {}
    out: list[Diagnostic] = []
    fence = ""
    for i, line in enumerate(lines):
        f = _FENCE.match(line)
        if f and (not fence or f.group(1).startswith(fence)):
            fence = "" if fence else f.group(1)
            continue
        if fence:
            continue
        where = functools.partial(Span, path, i + 1 + offset)
        d = _NOTE_DEF.match(line)
        if d:
            first = defs.get(d.group(1))
            if first is not None:
                out.append(Diagnostic(f"footnote [^{d.group(1)}] is defined a second time "
                                      f"(first on line {first.line}); this one is not read",
                                      where(indents[i] + 1), code="footnote-duplicate"))
            else:
                defs[d.group(1)] = where(indents[i] + 1)
        for c in _NOTE_CALL.finditer(line):
            calls.setdefault(c.group(1), where(indents[i] + c.start() + 1))
    for name, span in calls.items():
        if name not in defs:
            out.append(Diagnostic(f"footnote reference [^{name}] has no note ([^{name}]: "
                                  "text); left as text", span, code="footnote-missing"))
    for name, span in defs.items():
        if name not in calls:
            out.append(Diagnostic(f"footnote [^{name}] is never called; pandoc drops it",
                                  span, code="footnote-uncalled"))
    return sorted(out, key=lambda d: (d.span.line, d.span.col))


def read_ahead(data: bytes, path: str = "<input>") -> None:
    """Have pandoc start on a source :func:`read` will be given next in this process (a
    batch's next document), while this process works on the current one
    (:func:`pipeline.readers.pandoc.send_ahead`); :func:`read` gives the same tree
    either way.  A source that cannot be read is left for :func:`read` to report."""
    try:
        _front, body, _offset = split_front_matter(decode(data, path), path)
    except (ReadError, ValueError):
        return
    pandoc.send_ahead(_dedent(body)[1], PANDOC_FORMAT)


def _dedent(body: str) -> tuple[list[int], str]:
    """Each line's indent, and the text pandoc reads: every line without its indent."""
    lines = body.split("\n")
    return ([len(line) - len(line.lstrip(" \t")) for line in lines],
            "\n".join(line.lstrip(" \t") for line in lines))


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read a markdown source into the canonical tree (a source larger than the limit
    ``markdown_kb`` is refused before pandoc reads it: pandoc takes about 0.5 GB of
    memory per MB)."""
    from ..normalize import normalize

    limit = options.max_markdown_kb * 1024
    if len(data) > limit:
        raise exceeded("markdown source too large to read", f"{len(data) // 1024} kB",
                       "markdown_kb", options.max_markdown_kb,
                       Span(path, data.count(b"\n", 0, limit) + 1, 1))
    front, blocks, warnings = read_blocks(data, path, options.max_markdown_kb)
    try:
        L = document_language(" ".join(b.text for b in blocks[:60]), path, options.lang, front)
    except LanguageError:
        if not resolution_like(blocks):       # a README or notes, not a resolution
            first = blocks[0].span if blocks else Span(path, 1, 1)
            raise NotAResolution(NotAResolution.MESSAGE,
                                 Span(path, first.line or 1, first.col or 1)) from None
        raise
    res, diags = normalize(blocks, front=front, path=path, lang=L.code)
    return Parsed(res, tuple(warnings) + tuple(diags))
