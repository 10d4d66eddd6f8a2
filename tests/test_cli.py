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
    assert len(errors) == len(bad) - 1
    # markdown that holds no resolution at all (a shopping list, a README) is one warning
    assert [line for line in err.splitlines() if "[not-a-resolution]" in line] == \
        [f"{bad['shopping.en.md']}:1:1: warning: no resolution found: no title line, enacting "
         f"formula, preambular or operative paragraphs; skipped (if it is not a resolution, "
         f"list it under `exclude` in unres.toml or [tool.unres], or pass --exclude) "
         f"[not-a-resolution]"]
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


def test_standard_input_and_output(tmp_path):
    src = ROOT / "inputs" / "A_RES_80_901.en.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", "-", "-f", "md",
                          "-t", "akn", "-o", "-"], input=src.read_bytes(), capture_output=True,
                         env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"<?xml") and b"A/RES/80/901" in run.stdout
    assert list(tmp_path.iterdir()) == []               # nothing written
    # a file to standard output is the same bytes as the file written
    one = subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", str(src), "-t", "akn",
                          "-o", "-"], capture_output=True, env=env, cwd=tmp_path)
    assert one.stdout == run.stdout
    # -o - takes one format; - needs -f
    bad = subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", str(src), "-t",
                          "akn,html", "-o", "-"], capture_output=True, env=env, cwd=tmp_path)
    assert bad.returncode == 2 and b"one format" in bad.stderr
    bad = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", "-"], input=b"x",
                         capture_output=True, env=env, cwd=tmp_path)
    assert bad.returncode != 0 and b"-f FORMAT" in bad.stderr


def test_version_names_what_shapes_the_output(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("unres ") and "tree version" in out
    assert "pandoc 3." in out
    # every library in an output's build key, with its installed version
    from pipeline import registry
    for dist in ("weasyprint", "pydyf", "fonttools", "lxml", "pypdfium2"):
        assert f"{dist} {registry.library_version(dist)}" in out


def test_format_lists(capsys):
    assert main(["--list-output-formats"]) == 0
    assert capsys.readouterr().out.split() == ["akn", "docx", "html", "json", "md", "pdf"]
    assert main(["--list-input-formats"]) == 0
    assert {"md", "txt", "pdf", "docx", "xml", "json"} <= set(capsys.readouterr().out.split())


def test_unknown_format_is_named(tmp_path, capsys):
    assert main(["convert", str(SEED), "-t", "akn,odt", "-o", str(tmp_path)]) == 2
    assert "unknown format 'odt'" in capsys.readouterr().err


def test_python_api_reads_and_writes():
    from pipeline import api

    parsed = api.read(SEED)
    assert parsed.resolution.meta.symbol == "A/RES/71/19"
    again = api.read(SEED.read_bytes(), format="md", name="seed.md")
    assert again.resolution == parsed.resolution
    written = api.write(parsed.resolution, "akn")
    assert written.data.startswith(b"<?xml") and isinstance(written.diagnostics, tuple)
    assert api.write(parsed.resolution, "docx", source_date=0).data[:2] == b"PK"
    assert "pdf" in api.output_formats() and ".md" in api.input_formats()


def test_files_named_that_are_all_excluded_are_nothing_to_do(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# notes\n", "utf-8")
    assert main(["convert", "--check", str(tmp_path / "README.md"), "-o", str(tmp_path)]) == 0
    assert "excluded" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "o")]) == 1


#: libraries a markdown source converted to Akoma Ntoso has no use for (each costs the
#: start-up of every batch: tens of milliseconds for WeasyPrint, Dask or fontTools)
NOT_FOR_MARKDOWN_TO_AKN = ("weasyprint", "docx", "rich", "distributed", "dask", "fontTools",
                           "pypdfium2", "pdfplumber", "jinja2", "segno", "barcode", "pydyf",
                           "cobalt", "pypandoc", "yaml")


def test_markdown_to_akn_imports_no_library_it_does_not_use(tmp_path):
    src = ROOT / "inputs" / "A_RES_71_19.zh.md"
    code = ("import sys\nfrom pipeline.cli import main\n"
            f"rc = main(['convert', {str(src)!r}, '-t', 'akn', '-o', {str(tmp_path)!r}, '-q'])\n"
            "print(rc, ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    rc, modules = done.stdout.split(" ", 1)
    assert rc == "0" and (tmp_path / "A_RES_71_19.zh.akn.xml").is_file()
    assert "lxml" in modules.split()
    assert sorted(set(modules.split()) & set(NOT_FOR_MARKDOWN_TO_AKN)) == []
