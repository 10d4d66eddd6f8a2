"""What the PDF writer does around WeasyPrint to be cheap per document (pipeline/writers/weasy.py):
the tree handed over is the one WeasyPrint's parser would make, nothing carries over from one
document to the next, compact Chinese subsets show the same glyphs as the full face, and the
garbage collector is left as it was found."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from golden_support import CASES, GOLDEN, IDS, tree_of
from pipeline.options import WriteOptions
from pipeline.writers import html as html_writer
from pipeline.writers import pdf as pdf_writer
from pipeline.writers import weasy

ROOT = Path(__file__).resolve().parents[1]
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def case(prefix: str) -> Path:
    return next(c for c in CASES if c.name.startswith(prefix))


def print_page(res, job: str = ""):
    """The print page as pdf.write builds it, laid out by serialize; and its bytes."""
    if job:
        res = dataclasses.replace(res, meta=dataclasses.replace(res.meta, job_number=job))
    root = html_writer.document(res, medium="print")
    if job:
        pdf_writer._first_page_foot(root, job, res.meta.symbol)
    pdf_writer._set_dates(root, WriteOptions().build_time(res.meta.adopted or res.meta.issued))
    return root, html_writer.serialize(root)


def canon(e) -> tuple:
    return (e.tag, sorted(e.attrib.items()), e.text or "", e.tail or "",
            [canon(c) for c in e])


# ---------------------------------------------------------------- the tree handed over

@pytest.mark.parametrize("job", ["", "16-20461 (E)"], ids=["plain", "job-number"])
@pytest.mark.parametrize("case_dir", CASES, ids=IDS)
def test_tree_is_the_one_weasyprints_parser_makes(case_dir: Path, job: str) -> None:
    import tinyhtml5

    root, page = print_page(tree_of(case_dir), job)
    parsed = tinyhtml5.parse(page.decode("utf-8"), namespace_html_elements=False)
    assert canon(weasy.parsed_tree(root)) == canon(parsed)
    if job:  # the barcode and QR code are SVG elements, as the parser makes them
        assert weasy.parsed_tree(root).find(".//{http://www.w3.org/2000/svg}svg") is not None


def test_tree_handover_reads_text_as_the_parser_does() -> None:
    """Carriage returns, entities' characters, emoji, separators: as the parser reads them."""
    import tinyhtml5

    root, _ = print_page(tree_of(case("en")))
    odd = "a\rb\r\nc\td\u00a0e\ufeff f&<>\"' \U0001F600 \u2028 \x7f \x85 end"
    p = root.find(".//p")
    p.text = odd + (p.text or "")
    p.set("title", odd)
    span = root.find(".//p/span")
    span.tail = odd + (span.tail or "")
    root.find(".//main").set("data-x", "\r\n")
    page = html_writer.serialize(root)
    parsed = tinyhtml5.parse(page.decode("utf-8"), namespace_html_elements=False)
    assert canon(weasy.parsed_tree(root)) == canon(parsed)


# ---------------------------------------------------------------- nothing carries over

@pytest.mark.slow
def test_same_bytes_first_or_after_others() -> None:
    """A document gives the same bytes rendered first in a fresh process, after others of
    other languages (other fonts, other stylesheets) in that process, and in the test process."""
    names = [case(p).name for p in ("zh", "ar", "en", "ru")]
    code = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from pipeline import registry\n"
        "from pipeline.writers import pdf\n"
        "def tree(name):\n"
        "    d = Path('tests/golden') / name\n"
        "    src = next(f for f in d.iterdir() if not f.name.startswith('expected'))\n"
        "    return registry.reader_for(src)(src.read_bytes(), src.name).resolution\n"
        f"names = {names!r}\n"
        "order = names + names[::-1] + names\n"
        "for n in order:\n"
        "    print(n, hashlib.sha256(pdf.write(tree(n)).data).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    seen: dict[str, set[str]] = {}
    for line in filter(None, out):
        name, digest = line.split()
        seen.setdefault(name, set()).add(digest)
    assert set(seen) == set(names)
    for name in names:  # the test process: other tests may have rendered other pages
        seen[name].add(hashlib.sha256(pdf_writer.write(tree_of(GOLDEN / name)).data).hexdigest())
        assert len(seen[name]) == 1, f"{name}: bytes depend on what was rendered before"


def test_collector_left_as_found() -> None:
    res = tree_of(case("en"))
    assert gc.isenabled()
    pdf_writer.write(res).data
    assert gc.isenabled()
    gc.disable()
    try:
        pdf_writer.write(res).data
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_page_leaves_nothing_behind() -> None:
    """Once write returns, no box, style or PDF object of the page is left for a later
    collection: the page's cycles were collected after it was dropped."""
    from weasyprint.css import ComputedStyle
    from weasyprint.formatting_structure.boxes import Box

    res = tree_of(case("zh"))
    pdf_writer.write(res)  # fonts and stylesheets loaded before counting

    def held() -> int:
        return sum(isinstance(o, (ComputedStyle, Box)) for o in gc.get_objects())

    before = held()
    pdf_writer.write(res)
    assert held() == before


# ---------------------------------------------------------------- compact CID-keyed subsets

def _font_streams(pdf: bytes) -> dict[bytes, list[bytes]]:
    """Subtype of each embedded font program -> its bytes (inflated)."""
    out: dict[bytes, list[bytes]] = {}
    for m in re.finditer(rb"<<[^<>]*/Subtype\s*/(CIDFontType0C|OpenType)[^<>]*>>\s*stream\r?\n",
                         pdf):
        out.setdefault(m.group(1), []).append(
            zlib.decompressobj().decompress(pdf[m.end():m.end() + 3_000_000]))
    return out


def test_chinese_faces_embedded_compact_as_bare_cff() -> None:
    pytest.importorskip("fontTools")
    data = pdf_writer.write(tree_of(case("zh"))).data
    streams = _font_streams(data)
    assert b"OpenType" not in streams, "a CJK face kept WeasyPrint's full-range subset"
    assert len(streams[b"CIDFontType0C"]) == 2  # regular and bold
    assert len(data) < 150_000  # was 335 kB with every glyph slot up to the last used


def test_compact_subset_glyphs_are_the_full_faces_glyphs() -> None:
    """Each glyph of the embedded subset, found by its CID, draws as the glyph with that id in
    the full Noto Serif CJK SC face (the page's text shows full-face glyph ids as CIDs)."""
    pytest.importorskip("fontTools")
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTCollection

    faces = {}
    for weight in ("Regular", "Bold"):
        path = NOTO_CJK.with_name(f"NotoSerifCJK-{weight}.ttc")
        if not path.exists():
            pytest.skip(f"{path} not installed")
        for f in TTCollection(str(path), lazy=True).fonts:
            cff = f["CFF "].cff
            faces[cff.fontNames[0]] = (cff[cff.fontNames[0]].CharStrings, f.getGlyphOrder())
    data = pdf_writer.write(tree_of(case("zh"))).data
    checked = 0
    for program in _font_streams(data)[b"CIDFontType0C"]:
        fs = CFFFontSet()
        fs.decompile(io.BytesIO(program), None)
        top = fs[fs.fontNames[0]]
        assert hasattr(top, "ROS"), "the subset is not CID-keyed"
        full_glyphs, order = faces[fs.fontNames[0]]
        names = top.charset
        if len(names) > 100:  # the regular face: compare a spread of glyphs
            names = names[:: len(names) // 40]
        for name in names:
            if name == ".notdef":
                continue
            cid = int(name[3:])
            a, b = DecomposingRecordingPen(top.CharStrings), DecomposingRecordingPen(full_glyphs)
            top.CharStrings[name].draw(a)
            full_glyphs[order[cid]].draw(b)
            assert a.value == b.value, f"CID {cid} draws another glyph than the full face's"
            checked += 1
    assert checked > 40


def test_weasyprint_called_directly_keeps_its_own_subsets() -> None:
    """Outside the writer (no finisher to embed bare CFF), WeasyPrint subsets as it always
    does, even in a process where the writer has run."""
    from weasyprint import HTML

    pdf_writer.write(tree_of(case("zh"))).data
    data = HTML(string='<p style="font-family: \'Noto Serif CJK SC\'">大会</p>').write_pdf()
    streams = _font_streams(data)
    assert b"CIDFontType0C" not in streams and len(streams[b"OpenType"]) == 1
    assert weasy.cids_are_glyph_ids(_table(streams[b"OpenType"][0], b"CFF "))


def test_big_face_files_copied_once_per_process() -> None:
    res = tree_of(case("zh"))
    first = pdf_writer.write(res).data
    kept = dict(weasy._FACES)
    assert kept and all(len(data) >= weasy.BIG_FACE for _, data in kept.values())
    assert pdf_writer.write(res).data == first
    assert weasy._FACES == kept  # the second page took the same copies


@pytest.mark.parametrize("prefix", ["zh", "ar", "en"])
def test_pdf_written_in_one_pass_is_pydyfs(monkeypatch, prefix: str) -> None:
    """write_pdf_once writes the bytes pydyf's own PDF.write writes."""
    import pydyf

    res = tree_of(case(prefix))
    once = pdf_writer.write(res).data
    monkeypatch.setattr(weasy, "write_pdf_once", lambda pdf, *a: pydyf.PDF.write(pdf, *a))
    assert pdf_writer.write(res).data == once


def test_cid_charset_reader() -> None:
    """cids_are_glyph_ids: true for the full Noto face, false for a compact subset (its CIDs
    are the full face's ids) and for a name-keyed CFF font."""
    pytest.importorskip("fontTools")
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.ttLib import TTCollection

    if NOTO_CJK.exists():
        full = next(f for f in TTCollection(str(NOTO_CJK), lazy=True).fonts
                    if f["name"].getDebugName(1).endswith("SC"))
        assert weasy.cids_are_glyph_ids(full.reader["CFF "])
    data = pdf_writer.write(tree_of(case("zh"))).data
    for program in _font_streams(data)[b"CIDFontType0C"]:
        assert not weasy.cids_are_glyph_ids(program)

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((500, 700)), pen.lineTo((500, 0)), pen.closePath()
    fb.setupCFF("Test", {"FullName": "Test"}, {".notdef": pen.getCharString(),
                                                "A": pen.getCharString()}, {})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    assert weasy.cff_cids(buf.getvalue()) is None
    assert not weasy.cids_are_glyph_ids(_table(buf.getvalue(), b"CFF "))


def _table(font: bytes, tag: bytes) -> bytes:
    import struct

    for i in range(struct.unpack_from(">H", font, 4)[0]):
        name, _, off, length = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        if name == tag:
            return font[off:off + length]
    raise KeyError(tag)


# ---------------------------------------------------------------- streams

def test_streams_deflated_at_the_set_level() -> None:
    data = pdf_writer.write(tree_of(case("en"))).data
    bodies = [data[m.end():] for m in re.finditer(rb"/Filter\s*/FlateDecode[^>]*>>\s*stream\r?\n",
                                                  data)]
    assert bodies, "no deflated stream"
    for body in bodies:  # every stream inflates (each is a complete zlib stream)
        d = zlib.decompressobj()
        d.decompress(body[:3_000_000])
        assert d.eof


# ---------------------------------------------------------------- the seam and its guard

def test_weasyprint_and_pydyf_are_the_tested_ones() -> None:
    """Every internal the writer relies on is there with the source it was tested with; a
    new WeasyPrint or pydyf fails here, naming what changed, before it changes a PDF."""
    assert weasy.check() == []


def test_hooks_installed_by_the_writer() -> None:
    import weasyprint.pdf.fonts as fonts

    pdf_writer.write(tree_of(case("en"))).data
    assert weasy.installed()
    import weasyprint.layout.inline as inline

    for hooked, name in ((fonts.Font._harfbuzz_subset, "Font._harfbuzz_subset"),
                         (fonts.get_hb_object_data, "get_hb_object_data"),
                         (inline.justify_line, "justify_line"),
                         (inline.get_next_linebox, "get_next_linebox")):
        assert getattr(hooked, "unres", False), f"{name} is not the writer's hook"
        # WeasyPrint's own function, which the hook calls outside rendering()
        assert hooked.__wrapped__.__module__.startswith("weasyprint."), name


def test_a_changed_or_missing_internal_is_refused(monkeypatch) -> None:
    import weasyprint.formatting_structure.boxes as boxes

    monkeypatch.setitem(weasy.INTERNALS, "pydyf._to_bytes", "0" * 16)
    monkeypatch.delattr(boxes, "FootnoteAreaBox")
    problems = weasy.check()
    assert any(p.startswith("pydyf._to_bytes changed") for p in problems)
    assert any(p.startswith("weasyprint.formatting_structure.boxes.FootnoteAreaBox is missing")
               for p in problems)
    monkeypatch.setattr(weasy, "installed", lambda: False)
    with pytest.raises(weasy.WeasyPrintChanged, match="FootnoteAreaBox is missing"):
        weasy.install()


def test_a_changed_line_placement_is_refused() -> None:
    """The right-to-left indent is WeasyPrint's own ``get_next_linebox`` with one line
    extended: a source without that line is refused, not patched."""
    def get_next_linebox(context, linebox):  # another WeasyPrint's
        line = linebox
        line.translate(0, 0)
        return line

    with pytest.raises(weasy.WeasyPrintChanged, match="get_next_linebox has changed"):
        weasy._indent_at_start(get_next_linebox)


def _justified_page(css: str, text: str, lang: str, direction: str = "ltr",
                    width: float = 205) -> bytes:
    """A paragraph of ``text`` ``width`` wide in a column from x 50 to 250, justified with
    ``css``, rendered as the writer renders."""
    from lxml import etree

    root = etree.fromstring(
        f'<html lang="{lang}" dir="{direction}"><head><style>@page {{ size: 300pt 300pt; '
        f'margin: 50pt }} body {{ margin: 0 }} p {{ margin: 0; width: {width}pt; text-align: justify; '
        f'{css} }}'
        f'</style></head><body><p>{text}</p></body></html>')
    weasy.install()
    with weasy.rendering():
        document = weasy.render(root, base_url="file:///", url_fetcher=None, stylesheets=[],
                                options={})
        return weasy.write_pdf(document, b"x", {})


@pytest.mark.parametrize("mode", ["inter-character", ""])
def test_inter_character_justification_only_where_asked(mode: str) -> None:
    """``--text-justify: inter-character`` widens a Chinese line between its characters;
    without it WeasyPrint's own justification leaves the line short (it has no space)."""
    from pipeline.readers.pdf import sorted_pages

    text = "联合国和国际刑警组织之间开展合作，应要求协助属于国际刑警组织成员国的联合国会员国" * 2
    data = _justified_page(f"--text-justify: {mode}; font: 10pt 'Noto Serif CJK SC'" if mode
                           else "font: 10pt 'Noto Serif CJK SC'", text, "zh")
    rows = [r for p in sorted_pages(data, "x.zh.pdf", "zh") for r in p.body + p.furniture
            if not r.blank]
    assert len(rows) >= 3
    # 20 characters of 10 pt a line, 5 pt to spare
    ends = [max(g.x0 for g in r.glyphs) + 10 for r in rows[:-1]]
    if mode:
        assert all(abs(e - 255) < 0.05 for e in ends), ends
        last = sorted(rows[-1].glyphs, key=lambda g: g.x0)
        assert all(abs(b.x0 - a.x0 - 10) < 0.01 for a, b in zip(last, last[1:]))
    else:
        assert all(abs(e - 250) < 0.05 for e in ends), ends


def test_arabic_justified_to_the_line_s_end_before_a_link(tmp_path: Path) -> None:
    """``--text-justify: inter-word`` in right-to-left text: every line but the last runs
    from the paragraph's right edge to its left one, a line ending before a link (whose
    box's trailing space WeasyPrint strips) too, within 0.05 pt."""
    words = "إذ تشير إلى اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية وإلى قرارها"
    pdf = tmp_path / "ar.pdf"
    pdf.write_bytes(_justified_page(
        "--text-justify: inter-word; font: 11.5pt 'Noto Naskh Arabic'",
        f'{words} <a href="https://undocs.org/A/80/418">A/80/418</a> {words}', "ar", "rtl", width=174))
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    lines: dict[int, list[tuple[float, float, str]]] = {}
    for x0, y, x1, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                      r'xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xml):
        lines.setdefault(round(float(y)), []).append((float(x0), float(x1), text))
    rows = [sorted(lines[y]) for y in sorted(lines)]
    assert len(rows) >= 4
    # the second line ends with the word before the link (drawn reversed by pdftotext)
    assert rows[1][0][2] in ("قرارها", "قرارها"[::-1])
    for row in rows[:-1]:
        # a right-to-left block 174 pt wide against the right of the 200 pt column
        assert abs(row[0][0] - 76) < 0.05 and abs(row[-1][1] - 250) < 0.05, row


def test_only_the_seam_imports_weasyprint_and_pydyf() -> None:
    pattern = re.compile(r"^\s*(?:import|from)\s+(weasyprint|pydyf|tinyhtml5|cssselect2)\b", re.M)
    found = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "pipeline").rglob("*.py"))
             if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == ["pipeline/writers/weasy.py"]
