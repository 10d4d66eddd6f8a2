"""Text reader: plain text extracted from a UN PDF (``.txt``).

Stages, each a pure pass in its own module:

1. bytes -> text (UTF-8, BOM dropped; binary refused), as the markdown reader;
2. :func:`pipeline.normalize.furniture.split_pages`: pages, their body lines,
   the note lines at their feet; running heads, job numbers, barcodes, page
   numbers and first-page residue set apart;
3. :func:`pipeline.normalize.pagenotes.read_notes` and
   :func:`~pipeline.normalize.pagenotes.find_calls`: the notes, and the place
   of each call in the body (glued or not) -> a ``Superscript`` there;
4. :func:`pipeline.normalize.lines.masthead_lines` and
   :func:`~pipeline.normalize.lines.paragraphs`: lines rejoined (across pages
   and hyphens) into the masthead's logical lines and the body's paragraphs;
5. :class:`~pipeline.normalize.blocks.RawBlock`\\ s, the notes as definition
   blocks ``<Superscript(n)> text`` after the page they stand on, exactly as
   the markdown reader hands them over -> :func:`pipeline.normalize.normalize`
   (the same passes as markdown: footnote relocation, masthead, body, leads
   from the lexicon, items, closing, annexes, symbols, meta).

No text is dropped except page furniture; a note that cannot be read is
reported.
"""

from __future__ import annotations

import re

from ..ast import Span, Superscript, Text
from ..errors import Diagnostic
from ..normalize.blocks import RawBlock
from ..normalize.furniture import split_pages, to_lines
from ..normalize.lines import (SegLine, closing_lines, join_lines, masthead_lines, paragraphs,
                               section_heading)
from ..normalize.pagenotes import Call, find_calls, read_notes
from . import Parsed
from .markdown import decode

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.(?!\d)\s*")

#: the title line must be found among this many first body lines
TITLE_WITHIN = 120


def _language(text: str, path: str, lang: str | None):
    from ..normalize import resolve_language

    sample = RawBlock("para", (Text(text[:6000]),))
    return resolve_language({}, lang, path, [sample])


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
    text = decode(data, path)
    L = _language(text, path, lang)
    code = L.code
    diags: list[Diagnostic] = []
    pages = split_pages(to_lines(text), code)
    notes = read_notes(pages)
    calls = find_calls(pages, notes, code)
    by_line: dict[tuple[int, int], list[Call]] = {}
    for c in calls:
        by_line.setdefault((c.page, c.line), []).append(c)
    stream = [SegLine(_with_calls(line.text, by_line.get((pi, li), [])), line.no, pi)
              for pi, page in enumerate(pages) for li, line in enumerate(page.body)]

    # masthead: everything up to the title line's paragraph
    title_at = next((k for k, x in enumerate(stream[:TITLE_WITHIN])
                     if not x.blank and L.parse_title(x.text.strip())), None)
    if title_at is None:
        head, body = [], stream
    else:
        end = title_at
        while end < len(stream) and not stream[end].blank:
            end += 1
        head, body = stream[:end], stream[end:]

    blocks: list[RawBlock] = []
    pages_of: list[int] = []          # last page of each block

    def add(kind: str, lines: list[SegLine], level: int = 0, numbered: bool = False) -> None:
        inlines = join_lines(lines, code)
        num = ""
        if numbered:
            num, inlines = take_number(inlines, L)
        blocks.append(RawBlock(kind, inlines, Span(path, lines[0].no, 1), num=num, level=level))
        pages_of.append(lines[-1].page)

    for logical in masthead_lines(_groups_by_blank(head), L, code):
        add("para", logical)
    for group in paragraphs(body, L):
        split = closing_lines(group, L)
        if split:
            for g in split:
                add("para", g)
            continue
        if section_heading(group):
            add("heading", group, level=2)
            continue
        if blocks and L.annex_heading(blocks[-1].text.strip()) and _heading_like(group):
            add("heading", group, level=1)
            continue
        add("para", group, numbered=True)

    # the notes, after the last block of the page they stand on
    placed: list[tuple[int, RawBlock]] = []
    for note in notes:
        lines = [SegLine((Text(x.text),), x.no, note.page) for x in note.lines]
        if not note.marker:
            diags.append(Diagnostic("text under a page's note rule has no note number; dropped",
                                    Span(path, note.lines[0].no, 1), code="text-note"))
            continue
        inl = (Superscript((Text(note.marker),)), Text(" ")) + join_lines(lines, code)
        after = max((k for k, p in enumerate(pages_of) if p <= note.page), default=-1)
        placed.append((after, RawBlock("para", inl, Span(path, note.lines[0].no, 1))))
    for after, block in sorted(placed, key=lambda x: x[0], reverse=True):
        blocks.insert(after + 1, block)
    # keep the notes of one position in their own order
    return _ordered(blocks), diags, code


def _ordered(blocks: list[RawBlock]) -> list[RawBlock]:
    """Runs of consecutive note blocks sorted by their source line."""
    from ..normalize.footnotes import definition_marker

    out: list[RawBlock] = []
    run: list[RawBlock] = []
    for b in blocks + [None]:  # type: ignore[list-item]
        if b is not None and definition_marker(b):
            run.append(b)
            continue
        out.extend(sorted(run, key=lambda r: r.span.line))
        run = []
        if b is not None:
            out.append(b)
    return out


def take_number(inlines: tuple, L) -> tuple[str, tuple]:
    """("1.", the rest) when the inlines open with an operative number, else ("", inlines).

    The number is taken off here, as the markdown reader takes off an ordered
    list's number, so that the normalizer need not find it in the text."""
    if not inlines or not isinstance(inlines[0], Text):
        return "", inlines
    m = _NUMBER.match(inlines[0].text)
    if not m:
        return "", inlines
    rest = inlines[0].text[m.end():]
    return L.num_text(int(m.group(1))), ((Text(rest),) if rest else ()) + inlines[1:]


def _heading_like(group: list[SegLine]) -> bool:
    """A short group of at most two lines not ending like a sentence (an annex's title)."""
    text = " ".join(x.text.strip() for x in group)
    return len(group) <= 3 and len(text) <= 200 and not text.rstrip().endswith((".", ",", ";", ":"))


def read(data: bytes, path: str = "<input>", *, lang: str | None = None) -> Parsed:
    """Read PDF-extracted text into the canonical tree."""
    from ..normalize import normalize

    blocks, warnings, code = read_blocks(data, path, lang=lang)
    res, diags = normalize(blocks, front={}, path=path, lang=lang or code)
    return Parsed(res, tuple(warnings) + tuple(diags))
