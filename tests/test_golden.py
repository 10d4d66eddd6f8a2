"""Golden cases: one corpus, every writer.

Every case of ``tests/golden/<case>/`` (the seed and our examples in five more languages)
goes through every writer (the tree, the reader's warnings, AKN, HTML, the PDF's text and
pages, the Word package), and each result must be what ``expected.*`` holds (see
``golden_support``).  Every difference fails, with a diff and the command that reproduces
it.  Regenerate on purpose with ``pytest --update-goldens``, which rewrites only the files
that differ and lists them with their diffs; then read ``git diff tests/golden`` before
committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GOLDEN_REWRITTEN, need_program
from golden_support import (CASES, GOLDENS, IDS, difference, read_case, reproduce, rewrite,
                            source_of)
from pipeline import registry
from pipeline.akn_schema import validate
from pipeline.ast import from_json, to_json


@pytest.mark.parametrize("writer", list(GOLDENS))
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_golden(case: Path, writer: str, golden_outputs, update_goldens: bool,
                request) -> None:
    golden = GOLDENS[writer]
    for program, package in golden.programs:
        need_program(program, package)
    got = golden.produce(golden_outputs, case)
    diff = difference(case, golden, got)
    if diff is None:
        return
    if update_goldens:
        rewrite(case, golden, got)
        request.node.user_properties.append((GOLDEN_REWRITTEN, f"{case.name}/{golden.name}\n"
                                             f"{diff[:6000]}"))
        return
    pytest.fail(f"{diff[:6000]}\n{reproduce(case, golden)}", pytrace=False)


def produce(case: Path) -> dict[str, bytes]:
    """The tree, its AKN and the reader's warnings, read and written afresh."""
    parsed = read_case(case)
    akn_write, _ = registry.writer_for("akn")
    return {
        "expected.json": to_json(parsed.resolution).encode("utf-8"),
        "expected.akn.xml": akn_write(parsed.resolution).data,
        "expected.warnings.txt": "".join(f"{d}\n" for d in parsed.diagnostics).encode("utf-8"),
    }


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_golden_akn_is_schema_valid_and_tree_round_trips(case: Path) -> None:
    out = produce(case)
    assert validate(out["expected.akn.xml"]) == []
    tree = from_json(out["expected.json"].decode("utf-8"))
    assert to_json(tree).encode("utf-8") == out["expected.json"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_same_input_same_bytes(case: Path) -> None:
    assert produce(case) == produce(case)


def test_there_are_goldens_for_the_seed_and_five_languages() -> None:
    langs = {source_of(c).suffixes[-2] for c in CASES}
    assert {".zh", ".en", ".fr", ".es", ".ru", ".ar"} <= langs


def test_every_writer_has_a_golden_in_every_case() -> None:
    assert {g.fmt for g in GOLDENS.values()} == {"json", "akn", "html", "pdf", "docx"}
    for case in CASES:
        assert sorted(p.name for p in case.iterdir() if p.name.startswith("expected")) == \
            sorted(g.name for g in GOLDENS.values()), case.name
