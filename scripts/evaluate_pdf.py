#!/usr/bin/env python3
"""Score the PDF reader (and the text reader beside it) against the UN's own markup.

  python scripts/evaluate_pdf.py [--from pdf|txt|both] [--show K] [--keep DIR]

Converts every ``../shared/corpus/pdf-text/pdf/*.pdf`` (and/or ``txt/*.txt``)
to AKN with the pipeline itself (``build.load`` + the AKN writer, the code of
``unres convert``) as ``<stem>.akn.xml`` into a temporary directory (or
DIR/<set> with ``--keep``), then runs ``../shared/tools/akn_compare.py
../shared/corpus/pdf-text/akn OUTDIR --show K`` on each set and prints its
report.  Exit status 0 always: this is a measurement; the thresholds live in
tests/test_pdf_reader.py and tests/test_text_reader.py.
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
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_text import convert  # noqa: E402  (the same conversion as the text set)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="source", choices=("pdf", "txt", "both"), default="both")
    ap.add_argument("--show", type=int, default=5, help="print the K worst documents")
    ap.add_argument("--keep", type=Path, help="write the AKN files under DIR/<set> and keep them")
    a = ap.parse_args(argv)
    tool = SHARED / "tools" / "akn_compare.py"
    sets = ("txt", "pdf") if a.source == "both" else (a.source,)
    if not tool.exists():
        print(f"need {tool}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for name in sets:
            sources = sorted((PDF_TEXT / name).glob(f"*.{name}"))
            if not sources:
                print(f"need {PDF_TEXT / name}", file=sys.stderr)
                continue
            out = (a.keep or Path(tmp)) / name
            out.mkdir(parents=True, exist_ok=True)
            print(f"== pdf-text {name}: {len(sources)} documents")
            for e in convert(sources, out):
                print(f"  conversion failed: {e}")
            res = subprocess.run([sys.executable, str(tool), str(PDF_TEXT / "akn"), str(out),
                                  "--show", str(a.show)], capture_output=True, text=True)
            print(res.stdout + res.stderr, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
