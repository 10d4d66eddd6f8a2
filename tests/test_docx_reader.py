"""The Word reader: a Word file made here (styles, typed numbers, italic leads, a real
footnote, a NOTEREF, a table, the masthead in the first-page header), hostile and wrong
files, the UN's three Word files (../shared/corpus/docx) read and converted to every
format without losing paragraphs, items, footnotes or tables, and our own DOCX read back
to the same tree."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from conftest import CORPUS, ROOT, need
from pipeline import build, registry
from pipeline.ast import (Emphasis, FootnoteRef, Paragraph, Superscript, Table, Text,
                          iter_footnotes, plain_text)
from pipeline.cli import main
from pipeline.errors import ReadError, StructureError
from pipeline.options import ReadOptions
from pipeline.readers import docx as reader
from pipeline.readers import safezip

WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# ---------------------------------------------------------------- a Word file made here

def p(style: str, *runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{"".join(runs)}</w:p>'


def r(text: str = "", *, i: bool = False, tab: bool = False, sup: bool = False) -> str:
    props = ("<w:i/>" if i else "") + ('<w:vertAlign w:val="superscript"/>' if sup else "")
    body = "<w:tab/>" if tab else f'<w:t xml:space="preserve">{text}</w:t>'
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{body}</w:r>"


def package(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def word_file(body: str, *, header: str = "", notes: str = "") -> bytes:
    ns = f'xmlns:w="{WNS}" xmlns:r="{RNS}"'
    sect = '<w:sectPr><w:headerReference w:type="first" r:id="rIdH"/><w:titlePg/></w:sectPr>'
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/header" Target="header3.xml"/>'
            '<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    return package({
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"/>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats'
                       '.org/officeDocument/2006/relationships/officeDocument" '
                       'Target="word/document.xml"/></Relationships>',
        "word/document.xml": f"<w:document {ns}><w:body>{body}{sect}</w:body></w:document>",
        "word/_rels/document.xml.rels": rels,
        "word/header3.xml": f"<w:hdr {ns}>{header}</w:hdr>",
        "word/footnotes.xml": f"<w:footnotes {ns}>"
                              '<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
                              f"{notes}</w:footnotes>",
    })


HEADER = p("HCh", r("United Nations")) + p("", r("A/RES/72/257")) + \
    p("XLarge", r("General Assembly")) + p("Publication", r("Distr.: General")) + \
    p("", r("12 January 2018"))
BODY = "".join([
    p("Session", r("Seventy-second session")), p("AgendaItemNormal", r("Agenda item 147")),
    p("TitleHCH", r(tab=True), r("Resolution adopted by the General Assembly on 24 December 2017")),
    p("H4", r("[on the report of the Fifth Committee (A/72/664)]")),
    p("TitleH1", r(tab=True), r("72/257."), r(tab=True), r("Financing of the Tribunal")),
    p("SingleTxt", r(tab=True), r("The General Assembly", i=True), r(",")),
    p("SingleTxt", r(tab=True), r("Recalling", i=True), r(" "), r("also", i=True),
      r(" its resolution 47/235,"), '<w:r><w:footnoteReference w:id="1"/></w:r>'),
    p("SingleTxt", r(tab=True), r("1."), r(tab=True), r("Takes note", i=True),
      r(" of the report;"),
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> NOTEREF _Ref1 \\h '
      '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>',
      r("1", sup=True), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    p("SingleTxt", r(tab=True), r("2."), r(tab=True), r("Authorizes", i=True),
      r(" the Secretary-General to enter into:")),
    p("SingleTxt", r(tab=True), r("(a)"), r(tab=True), r("Commitments;")),
    p("SingleTxt", r(tab=True), r("(b)"), r(tab=True), r("Commitments relating to:")),
    p("SingleTxt", r(tab=True), r("(i)"), r(tab=True), r("Judges;")),
    p("SingleTxt", r(tab=True), r("(ii)"), r(tab=True), r("Witnesses;")),
    p("SingleTxt", r("76th plenary meeting", i=True), '<w:r><w:rPr><w:i/></w:rPr><w:br/></w:r>',
      r("24 December 2017", i=True)),
    p("H1", r("Annex")), p("H1", r(tab=True), r("Financing for the biennium")),
    "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc>" + p("SingleTxt") +
    "</w:tc><w:tc>" + p("SingleTxt", r("Gross")) + "</w:tc></w:tr><w:tr><w:tc>" +
    p("SingleTxt", r("Appropriation")) + "</w:tc><w:tc>" + p("SingleTxt", r("98 064 000")) +
    "</w:tc></w:tr></w:tbl>",
])
NOTES = '<w:footnote w:id="1">' + p("FootnoteText", '<w:r><w:footnoteRef/></w:r>', r(tab=True),
                                     r("Official Records", i=True), r(" (A/72/5).")) + \
    "</w:footnote>"


def test_reader_builds_the_resolution_from_styles_tabs_and_parts():
    parsed = reader.read(word_file(BODY, header=HEADER, notes=NOTES), "N1.docx")
    res = parsed.resolution
    m = res.meta
    assert (m.symbol, m.number, m.session, m.adopted, m.distribution, m.issued) == \
        ("A/RES/72/257", "72/257", 72, "2017-12-24", "General", "2018-01-12")
    assert m.proponent.committee == "fifthCommittee"
    assert plain_text(m.title) == "Financing of the Tribunal"
    assert res.body.preamble.formula == (Text("The General Assembly,"),)
    rec = res.body.preamble.recitals
    assert [plain_text(x.lead) for x in rec] == ["Recalling also"]
    notes = [n for n in rec[0].body if isinstance(n, FootnoteRef)]
    assert [n.marker for n in notes] == ["1"]
    assert plain_text(notes[0].blocks[0].inlines) == "Official Records (A/72/5)."
    assert isinstance(notes[0].blocks[0].inlines[0], Emphasis)
    ops = res.body.operative
    assert [o.num for o in ops] == ["1.", "2."]
    assert [plain_text(o.lead) for o in ops] == ["Takes note", "Authorizes"]
    # the NOTEREF (second call of note 1) stays the number it shows; the note is kept once
    assert Superscript((Text("1"),)) in ops[0].body
    assert len(list(iter_footnotes(res))) == 1
    assert [i.label for i in ops[1].items] == ["(a)", "(b)"]
    assert [i.label for i in ops[1].items[1].items] == ["(i)", "(ii)"]
    assert res.body.closing.meeting_number == 76 and res.body.closing.date == "2017-12-24"
    annex = res.body.annexes[0]
    assert plain_text(annex.title) == "Financing for the biennium"
    table = annex.blocks[0]
    assert isinstance(table, Table) and len(table.rows) == 2
    assert table.rows[0].cells[1].header and not table.rows[1].cells[0].header
    assert plain_text(table.rows[1].cells[1].blocks[0].inlines) == "98 064 000"


def test_registry_reads_docx_with_the_docx_reader():
    assert registry.reader_for("x.docx") is reader.read


# ---------------------------------------------------------------- bad input

def zip_bomb() -> bytes:
    """A package whose document part would expand to more than the member limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(safezip.MAX_MEMBER // len(chunk) + 1):
                f.write(chunk)
    return buf.getvalue()


def lying_zip() -> bytes:
    """A package whose directory declares a small part that expands far beyond it."""
    data = bytearray(package({"word/document.xml": b"<a>" + b" " * 4_000_000 + b"</a>"}))
    # the central directory's uncompressed size of the member: declare 100 bytes
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (100).to_bytes(4, "little")
    lh = data.find(b"PK\x03\x04")
    data[lh + 22:lh + 26] = (100).to_bytes(4, "little")
    return bytes(data)


def bad_words() -> dict[str, bytes]:
    return {
        "bomb.docx": zip_bomb(),
        "liar.docx": lying_zip(),
        "notzip.docx": b"Hello, this is plain text and not a Word file.\n",
        "old.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "damaged.docx": package({"word/document.xml": "<w:document/>"})[:40],
        "nodocument.docx": package({"hello.txt": "hi"}),
        "badxml.docx": package({"word/document.xml": "<w:document><w:body>"}),
        "shopping.docx": word_file(p("SingleTxt", r("Buy the milk and the eggs for the week."))
                                   + p("SingleTxt", r("Then bread and the tea."))),
        "empty.docx": b"",
    }


@pytest.mark.parametrize("name", sorted(bad_words()))
def test_bad_word_file_is_one_error_with_a_position(name):
    with pytest.raises((ReadError, StructureError)) as e:
        reader.read(bad_words()[name], name)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{name}:") and e.value.span.line >= 1
    expect = {"bomb.docx": "zip bomb", "liar.docx": "part word/document.xml",
              "notzip.docx": "not a zip", "old.docx": "old binary .doc",
              "badxml.docx": "word/document.xml is not well-formed",
              "shopping.docx": "no resolution found"}.get(name)
    if expect:
        assert expect in msg


def test_zip_bomb_is_refused_before_decompressing(monkeypatch):
    calls = []
    monkeypatch.setattr(safezip.Package, "read", lambda self, name: calls.append(name))
    with pytest.raises(ReadError):
        reader.read(zip_bomb(), "bomb.docx")
    assert calls == []


def test_convert_goes_on_after_bad_word_files(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    for name, data in bad_words().items():
        (src / name).write_bytes(data)
    (src / "N1.docx").write_bytes(word_file(BODY, header=HEADER, notes=NOTES))
    out = tmp_path / "out"
    rc = main(["convert", *sorted(map(str, src.iterdir())), "-t", "akn", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1 and "Traceback" not in err
    assert len([x for x in err.splitlines() if ": error: " in x]) == len(bad_words())
    assert sorted(x.name for x in out.iterdir() if not x.name.startswith(".")) == ["N1.akn.xml"]


# ---------------------------------------------------------------- the UN's Word files

def _counts(res) -> dict[str, int]:
    """Paragraphs, items, footnotes and tables of a tree, and the text of its notes."""
    def items(its):
        return sum(1 + items(i.items) for i in its)

    ops = [n for _m, b in res.texts() for n in _walk(b.operative)]
    tables = [n for _m, b in res.texts() for n in _walk(b.operative)
              + [x for a in b.annexes for x in a.blocks] if isinstance(n, Table)]
    return {"recitals": sum(len(b.preamble.recitals) for _m, b in res.texts()),
            "paragraphs": sum(isinstance(n, Paragraph) for n in ops),
            "items": sum(items(n.items) for n in ops if isinstance(n, Paragraph)),
            "footnotes": len(list(iter_footnotes(res))),
            "tables": len(tables)}


def _walk(nodes):
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_walk(getattr(n, "children", ())))
        out.extend(getattr(n, "extra", ()))
    return out


#: what each official Word file holds, counted by hand in Word
UN_WORD = {
    "N1746973": {"symbol": "A/RES/72/257", "recitals": 2, "paragraphs": 6, "items": 0,
                 "footnotes": 3, "tables": 1},
    "N1747050": {"symbol": "A/RES/72/264", "recitals": 0, "paragraphs": 3, "items": 8,
                 "footnotes": 1, "tables": 0},
    "N1824662": {"symbol": "E/RES/2018/30", "recitals": 6, "paragraphs": 2, "items": 0,
                 "footnotes": 2, "tables": 9},
}


@pytest.fixture(scope="module", params=sorted(UN_WORD))
def un_word(request):
    path = need(CORPUS / "docx" / f"{request.param}.docx")
    return request.param, build.load(path)


@pytest.mark.corpus
def test_un_word_files_read_completely(un_word):
    stem, parsed = un_word
    res = parsed.resolution
    want = UN_WORD[stem]
    assert res.meta.symbol == want["symbol"]
    assert {k: v for k, v in _counts(res).items()} == {k: v for k, v in want.items()
                                                        if k != "symbol"}
    m = res.meta
    assert m.adopted and m.session and m.number and plain_text(m.title)
    assert res.body.closing is not None and res.body.closing.meeting_number
    # leads: every paragraph and recital has its italic lead phrase
    for _m, b in res.texts():
        assert all(plain_text(x.lead) for x in b.preamble.recitals)
        assert all(plain_text(x.lead) for x in b.operative if isinstance(x, Paragraph))
    assert not [d for d in parsed.diagnostics if d.code.startswith("masthead")]


def _writer(fmt: str):
    return registry.writer_for(fmt)[0]


@pytest.mark.corpus
def test_un_word_files_convert_to_akn_without_loss(un_word):
    _stem, parsed = un_word
    from pipeline.readers import akn

    data = _writer("akn")(parsed.resolution).data
    back = akn.read(data, "x.akn.xml").resolution
    assert _counts(back) == _counts(parsed.resolution)


@pytest.mark.corpus
def test_un_word_files_convert_to_docx_and_read_back_the_same(un_word):
    _stem, parsed = un_word
    data = _writer("docx")(parsed.resolution).data
    back = reader.read(data, "x.docx", ReadOptions(lang=parsed.resolution.meta.language)).resolution
    assert back == parsed.resolution


def _texts_that_must_show(res) -> list[str]:
    out = []
    for _m, b in res.texts():
        for n in _walk(b.operative):
            if isinstance(n, Paragraph):
                out.append(plain_text(n.lead) or plain_text(n.body)[:20])
        for f in iter_footnotes(b):
            out.append(plain_text(f.blocks[0].inlines)[:20])
    return [t for t in out if t]


@pytest.mark.corpus
def test_un_word_files_convert_to_html_without_loss(un_word):
    import html as html_mod

    _stem, parsed = un_word
    text = html_mod.unescape(_writer("html")(parsed.resolution).data.decode("utf-8"))
    flat = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))
    for t in _texts_that_must_show(parsed.resolution):
        assert re.sub(r"\s+", "", t) in flat, t
    assert text.count("<table") == _counts(parsed.resolution)["tables"]


@pytest.mark.corpus
def test_un_word_files_convert_to_pdf_without_loss(un_word):
    pdfplumber = pytest.importorskip("pdfplumber")
    _stem, parsed = un_word
    data = _writer("pdf")(parsed.resolution).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = " ".join(pg.extract_text() or "" for pg in pdf.pages)
    flat = re.sub(r"\s+", "", text)
    for t in _texts_that_must_show(parsed.resolution):
        assert re.sub(r"\s+", "", t) in flat, t


# ---------------------------------------------------------------- our own DOCX read back

EXAMPLES = sorted((ROOT / "inputs").glob("*.md"))


@pytest.mark.parametrize("src", EXAMPLES, ids=lambda p: p.name)
def test_our_docx_reads_back_to_the_same_tree(src):
    write = _writer("docx")
    res = build.load(src).resolution
    back = reader.read(write(res).data, "x.docx", ReadOptions(lang=res.meta.language)).resolution
    assert back == res
