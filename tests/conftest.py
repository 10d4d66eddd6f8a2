"""Shared test fixtures: the shared corpus, the scoring tool, the goldens and their update flag.

The tiers (markers, registered in pyproject.toml; ``make unit`` leaves them all out):
``corpus`` sweeps ../shared/corpus, ``browser`` drives Chromium, ``office`` LibreOffice,
``precommit`` the pre-commit tool, ``packaging`` pip and a wheel, ``slow`` anything else
that takes seconds.  The rest, unit tests and goldens, run in well under a minute.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite the expected files in tests/golden/ (then read the diff)")


def need(path: Path) -> Path:
    """``path`` when it exists; else skip (fail under CI=true, where the corpus must be there)."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing; CI needs ../shared beside the repository")
        pytest.skip(f"{path} is not present (the shared corpus lives in ../shared)")
    return path


@pytest.fixture(scope="session")
def akn_compare():
    """The shared scoring tool ``../shared/tools/akn_compare.py`` as a module."""
    path = need(SHARED / "tools" / "akn_compare.py")
    spec = importlib.util.spec_from_file_location("akn_compare", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def golden_outputs(tmp_path_factory):
    """Every golden case through every writer, written once per test process
    (``golden_support.Outputs``)."""
    from golden_support import Outputs

    return Outputs(tmp_path_factory.mktemp("golden-outputs"))


#: user property of a test report that names a golden the run rewrote, with its diff
GOLDEN_REWRITTEN = "golden-rewritten"


def pytest_terminal_summary(terminalreporter) -> None:
    """After ``--update-goldens``: every expected file rewritten, and how it changed (the
    reports come from the test processes too, under pytest-xdist)."""
    rewritten = [value for reports in terminalreporter.stats.values() for r in reports
                 for key, value in getattr(r, "user_properties", ()) if key == GOLDEN_REWRITTEN]
    if not terminalreporter.config.getoption("--update-goldens"):
        return
    tr = terminalreporter
    tr.section("goldens rewritten")
    if not rewritten:
        tr.write_line("none: every expected file already holds what the writers make")
        return
    for text in sorted(set(rewritten)):
        tr.write_line(text)
    tr.write_line(f"{len(set(rewritten))} golden(s) rewritten: read `git diff tests/golden` "
                  "before committing")


def need_program(name: str, package: str) -> str:
    """The path of a program the test needs; skip without it (fail under CI=true, where
    ``make test`` installs it from the Debian package named)."""
    import shutil

    found = shutil.which(name)
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing; CI installs it with the Debian package {package}")
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return found
