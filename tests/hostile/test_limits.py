"""Hostile input that would make a conversion run away: each limit of
:mod:`pipeline.limits` holds, in bounded time and memory, with one located line
that names the option raising it, a nonzero exit for that file, the batch going on
and no output for the refused file.

Memory is measured as the peak resident size of the command and everything it
starts (``resource.getrusage(RUSAGE_CHILDREN)`` of a fresh wrapper process).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EN = ROOT / "inputs" / "A_RES_80_901.en.md"

#: what no hostile case may reach
MAX_MB = 300

_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.monotonic()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=600)
print(json.dumps({"rc": p.returncode, "err": p.stderr, "seconds": time.monotonic() - t,
                  "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measured(*args: str, cwd: Path | None = None) -> dict:
    """``unres ARGS`` run in a fresh process: exit status, standard error, seconds and the
    peak memory (MB) of it and all it started."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "pipeline.cli",
                          *args], capture_output=True, text=True, cwd=cwd or ROOT, check=True)
    return json.loads(out.stdout)


def errors(err: str) -> list[str]:
    assert "Traceback" not in err and "internal error" not in err, err
    return [line for line in err.splitlines() if ": error: " in line]


def one_limit_line(err: str, path: Path, name: str) -> str:
    """The one error line of ``path``: located, and naming ``--limit NAME=``."""
    lines = errors(err)
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith(f"{path}:"), line
    loc = line[len(str(path)) + 1:].split(": error: ")[0]
    assert all(part.isdigit() for part in loc.split(":")) and loc.count(":") == 1, line
    assert re.search(r"\((?:[^;()]*; )?limit \d+; raise with --limit %s=N\)$" % name, line), line
    return line


# ------------------------------------------------------------------ PDF

def _pdf(stream: bytes, filters: bytes) -> bytes:
    """A one-page PDF whose page content is ``stream`` (encoded by ``filters``)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)


def _deflated_spaces(mb: int) -> bytes:
    """A page content of ``mb`` megabytes (one line of text, then spaces), deflated."""
    z = zlib.compressobj(9)
    parts = [z.compress(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n")]
    block = b" " * 2**20
    parts += [z.compress(block) for _ in range(mb)]
    return b"".join(parts) + z.flush()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["flate", "flate over flate", "hex over flate"])
def test_a_pdf_compression_bomb_is_refused_before_it_inflates(kind, tmp_path):
    if kind == "flate":            # 285 kB that inflate to 290 MB (zlib's ratio is ~1000)
        pdf = _pdf(_deflated_spaces(290), b"/FlateDecode")
    elif kind == "flate over flate":   # 2 kB that inflate to 600 MB
        pdf = _pdf(zlib.compress(_deflated_spaces(600), 9), b"[/FlateDecode /FlateDecode]")
    else:                          # hex text over a Flate bomb (hex is decoded first)
        pdf = _pdf(_deflated_spaces(200).hex().encode() + b">",
                   b"[/ASCIIHexDecode /FlateDecode]")
    src = tmp_path / "bomb.pdf"
    src.write_bytes(pdf)
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "akn")
    assert got["rc"] == 1
    line = one_limit_line(got["err"], src, "pdf_stream_mb")
    assert "inflates to more than 64 MB" in line
    assert got["mb"] < MAX_MB, got
    assert not any((tmp_path / "out").glob("bomb*"))


def test_a_stream_just_under_the_limit_is_read_in_bounded_memory(tmp_path):
    """60 MB of page content (under the 64 MB limit): the check decodes it in pieces and
    pdfium reads the page, within the memory bound."""
    src = tmp_path / "big.pdf"
    src.write_bytes(_pdf(_deflated_spaces(60), b"/FlateDecode"))
    got = measured("parse", str(src), "--lang", "en")
    (line,) = errors(got["err"])
    assert "no resolution found" in line            # read, and holds one word
    assert got["mb"] < MAX_MB and got["seconds"] < 30, got


def _glyph_page(n_rows: int, per_row: int) -> bytes:
    rows = [b"BT /F1 2 Tf"] + [b"1 0 0 1 10 %d Tm (%s) Tj" % (780 - r * 1.9, b"a" * per_row)
                               for r in range(n_rows)] + [b"ET"]
    return _pdf(zlib.compress(b"\n".join(rows)), b"/FlateDecode")


def test_a_page_of_200000_glyphs_is_refused_at_once_and_read_when_asked(tmp_path):
    src = tmp_path / "glyphs.pdf"
    src.write_bytes(_glyph_page(400, 500))
    assert len(src.read_bytes()) < 5000
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "akn")
    assert got["rc"] == 1
    line = one_limit_line(got["err"], src, "pdf_page_glyphs")
    assert line.startswith(f"{src}:1:1: error: page 1 has too many characters")
    assert got["seconds"] < 20 and got["mb"] < MAX_MB, got
    # raised, the page is read in bounded time and memory (and holds no resolution)
    got = measured("parse", str(src), "--lang", "en", "--limit", "pdf_page_glyphs=200000",
                   "--limit", "block_chars=1000000")
    assert got["rc"] != 0 and got["seconds"] < 60 and got["mb"] < MAX_MB, got
    assert "no resolution found" in got["err"]


# ------------------------------------------------------------------ markdown

def test_a_yaml_alias_bomb_in_front_matter_is_refused(tmp_path):
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    lines += ["title: *i", "---", ""]
    src = tmp_path / "bomb.en.md"
    src.write_text("\n".join(lines) + EN.read_text("utf-8"), "utf-8")
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "akn")
    assert got["rc"] == 1 and got["seconds"] < 20 and got["mb"] < MAX_MB, got
    (line,) = errors(got["err"])
    assert line.startswith(f"{src}:3:") and "YAML alias" in line


@pytest.mark.parametrize("where", ["middle", "after a blank line"])
def test_an_alias_bomb_elsewhere_is_text_pandoc_does_not_expand(where, tmp_path):
    """Front matter is ours to read (above); pandoc reads no YAML block of its own."""
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    bomb = "\n".join(lines + ["title: *i", "---", ""])
    en = EN.read_text("utf-8")
    at = en.index("1. *Calls upon*")
    text = en[:at] + bomb + "\n" + en[at:] if where == "middle" else "\n" + bomb + en
    src = tmp_path / "bomb.en.md"
    src.write_text(text, "utf-8")
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "akn")
    assert got["rc"] == 0 and got["seconds"] < 30 and got["mb"] < MAX_MB, got


def test_markdown_over_the_size_limit_is_refused_before_pandoc(tmp_path, capsys):
    from pipeline.cli import main

    src = tmp_path / "x.en.md"
    src.write_text(EN.read_text("utf-8"), "utf-8")
    assert main(["parse", str(src), "--limit", "markdown_kb=2"]) == 65
    line = one_limit_line(capsys.readouterr().err, src, "markdown_kb")
    assert "markdown source too large to read" in line and "limit 2;" in line
    # the line given is where the limit falls
    at = EN.read_bytes()[:2048].count(b"\n") + 1
    assert line.startswith(f"{src}:{at}:1: ")
    assert main(["parse", str(src), "--limit", "markdown_kb=100"]) == 0
    capsys.readouterr()


def _with_table(rows: int, cols: int) -> str:
    en = EN.read_text("utf-8")
    table = ["| " + " | ".join(f"c{r}x{c}" for c in range(cols)) + " |" for r in range(rows)]
    table.insert(1, "|" + "---|" * cols)
    at = en.index("1. *Calls upon*")
    return en[:at] + "\n".join(table) + "\n\n" + en[at:]


@pytest.mark.slow
def test_a_200_by_200_table_fails_alone_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "table.en.md").write_text(_with_table(200, 200), "utf-8")
    (src / "good.en.md").write_text(EN.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    got = measured("convert", str(src), "-o", str(out), "-t", "akn,pdf", "-j", "1")
    assert got["rc"] == 1 and got["mb"] < MAX_MB, got
    line = one_limit_line(got["err"], src / "table.en.md", "table_cells")
    assert "(40000 cells; limit 10000;" in line
    assert got["seconds"] < 90, got          # 38 s and 1.5 GB in WeasyPrint before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["good.en.akn.xml", "good.en.pdf"]


@pytest.mark.slow
def test_the_timeout_fails_one_document_located(tmp_path):
    src = tmp_path / "table.en.md"
    src.write_text(_with_table(200, 200), "utf-8")
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "pdf",
                   "--limit", "table_cells=40000", "--timeout", "1")
    assert got["rc"] == 1 and got["seconds"] < 30, got
    (line,) = errors(got["err"])
    assert line.startswith(f"{src}:1:1: error: took longer than 1 s") and "--timeout" in line
    assert not (tmp_path / "out" / "table.en.pdf").exists()


# ------------------------------------------------------------------ the tree

def test_a_5_mb_paragraph_of_akn_is_refused_before_layout(tmp_path):
    from pipeline.cli import main

    out = tmp_path / "akn"
    assert main(["convert", str(EN), "-o", str(out), "-t", "akn"]) == 0
    akn = (out / "A_RES_80_901.en.akn.xml").read_text("utf-8")
    at = akn.index("road traffic crashes are the leading")
    src = tmp_path / "big.en.akn.xml"
    src.write_text(akn[:at] + "safety of roads and children " * 180_000 + akn[at:], "utf-8")
    assert src.stat().st_size > 5_000_000
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "pdf,html")
    assert got["rc"] == 1 and got["seconds"] < 30 and got["mb"] < MAX_MB, got
    line = one_limit_line(got["err"], src, "block_chars")
    assert "a paragraph too long to lay out" in line and ":1:1:" not in line
    assert not any(p for p in (tmp_path / "out").rglob("*") if not p.name.startswith("."))


def test_nesting_past_the_limit_is_refused(tmp_path, capsys):
    from pipeline.cli import main

    tree = json.loads(subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(EN)],
                                     capture_output=True, check=True).stdout)

    def deepen(node):
        if isinstance(node, dict):
            if node.get("type") == "Text" and "road safety" in node.get("text", ""):
                for _ in range(80):
                    node = {"type": "Emphasis", "children": [node]}
                return node
            return {k: deepen(v) for k, v in node.items()}
        if isinstance(node, list):
            return [deepen(v) for v in node]
        return node

    src = tmp_path / "deep.json"
    src.write_text(json.dumps(deepen(tree)), "utf-8")
    assert main(["convert", str(src), "-o", str(tmp_path / "out"), "-t", "html"]) == 1
    line = one_limit_line(capsys.readouterr().err, src, "depth")
    assert "nested too deeply" in line
    assert main(["convert", str(src), "-o", str(tmp_path / "out"), "-t", "html",
                 "--limit", "depth=200"]) == 0


def test_limits_are_part_of_the_build_key():
    from pipeline.options import DEFAULT_READ, ReadOptions

    for field in ("max_markdown_kb", "max_table_cells", "max_block_chars", "max_depth",
                  "pdf_max_stream_mb", "pdf_max_page_glyphs"):
        assert field in DEFAULT_READ.key()
        assert ReadOptions(**{field: 7}).key() != DEFAULT_READ.key()


def test_limits_from_the_configuration_and_bad_limits(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    (tmp_path / "unres.toml").write_text("[limits]\nmarkdown_kb = 2\n", "utf-8")
    src = tmp_path / "x.en.md"
    src.write_text(EN.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["parse", "x.en.md"]) == 65
    one_limit_line(capsys.readouterr().err, Path("x.en.md"), "markdown_kb")
    assert main(["parse", "x.en.md", "--limit", "markdown_kb=64"]) == 0
    capsys.readouterr()
    assert main(["convert", "x.en.md", "--limit", "table_cells=many"]) == 2
    assert "whole number" in capsys.readouterr().err
    (tmp_path / "unres.toml").write_text("[limits]\nwidth = 2\n", "utf-8")
    assert main(["convert", "x.en.md"]) == 2
    assert "unknown limit 'width'" in capsys.readouterr().err


def test_standard_input_is_read_under_the_same_limits(capsys, monkeypatch):
    import io

    from pipeline.cli import main

    class Stdin:
        buffer = io.BytesIO(b"---\na: &x 1\nb: *x\n---\n" + EN.read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert main(["parse", "-", "-f", "md"]) == 65
    assert capsys.readouterr().err.startswith("<stdin>:3:4: error: front matter uses a YAML alias")
    Stdin.buffer = io.BytesIO(EN.read_bytes())
    assert main(["parse", "-", "-f", "md", "--limit", "markdown_kb=1"]) == 65
    one_limit_line(capsys.readouterr().err, Path("<stdin>"), "markdown_kb")


def _lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (9 to 12 bits, early change), for the decoder's test."""
    table = {bytes([i]): i for i in range(256)}
    nxt, width, codes, w = 258, 9, [(256, 9)], b""
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
            continue
        codes.append((table[w], width))
        if nxt < 4096:
            table[wc] = nxt
            nxt += 1
        if nxt >= (1 << width) and width < 12:
            width += 1
        w = bytes([c])
    codes += [(table[w], width), (257, width)]
    acc = n = 0
    out = bytearray()
    for code, bits in codes:
        acc, n = (acc << bits) | code, n + bits
        while n >= 8:
            n -= 8
            out.append((acc >> n) & 255)
    if n:
        out.append((acc << (8 - n)) & 255)
    return bytes(out)


@pytest.mark.parametrize("filters", [["flate"], ["flate", "flate"], ["hex", "flate"],
                                     ["a85"], ["a85", "flate"], ["rl"], ["lzw"]])
def test_the_stream_check_decodes_each_filter_as_pdfium_does(filters):
    """:func:`check_streams` measures what each filter gives, so it must decode them all."""
    import base64

    from pipeline.readers.pdf.pages import _decoded, _pieces

    payload = b"BT /F1 12 Tf (Road safety for children) Tj ET\n" * 3000 + bytes(range(256))
    encoders = {"flate": zlib.compress, "hex": lambda d: d.hex().encode() + b">",
                "a85": lambda d: base64.a85encode(d) + b"~>",
                "rl": lambda d: b"".join(bytes([len(d[i:i + 128]) - 1]) + d[i:i + 128]
                                         for i in range(0, len(d), 128)) + b"\x80",
                "lzw": _lzw}
    data = payload
    for f in reversed(filters):
        data = encoders[f](data)
    assert b"".join(_decoded(_pieces(data, 0, len(data), 1000), filters)) == payload


def _lzw_bomb(mb: int) -> bytes:
    """LZW codes that build the table up to runs of 3,800 spaces, then repeat the longest:
    about 24 kB per 64 MB of page content."""
    seq = [ord(" ")] + list(range(258, 4096))
    total = sum(range(1, len(seq) + 1))
    seq += [4095] * ((mb * 2**20 - total) // (len(seq)) + 1)
    acc = n = 0
    out = bytearray()
    table, width, prev = 258, 9, False

    def emit(code: int, bits: int) -> None:
        nonlocal acc, n
        acc, n = (acc << bits) | code, n + bits
        while n >= 8:
            n -= 8
            out.append((acc >> n) & 255)
        acc &= (1 << n) - 1

    emit(256, 9)
    for code in seq:
        emit(code, width)
        if prev and table < 4096:
            table += 1
        prev = True
        if table + 1 >= (1 << width) and width < 12:
            width += 1
    emit(257, width)
    if n:
        out.append((acc << (8 - n)) & 255)
    return bytes(out)


@pytest.mark.slow
def test_an_lzw_bomb_is_refused_before_it_inflates(tmp_path):
    from pipeline.readers.pdf.pages import _decoded, _pieces

    data = _lzw_bomb(8)
    assert sum(len(p) for p in _decoded(_pieces(data, 0, len(data)), ["lzw"])) > 8 * 2**20
    src = tmp_path / "lzw.pdf"
    src.write_bytes(_pdf(_lzw_bomb(300), b"/LZWDecode"))
    assert src.stat().st_size < 200_000
    got = measured("convert", str(src), "-o", str(tmp_path / "out"), "-t", "akn")
    assert got["rc"] == 1 and got["mb"] < MAX_MB, got
    assert "inflates to more than 64 MB" in one_limit_line(got["err"], src, "pdf_stream_mb")


@pytest.mark.parametrize("shape", [b"stream\n", b"1 0 obj << /Length 9 0 R >> stream\n",
                                   b"<< /Filter [/AHx /Fl] >> stream\nendstream "])
def test_the_stream_check_is_linear_in_the_file(shape):
    """Many stream keywords (a hostile file of nothing else) are checked in linear time."""
    import time

    from pipeline.readers.pdf.pages import check_streams

    times = []
    for n in (20_000, 200_000):
        data = b"%PDF-1.4\n" + shape * n + b"9 0 obj 5 endobj\n%%EOF\n"
        best = float("inf")
        for _ in range(3):  # the best of three: a loaded machine stalls a run, not three
            t = time.perf_counter()
            check_streams(data, "x.pdf")
            best = min(best, time.perf_counter() - t)
        times.append(best)
    # linear: about 10 times the time for 10 times the input (quadratic: 100); a loaded
    # machine measured 16, so the bound leaves room for noise but not for a square
    assert times[1] < 10 and times[1] / max(times[0], 1e-3) < 30, times


def test_fmt_leaves_a_source_past_a_limit_as_it_is(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    (tmp_path / "unres.toml").write_text("[limits]\ntable_cells = 4\n", "utf-8")
    src = tmp_path / "x.en.md"
    src.write_text(_with_table(3, 3), "utf-8")
    before = src.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["fmt", "x.en.md"]) == 1
    one_limit_line(capsys.readouterr().err, Path("x.en.md"), "table_cells")
    assert src.read_bytes() == before
