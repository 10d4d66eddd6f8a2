"""PDF reader: the UN's official PDFs (``.pdf``), read from their glyphs.

Plain text extraction throws away what tells a resolution's parts apart; this
reader keeps it.  Stages, each in its own module:

1. :mod:`.pages`: the bytes are checked before any parsing: a PDF header, an
   end-of-file marker (a truncated download has none), a page count under
   :data:`.pages.MAX_PAGES`, compressed streams that inflate within
   :data:`.pages.MAX_STREAM`; the file is opened with pdfium (pypdfium2); an
   encrypted file that does not open without a password, and a page of more than
   :data:`.pages.MAX_GLYPHS` characters, are refused;
2. :mod:`.pages`: each page's characters become :class:`~.layout.Glyph`\\ s
   (font name -> italic/bold, size, box, baseline, colour); a page with no
   text at all (a scanned page) is counted and, when no page has text, the
   file is refused; its thin rules (a thin box, or a border WeasyPrint draws
   as two boxes) give the rule under the running head and a drawn rule over
   the notes; :mod:`.layout` builds rows by baseline (small raised glyphs
   become footnote calls, note numbers, "er" of "1er"; the brackets of an
   Arabic call "(1)" stay text around it) and reads right-to-left rows in
   their logical order (:mod:`.bidi`);
3. here: the language, decided once from the option, the file name or the
   script of the first pages' rows
   (:func:`pipeline.readers.common.document_language`), before any page is
   cut; then :mod:`.layout`, with that language's furniture patterns, sets
   apart the running head, the foot (job number, page number, barcode,
   recycling residue) and the notes under the note rule, and cuts the body
   into paragraphs by line spacing, indentation (from the right on an Arabic
   page), weight and the language's numbers and labels; :mod:`.notes` reads
   the notes under the rule (a line under the note's text, not under its
   number, continues it);
4. here: the masthead (every row before the bold title line "78/6. Title")
   is cut into its logical lines by the text reader's pass
   (:func:`pipeline.readers.page.lines.masthead_lines`), a bracketed
   committee line over two rows kept whole; the title line is one block, a
   part letter ("75/253 C.") moved to its end; the body's paragraphs become
   :class:`~pipeline.normalize.blocks.RawBlock`\\ s with their italic opening
   as an ``Emphasis`` run (bold as ``Strong`` where the language's lead phrases
   are bold: Chinese, Arabic), the lead phrase as the markdown reader gives it,
   an italic item letter "(a)" plain, their operative number taken off
   (:func:`pipeline.readers.common.take_number`), closing lines one per block,
   annex and section headings as headings (a bold block after the closing is
   an annex's title); rows are joined without a space inside a broken word
   (:func:`.layout.glued`) or between CJK characters; each note becomes a
   ``"note"`` block with its marker, after the last block of its page
   (:func:`pipeline.readers.common.place_notes`), its calls staying
   superscripts in the text; what stands under the rule with a marker that is
   no footnote's (a table's lettered note "a") or with no text stays text
   there, a paragraph that opens with its marker raised;
5. :func:`pipeline.normalize.normalize`, the same passes as every text reader
   (each note attached at its call by :func:`pipeline.normalize.footnotes.attach_notes`).

Positions: a span's line is the page number (1-based) and its column the
distance of the block's first row from the page's top, in points (1 when
unknown), since a PDF has no lines of its own.  Bold is not kept as a mark in
the body of languages whose lead phrases are italic (the UN sets only headings
and the title in bold); italics are kept (``Emphasis``).  Known limits: tables
(a table's cells are read row by row as text); several resolutions under one
symbol (75/101 A-B) are read as one; right-to-left reading follows the
Unicode algorithm as WeasyPrint applies it (see :mod:`.bidi` for what is
ambiguous).
"""

from __future__ import annotations

import re

from ...ast import LineBreak, Span, Superscript, Text, plain_text
from ...errors import Diagnostic, StructureError
from ...normalize import normalize
from ...normalize.blocks import RawBlock
from ...normalize.footnotes import footnote_marker
from ...options import DEFAULT_READ, ReadOptions
from .. import Parsed
from ..common import document_language, place_notes, take_number
from ..page.lines import SegLine, join_lines, masthead_lines, section_heading
from . import layout
from .layout import Row
from .notes import read_notes
from .pages import DrawnPage, page_span, read_pages

#: the title line must be among this many first body rows
TITLE_WITHIN = 80


def _language(pages: list[DrawnPage], path: str, lang: str | None):
    """The document's language: ``lang``, the file name, else the script of the first
    pages' text (of all pages when those have none), furniture included, its first
    6,000 characters as the text reader takes."""
    sample = "\n".join(p.text for p in pages[:3])
    if not sample.strip():
        sample = "\n".join(p.text for p in pages)
    return document_language(sample[:6000], path, lang)


def sorted_pages(data: bytes, path: str, lang: str | None = None) -> list[layout.PageRows]:
    """The pages of a PDF as drawn, each sorted into body, notes and furniture with the
    document's language's patterns, as :func:`read_blocks` sorts them (for measuring a
    PDF's pages, :mod:`pipeline.writers.compare`)."""
    drawn, _ = read_pages(data, path)
    L = _language(drawn, path, lang)
    return [p.sorted(L.furniture) for p in drawn]


def _seg(row: Row, path: str) -> SegLine:
    return SegLine(layout.plain_inlines(row), row.page + 1, row.page)


def _masthead_groups(rows: list[Row], code: str) -> list[list[SegLine]]:
    """The masthead rows in groups apart by vertical space, each row cut into its
    columns; the rows of a bracketed line ("[on the report of ... (A/" + "77/408,
    para. 33)]") are one line (the second half alone reads like a title line)."""
    groups: list[list[list[Row]]] = []
    last: Row | None = None
    for r in rows:
        if r.blank:
            continue
        if last is None or r.page != last.page or \
                r.top - last.bottom > layout.PARA_GAP * max(r.size, last.size):
            groups.append([])
        segs = r.segments(3 * r.size)
        if groups[-1] and len(segs) == 1 and _open_bracket(groups[-1][-1]):
            groups[-1][-1].append(segs[0])
        else:
            groups[-1].extend([seg] for seg in segs)
        last = r
    return [[SegLine(layout.join_rows(line, code, italics=False), line[0].page + 1,
                     line[-1].page) for line in g] for g in groups]


def _open_bracket(rows: list[Row]) -> bool:
    text = " ".join(r.text for r in rows)
    return text.count("[") > text.count("]")


def read_blocks(data: bytes, path: str = "<input>", *, lang: str | None = None,
                options: ReadOptions = DEFAULT_READ
                ) -> tuple[list[RawBlock], list[Diagnostic], str]:
    """Raw blocks, warnings and the language code of a UN PDF (``options``: the limits
    of :func:`.pages.read_pages`)."""
    drawn, diags = read_pages(data, path, max_glyphs=options.pdf_max_page_glyphs,
                              max_stream=options.pdf_max_stream_mb * 2**20)
    L = _language(drawn, path, lang)
    code = L.code
    pages = [p.sorted(L.furniture) for p in drawn]
    body = [r for p in pages for r in p.body if not r.blank]
    if not body:
        raise StructureError("no resolution found: the PDF has no body text",
                             page_span(path, 0))
    margin = layout.left_margin(body)

    # the title line "78/6. Title" is set in bold (a wrapped "(A/" + "77/408, para. 33)]"
    # reads like one too)
    titles = [k for k, r in enumerate(body[:TITLE_WITHIN]) if L.parse_title(r.text.strip())]
    title_at = next((k for k in titles if body[k].bold), titles[0] if titles else None)
    head: list[Row] = []
    title: list[Row] = []
    if title_at is not None:
        end = title_at + 1
        while end < len(body) and body[end].page == body[title_at].page and \
                body[end].top - body[end - 1].bottom <= layout.PARA_GAP * body[end].size and \
                body[end].bold == body[title_at].bold:
            end += 1
        head, title, body = body[:title_at], body[title_at:end], body[end:]

    blocks: list[RawBlock] = []
    pages_of: list[int] = []

    def add(kind: str, inlines, row: Row, *, level: int = 0, numbered: bool = False) -> None:
        num = ""
        if numbered:
            num, inlines = take_number(inlines, L)
            if not num:
                num, inlines = unstopped_number(inlines, L, last_number(blocks, L))
            inlines = upright_label(inlines, L)
        blocks.append(RawBlock(kind, inlines, _row_span(path, row), num=num, level=level))
        pages_of.append(row.page)

    for logical in masthead_lines(_masthead_groups(head, code), L, code):
        blocks.append(RawBlock("para", join_lines(logical, code),
                               Span(path, logical[0].no, 1)))
        pages_of.append(logical[-1].page)
    if title:                        # the title line, whatever its rows hold ("General Assembly")
        add("para", title_inlines(layout.join_rows(title, code, italics=False)), title[0])

    marks_bold = "bold" in L.lead_style       # lead phrases set in bold (Chinese, Arabic)
    closed = False                      # the closing's lines were met: an annex may follow
    for group in layout.paragraphs(body, margin, L):
        texts = [r.text.strip() for r in group]
        if len(group) >= 2 and all(L.parse_meeting(t) or L.parse_date(t) for t in texts):
            for r in group:
                add("para", layout.join_rows([r], code, italics=False), r)
            closed = True
            continue
        after_closing, closed = closed, False
        if all(r.bold for r in group):
            text = " ".join(texts)
            plain = layout.join_rows(group, code, italics=False)
            if L.annex_heading(text):
                add("para", plain, group[0])
            elif L.annex_heading(texts[0]):        # "Annex I" over its title
                add("para", layout.join_rows(group[:1], code, italics=False), group[0])
                add("heading", layout.join_rows(group[1:], code, italics=False), group[1],
                    level=1)
            elif blocks and L.annex_heading(blocks[-1].text.strip()) or after_closing:
                add("heading", plain, group[0], level=1)      # an annex's title
            elif section_heading([_seg(r, path) for r in group], L):
                add("heading", _section_inlines(group, code), group[0], level=2)
            else:
                add("para", plain, group[0], numbered=True)
            continue
        add("para", layout.join_rows(group, code, bold=marks_bold), group[0], numbered=True)

    # the notes, after the last block of the page they stand on; what stands under the
    # rule with a marker that is no footnote's (a table's lettered note "a"), or with no
    # text, is no footnote: it stays text there, its marker raised
    foot_blocks: list[tuple[int, RawBlock]] = []
    for page, marker, inlines in read_notes(pages, code, path, diags):
        at = page_span(path, page)
        if footnote_marker(marker) and plain_text(inlines).strip():
            foot_blocks.append((page, RawBlock("note", inlines, at, marker=marker)))
        else:
            foot_blocks.append((page, RawBlock("para", (Superscript((Text(marker),)), Text(" "))
                                               + inlines, at)))
    return place_notes(blocks, pages_of, foot_blocks), diags, code


#: a part letter after the resolution's number: "75/253 C. Title"
_PART_LETTER = re.compile(r"^(?P<number>\s*\d+\s?/\s?\d+)\s+(?P<letter>[A-H])\s*\.\s+(?=\S)")


def title_inlines(inlines: tuple) -> tuple:
    """The title line with a part letter printed after the number ("75/253 C. Title")
    moved to the title's end ("75/253. Title C"), where the tree keeps it."""
    m = _PART_LETTER.match(inlines[0].text) if inlines and isinstance(inlines[0], Text) \
        else None
    if not m:
        return inlines
    head = Text(m["number"] + ". " + inlines[0].text[m.end():])
    return layout.merge([head, *inlines[1:], Text(" " + m["letter"])])


def last_number(blocks: list[RawBlock], L) -> int:
    """The number of the last numbered block so far (0 before paragraph 1)."""
    for b in reversed(blocks):
        if b.num:
            return L.bare_number(b.num) or 0
    return 0


def unstopped_number(inlines: tuple, L, last: int) -> tuple[str, tuple]:
    """("26.", the rest) when the inlines open with the next operative number after
    ``last`` printed without its full stop ("26 Condemns"), the rest opening with a
    word that is not in lower case; else ("", inlines)."""
    if not last or not inlines or not isinstance(inlines[0], Text):
        return "", inlines
    head, _, rest = inlines[0].text.lstrip().partition(" ")
    n = L.bare_number(head) if head.isdigit() else None
    after = rest.lstrip() or plain_text(inlines[1:]).lstrip()
    if n != last + 1 or not after or after[:1].islower():
        return "", inlines
    return L.num_text(n), ((Text(rest.lstrip()),) if rest.strip() else ()) + inlines[1:]


def upright_label(inlines: tuple, L) -> tuple:
    """The inlines with an item label that opens them as plain text: the UN sets the
    letter of "(a)" in italics, which would otherwise read as a lead phrase."""
    text = plain_text(inlines)
    got = L.item_label(text)
    if not got or not inlines or isinstance(inlines[0], Text) and \
            len(inlines[0].text) >= text.index(got[0]) + len(got[0]):
        return inlines
    return layout.plain_prefix(inlines, text.index(got[0]) + len(got[0]))


def _row_span(path: str, row: Row) -> Span:
    return Span(path, row.page + 1, max(1, int(row.top)))


def _section_inlines(group: list[Row], code: str):
    """A section heading: its number row, a line break, its title ("I" over the title)."""
    first = layout.join_rows(group[:1], code, italics=False)
    if len(group) == 1:
        return first
    return first + (LineBreak(),) + layout.join_rows(group[1:], code, italics=False)


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read an official UN PDF into the canonical tree."""
    blocks, warnings, code = read_blocks(data, path, lang=options.lang, options=options)
    res, diags = normalize(blocks, front={}, path=path, lang=code)
    return Parsed(res, tuple(warnings) + tuple(diags))
