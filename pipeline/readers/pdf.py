"""PDF reader: the UN's official PDFs (``.pdf``), read from their glyphs.

Plain text extraction throws away what tells a resolution's parts apart; this
reader keeps it.  Stages:

1. the bytes are checked before any parsing: a PDF header, an end-of-file
   marker (a truncated download has none), a page count under
   :data:`MAX_PAGES`; the file is opened with pdfplumber (pdfminer); an
   encrypted file that does not open without a password is refused;
2. each page's characters become :class:`~pipeline.normalize.layout.Glyph`\\ s
   (font name -> italic/bold, size, box, baseline, colour); a page with no
   text at all (a scanned page) is counted and, when no page has text, the
   file is refused; its thin rules (a thin box, or a border WeasyPrint draws
   as two boxes) give the rule under the running head and a drawn rule over
   the notes;
3. :mod:`pipeline.normalize.layout` builds rows by baseline (small raised
   glyphs become footnote calls, note numbers, "er" of "1er"; the brackets of
   an Arabic call "(1)" stay text around it), reads right-to-left rows in
   their logical order (:mod:`pipeline.normalize.bidi`), sets apart the
   running head, the foot (job number, page number, barcode, recycling
   residue) and the notes under the note rule, and cuts the body into
   paragraphs by line spacing, indentation (from the right on an Arabic
   page), weight and the language's numbers and labels;
4. the masthead (every row before the bold title line "78/6. Title") is cut
   into its logical lines by the text reader's pass
   (:func:`pipeline.normalize.lines.masthead_lines`), a bracketed committee
   line over two rows kept whole; the title line is one block, a part letter
   ("75/253 C.") moved to its end; the body's paragraphs become
   :class:`~pipeline.normalize.blocks.RawBlock`\\ s with their italic opening
   as an ``Emphasis`` run (bold as ``Strong`` where the language's lead phrases
   are bold: Chinese, Arabic), the lead phrase as the markdown reader gives it,
   an italic item letter "(a)" plain, their operative number taken off
   (:func:`pipeline.readers.common.take_number`), closing lines one per block,
   annex and section headings as headings (a bold block after the closing is
   an annex's title); rows are joined without a space inside a broken word
   (:func:`pipeline.normalize.layout.glued`) or between CJK characters; each
   note becomes a definition block ``<Superscript(n)> text`` after the last
   block of its page (a line under the note's text, not under its number,
   continues it);
5. :func:`pipeline.normalize.normalize`, the same passes as every text reader.

Positions: a span's line is the page number (1-based) and its column the
distance of the block's first row from the page's top, in points (1 when
unknown), since a PDF has no lines of its own.  Bold is not kept as a mark in
the body of languages whose lead phrases are italic (the UN sets only headings
and the title in bold); italics are kept (``Emphasis``).  Known limits: tables
(a table's cells are read row by row as text); several resolutions under one
symbol (75/101 A-B) are read as one; right-to-left reading follows the
Unicode algorithm as WeasyPrint applies it (see :mod:`pipeline.normalize.bidi`
for what is ambiguous).
"""

from __future__ import annotations

import io
import re

from ..ast import Span, Superscript, Text
from ..errors import Diagnostic, ReadError, StructureError
from ..normalize import layout
from ..normalize.blocks import RawBlock
from ..normalize.layout import Glyph, PageRows, Row
from ..normalize.lines import SegLine, masthead_lines, section_heading
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed
from .common import ordered_notes, reader_language, take_number

#: the most pages read; a longer file is refused before its pages are parsed
MAX_PAGES = 2000
#: the title line must be among this many first body rows
TITLE_WITHIN = 80

_ITALIC = re.compile(r"italic|oblique|-it$|,it$", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_NOTE_START = re.compile(r"^\s*(\d{1,3}|[*†‡§]{1,3})\s+(?=\S)")


def _page_span(path: str, page: int, row: int = 1) -> Span:
    return Span(path, page + 1, row)


# ---------------------------------------------------------------- opening

def _check_bytes(data: bytes, path: str) -> None:
    if not data.strip():
        raise ReadError("empty file: no resolution text", Span(path, 1, 1))
    head = data[:1024]
    if b"%PDF-" not in head:
        raise ReadError("not a PDF file (no %PDF- header)", Span(path, 1, 1))
    if b"%%EOF" not in data[-2048:]:
        raise ReadError("truncated PDF (no end-of-file marker): the file is incomplete",
                        Span(path, 1, 1))


def _open(data: bytes, path: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n = len(pdf.pages)
    except Exception as e:  # pdfplumber wraps pdfminer's errors
        cause = e.__cause__ or e.__context__ or e
        inner = getattr(e, "args", [None])[0]
        for c in (e, cause, inner):
            if isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) or \
                    "password" in type(c).__name__.lower() or "encrypt" in str(c).lower():
                raise ReadError("encrypted PDF: it cannot be read without its password",
                                Span(path, 1, 1)) from None
        raise ReadError(f"not a readable PDF ({type(cause).__name__}: {str(cause)[:120]})",
                        Span(path, 1, 1)) from None
    if n == 0:
        raise ReadError("PDF has no pages", Span(path, 1, 1))
    if n > MAX_PAGES:
        raise ReadError(f"PDF has {n} pages (limit {MAX_PAGES})", Span(path, 1, 1))
    return pdf


def _glyphs(page) -> tuple[list[Glyph], int]:
    """The page's upright characters as glyphs, and the number of others (rotated)."""
    out: list[Glyph] = []
    rotated = 0
    for c in page.chars:
        if not c.get("upright", True):
            rotated += 1
            continue
        font = str(c.get("fontname", "")).split("+", 1)[-1]
        out.append(Glyph(c["text"], float(c["x0"]), float(c["x1"]), float(c["top"]),
                         float(c["bottom"]), float(c.get("size", 0) or 0),
                         italic=bool(_ITALIC.search(font)), bold=bool(_BOLD.search(font)),
                         font=font, base=_baseline(c),
                         color=str(c.get("non_stroking_color") or "")))
    return out, rotated


def _baseline(c) -> float | None:
    """The character's baseline, from the page's top: its origin's height (the text
    matrix), measured as its box is (``top`` is the page's height less ``y1``)."""
    m = c.get("matrix")
    try:
        return float(c["top"]) + float(c["y1"]) - float(m[5])
    except (TypeError, ValueError, KeyError, IndexError):
        return None


def _rules(page) -> list[tuple[float, float, float, float]]:
    """The page's thin horizontal rules (see :func:`pipeline.normalize.layout.thin_rules`)."""
    boxes = [(float(r["x0"]), float(r["x1"]), float(r["top"]), float(r["bottom"]))
             for r in list(page.rects) + list(page.lines)]
    return layout.thin_rules(boxes)


def _head_rule(rules, height: float) -> float | None:
    """The top of the rule under the running head (thin, wide, near the top), or None."""
    tops = [r[2] for r in rules if r[2] < 0.16 * height]
    if not tops:
        return None
    top = min(tops)
    width = sum(r[1] - r[0] for r in rules if abs(r[2] - top) < 2.5)
    return top if width > 150 else None


def _note_rule(rules, width: float, height: float) -> float | None:
    """The top of a short rule drawn over the notes at the page's foot (the lowest rule in
    the page's lower part narrower than a third of the page), or None."""
    cands = [r[2] for r in rules if r[2] > 0.3 * height and 30 < r[1] - r[0] < width / 3]
    return max(cands) if cands else None


def read_pages(data: bytes, path: str, code_hint: str = "en"
               ) -> tuple[list[PageRows], list[Diagnostic]]:
    """The pages of a PDF, their rows sorted into body, notes and furniture."""
    from .. import lang

    _check_bytes(data, path)
    pdf = _open(data, path)
    diags: list[Diagnostic] = []
    pats = lang.get(code_hint).furniture
    pages: list[PageRows] = []
    empty: list[int] = []
    try:
        for i, page in enumerate(pdf.pages):
            try:
                glyphs, rotated = _glyphs(page)
                height = float(page.height)
                rules = _rules(page)
                head = _head_rule(rules, height) if i > 0 else None
                note = _note_rule(rules, float(page.width), height)
            except Exception as e:  # noqa: BLE001 - a damaged page is reported with its number
                raise ReadError(f"page {i + 1} cannot be read ({type(e).__name__}: "
                                f"{str(e)[:100]})", _page_span(path, i)) from None
            if rotated:
                diags.append(Diagnostic(f"{rotated} rotated characters on page {i + 1} left out",
                                        _page_span(path, i), code="pdf-rotated"))
            if not any(g.text.strip() for g in glyphs):
                empty.append(i)
            rows = layout.make_rows(glyphs, i)
            pages.append(layout.split_page(rows, i, height, pats, head_rule=head,
                                            note_rule=note))
    finally:
        pdf.close()
    if len(empty) == len(pages):
        raise ReadError("PDF has no text layer (a scanned document?): no characters on any of "
                        f"its {len(pages)} pages; run OCR first", _page_span(path, 0))
    for i in empty:
        diags.append(Diagnostic(f"page {i + 1} has no text layer (an image?); left out",
                                _page_span(path, i), code="pdf-no-text"))
    return pages, diags


# ---------------------------------------------------------------- blocks

def _language(pages: list[PageRows], path: str, lang: str | None):
    sample = "\n".join(r.text for p in pages[:3] for r in p.body)
    if not sample.strip():
        sample = "\n".join(r.text for p in pages for r in p.body)
    return reader_language(sample, path, lang)


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


def read_blocks(data: bytes, path: str = "<input>", *, lang: str | None = None
                ) -> tuple[list[RawBlock], list[Diagnostic], str]:
    """Raw blocks, warnings and the language code of a UN PDF."""
    pages, diags = read_pages(data, path, lang or "en")
    L = _language(pages, path, lang)
    code = L.code
    body = [r for p in pages for r in p.body if not r.blank]
    if not body:
        raise StructureError("no resolution found: the PDF has no body text",
                             _page_span(path, 0))
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
            inlines = upright_label(inlines, L)
        blocks.append(RawBlock(kind, inlines, _row_span(path, row), num=num, level=level))
        pages_of.append(row.page)

    for logical in masthead_lines(_masthead_groups(head, code), L, code):
        from ..normalize.lines import join_lines
        blocks.append(RawBlock("para", join_lines(logical, code),
                               Span(path, logical[0].no, 1)))
        pages_of.append(logical[-1].page)
    if title:                        # the title line, whatever its rows hold ("General Assembly")
        add("para", title_inlines(layout.join_rows(title, code, italics=False)), title[0])

    marks_bold = "bold" in L.lead_style       # lead phrases set in bold (Chinese, Arabic)
    closed = False                      # the closing's lines were met: an annex may follow
    def numbered(text: str) -> bool:        # the language's numbers and labels open a paragraph
        t = text.strip()
        return bool(L.operative_number(t) and re.match(r"\d", t) or L.item_label(t))

    for group in layout.paragraphs(body, margin, numbered):
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
            elif section_heading([_seg(r, path) for r in group]):
                add("heading", _section_inlines(group, code), group[0], level=2)
            else:
                add("para", plain, group[0], numbered=True)
            continue
        add("para", layout.join_rows(group, code, bold=marks_bold), group[0], numbered=True)

    # the notes, after the last block of the page they stand on
    notes = _notes(pages, code, path, diags)
    placed = []
    for page, marker, rows in notes:
        inl = (Superscript((Text(marker),)), Text(" ")) + rows
        after = max((k for k, p in enumerate(pages_of) if p <= page), default=-1)
        placed.append((after, RawBlock("para", inl, _page_span(path, page))))
    # inserted from the last, so that notes placed after the same block keep their order
    for after, block in reversed(sorted(placed, key=lambda x: x[0])):
        blocks.insert(after + 1, block)
    return ordered_notes(blocks), diags, code


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


def upright_label(inlines: tuple, L) -> tuple:
    """The inlines with an item label that opens them as plain text: the UN sets the
    letter of "(a)" in italics, which would otherwise read as a lead phrase."""
    from ..ast import plain_text

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
    from ..ast import LineBreak

    first = layout.join_rows(group[:1], code, italics=False)
    if len(group) == 1:
        return first
    return first + (LineBreak(),) + layout.join_rows(group[1:], code, italics=False)


def _notes(pages: list[PageRows], code: str, path: str, diags: list[Diagnostic]):
    """(page index, marker, inlines) of every note at the pages' feet, in order; a row
    that opens with no number continues the note before it, on this page or the last."""
    notes: list[list] = []                   # [page, marker, rows]
    for p in pages:
        for r in p.notes:
            if r.blank:
                continue
            marker = None
            first = r.ink[0]
            k0 = r.glyphs.index(first)
            if r.sup[k0]:
                digits = []
                for g, s in zip(r.glyphs[k0:], r.sup[k0:]):
                    if not g.text.strip():
                        continue
                    if not s:
                        break
                    digits.append(g.text)
                marker = "".join(digits).strip()
            else:
                m = _NOTE_START.match(r.text)
                hangs = _hangs_under(r, notes[-1][2][0]) if notes else None
                if m and (not notes or hangs is False or
                          hangs is None and _next(notes[-1][1], m.group(1))):
                    marker = m.group(1)
            if marker:
                notes.append([p.index, marker, [r]])
            elif notes:
                notes[-1][2].append(r)
            else:
                diags.append(Diagnostic("text under a page's note rule has no note number; "
                                        "dropped", _page_span(path, p.index), code="pdf-note"))
    out = []
    for page, marker, rows in notes:
        inl = layout.join_rows(rows, code)
        inl = _drop_marker(inl, marker)
        out.append((page, marker, inl))
    return out


def _hangs_under(row: Row, first: Row) -> bool | None:
    """Whether ``row`` starts where the text of a note's first row starts, right of its
    number (a continuation line "31 July 2014 ..." that only looks like note 31), or
    False when it starts left of that, where numbers stand (a new note); None when the
    first row shows no gap after its number to tell."""
    ink = first.spans()                 # measured from the reading edge (right in Arabic)
    gaps = [k for k in range(1, len(ink)) if ink[k][0] - ink[k - 1][1] > 0.2 * first.size]
    if not gaps or ink[gaps[0]][0] - ink[0][0] < 0.5 * first.size:
        return None
    text_x = ink[gaps[0]][0]
    if row.start >= text_x - 0.5:
        return True
    return False if row.start < text_x - 0.3 * first.size else None


def _next(prev: str, cand: str) -> bool:
    return prev.isdigit() and cand.isdigit() and int(cand) == int(prev) + 1


def _drop_marker(inlines, marker: str):
    """The note's inlines without the number that opens them."""
    from ..normalize.layout import merge

    items = list(inlines)
    while items and isinstance(items[0], Text) and not items[0].text.strip():
        items.pop(0)
    if items and isinstance(items[0], Superscript):
        items.pop(0)
    elif items and isinstance(items[0], Text):
        m = re.match(r"\s*" + re.escape(marker) + r"(?:\s+|$)", items[0].text)
        if m:
            items[0] = Text(items[0].text[m.end():])
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    return merge(items)


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read an official UN PDF into the canonical tree."""
    from ..normalize import normalize

    blocks, warnings, code = read_blocks(data, path, lang=options.lang)
    res, diags = normalize(blocks, front={}, path=path, lang=options.lang or code)
    return Parsed(res, tuple(warnings) + tuple(diags))
