"""The example sources in inputs/ against the facts a person established by hand
(tests/golden/facts.toml): masthead, counts, lead phrases, items, footnotes, symbols."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from pipeline import build
from pipeline.ast import DocRef, FootnoteRef, Paragraph, plain_text

ROOT = Path(__file__).resolve().parents[1]
FACTS = tomllib.loads((ROOT / "tests" / "golden" / "facts.toml").read_text("utf-8"))["resolution"]


def labels(items) -> list:
    out: list = []
    for it in items:
        out.append(it.label)
        if it.items:
            out.append(labels(it.items))
    return out


def docrefs(node) -> list[str]:
    """Symbols cited in running text (notes excluded), in order of first citation."""
    found: list[str] = []

    def walk(inl):
        for n in inl:
            if isinstance(n, DocRef):
                if n.symbol not in found:
                    found.append(n.symbol)
            elif isinstance(n, FootnoteRef):
                continue
            elif hasattr(n, "children"):
                walk(n.children)

    for r in node.preamble.recitals:
        walk(r.lead + r.body)
    for p in node.operative:
        walk(p.lead + p.body)

        def items(its):
            for it in its:
                walk(it.body)
                items(it.items)
        items(p.items)
    return found


@pytest.fixture(scope="module", params=FACTS, ids=[f["input"] for f in FACTS])
def case(request):
    facts = request.param
    parsed = build.load(ROOT / "inputs" / facts["input"])
    return facts, parsed.resolution, parsed.diagnostics


def test_masthead(case):
    facts, res, _ = case
    m = res.meta
    assert (m.symbol, m.number, m.organ, m.language) == \
        (facts["symbol"], facts["number"], facts["organ"], facts["language"])
    assert m.session == facts["session"]
    assert [a.number for a in m.agenda_items] == facts["agenda_items"]
    assert (m.adopted, m.meeting) == (facts["adopted"], facts["meeting"])
    assert m.proponent.kind == facts["proponent_kind"]
    assert m.proponent.committee == facts["committee"]
    assert list(m.proponent.drafts) == facts["drafts"]
    if facts["report_paragraph"]:
        assert str(facts["report_paragraph"]) in m.proponent.reference
    assert plain_text(m.title) == facts["title"]


def test_preamble_and_operative(case):
    facts, res, _ = case
    b = res.body
    assert plain_text(b.preamble.formula) == facts["formula"]
    assert [plain_text(r.lead) for r in b.preamble.recitals] == facts["preamble_leads"]
    assert len(b.preamble.recitals) == facts["preamble_count"]
    paras = [p for p in b.operative if isinstance(p, Paragraph)]
    assert len(paras) == facts["operative_count"]
    assert [plain_text(p.lead) for p in paras] == facts["operative_leads"]
    assert [p.num.rstrip(". -") for p in paras] == [str(i) for i in range(1, len(paras) + 1)]


def test_items(case):
    facts, res, _ = case
    got = {p.num.rstrip(". -"): labels(p.items) for p in res.body.operative
           if isinstance(p, Paragraph) and p.items}
    assert got == facts["items"]


def test_footnotes_at_their_calls(case):
    facts, res, _ = case
    b = res.body
    got = []
    for k, r in enumerate(b.preamble.recitals, 1):
        got += [(n.marker, f"pre:{k}", n) for n in r.body if isinstance(n, FootnoteRef)]
    paras = [p for p in b.operative if isinstance(p, Paragraph)]

    def notes_in(p):
        inl = list(p.body)

        def items(its):
            for it in its:
                inl.extend(it.body)
                items(it.items)
        items(p.items)
        return [n for n in inl if isinstance(n, FootnoteRef)]
    for k, p in enumerate(paras, 1):
        got += [(n.marker, f"op:{k}", n) for n in notes_in(p)]
    assert [(m, where) for m, where, _ in got] == \
        [(f["marker"], f["paragraph"]) for f in facts["footnotes"]]
    for (_m, _w, note), f in zip(got, facts["footnotes"]):
        text = plain_text(note.blocks[0].inlines)
        # the UN's Arabic markup keeps the "()" left where the note's number stood; so do we
        text = re.sub(r"^\(\)\s*", "", text)
        assert text == f["text"]


def test_no_footnote_text_left_in_paragraphs(case):
    facts, res, _ = case
    for r in res.body.preamble.recitals:
        for f in facts["footnotes"]:
            assert f["text"] not in plain_text(r.body)


def test_cited_symbols_are_linked(case):
    facts, res, _ = case
    found = docrefs(res.body)
    for sym in facts["cited_symbols"]:
        assert sym in found
