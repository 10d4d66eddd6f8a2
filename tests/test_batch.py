"""Batch conversion: incremental, parallel, safe with the files, reported."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "inputs").glob("*.md"))
UNRES = [sys.executable, "-m", "pipeline.cli"]


def outputs(d: Path) -> dict[str, int]:
    """Output files (relative names) and their modification times."""
    return {str(p.relative_to(d)): p.stat().st_mtime_ns for p in sorted(d.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def sources(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for f in INPUTS:
        shutil.copy(f, src / f.name)
    return src


def test_unchanged_inputs_are_not_rebuilt_nor_touched(sources, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(sources), "-o", str(out), "-j", "1"]) == 0
    first = outputs(out)
    assert len(first) == len(INPUTS)
    time.sleep(0.01)
    assert main(["convert", str(sources), "-o", str(out), "-j", "1"]) == 0
    assert outputs(out) == first
    assert f"0 converted, {len(INPUTS)} up to date, 0 failed" in capsys.readouterr().err


def test_a_changed_input_rebuilds_exactly_its_outputs(sources, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(sources), "-o", str(out), "-t", "akn,json"]) == 0
    first = outputs(out)
    en = sources / "A_RES_80_901.en.md"
    en.write_text(en.read_text("utf-8").replace("road safety", "road-safety"), "utf-8")
    assert main(["convert", str(sources), "-o", str(out), "-t", "akn,json"]) == 0
    after = outputs(out)
    changed = sorted(k for k in first if first[k] != after[k])
    assert changed == ["A_RES_80_901.en.akn.xml", "A_RES_80_901.en.json"]


def test_options_and_force_rebuild(sources, tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(sources), "-o", str(out)]) == 0
    first = outputs(out)
    assert main(["convert", str(sources), "-o", str(out), "--force"]) == 0
    assert all(outputs(out)[k] != v for k, v in first.items())
    # another format is another conversion: the new outputs are written, the old kept
    assert main(["convert", str(sources), "-o", str(out), "-t", "json"]) == 0
    assert len(outputs(out)) == 2 * len(INPUTS)


def test_parallel_and_serial_give_the_same_bytes(sources, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["convert", str(sources), "-o", str(a), "-j", "1"]) == 0
    assert main(["convert", str(sources), "-o", str(b), "-j", "2"]) == 0
    for name in outputs(a):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_a_batch_in_this_process_collects_less_and_then_as_before(sources, tmp_path):
    import gc

    from pipeline import build

    seen = []
    before = gc.get_threshold(), gc.get_freeze_count()
    for o in build.run(build.discover([sources]), ["akn"], tmp_path / "out", jobs=1):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        assert o.status == "converted"
    assert len(seen) == len(INPUTS)
    assert all(t >= build.GC_FIRST_GENERATION and frozen > before[1] for t, frozen in seen)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_same_names_in_subfolders_do_not_collide(tmp_path):
    src = tmp_path / "src"
    for sub in ("x", "y"):
        (src / sub).mkdir(parents=True)
        shutil.copy(INPUTS[0], src / sub / "res.zh.md")
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out)]) == 0
    assert sorted(outputs(out)) == ["x/res.zh.akn.xml", "y/res.zh.akn.xml"]


def test_report_and_a_bad_file_in_the_batch(sources, tmp_path, capsys):
    (sources / "broken.md").write_bytes(b"\x00\x01binary")
    out, report = tmp_path / "out", tmp_path / "run.json"
    assert main(["convert", str(sources), "-o", str(out), "--report", str(report)]) == 1
    data = json.loads(report.read_text("utf-8"))
    assert (data["converted"], data["failed"], data["up_to_date"]) == (len(INPUTS), 1, 0)
    bad = [f for f in data["files"] if f["status"] == "failed"]
    assert bad[0]["error"]["line"] == 1 and "binary" in bad[0]["error"]["message"]
    assert "broken.akn.xml" not in outputs(out)
    # the failed file is tried again next time; the others are up to date
    assert main(["convert", str(sources), "-o", str(out), "--report", str(report)]) == 1
    data = json.loads(report.read_text("utf-8"))
    assert (data["converted"], data["failed"], data["up_to_date"]) == (0, 1, len(INPUTS))


def many_sources(tmp_path: Path, n: int) -> Path:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(n):
        f = INPUTS[i % len(INPUTS)]
        shutil.copy(f, src / f"{i:03d}_{f.name}")
    return src


def assert_only_whole_files(out: Path) -> None:
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".unres-tmp")]
    assert leftovers == []
    for name in outputs(out):
        etree.fromstring((out / name).read_bytes())  # parses: a whole file


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_run_leaves_only_whole_files(tmp_path, sig):
    src, out = many_sources(tmp_path, 36), tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([*UNRES, "convert", str(src), "-o", str(out), "-j", "2", "-q"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(outputs(out) if out.exists() else {}) < 4:
        time.sleep(0.02)
    if sig == signal.SIGKILL:
        os.killpg(p.pid, sig)           # the whole group: workers die mid-write too
    else:
        os.kill(p.pid, sig)             # Ctrl-C reaches the parent
    rc = p.wait(timeout=60)
    if sig == signal.SIGINT:
        assert rc == 130, p.stderr.read()
        assert b"interrupted" in p.stderr.read()
    assert_only_whole_files(out)
    # the next run finishes the job and reports the rest as up to date
    assert main(["convert", str(src), "-o", str(out), "-q"]) == 0
    assert len(outputs(out)) == 36


def test_a_parallel_batch_leaves_no_temporary_files(sources, tmp_path):
    """The workers' temporary files (WeasyPrint copies the pages' faces into a folder of
    its own, several MB, removed only by an exit handler that pool processes skip) go
    with the batch; a TMPDIR too long for a socket's path still runs the batch."""
    tmp = tmp_path / ("a-temporary-folder-with-a-long-name-" * 3)
    tmp.mkdir()  # too long a path for the forkserver's socket: workers are spawned
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}
    done = subprocess.run([*UNRES, "convert", str(sources), "-o", str(tmp_path / "out"),
                           "-t", "pdf", "-j", "2", "-q"], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert len(outputs(tmp_path / "out")) == len(INPUTS)
    assert sorted(p.name for p in tmp.iterdir()) == []


def test_sources_whose_outputs_would_collide_are_refused(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(INPUTS[0], src / "same.zh.md")
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "-t", "json", "-q"]) == 0
    shutil.copy(out / "same.zh.json", src / "same.zh.json")    # a tree of the same name
    out2 = tmp_path / "out2"
    assert main(["convert", str(src), "-o", str(out2), "-t", "json"]) == 1
    err = capsys.readouterr().err
    assert "same.zh.md:1:1: error: its outputs would overwrite those of" in err
    assert outputs(out2) == {"same.zh.json": outputs(out2)["same.zh.json"]}


def test_outputs_inside_the_input_folder_are_not_read_back_as_inputs(sources):
    out = sources / "published"
    assert main(["convert", str(sources), "-o", str(out), "-t", "akn,json", "-q"]) == 0
    first = outputs(out)
    assert main(["convert", str(sources), "-o", str(out), "-t", "akn,json", "-q"]) == 0
    assert outputs(out) == first          # no "published/published/..." from last run's files


_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000154a24f5d000000"
                     "0049454e44ae426082")


def test_write_options_rebuild_exactly_the_outputs_they_shape(sources, tmp_path, monkeypatch):
    """The emblem shapes HTML and PDF, the source date PDF and DOCX: changing one
    rebuilds those outputs and leaves the others untouched."""
    monkeypatch.delenv("UNRES_EMBLEM", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "out"
    args = ["convert", str(sources / "A_RES_80_901.en.md"), "-o", str(out),
            "-t", "akn,html,pdf,docx,md", "-j", "1"]
    assert main(args) == 0
    first = outputs(out)
    emblem = tmp_path / "emblem.png"
    emblem.write_bytes(_PNG)
    monkeypatch.setenv("UNRES_EMBLEM", str(emblem))
    assert main(args) == 0
    second = outputs(out)
    assert sorted(k for k in first if first[k] != second[k]) == \
        ["A_RES_80_901.en.html", "A_RES_80_901.en.pdf"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert main(args) == 0
    third = outputs(out)
    assert sorted(k for k in first if second[k] != third[k]) == \
        ["A_RES_80_901.en.docx", "A_RES_80_901.en.pdf"]
    assert main(args) == 0
    assert outputs(out) == third


@pytest.mark.parametrize("value", ["yesterday", "-5", "99999999999999"])
def test_a_bad_source_date_is_a_usage_error(value, sources, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["convert", str(sources), "-o", str(tmp_path / "out")]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_emblem_that_is_not_an_image_is_refused_without_showing_it(sources, tmp_path,
                                                                      monkeypatch, capsys):
    secret = tmp_path / "secret.png"
    secret.write_text("TOKEN=hunter2\n")
    monkeypatch.setenv("UNRES_EMBLEM", str(secret))
    assert main(["convert", str(sources), "-o", str(tmp_path / "out"), "-t", "html"]) == 2
    err = capsys.readouterr().err
    assert "not a PNG, JPEG, GIF or SVG" in err and "hunter2" not in err
    assert not (tmp_path / "out").exists()
