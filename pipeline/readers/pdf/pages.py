"""A PDF's pages, read from its glyphs: the one module that knows pdfplumber.

Guarantees of :func:`read_pages`:

- the bytes are checked before any parsing: a PDF header, an end-of-file
  marker (a truncated download has none), a page count under
  :data:`MAX_PAGES`; the file is opened with pdfplumber (pdfminer); an
  encrypted file that does not open without a password, a file pdfplumber
  cannot open and a damaged page are each a :class:`~pipeline.errors.ReadError`;
- each page's upright characters become :class:`~.layout.Glyph`\\ s (font
  name -> italic/bold, size, box, baseline, colour) in rows
  (:func:`.layout.make_rows`); rotated characters are left out, counted in a
  warning per page;
- a page with no text at all (a scanned page) is left out with a warning;
  when no page has text, the file is refused;
- the page's thin rules (a thin box, or a border WeasyPrint draws as two
  boxes) give the rule under the running head (pages after the first) and
  a drawn rule over the notes.

Nothing here depends on the document's language: the reader decides it from
the pages' text (:attr:`DrawnPage.text`) before it sorts the rows into body,
notes and furniture with that language's patterns (:func:`.layout.split_page`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ...ast import Span
from ...errors import Diagnostic, ReadError
from . import layout
from .layout import Glyph, Row

#: the most pages read; a longer file is refused before its pages are parsed
MAX_PAGES = 2000

_ITALIC = re.compile(r"italic|oblique|-it$|,it$", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclass(frozen=True, slots=True)
class DrawnPage:
    """A page as drawn: its rows of glyphs, top to bottom, its height and the tops of
    the rule under its running head and of a rule drawn over its notes (points from
    the page's top, None when there is none)."""

    index: int
    rows: tuple[Row, ...]
    height: float
    head_rule: float | None = None
    note_rule: float | None = None

    @property
    def text(self) -> str:
        """The text of the page's rows, one line each (furniture and notes included)."""
        return "\n".join(r.text for r in self.rows if not r.blank)

    def sorted(self, furniture: dict[str, re.Pattern]) -> layout.PageRows:
        """The rows sorted into body, notes and furniture with a language's furniture
        patterns (:func:`.layout.split_page`)."""
        return layout.split_page(list(self.rows), self.index, self.height, furniture,
                                 head_rule=self.head_rule, note_rule=self.note_rule)


def page_span(path: str, page: int, row: int = 1) -> Span:
    """A position in a PDF: the page (0-based ``page`` -> line ``page + 1``) and a row."""
    return Span(path, page + 1, row)


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
    """The page's thin horizontal rules (see :func:`.layout.thin_rules`)."""
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


def read_pages(data: bytes, path: str) -> tuple[list[DrawnPage], list[Diagnostic]]:
    """The pages of a PDF as drawn, and the warnings met (see module docstring)."""
    _check_bytes(data, path)
    pdf = _open(data, path)
    diags: list[Diagnostic] = []
    pages: list[DrawnPage] = []
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
                                f"{str(e)[:100]})", page_span(path, i)) from None
            if rotated:
                diags.append(Diagnostic(f"{rotated} rotated characters on page {i + 1} left out",
                                        page_span(path, i), code="pdf-rotated"))
            if not any(g.text.strip() for g in glyphs):
                empty.append(i)
            pages.append(DrawnPage(i, tuple(layout.make_rows(glyphs, i)), height,
                                   head_rule=head, note_rule=note))
    finally:
        pdf.close()
    if len(empty) == len(pages):
        raise ReadError("PDF has no text layer (a scanned document?): no characters on any of "
                        f"its {len(pages)} pages; run OCR first", page_span(path, 0))
    for i in empty:
        diags.append(Diagnostic(f"page {i + 1} has no text layer (an image?); left out",
                                page_span(path, i), code="pdf-no-text"))
    return pages, diags
