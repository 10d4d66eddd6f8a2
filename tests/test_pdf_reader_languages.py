"""The PDF reader in six languages: the passes it needs beyond English (right-to-left
lines, raised Arabic calls, CJK rows, rules drawn as borders, line spacing) on synthetic
glyphs, then the round trip UN markup -> our tree -> our PDF -> the PDF reader, scored
against the UN's markup with akn_compare beside the ceiling (our AKN reader alone)."""

from __future__ import annotations

import dataclasses
import io
import time

import pytest

from conftest import CORPUS, need
from pipeline import build, lang, registry
from pipeline.ast import Emphasis, FootnoteRef, Strong, Superscript, Text, plain_text
from pipeline.normalize import normalize
from pipeline.normalize.blocks import RawBlock
from pipeline.readers import pdf as reader
from pipeline.readers.pdf import layout, notes as pdf_notes
from pipeline.readers.pdf.bidi import has_rtl, logical_order, read_rtl
from pipeline.readers.pdf.layout import Glyph
from pipeline.writers.view import language_code, page_labels, strip_note_shell

pytest.importorskip("pypdfium2")


def glyphs(text: str, x: float, base: float, size: float = 10.0, *, bold=False, italic=False,
           font: str = "") -> list[Glyph]:
    """Glyphs of ``text`` left to right from x on baseline ``base``, half their size wide."""
    out = []
    for ch in text:
        w = 0.5 * size
        out.append(Glyph(ch, x, x + w, base - 0.8 * size, base + 0.2 * size, size,
                         italic=italic, bold=bold, font=font, base=base))
        x += w
    return out


def visual(text: str) -> str:
    """A visual-order string read back in logical order (one unit per character)."""
    return "".join(t for _, t in read_rtl(list(text)))


# ---------------------------------------------------------------- right to left

@pytest.mark.parametrize("drawn, typed", [
    # Arabic words reversed, numbers and Latin left to right, brackets as typed
    ("ةرقفلا ،)A/76/471( ريرقت", "تقرير (A/76/471)، الفقرة"),
    (".76/109 عيسوت", "توسيع 76/109."),
    # after an Arabic letter digits are "AN": a hyphen between two numbers is not joined
    ("2024-2014 دقعلل", "للعقد 2014-2024"),
    # a Latin note in a right-to-left paragraph: one run, the final stop at the left
    (".United Nations, vol. 1996, No. 1200", "United Nations, vol. 1996, No. 1200."),
    # ... or at the right, where a writer that isolates the Latin text draws it; with the
    # bracket that closes the Latin text, the pair read at one level
    ("United Nations, vol. 1996, No. 1200.", "United Nations, vol. 1996, No. 1200."),
    (")A/77/23(. 23 مقر", "رقم 23 (A/77/23)."),
    ("A/60/88. رظنا", "انظر A/60/88."),
    # a job line with no Arabic letter: the mirrored bracket tells its direction
    (")A( 21-18664", "21-18664 (A)"),
    ("UNEP@50 ،ةئيبلل", "للبيئة، UNEP@50"),
    # the glyph drawn "(" reads ")" on an Arabic page; inside a Latin run it is mirrored back
    ("GC)66(/RES/6 تارارقلاب", "بالقرارات GC(66)/RES/6"),
])
def test_visual_rtl_lines_read_back_in_logical_order(drawn, typed):
    assert visual(drawn) == typed


def test_logical_order_is_a_permutation():
    units = list("ةرقفلا ،)A/76/471( ريرقت 2205 (د-21)")
    assert sorted(logical_order(units)) == list(range(len(units)))
    assert has_rtl("قرار") and not has_rtl("A/RES/76/109 2021")


def test_rtl_row_from_glyphs_ligature_marks_and_a_raised_call():
    # "الأمم" drawn: م م [لأ: ل wide, أ with no width at its left edge] ا ; a damma over ت
    g = [Glyph("م", 10, 16, 0, 12, 11.5, base=9), Glyph("م", 16, 22, 0, 12, 11.5, base=9),
         Glyph("أ", 22, 22, 0, 12, 11.5, base=9), Glyph("ل", 22, 28, 0, 12, 11.5, base=9),
         Glyph("ا", 28, 31, 0, 12, 11.5, base=9)]
    row = layout.make_rows(g, 0)[0]
    assert row.rtl and row.text == "الأمم"
    # a call "(1)": its brackets on a baseline of their own, above the text's
    g = glyphs("ةيقافتا", 40, 100, 11.5) + \
        [Glyph(")", 30, 33, 89, 99, 10.7, base=96.5),
         Glyph("1", 33.5, 36, 92, 98.5, 6.5, base=97.5),
         Glyph("(", 36.5, 39.5, 89, 99, 10.7, base=96.5)]
    rows = layout.make_rows(g, 0)
    assert len(rows) == 1
    assert layout.row_inlines(rows[0]) == (Text("اتفاقية("), Superscript((Text("1"),)), Text(")"))


def test_rtl_rows_start_at_the_right_and_bold_leads_are_strong():
    first = glyphs("ريشت ذإ", 300, 100, 11.5, bold=True) + glyphs(" اهرارق ىلإ", 190, 100, 11.5)
    cont = glyphs("ةنجللا هبجومب", 240, 118, 11.5)
    rows = layout.make_rows(first + cont, 0)
    assert rows[0].start < rows[1].start           # the right edge, mirrored: both are starts
    inl = layout.row_inlines(rows[0], bold=True)
    assert isinstance(inl[0], Strong) and plain_text(inl[0].children) == "إذ تشير"
    assert layout.opens(rows[0], layout.left_margin(rows), lang.get("ar"))   # a bold run opens it


# ---------------------------------------------------------------- rows, rules, joins

def test_two_fonts_on_one_baseline_are_one_row():
    g = glyphs("abc", 10, 100, 11.5) + [Glyph("1", 30, 35, 91, 101, 10, base=100)]
    assert len(layout.make_rows(g, 0)) == 1


def test_thin_rules_from_word_boxes_and_weasyprint_borders():
    word = [(60.0, 306.0, 64.8, 65.0)]
    weasy = [(99.6, 171.6, 678.0, 738.0), (99.6, 171.6, 677.5, 738.0),   # border-top
             (60.0, 552.0, 36.0, 208.7), (60.0, 552.0, 36.0, 210.2)]     # border-bottom
    tall = [(10.0, 20.0, 100.0, 200.0)]
    assert layout.thin_rules(word + tall) == [(60.0, 306.0, 64.8, 65.0)]
    assert layout.thin_rules(weasy) == [(60.0, 552.0, 208.7, 210.2), (99.6, 171.6, 677.5, 678.0)]


@pytest.mark.parametrize("left, right, compact, glue", [
    ("including HIV/", "AIDS, human", False, True),
    ("(A/75/53/", "Add.1), chap. III", False, True),
    ("Supplement No. 5O (A/75/5/Add.", "15).", False, True),
    ("document UNEP/GC.", "23/6/Add.1", False, True),
    ("Sales No. E.", "93.I.8", False, True),
    ("for the Decade 2014–", "2024;", False, True),
    ("the General Assembly.", "15 States", False, False),
    ("resolution 75/19.", "Also recalls", False, False),
    ("post-", "conflict", False, False),                 # the hyphen rule is the joiner's
    ("第66/253 B号、2012年8月3", "日第66/253", True, True),
    ("General", "Assembly", True, False),
])
def test_rows_glue_where_a_break_fell_inside_a_word(left, right, compact, glue):
    assert layout.glued(left, right, compact) is glue


def test_cjk_rows_join_without_spaces():
    rows = layout.make_rows(glyphs("回顾其2011年12月19日第66/176号、2012年8月3", 123, 100)
                            + glyphs("日第66/253 B号决议", 123, 116), 0)
    assert plain_text(layout.join_rows(rows, "zh")) == \
        "回顾其2011年12月19日第66/176号、2012年8月3日第66/253 B号决议"


def test_paragraphs_by_line_spacing_a_taller_line_is_no_paragraph():
    # 10-point rows on 12-point lines, paragraphs 6 points apart; one line made 3 points
    # taller by a raised ordinal ("1er"): not a paragraph break
    tops = [100, 112, 127, 139, 157, 169]
    g = []
    for k, t in enumerate(tops):
        g += glyphs(f"row{k} text", 123, t)
    rows = layout.make_rows(g, 0)
    got = [[r.text.split()[0] for r in p] for p in layout.paragraphs(rows, 123, lang.get("fr"))]
    assert got == [["row0", "row1", "row2", "row3"], ["row4", "row5"]]


def test_paragraphs_of_a_short_text_where_paragraph_spacing_is_the_most_common():
    tops = [100, 118, 130, 148]                 # one two-row paragraph among one-row ones
    g = []
    for k, t in enumerate(tops):
        g += glyphs(f"row{k} text", 123, t)
    got = [[r.text.split()[0] for r in p]
           for p in layout.paragraphs(layout.make_rows(g, 0), 123, lang.get("en"))]
    assert got == [["row0"], ["row1", "row2"], ["row3"]]


def test_raised_ordinal_letters_join_their_row():
    g = glyphs("du 1", 123, 100) + [Glyph("e", 143, 147, 88, 97, 9.0, base=95.5),
                                    Glyph("r", 147, 150, 88, 97, 9.0, base=95.5)] + \
        glyphs(" mars", 151, 100)
    rows = layout.make_rows(g, 0)
    assert len(rows) == 1
    assert layout.row_inlines(rows[0]) == (Text("du 1"), Superscript((Text("er"),)),
                                           Text(" mars"))


# ---------------------------------------------------------------- the reader's helpers

def test_part_letter_of_the_title_goes_to_its_end():
    got = reader.title_inlines((Text("75/253 C. Special subjects relating to the budget"),))
    assert got == (Text("75/253. Special subjects relating to the budget C"),)
    same = (Text("78/6. Report of the Court"),)
    assert reader.title_inlines(same) == same


def test_italic_item_letter_is_plain_text():
    L = lang.get("en")
    got = reader.upright_label((Text("("), Emphasis((Text("a"),)), Text(") To cooperate;")), L)
    assert got == (Text("(a) To cooperate;"),)
    lead = (Emphasis((Text("Decides"),)), Text(" to"))
    assert reader.upright_label(lead, L) == lead


def test_a_note_line_that_starts_with_a_number_under_the_text_continues_the_note():
    first = layout.make_rows(glyphs("30", 111, 700, 9)
                             + glyphs("S/PRST/2013/15; see", 123.4, 700, 9), 0)[0]
    cont = layout.make_rows(glyphs("31 July 2014 (S/INF/69).", 123.4, 711, 9), 0)[0]
    new = layout.make_rows(glyphs("31", 111, 722, 9) + glyphs("S/PRST/2015/15.", 123.4, 722, 9),
                           0)[0]
    assert pdf_notes.hangs_under(cont, first) is True
    assert pdf_notes.hangs_under(new, first) is False
    notes = pdf_notes.read_notes([layout.PageRows(0, notes=[first, cont, new])], "en", "x.pdf", [])
    assert [(m, plain_text(i)) for _, m, i in notes] == [
        ("30", "S/PRST/2013/15; see 31 July 2014 (S/INF/69)."), ("31", "S/PRST/2015/15.")]


# ---------------------------------------------------------------- shared passes

def test_an_annex_with_no_label_printed_follows_the_closing():
    blocks = [RawBlock("para", (Text("78/6. A title"),)),
              RawBlock("para", (Emphasis((Text("The General Assembly"),)), Text(","))),
              RawBlock("para", (Text("Decides to act."),), num="1."),
              RawBlock("para", (Text("48th plenary meeting"),)),
              RawBlock("para", (Text("31 December 2020"),)),
              RawBlock("heading", (Text("Financing for 2021"),), level=1),
              RawBlock("para", (Text("Estimated appropriation"),))]
    res, _ = normalize(blocks, lang="en")
    body = res.body
    assert [plain_text(p.lead + p.body) for p in body.operative] == ["Decidesto act."]
    assert body.closing is not None and body.closing.meeting_number == 48
    assert len(body.annexes) == 1 and body.annexes[0].heading == ()
    assert plain_text(body.annexes[0].title) == "Financing for 2021"


def test_an_organ_line_that_reads_like_the_formula_does_not_end_the_masthead():
    blocks = [RawBlock("para", (Text(t),)) for t in (
        "Организация Объединенных Наций", "Генеральная Ассамблея", "Семьдесят шестая сессия",
        "76/109. Расширение членского состава Комиссии")]
    blocks += [RawBlock("para", (Emphasis((Text("Генеральная Ассамблея"),)), Text(","))),
               RawBlock("para", (Text("постановляет действовать;"),), num="1.")]
    res, _ = normalize(blocks, lang="ru")
    assert res.meta.number == "76/109" and res.meta.session == 76


# ---------------------------------------------------------------- round trip, six languages

#: per language, UN files rendered with our writer and read back (short ones, each with
#: notes, items or a layout trait of its language; kept under a minute in all)
ROUND_TRIP = {
    "ara": ("A_RES_76_109-2118664A", "75_10_A", "A_RES_77_143-2228522A"),
    "zho": ("A_RES_76_217-2119280C", "A_RES_76_113-2118669C", "75_10_C"),
    "eng": ("A_RES_78_6-2321327E", "75_249_E", "ga_A-RES-75-19_eng"),
    "fra": ("A_RES_76_109-2118664F", "A_RES_77_143-2228522F", "75_10_F"),
    "rus": ("A_RES_76_109-2118664R", "75_10_R", "E_RES_2022_1-2110515R"),
    "spa": ("75_10_S", "A_RES_76_113-2118669S", "A_RES_77_94-2228202S"),
}


def as_printed(node, shell: str):
    """Our tree as the writers print it: each note without the empty shell of its number
    ("()") that opens an Arabic note's text in the UN's markup (Word fills it with the
    number; the writers print the number in its shell as the note's mark,
    :func:`pipeline.writers.view.strip_note_shell`).  The shell is no text of the note
    that a PDF could keep: the PDF reader reads "(1)" as the mark, as it reads the UN's
    own Arabic PDFs."""
    if isinstance(node, FootnoteRef):
        return dataclasses.replace(node, blocks=as_printed(strip_note_shell(node.blocks, shell),
                                                           shell))
    if isinstance(node, tuple):
        return tuple(as_printed(n, shell) for n in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return dataclasses.replace(node, **{f.name: as_printed(getattr(node, f.name), shell)
                                            for f in dataclasses.fields(node) if f.init})
    return node


def note_shell(tree) -> str:
    """The shell the writers print a note's number in, for the tree's language ("()")."""
    code = lang.get(language_code(tree)).code
    return "".join((page_labels().get(code) or {}).get("note_mark") or ())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{(lang, stem): (our AKN reader's AKN, the same tree as the writers print it (notes
    without their number's shell, :func:`as_printed`), the PDF reader's AKN, seconds)}."""
    src = need(CORPUS / "seedlike")
    write_akn, _ = registry.writer_for("akn")
    write_pdf, _ = registry.writer_for("pdf")
    out = {}
    for code, stems in ROUND_TRIP.items():
        for stem in stems:
            xml = src / code / f"{stem}.xml"
            if not xml.exists():
                continue
            t = time.monotonic()
            tree = build.load(xml).resolution
            pdf = write_pdf(tree).data
            back = reader.read(pdf, f"{stem}.pdf").resolution
            printed = as_printed(tree, note_shell(tree))
            out[(code, stem)] = (write_akn(tree).data, write_akn(printed).data,
                                 write_akn(back).data, time.monotonic() - t)
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("code", sorted(ROUND_TRIP))
def test_round_trip_through_our_pdf_keeps_the_structure(code, rendered, akn_compare):
    rows = [(stem, *rendered[(code, stem)]) for stem in ROUND_TRIP[code]
            if (code, stem) in rendered]
    assert rows, f"no {code} file of ROUND_TRIP in the corpus"
    src = CORPUS / "seedlike" / code
    for stem, ceiling, printed, got, _ in rows:
        ref = akn_compare.signature(str(src / f"{stem}.xml"))
        top = akn_compare.compare(ref, akn_compare.signature(io.BytesIO(ceiling)))
        mine = akn_compare.compare(ref, akn_compare.signature(io.BytesIO(got)))
        assert mine["exact"] == top["exact"], (stem, mine)
        # against our own tree: what the PDF loses apart from what the tree lacks; the
        # tree as printed (:func:`as_printed`), since a note's mark is no text of the note
        same = akn_compare.compare(akn_compare.signature(io.BytesIO(printed)),
                                   akn_compare.signature(io.BytesIO(got)))
        assert same["exact"] and same["leads"] == 1.0, (stem, same)
        for m in ("pre_text", "op_text", "fn_text"):
            assert same[m] >= 0.995, (stem, m, same[m])

