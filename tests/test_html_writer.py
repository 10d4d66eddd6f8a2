"""HTML writer: escaping, structure, and the page in a real browser (headless Chromium).

The golden ``tests/golden/<case>/expected.html`` of every case is checked by
``tests/test_golden.py`` with the other writers' (see ``golden_support``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lhtml

import figures_table as ft
from conftest import need_program
from golden_support import CASES, tree_of

from pipeline.ast import (Body, Cell, Closing, DocRef, FootnoteRef, Link, Meta, Para,
                          Paragraph, Preamble, Recital, Resolution, Row, Table, Text)
from pipeline.lang import get as get_lang
from pipeline.errors import UsageError
from pipeline.options import WriteOptions, read_emblem
from pipeline.writers import html as html_writer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def page(case: Path) -> bytes:
    return html_writer.write(tree_of(case)).data


def parse(data: bytes):
    return lhtml.document_fromstring(data)


# ---------------------------------------------------------------- the page

@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_inlined_style_is_the_stylesheets(case: Path) -> None:
    res = tree_of(case)
    names = ("screen.css",) + tuple(html_writer.language_stylesheets(
        get_lang(res.meta.language).code))
    want = "\n".join(html_writer.stylesheet_text(n) for n in names)
    style = parse(page(case)).find(".//style").text
    assert style.strip() == want.strip()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_tree_same_bytes(case: Path) -> None:
    assert page(case) == page(case)


# ---------------------------------------------------------------- structure

@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_semantic_page(case: Path) -> None:
    res = tree_of(case)
    L = get_lang(res.meta.language)
    doc = parse(page(case))
    assert doc.get("lang", "").split("-")[0] == L.code
    assert doc.get("dir") == L.dir
    # landmarks: the masthead is the banner, the text is main
    assert doc.find("body/header").get("class") == "masthead"
    assert len(doc.findall("body/main")) == 1
    # headings in order: one h1, then h2 (title), never a skipped level
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels and levels[0] == 1
    for a, b in zip(levels, levels[1:]):
        assert b <= a + 1, levels
    # preamble and operative part as labelled sections
    for cls in ("preamble", "operative"):
        sec = doc.find_class(cls)
        assert sec and sec[0].tag == "section" and sec[0].get("aria-label")
    # nothing is fetched: no stylesheet links, scripts or remote images; a CSP forbids requests
    assert not doc.xpath("//script | //link | //iframe | //object")
    assert all(i.get("src", "").startswith("data:") for i in doc.iter("img"))
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_numbers_labels_and_footnotes_as_printed(case: Path) -> None:
    res = tree_of(case)
    doc = parse(page(case))
    meta, body = res.texts()[0]
    nums = [p.num.strip() for p in body.operative if isinstance(p, Paragraph) and p.num.strip()]
    assert [s.text_content().strip() for s in doc.xpath("//p[@class='op']/span[@class='num']")] \
        == nums
    labels = []

    def walk(items):
        for it in items:
            labels.append(it.label.strip())
            walk(it.items)
    for p in body.operative:
        if isinstance(p, Paragraph):
            walk(p.items)
    assert [s.text_content().strip() for s in doc.xpath("//span[@class='label']")] == labels
    # every note: call -> note -> back to the call
    calls = doc.xpath("//a[@class='fn-ref']")
    notes = doc.xpath("//li[@class='note']")
    assert len(calls) == len(notes)
    for a, li in zip(calls, notes):
        assert a.get("href") == "#" + li.get("id")
        back = li.xpath(".//a[@role='doc-backlink']")
        assert back and back[0].get("href") == "#" + a.get("id")


def test_symbols_link_to_undocs_in_the_page_language() -> None:
    case = next(c for c in CASES if c.name.startswith("zh"))
    doc = parse(page(case))
    hrefs = doc.xpath("//a[@class='symbol']/@href")
    assert "https://undocs.org/ch/A/RES/60/288" in hrefs
    assert "https://undocs.org/ch/A/71/L.17" in hrefs


def test_zh_closing_prints_the_date_above_the_meeting() -> None:
    case = next(c for c in CASES if c.name.startswith("zh"))
    doc = parse(page(case))
    lines = [p.get("class") for p in doc.xpath("//div[@class='closing']/p")]
    assert lines == ["date", "meeting"]
    en = parse(page(next(c for c in CASES if c.name.startswith("en"))))
    assert [p.get("class") for p in en.xpath("//div[@class='closing']/p")] == ["meeting", "date"]


def test_raw_text_cannot_inject_markup() -> None:
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"&\''
    res = Resolution(
        meta=Meta(symbol='A/RES/1/1"><script>', language="en", number="1/1",
                  title=(Text(evil),), organ="GA"),
        body=Body(preamble=Preamble(formula=(Text("The General Assembly,"),),
                                    recitals=(Recital((Text("Recalling"),), (Text(evil),)),)),
                  operative=(Paragraph("1.", (Text("Decides"),), (
                      Text(" to "), Link("javascript:alert(3)", (Text("click"),)),
                      DocRef('A/1/"onmouseover=x', (Text("sym"),)),
                      FootnoteRef("1", (Para((Text(evil),)),)))),),
                  closing=Closing(meeting="1st plenary meeting")))
    written = html_writer.write(res)
    out, warnings = written.data, written.diagnostics
    doc = parse(out)
    assert not doc.xpath("//script") and not doc.xpath("//img")
    assert not doc.xpath("//@onerror | //@onmouseover")
    assert not [a for a in doc.iter("a") if a.get("href", "").startswith("javascript")]
    assert evil in doc.find_class("title-text")[0].text_content()
    assert any(w.code == "html-link" for w in warnings)


def test_emblem_is_an_option_and_embedded(tmp_path: Path) -> None:
    png = tmp_path / "emblem.png"
    png.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                  "1f15c4890000000d49444154789c6360000002000154a24f5d000000"
                                  "0049454e44ae426082"))
    res = tree_of(CASES[0])
    assert not parse(html_writer.write(res).data).xpath("//img")
    doc = parse(html_writer.write(res, WriteOptions(emblem=read_emblem(png))).data)
    assert doc.xpath("//header/img/@src")[0].startswith("data:image/png;base64,")
    with pytest.raises(UsageError, match="cannot read the emblem"):
        read_emblem(tmp_path / "missing.png")


# ---------------------------------------------------------------- in a browser

_PROBE = """<script>
addEventListener('load', () => {
  const de = document.documentElement;
  const r = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect() : null; };
  const un = r('.masthead .un-name'), sym = r('.masthead .symbol');
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const b = e.getBoundingClientRect(); return b.right > innerWidth + 1 || b.left < -1; })
    .filter(e => !e.closest('.table-wrap') && !e.closest('.skip'))
    .map(e => e.tagName + '.' + e.className);
  const out = {scrollWidth: de.scrollWidth, innerWidth: innerWidth,
    direction: getComputedStyle(de).direction,
    unLeft: un && un.left, symLeft: sym && sym.left,
    resources: performance.getEntriesByType('resource').length, wide: wide.slice(0, 5)};
  const pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


def _browse(page_bytes: bytes, width: int, tmp: Path) -> dict:
    text = page_bytes.decode("utf-8")
    # the probe needs to run: allow inline script in this copy only
    text = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">',
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'\">",
                  text)
    text = text.replace("</body>", _PROBE + "</body>")
    f = tmp / f"page-{width}.html"
    f.write_text(text, encoding="utf-8")
    shot = tmp / f"shot-{width}.png"
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--window-size={width},900"]
    r = subprocess.run(base + ["--virtual-time-budget=3000", "--dump-dom", f.as_uri()],
                       capture_output=True, text=True, timeout=90)
    m = re.search(r'<pre id="probe">(.*?)</pre>', r.stdout, re.S)
    assert m, f"chromium gave no probe result: {r.stderr[-800:]}"
    subprocess.run(base + [f"--screenshot={shot}", f.as_uri()], capture_output=True,
                   timeout=90)
    out = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    out["screenshot"] = shot
    return out


@pytest.mark.browser
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("width", [1280, 360])
def test_page_in_chromium(case: Path, width: int, tmp_path: Path) -> None:
    need_program("chromium", "chromium")
    res = tree_of(case)
    got = _browse(page(case), width, tmp_path)
    assert got["scrollWidth"] <= got["innerWidth"], f"horizontal overflow at {width}px: {got}"
    assert not got["wide"], got
    assert got["resources"] == 0
    assert got["screenshot"].stat().st_size > 1000
    rtl = get_lang(res.meta.language).dir == "rtl"
    assert got["direction"] == ("rtl" if rtl else "ltr")
    # mirrored masthead: the UN's name is right of the symbol in Arabic, left of it otherwise
    assert (got["unLeft"] > got["symLeft"]) == rtl, got


# ---------------------------------------------------------------- tables of figures

def test_table_of_figures_classes_rows_and_cells_for_the_stylesheets() -> None:
    """A table of figures is classed ``figures``; its rows say what they are (heads, the
    one the thick rule goes under, the gap under it, totals and the rows next to them)
    and its cells whether they hold figures or the label."""
    doc = parse(html_writer.write(ft.resolution()).data)
    table = doc.find(".//table")
    assert table.get("class") == "figures"
    rows = table.findall(".//tr")
    kinds = [r.get("class", "") for r in rows]
    assert kinds[ft.HEAD] == "head"
    assert kinds[ft.UNIT] == "head head-last"
    assert kinds[ft.GAP] == "head head-gap"
    assert kinds[ft.TOTAL] == kinds[ft.TOTAL2] == "total"
    assert kinds[ft.BEFORE_TOTAL] == "pre-total"
    assert kinds[ft.BETWEEN] == "pre-total post-total"
    assert kinds[ft.SUBHEAD] == "post-total"
    assert kinds[ft.FIRST] == kinds[ft.PLAIN] == kinds[ft.LAST] == ""
    for r in range(ft.FIRST, len(rows)):
        label, *figures = rows[r]
        assert label.get("class") == "label"
        assert [c.get("class") for c in figures] == ["fig", "fig"]
    unit = rows[ft.UNIT].findall("th")[1]
    assert (unit.get("class"), unit.get("colspan")) == ("fig", "2")


def test_a_table_of_words_is_no_table_of_figures() -> None:
    words = Table(tuple(Row(tuple(Cell((Para((Text(t),)),)) for t in (a, b)))
                        for a, b in (("Mission", "Mandate"), ("Office", "Good offices"))))
    table = parse(html_writer.write(ft.resolution(table=words)).data).find(".//table")
    assert not table.get("class")
    assert not any(c.get("class") for c in table.iter("td"))


def _rules(css: str, selector: str) -> str:
    """The declarations of the rule whose selector list is exactly ``selector``."""
    m = re.search(r"(?:^|\})\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", css, re.M)
    assert m, selector
    return " ".join(m.group(1).split())


def test_print_stylesheet_sets_tables_of_figures_as_the_un() -> None:
    css = html_writer.stylesheet_text("print.css")
    assert "border-bottom: 1.5pt solid" in _rules(css, "table.figures")
    fig = _rules(css, "table.figures .fig")
    assert "white-space: nowrap" in fig and "width: 51.1pt" in fig
    assert "text-align: right" in _rules(css, "table.figures .fig p")
    assert "border: 0" in _rules(css, "table.figures th, table.figures td")
    total = _rules(css, "table.figures tr.total > *")
    assert all(d in total for d in ("font-weight: bold", "border-top: .5pt solid",
                                    "border-bottom: .5pt solid", "padding-top: 4pt",
                                    "padding-bottom: 4pt"))
    assert "padding-left: 14.4pt" in _rules(css, "table.figures tr.total > .label p")
    assert "border-bottom: 1.5pt solid" in _rules(css, "table.figures tr.head-last > *")
    ar = html_writer.stylesheet_text("lang/ar.css")
    assert "padding-right: 14.4pt" in _rules(ar, "table.figures tr.total > .label p")


def test_a_note_under_a_table_has_its_label_apart_to_hang() -> None:
    doc = parse(html_writer.write(ft.resolution(notes=ft.NOTES)).data)
    notes = doc.find_class("s-FootnoteText")
    assert len(notes) == 3
    labels = [n.find_class("note-label") for n in notes]
    assert [lab[0].text_content() if lab else None for lab in labels] == ["a", "(b)", None]
    assert labels[0][0].tail == "See A/80/1."
    assert labels[1][0].tail == "Reflects amounts after recosting."
    css = html_writer.stylesheet_text("print.css")
    assert "font-size: 8.5pt" in _rules(css, "p.s-FootnoteText")
    assert "margin-left: -23.6pt" in _rules(css, "p.s-FootnoteText .note-label")
