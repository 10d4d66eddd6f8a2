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


# ---------------------------------------------------------------- unseen shapes (issue 11)

def _doc(body: str, title: str = "75/999. Financing of the Mission",
         formula: str = "*The General Assembly*,", closing: str = "50th plenary meeting  \n"
         "10 December 2020") -> str:
    before, _, after = body.rpartition("@@")
    return (f"Seventy-fifth session\n\nAgenda item 150\n\n## Resolution adopted by the "
            f"General Assembly on 10 December 2020\n\n### {title}\n\n{before}"
            f"{formula}\n\n{after}\n\n{closing}\n")


def test_a_part_letter_under_the_title_is_the_letter_and_its_note_goes_with_the_title():
    res, _ = parse(_doc("**B**<sup>1</sup>\n\n<sup>1</sup> Resolution 75/999 becomes "
                        "resolution 75/999 A.\n\n@@*Recalling* its resolution 74/1,\n\n"
                        "1. *Decides* to act;"))
    assert (res.meta.letter, res.meta.symbol) == ("B", "A/RES/75/999 B")
    assert isinstance(res.meta.title[-1], FootnoteRef)
    assert plain_text(res.body.preamble.recitals[0].lead) == "Recalling"


def test_a_title_line_that_runs_on_into_its_letter_and_note():
    res, _ = parse(_doc("*Recalling* its resolution 74/1,\n\n1. *Decides* to act;",
                        title="75/999. Common system B Resolution 75/999 becomes "
                              "resolution 75/999 A."))
    assert (res.meta.letter, plain_text(res.meta.title)) == ("B", "Common system")
    assert res.meta.symbol == "A/RES/75/999 B"
    assert [n.marker for n in res.meta.title if isinstance(n, FootnoteRef)] == ["1"]
    res, _ = parse(_doc("*Recalling* its resolution 74/1,\n\n1. *Decides* to act;",
                        title="75/999. Hepatitis B virus"))
    assert res.meta.letter == ""


def test_title_lines_with_a_bare_number_or_a_special_session():
    res, _ = parse(_doc("*Recalling* its resolution 74/1,\n\n1. *Decides* to act;",
                        title="76/240"))
    assert (res.meta.number, res.meta.symbol) == ("76/240", "A/RES/76/240")
    res, _ = parse(_doc("*Recalling* its resolution 74/1,\n\n1. *Decides* to act;",
                        title="ES-11/1. Aggression"))
    assert res.meta.symbol == "A/RES/ES-11/1"
    from pipeline.lang import get
    assert get("ar").symbol_number("د إ ط-11/1") == "ES-11/1"


@pytest.mark.parametrize("heading", ["**I**\n\n**Activities of the Office**",
                                     "II\n\nActivities of the Office",
                                     "**III Activities of the Office**"])
def test_a_section_heading_between_the_recitals_and_paragraph_1_is_a_heading(heading):
    res, _ = parse(_doc(f"*Recalling* its resolution 74/1,\n\n{heading}\n\n"
                        "1. *Decides* to act;\n\n2. *Requests* a report."))
    assert len(res.body.preamble.recitals) == 1
    sec = res.body.operative[0]
    assert isinstance(sec, Section) and plain_text(sec.heading) == "Activities of the Office"
    assert sec.num in ("I", "II", "III")
    assert [p.num for p in sec.children] == ["1.", "2."]


def test_the_next_number_without_its_full_stop_starts_that_paragraph():
    res, warnings = parse(_doc("*Recalling* its resolution 74/1,\n\n1. *Decides* to act;\n\n"
                               "2 *Requests* a report;\n\n3. *Decides* to remain seized."))
    assert [p.num for p in res.body.operative] == ["1.", "2.", "3."]
    assert any("operative-number-stop" in w for w in warnings)


def test_labels_go_on_after_z_with_doubled_letters():
    items = "\n\n".join(f"({c}) to act;" for c in "abcdefghijklmnopqrstuvwxyz")
    res, warnings = parse(_doc(f"*Recalling* its resolution 74/1,\n\n1. *Calls upon* "
                               f"States:\n\n{items}\n\n(aa) to report."))
    p = res.body.operative[0]
    assert len(p.items) == 27 and p.items[-1].label == "(aa)" and not p.tail
    assert not any("item-sequence" in w for w in warnings)


def test_a_list_resumes_after_unlabelled_sub_lines():
    res, _ = parse(_doc("*Recalling* its resolution 74/1,\n\n1. *Decides* that:\n\n"
                        "- (a) The dialogues will address these themes:\n\n"
                        "  - Dialogue 1: recovery;\n  - Dialogue 2: ambition;\n\n"
                        "- (b) Each dialogue will have two Co-Chairs."))
    p = res.body.operative[0]
    assert [i.label for i in p.items] == ["(a)", "(b)"] and not p.tail
    assert [plain_text(i.body) for i in p.items[0].items] == ["Dialogue 1: recovery;",
                                                             "Dialogue 2: ambition;"]


def test_lettered_lines_under_a_recital_stay_lines_of_that_recital():
    res, _ = parse(_doc("*Convinced* that the Convention contributes to:\n\n"
                        "(a) International peace and security,\n\n(b) Disarmament,\n\n"
                        "*Noting* the report,\n\n1. *Decides* to act;"))
    r = res.body.preamble.recitals
    assert [plain_text(x.lead) for x in r] == ["Convinced", "Noting"]
    assert plain_text(r[0].body).endswith("to:\n(a) International peace and security,\n"
                                          "(b) Disarmament,")


def test_a_quoted_question_belongs_to_its_recital_and_an_agenda_is_a_list():
    res, _ = parse(_doc("*Having considered* the item on the following question:\n\n"
                        "“Is it a test?”\n\n*Recalling* its resolution 74/1,\n\n"
                        "1. *Decides* to convene a conference;\n\n"
                        "2. *Approves* the following agenda:\n\n1. Opening\n\n2. Election\n\n"
                        "3. *Decides* to remain seized."))
    assert len(res.body.preamble.recitals) == 2
    ops = res.body.operative
    assert [p.num for p in ops] == ["1.", "2.", "3."]
    assert [i.label for i in ops[1].items] == ["1.", "2."]


def test_a_resolution_that_adopts_a_text_keeps_its_headings_and_lone_numbers():
    res, _ = parse(_doc("*Recalling* its resolution 74/1,\n\n*Adopts* the following "
                        "document:\n\n#### The programme\n\nI. **Introduction**\n\n1.\n\n"
                        "Since the beginning, the Organization has worked.\n\n2.\n\n"
                        "The Committee presents the programme."))
    ops = res.body.operative
    assert isinstance(ops[0], Paragraph) and ops[0].num == "" and \
        plain_text(ops[0].lead) == "Adopts"
    from pipeline.ast import Heading
    assert [type(n).__name__ for n in ops] == ["Paragraph", "Heading", "Heading", "Paragraph",
                                               "Paragraph"]
    # the adopted text's heading keeps its number as printed, as the UN's markup has it
    assert ops[2].num == "I." and ops[2].level == 2 and [p.num for p in ops[3:]] == ["1.", "2."]
    assert plain_text(ops[3].body).startswith("Since")
    assert isinstance(ops[1], Heading)


@pytest.mark.parametrize("formula, adopts", [
    ("The General Assembly", "Adopts"),           # as PDF-extracted text gives it
    ("*The General Assembly*", "*Adopts*"),
])
def test_a_resolution_whose_only_paragraph_adopts_the_text_of_its_annex(formula, adopts):
    res, _ = parse(_doc(f"{adopts} the Political Declaration, as contained in the annex to "
                        "the present resolution.\n\n28th plenary meeting\n\n4 November 2025"
                        "\n\nAnnex\n\n#### Political Declaration\n\n1.\n\nWe, Heads of State "
                        "and Government, have gathered in Doha.<sup>1</sup>\n\n<sup>1</sup> "
                        "Resolution 70/1.\n\n2.\n\nWe acknowledge the need to act.",
                        formula=formula, closing=""))
    body = res.body
    assert body.preamble.recitals == ()
    (op,) = body.operative
    assert op.num == "" and plain_text(op.lead) == "Adopts"
    assert (body.closing.meeting_number, body.closing.date) == (28, "2025-11-04")
    (annex,) = body.annexes
    assert plain_text(annex.title) == "Political Declaration"
    assert [b.num for b in annex.blocks] == ["1.", "2."]
    assert not list(iter_footnotes(op))


def test_bidi_marks_presentation_forms_and_marks_around_punctuation():
    src = _doc("***إذ تشير*** إلى قرارها 74/1،\n\n\u200f1 -\u200f ***تقرر*** أن تعمل؛\n\n"
               "(\ufeeb) بند؛\n\n2 **-** ***تطلب*** تقريرا؛\n\n3 ***- تدعو*** الدول.",
               title="75/999 تمويل البعثة", formula="***إن الجمعية العامة***،",
               closing="الجلسة العامة (المستأنفة) 56  \n10 كانون الأول/ديسمبر 2020")
    src = src.replace("Seventy-fifth session", "الدورة الخامسة والسبعون").replace(
        "Agenda item 150", "البند 150 من جدول الأعمال").replace(
        "## Resolution adopted by the General Assembly on 10 December 2020",
        "## قرار اتخذته الجمعية العامة في 10 كانون الأول/ديسمبر 2020")
    res, _ = parse(src, "t.ar.md")
    ops = res.body.operative
    assert [p.num for p in ops] == ["1 -", "2 -", "3 -"]
    assert [plain_text(p.lead) for p in ops] == ["تقرر", "تطلب", "تدعو"]
    assert ops[0].items[0].label == "(ه)"
    assert res.meta.meeting == 56


def test_literal_asterisks_around_cjk_punctuation_are_read_as_the_marks_they_are():
    res, _ = parse("第七十五届会议\n\n### 75/999. 特派团经费的筹措\n\n**大会**，\n\n"
                   "**感到震惊的是，**冲突仍在继续，\n\n1. **决定**采取行动，mutandis*,* 如此。\n\n"
                   "2020年12月10日\n", "t.zh.md")
    r = res.body.preamble.recitals[0]
    assert plain_text(r.lead) == "感到震惊的是" and plain_text(r.body).startswith("，冲突")
    assert "*" not in plain_text(res.body.operative[0].body)


def test_a_raw_block_with_other_inlines_keeps_every_other_field():
    from dataclasses import fields, replace

    from pipeline.ast import Cell, Para, Row, Span, Table, Text
    from pipeline.normalize.blocks import RawBlock

    values = {"kind": "heading", "inlines": (Text("a"),), "span": Span("f", 3, 4), "num": "2.",
              "depth": 2, "level": 3, "table": Table((Row((Cell((Para((Text("c"),)),)),)),)),
              "attrs": (("class", "x"),), "marker": "*"}
    assert set(values) == {f.name for f in fields(RawBlock)}  # a new field: give it a value
    block = RawBlock(**values)
    assert block.with_inlines((Text("b"),)) == replace(block, inlines=(Text("b"),))


def test_item_paragraphs_after_a_numbered_paragraph_become_its_items():
    from pipeline.ast import Heading, Para
    from pipeline.lang import get as get_lang
    from pipeline.normalize.items import attach_item_paras
    L = get_lang("en")
    blocks = [Para((Text("(a) Loose, no paragraph before;"),)),
              Paragraph("1.", (), (Text("We commit to:"),)),
              Para((Text("(a) Build;"),)), Para((Text("(i) small;"),)), Para((Text("(b) Keep."),)),
              Para((Text("Then a word."),)),
              Para((Text("(c) After the word: text."),)),
              Heading((Text("Next"),)),
              Paragraph("2.", (), (Text("Also:"),), tail=(Para((Text("a tail"),)),)),
              Para((Text("(a) After a tail: text."),))]
    out, moved, diags = attach_item_paras(blocks, L)
    assert [type(b).__name__ for b in out] == ["Para", "Paragraph", "Para", "Para", "Heading",
                                               "Paragraph", "Para"]
    p = out[1]
    assert [i.label for i in p.items] == ["(a)", "(b)"] and \
        [i.label for i in p.items[0].items] == ["(i)"]
    assert plain_text(p.items[1].body) == "Keep."
    assert len(moved) == 3 and not diags
    assert attach_item_paras([], L) == ([], [], [])


def test_a_headings_number_is_never_a_lead_phrase():
    from pipeline.lang import get as get_lang
    from pipeline.normalize.leads import split_lead
    for code in ("en", "fr", "es", "ru", "zh", "ar"):
        L = get_lang(code)
        for kind in ("preambular", "operative"):
            assert not [p for p in L.leads(kind)
                        if L.section_number(p.strip()) or L.annex_heading(p.strip())], code
    L = get_lang("en")
    assert split_lead((Text("II. Peace and security"),), L, "operative")[0] == ()
    assert plain_text(split_lead((Text("Decides to act;"),), L, "operative")[0]) == "Decides"


def test_a_chapter_heading_after_a_list_in_an_adopted_text_is_a_heading():
    from pipeline.ast import Heading
    res, _ = parse(_doc("*Adopts* the following pact:\n\n#### The Pact\n\n"
                        "1. We agree:\n\n(a) To begin;\n\n(b) To go on.\n\n"
                        "II. Peace and security\n\n2. We act."))
    ops = res.body.operative
    heads = [n for n in ops if isinstance(n, Heading)]
    assert [(h.num, plain_text(h.inlines)) for h in heads] == \
        [("", "The Pact"), ("II.", "Peace and security")]
    assert heads[1].level == 2
    assert [p.num for p in ops if isinstance(p, Paragraph)] == ["", "1.", "2."]
