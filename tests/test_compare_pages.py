"""A sample of the page comparison (scripts/compare_pages.py runs it over the 434
documents of ../shared/corpus/pdf-text-large): our PDF of the UN's markup against the
official PDF.  The sample holds the documents of the known faults: 78/46 (note 13 on a later
page than its call), 79/81 and 80/113 (a last page holding only the end rule)."""

from __future__ import annotations


import pytest

from conftest import CORPUS, need
from pipeline import build, registry
from pipeline.writers.compare import compare, pages_of, totals

SAMPLE = ("A_RES_78_46", "A_RES_79_81", "A_RES_80_113")


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> list[dict]:
    folder = need(CORPUS / "pdf-text")
    write, _ = registry.writer_for("pdf")
    out = tmp_path_factory.mktemp("pages")
    found = []
    for stem in SAMPLE:
        pdf = out / f"{stem}.pdf"
        pdf.write_bytes(write(build.load(need(folder / "akn" / f"{stem}.xml"))
                              .resolution).data)
        found.append({"stem": stem, **compare(pages_of(pdf),
                                               pages_of(need(folder / "pdf" / f"{stem}.pdf")))})
    return found


@pytest.mark.corpus
@pytest.mark.slow
def test_every_note_on_the_page_of_its_call_and_no_page_of_the_end_rule_alone(rows) -> None:
    for r in rows:
        assert r["misplaced"] == [], r["stem"]
        assert not r["endrule_page"], r["stem"]
        assert r["notes"] > 0 or r["stem"] != "A_RES_78_46"


@pytest.mark.corpus
@pytest.mark.slow
def test_pages_and_line_breaks_as_the_official(rows) -> None:
    t = totals(rows)
    assert t["page_count"] == 1.0, [(r["stem"], r["pages"], r["official_pages"]) for r in rows]
    assert t["breaks"] >= 0.85, t
    assert t["first_words"] >= 0.5, t


def _row(text: str, first_size: float, first_sup: bool = False):
    from pipeline.readers.pdf.layout import Glyph, Row

    glyphs = [Glyph(ch, 123.4 + 4 * i, 127.4 + 4 * i, 700, 708.5,
                    first_size if i == 0 else 8.5) for i, ch in enumerate(text)]
    return Row(0, glyphs, [first_sup] + [False] * (len(text) - 1))


def test_a_note_opens_with_its_marker_not_with_a_number_of_its_text() -> None:
    """79/323: note 13 goes on with "14 June 1992" on its second row, which is no note 14."""
    from pipeline.writers.compare import _marked

    assert _marked(_row("14 Resolution 69/283, annex II.", 5.5))
    assert _marked(_row("14 Resolution 69/283, annex II.", 8.5, first_sup=True))
    assert not _marked(_row("14 June 1992, vol. I, Resolutions Adopted by the Conference", 8.5))
