"""Scores against the UN's own markup (../shared/tools/akn_compare.py).

Sources of the seed's kind (corpus/seedlike/<lang>/*.md) are converted to AKN
and compared with the UN's markup beside them; the UN's AKN files
(corpus/akn/<lang>/*.xml) go through the round trip. The larger set of the
same kind (corpus/seedlike-large, ~240 per language) is swept whole by
``scripts/evaluate.py seedlike-large`` / ``roundtrip-large``; here only a sample
of it runs: every SAMPLE-th document, and every document named below (so that
each listed fault is checked). Every document must match exactly (in the sample
of the larger set: its structure, and its lead phrases on average at least 98%,
as the issue asks of unseen documents), except where
the UN's reference itself is at fault; each such exception names the document,
the measure and the fault, and is checked to still be needed (an exception that
no longer fails is an error).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import CORPUS, need
from pipeline import build, registry

pytestmark = pytest.mark.corpus

_ALL = ("exact", "op_count", "pre_count", "items", "footnotes", "leads", "op_text", "pre_text",
        "fn_place", "fn_text")


def _fault(why: str, *measures: str) -> dict[str, str]:
    return {m: why for m in measures}


#: the faults of the UN's markup shared by a document's sources and its round trip
_REPEATED_PARTS = ("the UN typed preamble, mainBody, preamble, mainBody (schema-invalid): the "
                   "scoring reads the first of each only, the reader all of them in order")
_DUPLICATE_RECITAL = ("the UN typed a recital a second time as a second <p> of the next "
                      "recital's container, where the source shows it as a paragraph")
_MEETING_IN_BODY = ("the UN typed the meeting line as the last paragraph of the body; its "
                    "conclusions hold the date only")

#: (corpus part, lang, stem) -> {measure: why the UN's markup makes it fail}
REFERENCE_FAULTS: dict[tuple[str, str, str], dict[str, str]] = {
    ("seedlike", "zho", "A_RES_76_243-2119709C"): _fault(
        "the UN typed operative paragraphs 1-4 inside <preamble> and items (a)-(c) as "
        "numbered <paragraph>s", "exact", "op_count", "pre_count", "items", "leads", "op_text",
        "pre_text"),
    # seedlike-large: sources of the seed's kind
    ("seedlike-large", "ara", "75_159_A"): _fault(
        "the UN typed the label (ه) with an Arabic presentation form (U+FEEB), which the "
        "scoring does not read as a label", "exact", "items"),
    ("seedlike-large", "ara", "75_238_A"): _fault(_MEETING_IN_BODY, "exact", "meeting"),
    ("seedlike-large", "ara", "A_RES_77_248-2300140A"): _fault(_MEETING_IN_BODY, "exact",
                                                               "meeting"),
    ("seedlike-large", "ara", "A_RES_77_122-2228488A"): _fault(
        _DUPLICATE_RECITAL, "exact", "pre_count", "pre_text", "fn_place", "leads"),
    ("seedlike-large", "zho", "75_205_C"): _fault(
        _DUPLICATE_RECITAL, "exact", "pre_count", "pre_text", "fn_place", "leads"),
    ("seedlike-large", "zho", "75_234_C"): _fault(
        _REPEATED_PARTS, "exact", "op_count", "pre_count", "footnotes", "op_text"),
    ("seedlike-large", "zho", "75_290 B_C"): _fault(
        "the Chinese preface leaves out the part letter B that the symbol carries (the "
        "other five languages print it), and gives two titles, of which the scoring takes "
        "the first", "exact", "symbol", "title"),
    ("seedlike-large", "zho", "A_RES_76_74-2118616C"): _fault(
        "the UN typed operative paragraphs 1-13 inside <preamble>", "exact", "op_count",
        "pre_count", "items", "op_text", "pre_text", "fn_place", "leads"),
    ("seedlike-large", "zho", "A_RES_77_101-2228245C"): _fault(
        "the UN typed operative paragraphs 1-2 inside <preamble>", "exact", "op_count",
        "pre_count", "op_text", "pre_text", "fn_place"),
    ("seedlike-large", "eng", "75_55_E"): _fault(
        "the UN typed a recital's list as a <blockList> of its own in <preamble>, outside "
        "the recital's container (its other recitals' lists are inside)", "exact",
        "pre_count", "pre_text", "leads"),
    ("seedlike-large", "eng", "A_RES_76_226-2119655E"): _fault(
        "the UN typed the section numbers I-V as the numbers of empty paragraphs, the "
        "first of which counts as an operative paragraph", "exact", "op_count", "op_text",
        "fn_place", "leads"),
    ("seedlike-large", "fra", "75_238_F"): _fault(
        _REPEATED_PARTS, "exact", "op_count", "pre_count", "items", "footnotes", "op_text",
        "pre_text", "fn_place"),
    ("seedlike-large", "spa", "A_RES_S-32_1-2107229S"): _fault(_MEETING_IN_BODY, "exact",
                                                                "meeting"),
    ("seedlike-large", "rus", "75_57_R"): _fault(
        "the UN's FRBRWork date is the date of issuance (14 December), not the date of "
        "adoption the resolution prints (7 December); the meeting line is typed in the "
        "body and the file has no conclusions", "exact", "date", "meeting"),
    # the round trip of the same markup
    ("roundtrip-large", "ara", "75_238_A"): _fault(_MEETING_IN_BODY, "exact", "meeting"),
    ("roundtrip-large", "ara", "A_RES_77_248-2300140A"): _fault(_MEETING_IN_BODY, "exact",
                                                                "meeting"),
    ("roundtrip-large", "rus", "75_57_R"): _fault(
        "the UN typed the meeting line, with the date, as the last paragraph of the body, "
        "and the file has no conclusions: the reader makes them", "exact", "meeting"),
    ("roundtrip-large", "zho", "75_234_C"): _fault(
        _REPEATED_PARTS, "exact", "op_count", "pre_count", "footnotes", "op_text"),
    ("roundtrip-large", "zho", "A_RES_77_101-2228245C"): _fault(
        "the UN typed operative paragraphs 1-2 inside <preamble>: the reader moves them to "
        "the operative part", "exact", "op_count", "pre_count", "op_text", "pre_text",
        "fn_place"),
    ("roundtrip-large", "fra", "75_238_F"): _fault(
        _REPEATED_PARTS, "exact", "op_count", "pre_count", "items", "footnotes", "op_text",
        "pre_text", "fn_place"),
    ("roundtrip-large", "spa", "A_RES_S-32_1-2107229S"): _fault(_MEETING_IN_BODY, "exact",
                                                                 "meeting"),
    ("roundtrip-large", "spa", "A_RES_76_246-2119713S"): _fault(
        "the UN typed the heading \"A. Secretaría del Comité Mixto\" of a table's sections "
        "as the point of a list (bold, under \"Aprueba ... siguiente:\"), where B., C. "
        "and D. are H23 headings: the reader makes it the heading it is", "exact", "items"),
    ("roundtrip-large", "spa", "75_251_B_S"): _fault(
        "the UN's file is not well-formed XML (an <inline> left open inside a <p>)", "xml"),
}

LANGS = ("ara", "zho", "eng", "fra", "rus", "spa")
TEXT_MEASURES = ("op_text", "pre_text", "fn_text")
COUNT_MEASURES = ("exact", "op_count", "pre_count", "items", "footnotes", "symbol", "date",
                  "meeting", "lang", "type", "title")
#: of seedlike-large, every SAMPLE-th document runs here (the rest in scripts/evaluate.py)
SAMPLE = 24
PARTS = {  # part -> (corpus folder, source suffix)
    "seedlike": ("seedlike", ".md"),
    "roundtrip": ("akn", ".xml"),
    "seedlike-large": ("seedlike-large", ".md"),
    "roundtrip-large": ("seedlike-large", ".xml"),
}


def _documents(part: str, lang: str) -> list[tuple[Path, Path]]:
    """(source, UN reference) pairs."""
    folder, suffix = PARTS[part]
    d = CORPUS / folder / lang
    refs = sorted(d.glob("*.xml"))
    if part.endswith("-large"):
        named = {stem for (p, lg, stem) in REFERENCE_FAULTS if p == part and lg == lang}
        refs = [r for k, r in enumerate(refs) if k % SAMPLE == 0 or r.stem in named]
    return [(r.with_suffix(suffix), r) for r in refs if r.with_suffix(suffix).exists()]


def _score(akn_compare, part: str, lang: str, tmp: Path) -> list[tuple[str, dict]]:
    write, _ = registry.writer_for("akn")
    rows = []
    for src, ref in _documents(part, lang):
        if "xml" in REFERENCE_FAULTS.get((part, lang, ref.stem), {}):
            with pytest.raises(etree.XMLSyntaxError):    # still unreadable, as listed
                akn_compare.signature(str(ref))
            continue
        out = tmp / f"{ref.stem}.akn.xml"
        out.write_bytes(write(build.load(src).resolution).data)
        sig = akn_compare.signature(str(ref))
        r = akn_compare.compare(sig, akn_compare.signature(str(out)))
        if not r["title"] and sig["title"].startswith("- "):
            # the UN's Arabic titles often open with the dash that follows the number
            # ("75/108. - مسألة أنغويلا"), which no reader keeps: a fault of the markup
            r["title"] = True
        rows.append((ref.stem, r))
    return rows


@pytest.mark.parametrize("part", list(PARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_scores_against_the_uns_markup(part, lang, akn_compare, tmp_path):
    need(CORPUS / PARTS[part][0] / lang)
    rows = _score(akn_compare, part, lang, tmp_path)
    assert rows, "no documents"
    failures = []
    for stem, r in rows:
        faults = REFERENCE_FAULTS.get((part, lang, stem), {})
        for m in COUNT_MEASURES:
            if not r[m] and m not in faults:
                failures.append(f"{stem}: {m}")
        for m in ("leads", "fn_place") if not part.endswith("-large") else ("fn_place",):
            if r[m] < 1.0 and m not in faults:
                failures.append(f"{stem}: {m} {r[m]:.3f}")
        for m in faults:  # an exception that is no longer needed must be removed
            v = r[m]
            assert (v is False) or (isinstance(v, float) and v < 1.0), \
                f"{stem}: {m} now matches; remove it from REFERENCE_FAULTS"
    assert not failures, failures
    # text similarity over the documents whose reference is sound
    for m in TEXT_MEASURES:
        vals = [r[m] for stem, r in rows if m not in REFERENCE_FAULTS.get((part, lang, stem), {})]
        assert sum(vals) / len(vals) >= 0.995, (m, sum(vals) / len(vals))
    if part.endswith("-large"):
        # lead phrases: the share the issue asks of unseen documents, over the sample
        vals = [r["leads"] for stem, r in rows
                if "leads" not in REFERENCE_FAULTS.get((part, lang, stem), {})]
        assert sum(vals) / len(vals) >= 0.98, ("leads", sum(vals) / len(vals))


def test_every_listed_fault_names_a_document_and_a_known_measure():
    known = set(COUNT_MEASURES) | set(_ALL) | {"xml"}
    for (part, lang, stem), faults in REFERENCE_FAULTS.items():
        assert part in PARTS and lang in LANGS and stem, (part, lang, stem)
        assert faults and set(faults) <= known, (stem, set(faults) - known)
