"""Text reader: plain text extracted from a UN PDF (``.txt``), by any common
extractor (pdftotext with or without ``-layout``, pdfminer/pdfplumber,
pypdfium2, or the text a PDF viewer copies out).

Stages, each a pure pass in its own module:

1. :func:`pipeline.readers.common.decode`: bytes -> text (UTF-8, BOM dropped;
   binary refused), as the markdown reader; the space some extractors set before
   the hyphen of a compound ("risk -informed") dropped;
   :func:`pipeline.readers.common.document_language`: the language, from the
   option, the file name or the text's script, before any page is cut;
   :func:`pipeline.readers.page.furniture.to_lines`: lines (any line end; a
   form feed is a page break);
2. :func:`pipeline.readers.page.furniture.split_pages`: pages, their body
   lines, the note lines at their feet; running heads and feet (symbol,
   title, job number, page number, on their own lines or run together),
   barcodes and first-page residue set apart, with the language's furniture
   patterns;
3. :func:`pipeline.readers.page.notes.read_notes` and
   :func:`~pipeline.readers.page.notes.find_calls`: the notes (markers with
   their text, or set apart from it), and the place of each call in the body
   (glued, spaced, or opening the next line) -> a ``Superscript`` there;
4. :func:`pipeline.readers.page.furniture.find_title`: the title ("78/6." and
   its lines), after the masthead;
   :func:`pipeline.readers.page.lines.masthead_lines` and
   :func:`~pipeline.readers.page.lines.paragraphs`: lines rejoined (across
   pages and hyphens) into the masthead's logical lines and the body's
   paragraphs, with or without blank lines between them;
5. :class:`~pipeline.normalize.blocks.RawBlock`\\ s, each note a ``"note"``
   block with its marker after the last block of the page it stands on
   (:func:`pipeline.readers.common.place_notes`) ->
   :func:`pipeline.normalize.normalize` (the same passes as markdown: each
   note attached at its call, masthead, body, leads from the lexicon, items,
   closing, annexes, symbols, meta).

No text is dropped except page furniture; a note that cannot be read is
reported.  Odd input (lines shuffled, cut or missing) gives a tree and
warnings, or a :class:`~pipeline.errors.StructureError`; never another
exception.
"""

from __future__ import annotations

import re

from ..ast import Span, Superscript, Text
from ..errors import Diagnostic
from ..normalize.blocks import RawBlock
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed
from .common import decode, document_language, place_notes, take_number
from .page.furniture import find_title, split_pages, to_lines
from .page.lines import (SegLine, closing_lines, join_lines, masthead_lines, paragraphs,
                         section_heading)
from .page.notes import Call, find_calls, read_notes


def _with_calls(text: str, calls: list[Call]):
    """A line's inlines with each call's number as a Superscript (spaces before it dropped)."""
    parts = []
    at = 0
    for c in sorted(calls, key=lambda c: c.start):
        parts.append(Text(text[at:c.start]))
        parts.append(Superscript((Text(c.marker),)))
        at = c.end
    parts.append(Text(text[at:]))
    return tuple(p for p in parts if not (isinstance(p, Text) and not p.text))


def _calls_back(stream: list[SegLine]) -> list[SegLine]:
    """A call that opens a line (an extractor cut the line after it) moved to the end
    of the line before it, where it was printed; a line of calls alone goes, with the
    blank lines after it (an extractor that keeps the layout sets a raised call on a
    line of its own, and a blank line under it)."""
    out: list[SegLine] = []
    prev: int | None = None          # the last line of ``out`` that is not blank
    moved = False                    # the line before held calls alone, moved back
    for x in stream:
        if moved and x.blank:
            continue                 # (the blank lines after it part no paragraphs)
        moved = False
        lead = 0
        while lead < len(x.parts) and isinstance(x.parts[lead], Superscript):
            lead += 1
        if lead and prev is not None and out[prev].page == x.page:
            p = out[prev]
            out[prev] = SegLine(join_lines([p]) + x.parts[:lead], p.no, p.page)
            rest = x.parts[lead:]
            if rest and isinstance(rest[0], Text):
                rest = (Text(rest[0].text.lstrip()),) + rest[1:]
            x = SegLine(tuple(r for r in rest if not (isinstance(r, Text) and not r.text)),
                        x.no, x.page)
            if x.blank:
                moved = True
                continue
        out.append(x)
        if not x.blank:
            prev = len(out) - 1
    return out


_SERIES = re.compile(r"^\s*([A-Z]{1,6})\s*$")
_SYMBOL_REST = re.compile(r"\s(/(?:[A-Z0-9.()\-]+/)*[A-Z0-9.()\-]*[A-Z0-9)])\s*$")


def mend_symbol(lines: list[SegLine]) -> list[SegLine]:
    """The masthead's symbol put back together where the extractor set its series
    letters apart ("A" on a line, "United Nations /RES/79/1" on a later one, as
    the masthead prints the letter larger): the letters' line becomes the whole
    symbol, the other line loses its tail.  Other lines are left as they are."""
    out = list(lines)
    for i, x in enumerate(out):
        m = _SERIES.match(x.text) if len(x.parts) == 1 else None
        if not m:
            continue
        for j in range(i + 1, min(i + 4, len(out))):
            y = out[j]
            r = _SYMBOL_REST.search(y.text) if len(y.parts) == 1 else None
            if r:
                out[i] = SegLine((Text(m.group(1) + r.group(1)),), x.no, x.page)
                out[j] = SegLine((Text(y.text[:r.start()]),), y.no, y.page)
                return out
    return out


#: a space an extractor set before a hyphen between two words of a compound
#: ("risk -informed", "long -term": pdftotext's justified lines); no dash is printed so
_SPACED_HYPHEN = re.compile(r"([^\W\d_]) -([^\W\d_])")


def _groups_by_blank(lines: list[SegLine]) -> list[list[SegLine]]:
    out: list[list[SegLine]] = [[]]
    for x in lines:
        if x.blank:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(x)
    return [g for g in out if g]


def read_blocks(data: bytes, path: str = "<input>", *, lang: str | None = None
                ) -> tuple[list[RawBlock], list[Diagnostic], str]:
    """Raw blocks, warnings and the language code of an extracted text."""
    text = _SPACED_HYPHEN.sub(r"\1-\2", decode(data, path))
    L = document_language(text[:6000], path, lang)
    code = L.code
    diags: list[Diagnostic] = []
    pages = split_pages(to_lines(text), code)
    notes = read_notes(pages)
    calls = find_calls(pages, notes, code)
    by_line: dict[tuple[int, int], list[Call]] = {}
    for c in calls:
        by_line.setdefault((c.page, c.line), []).append(c)
    stream = _calls_back([SegLine(_with_calls(line.text, by_line.get((pi, li), [])), line.no, pi)
                          for pi, page in enumerate(pages) for li, line in enumerate(page.body)])

    # masthead: everything before the title; the title's lines are one logical line
    found = find_title([x.text for x in stream], L)
    if found is None:
        head, title, body = [], [], stream
    else:
        at = found[1]
        head, title, body = stream[:at[0]], [stream[k] for k in at], stream[at[-1] + 1:]

    blocks: list[RawBlock] = []
    pages_of: list[int] = []          # last page of each block

    def add(kind: str, lines: list[SegLine], level: int = 0, numbered: bool = False) -> None:
        inlines = join_lines(lines, code)
        num = ""
        if numbered:
            num, inlines = take_number(inlines, L)
        blocks.append(RawBlock(kind, inlines, Span(path, lines[0].no, 1), num=num, level=level))
        pages_of.append(lines[-1].page)

    for logical in masthead_lines(_groups_by_blank(mend_symbol(head)), L, code):
        add("para", logical)
    if title:
        add("para", title)
    for group in paragraphs(body, L):
        split = closing_lines(group, L)
        if split:
            for g in split:
                add("para", g)
            continue
        if section_heading(group, L):
            add("heading", group, level=2)
            continue
        if blocks and L.annex_heading(blocks[-1].text.strip()) and _heading_like(group):
            add("heading", group, level=1)
            continue
        add("para", group, numbered=True)

    # the notes, after the last block of the page they stand on
    note_blocks: list[tuple[int, RawBlock]] = []
    for note in notes:
        lines = [SegLine((Text(x.text),), x.no, note.page) for x in note.lines]
        at = Span(path, note.lines[0].no if note.lines else note.no or 1, 1)
        if not note.marker:
            diags.append(Diagnostic("text under a page's note rule has no note number; dropped",
                                    at, code="text-note"))
            continue
        if not any(x.text.strip() for x in note.lines):
            diags.append(Diagnostic(f"note {note.marker} has no text", at, code="text-note"))
            continue
        note_blocks.append((note.page, RawBlock("note", join_lines(lines, code), at,
                                                marker=note.marker)))
    return place_notes(blocks, pages_of, note_blocks), diags, code


def _heading_like(group: list[SegLine]) -> bool:
    """A short group of at most two lines not ending like a sentence (an annex's title)."""
    text = " ".join(x.text.strip() for x in group)
    return len(group) <= 3 and len(text) <= 200 and not text.rstrip().endswith((".", ",", ";", ":"))


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read PDF-extracted text into the canonical tree."""
    from ..normalize import normalize

    blocks, warnings, code = read_blocks(data, path, lang=options.lang)
    res, diags = normalize(blocks, front={}, path=path, lang=code)
    return Parsed(res, tuple(warnings) + tuple(diags))
