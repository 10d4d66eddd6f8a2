"""Round trip through Akoma Ntoso: the UN's files -> tree -> our AKN -> tree.

For every file of ``corpus/akn/*/*.xml``: read(UN file) = T1, write(T1) = X,
X validates against the OASIS schema, read(X) = T2 and T1 == T2; and
``tools/akn_compare.py`` scoring X against the UN file finds the same structure
and (nearly) the same text.  The corpus lives outside the repository, in
``../shared/corpus``: absent, these tests skip, except under ``CI=true``
where absence fails.
"""

from __future__ import annotations

import dataclasses
import importlib.util

import pytest

from pipeline.akn_schema import validate
from pipeline.ast import Item, Paragraph, Proponent, Section, plain_text
from pipeline.readers.akn import read
from pipeline.writers.akn import write
from test_akn_writer import _unresolved, zh_tree

from conftest import CORPUS, SHARED, need

FILES = sorted((CORPUS / "akn").glob("*/*.xml")) if CORPUS.is_dir() else []

#: Documents where the reference's score is known to be wrong, and why.  The tool's
#: item-label pattern is ASCII-only, so the UN's Russian item "с)" (a Cyrillic
#: letter, typed as text in an unnumbered paragraph) is not counted in the reference,
#: while our markup (and the reader) counts all five items.
KNOWN_TOOL_MISCOUNTS = {"75_10_R": "items"}


def _need_corpus() -> None:
    need(CORPUS / "akn")


def _compare_tool():
    path = need(SHARED / "tools" / "akn_compare.py")
    spec = importlib.util.spec_from_file_location("akn_compare", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _count_items(nodes) -> int:
    n = 0
    for node in nodes:
        if isinstance(node, Paragraph):
            n += _count_items(node.items)
        elif isinstance(node, Item):
            n += 1 + _count_items(node.items)
        elif isinstance(node, Section):
            n += _count_items(node.children)
    return n


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """stem -> (UN path, T1, X, T2), the candidates written to a temp dir for the tool."""
    _need_corpus()
    out = {}
    cand = tmp_path_factory.mktemp("cand")
    for f in FILES:
        t1 = read(f.read_bytes(), str(f)).resolution
        x = write(t1).data
        (cand / f"{f.stem}.akn.xml").write_bytes(x)
        t2 = read(x, f"{f.stem}.akn.xml").resolution
        out[f.stem] = (f, t1, x, t2)
    return out, cand


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES or [None],
                         ids=[f"{f.parent.name}/{f.stem}" for f in FILES] or ["no-corpus"])
def test_corpus_round_trip(path, written):
    _need_corpus()
    docs, _ = written
    _, t1, x, t2 = docs[path.stem]
    assert validate(x) == []
    assert t1 == t2
    assert write(t2).data == x  # and the same bytes again
    assert _unresolved(x) == []
    assert b"<num>\t" not in x and b"<num> " not in x


@pytest.mark.corpus
def test_corpus_present_or_skipped():
    _need_corpus()
    assert len(FILES) >= 30
    assert {f.parent.name for f in FILES} == {"ara", "zho", "eng", "fra", "rus", "spa"}


@pytest.mark.corpus
def test_compare_tool_finds_the_same_structure_and_text(written):
    tool = _compare_tool()
    docs, cand = written
    exact = 0
    for stem, (ref_path, t1, _x, _t2) in sorted(docs.items()):
        ref = tool.signature(str(ref_path))
        got = tool.signature(str(cand / f"{stem}.akn.xml"))
        r = tool.compare(ref, got)
        for key in ("op_text", "pre_text", "fn_text"):
            assert r[key] >= 0.995, (stem, key, r[key])
        for key in ("op_count", "pre_count", "footnotes", "symbol", "date", "meeting",
                    "lang", "type", "title"):
            assert r[key], (stem, key, ref.get(key), got.get(key))
        assert r["fn_place"] == 1.0, stem
        if not r["items"]:
            assert KNOWN_TOOL_MISCOUNTS.get(stem) == "items", (stem, ref["items"], got["items"])
            # our count is the tree's: every item of the tree is a <point>
            texts = [(m, b) for m, b in t1.texts()]
            assert got["items"] == sum(_count_items(b.operative) for _, b in texts)
        exact += r["exact"] or stem in KNOWN_TOOL_MISCOUNTS
    assert exact == len(docs)


def test_hand_built_tree_round_trips():
    """A tree that never saw the UN's markup: the seed's Chinese resolution."""
    t = zh_tree()
    # dates the writer must fill in (the schema requires them) are given, and the
    # proponent names one draft (see the report: the reader misses a second symbol
    # glued to Chinese text)
    meta = dataclasses.replace(
        t.meta, published="2016-12-06", marked_up="2016-12-07",
        proponent=Proponent("noMainCommittee", "", ("A/71/L.17",), "",
                            "[未经发交主要委员会而通过 (A/71/L.17)]"))
    t = dataclasses.replace(t, meta=meta)
    x = write(t).data
    assert validate(x) == []
    t2 = read(x, "zh.akn.xml").resolution
    assert t2 == t
    assert plain_text(t2.body.preamble.recitals[0].body, notes=True).endswith("。")
