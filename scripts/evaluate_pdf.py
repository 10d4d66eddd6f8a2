#!/usr/bin/env python3
"""Score the PDF reader (and the text reader beside it) against the UN's own markup.

  python scripts/evaluate_pdf.py [--set pdf-text|pdf-text-large] [--from pdf|txt|both]
         [--show K] [--keep DIR] [--rows DIR] [--jobs N] [--only SUBSTRING]

Converts every ``../shared/corpus/<set>/pdf/*.pdf`` (and/or ``txt/*.txt``) to
AKN with the pipeline itself (``build.load`` + the AKN writer, the code of
``unres convert``) as ``<stem>.akn.xml`` into a temporary directory (or
DIR/<kind> with ``--keep``), and scores each against ``<set>/akn/<stem>.xml``
with ``../shared/tools/akn_compare.py``; the documents listed in
``<set>/REFERENCE-FAULTS.tsv`` are scored apart (see evaluate_text.py).
``--rows DIR`` writes each document's scores to DIR/<kind>.jsonl.  Exit status
0 always: this is a measurement; the thresholds live in tests/test_pdf_reader.py
and tests/test_text_reader.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_text import CORPUS, SETS, TOOL, convert, report  # noqa: E402  (shared)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="corpus_set", choices=SETS, default="pdf-text")
    ap.add_argument("--from", dest="source", choices=("pdf", "txt", "both"), default="both")
    ap.add_argument("--show", type=int, default=5, help="print the K worst documents")
    ap.add_argument("--keep", type=Path, help="write the AKN files under DIR/<kind> and keep them")
    ap.add_argument("--rows", type=Path, help="write each document's scores to DIR/<kind>.jsonl")
    ap.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    ap.add_argument("--only", help="a substring the file names must hold")
    a = ap.parse_args(argv)
    root = CORPUS / a.corpus_set
    kinds = ("txt", "pdf") if a.source == "both" else (a.source,)
    if not TOOL.exists():
        print(f"need {TOOL}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            srcs = [p for p in sorted((root / kind).glob(f"*.{kind}"))
                    if not a.only or a.only in p.name]
            if not srcs:
                print(f"need {root / kind}", file=sys.stderr)
                continue
            out = (a.keep or Path(tmp)) / kind
            out.mkdir(parents=True, exist_ok=True)
            for e in convert(srcs, out, a.jobs):
                print(f"  conversion failed: {e}")
            rows = None
            if a.rows:
                a.rows.mkdir(parents=True, exist_ok=True)
                rows = a.rows / f"{kind}.jsonl"
            report(f"{a.corpus_set} {kind}", root, srcs, out, a.show, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
