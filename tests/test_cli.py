"""The command-line contract scripts rely on (README "Usage")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "inputs" / "A_RES_71_19.zh.md"
DIAG = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+)$")


def outputs(d: Path) -> list[str]:
    """The outputs in a directory (the hidden build record left aside)."""
    return sorted(p.name for p in d.iterdir() if not p.name.startswith("."))


def bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {
        "empty.md": b"",
        "binary.md": bytes(range(256)) * 4,
        "latin1.en.md": "Résolution\n".encode("latin-1"),
        "shopping.en.md": b"Milk.\n\nEggs and bread.\n",
        "hostile.xml": b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e SYSTEM '
                       b'"file:///etc/passwd">]>\n<akomaNtoso xmlns="http://docs.oasis-open.org/'
                       b'legaldocml/ns/akn/3.0">&e;</akomaNtoso>\n',
        "laughs.xml": b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY a "aaaa"><!ENTITY b '
                      b'"&a;&a;&a;&a;&a;&a;">]>\n<a>&b;</a>\n',
        "dtd.xml": b'<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "http://example.org/a.dtd">\n<a/>\n',
        "broken.xml": b"<akomaNtoso><statement></akomaNtoso>",
        "notakn.xml": b"<html><body>hi</body></html>",
        "greek.md": "Γενική Συνέλευση\n\n1. Αποφασίζει.\n".encode(),
    }
    out = {}
    for name, data in files.items():
        (tmp / name).write_bytes(data)
        out[name] = tmp / name
    return out


def test_convert_writes_name_minus_last_extension(tmp_path, capsys):
    assert main(["convert", str(SEED), "-t", "akn,json", "-o", str(tmp_path)]) == 0
    assert outputs(tmp_path) == ["A_RES_71_19.zh.akn.xml", "A_RES_71_19.zh.json"]


def test_each_bad_file_gives_one_line_with_position_and_no_output(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    bad = bad_inputs(src)
    out = tmp_path / "out"
    rc = main(["convert", *map(str, bad.values()), str(SEED), "-t", "akn", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == len(bad)
    for line in errors:
        m = DIAG.match(line)
        assert m, line
        assert Path(m["file"]).name in bad
        assert int(m["line"]) >= 1 and int(m["col"]) >= 1
        assert "Traceback" not in err
    # the good file was converted; no output, partial or temporary, for the bad ones
    assert outputs(out) == ["A_RES_71_19.zh.akn.xml"]
    # and nothing else: no temporary file, only the build record
    assert sorted(p.name for p in out.iterdir()) == [".unres-cache.json", "A_RES_71_19.zh.akn.xml"]


def test_hostile_xml_reads_nothing_from_disk(tmp_path, capsys):
    bad = bad_inputs(tmp_path)
    assert main(["parse", str(bad["hostile.xml"])]) != 0
    captured = capsys.readouterr()
    assert "root:" not in captured.out + captured.err
    assert ":2:" in captured.err  # the DOCTYPE's line


def test_unknown_language_is_named(tmp_path, capsys):
    f = tmp_path / "x.md"
    f.write_text("Hello.\n", encoding="utf-8")
    assert main(["convert", str(f), "--lang", "de", "-o", str(tmp_path / "o")]) == 2
    assert "unknown language 'de'" in capsys.readouterr().err


def test_footnote_call_without_note_is_a_warning_with_position(tmp_path, capsys):
    f = tmp_path / "n.zh.md"
    f.write_text("### 71/19. 标题\n\n大会，\n\n**回顾**其决议<sup>4</sup>，\n\n1. **决定**结束。\n",
                 encoding="utf-8")
    assert main(["convert", str(f), "-o", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert f"{f}:5:1: warning: footnote call 4 has no note" in err


def test_parse_prints_versioned_tree(capsys):
    assert main(["parse", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert out.startswith('{\n "ast_version": 1,')


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    assert main(["convert", str(SEED), "-t", "nope", "-o", str(tmp_path)]) == 2
    assert "unknown format 'nope'" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_console_script_runs(tmp_path):
    """The installed entry point, as a user runs it."""
    exe = Path(sys.executable).with_name("unres")
    if not exe.exists():
        pytest.skip(f"console script not installed beside {sys.executable}")
    r = subprocess.run([str(exe), "convert", str(SEED), "-o", str(tmp_path)],
                       capture_output=True, text=True, env={**os.environ})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "A_RES_71_19.zh.akn.xml").exists()


@pytest.mark.parametrize("fmt", ["akn", "json", "md"])
def test_parse_and_convert_take_lang_for_every_input_kind(fmt, tmp_path, capsys):
    """--lang is a read option every reader takes (the markup's own language wins)."""
    assert main(["convert", str(SEED), "-t", fmt, "-o", str(tmp_path)]) == 0
    made = next(p for p in tmp_path.iterdir() if not p.name.startswith("."))
    if fmt == "akn":   # the reader takes .xml
        made = made.rename(tmp_path / "made.xml")
    capsys.readouterr()
    assert main(["parse", str(made), "--lang", "zh"]) == 0
    assert '"language": "zh"' in capsys.readouterr().out
    out = tmp_path / "again"
    assert main(["convert", str(made), "--lang", "zh", "-t", "akn", "-o", str(out)]) == 0
