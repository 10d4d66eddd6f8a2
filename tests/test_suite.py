"""The test suite itself: its tiers are the markers registered, and it loads no script."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

TESTS = ROOT / "tests"


def _markers() -> set[str]:
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))[
        "tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in pytest_options["addopts"]
    return {m.split(":")[0].strip() for m in pytest_options["markers"]}


def test_make_unit_leaves_out_every_tier() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    tiers = re.search(r"^SLOW_TIERS := (.*)$", makefile, re.M).group(1)
    assert set(tiers.split(" or ")) == _markers()
    assert re.search(r'^unit: .*\n\t.*pytest .*-m "not \(\$\(SLOW_TIERS\)\)"', makefile, re.M)
    assert re.search(r"^test: .*\n\t\$\(PY\) -m pytest -q(?! .*-m )", makefile, re.M), \
        "make test runs every tier"


def test_every_registered_tier_is_used() -> None:
    used = set()
    for f in TESTS.rglob("*.py"):
        used |= set(re.findall(r"pytest\.mark\.(\w+)", f.read_text("utf-8")))
    assert _markers() <= used


def test_no_test_loads_a_script() -> None:
    """What a test needs lives in tests/ (or the package), never in scripts/ or benchmarks/."""
    for f in sorted(TESTS.rglob("*.py")):
        text = f.read_text("utf-8")
        assert not re.search(r"""["'](scripts|benchmarks)["']\s*(/|\))|"""
                             r"""(scripts|benchmarks)/\w+\.py["']|"""
                             r"""^\s*(from|import)\s+(scripts|benchmarks|evaluate\w*|bench\w*)\b""",
                             text, re.M), f"{f.relative_to(TESTS)} loads a script"
