"""``unres fmt`` and ``unres convert --check``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, need
from pipeline.cli import main
from pipeline.fmt import format_source
from pipeline.readers.markdown import read

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "inputs").glob("*.md"))


@pytest.mark.parametrize("src", INPUTS, ids=[p.name for p in INPUTS])
def test_fmt_keeps_the_resolution_and_is_idempotent(src, tmp_path):
    f = tmp_path / src.name
    shutil.copy(src, f)
    before = read(f.read_bytes(), f.name).resolution
    assert main(["fmt", str(f)]) == 0
    after = read(f.read_bytes(), f.name).resolution
    assert after == before
    once = f.read_bytes()
    assert main(["fmt", "--check", str(f)]) == 0
    assert main(["fmt", str(f)]) == 0 and f.read_bytes() == once


def test_fmt_check_prints_a_diff_and_fails(tmp_path, capsys):
    f = tmp_path / "A_RES_71_19.zh.md"
    shutil.copy(ROOT / "inputs" / f.name, f)
    original = f.read_bytes()
    assert main(["fmt", "--check", str(f)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith(f"--- {f}") and "[^1]" in out.out
    assert "not in the canonical form" in out.err
    assert f.read_bytes() == original          # --check changes nothing


def test_fmt_reports_a_bad_file_and_goes_on(tmp_path, capsys):
    bad, good = tmp_path / "bad.md", tmp_path / "A_RES_80_901.en.md"
    bad.write_bytes(b"")
    shutil.copy(ROOT / "inputs" / good.name, good)
    assert main(["fmt", str(bad), str(good)]) == 1
    assert f"{bad}:1:1: error: empty file" in capsys.readouterr().err
    assert main(["fmt", "--check", str(good)]) == 0


@pytest.mark.corpus
def test_seedlike_corpus_formats_back_to_the_same_resolutions():
    files = sorted(need(CORPUS / "seedlike").glob("*/*.md"))
    refused = []
    for f in files:
        try:
            format_source(f)
        except Exception as e:  # noqa: BLE001 - collect, then show all
            refused.append(f"{f.name}: {e}")
    assert refused == []


def test_convert_check_finds_stale_and_missing_outputs(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    for f in INPUTS[:2]:
        shutil.copy(f, src / f.name)
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "--check"]) == 1       # missing
    assert main(["convert", str(src), "-o", str(out), "-q"]) == 0
    assert main(["convert", str(src), "-o", str(out), "--check"]) == 0
    (out / ".unres-cache.json").unlink()     # a fresh clone: no record, outputs compared
    assert main(["convert", str(src), "-o", str(out), "--check"]) == 0
    target = out / (INPUTS[0].name[:-3] + ".akn.xml")
    target.write_bytes(target.read_bytes().replace(b"<mainBody>", b"<mainBody> "))
    (out / ".unres-cache.json").unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "--check"]) == 1
    assert "is out of date" in capsys.readouterr().err


def test_fmt_imports_no_pdf_or_word_machinery(tmp_path):
    """`unres fmt` reads and writes markdown only: no WeasyPrint, python-docx or pdfplumber."""
    import json
    import os
    import subprocess
    import sys

    f = tmp_path / "A_RES_80_901.en.md"
    shutil.copy(ROOT / "inputs" / f.name, f)
    code = ("import json, sys\nfrom pipeline.cli import main\nrc = main(['fmt', '--check', "
            "sys.argv[1]])\nprint(json.dumps([rc, sorted(sys.modules)]), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    rc, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    assert rc == 1                                   # the seed's shape is not canonical
    heavy = [m for m in modules if m.split(".")[0] in ("weasyprint", "docx", "pdfplumber")
             or m.startswith(("pipeline.writers.pdf", "pipeline.writers.docx",
                              "pipeline.readers.pdf", "pipeline.readers.docx"))]
    assert heavy == []
