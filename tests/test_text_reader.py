"""The text reader (PDF-extracted plain text): each pass on small synthetic inputs, then
the whole reader on a synthetic document and on ../shared/corpus/pdf-text against the UN's
own markup (akn_compare)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import extractors
from conftest import CORPUS, need, need_program
from pipeline import lang, registry
from pipeline.ast import FootnoteRef, Paragraph, Superscript, Text, plain_text
from pipeline.errors import InternalError, PipelineError
from pipeline.readers.page.furniture import split_pages, to_lines
from pipeline.readers.page.lines import (SegLine, closing_lines, join_lines, joiner,
                                         masthead_lines, paragraphs, section_heading)
from pipeline.readers.page.notes import find_calls, read_notes
from pipeline.readers import text as reader

EN = lang.get("en")


def seg(texts: list[str], page: int = 0) -> list[SegLine]:
    return [SegLine((Text(t),) if t else (), i + 1, page) for i, t in enumerate(texts)]


# ---------------------------------------------------------------- furniture

PAGES = "\n".join([
    "United Nations ", "A/RES/78/6", " ", "General Assembly ", "23-21327 (E)    091123     ",
    "*2321327* ", " ", "Recalling its resolution 77/6 and all its previous relevant ",
    "resolutions, ", " ", "Recalling also that the Rome Statute1 reaffirms the purposes of the ",
    "__________________ ", " ", "1 United Nations, Treaty Series, vol. 2187, No. 38544. ", "",
    "A/RES/78/6 ", "Report of the International Criminal Court", " ", "23-21327", "2/5 ", " ",
    "Charter of the United Nations, ",
])


def test_split_pages_sets_apart_heads_job_numbers_barcodes_and_notes():
    pages = split_pages(to_lines(PAGES))
    assert len(pages) == 2
    body = [x.text.strip() for p in pages for x in p.body if x.text.strip()]
    assert "23-21327 (E)    091123" not in body and "*2321327*" not in body
    assert "2/5" not in body and "Report of the International Criminal Court" not in body
    assert body[-1] == "Charter of the United Nations,"
    assert [x.text.strip() for x in pages[0].notes if x.text.strip()] == \
        ["1 United Nations, Treaty Series, vol. 2187, No. 38544."]
    # every line is somewhere
    total = sum(len(p.body) + len(p.notes) + len(p.furniture) for p in pages)
    assert total == len(to_lines(PAGES))
    # the body of page 2 has no padding blank line
    assert not pages[1].body[0].blank


def test_a_page_number_alone_in_the_text_is_not_a_page_head():
    lines = to_lines("Recalling\nalso\nits\nresolution\n73/89\nof\n6 December\n")
    pages = split_pages(lines)
    assert len(pages) == 1
    assert [x.text for x in pages[0].body] == ["Recalling", "also", "its", "resolution", "73/89",
                                               "of", "6 December"]


# ---------------------------------------------------------------- notes and calls

def _calls(body: list[str], notes: list[str]):
    text = "\n".join(body + ["_______________", ""] + notes)
    pages = split_pages(to_lines(text))
    found = read_notes(pages)
    return found, {c.marker: pages[c.page].body[c.line].text[c.start:c.end]
                   for c in find_calls(pages, found)}


def test_notes_run_over_lines_and_are_numbered_in_sequence():
    notes, _ = _calls(["x"], ["1 Report of the Conference, Rio de Janeiro, ",
                              "3– 14 June 1992, vol. I.", "", "2  A/78/322."])
    assert [n.marker for n in notes] == ["1", "2"]
    assert [x.text for x in notes[0].lines][1].startswith("3– 14 June")


@pytest.mark.parametrize("line, call", [
    ("and INTERPOL1 and the Council", "1"),
    ("of 2 November 2024,1 in which", "1"),
    ("the Paris Agreement.1 We commit", "1"),
    ("the Relationship Agreement, 1  which provides", " 1"),
    ("the Convention on Biological Diversity 1  and the Sendai", " 1"),
    ("Committee dated 20 October 20251 and the Special", "1"),
    ("on general and complete disarmament, 1 and the Protocol", " 1"),
    ("for the Decade 2031–20401 and the Programme", "1"),
])
def test_calls_are_found_glued_or_spaced(line, call):
    _, calls = _calls([line], ["1 A note."])
    assert calls == {"1": call}


@pytest.mark.parametrize("line", [
    "its resolution 70/1 of 25 September 2015",
    "the draft A/78/L.1 as orally revised",
    "see paragraph 1 of the annex",
    "see para. 1 of the report",
])
def test_numbers_of_the_text_are_not_calls(line):
    _, calls = _calls([line], ["1 A note."])
    assert calls == {}


def test_calls_follow_each_other_in_order():
    _, calls = _calls(["Recalling the Agreement1 and the Statute,2 and the Convention",
                       "on Rights 3  and the Protocol1"], ["1 First.", "2 Second.", "3 Third."])
    assert calls == {"1": "1", "2": "2", "3": " 3"}


def test_a_number_after_a_singular_counting_noun_is_its_number_even_capitalized():
    # "Goal 4" is the Goal's number; the call is the spaced number on the next line
    text = "\n".join(["reach Sustainable Development Goal 4, while the", "role of family "
                      "farming 4 in contributing", "_______________", "", "4 Resolution."])
    pages = split_pages(to_lines(text))
    (call,) = find_calls(pages, read_notes(pages))
    assert (call.line, pages[0].body[1].text[call.start:call.end]) == (1, " 4")
    # a plural, or a title's last word, may still take the call
    _, calls = _calls(["the Sustainable Development Goals 4 and their targets,"],
                      ["4 Resolution 70/1."])
    assert calls == {"4": " 4"}


# ---------------------------------------------------------------- lines

@pytest.mark.parametrize("left, right, sep", [
    ("at its seventy-", "ninth session", ""),
    ("post-", "conflict societies", ""),
    ("zero- and low-", "emission", ""),
    ("accelerating zero-", "and low-emission", " "),
    ("Cambodia –", "residual functions", " "),
    ("the report,", "and", " "),
])
def test_joiner(left, right, sep):
    assert joiner(left, right) == sep


def test_join_lines_keeps_calls_and_text():
    lines = [SegLine((Text("the Rome Statute"), Superscript((Text("1"),)), Text(" reaffirms ")), 1, 0),
             SegLine((Text("the seventy-"),), 2, 0), SegLine((Text("ninth session"),), 3, 1)]
    inl = join_lines(lines)
    assert plain_text(inl) == "the Rome Statute1 reaffirms the seventy-ninth session"
    assert isinstance(inl[1], Superscript)


def test_paragraphs_split_at_blanks_numbers_and_page_turns():
    lines = seg(["Recalling its resolution,", "", "1.", "Welcomes the report;", "2.",
                 "Also welcomes the States;", "3. Decides to remain seized of the matter and"])
    lines += [SegLine((Text("to continue"),), 9, 1), SegLine((Text("4. Requests the report;"),), 10, 1),
              SegLine((Text(""),), 11, 1)]
    lines += [SegLine((Text("Invites the States;"),), 12, 2)]
    got = [" ".join(x.text for x in g) for g in paragraphs(lines, EN)]
    assert got == ["Recalling its resolution,", "1. Welcomes the report;",
                   "2. Also welcomes the States;",
                   "3. Decides to remain seized of the matter and to continue",
                   "4. Requests the report;", "Invites the States;"]


def test_a_page_turn_inside_a_sentence_does_not_cut_the_paragraph():
    lines = seg(["Urging all countries to accede to the Convention, encouraging Parties to "])
    lines += [SegLine((Text("implementation, committing to making the Convention"),), 9, 1)]
    assert len(paragraphs(lines, EN)) == 1


def test_masthead_lines_rejoin_the_adoption_line_and_keep_fields_apart():
    groups = [seg(["United Nations", "A/RES/78/6"]),
              seg(["Seventy-eighth session", "Agenda item 74", "Report of the International",
                   "Criminal Court"]),
              seg([" Resolution adopted by the General Assembly", "on 1 November 2023"]),
              seg(["78/46. The illicit trade in small arms and light weapons in all its", "aspects"])]
    got = [" ".join(x.text.strip() for x in g) for g in masthead_lines(groups, EN)]
    assert got == ["United Nations", "A/RES/78/6", "Seventy-eighth session", "Agenda item 74",
                   "Report of the International Criminal Court",
                   "Resolution adopted by the General Assembly on 1 November 2023",
                   "78/46. The illicit trade in small arms and light weapons in all its aspects"]


def test_closing_lines_and_section_headings():
    assert len(closing_lines(seg(["25th plenary meeting", "1 November 2023"]), EN)) == 2
    assert closing_lines(seg(["25th plenary meeting and more", "1 November 2023"]), EN) is None
    assert section_heading(seg(["II", "Implementation of the Durban Declaration"]), EN)
    assert not section_heading(seg(["II", "The Assembly decides."]), EN)


# ---------------------------------------------------------------- the reader

DOC = "\n".join([
    "United Nations ", "A/RES/78/6", " ", "General Assembly ", "Distr.: General ",
    "2 November 2023 ", " ", "23-21327 (E)    091123     ", "*2321327* ", " ",
    "Seventy-eighth session ", "Agenda item 74 ", "Report of the International Criminal Court ",
    " ", " Resolution adopted by the General Assembly ", "on 1 November 2023  ", " ",
    "[without reference to a Main Committee (A/78/L.6)] ", " ",
    "78/6. Report of the International Criminal Court ", " ", "The General Assembly, ", " ",
    "Recalling its resolution 77/6 of 2 November 2022, ", " ",
    "Recalling also that the Rome Statute of the International Criminal Court1 ",
    "reaffirms the purposes and principles of the Charter of the United Nations, ",
    "including the prohibition of the illegal use of force at its seventy-",
    "__________________ ", " ", "1 United Nations, Treaty Series, vol. 2187, No. 38544. ", "",
    "A/RES/78/6 ", "Report of the International Criminal Court", " ", "23-21327", "2/2 ", " ",
    "ninth session, ", " ", "1. ", "Welcomes the report of the Court for 2022/23; ", " ",
    "2. Calls upon all States: ", " ", "(a) ", "To cooperate; ", " ", "(b) ", "To ratify; ", " ",
    "25th plenary meeting ", "1 November 2023 ", " ",
])


def test_reader_builds_the_resolution():
    parsed = reader.read(DOC.encode(), "A_RES_78_6.txt")
    res = parsed.resolution
    m = res.meta
    assert (m.symbol, m.number, m.session, m.adopted, m.meeting) == \
        ("A/RES/78/6", "78/6", 78, "2023-11-01", 25)
    assert m.proponent.kind == "noMainCommittee" and m.proponent.drafts == ("A/78/L.6",)
    assert plain_text(m.title) == "Report of the International Criminal Court"
    assert m.agenda_items[0].title == "Report of the International Criminal Court"
    rec = res.body.preamble.recitals
    assert [plain_text(r.lead) for r in rec] == ["Recalling", "Recalling also"]
    body = plain_text(rec[1].body)
    assert body.endswith("at its seventy-ninth session,") and "23-21327" not in body
    notes = [n for n in rec[1].body if isinstance(n, FootnoteRef)]
    assert [n.marker for n in notes] == ["1"]
    assert plain_text(notes[0].blocks[0].inlines) == \
        "United Nations, Treaty Series, vol. 2187, No. 38544."
    ops = res.body.operative
    assert [o.num for o in ops] == ["1.", "2."] and all(isinstance(o, Paragraph) for o in ops)
    assert plain_text(ops[0].lead) == "Welcomes"
    assert [i.label for i in ops[1].items] == ["(a)", "(b)"]
    assert not [d for d in parsed.diagnostics if d.code.startswith("footnote")]


def test_registry_reads_txt_with_the_text_reader():
    assert registry.reader_for("x.txt") is reader.read


# ---------------------------------------------------------------- other extractors' text
# (pdftotext, pdfplumber, pypdfium2: form feeds, no blank lines, heads run together,
# markers apart from their notes, spaced calls); the texts below are made up.

def test_a_form_feed_is_a_page_break_and_the_running_head_and_foot_are_furniture():
    text = ("99/17. Conservation of alpine glaciers\nThe General Assembly,\n"
            "Recalling its resolution 98/5 on mountain ecosystems and noting that\n"
            "2/3 99-12345\fA/RES/99/17 Conservation of alpine glaciers\n"
            "glaciers are retreating,\n")
    pages = split_pages(to_lines(text))
    assert len(pages) == 2
    assert [x.text for x in pages[1].body] == ["glaciers are retreating,"]
    assert "2/3 99-12345" in [x.text for x in pages[0].furniture]
    assert "A/RES/99/17 Conservation of alpine glaciers" in [x.text for x in pages[1].furniture]
    # every line is somewhere
    total = sum(len(p.body) + len(p.notes) + len(p.furniture) for p in pages)
    assert total == len(to_lines(text))


def test_a_running_head_over_several_lines_ends_with_the_title():
    # pdftotext: the symbol, then the title over two lines, then the body, whose first
    # line happens to repeat words of the title
    text = ("99/17. Conservation of alpine glaciers and of the\nsnow cover of mountains\n"
            "The General Assembly,\nRecalling its resolution 98/5,\n\f"
            "A/RES/99/17\n\nConservation of alpine glaciers and of the\nsnow cover of mountains\n\n"
            "snow cover of mountains is declining,\n\n99-12345\n\n2/2\n")
    pages = split_pages(to_lines(text))
    assert [x.text for x in pages[1].body] == ["snow cover of mountains is declining,"]
    assert "2/2" in [x.text for x in pages[1].furniture]


def test_without_page_breaks_a_run_of_foot_and_head_lines_is_one():
    text = ("99/17. Conservation of alpine glaciers\nThe General Assembly,\n"
            "Recalling its resolution 98/5 on mountain ecosystems and noting that\n"
            "2/3 99-12345\nA/RES/99/17 Conservation of alpine glaciers\n"
            "glaciers are retreating,\n")
    pages = split_pages(to_lines(text))
    assert len(pages) == 2
    assert [x.text for x in pages[1].body] == ["glaciers are retreating,"]


def test_paragraphs_open_without_blank_lines():
    got = [" ".join(x.text for x in g) for g in paragraphs(seg([
        "The General Assembly,",
        "Recalling its resolution 98/5 on the protection of mountain ecosystems,",
        "Noting with concern that the glaciers of many regions retreat faster than",
        "expected, and that the Secretariat",
        "Conservation Unit has reported on the matter in paragraph 3",
        "(a) of its report,",
        "1. Decides to convene a conference on glaciers in 2030;",
        "2. Requests the Secretary-General:",
        "(a) To report on the matter to the Assembly at its next session;",
        "(b) To consult the States concerned;",
        "Invites the States to continue their cooperation on the matter.",
    ]), EN)]
    assert got == [
        "The General Assembly,",
        "Recalling its resolution 98/5 on the protection of mountain ecosystems,",
        "Noting with concern that the glaciers of many regions retreat faster than expected, "
        "and that the Secretariat Conservation Unit has reported on the matter in paragraph 3 "
        "(a) of its report,",
        "1. Decides to convene a conference on glaciers in 2030;",
        "2. Requests the Secretary-General:",
        "(a) To report on the matter to the Assembly at its next session;",
        "(b) To consult the States concerned;",
        "Invites the States to continue their cooperation on the matter.",
    ]


def test_a_short_line_that_ends_a_sentence_ends_its_paragraph():
    lines = seg(["Acclaiming the work of the scientists who have measured the glaciers over",
                 "the decades.",
                 "Acclaiming also the work of the volunteers who have kept the records of",
                 "the snow cover over many decades. Their records are in the archives",
                 "Acclaiming further the support of the Governments that fund the work"])
    got = [len(g) for g in paragraphs(lines, EN)]
    assert got == [2, 3]       # a full line ending a sentence does not end the paragraph


def test_a_blank_line_inside_a_widely_spaced_line_does_not_cut_the_paragraph():
    lines = seg(["Recalling also the reopening of", "the consultations in 2031,", "",
                 "public", "", "Noting the report,"])
    assert [len(g) for g in paragraphs(lines, EN)] == [3, 1]


def test_notes_whose_markers_stand_apart_from_their_texts():
    # pdftotext's reading order: the first markers after the texts, the others before
    notes, calls = _calls(
        ["the Convention on glaciers 1 and the Protocol, 2 and the Charter 3 of the Alps"],
        ["Report of the Conference on Glaciers, Geneva,", "1–3 May 2029.", "Ibid., para. 4.",
         "3", "A/99/200.", "1", "2"])
    assert [(n.marker, " ".join(x.text for x in n.lines)) for n in notes] == [
        ("1", "Report of the Conference on Glaciers, Geneva, 1–3 May 2029."),
        ("2", "Ibid., para. 4."), ("3", "A/99/200.")]
    assert calls == {"1": " 1", "2": " 2", "3": " 3"}


def test_notes_with_the_marker_on_a_line_of_its_own():
    notes, _ = _calls(["x"], ["1 Resolution 98/5.", "2", "Ibid., annex.", "3", "A/99/200."])
    assert [(n.marker, [x.text for x in n.lines]) for n in notes] == [
        ("1", ["Resolution 98/5."]), ("2", ["Ibid., annex."]), ("3", ["A/99/200."])]


def test_a_number_opening_a_line_of_a_note_that_goes_on_is_no_marker():
    # "Geneva," then "3 – 14 May 2029, ...": the range goes on; note 3 comes after
    for second in ("3 – 14 May 2029, vol. I, annex.", "3 May 2029, vol. I, annex."):
        notes, _ = _calls(["the Convention 1 and the Report 2 and the Protocol 3 of"],
                          ["1 Resolution 98/5.", "2 Report of the Conference on Glaciers, "
                           "Geneva,", second, "", "3 Ibid., annex II."])
        assert [(n.marker, " ".join(x.text for x in n.lines)) for n in notes] == [
            ("1", "Resolution 98/5."),
            ("2", "Report of the Conference on Glaciers, Geneva, " + second),
            ("3", "Ibid., annex II.")]


def test_a_running_head_whose_title_wraps_one_word_onto_a_line_is_furniture():
    # no page breaks: the head's title ends with one word on a line of its own
    text = ("99/17. Conservation of alpine glaciers and snow\nThe General Assembly,\n"
            "Recalling its resolution 98/5 on mountain ecosystems,\n"
            "_______________\n\n1 A/99/200.\n\nA/RES/99/17\n"
            "Conservation of alpine glaciers and\nsnow\n \n99-12345\n2/3\n \n"
            "Noting that glaciers are retreating,1\n")
    pages = split_pages(to_lines(text))
    assert len(pages) == 2
    assert [x.text for x in pages[0].notes if not x.blank] == ["1 A/99/200."]
    assert [x.text for x in pages[1].body] == ["Noting that glaciers are retreating,1"]


def test_notes_without_a_rule_are_the_numbered_lines_at_the_page_foot():
    head = ("99/17. Conservation of alpine glaciers\nThe General Assembly,\n"
            "Recalling the Convention on glaciers,1 and its resolution 98/5 of 2043,\n"
            "Noting the report of the Secretary-General on glaciers,2\n")
    pages = split_pages(to_lines(head + "1 United Nations, Treaty Series, vol. 9999.\n"
                                        "2 A/99/300.\n\fA/RES/99/17 Conservation of alpine "
                                        "glaciers\n2/2 99-12345\n1. Decides to act;\n"))
    assert [x.text for x in pages[0].notes if not x.blank] == [
        "1 United Nations, Treaty Series, vol. 9999.", "2 A/99/300."]
    assert [n.marker for n in read_notes(pages)] == ["1", "2"]
    # a closing date is no note
    pages = split_pages(to_lines(head + "50th plenary meeting\n1 December 2044\n"))
    assert pages[0].notes == [] and pages[0].body[-1].text == "1 December 2044"


def test_a_marker_without_text_is_a_note_without_text_not_a_crash():
    notes, _ = _calls(["x"], ["1", "2"])
    assert [(n.marker, n.lines) for n in notes] == [("1", []), ("2", [])]


@pytest.mark.parametrize("body, call", [
    (["the resolutions adopted on 4 March 2031,", "1 12/5 of 6 May 2032"], "1"),
    (["the resolutions adopted on 4 March 2031,", "1 July 2032 and 12/5"], None),
])
def test_a_call_that_opens_the_next_line(body, call):
    _, calls = _calls(body, ["1 A/99/100."])
    assert calls == ({"1": call} if call else {})


PYPDFIUM_LIKE = "\r\n".join([
    "United Nations A/RES/99/17", "General Assembly Distr.: General", "9 December 2044",
    "99-12345 (E) 101244 ", "*9912345*", "Ninety-ninth session", "Agenda item 12",
    "Protection of the environment", "Resolution adopted by the General Assembly ",
    "on 8 December 2044 ", "[without reference to a Main Committee (A/99/L.7)]",
    "99/17. Conservation of alpine glaciers", "The General Assembly,",
    "Recalling its resolution 98/5 on mountain ecosystems and the Convention on ",
    "glaciers,1", "Noting with concern that glaciers retreat, ",
    "1. Decides to convene a conference on glaciers;",
    "__________________", "1 A/98/100.\fA/RES/99/17 Conservation of alpine glaciers",
    "2/2 99-12345", "2. Requests the Secretary-General: ", "(a) To report;",
    "(b) To consult the States concerned.", "50th plenary meeting", "8 December 2044",
])


def test_reader_reads_text_without_blank_lines_with_form_feeds():
    parsed = reader.read(PYPDFIUM_LIKE.encode(), "x.txt")
    res = parsed.resolution
    assert (res.meta.symbol, res.meta.number, res.meta.adopted, res.meta.meeting) == \
        ("A/RES/99/17", "99/17", "2044-12-08", 50)
    assert plain_text(res.meta.title) == "Conservation of alpine glaciers"
    rec = res.body.preamble.recitals
    assert [plain_text(r.lead) for r in rec] == ["Recalling", "Noting with concern"]
    notes = [n for n in rec[0].body if isinstance(n, FootnoteRef)]
    assert [plain_text(n.blocks[0].inlines) for n in notes] == ["A/98/100."]
    ops = res.body.operative
    assert [o.num for o in ops] == ["1.", "2."]
    assert [i.label for i in ops[1].items] == ["(a)", "(b)"]
    assert "99-12345" not in plain_text(ops[1].items[0].body)


# ---------------------------------------------------------------- corpus

#: documents that do not match exactly, and why (checked to still fail: remove when fixed)
KNOWN: dict[str, str] = {
    "A_RES_79_1": "the UN's markup gives the section headings II-V of the Pact as list points "
                  "(4 'items' we read as headings)",
}


EXTRACTORS = ("corpus", *extractors.EXTRACTORS)


@pytest.mark.corpus
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_corpus_scores(akn_compare, tmp_path, extractor):
    """The 23 PDFs, as the corpus' own text or as each extractor gives them, score alike."""
    ref = need(CORPUS / "pdf-text" / "akn")
    if extractor == "corpus":
        sources = {p.stem: p.read_bytes() for p in sorted(need(CORPUS / "pdf-text" / "txt")
                                                         .glob("*.txt"))}
    else:
        if extractor.startswith("pdftotext"):
            need_program("pdftotext", "poppler-utils")
        sources = {p.stem: extractors.extract(extractor, p).encode("utf-8")
                   for p in sorted(need(CORPUS / "pdf-text" / "pdf").glob("*.pdf"))}
    write, _ = registry.writer_for("akn")
    rows = {}
    for stem, data in sources.items():
        out = tmp_path / f"{stem}.akn.xml"
        out.write_bytes(write(reader.read(data, f"{stem}.txt").resolution).data)
        rows[stem] = akn_compare.compare(akn_compare.signature(str(ref / f"{stem}.xml")),
                                         akn_compare.signature(str(out)))
    assert len(rows) == 23
    exact = [s for s, r in rows.items() if r["exact"]]
    assert sorted(set(rows) - set(exact)) == sorted(KNOWN), \
        {s: r for s, r in rows.items() if not r["exact"]}
    assert len(exact) / len(rows) >= 22 / 23
    sound = [r for s, r in rows.items() if s not in KNOWN]
    for m in ("op_text", "pre_text", "fn_text"):
        assert sum(r[m] for r in sound) / len(sound) >= 0.995, m
    assert sum(r["fn_place"] for r in sound) / len(sound) == 1.0
    assert sum(r["leads"] for r in sound) / len(sound) >= 0.98


def _damaged(lines: list[str], how: str, rng: random.Random) -> list[str]:
    if how == "shuffled":
        out = lines[:]
        rng.shuffle(out)
        return out
    if how == "truncated":
        return lines[:rng.randrange(1, len(lines))] + \
            [x[:rng.randrange(0, len(x) + 1)] for x in lines[-3:]]
    return [x for x in lines if x.strip()]          # blank lines removed


@pytest.mark.corpus
@pytest.mark.parametrize("how", ["shuffled", "truncated", "no-blank-lines"])
def test_damaged_text_never_raises_anything_but_a_pipeline_error(how):
    txt = need(CORPUS / "pdf-text" / "txt")
    for src in sorted(Path(txt).glob("*.txt")):
        rng = random.Random(f"{how}:{src.stem}")
        lines = src.read_text(encoding="utf-8").split("\n")
        data = "\n".join(_damaged(lines, how, rng)).encode("utf-8")
        try:
            reader.read(data, src.name)
        except InternalError:
            raise
        except PipelineError as e:
            assert e.span.file == src.name and e.span.line >= 1


# ---------------------------------------------------------------- calls out of shape

@pytest.mark.parametrize("body, notes, calls", [
    # glued to a number: the only place for the call between its neighbours' calls
    (["the Rio Declaration5 and Agenda 216 and the Plan of Implementation7"],
     ["5 A.", "6 B.", "7 C."], {"5": "5", "6": "6", "7": "7"}),
    (["recalling the Nutrition Decade (2016–2025)1 and the Convention (No. 181)2 and"],
     ["1 A.", "2 B."], {"1": "1", "2": "2"}),
    (["on COVID-191 and the Declaration on HIV/AIDS2 and"], ["1 A.", "2 B."],
     {"1": "1", "2": "2"}),
    # glued to the word after it, or opening the next line before a lower-case word
    (["the Paris Agreement1and its entry into force,"], ["1 A."], {"1": "1"}),
    (["the relevant States Parties,", "1and welcomes the adoption"], ["1 A."], {"1": "1"}),
    (["Acknowledging that INTERPOL has been a key actor since 1923 in enabling and",
      "1  including through"], ["1 A."], {"1": "1"}),
    # two calls together
    (["in a single conflict,1,2 and in"], ["1 A.", "2 B."], {"1": "1", "2": "2"}),
])
def test_calls_out_of_shape_are_placed_in_order(body, notes, calls):
    _, found = _calls(body, notes)
    assert {k: v.strip() for k, v in found.items()} == calls


def test_a_glued_call_goes_where_the_document_prints_the_number_without_it():
    # "61/29" and "59/3009" both end in 9: the document prints "59/300" elsewhere
    body = ["Recalling its resolution 61/29 of 4 December 2006, and the report of",
            "the Group established pursuant to its resolution 59/3009 and the reports",
            "of the Committee,10 as well as resolution 59/300 itself,"]
    _, found = _calls(body, ["9 See A/60/980.", "10 A/62/54."])
    assert found == {"9": "9", "10": "10"}
    pages = split_pages(to_lines("\n".join(body + ["_______________", "",
                                                   "9 See A/60/980.", "10 A/62/54."])))
    calls = find_calls(pages, read_notes(pages))
    assert [(c.marker, c.line) for c in calls] == [("9", 1), ("10", 2)]


@pytest.mark.parametrize("line", [
    "from 24 to 28 August 2026 in Geneva",      # a date's day
    "adopted on 4 March 2031 in Geneva",        # the last digit of a year
    "at its 21st meeting in Geneva",            # an ordinal
])
def test_a_glued_number_that_is_a_date_a_year_or_an_ordinal_is_no_call(line):
    _, found = _calls([line, "and the Parties,"], ["1 A."])
    assert found == {}


# ---------------------------------------------------------------- page turns and titles

def _paras(lines: list[tuple[str, int]]):
    from pipeline.readers.page.lines import SegLine, paragraphs

    segs = [SegLine((Text(t),) if t else (), k + 1, page) for k, (t, page) in enumerate(lines)]
    return [" ".join(x.text for x in g) for g in paragraphs(segs, lang.get("en"))]


def test_a_paragraph_number_without_its_full_stop_opens_the_next_paragraph():
    got = _paras([("25. Recalls the conclusions of the Rapporteur;", 0), ("", 0),
                  ("26", 0), ("", 0), ("Condemns without reservation any denial;", 0)])
    assert got == ["25. Recalls the conclusions of the Rapporteur;",
                   "26. Condemns without reservation any denial;"]


def test_a_paragraph_number_without_its_full_stop_before_a_lead_opens_a_paragraph():
    got = _paras([("25. Recalls the conclusions of the Rapporteur;", 0),
                  ("26 Condemns without reservation any denial;", 0)])
    assert got == ["25. Recalls the conclusions of the Rapporteur;",
                   "26. Condemns without reservation any denial;"]


def test_without_blank_lines_a_lead_known_by_its_shape_opens_a_paragraph():
    got = _paras([("Recalling its resolution 98/5 on the protection of mountain", 0),
                  ("ecosystems,", 0),
                  ("Solemnly proclaiming the need to protect the glaciers of all", 0),
                  ("regions,", 0),
                  ("Expressing its abhorrence at the loss of glaciers,", 0),
                  ("Recalling the Convention on the Prohibition of the Development,", 0),
                  ("Stockpiling and Use of Chemical Weapons,", 0),
                  ("Having considered the report of the Committee,", 0),
                  ("Approves the report of the Committee.", 0)])
    assert [g.split()[0] for g in got] == ["Recalling", "Solemnly", "Expressing", "Recalling",
                                           "Having", "Approves"]


def test_the_meeting_line_closes_a_paragraph_that_ends_with_a_question():
    got = _paras([("Decides to request the Court to render an opinion on the question:", 0),
                  ("what are the obligations of the State?", 0),
                  ("54th plenary meeting", 0), ("19 December 2024", 0)])
    assert got == ["Decides to request the Court to render an opinion on the question: "
                   "what are the obligations of the State?",
                   "54th plenary meeting 19 December 2024"]   # (closing_lines cuts it)


def test_an_item_label_alone_on_its_line_opens_the_item():
    got = _paras([("(b) Leveraging the power of science to fight vulnerabilities,", 0),
                  ("(c)", 0), ("", 0), ("Supporting structural transformation,", 0), ("", 0),
                  ("(d) Enhancing international trade,", 0)])
    assert got == ["(b) Leveraging the power of science to fight vulnerabilities,",
                   "(c) Supporting structural transformation,", "(d) Enhancing international trade,"]


def test_a_last_line_set_between_number_and_text_is_put_back():
    got = _paras([("16. Requests the Secretary-General to report;", 0), ("17.", 0),
                  ("session.", 0), ("", 0),
                  ("Decides to continue its consideration of the question at its eighty-first", 0),
                  ("", 0), ("53rd plenary meeting", 0)])
    assert got[1] == "17. Decides to continue its consideration of the question at its " \
        "eighty-first session."


def test_the_formula_s_words_ending_a_recital_line_are_no_formula():
    got = _paras([("Recalling paragraph 58 of the Final Document of the session of", 0),
                  ("the General Assembly,", 0),
                  ("in which it is stated that all States should act,", 0)])
    assert len(got) == 1


def test_a_title_alone_at_a_page_top_and_a_glued_rule_are_furniture():
    text = "\n".join([
        "78/34. Implementation of the Convention on the Prohibition",
        "", "The General Assembly,", "",
        "Recalling that article I of the Convention binds each State1 and that its",
        "States parties have met, and recalling further that the treaty allows cross______________",
        "1 United Nations, Treaty Series, vol. 1.",
        "\f" "Implementation of the Convention on the Prohibition", "",
        "border measures,", "",
        "Reaffirming the Convention,", "",
        "A/RES/78/34", "",
        "Welcoming the treaty,"])
    pages = split_pages(to_lines(text))
    body = [x.text for p in pages for x in p.body if not x.blank]
    assert "Implementation of the Convention on the Prohibition" not in body
    assert "A/RES/78/34" not in body
    assert "States parties have met, and recalling further that the treaty allows cross" in body
    assert [x.text for x in pages[0].notes if not x.blank] == \
        ["1 United Nations, Treaty Series, vol. 1."]


def test_a_recital_going_on_at_a_page_top_is_not_cut_at_a_lead_word():
    got = _paras([("Welcoming the convening of the Conference on the Review of the", 0),
                  ("Objectives of the International Decade for Action, in 2028,", 1)])
    assert len(got) == 1


def test_a_recital_after_one_ending_with_a_comma_opens_at_a_page_top():
    got = _paras([("Acknowledging, moreover, the statement of the Secretary-General,", 0),
                  ("Having noted that the Secretary-General, in a letter, has again", 1),
                  ("brought the situation to the attention of the Assembly,", 1)])
    assert len(got) == 2 and got[1].startswith("Having noted")


def test_a_title_line_in_lower_case_goes_on_with_the_title():
    from pipeline.readers.page.furniture import find_title

    texts = ["78/129. Promotion of interreligious and intercultural dialogue,",
             "understanding and cooperation for peace", "", "The General Assembly,"]
    assert find_title(texts, lang.get("en")) == ("78/129", [0, 1])


def test_title_words_before_a_page_join_are_body_not_head():
    text = "\n".join([
        "78/34. Implementation of the Convention on the Prohibition",
        "", "The General Assembly,", "",
        "2. Recalls that article I of the Convention on the Prohibition of",
        "the Convention on the Prohibition",
        "",
        "Implementation of the Convention on the Prohibition",
        "A/RES/78/34", " ", "3/8", "25-19826 ",
        "their destruction provides that each State;"])
    pages = split_pages(to_lines(text))
    body = [x.text for p in pages for x in p.body]
    assert "the Convention on the Prohibition" in body
    assert "A/RES/78/34" not in body and "3/8" not in body


# ---------------------------------------------------------------- pdf-text-large sample

def large_sample() -> list[str]:
    """Every 30th document of pdf-text-large whose reference is sound (not in
    REFERENCE-FAULTS.tsv): a small, fixed sample of the 434 that the scripts sweep."""
    root = need(CORPUS / "pdf-text-large")
    faults = {line.split("\t")[0] for line in
              (root / "REFERENCE-FAULTS.tsv").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    stems = sorted(p.stem for p in (root / "akn").glob("*.xml"))
    return [s for s in stems if s not in faults][::30]


@pytest.mark.corpus
@pytest.mark.parametrize("source", ["txt", "pdf"])
def test_a_sample_of_pdf_text_large_is_exact(akn_compare, tmp_path, source):
    """The readers on documents they were not tuned on: the sample's structure is exact
    from the corpus text and from the PDF (scripts/evaluate_text.py and
    evaluate_pdf.py --set pdf-text-large sweep them all)."""
    root = CORPUS / "pdf-text-large"
    write, _ = registry.writer_for("akn")
    bad = {}
    for stem in large_sample():
        src = need(root / source / f"{stem}.{source}")
        out = tmp_path / f"{stem}.akn.xml"
        out.write_bytes(write(registry.reader_for(src.name)(src.read_bytes(), src.name)
                              .resolution).data)
        row = akn_compare.compare(akn_compare.signature(str(root / "akn" / f"{stem}.xml")),
                                  akn_compare.signature(str(out)))
        if not row["exact"]:
            bad[stem] = row
    assert not bad, bad


def test_an_annex_paragraphs_items_are_its_items():
    annexed = DOC + "\n".join([
        "Annex ", "Terms of the compact ", " ", "1. We commit to: ", " ",
        "(a) Build things; ", " ", "(b) Keep them. ", " ", "A closing word. ", " "])
    res = reader.read(annexed.encode(), "A_RES_78_6.txt").resolution
    (annex,) = res.body.annexes
    assert plain_text(annex.heading) == "Annex"
    first = annex.blocks[0]
    assert isinstance(first, Paragraph) and first.num == "1."
    assert [i.label for i in first.items] == ["(a)", "(b)"]
    assert plain_text(first.items[0].body) == "Build things;"
    assert plain_text(annex.blocks[-1].inlines) == "A closing word."
