"""Hostile and careless input at the gates of a batch: what is read, where outputs go,
the build record, faults mid-run.  Each case builds its input, runs the real command and
checks the promise: one located line, the exit status, no traceback, nothing written
outside the output directory, nothing leaked into outputs or messages, inputs untouched.
"""

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

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
EN = ROOT / "inputs" / "A_RES_80_901.en.md"
INPUTS = sorted((ROOT / "inputs").glob("*.md"))
UNRES = [sys.executable, "-m", "pipeline.cli"]
SECRET = "TOKEN-5f3c9a-do-not-publish"


def files(d: Path) -> dict[str, bytes]:
    """Every file under ``d`` (hidden ones included), by relative path."""
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def published(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err


@pytest.fixture
def secret(tmp_path) -> Path:
    """A resolution-shaped file outside the input folder, holding a secret."""
    d = tmp_path / "private"
    d.mkdir()
    f = d / "notes.en.md"
    f.write_text(EN.read_text("utf-8").replace("road safety", SECRET), "utf-8")
    return f


def test_a_link_out_of_the_input_folder_is_not_followed(tmp_path, secret, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(EN, src / "good.en.md")
    (src / "leak.en.md").symlink_to(secret)
    (src / "dir").symlink_to(secret.parent, target_is_directory=True)
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "-t", "akn,html,md"]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert f"{src / 'leak.en.md'}:1:1: error: a symbolic link to a file outside the folders " \
           f"named; not read" in err
    assert SECRET.encode() not in published(out) and SECRET not in err
    assert sorted(files(out)) == [".unres-cache.json", "good.en.akn.xml", "good.en.html",
                                  "good.en.md"]
    # asked for, the link is read
    assert main(["convert", str(src), "-o", str(out), "-t", "akn", "--follow-links"]) == 0
    assert SECRET.encode() in (out / "leak.en.akn.xml").read_bytes()


def test_a_link_inside_the_input_folder_is_read_once(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(EN, src / "a.en.md")
    (src / "b.en.md").symlink_to(src / "a.en.md")
    assert main(["convert", str(src), str(src / "a.en.md"), "-o", str(tmp_path / "out"),
                 "-t", "akn"]) == 0
    assert "1 converted" in capsys.readouterr().err


def test_an_output_folder_that_links_elsewhere_is_not_written_through(tmp_path, capsys):
    src = tmp_path / "src" / "sub"
    src.mkdir(parents=True)
    shutil.copy(EN, src / "x.en.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    assert main(["convert", str(tmp_path / "src"), "-o", str(out), "-t", "akn"]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert "is a symbolic link: outputs are never written outside the output directory" in err
    assert list(elsewhere.iterdir()) == []


def test_an_output_never_replaces_an_input(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    original = EN.read_bytes() + b"\n<!-- an editor's comment -->\n"
    (src / "x.en.md").write_bytes(original)
    assert main(["convert", str(src), "-o", str(src), "-t", "md,akn"]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert "is one of this run's inputs; an output never replaces an input" in err
    assert (src / "x.en.md").read_bytes() == original
    assert not (src / "x.en.akn.xml").exists()      # the set is written whole or not at all


def test_sources_of_one_name_in_two_folders_are_not_confused(tmp_path, monkeypatch):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for d, words in ((a, "first text"), (b, "second text")):
        d.mkdir()
        (d / "x.en.md").write_text(EN.read_text("utf-8").replace("road safety", words), "utf-8")
    monkeypatch.chdir(a)
    assert main(["convert", "x.en.md", "-o", str(out), "-t", "akn"]) == 0
    monkeypatch.chdir(b)
    assert main(["convert", "x.en.md", "-o", str(out), "-t", "akn"]) == 0
    assert b"second text" in (out / "x.en.akn.xml").read_bytes()


@pytest.mark.parametrize("damage", ["wrong types", "not json", "a directory"])
def test_a_damaged_build_record_means_a_rebuild(damage, tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(EN, src / "x.en.md")
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "-t", "akn"]) == 0
    record = out / ".unres-cache.json"
    if damage == "wrong types":
        data = json.loads(record.read_text())
        for entry in data["entries"].values():
            entry["akn"] = ["not", "a", "dict"]
        data["entries"]["/elsewhere"] = 7
        record.write_text(json.dumps(data))
    elif damage == "not json":
        record.write_bytes(b"\x00\xff{")
    else:
        record.unlink()
        record.mkdir()
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "-t", "akn"]) == 0
    err = capsys.readouterr().err
    no_traceback(err)
    assert "1 converted" in err
    if damage == "a directory":
        assert "warning: the build record" in err and "could not be saved" in err


def test_a_failed_rerun_keeps_the_last_good_outputs(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "x.en.md").write_bytes(EN.read_bytes())
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "-t", "akn,json"]) == 0
    good = files(out)
    # the source changes and one output's place is now a directory: nothing is replaced
    (src / "x.en.md").write_text(EN.read_text("utf-8").replace("road safety", "roads"), "utf-8")
    (out / "x.en.json").unlink()
    (out / "x.en.json").mkdir()
    assert main(["convert", str(src), "-o", str(out), "-t", "akn,json"]) == 1
    err = capsys.readouterr().err
    no_traceback(err)
    assert "x.en.json is a directory; not overwritten" in err
    assert (out / "x.en.akn.xml").read_bytes() == good["x.en.akn.xml"]


def test_outputs_changed_since_they_were_recorded_are_rebuilt(tmp_path):
    """A run killed after writing outputs and before recording them, then the source
    reverted: the outputs hold the newer text and must not count as up to date."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "x.en.md").write_bytes(EN.read_bytes())
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "-t", "akn"]) == 0
    first = (out / "x.en.akn.xml").read_bytes()
    (out / "x.en.akn.xml").write_bytes(first.replace(b"road safety", b"newer text"))
    assert main(["convert", str(src), "-o", str(out), "-t", "akn"]) == 0
    assert (out / "x.en.akn.xml").read_bytes() == first


@pytest.mark.slow
def test_two_batches_into_one_output_directory_keep_every_record(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for d, chosen in ((a, INPUTS[:3]), (b, INPUTS[3:])):
        d.mkdir()
        for f in chosen:
            shutil.copy(f, d / f.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([*UNRES, "convert", str(d), "-o", str(out), "-t", "akn", "-j", "1",
                               "-q"], env=env, stderr=subprocess.PIPE) for d in (a, b)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    record = json.loads((out / ".unres-cache.json").read_text())
    assert len(record["entries"]) == len(INPUTS)


@pytest.mark.slow
def test_a_killed_worker_costs_only_its_own_file(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(8):
        shutil.copy(INPUTS[i % len(INPUTS)], src / f"{i}_{INPUTS[i % len(INPUTS)].name}")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([*UNRES, "convert", str(src), "-o", str(out), "-t", "akn,pdf", "-j",
                          "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed = _kill_a_worker(p.pid)
    rc = p.wait(timeout=300)
    err = p.stderr.read().decode()
    no_traceback(err)
    assert killed
    assert rc == 0, err                          # the lost file ran again, on a new worker
    assert len([n for n in files(out) if n.endswith(".pdf")]) == 8


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=,ppid=,args=", "-e"], capture_output=True,
                         text=True).stdout
    kids = []
    for line in out.splitlines():
        p, pp, *args = line.split(None, 2)
        if int(pp) == pid:
            kids.append((int(p), " ".join(args)))
    return kids


def _kill_a_worker(parent: int) -> bool:
    """SIGKILL one worker (a grandchild through the fork server) once it has work."""
    deadline = time.time() + 60
    while time.time() < deadline:
        for pid, _ in _children(parent):
            for worker, _args in _children(pid):
                time.sleep(0.5)             # let it take a file
                try:
                    os.kill(worker, signal.SIGKILL)
                    return True
                except ProcessLookupError:
                    pass
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_two_ctrl_c_stop_within_two_seconds_and_leave_nothing(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(24):
        shutil.copy(INPUTS[i % len(INPUTS)], src / f"{i:02d}_{INPUTS[i % len(INPUTS)].name}")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([*UNRES, "convert", str(src), "-o", str(out), "-t", "pdf,docx", "-j",
                          "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (out.exists() and any(out.glob("*.pdf"))):
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGINT)
    time.sleep(0.3)
    os.kill(p.pid, signal.SIGINT)
    t = time.monotonic()
    rc = p.wait(timeout=30)
    took = time.monotonic() - t
    err = p.stderr.read().decode()
    assert rc == 130, err
    assert took < 2.0, took
    assert "the files in progress are finishing" in err and "Traceback" not in err
    left = "?"
    for _ in range(20):               # helpers of the pool end when they see the parent gone
        left = subprocess.run(["ps", "-o", "pid=,args=", "-s", str(p.pid)], capture_output=True,
                              text=True).stdout.strip()
        if not left:
            break
        time.sleep(0.1)
    assert left == "", left
    assert not [n for n in files(out) if n.endswith(".unres-tmp")]
    # the next run resumes
    assert main(["convert", str(src), "-o", str(out), "-t", "pdf,docx", "-q"]) == 0


@pytest.mark.slow
def test_one_ctrl_c_finishes_the_files_in_progress(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        shutil.copy(INPUTS[i % len(INPUTS)], src / f"{i:02d}_{INPUTS[i % len(INPUTS)].name}")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([*UNRES, "convert", str(src), "-o", str(out), "-t", "pdf", "-j", "2"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not (out.exists() and any(out.glob("*.pdf"))):
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGINT)
    rc = p.wait(timeout=60)
    err = p.stderr.read().decode()
    assert rc == 130 and "(interrupted)" in err, err
    done = len(list(out.glob("*.pdf")))
    assert 1 <= done < 12
    record = json.loads((out / ".unres-cache.json").read_text())
    assert len(record["entries"]) == done          # every finished file is recorded


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_what_is_not_a_regular_file_is_refused_without_blocking(kind, tmp_path, capsys):
    if kind == "fifo":
        path = tmp_path / "pipe.en.md"
        os.mkfifo(path)
    elif kind == "device":
        path = tmp_path / "zero.en.md"
        path.symlink_to("/dev/zero")
    else:
        path = tmp_path / "d.en.md"
        path.mkdir()
        (path / "x").write_text("x")
    t = time.monotonic()
    rc = main(["parse", str(path)])
    err = capsys.readouterr().err
    assert time.monotonic() - t < 5
    assert rc != 0
    no_traceback(err)
    assert err.count("\n") == 1 and err.startswith(f"{path}:1:1: error: ")


def test_names_are_shown_escaped_in_messages(tmp_path, capsys):
    bad = tmp_path / "evil\n\x1b[2Jname\u202e.en.md"
    bad.write_bytes(b"\x00binary")
    assert main(["convert", str(bad), "-o", str(tmp_path / "out"), "-t", "akn"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 1 and "evil\\nname" not in lines[0] and "\\x1b[2J" in lines[0]


def test_a_file_named_twice_is_converted_once(tmp_path, capsys):
    shutil.copy(EN, tmp_path / "x.en.md")
    assert main(["convert", str(tmp_path / "x.en.md"), str(tmp_path / "." / "x.en.md"), "-o",
                 str(tmp_path / "out"), "-t", "akn"]) == 0
    assert "1 converted" in capsys.readouterr().err


def test_a_long_file_name_is_written(tmp_path):
    name = "r" * (250 - len(".en.akn.xml")) + ".en.md"
    shutil.copy(EN, tmp_path / name)
    assert main(["convert", str(tmp_path / name), "-o", str(tmp_path / "out"), "-t", "akn"]) == 0


def test_a_file_without_extension_is_named_in_its_message(tmp_path, capsys):
    (tmp_path / "README").write_text("hello")
    assert main(["parse", str(tmp_path / "README")]) != 0
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'README'}:1:1: error: no reader") or \
        "no reader for files without extension" in err


@pytest.mark.parametrize("where", ["under a file", "read-only"])
def test_an_output_directory_that_cannot_be_written_is_one_line(where, tmp_path, capsys):
    if os.geteuid() == 0 and where == "read-only":
        pytest.skip("root writes into read-only directories")
    shutil.copy(EN, tmp_path / "x.en.md")
    if where == "under a file":
        (tmp_path / "afile").write_text("x")
        out = tmp_path / "afile" / "out"
    else:
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o500)
    rc = main(["convert", str(tmp_path / "x.en.md"), "-o", str(out / "sub"), "-t", "akn"])
    err = capsys.readouterr().err
    assert rc == 1
    no_traceback(err)
    assert "error:" in err


def test_an_empty_format_list_is_refused(tmp_path, capsys):
    shutil.copy(EN, tmp_path / "x.en.md")
    assert main(["convert", str(tmp_path / "x.en.md"), "-t", "", "-o", str(tmp_path / "o")]) == 2
    assert "no output format given" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_huge_emblem_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    import struct
    import zlib

    png = tmp_path / "big.png"
    ihdr = struct.pack(">IIBBBBB", 10000, 10000, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
                    + struct.pack(">I", zlib.crc32(chunk)))
    monkeypatch.setenv("UNRES_EMBLEM", str(png))
    shutil.copy(EN, tmp_path / "x.en.md")
    assert main(["convert", str(tmp_path / "x.en.md"), "-t", "html",
                 "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "100000000 pixels" in err and len(err) < 400


def test_a_ctrl_c_after_the_batch_stopped_still_exits_130():
    """A second Ctrl-C that comes while an interrupted command sums up (the batch already
    ended) ends it with 130, not by the signal's default (the process killed by SIGINT)."""
    import signal
    import types

    from pipeline.interrupts import TwoStepInterrupt

    stop = types.SimpleNamespace(requested=False)
    reporter = types.SimpleNamespace(note=lambda text: None)
    before = signal.getsignal(signal.SIGINT)
    try:
        with TwoStepInterrupt(stop, reporter) as t:
            t._handle(signal.SIGINT, None)          # the first Ctrl-C: finish and stop
        handler = signal.getsignal(signal.SIGINT)
        with pytest.raises(SystemExit) as e:
            handler(signal.SIGINT, None)
        assert e.value.code == 130
    finally:
        signal.signal(signal.SIGINT, before)
    with TwoStepInterrupt(stop, reporter):
        pass                                        # no Ctrl-C: the handler before comes back
    assert signal.getsignal(signal.SIGINT) is before
