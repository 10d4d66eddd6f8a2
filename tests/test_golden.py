"""Golden cases: tests/golden/<case>/ holds a source, the expected tree and the expected AKN.

Every difference fails. Regenerate on purpose with ``pytest --update-goldens``,
then read ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pipeline import registry
from pipeline.akn_schema import validate
from pipeline.ast import from_json, to_json

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(d for d in GOLDEN.iterdir() if d.is_dir()) if GOLDEN.is_dir() else []


def source_of(case: Path) -> Path:
    found = [f for f in case.iterdir() if not f.name.startswith("expected")]
    assert len(found) == 1, f"{case} must hold exactly one source file besides expected.*"
    return found[0]


def produce(case: Path) -> dict[str, bytes]:
    src = source_of(case)
    parsed = registry.reader_for(src)(src.read_bytes(), src.name)
    akn_write, _ = registry.writer_for("akn")
    return {
        "expected.json": to_json(parsed.resolution).encode("utf-8"),
        "expected.akn.xml": akn_write(parsed.resolution).data,
        "expected.warnings.txt": "".join(f"{d}\n" for d in parsed.diagnostics).encode("utf-8"),
    }


def check(case: Path, name: str, got: bytes, update: bool) -> None:
    target = case / name
    assert target.resolve().is_relative_to(GOLDEN), "goldens are written under tests/golden only"
    if update:
        target.write_bytes(got)
        return
    assert target.exists(), f"{target} missing: run pytest --update-goldens and read the diff"
    want = target.read_bytes()
    if got != want:
        diff = "".join(difflib.unified_diff(
            want.decode("utf-8").splitlines(True), got.decode("utf-8").splitlines(True),
            f"{target} (expected)", f"{target} (produced)", n=2))
        pytest.fail(f"{case.name}/{name} differs from the golden:\n{diff[:6000]}\n"
                    f"reproduce: unres parse {source_of(case)}")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, update_goldens: bool) -> None:
    out = produce(case)
    for name, data in out.items():
        check(case, name, data, update_goldens)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_akn_is_schema_valid_and_tree_round_trips(case: Path) -> None:
    out = produce(case)
    assert validate(out["expected.akn.xml"]) == []
    tree = from_json(out["expected.json"].decode("utf-8"))
    assert to_json(tree).encode("utf-8") == out["expected.json"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_input_same_bytes(case: Path) -> None:
    assert produce(case) == produce(case)


def test_there_are_goldens_for_the_seed_and_five_languages() -> None:
    langs = {source_of(c).suffixes[-2] for c in CASES}
    assert {".zh", ".en", ".fr", ".es", ".ru", ".ar"} <= langs
