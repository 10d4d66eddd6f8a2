"""The writer view (pipeline/writers/view.py): every writer prints the masthead lines,
number and closing derived once, in the same words, and applies the same link policy.

The JSON writer is the tree's own form (what the readers read back), not a rendering:
it keeps every value of the tree, links included, and is left out here.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline import registry
from pipeline.ast import (AgendaItem, Body, Closing, FootnoteRef, Item, Link, Meta, Para,
                          Paragraph, Preamble, Proponent, Recital, Resolution, Section, Table,
                          Cell, DocRef, Row, Text)
from pipeline.writers import view
from pipeline.writers.view import View, link_target

ROOT = Path(__file__).resolve().parents[1]
RENDERINGS = ("akn", "html", "md", "docx", "pdf")

#: links a hostile or careless source may carry; none may reach an output as a link
HOSTILE = ("javascript:alert(1)", " JavaScript:alert(2)", "vbscript:msgbox(3)",
           "data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==", "file:///etc/passwd",
           "\\\\host\\share\\x.doc", "java\tscript:alert(5)", "\u200bjavascript:alert(6)",
           "about:blank", "annex.html")
SAFE = ("https://example.org/a?b=1&c=2", "http://example.org/", "mailto:someone@example.org")


def write(fmt: str, res: Resolution):
    return registry.writer_for(fmt)[0](res)


def text_of(fmt: str, data: bytes) -> str:
    """Everything an output holds, as text (a DOCX's parts joined, a PDF's text and link
    addresses)."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
    if fmt == "pdf":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join((p.extract_text() or "") + "\n" +
                             "\n".join(str(h.get("uri")) for h in p.hyperlinks)
                             for p in pdf.pages)
    return data.decode("utf-8")


def pdf_link_targets(data: bytes) -> set[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return {str(h.get("uri")) for p in pdf.pages for h in p.hyperlinks}


# ---------------------------------------------------------------- one link policy

def test_link_target_keeps_web_and_mail_addresses_only() -> None:
    for href in SAFE:
        assert link_target(href) == href
    assert link_target("  https://example.org/x ") == "https://example.org/x"
    assert link_target("HTTPS://EXAMPLE.ORG/") == "HTTPS://EXAMPLE.ORG/"
    for href in HOSTILE:
        assert link_target(href) is None, href


def links_tree() -> Resolution:
    links = []
    for i, href in enumerate(HOSTILE + SAFE):
        links += [Text(f" word{i} "), Link(href, (Text(f"link{i}"),))]
    note = FootnoteRef("1", (Para((Text("See "), Link(HOSTILE[0], (Text("notelink"),)),
                                   Text(" and "), Link(SAFE[0], (Text("safenote"),)))),))
    return Resolution(
        meta=Meta(symbol="A/RES/1/1", language="en", number="1/1", organ="GA",
                  title=(Text("Links"),), adopted="2000-01-01"),
        body=Body(preamble=Preamble(formula=(Text("The General Assembly,"),)),
                  operative=(Paragraph("1.", (Text("Decides"),),
                                       (Text(" that"),) + tuple(links) + (note, Text("."))),),
                  closing=Closing(meeting="1st plenary meeting")))


@pytest.mark.parametrize("fmt", RENDERINGS)
def test_every_writer_writes_hostile_links_as_text(fmt: str) -> None:
    written = write(fmt, links_tree())
    out = text_of(fmt, written.data)
    low = out.lower()
    for bad in ("javascript:", "vbscript:", "data:text/html", "file:///etc/passwd",
                "\\\\host\\share", "\\host\\share", "about:blank", "annex.html"):
        assert bad not in low, f"{fmt}: {bad!r} reached the output"
    assert "script:" not in low
    # the link's text stays, as text
    for i in range(len(HOSTILE) + len(SAFE)):
        assert f"link{i}" in out, f"{fmt}: the text of link {i} is lost"
    assert "notelink" in out
    # each refused link is reported once, by the writer that met it
    refused = {d.message for d in written.diagnostics if d.code.endswith("-link")}
    assert len(refused) == len(HOSTILE), refused


@pytest.mark.parametrize("fmt", RENDERINGS)
def test_every_writer_keeps_web_and_mail_links(fmt: str) -> None:
    data = write(fmt, links_tree()).data
    if fmt == "pdf":
        assert set(SAFE) <= pdf_link_targets(data)
        return
    out = text_of(fmt, data)
    for href in SAFE:
        shown = href.replace("&", "&amp;") if fmt in ("akn", "html", "docx") else href
        assert shown in out, f"{fmt}: {href} lost"


# ---------------------------------------------------------------- the masthead, once

def masthead_tree() -> Resolution:
    """A tree whose masthead and closing lines are all to be generated."""
    return Resolution(
        meta=Meta(symbol="A/RES/71/19", language="en", organ="GA", session=71,
                  agenda_items=(AgendaItem("19"),), adopted="2016-11-21", issued="2016-11-28",
                  meeting=48, title=(Text("Cooperation"),),
                  proponent=Proponent("noMainCommittee", drafts=("A/71/L.17",))),
        body=Body(preamble=Preamble(formula=(Text("The General Assembly,"),),
                                    recitals=(Recital((Text("Recalling"),),
                                                      (Text("its resolutions,"),)),)),
                  operative=(Paragraph("1.", (Text("Decides"),), (Text("to act."),)),),
                  closing=Closing(date="2016-11-21")))


def test_the_view_derives_the_lines() -> None:
    v = View("en", lambda *a, **k: None, "test")
    meta = masthead_tree().meta
    assert v.session_line(meta) == "Seventy-first session"
    assert v.agenda_line(meta) == "Agenda item 19"
    assert v.adoption_line(meta) == "Resolution adopted by the General Assembly on 21 November 2016"
    assert v.proponent_line(meta) == "[without reference to a Main Committee (A/71/L.17)]"
    assert v.distribution_line(meta) == "Distr.: General"
    assert v.issue_date(meta) == "28 November 2016"
    assert v.closing_lines(masthead_tree().body.closing, meta.meeting)[:2] == (
        "48th plenary meeting", "21 November 2016")
    # a line the tree holds as printed is printed as it is
    assert v.session_line(Meta(session=71, session_text="Session 71")) == "Session 71"


def test_issue_date_in_the_mastheads_language() -> None:
    meta = Meta(symbol="A/RES/71/19", language="zh", issued="2016-11-28")
    assert View("zh", lambda *a, **k: None, "test").issue_date(meta) == "28 November 2016"


@pytest.mark.parametrize("fmt", RENDERINGS)
def test_every_writer_prints_the_views_lines(fmt: str) -> None:
    res = masthead_tree()
    v = View("en", lambda *a, **k: None, "test")
    meta = res.meta
    meeting, date, _ = v.closing_lines(res.body.closing, meta.meeting)
    lines = [v.session_line(meta), v.agenda_line(meta), v.adoption_line(meta),
             v.proponent_line(meta)[1:-1], date]
    if fmt != "md":  # the source form keeps these in its front matter
        lines += [meeting, v.organ_name(meta), v.issue_date(meta)]
    if fmt not in ("akn", "md"):  # AKN writes a distribution only when the tree has one
        lines.append(v.distribution_line(meta))
    out = plain(fmt, write(fmt, res).data)
    for line in lines:
        assert line and line in out, f"{fmt}: {line!r} not printed"
    if fmt != "md":  # the source form shows a number only when the tree has one
        assert "71/19." in out


def plain(fmt: str, data: bytes) -> str:
    """The words of an output, markup left out, white space collapsed."""
    if fmt == "html":
        text = etree.HTML(data).xpath("string()")
    elif fmt == "akn":
        text = etree.fromstring(data).xpath("string()")
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            text = " ".join(etree.fromstring(zf.read(n)).xpath("string()")
                            for n in zf.namelist() if n.startswith("word/") and
                            n.endswith(".xml"))
    else:
        text = text_of(fmt, data)
    return re.sub(r"\s+", " ", text)


def test_number_and_labels() -> None:
    assert view.number(Meta(number="71/19")) == "71/19"
    assert view.number(Meta(symbol=" A/RES/71/19 ")) == "71/19"
    assert view.number(Meta(symbol="A/71/L.17")) == ""
    assert view.title_number(Meta(symbol="A/RES/75/253", letter="C")) == "75/253 C."
    assert view.title_number(Meta(number="71/19.")) == "71/19."
    assert view.title_number(Meta()) == ""
    assert view.running_job_number(Meta(job_number="16-20567 (C)")) == "16-20567"
    assert view.running_job_number(Meta(job_number="16-20567")) == "16-20567"
    assert view.formula_parts((Text("The General Assembly,"),)) == ("The General Assembly", ",")
    assert view.formula_parts((Text("大会，"),)) == ("大会", "，")


def test_block_text_holds_all_the_text() -> None:
    p = Paragraph("2.", (Text("Requests"),), (Text("the report:"),),
                  items=(Item("(a)", (Text("first;"),)),),
                  tail=(Para((Text("and then"),)),))
    assert view.block_text(p) == "2. Requests the report: (a) first; and then"
    t = Table(rows=(Row((Cell((Para((Text("x"),)),)), Cell((Para((Text("y"),)),)))),))
    assert view.block_text(t) == "x y"
    s = Section("I", (Text("Part"),), (p,))
    assert view.block_text(s).startswith("I Part 2. Requests")


def test_unknown_language_is_english_and_reported() -> None:
    said = []
    v = View("xx", lambda message, code: said.append(code), "test")
    assert v.code == "en" and not v.known and said == ["test-language"]
    assert View("", lambda *a, **k: said.append("no"), "test").code == "en"
    assert said == ["test-language"]  # a missing language is English, silently


def test_failing_language_data_is_reported_not_raised() -> None:
    said = []
    v = View("en", lambda message, code: said.append(code), "test")
    assert v.session_line(Meta(session=500)) == ""
    assert said == ["test-language"]


# ---------------------------------------------------------------- nobody else derives them

_DERIVED = re.compile(r"\b(?:session_text|agenda_text|adoption_text|proponent_text|meeting_text|"
                      r"format_date|masthead_date_language)\b|/RES/|\bimport lang\b|"
                      r"from \.\. import lang|\._d\b")


def test_no_writer_derives_the_views_lines_itself() -> None:
    found = []
    for path in sorted((ROOT / "pipeline" / "writers").glob("*.py")):
        if path.name == "view.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if _DERIVED.search(code) and "meta.session_text" not in code \
                    and "meta.adoption_text" not in code:
                found.append(f"{path.name}:{n}: {line.strip()}")
    assert found == []


def _runs(inlines) -> list[tuple[bool, str]]:
    return [(latin, "".join(n.text if isinstance(n, Text) else "<" + "".join(
        c.text for c in n.children) + ">" for n in run))
            for latin, run in view.latin_runs(tuple(inlines))]


def test_latin_runs_of_a_right_to_left_text() -> None:
    # the final stop goes with the Latin text
    assert _runs([Text("United Nations, vol. 1996, No. 1200.")]) == [
        (True, "United Nations, vol. 1996, No. 1200.")]
    # the number of an Arabic date before a symbol is not in the run; the brackets
    # around the symbol are, as a pair
    assert _runs([Text("تموز/يوليه 2001 (A/CONF.192/15)، الفصل")]) == [
        (False, "تموز/يوليه 2001 "), (True, "(A/CONF.192/15)"), (False, "، الفصل")]
    sym = DocRef("A/77/23", (Text("A/77/23"),))
    assert _runs([Text("رقم 23 ("), sym, Text(").")]) == [
        (False, "رقم 23 "), (True, "(<A/77/23>).")]
    # a closing bracket without its opening one stays out of the run
    assert _runs([Text("الفقرة A/77/23) و")]) == [
        (False, "الفقرة "), (True, "A/77/23"), (False, ") و")]



def test_no_space_printed_after_a_call_before_cjk() -> None:
    from pipeline.ast import FootnoteRef, Text
    from pipeline.writers.view import call_gaps_closed

    call = FootnoteRef("1", ())
    assert call_gaps_closed((Text("协定"), call, Text(" 以及"))) == (Text("协定"), call, Text("以及"))
    # a Latin word after the call keeps its space; so does text not after a call
    assert call_gaps_closed((call, Text(" and"))) == (call, Text(" and"))
    assert call_gaps_closed((Text("a"), Text(" 以及"))) == (Text("a"), Text(" 以及"))
