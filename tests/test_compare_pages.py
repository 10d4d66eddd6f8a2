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
