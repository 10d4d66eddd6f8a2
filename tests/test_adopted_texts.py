"""A text adopted in the operative part (an outcome document: "Adopts the following
Pact:") and annexes, in every writer: its chapter headings are headings set by their
level, its numbered paragraphs numbered as an annex's (flush), an annex runs on after
the closing with its label and title at the column's edge, annex items hang on a tab."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lxml import etree
from lxml import html as lhtml

from conftest import need_program
from pipeline.ast import (Annex, Body, Closing, Heading, Item, Meta, Paragraph, Preamble,
                          Resolution, Text)
from pipeline.writers import docx as docx_writer
from pipeline.writers import html as html_writer
from pipeline.writers import pdf as pdf_writer
from pipeline.writers.view import adopted_text_start

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _adopting(end: str = ":") -> tuple:
    return (
        Paragraph("", (Text("Adopts"),), (Text("the following charter" + end),)),
        Heading((Text("The Charter of Examples"),), level=1),
        Paragraph("1.", (), (Text("We, the members, agree."),)),
        Heading((Text("First matters"),), level=2, num="I."),
        Paragraph("2.", (), (Text("We decide:"),), items=(
            Item("(a)", (Text("To begin;"),)), Item("(b)", (Text("To go on."),)))),
    )


def _res() -> Resolution:
    annex = Annex((Text("Annex"),), (Text("Terms of the compact"),), (
        Paragraph("1.", (), (Text("We commit to:"),), items=(
            Item("(a)", (Text("Build things;"),)), Item("(b)", (Text("Keep them."),)))),
    ))
    meta = Meta(symbol="A/RES/99/1", organ="GA", language="en", number="99/1",
                adopted="2030-09-22", title=(Text("The Charter of Examples"),))
    return Resolution(meta, Body(Preamble((Text("The General Assembly"),)), _adopting(),
                                 Closing("3rd plenary meeting", 3, "2030-09-22",
                                         "22 September 2030"), (annex,)))


# ---------------------------------------------------------------- the rule

def test_an_adopted_text_starts_at_its_title_after_the_paragraph_introducing_it():
    assert adopted_text_start(_adopting()) == 1
    assert adopted_text_start(_adopting("：")) == 1            # a full-width colon
    assert adopted_text_start(_adopting(";")) is None          # a heading of the resolution
    numbered = (Paragraph("1.", (Text("Decides"),), (Text("that:"),), items=(
        Item("(a)", (Text("x;"),)),)), Heading((Text("Part"),)))
    assert adopted_text_start(numbered) is None                # its items come first
    below = (Paragraph("6.", (Text("Approves"),), (Text("the changes set out below:"),)),
             Heading((Text("Pension Administration"),), level=2, num="A."),
             Paragraph("7.", (Text("Approves"),), (Text("the estimates;"),)))
    assert adopted_text_start(below) is None                   # a numbered paragraph's
    unled = (Paragraph("", (), (Text("The following text:"),)), Heading((Text("T"),)))
    assert adopted_text_start(unled) is None                   # no operative lead phrase
    assert adopted_text_start(()) is None


# ---------------------------------------------------------------- HTML and PDF

def test_html_marks_the_adopted_paragraphs_and_heading_levels():
    doc = lhtml.document_fromstring(html_writer.write(_res()).data)
    ops = doc.xpath("//section[contains(@class,'operative')]/div[contains(@class,'paragraph')]")
    assert ["adopted" in d.get("class") for d in ops] == [False, True, True]
    heads = doc.xpath("//section[contains(@class,'operative')]/*[contains(@class,'heading')]")
    assert [h.get("class") for h in heads] == ["heading level-1", "heading level-2"]
    assert heads[1].xpath("span[@class='heading-num']")[0].text.strip() == "I."
    # the annex's paragraphs are no adopted text's: an annex is numbered flush by itself
    assert not doc.xpath("//section[@class='annex']//div[contains(@class,'adopted')]")


def test_pdf_sets_the_adopted_text_flush_and_runs_the_annex_on(tmp_path: Path):
    need_program("pdftotext", "poppler-utils")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(pdf_writer.write(_res()).data)
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    root = etree.fromstring(out.encode(), etree.XMLParser(recover=True))
    pages = [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("yMax")), w.text)
              for w in p.iter("{*}word")] for p in root.iter("{*}page")]
    assert len(pages) == 1, "the annex runs on after the closing"
    ws = pages[0]

    def first(text: str, after: float = 0.0):
        return next(w for w in ws if w[3] == text and w[1] > after)

    # the adopted text's paragraphs: the number flush at the column's edge (x 123.4)
    one, two = first("1."), first("2.")
    assert abs(one[0] - 123.4) < 0.6 and abs(two[0] - 123.4) < 0.6
    # its title at 12 pt (H1), its chapter heading at 10 pt with the number hanging
    title = first("Examples", after=one[1] - 60)
    chapter = first("First")
    assert title[2] - title[1] > (chapter[2] - chapter[1]) + 1
    assert first("I.")[0] < 123.4 - 5 and abs(chapter[0] - 123.4) < 0.6
    # the annex after the closing, its label and title 10 pt at the column's edge
    meeting = first("plenary")
    label = first("Annex", after=meeting[1])
    assert abs(label[0] - 123.4) < 0.6
    assert abs((label[2] - label[1]) - (chapter[2] - chapter[1])) < 0.5
    # an annex's item: the label at the tab (1742 twips = x 147.1), not flush
    items = [w for w in ws if w[3] == "(a)" and w[1] > label[1]]
    assert items and abs(items[0][0] - 147.1) < 1.5


# ---------------------------------------------------------------- DOCX

def _paragraphs() -> list:
    import io
    import zipfile
    data = docx_writer.write(_res()).data
    doc = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return doc.findall(f".//{W}body/{W}p")


def _text(p) -> str:
    return "".join((el.text or "") if el.tag == W + "t" else "\t"
                   for el in p.iter(W + "t", W + "tab"))


def _style(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(W + "val") if s is not None else ""


def test_docx_numbers_an_adopted_text_and_an_annex_flush():
    ps = _paragraphs()
    texts = [_text(p) for p in ps]
    adopts = next(t for t in texts if "Adopts" in t)
    assert adopts.startswith("\t")                         # the resolution's own paragraph
    assert "1.\tWe, the members, agree." in texts          # number TAB text: flush
    assert "2.\tWe decide:" in texts
    assert "\t(a)\tTo begin;" in texts                      # items: TAB label TAB text
    assert "1.\tWe commit to:" in texts                     # the annex's paragraph: flush
    assert "\t(a)\tBuild things;" in texts
    head = ps[texts.index("\tI.\tFirst matters")]
    assert _style(head) == "H23"


def test_docx_annex_runs_on_with_h23_label_and_title_and_the_end_rule_last():
    ps = _paragraphs()
    texts = [_text(p) for p in ps]
    label = ps[texts.index("\t\tAnnex")]
    title = ps[texts.index("\t\tTerms of the compact")]
    for p in (label, title):
        assert _style(p) == "H23"
        assert p.find(f"{W}pPr/{W}pageBreakBefore") is None
        assert p.find(f"{W}pPr/{W}jc") is None             # at the column's edge
    rules = [i for i, p in enumerate(ps) if p.find(f"{W}pPr/{W}pBdr") is not None]
    assert rules and rules[-1] > texts.index("\t(b)\tKeep them.")
    assert all(p.find(f"{W}pPr/{W}pageBreakBefore") is None for p in ps)
