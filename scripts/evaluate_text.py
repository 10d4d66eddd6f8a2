#!/usr/bin/env python3
"""Score the text reader on PDF-extracted text against the UN's own markup.

  python scripts/evaluate_text.py [--extractor NAME] [--show K] [--keep DIR]

With ``--extractor corpus`` (the default) the sources are
``../shared/corpus/pdf-text/txt/*.txt``, one third-party extractor's text of
the 23 PDFs.  With another extractor, each ``../shared/corpus/pdf-text/pdf/*.pdf``
is first extracted to ``<stem>.txt`` in a temporary directory by that tool:

  pdftotext, pdftotext-layout, pypdfium2, pdfplumber (see tests/extractors.py,
  which the text reader's tests share)

Each source is converted to AKN with the pipeline itself (``build.load`` + the
AKN writer, the same code as ``unres convert``) into a temporary directory (or
DIR with ``--keep``), as ``<stem>.akn.xml``, then ``../shared/tools/akn_compare.py
../shared/corpus/pdf-text/akn OUTDIR --show K`` runs and its report is printed.
Exit status 0 always: this is a measurement; the thresholds live in
tests/test_text_reader.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PDF_TEXT = SHARED / "corpus" / "pdf-text"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from extractors import extract  # noqa: E402  (the extractors the tests use)
from extractors import EXTRACTORS as TOOLS  # noqa: E402

EXTRACTORS = ("corpus", *TOOLS)


def sources(extractor: str, workdir: Path) -> list[Path]:
    """The text files to score: the corpus txt, or the PDFs extracted into ``workdir``."""
    if extractor == "corpus":
        return sorted((PDF_TEXT / "txt").glob("*.txt"))
    out = []
    for pdf in sorted((PDF_TEXT / "pdf").glob("*.pdf")):
        dest = workdir / f"{pdf.stem}.txt"
        dest.write_text(extract(extractor, pdf), encoding="utf-8")
        out.append(dest)
    return out


def convert(sources: list[Path], outdir: Path) -> list[str]:
    """Convert each source to ``outdir/<stem>.akn.xml``; return the error lines."""
    from pipeline import build, registry

    write, _ = registry.writer_for("akn")
    errors = []
    for src in sources:
        try:
            data = write(build.load(src).resolution).data
        except Exception as e:  # noqa: BLE001 - a measurement goes on
            errors.append(f"{src.name}: {type(e).__name__}: {e}")
            continue
        build.write_atomic(outdir / f"{src.stem}.akn.xml", data)
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extractor", choices=EXTRACTORS, default="corpus",
                    help="where the text comes from (default: the corpus txt)")
    ap.add_argument("--show", type=int, default=5, help="print the K worst documents")
    ap.add_argument("--keep", type=Path, help="write the AKN files (and extracted text) here")
    a = ap.parse_args(argv)
    tool = SHARED / "tools" / "akn_compare.py"
    if not tool.exists() or not (PDF_TEXT / "akn").is_dir():
        print(f"need {tool} and {PDF_TEXT}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = a.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        srcs = sources(a.extractor, out)
        if not srcs:
            print(f"no sources for {a.extractor} under {PDF_TEXT}", file=sys.stderr)
            return 1
        for e in convert(srcs, out):
            print(f"  conversion failed: {e}")
        print(f"== pdf-text {a.extractor}: {len(srcs)} documents")
        res = subprocess.run([sys.executable, str(tool), str(PDF_TEXT / "akn"), str(out),
                              "--show", str(a.show)], capture_output=True, text=True)
        print(res.stdout + res.stderr, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
