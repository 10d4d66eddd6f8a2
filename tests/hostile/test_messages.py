"""Careless or hostile input that used to crash or to be misreported: each is one
located line (or a located warning), the right exit status, never a traceback and
never "internal error", which is kept for real defects."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
EN = ROOT / "inputs" / "A_RES_80_901.en.md"


def clean(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err


@pytest.fixture(scope="module")
def tree_text() -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(EN)],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("how", ["parse", "convert", "check", "lint"])
def test_a_lone_surrogate_in_a_json_tree_is_one_located_line(how, tree_text, tmp_path, capsys):
    at = tree_text.index("road safety")
    src = tmp_path / "x.json"
    src.write_text(tree_text[:at] + "\\udc80" + tree_text[at:], "utf-8")
    line = tree_text[:at].count("\n") + 1
    col = at - tree_text.rfind("\n", 0, at)
    args = {"parse": ["parse", str(src)],
            "convert": ["convert", str(src), "-o", str(tmp_path / "o"), "-t",
                        "akn,html,docx,md"],
            "check": ["convert", "--check", str(src), "-o", str(tmp_path / "o"), "-t", "akn"],
            "lint": ["lint", str(src)]}[how]
    assert main(args) != 0
    captured = capsys.readouterr()
    clean(captured.err)
    errors = [x for x in captured.err.splitlines() if ": error: " in x]
    assert errors == [f"{src}:{line}:{col}: error: a string holds half of a surrogate pair "
                      "(\\uD800-\\uDFFF escaped alone), which is not a character"]
    assert not (tmp_path / "o").exists() or not any(
        p for p in (tmp_path / "o").rglob("*") if not p.name.startswith("."))


def test_a_surrogate_pair_and_an_escaped_backslash_are_read(tree_text, tmp_path, capsys):
    at = tree_text.index("road safety")
    src = tmp_path / "x.json"
    src.write_text(tree_text[:at] + "\\ud83c\\udf0d \\\\udc80 " + tree_text[at:], "utf-8")
    assert main(["parse", str(src)]) == 0
    out = capsys.readouterr().out
    assert "\U0001f30d \\\\udc80 road safety" in json.dumps(json.loads(out), ensure_ascii=False)


def test_a_control_character_escaped_in_a_json_tree_is_one_located_line(tree_text, tmp_path,
                                                                         capsys):
    at = tree_text.index("road safety")
    src = tmp_path / "x.json"
    src.write_text(tree_text[:at] + "\\b\\u0007" + tree_text[at:], "utf-8")
    assert main(["convert", str(src), "-o", str(tmp_path / "o"), "-t", "akn,docx"]) == 1
    err = capsys.readouterr().err
    clean(err)
    line = tree_text[:at].count("\n") + 1
    col = at - tree_text.rfind("\n", 0, at)
    assert f"{src}:{line}:{col}: error: a string holds a control character" in err


def test_a_bad_json_string_is_one_located_line(tmp_path, capsys):
    src = tmp_path / "x.json"
    src.write_text('{"ast_version": 1,\n "x": "abc\\q"}', "utf-8")
    assert main(["parse", str(src)]) == 65
    err = capsys.readouterr().err
    clean(err)
    assert err == f"{src}:2:11: error: not valid JSON: Invalid \\escape\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be-bom", "utf-32"])
@pytest.mark.parametrize("ext", [".md", ".txt"])
def test_text_with_a_byte_order_mark_is_decoded(codec, ext, tmp_path, capsys):
    text = EN.read_text("utf-8")
    if ext == ".txt":
        text = text.replace("*", "").replace("#", "").replace("<sup>", "").replace("</sup>", "")
    data = (b"\xfe\xff" + text.encode("utf-16-be")) if codec == "utf-16-be-bom" \
        else text.encode(codec)
    src = tmp_path / f"x.en{ext}"
    src.write_bytes(data)
    plain = tmp_path / f"plain.en{ext}"
    plain.write_text(text, "utf-8")
    assert main(["parse", str(src)]) == 0
    wide = json.loads(capsys.readouterr().out)
    assert main(["parse", str(plain)]) == 0
    utf8 = json.loads(capsys.readouterr().out)
    assert json.dumps(wide).replace(src.name, plain.name) == json.dumps(utf8)


def test_utf16_without_a_byte_order_mark_is_named(tmp_path, capsys):
    src = tmp_path / "x.en.md"
    src.write_bytes(EN.read_text("utf-8").encode("utf-16-le"))
    assert main(["parse", str(src)]) == 65
    err = capsys.readouterr().err
    assert err == f"{src}:1:1: error: UTF-16 text without a byte order mark: save it as UTF-8\n"


def test_footnotes_defined_twice_never_called_or_never_defined_are_warned(tmp_path, capsys):
    text = EN.read_text("utf-8").replace("June 2022,<sup>1</sup>", "June 2022,[^a]<sup>1</sup>")
    text = text.replace("2030 Agenda for Sustainable Development,",
                        "2030 Agenda for Sustainable Development,[^b]")
    text += "\n[^a]: One.\n\n[^a]: Again.\n\n[^c]: Never called.\n"
    src = tmp_path / "x.en.md"
    src.write_text(text, "utf-8")
    lines = text.split("\n")

    def where(needle: str, nth: int = 0) -> str:
        found = [(i + 1, line.index(needle) + 1) for i, line in enumerate(lines)
                 if needle in line]
        return f"{src}:{found[nth][0]}:{found[nth][1]}"

    assert main(["parse", str(src)]) == 0
    err = capsys.readouterr().err
    clean(err)
    assert f"{where('[^b]')}: warning: footnote reference [^b] has no note" in err
    assert f"{where('[^a]:', 1)}: warning: footnote [^a] is defined a second time (first on " \
           f"line {where('[^a]:').split(':')[1]})" in err
    assert f"{where('[^c]:')}: warning: footnote [^c] is never called" in err
    # lint tells the missing note once, where the call stands
    assert main(["lint", str(src)]) == 1
    out = capsys.readouterr().out
    told = [line for line in out.splitlines() if "[^b]" in line]
    assert len(told) == 1 and told[0].startswith(f"{where('[^b]')}: UN301"), out


def test_a_superscript_note_defined_twice_is_warned_as_such(tmp_path, capsys):
    text = EN.read_text("utf-8").replace(
        "<sup>1</sup> Resolution 76/294, annex.",
        "<sup>1</sup> Resolution 76/294, annex.\n\n<sup>1</sup> Resolution 99/1.")
    src = tmp_path / "x.en.md"
    src.write_text(text, "utf-8")
    lines = text.split("\n")
    first = lines.index("<sup>1</sup> Resolution 76/294, annex.") + 1
    second = lines.index("<sup>1</sup> Resolution 99/1.") + 1
    assert main(["parse", str(src)]) == 0
    err = capsys.readouterr().err
    assert f"{src}:{second}:1: warning: footnote 1 is defined a second time (first on line " \
           f"{first})" in err


@pytest.mark.parametrize("fault", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_an_output_directory_that_refuses_writes_is_not_an_internal_error(fault, tmp_path,
                                                                          capsys, monkeypatch):
    """A full disk, a read-only file system or a directory without write permission (as
    root, which writes anywhere, the refusal is simulated at the write)."""
    shutil.copy(EN, tmp_path / "x.en.md")
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR) and str(tmp_path / "out") in str(path):
            raise OSError(fault, os.strerror(fault), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    rc = main(["convert", str(tmp_path / "x.en.md"), "-o", str(tmp_path / "out"), "-t", "akn",
               "-j", "1"])
    err = capsys.readouterr().err
    assert rc == 1
    clean(err)
    errors = [x for x in err.splitlines() if ": error: " in x]
    assert len(errors) == 1 and os.strerror(fault) in errors[0], err
