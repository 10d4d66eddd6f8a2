"""The golden cases, shared by every test module that uses them.

``tests/golden/<case>/`` holds one source and what each writer makes of it:

  expected.json          the tree (``unres parse``)
  expected.warnings.txt  the reader's warnings, one a line
  expected.akn.xml       Akoma Ntoso
  expected.html          the page, its inlined stylesheets left out (see ``html_form``)
  expected.pdf.txt       the PDF's text layer, pages ended by form feeds
  expected.pdf.png       every page side by side at 20 dpi, grey (compared with a tolerance)
  expected.docx/         the Word package stored unzipped, its XML parts indented

``GOLDENS`` names these files and says how each is made, compared and shown; the one test
that checks them all is ``tests/test_golden.py::test_golden``.  ``pytest --update-goldens``
rewrites an expected file only where it differs from what the writer now makes, only under
``tests/golden/`` (the path guard), and lists every file it rewrote, with the diff, at the
end of the run.
"""

from __future__ import annotations

import difflib
import functools
import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import registry
from pipeline.ast import Resolution, to_json

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES: list[Path] = sorted(d for d in GOLDEN.iterdir() if d.is_dir()) if GOLDEN.is_dir() else []
IDS = [c.name for c in CASES]


def source_of(case: Path) -> Path:
    """The one source file of a case (everything else in it is ``expected*``)."""
    found = [f for f in case.iterdir() if not f.name.startswith("expected")]
    assert len(found) == 1, f"{case} must hold exactly one source file besides expected.*"
    return found[0]


def case_named(prefix: str) -> Path:
    """The first case whose name starts with ``prefix`` (skip when there is none)."""
    for c in CASES:
        if c.name.startswith(prefix):
            return c
    pytest.skip(f"no golden case {prefix}*")


def read_case(case: Path):
    """The case's source read afresh: a ``Parsed`` (tree and warnings)."""
    src = source_of(case)
    return registry.reader_for(src)(src.read_bytes(), src.name)


@functools.cache
def parsed_of(case: Path):
    """The case's source read once per process (trees are immutable)."""
    return read_case(case)


def tree_of(case: Path) -> Resolution:
    return parsed_of(case).resolution


class Outputs:
    """Every golden case through every writer, each written once per test process and
    kept: ``written(case, fmt)`` is the writer's ``Written``, ``file(case, fmt)`` the same
    bytes on disk (for pdftotext, pdftoppm and LibreOffice)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._written: dict[tuple[str, str], object] = {}

    def tree(self, case: Path) -> Resolution:
        return tree_of(case)

    def written(self, case: Path, fmt: str):
        key = (case.name, fmt)
        if key not in self._written:
            write, _ext = registry.writer_for(fmt)
            self._written[key] = write(tree_of(case))
        return self._written[key]

    def data(self, case: Path, fmt: str) -> bytes:
        return self.written(case, fmt).data

    def file(self, case: Path, fmt: str) -> Path:
        path = self.directory / f"{case.name}.{fmt}"
        if not path.exists():
            path.write_bytes(self.data(case, fmt))
        return path


# ---------------------------------------------------------------- the forms kept in goldens

def text_diff(want: bytes, got: bytes, name: str) -> str:
    return "".join(difflib.unified_diff(
        want.decode("utf-8", "replace").splitlines(True),
        got.decode("utf-8", "replace").splitlines(True),
        f"{name} (expected)", f"{name} (produced)", n=2))


def html_form(data: bytes) -> bytes:
    """The page as its golden keeps it: the inlined stylesheets (files of styles/css/,
    reviewed there and checked in test_html_writer.py) stand out of the diff."""
    import re

    return re.sub(rb"<style>.*?</style>",
                  b"<style>/* styles/css/screen.css + the language's sheets */</style>",
                  data, flags=re.S)


def pdf_text(pdf: Path) -> bytes:
    """The text layer, each page ended by a form feed (pdftotext)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return "\f".join(out.split("\f")[:-1]).encode("utf-8") + b"\f"


def pdf_raster(pdf: Path) -> bytes:
    """Every page at 20 dpi in grey, side by side in one PNG."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-png", "-r", "20", str(pdf), f"{tmp}/p"],
                       check=True)
        pages = [Image.open(p) for p in sorted(Path(tmp).glob("p-*.png"))]
        strip = Image.new("L", (sum(p.width for p in pages), max(p.height for p in pages)), 255)
        x = 0
        for p in pages:
            strip.paste(p, (x, 0))
            x += p.width
    buf = io.BytesIO()
    strip.save(buf, "PNG", optimize=True)
    return buf.getvalue()


#: mean grey-level difference (of 255) under which two rasters are the same pages
RASTER_TOLERANCE = 2.0


def raster_difference(want: bytes, got: bytes) -> str | None:
    """None when the pages look the same; else what differs."""
    from PIL import Image, ImageChops, ImageStat

    expected = Image.open(io.BytesIO(want)).convert("L")
    strip = Image.open(io.BytesIO(got)).convert("L")
    if expected.size != strip.size:
        return f"page count or size changed: {expected.size} -> {strip.size}"
    diff = ImageStat.Stat(ImageChops.difference(expected, strip)).mean[0]
    if diff >= RASTER_TOLERANCE:
        return f"pages differ from the golden raster (mean difference {diff:.2f}/255)"
    return None


_PARSER = None


def _xml(data: bytes):
    global _PARSER
    from lxml import etree

    if _PARSER is None:
        _PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False,
                                  no_network=True)
    return etree.fromstring(data, _PARSER)


def docx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a Word package, by name, in the package's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def docx_canon(name: str, data: bytes) -> bytes:
    """A part for comparison: canonical XML, creation dates left out (they follow
    SOURCE_DATE_EPOCH); other parts as they are."""
    from lxml import etree

    if not (name.endswith(".xml") or name.endswith(".rels")):
        return data
    root = _xml(data)
    if name == "docProps/core.xml":
        for el in list(root):
            if etree.QName(el).localname in ("created", "modified"):
                root.remove(el)
    return etree.tostring(root, method="c14n")


def docx_pretty(name: str, data: bytes) -> bytes:
    """A part as stored in the golden: indented XML, so that a diff shows what changed."""
    from lxml import etree

    if not (name.endswith(".xml") or name.endswith(".rels")):
        return data
    return etree.tostring(_xml(data), pretty_print=True, xml_declaration=True,
                          encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- one expected file

@dataclass(frozen=True)
class Golden:
    """One expected file (or directory) of every case."""

    name: str                                   #: under tests/golden/<case>/
    fmt: str                                    #: the ``unres convert -t`` that makes it
    produce: Callable[[Outputs, Path], object]  #: what the writer makes now
    programs: tuple[tuple[str, str], ...] = ()  #: (program, Debian package) it needs
    kind: str = "text"                          #: "text", "raster" or "docx"


def _reader_warnings(out: Outputs, case: Path) -> bytes:
    return "".join(f"{d}\n" for d in parsed_of(case).diagnostics).encode("utf-8")


_POPPLER = (("pdftotext", "poppler-utils"), ("pdftoppm", "poppler-utils"))

#: every writer's golden, by the id the test shows
GOLDENS: dict[str, Golden] = {g.name.removeprefix("expected."): g for g in (
    Golden("expected.json", "json", lambda o, c: to_json(o.tree(c)).encode("utf-8")),
    Golden("expected.warnings.txt", "json", _reader_warnings),
    Golden("expected.akn.xml", "akn", lambda o, c: o.data(c, "akn")),
    Golden("expected.html", "html", lambda o, c: html_form(o.data(c, "html"))),
    Golden("expected.pdf.txt", "pdf", lambda o, c: pdf_text(o.file(c, "pdf")), _POPPLER),
    Golden("expected.pdf.png", "pdf", lambda o, c: pdf_raster(o.file(c, "pdf")), _POPPLER,
           "raster"),
    Golden("expected.docx", "docx", lambda o, c: docx_parts(o.data(c, "docx")), (), "docx"),
)}


def target_of(case: Path, golden: Golden) -> Path:
    """Where the golden lives; only ever under tests/golden/<case>/ and named expected*."""
    target = case / golden.name
    assert target.resolve().is_relative_to(GOLDEN.resolve()) and \
        target.name.startswith("expected"), "goldens are written under tests/golden only"
    return target


def _stored_docx(target: Path) -> dict[str, bytes]:
    return {f.relative_to(target).as_posix(): f.read_bytes()
            for f in sorted(target.rglob("*")) if f.is_file()}


def difference(case: Path, golden: Golden, got) -> str | None:
    """None when the golden holds what was produced; else a message with the diff."""
    target = target_of(case, golden)
    if not target.exists():
        return f"{target} missing: run pytest --update-goldens and read the diff"
    rel = f"{case.name}/{golden.name}"
    if golden.kind == "raster":
        why = raster_difference(target.read_bytes(), got)
        return why and f"{rel}: {why}"
    if golden.kind == "docx":
        stored = _stored_docx(target)
        if sorted(stored) != sorted(got):
            return (f"{rel}: the parts of the package changed: "
                    f"{sorted(set(stored) ^ set(got))}")
        diffs = [text_diff(docx_pretty(n, stored[n]), docx_pretty(n, got[n]), f"{rel}/{n}")
                 for n in sorted(got) if docx_canon(n, stored[n]) != docx_canon(n, got[n])]
        return "".join(diffs) or None
    want = target.read_bytes()
    return None if want == got else text_diff(want, got, rel)


def rewrite(case: Path, golden: Golden, got) -> None:
    """Store what was produced as the golden (only under tests/golden/<case>/)."""
    target = target_of(case, golden)
    if golden.kind == "docx":
        if target.exists():
            shutil.rmtree(target)
        for name, data in got.items():
            f = target / name
            assert f.resolve().is_relative_to(target.resolve())
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(docx_pretty(name, data))
    else:
        target.write_bytes(got)


def reproduce(case: Path, golden: Golden) -> str:
    return (f"reproduce: pytest tests/test_golden.py -k '{case.name} and "
            f"{golden.name.removeprefix('expected.')}'  or  unres convert {source_of(case)} "
            f"-t {golden.fmt} -o out")
