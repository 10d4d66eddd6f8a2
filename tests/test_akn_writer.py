"""The Akoma Ntoso writer on trees built by hand (no corpus needed)."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from pipeline.akn_schema import validate
from pipeline.ast import (AgendaItem, Annex, Body, Cell, Closing, Component, DocRef, Emphasis,
                          FootnoteRef, Heading, Item, Keyword, Classification, LineBreak, Link,
                          Meta, Para, Paragraph, Preamble, Proponent, Recital, Resolution, Row,
                          Section, Strong, Superscript, Table, Text, VoteCount, Voting,
                          WorkflowStep)
from pipeline.writers.akn import write

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
A = "{%s}" % NS
WORK = "/akn/un/statement/deliberation/unga/2016-11-21/71-19"


def zh_tree() -> Resolution:
    """A/RES/71/19 in Chinese: formula, two recitals (one with a footnote citing 70/1),
    a paragraph, a paragraph with items (a)/(b) and a nested (i), the closing lines."""
    note = FootnoteRef("1", (Para((Text("见"), DocRef("A/RES/70/1", (Text("第70/1号决议"),)),
                                   Text("。"))),))
    meta = Meta(symbol="A/RES/71/19", organ="GA", language="zh", number="71/19",
                title=(Text("联合国同亚洲－非洲法律协商组织的合作"),), session=71,
                session_text="第七十一届会议",
                agenda_items=(AgendaItem("126", "联合国同各区域组织及其他组织的合作"),),
                agenda_text="议程项目126", adopted="2016-11-21",
                adoption_text="2016年11月21日大会决议", meeting=48,
                proponent=Proponent("noMainCommittee", "", ("A/71/L.17", "A/71/L.17/Add.1"), "",
                                    "[未经发交主要委员会而通过 (A/71/L.17和A/71/L.17/Add.1)]"),
                distribution="General", issued="2016-12-05", job_number="16-20663 (C)")
    preamble = Preamble(formula=(Text("大会，"),), recitals=(
        Recital((Text("回顾"),), (Text("其2015年9月25日第70/1号决议，"), note)),
        Recital((Text("审议了"),), (Text("秘书长的报告，"),)),
    ))
    operative = (
        Paragraph("1.", (Text("注意到"),), (Text("秘书长的报告；"),)),
        Paragraph("2.", (Text("请"),), (Text("秘书长："),), items=(
            Item("(a)", (Text("提交报告；"),)),
            Item("(b)", (Text("协助下列工作："),), items=(
                Item("㈠", (Text("培训；"),)),
            )),
        )),
    )
    body = Body(preamble, operative, Closing("第48次全体会议", 48, "2016-11-21", "2016年11月21日"))
    return Resolution(meta, body)


def _root(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))


def _unresolved(xml: bytes) -> list[str]:
    """Every ``#id`` in refersTo/source/href/as that names no eId of its statement."""
    root = _root(xml)
    scopes = [e for e in root.iter() if isinstance(e.tag, str)
              and etree.QName(e).localname in ("statement", "documentCollection")]
    missing = []
    for scope in scopes:
        ids = {e.get("eId") for e in scope.iter() if isinstance(e.tag, str) and e.get("eId")}
        if etree.QName(scope).localname == "documentCollection":
            ids |= {e.get("eId") for e in root.iter() if isinstance(e.tag, str) and e.get("eId")}
        for e in scope.iter():
            if not isinstance(e.tag, str):
                continue
            for att in ("refersTo", "source", "href", "as"):
                v = e.get(att) or ""
                if v.startswith("#") and v[1:] not in ids:
                    missing.append(f"{etree.QName(e).localname}@{att}={v}")
    return missing


@pytest.fixture(scope="module")
def zh_xml() -> bytes:
    return write(zh_tree()).data


def test_valid_against_the_oasis_schema(zh_xml):
    assert zh_xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert validate(zh_xml) == []


def test_schema_check_reports_lines():
    bad = b'<akomaNtoso xmlns="%s">\n<statement name="resolution"/>\n</akomaNtoso>' % \
        NS.encode()
    errors = validate(bad)
    assert errors and errors[0].startswith("line 2: ")
    assert validate(b"<akomaNtoso") [0].startswith("line 1: not well-formed")


def test_deterministic(zh_xml):
    assert write(zh_tree()).data == zh_xml
    assert write(zh_tree()).diagnostics == ()


def test_frbr_iris(zh_xml):
    root = _root(zh_xml)
    ident = root.find(f"{A}statement/{A}meta/{A}identification")
    assert ident.find(f"{A}FRBRWork/{A}FRBRthis").get("value") == WORK + "/!main/"
    assert ident.find(f"{A}FRBRWork/{A}FRBRuri").get("value") == WORK + "/"
    assert ident.find(f"{A}FRBRExpression/{A}FRBRthis").get("value") == WORK + "/zho@!main/"
    assert ident.find(f"{A}FRBRExpression/{A}FRBRuri").get("value") == WORK + "/zho@/"
    assert ident.find(f"{A}FRBRManifestation/{A}FRBRthis").get("value") == \
        WORK + "/zho@/!main.xml"
    assert ident.find(f"{A}FRBRManifestation/{A}FRBRuri").get("value") == WORK + "/zho@.xml"
    assert ident.find(f"{A}FRBRWork/{A}FRBRdate").get("date") == "2016-11-21"
    assert ident.find(f"{A}FRBRExpression/{A}FRBRlanguage").get("language") == "zho"
    # expression and manifestation dates: the issuance date, never today
    assert ident.find(f"{A}FRBRExpression/{A}FRBRdate").get("date") == "2016-12-05"
    assert ident.find(f"{A}FRBRManifestation/{A}FRBRdate").get("date") == "2016-12-05"


def test_leads_bold_in_chinese_and_formula_styled(zh_xml):
    root = _root(zh_xml)
    pre = root.find(f".//{A}preamble")
    formula_p = pre.find(f"{A}formula/{A}p")
    assert formula_p[0].get("class") == "bold" and formula_p[0].text == "大会"
    assert formula_p[0].tail == "，"
    containers = pre.findall(f"{A}container")
    assert [c.get("name") for c in containers] == ["回顾", "审议了"]
    for c in containers:
        span = c.find(f"{A}p/{A}span")
        assert span.get("class") == "bold"
        assert span.getparent().text is None  # the lead opens the paragraph
    para1 = root.find(f".//{A}mainBody/{A}paragraph")
    assert para1.find(f"{A}content/{A}p/{A}span").text == "注意到"
    assert para1.find(f"{A}content/{A}p/{A}span").tail == "秘书长的报告；"  # no added space


def test_footnote_inside_its_recital_with_undocs_link(zh_xml):
    root = _root(zh_xml)
    notes = list(root.iter(A + "authorialNote"))
    assert len(notes) == 1
    note = notes[0]
    assert (note.get("marker"), note.get("placement"), note.get("eId")) == \
        ("1", "bottom", "authorialNote_1")
    container = note.getparent().getparent()
    assert container.get("name") == "回顾"
    link = note.find(f"{A}p/{A}a")
    assert link.get("href") == "https://undocs.org/ch/A/RES/70/1"
    assert link.text == "第70/1号决议"


def test_items_nested_as_points(zh_xml):
    root = _root(zh_xml)
    para2 = root.findall(f".//{A}mainBody/{A}paragraph")[1]
    lst = para2.find(f"{A}list")
    assert lst.find(f"{A}intro/{A}p/{A}span").text == "请"
    points = lst.findall(f"{A}point")
    assert [p.findtext(f"{A}num") for p in points] == ["(a)", "(b)"]
    assert [p.get("eId") for p in points] == ["para_2__list_1__point_a",
                                              "para_2__list_1__point_b"]
    nested = points[1].findall(f"{A}sublist/{A}point")
    assert [p.findtext(f"{A}num") for p in nested] == ["㈠"]
    assert points[1].findtext(f"{A}intro/{A}p") == "协助下列工作："


def test_every_reference_resolves(zh_xml):
    assert _unresolved(zh_xml) == []


def test_no_padded_num(zh_xml):
    nums = [n.text for n in _root(zh_xml).iter(A + "num")]
    assert nums and all(n == n.strip() and "\t" not in n for n in nums)


def test_masthead_as_the_un_marks_it(zh_xml):
    root = _root(zh_xml)
    cover = root.find(f".//{A}coverPage")
    assert cover.find(f".//{A}docNumber").text == "A/RES/71/19"
    assert cover.find(f".//{A}docNumber").get("refersTo") == "#symbol"
    assert cover.find(f".//{A}session").get("value") == "71"
    assert cover.find(f".//{A}docDate").get("refersTo") == "#dateOfIssuance"
    prop = cover.find(f".//{A}docProponent")
    assert prop.get("refersTo") == "#noMainCommittee"
    assert prop.find(f"{A}inline").get("name") == "originating document"
    assert prop.find(f"{A}inline").text == "A/71/L.17和A/71/L.17/Add.1"
    assert "".join(prop.itertext()) == "[未经发交主要委员会而通过 (A/71/L.17和A/71/L.17/Add.1)]"
    pref = root.find(f".//{A}preface/{A}p")
    assert pref.findtext(f"{A}docNumber") == "71/19."
    assert pref.find(f"{A}docTitle").get("refersTo") == "#resolutionTitle"
    docket = root.find(f".//{A}presentation//{A}docketNumber")
    assert docket.text == "16-20663 (C)"
    concl = root.find(f".//{A}conclusions/{A}p")
    assert [etree.QName(c).localname for c in concl] == ["inline", "eol", "docDate"]
    assert concl[0].get("name") == "adoptionMeeting" and concl[0].text == "第48次全体会议"
    assert concl[2].get("date") == "2016-11-21"
    assert concl[2].get("refersTo") == "#dateOfAdoption"


def test_missing_values_are_left_out():
    meta = Meta(symbol="A/RES/71/19", organ="GA", language="en", number="71/19",
                adopted="2016-11-21")
    res = Resolution(meta, Body(operative=(Paragraph("", (Text("Decides"),),
                                                     (Text(" to act."),)),)))
    xml = write(res).data
    assert validate(xml) == []
    root = _root(xml)
    cover = root.find(f".//{A}coverPage")
    assert cover.find(f".//{A}docStatus") is None     # no distribution in the tree
    assert cover.find(f".//{A}docDate") is None       # no issuance date
    assert cover.find(f".//{A}docProponent") is None
    assert root.find(f".//{A}conclusions") is None
    assert root.find(f".//{A}preamble") is None
    assert root.find(f".//{A}mainBody/{A}paragraph/{A}num") is None  # unnumbered: no num
    # the expression date falls back to the adoption date, not to today
    assert root.find(f".//{A}FRBRExpression/{A}FRBRdate").get("date") == "2016-11-21"


def test_english_leads_italic_with_space():
    meta = Meta(symbol="A/RES/75/1", organ="GA", language="en", number="75/1",
                adopted="2020-09-21")
    pre = Preamble((Text("The General Assembly,"),),
                   (Recital((Text("Recalling"),), (Text("its resolution 74/1,"),)),))
    xml = write(Resolution(meta, Body(pre, (Paragraph("1.", (Text("Decides"),),
                                                      (Text("to act."),)),)))).data
    root = _root(xml)
    p = root.find(f".//{A}preamble/{A}container/{A}p")
    assert p[0].get("class") == "italic" and p[0].text == "Recalling"
    assert p[0].tail == " its resolution 74/1,"
    f = root.find(f".//{A}formula/{A}p")
    assert (f[0].text, f[0].tail) == ("The General Assembly", ",")


def test_ecosoc_actor_and_recorded_vote():
    meta = Meta(symbol="E/RES/2022/1", organ="ECOSOC", language="en", number="2022/1",
                adopted="2021-07-23", session=2022, session_text="2022 session",
                voting=Voting("adoptedRecordedVote", (
                    VoteCount("inFavour", 2, ("ALBANIA", "ANDORRA")), VoteCount("against", 0))),
                workflow=(WorkflowStep("draftResolution", "", "E/2022/L.1", "Bureau"),
                          WorkflowStep("adopted", "2021-07-23")),
                classifications=(Classification("DHLAUTH"),
                                 Classification("http://metadata.un.org/sdg", (
                                     Keyword("4", "http://metadata.un.org/sdg/4", "sdg_4",
                                             "SDGO"),))),
                proponent=Proponent("plenaryMeeting", text="[on a proposal considered in "
                                    "plenary meeting (E/2022/L.1)]", drafts=("E/2022/L.1",)))
    xml = write(Resolution(meta, Body(operative=(Paragraph("1.", (), (Text("Decides."),)),)))).data
    assert validate(xml) == []
    assert _unresolved(xml) == []
    root = _root(xml)
    this = root.find(f".//{A}FRBRWork/{A}FRBRthis").get("value")
    assert this == "/akn/un/statement/deliberation/unecosoc/2021-07-23/2022-1/!main/"
    counts = root.findall(f".//{A}voting/{A}count")
    assert [(c.get("value"), c.get("refersTo")) for c in counts] == [("2", "#inFavour"),
                                                                     ("0", "#against")]
    voters = counts[0].findall("{http://un.org/akn4un}voters/" + A + "organization")
    assert [v.text for v in voters] == ["ALBANIA", "ANDORRA"]
    # an empty classification is invalid in the schema: left out
    assert len(root.findall(f".//{A}classification")) == 1
    steps = root.findall(f".//{A}workflow/{A}step")
    assert steps[0].get("date") == "0001-01-01" and steps[0].get("as") == "E/2022/L.1"
    assert root.find(f".//{A}docProponent").get("refersTo") == "#plenaryMeeting"


def test_sections_headings_tables_annex_and_inlines_validate():
    meta = Meta(symbol="A/RES/75/253 C", organ="GA", language="en", number="75/253",
                letter="C", adopted="2021-06-30")
    table = Table((Row((Cell((Para((Text("Item"),)),), header=True),
                        Cell((Para((Text("Amount"),)),), header=True, colspan=2))),
                   Row((Cell((Para((Text("A"),)),)), Cell(()), Cell((Para((Text("3"),)),))))),
                  caption=(Text("Table 1"),))
    inl = (Text("see "), Emphasis((Text("Official Records"),)), Text(", "),
           Strong((Text("bold"),)), Superscript((Text("st"),)), LineBreak(),
           Link("https://example.org/x", (Text("here"),)))
    section = Section("I", (Text("Revised estimates"),), (
        Recital((Text("Recalling"),), (Text("its resolution 75/245 B,"),)),
        Heading((Text("A sub-heading"),), level=2),
        Paragraph("1.", (Text("Takes note"),), inl, tail=(Para((Text("after"),)),)),
        Paragraph("2.", (Text("Decides"),), (Text("that:"),), items=(
            Item("(a)", (Text("x;"),), tail=(Para((Text("more on (a)"),)),)),
            Item("(b)", (Text("y:"),), items=(Item("(i)", (Text("z."),)),),
                 tail=(Para((Text("after (i)"),)),))),
            extra=(table,)),
        Para((Text("A loose paragraph"),), style="SingleTxt"),
    ))
    annex = Annex((Text("Annex"),), (Text("Terms of reference"),), (
        Heading((Text("Establishment"),), num="I."),
        Paragraph("1.", (), (Text("The fund is established."),)),
        Para((Text("Closing words."),), style="SingleTxt"),
        table,
    ))
    res = Resolution(meta, Body(Preamble((Text("The General Assembly,"),)), (section,),
                                Closing("88th plenary meeting", 88, "2021-06-30", "30 June 2021"),
                                (annex,)))
    written = write(res)
    xml, warnings = written.data, written.diagnostics
    assert validate(xml) == [], xml.decode()
    assert _unresolved(xml) == []
    root = _root(xml)
    sec = root.find(f".//{A}mainBody/{A}section")
    assert sec.findtext(f"{A}num") == "I" and sec.findtext(f"{A}heading") == "Revised estimates"
    ch = sec.find(f"{A}crossHeading")
    assert ch.get("refersTo") == "#preamble" and ch.find(f"{A}span").text == "Recalling"
    head = sec.find(f"{A}paragraph[@class='H23']")
    assert head.findtext(f"{A}heading") == "A sub-heading"
    wrap = sec.find(f"{A}paragraph/{A}list/{A}wrapUp/{A}p")
    assert wrap.text == "after"
    assert root.find(f".//{A}preface/{A}p/{A}docNumber[@refersTo='#letter']").text == "C"
    ids = [e.get("eId") for e in root.iter() if isinstance(e.tag, str) and e.get("eId")]
    assert len(ids) == len(set(ids))
    doc = root.find(f".//{A}attachments/{A}attachment/{A}doc")
    assert doc.get("name") == "annex"
    assert doc.find(f"{A}preface//{A}docTitle").text == "Terms of reference"
    this = doc.find(f".//{A}FRBRWork/{A}FRBRthis").get("value")
    assert this.endswith("/75-253C/!main/annex_1")
    # an annex's heading is a heading, as the UN marks it: num and subheading, no text
    ann_head = doc.find(f".//{A}mainBody/{A}paragraph[@class='H1']")
    assert ann_head.findtext(f"{A}num") == "I." and \
        ann_head.findtext(f"{A}subheading") == "Establishment"
    assert ann_head.find(f"{A}content") is None
    from pipeline.readers import akn as akn_reader
    back = akn_reader.read(xml, "t.xml").resolution.body.annexes[0].blocks[0]
    assert back.num == "I." and back.inlines == (Text("Establishment"),)
    assert not [w for w in warnings if w.code == "akn-node"]


def test_collection_of_components():
    base = Meta(symbol="A/RES/75/101 A-B", organ="GA", language="en", number="75/101",
                adopted="2020-12-10", title=(Text("Questions relating to information"),))
    comps = tuple(Component(letter, Meta(language="en", organ="GA", adopted="2020-12-10",
                                         letter=letter, title=(Text(f"Part {letter}"),)),
                            Body(operative=(Paragraph("1.", (Text("Requests"),),
                                                      (Text("things;"),)),),
                                 closing=Closing("41st plenary meeting", 41, "2020-12-10",
                                                 "10 December 2020")))
                  for letter in ("A", "B"))
    xml = write(Resolution(base, components=comps)).data
    assert validate(xml) == []
    assert _unresolved(xml) == []
    root = _root(xml)
    coll = root.find(f"{A}documentCollection")
    assert coll.get("name") == "publication"
    refs = coll.findall(f"{A}collectionBody/{A}component/{A}documentRef")
    assert [r.get("href") for r in refs] == ["#comp_1", "#comp_2"]
    sts = root.findall(f"{A}components/{A}component/{A}statement")
    assert len(sts) == 2
    assert sts[1].find(f"{A}preface/{A}p/{A}docNumber").text == "B"
    works = [s.find(f".//{A}FRBRWork/{A}FRBRthis").get("value") for s in sts]
    assert works == ["/akn/un/statement/deliberation/unga/2020-12-10/75-101A/!main/",
                     "/akn/un/statement/deliberation/unga/2020-12-10/75-101B/!main/"]
    assert coll.find(f".//{A}FRBRWork/{A}FRBRthis").get("value").endswith("/75-101A-B/!main/")


def test_text_never_padded_and_illegal_characters_dropped():
    meta = Meta(symbol="A/RES/1/1", organ="GA", language="fr", number="1/1", adopted="2000-01-01")
    res = Resolution(meta, Body(operative=(Paragraph(" 1. ", (Text("Décide"),),
                                                     (Text("d’agir\x0c."),)),)))
    xml = write(res).data
    assert validate(xml) == []
    root = _root(xml)
    assert root.findtext(f".//{A}paragraph/{A}num") == "1."
    assert "\x0c" not in xml.decode()


def test_unsupported_layout_is_a_warning_not_a_silent_drop():
    meta = Meta(symbol="A/RES/1/1", organ="GA", language="en", number="1/1", adopted="2000-01-01")
    stray = Recital((Text("Recalling"),), (Text("something,"),))
    written = write(Resolution(meta, Body(operative=(stray, Paragraph("1.", (), (Text("x."),))))))
    xml, warnings = written.data, written.diagnostics
    assert validate(xml) == []
    assert any(w.code == "akn-node" for w in warnings)
    assert "something," in "".join(_root(xml).find(f".//{A}mainBody").itertext())


def test_no_whitespace_added_inside_mixed_content(zh_xml):
    text = zh_xml.decode()
    # pretty-printing never puts a newline inside a <p>, <num> or heading
    for tag in ("p", "num", "heading", "docTitle"):
        for m in re.finditer(rf"<{tag}\b[^>]*>(.*?)</{tag}>", text, re.S):
            assert "\n" not in m.group(1), m.group(0)[:80]
