"""Page furniture pass for text extracted from UN PDFs.

A third-party extractor gives each page's text one after the other: a page
break is an empty line (or a form feed), the page opens with its running head
(symbol, short title, job number, "2/9"), and a page that carries notes ends
with a rule of underscores and the note texts.  The first page also carries
the job number with its issue stamp ("24-23454 (E)    091124"), the barcode
("*2423454*") and, on recent documents, the QR and "Please recycle" residue.

Guarantees of :func:`split_pages` (a pure function of the lines):
- every source line is in exactly one place of the result: a page's ``body``,
  its ``notes`` (the lines after the note rule), or its ``furniture``; the
  line numbers of the source are kept (1-based);
- ``furniture`` holds only lines matching the ``[furniture]`` tables of ``pipeline/lang`` patterns, the
  running-head lines between a page break and the page number, and the
  whitespace around them; no line that could be resolution text is dropped
  unless it sits in a running head that has a page number and a job number;
- the body of a page keeps its blank lines (they separate paragraphs), except
  the blank lines that only pad the page's top and bottom.

The patterns are language data: the ``[furniture]`` tables of ``pipeline/lang`` holds them per language
(``"*"`` for every language) until they move to ``pipeline/lang/*.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: at most this many lines between a page break and the page number of the head
HEAD_MAX = 9


def patterns(code: str = "en") -> dict[str, re.Pattern]:
    """The furniture patterns of a language (``pipeline/lang``: common.toml's plus its own)."""
    from .. import lang

    return lang.get(code).furniture


@dataclass(frozen=True, slots=True)
class Line:
    """A source line: its text as extracted (an empty text is a page break) and its
    1-based number."""

    text: str
    no: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Page:
    """One page of extracted text: body lines, note lines, furniture lines."""

    number: int
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)


def to_lines(text: str) -> list[Line]:
    """The text as :class:`Line`s; a form feed becomes a page break (an empty line)."""
    out: list[Line] = []
    for i, raw in enumerate(text.split("\n"), 1):
        parts = raw.split("\f")
        for k, part in enumerate(parts):
            if k:
                out.append(Line("", i))
            out.append(Line(part, i))
    return out


def is_furniture(text: str, pats: dict[str, re.Pattern]) -> bool:
    """Whether a single line is furniture wherever it stands (job number, barcode, residue)."""
    t = text.strip()
    return any(pats[k].fullmatch(t) for k in ("job_number", "barcode", "residue") if k in pats)


def _head_end(lines: list[Line], start: int, pats: dict[str, re.Pattern]) -> int | None:
    """Index after the running head that opens at ``start``, or None when there is none.

    A running head is a run of at most :data:`HEAD_MAX` lines holding a page
    number and a job number (the symbol and the short title in between)."""
    page = job = symbol = False
    k = start
    while k < len(lines) and k < start + HEAD_MAX:
        t = lines[k].text.strip()
        if not t:
            k += 1
            continue
        if pats["page_number"].fullmatch(t):
            page = True
        elif pats["job_number"].fullmatch(t):
            job = True
        elif pats["symbol"].fullmatch(t):
            symbol = True
        elif page and job:
            break
        k += 1
        if page and job and symbol:
            break
    if not (page and (job or symbol)):
        return None
    while k < len(lines) and (lines[k].blank or pats["job_number"].fullmatch(lines[k].text.strip())):
        k += 1
    return k


def split_pages(lines: list[Line], code: str = "en") -> list[Page]:
    """The lines cut into pages, furniture and notes set apart (see module docstring)."""
    pats = patterns(code)
    pages: list[Page] = [Page(1)]
    in_notes = False
    k = 0
    while k < len(lines):
        line = lines[k]
        cur = pages[-1]
        if line.text == "" and k > 0:
            end = _head_end(lines, k + 1, pats)
            if end is not None:
                page = Page(cur.number + 1, furniture=lines[k:end])
                pages.append(page)
                in_notes = False
                k = end
                continue
        t = line.text.strip()
        if t and is_furniture(t, pats):
            cur.furniture.append(line)
        elif t and pats["note_rule"].fullmatch(t):
            cur.furniture.append(line)
            in_notes = True
        elif in_notes:
            cur.notes.append(line)
        else:
            cur.body.append(line)
        k += 1
    for p in pages:
        _trim(p)
    return pages


def _trim(page: Page) -> None:
    """Blank lines padding the top and bottom of the body move to the furniture."""
    while page.body and page.body[0].blank:
        page.furniture.append(page.body.pop(0))
    while page.body and page.body[-1].blank:
        page.furniture.append(page.body.pop())
