"""The Akoma Ntoso reader: the UN's own files, the repairs, hostile XML."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.ast import (DocRef, Emphasis, FootnoteRef, Item, LineBreak, Link, Para, Paragraph,
                          Recital, Section, Strong, Subscript, Superscript, Table, Text,
                          from_json, iter_footnotes, plain_text, to_json)
from pipeline.errors import PipelineError, ReadError, StructureError
from pipeline.readers import akn

from conftest import CORPUS, SHARED, need

COMPARE = SHARED / "tools" / "akn_compare.py"


def _corpus_files() -> list[Path]:
    return sorted(list(CORPUS.glob("akn/*/*.xml")) + list(CORPUS.glob("seedlike/*/*.xml")))


FILES = _corpus_files()
FILE_IDS = [str(p.relative_to(CORPUS)) for p in FILES]


def _need_corpus() -> None:
    need(CORPUS / "akn")
    need(COMPARE)


def _read(path: Path):
    return akn.read(path.read_bytes(), str(path))


def _compare_module():
    spec = importlib.util.spec_from_file_location("akn_compare", COMPARE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


NS = 'xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"'


def _akn(main: str, preamble: str = "", extra: str = "") -> bytes:
    return (f'<akomaNtoso {NS}><statement name="resolution"><meta><identification source="#x">'
            '<FRBRWork>'
            '<FRBRthis value="/akn/un/statement/deliberation/unga/2020-12-01/75-19/!main/"/>'
            '<FRBRdate date="2020-12-01" name="adoption"/></FRBRWork>'
            '<FRBRExpression><FRBRlanguage language="eng"/></FRBRExpression>'
            f'</identification></meta>{extra}<preamble>{preamble}</preamble>'
            f'<mainBody>{main}</mainBody></statement></akomaNtoso>').encode("utf-8")


# ------------------------------------------------------------------ the corpus

@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES or [None], ids=FILE_IDS or ["no-corpus"])
def test_every_corpus_file_reads(path):
    _need_corpus()
    parsed = _read(path)
    res = parsed.resolution
    assert res.meta.symbol and res.meta.language in {"ar", "zh", "en", "fr", "ru", "es"}
    for meta, body in res.texts():
        assert body.operative, "no operative part"
        assert meta.adopted
    # the tree is a valid, deterministic tree
    assert from_json(to_json(res)) == res
    assert _read(path) == parsed
    for d in parsed.diagnostics:
        assert d.span.line > 0 and d.code.startswith("akn-")


# Where the reader is right and akn_compare's signature is not (the counts differ by design).
DEVIATIONS = {
    # preamble, mainBody, preamble, mainBody: signature reads only the first of each;
    # the meeting line is typed as a last paragraph of the body
    "seedlike/ara/A_RES_76_228-2119659A.xml": {"pre", "op", "footnotes", "meeting"},
    # operative paragraphs 1-4 typed in the preamble ("1.\t<b>表示注意到</b>")
    "seedlike/zho/A_RES_76_243-2119709C.xml": {"pre", "op", "items"},
}


def _paragraphs(nodes):
    for n in nodes:
        if isinstance(n, Paragraph):
            yield n
        elif isinstance(n, Section):
            yield from _paragraphs(n.children)


def _count_items(items) -> int:
    return sum(1 + _count_items(i.items) for i in items)


def _our_counts(res) -> dict:
    """Counts measured the way tools/akn_compare.py:signature() measures them."""
    pre = op = items = notes = 0
    for meta, body in res.texts():
        pre += len(body.preamble.recitals)
        paras = tuple(_paragraphs(body.operative))
        op += len(paras)
        items += sum(_count_items(p.items) for p in paras)
        # signature: notes in preamble containers, top paragraphs and the preface
        notes += len(list(iter_footnotes(body.preamble.recitals)))
        notes += len(list(iter_footnotes(paras))) + len(list(iter_footnotes(meta.title)))
    if res.components:
        notes += len(list(iter_footnotes(res.meta.title)))
    closing = res.texts()[0][1].closing
    meeting = closing.meeting_number if closing else None
    return {"pre": pre, "op": op, "items": items, "footnotes": notes,
            "symbol": res.meta.symbol.replace(" ", ""), "date": res.meta.adopted,
            "meeting": None if meeting is None else str(meeting), "lang": res.meta.language}


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES or [None], ids=FILE_IDS or ["no-corpus"])
def test_counts_agree_with_akn_compare(path):
    _need_corpus()
    ac = _compare_module()
    sig = ac.signature(str(path))
    lang3 = {"ara": "ar", "zho": "zh", "eng": "en", "fra": "fr", "rus": "ru", "spa": "es"}
    ref = {"pre": len(sig["preamble"]), "op": len(sig["operative"]), "items": sig["items"],
           "footnotes": sig["footnotes"], "symbol": sig["symbol"], "date": sig["date"],
           "meeting": sig["meeting"], "lang": lang3[sig["lang"]]}
    ours = _our_counts(_read(path).resolution)
    differ = {k for k in ref if ref[k] != ours[k]}
    expected = DEVIATIONS.get(str(path.relative_to(CORPUS)), set())
    assert differ == expected, {k: (ref[k], ours[k]) for k in differ | expected}


def _corpus_file(rel: str) -> Path:
    _need_corpus()
    return need(CORPUS / rel)


def test_recorded_vote():
    meta = _read(_corpus_file("akn/eng/ga_A-RES-75-46_eng.xml")).resolution.meta
    assert meta.voting.outcome == "adoptedRecordedVote"
    counts = {c.kind: c for c in meta.voting.counts}
    assert counts["inFavour"].value == 182 and len(counts["inFavour"].voters) == 182
    assert counts["abstaining"].value == 2
    assert counts["abstaining"].voters == ("ISRAEL", "UNITED STATES")
    assert meta.proponent.committee == "firstCommittee"
    assert meta.proponent.drafts == ("A/75/399",) and meta.proponent.reference == "para. 96"


def test_collection_has_two_components():
    res = _read(_corpus_file("akn/eng/ga_A-RES-75-101A-B_eng.xml")).resolution
    assert res.meta.symbol == "A/RES/75/101 A-B" and res.meta.number == "75/101"
    assert [c.letter for c in res.components] == ["A", "B"]
    a, b = res.components
    assert plain_text(a.meta.title) == "Information in the service of humanity"
    assert a.meta.meeting == 41 and a.body.closing.date == "2020-12-10"
    # component A: items typed as paragraphs, (i)-(iv) nested under (e)
    (urges,) = a.body.operative
    assert plain_text(urges.lead) == "Urges" and urges.num == ""
    assert [i.label for i in urges.items] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"]
    assert [i.label for i in urges.items[4].items] == ["(i)", "(ii)", "(iii)", "(iv)"]
    assert len(list(_paragraphs(b.body.operative))) > 40


def test_masthead_and_closing():
    parsed = _read(_corpus_file("akn/eng/ga_A-RES-75-19_eng.xml"))
    m = parsed.resolution.meta
    assert (m.symbol, m.organ, m.language, m.number) == ("A/RES/75/19", "GA", "en", "75/19")
    assert (m.distribution, m.issued, m.session, m.session_text) == \
        ("General", "2020-12-07", 75, "Seventy-fifth session")
    assert m.agenda_items[0].number == "3 (b)" and m.agenda_text == "Agenda item 3 (b)"
    assert m.agenda_items[0].title.startswith("Credentials of representatives")
    assert m.adoption_text == "Resolution adopted by the General Assembly on 1 December 2020"
    assert m.proponent.kind == "noMainCommittee" and m.proponent.drafts == ("A/75/606",)
    # the expression date repeats the issuance date, so it is kept once (as ``issued``)
    assert (m.adopted, m.issued, m.published, m.marked_up, m.job_number) == \
        ("2020-12-01", "2020-12-07", "", "2020-12-16", "20-16358 (E)")
    assert m.workflow[-1].outcome == "adopted" and m.workflow[-1].symbol == "A/75/PV.33"
    assert m.meeting == 33
    body = parsed.resolution.body
    assert body.preamble.formula == (Text("The General Assembly,"),)
    assert body.closing.meeting == "33rd plenary meeting" and body.closing.date_text == \
        "1 December 2020"
    (p,) = body.operative
    # the footnote stays at its place: after "Committee." and before nothing else
    assert p.lead == (Text("Approves"),)
    assert p.body[0] == Text("the report of the Credentials Committee.")
    note = p.body[1]
    assert isinstance(note, FootnoteRef) and note.marker == "1"
    assert note.blocks[0].inlines[0] == DocRef("A/75/606", (Text("A/75/606"),))


def test_arabic_numbers_typed_as_text_are_moved():
    parsed = _read(_corpus_file("akn/ara/75_10_A.xml"))
    paras = list(_paragraphs(parsed.resolution.body.operative))
    assert [p.num for p in paras[:3]] == ["1 -", "2 -", "3 -"]
    assert plain_text(paras[0].lead) == "تدعو"
    assert any(d.code == "akn-num-in-text" for d in parsed.diagnostics)
    assert [i.label for i in paras[12].items] == ["(أ)", "(ب)", "(ج)", "(د)", "(ه)"]


def test_sections_with_preambular_crossheadings():
    res = _read(_corpus_file("akn/eng/ga_A-RES-75-253C_eng.xml")).resolution
    assert res.meta.letter == "C" and res.meta.symbol == "A/RES/75/253 C"
    s1, s2 = res.body.operative
    assert isinstance(s1, Section) and s1.num == "I" and isinstance(s1.children[0], Recital)
    assert s1.children[0].lead == (Text("Recalling"),)
    assert [type(c).__name__ for c in s2.children].count("Paragraph") == 5


def test_annex_with_table():
    res = _read(_corpus_file("akn/eng/75_249_E.xml")).resolution
    (annex,) = res.body.annexes
    assert plain_text(annex.title).startswith("Financing of the International Residual")
    table = annex.blocks[0]
    assert isinstance(table, Table) and len(table.rows) == 16
    assert table.rows[0].cells[0].header


def test_a_table_cell_keeps_the_bold_of_its_figures():
    """The UN bolds a total's figures; a bold run with no letter elsewhere (an italic or
    bold comma) gives its children, in a table cell it stays."""
    main = ('<paragraph><content><p>Decides<b>,</b> as follows:</p>'
            '<table><tr><td><p><span class="bold">\tTotal for 2026</span></p></td>'
            '<td><p><span class="bold">1 234 500 </span></p></td></tr></table>'
            '</content></paragraph>')
    res = akn.read(_akn(main), "t.xml").resolution
    para = res.body.operative[0]
    assert not any(isinstance(n, Strong) for n in para.lead + para.body), para
    tables = [b for p in res.body.operative for b in getattr(p, "extra", ())
              if isinstance(b, Table)]
    assert tables, res.body.operative
    label, figure = tables[0].rows[0].cells
    assert label.blocks[0].inlines == (Strong((Text("Total for 2026"),)),)
    assert figure.blocks[0].inlines == (Strong((Text("1 234 500"),)),)


# ------------------------------------------------------------------ repairs, synthetic

def test_padded_num_is_stripped_with_a_warning():
    parsed = akn.read(_akn('<paragraph>\n<num>\t1.</num><content><p>\t<span class="italic">'
                           'Decides</span>  to\n act;</p></content></paragraph>'), "t.xml")
    (p,) = parsed.resolution.body.operative
    assert p.num == "1." and p.lead == (Text("Decides"),) and p.body == (Text("to act;"),)
    (d,) = [d for d in parsed.diagnostics if d.code == "akn-padded-num"]
    assert d.span.file == "t.xml" and d.span.line == 2 and "\\t1." in d.message


def test_items_and_tail_typed_as_paragraphs():
    main = ('<paragraph><num>1.</num><content><p><i>Decides</i>:</p></content></paragraph>'
            '<paragraph><content><p>\t(a)\tfirst;</p></content></paragraph>'
            '<paragraph><content><p>\t(b)\tsecond:</p></content></paragraph>'
            '<paragraph><num>(i)</num><content><p>deep;</p></content></paragraph>'
            '<paragraph><content><p>(ii) deeper;</p></content></paragraph>'
            '<paragraph><content><p>(c) third;</p></content></paragraph>'
            '<paragraph><content><p>and so on.</p></content></paragraph>'
            '<paragraph><num>2.</num><content><p><i>Requests</i> more;</p></content></paragraph>')
    parsed = akn.read(_akn(main), "t.xml")
    p1, p2 = parsed.resolution.body.operative
    assert [i.label for i in p1.items] == ["(a)", "(b)", "(c)"]
    assert p1.items[0].body == (Text("first;"),)
    assert [i.label for i in p1.items[1].items] == ["(i)", "(ii)"]
    assert p1.tail == (Para((Text("and so on."),)),)
    assert p2.num == "2." and p2.items == ()
    codes = [d.code for d in parsed.diagnostics]
    assert codes.count("akn-item-paragraph") == 5 and codes.count("akn-tail-paragraph") == 1


def test_list_points_sublists_and_wrapup():
    main = ('<paragraph><num>3.</num><list><intro><p><span class="italic">Also decides'
            '</span> that:</p></intro>'
            '<point><num>(a)</num><content><p>seats:</p></content></point>'
            '<sublist><point><num>(i)</num><content><p>two;</p></content></point></sublist>'
            '<point><num>(b)</num><content><p>five;</p></content></point>'
            '<wrapUp><p>after the list.</p></wrapUp></list></paragraph>')
    (p,) = akn.read(_akn(main), "t.xml").resolution.body.operative
    assert p.lead == (Text("Also decides"),) and p.body == (Text("that:"),)
    assert [(i.label, plain_text(i.body)) for i in p.items] == [("(a)", "seats:"),
                                                                 ("(b)", "five;")]
    assert p.items[0].items == (Item("(i)", (Text("two;"),)),)
    assert p.tail == (Para((Text("after the list."),)),)


def test_inlines_and_footnote_placement():
    pre = ('<formula name="enactingFormula"><p><span class="italic">The General Assembly'
           '</span>,</p></formula>'
           '<container name="Recalling"><p>\n <span class="bold italic">Recalling</span> '
           'resolution <a href="https://undocs.org/en/A/RES/70/1">70/1</a> of<eol/>'
           '2015,<authorialNote marker="2" placement="bottom"><p>See <a href="https://x.org/a">'
           'here</a> and <i>there</i>.</p></authorialNote> and m<sup>2</sup>  H<sub>2</sub>O,'
           '</p></container>')
    res = akn.read(_akn("<paragraph><content><p>x</p></content></paragraph>", pre),
                   "t.xml").resolution
    assert res.body.preamble.formula == (Text("The General Assembly,"),)
    (r,) = res.body.preamble.recitals
    assert r.lead == (Text("Recalling"),)
    assert r.body[:5] == (Text("resolution "), DocRef("A/RES/70/1", (Text("70/1"),)),
                          Text(" of"), LineBreak(), Text("2015,"))
    note = r.body[5]
    assert isinstance(note, FootnoteRef) and note.marker == "2"
    assert note.blocks == (Para((Text("See "), Link("https://x.org/a", (Text("here"),)),
                                 Text(" and "), Emphasis((Text("there"),)), Text("."))),)
    assert r.body[6:] == (Text(" and m"), Superscript((Text("2"),)), Text(" H"),
                          Subscript((Text("2"),)), Text("O,"))
    assert plain_text(r.body) == "resolution 70/1 of\n2015, and m2 H2O,"


def test_no_break_spaces_are_kept():
    (p,) = akn.read(_akn("<paragraph><num>1.</num><content><p>20\u00a0November  2021"
                         "</p></content></paragraph>"), "t.xml").resolution.body.operative
    assert p.body == (Text("20\u00a0November 2021"),)


def test_bold_non_lead_is_strong_and_lead_only_opens():
    (p,) = akn.read(_akn('<paragraph><num>1.</num><content><p>Text <b>bold</b> '
                         '<span class="italic">it</span></p></content></paragraph>'),
                    "t.xml").resolution.body.operative
    assert p.lead == ()
    assert p.body == (Text("Text "), Strong((Text("bold"),)), Text(" "), Emphasis((Text("it"),)))


# ------------------------------------------------------------------ hostile and broken input

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
                  b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
                  b'<akomaNtoso ' + NS.encode() + b'><statement>&lol3;</statement></akomaNtoso>')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<akomaNtoso ' + NS.encode() + b'><statement><mainBody><paragraph><content><p>&x;'
       b'</p></content></paragraph></mainBody></statement></akomaNtoso>')
EXTERNAL_DTD = (b'<?xml version="1.0"?>\n<!DOCTYPE akomaNtoso SYSTEM "http://evil.example/x.dtd">'
                b'\n<akomaNtoso ' + NS.encode() + b'/>')
PARAMETER_ENTITY = (b'<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
                    b'<akomaNtoso ' + NS.encode() + b'/>')
XINCLUDE = (b'<akomaNtoso ' + NS.encode() + b' xmlns:xi="http://www.w3.org/2001/XInclude">\n'
            b'<statement><xi:include href="/etc/passwd" parse="text"/></statement></akomaNtoso>')


@pytest.mark.parametrize("data,line", [(BILLION_LAUGHS, 3), (XXE, 3), (EXTERNAL_DTD, 2),
                                       (PARAMETER_ENTITY, 1), (XINCLUDE, 2)],
                         ids=["billion-laughs", "xxe-file", "external-dtd", "parameter-entity",
                              "xinclude"])
def test_hostile_xml_is_refused_with_a_position(data, line):
    with pytest.raises(ReadError) as e:
        akn.read(data, "evil.xml")
    assert e.value.span.file == "evil.xml"
    assert e.value.span.line == line and e.value.span.col >= 1
    assert "root:" not in str(e.value)  # nothing of /etc/passwd was read


@pytest.mark.parametrize("data,kind,words", [
    (b"", ReadError, "empty"),
    (b"  \n ", ReadError, "empty"),
    (b"plain text, not XML", ReadError, "not well-formed"),
    (b"\x00\x01PK\x03", ReadError, "not well-formed"),
    (b"<akomaNtoso " + NS.encode() + b"><statement><meta>", ReadError, "not well-formed"),
    (b"<html><body/></html>", ReadError, "not Akoma Ntoso"),
    (b'<akomaNtoso xmlns="http://www.akomantoso.org/2.0"><act/></akomaNtoso>', ReadError,
     "namespace"),
    (b"<akomaNtoso " + NS.encode() + b"><act/></akomaNtoso>", StructureError, "statement"),
    (b"<akomaNtoso " + NS.encode() + b"/>", StructureError, "statement"),
], ids=["empty", "blank", "text", "binary", "truncated", "html", "akn2", "act", "no-doc"])
def test_bad_input_gives_one_line_error(data, kind, words):
    with pytest.raises(kind) as e:
        akn.read(data, "bad.xml")
    msg = str(e.value)
    assert isinstance(e.value, PipelineError) and "\n" not in msg and words in msg
    assert msg.startswith("bad.xml:") and e.value.span.line >= 1


def test_truncated_xml_points_at_the_end():
    with pytest.raises(ReadError) as e:
        akn.read(b"<akomaNtoso " + NS.encode() + b">\n<statement>\n<meta>", "t.xml")
    assert e.value.span.line == 3


def test_deep_nesting_is_refused_not_crashed():
    deep = b"<span>" * 3000 + b"x" + b"</span>" * 3000
    with pytest.raises(ReadError):
        akn.read(_akn("<paragraph><content><p>" + deep.decode() + "</p></content></paragraph>"),
                 "deep.xml")


def test_a_recitals_block_list_reads_as_its_lines_and_writes_back_the_same():
    from pipeline import registry
    pre = ('<container name="Convinced"><blockList><listIntroduction><i>Convinced</i> that it '
           'contributes to:</listIntroduction><item><num>(a)</num><p>peace,</p></item>'
           '<item><num>(b)</num><p>security,</p></item><item><p>and more,</p></item>'
           '</blockList></container>')
    main = '<paragraph><num>1.</num><content><p><i>Decides</i> to act.</p></content></paragraph>'
    res = akn.read(_akn(main, pre), "t.xml").resolution
    (r,) = res.body.preamble.recitals
    assert plain_text(r.lead) == "Convinced"
    assert plain_text(r.body) == "that it contributes to:\n(a) peace,\n(b) security,\nand more,"
    write, _ = registry.writer_for("akn")
    back = akn.read(write(res).data, "u.xml").resolution
    assert back.body.preamble.recitals == res.body.preamble.recitals


def test_headings_typed_as_paragraphs_are_headings():
    main = ('<paragraph><content><p><b>I Grant request for the Institute</b></p></content>'
            '</paragraph>'
            '<paragraph><num>1.</num><content><p><i>Takes note</i> of it;</p></content></paragraph>'
            '<paragraph><num>II</num></paragraph>'
            '<paragraph><subheading>Revised estimates</subheading></paragraph>'
            '<paragraph><num>2.</num><content><p><i>Approves</i> them;</p></content></paragraph>'
            '<paragraph><content><p>Budget estimates for 2022</p></content></paragraph>'
            '<paragraph><num>3.</num><content><p><i>Decides</i> so.</p></content></paragraph>'
            '<paragraph><num>3.1</num><content><p>A sub-paragraph.</p></content></paragraph>')
    parsed = akn.read(_akn(main), "t.xml")
    kinds = [(type(n).__name__, getattr(n, "num", "")) for n in parsed.resolution.body.operative]
    assert kinds == [("Heading", ""), ("Paragraph", "1."), ("Heading", "II"), ("Heading", ""),
                     ("Paragraph", "2."), ("Heading", ""), ("Paragraph", "3."),
                     ("Paragraph", "3.1")]
    codes = {d.code for d in parsed.diagnostics}
    assert {"akn-bold-heading", "akn-section-num", "akn-short-heading"} <= codes


def test_a_note_of_the_part_letter_stays_with_the_title():
    extra = ('<preface><p><docNumber>76/244.</docNumber><docTitle>Financing</docTitle></p>'
             '<p><docNumber refersTo="#letter">B</docNumber><authorialNote marker="1">'
             '<p>Resolution 76/244 becomes resolution 76/244 A.</p></authorialNote></p></preface>')
    main = '<paragraph><num>1.</num><content><p><i>Decides</i> to act.</p></content></paragraph>'
    res = akn.read(_akn(main, extra=extra), "t.xml").resolution
    assert res.meta.letter == "B"
    assert plain_text(res.meta.title) == "Financing"
    assert [n.marker for n in res.meta.title if isinstance(n, FootnoteRef)] == ["1"]


def test_preambles_and_bodies_interleaved_are_read_in_document_order():
    """A statement that repeats preamble and mainBody (schema-invalid UN markup): the
    unnumbered paragraph between two preambles is a recital, and a preamble placed after
    paragraph 2 whose container opens with "3." is operative paragraph 3."""
    head = _akn("", preamble='<container name="Recalling"><p><i>Recalling</i> A,</p>'
                              '</container>').decode("utf-8")
    head = head[:head.index("<mainBody>")]
    doc = (head
           + '<mainBody><paragraph><content><p><i>Noting</i> B,</p></content></paragraph>'
             '</mainBody>'
           + '<preamble><container name="Welcoming"><p><i>Welcoming</i> C,</p></container>'
             '</preamble>'
           + '<mainBody>'
             '<paragraph><num>1.</num><content><p><i>Decides</i> D;</p></content></paragraph>'
             '<paragraph><num>2.</num><content><p><i>Requests</i> E;</p></content></paragraph>'
             '</mainBody>'
           + '<preamble><container name="Invites"><p>3. <i>Invites</i> F;</p></container>'
             '</preamble>'
           + '<mainBody>'
             '<paragraph><num>4.</num><content><p><i>Decides</i> G.</p></content></paragraph>'
             '</mainBody></statement></akomaNtoso>')
    parsed = akn.read(doc.encode("utf-8"), "t.xml")
    body = parsed.resolution.body
    assert [plain_text(r.lead) for r in body.preamble.recitals] == \
        ["Recalling", "Noting", "Welcoming"]
    assert [(p.num, plain_text(p.lead)) for p in body.operative] == \
        [("1.", "Decides"), ("2.", "Requests"), ("3.", "Invites"), ("4.", "Decides")]
    codes = {d.code for d in parsed.diagnostics}
    assert {"akn-recital-in-body", "akn-operative-in-preamble"} <= codes


def test_a_meeting_line_in_the_body_makes_the_missing_conclusions():
    main = ('<paragraph><num>1.</num><content><p><i>Decides</i> so.</p></content></paragraph>'
            '<paragraph><content><p><i>37th plenary meeting 7 December 2020</i></p></content>'
            '</paragraph>')
    parsed = akn.read(_akn(main), "t.xml")
    body = parsed.resolution.body
    assert body.operative[-1].tail == ()
    c = body.closing
    assert (c.meeting, c.meeting_number, c.date, c.date_text) == \
        ("37th plenary meeting", 37, "2020-12-07", "7 December 2020")
    assert parsed.resolution.meta.meeting == 37
    assert "akn-meeting-in-body" in {d.code for d in parsed.diagnostics}


def test_an_unnumbered_last_line_that_is_no_meeting_stays_in_the_body():
    main = ('<paragraph><num>1.</num><content><p><i>Decides</i> so:</p></content></paragraph>'
            '<paragraph><content><p>Item 12 of the agenda</p></content></paragraph>')
    body = akn.read(_akn(main), "t.xml").resolution.body
    assert body.closing is None and len(body.operative[-1].tail) == 1


# ------------------------------------------------------------------ an adopted text's headings

_ADOPTS = ('<paragraph><content><p><i>Adopts</i> the following charter:</p></content>'
           '</paragraph>'
           '<paragraph class="H1"><heading>The Charter of Examples</heading></paragraph>')


def test_a_numbered_bold_paragraph_is_a_chapter_heading():
    main = (_ADOPTS +
            '<paragraph><num>1.</num><content><p>We agree.</p></content></paragraph>'
            '<paragraph class="H23"><num>I.</num><content><p><b>First matters</b></p></content>'
            '</paragraph>'
            '<paragraph><num>2.</num><content><p>We act.</p></content></paragraph>')
    parsed = akn.read(_akn(main), "t.xml")
    ops = parsed.resolution.body.operative
    from pipeline.ast import Heading
    assert [type(n).__name__ for n in ops] == ["Paragraph", "Heading", "Paragraph", "Heading",
                                               "Paragraph"]
    assert ops[1].level == 1 and plain_text(ops[1].inlines) == "The Charter of Examples"
    h = ops[3]
    assert isinstance(h, Heading) and h.num == "I." and h.level == 2
    assert h.inlines == (Text("First matters"),)         # the bold is the heading's own
    assert "akn-bold-heading" in {d.code for d in parsed.diagnostics}


def test_a_chapter_heading_typed_as_the_last_point_of_a_list_is_moved_out():
    main = (_ADOPTS +
            '<paragraph><num>1.</num><list><intro><p>We decide:</p></intro>'
            '<point><num>(a)</num><content><p>To begin;</p></content></point>'
            '<point><num>(b)</num><content><p>To go on;</p></content>'
            '<sublist><point><num>II.</num><content><p><b>Further matters</b></p></content>'
            '</point></sublist></point></list></paragraph>'
            '<paragraph><num>2.</num><content><p>We end.</p></content></paragraph>')
    parsed = akn.read(_akn(main), "t.xml")
    ops = parsed.resolution.body.operative
    from pipeline.ast import Heading
    assert [type(n).__name__ for n in ops] == ["Paragraph", "Heading", "Paragraph", "Heading",
                                               "Paragraph"]
    p1 = ops[2]
    assert [i.label for i in p1.items] == ["(a)", "(b)"] and not p1.items[1].items
    assert isinstance(ops[3], Heading) and ops[3].num == "II." and ops[3].level == 2
    assert plain_text(ops[3].inlines) == "Further matters"
    assert "akn-heading-item" in {d.code for d in parsed.diagnostics}


def test_a_bold_item_ending_as_a_paragraph_stays_an_item():
    main = ('<paragraph><num>1.</num><list><intro><p><i>Decides</i>:</p></intro>'
            '<point><num>(a)</num><content><p><b>To begin.</b></p></content></point>'
            '<point><num>B.</num><content><p><b>To go on;</b></p></content></point>'
            '</list></paragraph>')
    (p,) = akn.read(_akn(main), "t.xml").resolution.body.operative
    assert [i.label for i in p.items] == ["(a)", "B."]


_ANNEX = ('<attachments><attachment><doc name="annex"><meta><identification source="#x">'
          '<FRBRWork><FRBRthis value="/x"/></FRBRWork></identification></meta>'
          '<mainBody>{}</mainBody></doc></attachment></attachments>')


def _with_annex(annex: str) -> bytes:
    main = '<paragraph><num>1.</num><content><p><i>Adopts</i> the annex.</p></content></paragraph>'
    return _akn(main).replace(b"</statement>", _ANNEX.format(annex).encode() + b"</statement>")


def test_annex_label_and_title_in_a_heading_style_of_any_level():
    annex = ('<paragraph class="H23"><subheading>Annex II</subheading></paragraph>'
             '<paragraph class="H23"><subheading>The Compact</subheading></paragraph>'
             '<paragraph class="H23"><subheading>Objectives</subheading></paragraph>'
             '<paragraph><num>1.</num><content><p>We aim.</p></content></paragraph>')
    (a,) = akn.read(_with_annex(annex), "t.xml").resolution.body.annexes
    assert plain_text(a.heading) == "Annex II" and plain_text(a.title) == "The Compact"
    from pipeline.ast import Heading
    assert isinstance(a.blocks[0], Heading) and plain_text(a.blocks[0].inlines) == "Objectives"


def test_annex_items_typed_as_paragraphs_are_the_items_of_the_paragraph_before():
    annex = ('<paragraph class="H23"><subheading>Annex</subheading></paragraph>'
             '<paragraph><num>1.</num><content><p>We commit to:</p></content></paragraph>'
             '<paragraph><content><p>\t(a)\tBuild things;</p></content></paragraph>'
             '<paragraph><content><p>\t(i)\tsmall ones;</p></content></paragraph>'
             '<paragraph><content><p>\t(b)\tKeep them.</p></content></paragraph>'
             '<paragraph><content><p>A closing word.</p></content></paragraph>'
             '<paragraph><content><p>(c) Not an item: no numbered paragraph before.</p>'
             '</content></paragraph>')
    parsed = akn.read(_with_annex(annex), "t.xml")
    (a,) = parsed.resolution.body.annexes
    p, para, stray = a.blocks
    assert isinstance(p, Paragraph) and p.num == "1."
    assert [i.label for i in p.items] == ["(a)", "(b)"]
    assert [i.label for i in p.items[0].items] == ["(i)"]
    assert plain_text(p.items[0].body) == "Build things;"
    assert isinstance(para, Para) and plain_text(para.inlines) == "A closing word."
    assert isinstance(stray, Para)
    assert "akn-item-paragraph" in {d.code for d in parsed.diagnostics}
    # and back: the items are items in our markup, read back the same
    from pipeline import registry
    write, _ = registry.writer_for("akn")
    back = akn.read(write(parsed.resolution).data, "u.xml").resolution
    assert back.body.annexes[0].blocks[0].items == p.items


def test_two_annexes_in_one_attachment_are_two_annexes():
    annex = ('<paragraph class="H23"><subheading>Annex I</subheading></paragraph>'
             '<paragraph class="H23"><subheading>The Compact</subheading></paragraph>'
             '<paragraph><num>1.</num><content><p>We aim.</p></content></paragraph>'
             '<paragraph class="H23"><subheading>Annex II</subheading></paragraph>'
             '<paragraph class="H23"><subheading>The Declaration</subheading></paragraph>'
             '<paragraph class="H23"><subheading>Preamble</subheading></paragraph>'
             '<paragraph><num>1.</num><content><p>We declare.</p></content></paragraph>')
    parsed = akn.read(_with_annex(annex), "t.xml")
    first, second = parsed.resolution.body.annexes
    assert (plain_text(first.heading), plain_text(first.title)) == ("Annex I", "The Compact")
    assert [type(b).__name__ for b in first.blocks] == ["Paragraph"]
    assert (plain_text(second.heading), plain_text(second.title)) == \
        ("Annex II", "The Declaration")
    assert [type(b).__name__ for b in second.blocks] == ["Heading", "Paragraph"]
    assert "akn-annex-split" in {d.code for d in parsed.diagnostics}
    from pipeline import registry
    write, _ = registry.writer_for("akn")
    back = akn.read(write(parsed.resolution).data, "u.xml").resolution
    assert back.body.annexes == parsed.resolution.body.annexes


def test_a_heading_without_a_heading_style_is_set_as_h23():
    main = ('<paragraph><num>1.</num><content><p><i>Decides</i> so;</p></content></paragraph>'
            '<paragraph class="MercuryDocument"><content><p><b>Legislative activities</b></p>'
            '</content></paragraph>'
            '<paragraph class="H1"><heading>A styled heading</heading></paragraph>'
            '<paragraph><num>2.</num><content><p><i>Decides</i> more.</p></content></paragraph>')
    ops = akn.read(_akn(main), "t.xml").resolution.body.operative
    from pipeline.ast import Heading
    assert [(plain_text(h.inlines), h.level) for h in ops if isinstance(h, Heading)] == \
        [("Legislative activities", 2), ("A styled heading", 1)]
