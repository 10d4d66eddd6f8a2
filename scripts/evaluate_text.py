#!/usr/bin/env python3
"""Score the text reader on PDF-extracted text against the UN's own markup.

  python scripts/evaluate_text.py [--show K] [--keep DIR]

Converts every ``../shared/corpus/pdf-text/txt/*.txt`` to AKN with the
pipeline itself (``build.load`` + the AKN writer, the same code as ``unres
convert``) into a temporary directory (or DIR with ``--keep``), as
``<stem>.akn.xml``, then runs ``../shared/tools/akn_compare.py
../shared/corpus/pdf-text/akn OUTDIR --show K`` and prints its report.
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


def convert(sources: list[Path], outdir: Path) -> list[str]:
    """Convert each source to ``outdir/<stem>.akn.xml``; return the error lines."""
    from pipeline import build, registry

    write, _ = registry.writer_for("akn")
    errors = []
    for src in sources:
        try:
            data = write(build.load(src).resolution)
        except Exception as e:  # noqa: BLE001 - a measurement goes on
            errors.append(f"{src.name}: {e}")
            continue
        build.write_atomic(outdir / f"{src.stem}.akn.xml", data)
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=5, help="print the K worst documents")
    ap.add_argument("--keep", type=Path, help="write the AKN files here and keep them")
    a = ap.parse_args(argv)
    tool = SHARED / "tools" / "akn_compare.py"
    sources = sorted((PDF_TEXT / "txt").glob("*.txt"))
    if not tool.exists() or not sources:
        print(f"need {tool} and {PDF_TEXT / 'txt'}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = a.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for e in convert(sources, out):
            print(f"  conversion failed: {e}")
        print(f"== pdf-text txt: {len(sources)} documents")
        res = subprocess.run([sys.executable, str(tool), str(PDF_TEXT / "akn"), str(out),
                              "--show", str(a.show)], capture_output=True, text=True)
        print(res.stdout + res.stderr, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
