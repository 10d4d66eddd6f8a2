"""``unres fmt`` rewrites people's files: it must keep what it cannot see in the tree
(comments, file modes, links) or refuse, never lose it."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.readers.markdown import read

ROOT = Path(__file__).resolve().parents[2]
ZH = ROOT / "inputs" / "A_RES_71_19.zh.md"        # not in the canonical form
EN = ROOT / "inputs" / "A_RES_80_901.en.md"


def _with_comment(tmp_path: Path) -> tuple[Path, str]:
    text = EN.read_text("utf-8")
    anchor = next(line for line in text.splitlines() if line.startswith("2."))
    comment = "<!-- unres: ignore UN101 -- the editor's note -->"
    f = tmp_path / "c.en.md"
    f.write_text(text.replace(anchor, f"{comment}\n\n{anchor}", 1).replace("\n\n\n", "\n\n")
                 .replace("1.  ", "1. ", 1), "utf-8")
    return f, comment


def test_comments_on_their_own_lines_are_kept_before_their_paragraph(tmp_path):
    f, comment = _with_comment(tmp_path)
    before = read(f.read_bytes(), f.name).resolution
    assert main(["fmt", str(f)]) == 0
    text = f.read_text("utf-8")
    assert comment in text
    after_comment = text.split(comment, 1)[1].lstrip("\n")
    assert after_comment.startswith("2.")
    assert read(f.read_bytes(), f.name).resolution == before
    once = f.read_bytes()
    assert main(["fmt", str(f)]) == 0 and f.read_bytes() == once   # idempotent


def test_a_comment_inside_a_paragraph_or_an_image_is_refused(tmp_path, capsys):
    text = EN.read_text("utf-8")
    line = next(x for x in text.splitlines() if x.startswith("2."))
    cases = {"inline.en.md": text.replace(line, line + " <!-- inline note -->", 1),
             "image.en.md": text.replace(line, line + "\n\n![emblem](emblem.png)", 1)}
    for name, body in cases.items():
        f = tmp_path / name
        f.write_text(body, "utf-8")
        original = f.read_bytes()
        assert main(["fmt", str(f)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.startswith(f"{f}:")
        assert f.read_bytes() == original


def test_fmt_refuses_pdf_text(tmp_path, capsys):
    f = tmp_path / "x.txt"
    f.write_text("General Assembly\n\n1. Decides to act.\n", "utf-8")
    assert main(["fmt", str(f)]) == 1
    assert "fmt rewrites markdown sources only" in capsys.readouterr().err
    assert f.read_text("utf-8").startswith("General Assembly")


def test_fmt_keeps_the_mode_the_link_and_the_hard_links(tmp_path):
    real = tmp_path / "real" / "A_RES_71_19.zh.md"
    real.parent.mkdir()
    shutil.copy(ZH, real)
    real.chmod(0o600)
    link = tmp_path / "link.zh.md"
    link.symlink_to(real)
    hard = tmp_path / "hard.zh.md"
    os.link(real, hard)
    assert main(["fmt", str(link)]) == 0
    assert link.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert real.read_bytes() != ZH.read_bytes()
    assert hard.read_bytes() == real.read_bytes() and real.stat().st_nlink == 2


def test_a_read_only_file_is_one_line_and_the_others_are_formatted(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only files")
    ro, rw = tmp_path / "ro.zh.md", tmp_path / "rw.zh.md"
    shutil.copy(ZH, ro)
    shutil.copy(ZH, rw)
    ro.chmod(0o400)
    assert main(["fmt", str(ro), str(rw)]) == 1
    err = capsys.readouterr().err
    assert f"{ro}:1:1: error: cannot rewrite it" in err and "Traceback" not in err
    assert rw.read_bytes() != ZH.read_bytes()


def test_fmt_of_a_directory_formats_its_markdown_and_skips_the_rest(tmp_path, capsys):
    d = tmp_path / "res"
    (d / "docs").mkdir(parents=True)
    shutil.copy(ZH, d / "a.zh.md")
    (d / "README.md").write_text("# Our resolutions\n", "utf-8")
    (d / "notes.md").write_text("Shopping list.\n\nMilk.\n", "utf-8")
    (d / "docs" / "guide.md").write_text("# Guide\n", "utf-8")
    (d / "x.txt").write_text("General Assembly\n", "utf-8")
    assert main(["fmt", str(d)]) == 0
    err = capsys.readouterr().err
    assert f"formatted {d / 'a.zh.md'}" in err
    assert "notes.md:1:1: warning: no resolution found" in err and "README" not in err
    assert (d / "README.md").read_text("utf-8") == "# Our resolutions\n"
    assert (d / "x.txt").read_text("utf-8") == "General Assembly\n"
