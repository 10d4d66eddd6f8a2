"""PDF writer: the page as UN-STYLE.md measures it, in six languages.

The goldens of every case in ``tests/golden/<case>/``, ``expected.pdf.txt`` (the text layer,
pages separated by form feeds) and ``expected.pdf.png`` (every page side by side at 20 dpi,
compared with a tolerance), are checked by ``tests/test_golden.py`` with the other writers'.
Regenerate with ``pytest --update-goldens`` and look at the pages.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import lang
from pipeline import registry

import figures_table
from conftest import CORPUS, need
from golden_support import CASES, IDS, tree_of
from pipeline.ast import FootnoteRef, Inline, Meta, Resolution, Text, iter_footnotes, plain_text
from pipeline.options import WriteOptions
from pipeline.writers import html as html_writer
from pipeline.writers import pdf as pdf_writer

ROOT = Path(__file__).resolve().parents[1]

#: the faces each language may embed (subset prefixes aside); anything else is a fallback font
FONTS = {
    # embedded under their own PostScript names; Latin pages embed Liberation Serif twice
    # (the 103 % text face and the running heads' face at its own width: pdf.py)
    "en": {"LiberationSerif"},
    "fr": {"LiberationSerif"},
    "es": {"LiberationSerif"},
    "ru": {"LiberationSerif"},
    "zh": {"LiberationSerif", "NotoSerifCJKsc"},
    "ar": {"LiberationSerif", "NotoNaskhArabic"},
}
FONT_FILES = {
    "LiberationSerif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "NotoSerifCJKsc": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "NotoNaskhArabic": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
}


@pytest.fixture(scope="session")
def rendered(golden_outputs) -> dict[str, tuple[Resolution, Path, list]]:
    """Every golden case written once: name -> (tree, pdf path, warnings)."""
    return {case.name: (golden_outputs.tree(case), golden_outputs.file(case, "pdf"),
                        list(golden_outputs.written(case, "pdf").diagnostics))
            for case in CASES}


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def pages_text(pdf: Path) -> list[str]:
    return run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")[:-1]


def squash(s: str) -> str:
    """Text without whitespace or bidi controls (pdftotext wraps Arabic runs in them)."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", s)


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    xml = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [(float(a), float(b), float(c), float(d), squash(w)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        xml)]


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its Flate streams inflated (the catalog and info sit in object streams)."""
    import zlib

    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end():m.end() + 2_000_000]))
        except zlib.error:
            pass
    return b"\n".join(out)


def _number_of(meta: Meta) -> str:
    return meta.number or meta.symbol.split("/RES/")[-1]


def lang_of(res: Resolution) -> str:
    return res.meta.language


# ---------------------------------------------------------------- page and fonts

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_letter_pages_tagged_with_language(case: Path, rendered) -> None:
    res, pdf, warnings = rendered[case.name]
    info = run("pdfinfo", str(pdf))
    assert "612 x 792 pts (letter)" in info
    assert re.search(r"Tagged:\s+yes", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2
    data = pdf_objects(pdf.read_bytes())
    assert re.search(rb"/Lang\s*\(" + lang_of(res).encode(), data), "document language not set"
    assert warnings == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fonts_embedded_and_no_glyph_missing(case: Path, rendered) -> None:
    """Only the language's faces are embedded (a missing glyph would pull in a fallback font),
    and every character of the text is in those faces."""
    from fontTools.ttLib import TTCollection, TTFont

    res, pdf, _ = rendered[case.name]
    code = lang_of(res)
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    names = set()
    for row in rows:
        cols = row.split()
        assert "yes" == cols[-5], f"font not embedded: {row}"
        names.add(re.sub(r"^[A-Z]{6}\+", "", cols[0]))
    families = {re.sub(r"-(Bold|Italic|BoldItalic|Regular)$", "", n) for n in names}
    assert families <= FONTS[code], f"{code}: unexpected fonts {families - FONTS[code]}"
    covered: set[int] = set()
    for fam in FONTS[code]:
        f = FONT_FILES.get(fam) or FONT_FILES["LiberationSerif"]
        if f.endswith(".ttc"):
            fonts = [t for t in TTCollection(f).fonts
                     if "SC" in t["name"].getDebugName(1)]
        else:
            fonts = [TTFont(f)]
        for t in fonts:
            covered |= set(t.getBestCmap())
    text = "".join(pages_text(pdf))
    missing = {c for c in text if not c.isspace() and ord(c) not in covered}
    assert not missing, f"{code}: characters with no glyph in the language's fonts: {missing}"


def test_chinese_uses_the_simplified_face(rendered) -> None:
    zh = next(v for k, v in rendered.items() if k.startswith("zh"))
    out = run("pdffonts", str(zh[1]))
    assert "NotoSerifCJKsc" in out
    assert not re.search(r"CJK-(JP|TC|KR|HK)", out)


# ---------------------------------------------------------------- content on the page

def _masthead_lines(res: Resolution) -> list[str]:
    m = res.meta
    L = lang.get(m.language)
    lines = [m.symbol, L.un_name, L.organ_name(m.organ or "GA"),
             m.session_text, m.agenda_text, m.adoption_text, m.proponent.text,
             plain_text(m.title)]
    return [squash(x) for x in lines if x]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_masthead_lines_in_order_on_page_one(case: Path, rendered) -> None:
    res, pdf, _ = rendered[case.name]
    page1 = squash(pages_text(pdf)[0])
    pos = 0
    for line in _masthead_lines(res):
        # Arabic runs come out of pdftotext in visual pieces: look for the longest word
        needle = line if lang_of(res) != "ar" else max(re.findall(r"[\u0621-\u064a]+|[!-~]+",
                                                                 line), key=len)
        i = page1.find(needle, pos if lang_of(res) != "ar" else 0)
        assert i >= 0, f"{line!r} not on page 1 (after position {pos})"
        pos = i


def _context_before(inlines: tuple[Inline, ...], target: FootnoteRef) -> str | None:
    """The text just before ``target`` inside ``inlines`` (searched recursively)."""
    acc = ""
    for n in inlines:
        if n is target:
            return acc
        if isinstance(n, Text):
            acc += n.text
        elif hasattr(n, "children"):
            inner = _context_before(n.children, target)
            if inner is not None:
                return acc + inner
            acc += plain_text(n.children)
    return None


def _calls(node) -> list[tuple[FootnoteRef, str]]:
    """(note, text before its call) for every note, by walking inline sequences."""
    out = []

    def walk(x):
        if isinstance(x, tuple):
            if x and all(hasattr(i, "__dataclass_fields__") for i in x):
                for n in x:
                    if isinstance(n, FootnoteRef):
                        out.append((n, _context_before(x, n) or ""))
            for i in x:
                walk(i)
        elif dataclasses.is_dataclass(x) and not isinstance(x, Text):
            for f in dataclasses.fields(x):
                if f.name != "span":
                    walk(getattr(x, f.name))
    walk(node)
    return out


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_footnote_on_the_page_of_its_call(case: Path, rendered) -> None:
    res, pdf, _ = rendered[case.name]
    assert_notes_on_the_pages_of_their_calls(res, pdf)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["fra/A_RES_77_20-2226542F.xml", "spa/A_RES_76_228-2119659S.xml"])
def test_a_note_called_on_a_page_s_last_lines_is_not_lost(name: str, tmp_path: Path) -> None:
    """WeasyPrint 70 drops such a note when widow and orphan control moves its call to
    the next page; the writer lays the page out again without that control."""
    src = need(CORPUS / "seedlike" / name)
    res = registry.reader_for(src.name)(src.read_bytes(), str(src)).resolution
    written = pdf_writer.write(res)
    warnings = written.diagnostics
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(written.data)
    # no second layout is needed any more: a note's call line goes to the next page with
    # its note (footnote-policy: line, and weasy.py keeps a page's notes on it)
    assert [w.code for w in warnings] in ([], ["pdf-widows"])
    # every note is printed; where a page's calls outrun its foot (76/228 has 21 notes on
    # page 2), the last ones go on to the next page, never before their call
    assert_notes_on_the_pages_of_their_calls(res, pdf, later_ok=True)


def assert_notes_on_the_pages_of_their_calls(res: Resolution, pdf: Path,
                                             later_ok: bool = False) -> None:
    rtl = lang_of(res) == "ar"
    pages = [squash(p) for p in pages_text(pdf)]
    calls = _calls(res.body)
    assert len(calls) == len(list(iter_footnotes(res.body))) > 0
    for note, before in calls:
        # the note's text (its raised number is a line of its own in pdftotext's output)
        note_text = squash(plain_text(note.blocks[0].inlines))[:30]
        ctx = squash(before)[-8:] + note.marker
        if rtl:  # pdftotext gives Arabic in visual pieces: match the longest word on each side
            note_text = max(re.findall(r"[\u0621-\u064a]+|[A-Za-z0-9/]+",
                                       plain_text(note.blocks[0].inlines)), key=len)
            ctx = max(re.findall(r"[\u0621-\u064a]+", before)[-2:], key=len)
        note_pages = [i for i, p in enumerate(pages) if note_text in p]
        call_pages = [i for i, p in enumerate(pages) if ctx in p]
        assert note_pages, f"note {note.marker} {note_text!r} not found"
        assert call_pages, f"call of note {note.marker} after {ctx!r} not found"
        # (a short note, "Ibid.", may be found on other pages too: one of them must do)
        if later_ok:
            assert max(note_pages) >= call_pages[0], (note.marker, note_pages, call_pages)
        else:
            assert set(note_pages) & set(call_pages), (note.marker, note_pages, call_pages)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_measured_positions(case: Path, rendered) -> None:
    """UN-STYLE.md: symbol at the top right (mirrored in Arabic), body column from 123.4 to
    488.4, the closing against the column's end, page numbers n/N from page 2."""
    res, pdf, _ = rendered[case.name]
    rtl = lang_of(res) == "ar"
    w1 = words(pdf, 1)
    sym = [w for w in w1 if "/RES/" in w[4] and w[1] < 60]
    assert sym, "symbol not at the top of page 1"
    if rtl:
        assert abs(sym[0][0] - 60 - 15.0) < 16  # "A" (20 pt) then "/RES/..." at the left margin
    else:
        assert abs(sym[0][2] - 552) < 1.0, sym
    # body text (10 pt and up; the 9 pt notes and their numbers hang outside the column)
    body = [w for w in w1 if w[1] > 380 and w[3] < 690 and w[3] - w[1] > 10.5]
    number = _number_of(res.meta)
    title = [w for w in w1 if w[4].strip(".") == number]
    assert title, "title number not on page 1"
    if rtl:
        assert title[0][0] >= 488.4, title  # hanging outside the column, on the right
    else:  # the number hangs, right-aligned at x 110.9; the title runs from the column edge
        assert abs(title[0][2] - 110.85) < 0.5, title
        mid = (title[0][1] + title[0][3]) / 2
        after = min((w for w in w1 if abs((w[1] + w[3]) / 2 - mid) < 3 and w[0] > title[0][2]),
                    key=lambda w: w[0])
        assert abs(after[0] - 123.4) < 0.5, after
    xs = [w[0] for w in body]
    right = [w[2] for w in body]
    assert min(xs) >= 123.4 - 0.6 and max(right) <= 488.4 + 0.6, (min(xs), max(right))
    if rtl:
        assert max(right) > 488.4 - 2  # lines start at the column's right edge
    else:
        assert min(abs(x - 123.4) for x in xs) < 0.6  # runover lines at the column's edge
    n = len(pages_text(pdf))
    closing = res.body.closing
    # the closing ends the resolution: on the last page, or before its annexes
    last = next(ws for ws in (words(pdf, k) for k in range(n, 0, -1))
                if any(w[4] in closing.meeting.split() for w in ws if w[4])) \
        if res.body.annexes else words(pdf, n)
    meeting_words = [w for w in last if w[4] and w[4] in closing.meeting.split()]
    assert meeting_words, "closing meeting line not on the last page"
    if rtl:
        assert abs(min(w[0] for w in meeting_words) - 123.4) < 1.0
    else:
        assert abs(max(w[2] for w in meeting_words) - 488.4) < 1.0
    for page in range(2, n + 1):
        ws = words(pdf, page)
        assert any(w[4] == f"{page}/{n}" and w[1] > 740 for w in ws), f"no {page}/{n} folio"
        assert any(res.meta.symbol in w[4] and w[3] < 66 for w in ws), "no running head"


def test_zh_closing_order(rendered) -> None:
    res, pdf, _ = next(v for k, v in rendered.items() if k.startswith("zh"))
    last = squash(pages_text(pdf)[-1])
    assert last.find(squash(res.body.closing.date_text)) < last.find(
        squash(res.body.closing.meeting))


# ---------------------------------------------------------------- determinism and safety

def test_same_bytes_twice_and_source_date(tmp_path: Path) -> None:
    res = tree_of(CASES[0])
    a = pdf_writer.write(res).data
    assert a == pdf_writer.write(res).data
    (tmp_path / "a.pdf").write_bytes(a)
    assert re.search(r"CreationDate:\s+\S+ \S+ +\d+ 00:00:00 \d{4}",
                     run("pdfinfo", str(tmp_path / "a.pdf")))
    assert res.meta.adopted[:4] in run("pdfinfo", str(tmp_path / "a.pdf"))
    b = pdf_writer.write(res, WriteOptions(source_date=86400)).data
    (tmp_path / "b.pdf").write_bytes(b)
    assert re.search(r"CreationDate:\s+Fri Jan  2 00:00:00 1970", run("pdfinfo", str(tmp_path / "b.pdf")))
    assert b == pdf_writer.write(res, WriteOptions(source_date=86400)).data


def test_fetcher_serves_only_styles() -> None:
    warnings: list = []
    f = pdf_writer.make_fetcher(warnings)
    css = (ROOT / "styles" / "css" / "print.css").as_uri()
    assert b"@page" in f.fetch(css).read()
    for url in ("http://example.com/x.css", "https://undocs.org/A/RES/71/19",
                "file:///etc/passwd", (ROOT / "styles" / ".." / "pyproject.toml").as_uri(),
                "ftp://example.com/x"):
        with pytest.raises(ValueError):
            f.fetch(url)
    assert len(warnings) == 5 and all(w.code == "pdf-fetch" for w in warnings)
    assert any("/etc/passwd" in w.message for w in warnings)


def test_page_referencing_outside_resources_fetches_nothing() -> None:
    """A page that names remote and local files (as a hostile source might) gets warnings,
    not requests or reads."""
    from weasyprint import HTML

    warnings: list = []
    fetcher = pdf_writer.make_fetcher(warnings)
    page = ('<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            '<style>@import url("file:///etc/passwd");</style></head><body>'
            '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/e.png"></body></html>')
    HTML(string=page, url_fetcher=fetcher, base_url="file:///").write_pdf()
    assert {w.message.split("'")[1] for w in warnings} >= {
        "http://127.0.0.1:9/x.css", "file:///etc/passwd", "http://127.0.0.1:9/e.png"}


def test_job_number_footer() -> None:
    res = tree_of(next(c for c in CASES if c.name.startswith("zh")))
    res = dataclasses.replace(res, meta=dataclasses.replace(res.meta, job_number="16-20567 (C)"))
    root = html_writer.document(res, medium="print")
    pdf_writer._first_page_foot(root, "16-20567 (C)", res.meta.symbol)
    assert root.xpath("//div[@class='jobblock']/svg[@class='barcode']")
    assert root.xpath("//div[@class='qrblock']/svg[@class='qr']")
    data = pdf_writer.write(res).data
    p = Path(__import__("tempfile").mkdtemp()) / "job.pdf"
    p.write_bytes(data)
    first = pages_text(p)[0]
    assert "16-20567 (C)" in first
    second = words(p, 2)
    assert any(w[4] == "16-20567" for w in second)  # the running foot, without the letter


def test_weasyprint_is_not_imported_until_a_pdf_is_written() -> None:
    code = ("import sys, pipeline.writers.pdf, pipeline.writers.html, pipeline.cli; "
            "assert 'weasyprint' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pdf_ua_1_claimed(case: Path, rendered) -> None:
    """PDF/UA-1 as WeasyPrint makes it: tagged (above) and claimed in the XMP metadata
    (checked with the PyPI validator ``pdfua`` by hand: no findings but a table's header
    cells, whose /Headers WeasyPrint writes)."""
    _, pdf, _ = rendered[case.name]
    meta = run("pdfinfo", "-meta", str(pdf))
    assert re.search(r"pdfuaid:part[^0-9]{0,3}1", meta), meta[:500]


def _end_rule_gap(data: bytes) -> float:
    """How far under the last baseline of the last page the end rule is drawn (pt)."""
    import pypdfium2 as pdfium

    from pipeline.readers.pdf import sorted_pages
    from pipeline.readers.pdf.pages import _rules

    doc = pdfium.PdfDocument(data)
    page = doc[len(doc) - 1]
    rules = [r for r in _rules(page, page.get_height()) if 60 < r[1] - r[0] < 80
             and 260 < r[0] < 280]
    last = sorted_pages(data, "x.pdf")[-1]
    baseline = max(r.line for r in last.body if r.glyphs and r.line < rules[0][2])
    return rules[0][2] - baseline


def test_a_last_page_of_two_lines_and_the_closing_is_fitted_onto_the_page_before(
        monkeypatch) -> None:
    """As the UN's editors do (11.5 pt lines on the last two pages, the end rule closer):
    only where the last page holds no more than FIT_LINES lines, only where that saves the
    page; elsewhere the end rule is 32 pt under the last baseline, as in the official PDFs."""
    import pypdfium2 as pdfium

    from pipeline.readers import markdown
    from pipeline.readers.pdf import sorted_pages

    src = (ROOT / "inputs" / "A_RES_80_901.en.md").read_text("utf-8")
    recital = "*Recalling also* its resolutions on road safety and the reports of the " \
              "Secretary-General on the subject,\n\n"

    def write(text: str, fit: bool) -> bytes:
        if not fit:
            monkeypatch.setattr(pdf_writer, "FIT_LINES", -1)
        try:
            res = markdown.read(text.encode("utf-8"), "x.en.md").resolution
            return pdf_writer.write(res).data
        finally:
            monkeypatch.undo()

    saved = 0
    for k in range(5, 10):  # the text grows by a recital (two lines) at a time
        text = src.replace("*Noting with appreciation*", recital * k + "*Noting with appreciation*")
        plain, fitted = write(text, False), write(text, True)
        n_plain, n_fitted = len(pdfium.PdfDocument(plain)), len(pdfium.PdfDocument(fitted))
        assert n_fitted in (n_plain, n_plain - 1)
        if n_fitted < n_plain:
            saved += 1
            last = [r for r in sorted_pages(plain, "x.pdf")[-1].body if r.glyphs]
            assert len(last) <= pdf_writer.FIT_LINES
            assert 14 < _end_rule_gap(fitted) < 19
        else:
            assert fitted == plain
            assert 31 < _end_rule_gap(fitted) < 33
    assert saved


# ---------------------------------------------------------------- tables of figures

def _figure_rows(tmp_path: Path, language: str = "en"):
    """The words of the made-up table of figures (``tests/figures_table.py``) on its page,
    grouped into lines by their baseline: [(y, [(x0, x1, word), ...]), ...]."""
    pdf = tmp_path / "figures.pdf"
    pdf.write_bytes(pdf_writer.write(figures_table.resolution(language)).data)
    page = words(pdf, 1)                  # a one-page resolution
    assert any(w[4] == "Gross" for w in page), "the table is not on the page"
    lines: dict[float, list] = {}
    for x0, y0, x1, y1, word in page:
        lines.setdefault(round(y1, 0), []).append((x0, x1, word))
    return sorted((y, sorted(ws)) for y, ws in lines.items())


def test_table_of_figures_in_the_pdf_figures_right_aligned_and_whole(tmp_path: Path) -> None:
    """Every amount on one line (never "98 064 / 000"), the amounts of a column ending at
    one x, the label column at the body column's edge and a total's label 14.4 pt in."""
    lines = _figure_rows(tmp_path)
    ends: dict[int, set[float]] = {}
    label_x: dict[str, float] = {}
    for _y, ws in lines:
        figures = [w for w in ws if re.fullmatch(r"\(?[\d]{1,3}\)?|–", w[2])]
        if len(figures) < 2:
            if ws:
                label_x[ws[0][2]] = ws[0][0]
            continue
        # an amount's groups sit on one line: group them by the gaps between them
        groups: list[list] = [[figures[0]]]
        for w in figures[1:]:
            (groups[-1].append(w) if w[0] - groups[-1][-1][1] < 4 else groups.append([w]))
        assert len(groups) == 2, ws
        for i, g in enumerate(groups):
            ends.setdefault(i, set()).add(round(g[-1][1], 0))
        label_x[ws[0][2]] = ws[0][0]
    assert all(len(xs) == 1 for xs in ends.values()), ends
    assert ends[1] != ends[0]
    assert abs(label_x["Estimated"] - 123.4) < 1
    assert abs(label_x["Amount"] - label_x["Estimated"] - 14.4) < 1
    assert abs(label_x["Assessments"] - label_x["Estimated"]) < 1


# ---------------------------------------------------------------- Chinese and Arabic lines

#: the body column (UN-STYLE.md): 123.35 pt from either side of the Letter page
COLUMN = (123.35, 612 - 123.35)


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch[:1] or "a") in ("W", "F")


def _glyph_end(g) -> float:
    """Where a glyph's advance ends: a CJK glyph's is its em (the reader's boxes of some
    are wider than their advance)."""
    return g.x0 + g.size if _wide(g.text) else g.x1


def body_paragraphs(pdf: Path) -> list[list]:
    """The body rows of the text's size below the masthead, in paragraphs: a row further
    below the one before than the line pitch opens one (a page break closes one)."""
    from collections import Counter

    from pipeline.readers.pdf import sorted_pages

    rows = [(p.index, r) for p in sorted_pages(pdf.read_bytes(), str(pdf)) for r in p.body
            if not r.blank and not (p.index == 0 and r.line < 300)]
    size = Counter(round(r.size, 1) for _, r in rows).most_common(1)[0][0]
    rows = [(p, r) for p, r in rows if abs(r.size - size) < 0.6]
    steps = Counter(round(b.line - a.line, 1) for (pa, a), (pb, b) in zip(rows, rows[1:])
                    if pa == pb)
    pitch = min(d for d, n in steps.items() if d > 5 and n >= 2)
    paragraphs: list[list] = []
    last = None
    for p, r in rows:
        if last is None or p != last[0] or r.line - last[1].line > pitch + 2:
            paragraphs.append([])
        paragraphs[-1].append(r)
        last = (p, r)
    return paragraphs


@pytest.mark.parametrize("prefix", ["zh", "ar"])
def test_cjk_and_arabic_full_lines_justified(prefix: str, rendered) -> None:
    """Every line of a paragraph but its last ends within 0.5 pt of the column's end (the
    right edge in Chinese, widened between its characters; the left edge in Arabic,
    widened at its spaces); a Chinese paragraph's last line keeps its characters an em
    apart."""
    res, pdf, _ = next(v for k, v in rendered.items() if k.startswith(prefix))
    rtl = prefix == "ar"
    full = 0
    for para in body_paragraphs(pdf):
        for i, row in enumerate(para):
            ink = [g for g, s in zip(row.glyphs, row.sup) if g.text.strip()]
            if i < len(para) - 1:
                short = min(g.x0 for g in ink) - COLUMN[0] if rtl \
                    else COLUMN[1] - max(_glyph_end(g) for g in ink)
                assert abs(short) <= 0.5, (row.text, short)
                full += 1
            elif not rtl:
                line = sorted((g for g in row.glyphs if g.text.strip()), key=lambda g: g.x0)
                steps = [b.x0 - a.x0 for a, b in zip(line, line[1:])
                         if _wide(a.text) and _wide(b.text)]
                assert all(abs(s - row.size) < 0.02 for s in steps), (row.text, steps)
    assert full >= 15


def test_arabic_first_lines_indented_at_the_right(rendered) -> None:
    """On an Arabic page the first line of the formula and of each recital starts the
    first-line indent (23.75 pt) in from the column's right edge, every other line at
    that edge (UN-STYLE.md, mirrored); measured on pdftotext's word boxes (the reader's
    boxes of Arabic glyphs are a few points off their advances)."""
    from collections import Counter

    res, pdf, _ = next(v for k, v in rendered.items() if k.startswith("ar"))
    # the text at 11.5 pt (its word boxes 19.6 pt high; the notes' 15.3)
    body = sorted((w for w in words(pdf, 1) if w[1] > 360 and w[3] < 700 and w[3] - w[1] > 17),
                  key=lambda w: w[1])
    lines: list[list] = []
    for w in body:
        if not lines or w[1] - lines[-1][0][1] > 8:
            lines.append([])
        lines[-1].append(w)
    tops = [line[0][1] for line in lines]
    steps = Counter(round(b - a, 1) for a, b in zip(tops, tops[1:]))
    pitch = min(d for d, n in steps.items() if n >= 2)
    firsts = 0
    for k, line in enumerate(lines):
        start = max(w[2] for w in line)
        if k == 0 or tops[k] - tops[k - 1] > pitch + 2:
            assert abs(start - (COLUMN[1] - 23.75)) < 0.5, (k, start)
            firsts += 1
        else:
            assert abs(start - COLUMN[1]) < 0.5, (k, start)
    assert firsts >= 5


def test_no_space_after_a_chinese_note_call(rendered) -> None:
    """A note's call in Chinese text is followed by the next character, without a space."""
    res, pdf, _ = next(v for k, v in rendered.items() if k.startswith("zh"))
    calls = 0
    for para in body_paragraphs(pdf):
        for row in para:
            glyphs = sorted(zip(row.glyphs, row.sup), key=lambda gs: gs[0].x0)
            for (g, s), (nxt, s_next) in zip(glyphs, glyphs[1:]):
                if s and not s_next and g.text.isdigit():
                    calls += 1
                    assert nxt.text.strip() and nxt.x0 - g.x1 < 1.0, (row.text, nxt)
    assert calls >= 2


def test_chinese_organ_set_apart_as_in_the_docx(rendered) -> None:
    """The masthead's "大会" stands an em apart in the PDF (zh.css) and in the DOCX
    (styles/docx/languages.toml), as the UN prints it ("大  会")."""
    import io
    import zipfile

    from golden_support import case_named
    from pipeline.readers.pdf import sorted_pages
    from pipeline.writers import docx as docx_writer

    res, pdf, _ = next(v for k, v in rendered.items() if k.startswith("zh"))
    page = sorted_pages(pdf.read_bytes(), str(pdf))[0]
    glyphs = [g for r in page.body for g in r.glyphs if g.text in "大会" and g.size > 15]
    assert [g.text for g in glyphs] == ["大", "会"]
    assert abs(glyphs[1].x0 - glyphs[0].x0 - 2 * 20) < 0.5
    data = docx_writer.write(tree_of(case_named("zh"))).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        header = next(z.read(n).decode() for n in z.namelist()
                      if n.startswith("word/header") and "大会" in z.read(n).decode())
    assert re.search(r'<w:spacing w:val="400"/>(?:(?!</w:r>).)*<w:t>大会</w:t>', header)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_end_rule_is_centred_on_the_last_page(case: Path, rendered) -> None:
    """72 pt, centred on the page (x 270 to 342), in every language (an Arabic page drew
    it past the right edge, where nobody saw it)."""
    import pypdfium2 as pdfium

    from pipeline.readers.pdf.pages import _rules

    _res, pdf, _ = rendered[case.name]
    doc = pdfium.PdfDocument(pdf.read_bytes())
    page = doc[len(doc) - 1]
    short = [r for r in _rules(page, page.get_height()) if 60 < r[1] - r[0] < 80
             and r[2] > 90]  # not the notes' rule: under the running head, over the foot
    ends = {(round(r[0]), round(r[1])) for r in short}
    assert (270, 342) in ends, ends
