"""The markdown reader and each normalizer pass, on small sources."""

from __future__ import annotations

import pytest

from pipeline.ast import (DocRef, FootnoteRef, Paragraph, Section, Recital, Text, iter_footnotes,
                          plain_text)
from pipeline.normalize.text import tidy_inlines
from pipeline.readers.markdown import read


def parse(src: str, path: str = "t.en.md"):
    p = read(src.encode("utf-8"), path)
    return p.resolution, [str(d) for d in p.diagnostics]


EN = """Seventy-first session

Agenda item 126

## Resolution adopted by the General Assembly on 21 November 2016

[without reference to a Main Committee (A/71/L.17 and Add.1)]

### 71/19. Cooperation between the United Nations and INTERPOL

*The General Assembly*,

*Recalling* its resolution 51/1 of 15 October 1996,

*Recalling also* the Cooperation Agreement of 1997,<sup>1</sup>

<sup>2</sup> Resolution 70/1.

Welcoming the contribution of INTERPOL to the 2030 Agenda,<sup>2</sup>

<sup>1</sup> United Nations, *Treaty Series*, vol. 1996, No. 1200.

1. *Calls for* strengthened cooperation;

2. *Encourages* Member States to use:

- (a) the I-24/7 system;
    - (b) its databases, including:
  - (i) the notices;
        - (ii) the analyses;
- (c) training;

3. *Decides* to include the item in the provisional agenda of its seventy-third session.

48th plenary meeting  
21 November 2016
"""


def test_masthead_lines_are_read():
    res, _ = parse(EN)
    m = res.meta
    assert (m.symbol, m.organ, m.session, m.adopted, m.meeting) == \
        ("A/RES/71/19", "GA", 71, "2016-11-21", 48)
    assert [a.number for a in m.agenda_items] == ["126"]
    assert m.proponent.kind == "noMainCommittee"
    assert m.proponent.drafts == ("A/71/L.17", "A/71/L.17/Add.1")
    assert plain_text(m.title) == "Cooperation between the United Nations and INTERPOL"


def test_stranded_notes_go_back_to_their_calls():
    res, diags = parse(EN)
    recitals = res.body.preamble.recitals
    assert len(recitals) == 3
    note1 = [n for n in recitals[1].body if isinstance(n, FootnoteRef)]
    note2 = [n for n in recitals[2].body if isinstance(n, FootnoteRef)]
    assert [n.marker for n in note1] == ["1"] and [n.marker for n in note2] == ["2"]
    assert plain_text(note1[0].blocks[0].inlines) == \
        "United Nations, Treaty Series, vol. 1996, No. 1200."
    # the note's own formatting survives; no note text is left in any paragraph
    assert "Treaty Series" not in plain_text(recitals[1].body)
    assert not any("footnote" in d for d in diags)


def test_unmarked_lead_comes_from_the_lexicon():
    res, _ = parse(EN)
    r = res.body.preamble.recitals[2]
    assert plain_text(r.lead) == "Welcoming"
    assert plain_text(r.body).startswith("the contribution")


def test_items_nest_by_label_not_by_indentation():
    res, _ = parse(EN)
    p = res.body.operative[1]
    assert [i.label for i in p.items] == ["(a)", "(b)", "(c)"]
    assert [i.label for i in p.items[1].items] == ["(i)", "(ii)"]
    assert plain_text(p.items[1].items[0].body) == "the notices;"


def test_operative_numbers_leads_and_closing():
    res, _ = parse(EN)
    ops = res.body.operative
    assert [p.num for p in ops] == ["1.", "2.", "3."]
    assert [plain_text(p.lead) for p in ops] == ["Calls for", "Encourages", "Decides"]
    c = res.body.closing
    assert (c.meeting_number, c.date, c.meeting) == (48, "2016-11-21", "48th plenary meeting")


def test_cited_resolutions_are_linked():
    res, _ = parse(EN)
    refs = [n for n in res.body.preamble.recitals[0].body if isinstance(n, DocRef)]
    assert [(r.symbol, plain_text(r.children)) for r in refs] == [("A/RES/51/1", "51/1")]


def test_lead_and_body_meet_without_whitespace():
    res, _ = parse(EN)
    body = res.body.preamble.recitals[0].body
    assert isinstance(body[0], Text) and body[0].text == "its resolution "


@pytest.mark.parametrize("text,expected", [
    ("自 1923 年以来", "自1923年以来"),
    ("第 70/1 号决议", "第70/1号决议"),
    ("《 2030年可持续发展议程》", "《2030年可持续发展议程》"),
    ("国际刑警组织 I-24/7 全球", "国际刑警组织I-24/7全球"),
    ("89 690 200 美元", "89 690 200美元"),
])
def test_chinese_extraction_spaces_go(text, expected):
    assert plain_text(tidy_inlines((Text(text),), tight=True)) == expected


@pytest.mark.parametrize("text", ["resolution 70/1 of 25 September 2015",
                                  "l’Assemblée\u00a0: 89 690 200 dollars"])
def test_spaces_in_other_languages_stay(text):
    assert plain_text(tidy_inlines((Text(text),), tight=False)) == text


def test_seed_shape_chinese():
    src = open("inputs/A_RES_71_19.zh.md", encoding="utf-8").read()
    res, _ = parse(src, "A_RES_71_19.zh.md")
    assert len(res.body.preamble.recitals) == 13
    assert len(res.body.operative) == 6
    assert [i.label for i in res.body.operative[2].items] == ["(a)", "(b)", "(c)", "(d)", "(e)"]
    notes = list(iter_footnotes(res))
    assert [n.marker for n in notes] == ["1", "2", "3"]
    assert plain_text(notes[1].blocks[0].inlines) == "第70/1号决议。"
    assert "1923年" in plain_text(res.body.preamble.recitals[5].body)
    # the seed prints the date above the meeting; both are read
    assert (res.body.closing.date, res.body.closing.meeting_number) == ("2016-11-21", 48)


def test_canonical_footnotes_front_matter_and_warnings():
    src = """---
symbol: A/RES/71/19
language: en
job_number: 16-20411 (E)
colour: blue
---
### 71/19. Title

*The General Assembly*,

*Recalling* its resolution,[^1]

1. *Decides* to act.

[^1]: A note.
"""
    res, diags = parse(src, "t.md")
    assert res.meta.job_number == "16-20411 (E)" and res.meta.language == "en"
    (note,) = list(iter_footnotes(res))
    assert plain_text(note.blocks[0].inlines) == "A note."
    assert any("'colour' is not known" in d for d in diags)


def test_raw_html_cannot_inject():
    src = "### 71/19. Title\n\n*The General Assembly*,\n\n<script>alert(1)</script>\n\n" \
          "*Recalling* <b onclick=x>x</b><iframe src=y></iframe> it,\n\n1. *Decides* to act.\n"
    res, diags = parse(src)
    text = plain_text(res.body.preamble.recitals[0].body)
    assert "alert" not in str(res) and "iframe" not in text and "<" not in text
    assert any("dropped" in d for d in diags)


def test_single_unnumbered_operative_paragraph():
    src = ("### 75/19. 全权证书\n\n大会，\n\n**审议了**全权证书委员会的报告，\n\n"
           "**核准**全权证书委员会的报告。\n\n第33次全体会议  \n2020年12月1日\n")
    res, _ = parse(src, "c.zh.md")
    assert len(res.body.preamble.recitals) == 1
    (op,) = res.body.operative
    assert op.num == "" and plain_text(op.lead) == "核准"


def test_sections_with_preambular_text():
    src = """### 75/253. Special subjects C

*The General Assembly*,

#### I. Revised estimates

#### *Recalling* its resolution 75/245 B,

1. *Takes note* of the report;

#### II. Flexible workplace

1. *Endorses* the conclusions.

88th plenary meeting  
30 June 2021
"""
    res, _ = parse(src)
    s1, s2 = res.body.operative
    assert isinstance(s1, Section) and (s1.num, plain_text(s1.heading)) == ("I", "Revised estimates")
    assert isinstance(s1.children[0], Recital) and isinstance(s1.children[1], Paragraph)
    assert res.meta.letter == "C" and res.meta.symbol == "A/RES/75/253 C"
    assert [p.num for p in s2.children] == ["1."]


def test_lookalike_first_number():
    src = "### 76/256. Day\n\n*The General Assembly*,\n\n*Noting* it,\n\nl. *Decides* to act;\n\n" \
          "2. *Invites* all.\n"
    res, diags = parse(src)
    assert [p.num for p in res.body.operative] == ["1.", "2."]
    assert any("read as" in d for d in diags)


def test_a_note_called_twice_stays_with_its_first_call():
    src = ("### 71/19. Title\n\n*The General Assembly*,\n\n*Recalling* its resolution,<sup>1</sup>\n\n"
           "<sup>1</sup> A note.\n\n*Noting* the same text,<sup>1</sup>\n\n1. *Decides* to act.\n")
    res, diags = parse(src)
    assert [n.marker for n in iter_footnotes(res)] == ["1"]
    assert any("called a second time" in d for d in diags)
    assert not any("has no note" in d for d in diags)


FLATTENED = """United Nations

General Assembly Distr.: General 3 December 2025

Seventy-first session Agenda item 126 Cooperation between the United Nations and regional organizations

Resolution adopted by the General Assembly on 21 November 2016

[without reference to a Main Committee (A/71/L.17)]

71/19. Cooperation between the United Nations and INTERPOL

The General Assembly,

Recalling its resolution 51/1 of 15 October 1996,

1. Calls for strengthened cooperation;

Decides to include the item in the provisional agenda of its seventy-third session.

48th plenary meeting 21 November 2016
"""


def test_masthead_fields_run_together_on_one_line_are_read():
    res, warnings = parse(FLATTENED)
    m = res.meta
    assert (m.organ, m.distribution, m.issued, m.session) == ("GA", "General", "2025-12-03", 71)
    assert [(a.number, a.title) for a in m.agenda_items] == \
        [("126", "Cooperation between the United Nations and regional organizations")]
    assert not [w for w in warnings if "masthead" in w]


def test_closing_on_one_line_is_read():
    res, _ = parse(FLATTENED)
    c = res.body.closing
    assert (c.meeting_number, c.date, c.meeting, c.date_text) == \
        (48, "2016-11-21", "48th plenary meeting", "21 November 2016")


def test_a_lost_operative_number_is_restored_with_a_warning():
    res, warnings = parse(FLATTENED)
    ops = res.body.operative
    assert [o.num for o in ops] == ["1.", "2."]
    assert plain_text(ops[1].lead) == "Decides" and not ops[0].extra
    assert any("operative-number-lost" in w and "'2.'" in w for w in warnings)


def test_text_after_a_list_is_not_taken_for_a_lost_number():
    src = FLATTENED.replace("Decides to include", "2. Decides to include").replace(
        "1. Calls for strengthened cooperation;",
        "1. Calls for strengthened cooperation:\n\n(a) on data;\n\n(b) on training;\n\n"
        "Requests the Secretary-General to report;")
    res, warnings = parse(src)
    ops = res.body.operative
    assert [o.num for o in ops] == ["1.", "2."]
    assert plain_text(ops[0].tail[0].inlines).startswith("Requests")
    assert not any("operative-number-lost" in w for w in warnings)


def test_a_distribution_line_with_more_after_it_is_not_read_as_distribution_alone():
    from pipeline.lang import get
    L = get("en")
    assert L.parse_distribution("Distr.: General") == "General"
    assert L.parse_distribution("Distr.: General 3 December 2025") is None
