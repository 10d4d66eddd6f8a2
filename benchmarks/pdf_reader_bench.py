#!/usr/bin/env python3
"""The PDF reader against ``pdftotext -layout``, side by side, on one PDF.

  python benchmarks/pdf_reader_bench.py [PDF] [--runs N] [--check]

PDF defaults to the largest file of ``../shared/corpus/pdf-text-large/pdf``.
Each run starts a fresh process, as a user would: ``pdftotext -layout -enc
UTF-8 PDF OUT`` and ``unres convert PDF -t akn -o DIR --force`` (start-up
included), one after the other; the wall time of each and the peak resident
memory of each process (``os.wait4``'s ``ru_maxrss``) are taken.  Printed: the
median times, their ratio and the peak memory of each.  With ``--check`` the
exit status is 1 when the ratio reaches :data:`MAX_RATIO` or the reader's
memory :data:`MAX_MB` (the targets of the PDF reader), else 0; without it, 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf-text-large" / "pdf"
#: the reader takes less than this many times what pdftotext -layout takes
MAX_RATIO = 15.0
#: and less than this much memory (MB)
MAX_MB = 300.0


def run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[0]} failed ({status}): {err[-400:]}")
    return wall, usage.ru_maxrss / 1024.0      # ru_maxrss is in kB on Linux


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, help="the PDF (default: the largest of "
                    "pdf-text-large)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check", action="store_true", help="exit 1 past the targets")
    a = ap.parse_args(argv)
    pdf = a.pdf
    if pdf is None:
        files = sorted(CORPUS.glob("*.pdf"), key=lambda p: p.stat().st_size)
        if not files:
            print(f"no PDF given and none under {CORPUS}", file=sys.stderr)
            return 0
        pdf = files[-1]
    pdftotext = shutil.which("pdftotext")
    unres = shutil.which("unres", path=str(Path(sys.executable).parent)) or shutil.which("unres")
    if not pdftotext or not unres:
        print("need pdftotext (poppler-utils) and the unres command", file=sys.stderr)
        return 0
    ref_t, ref_m, our_t, our_m = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.runs):
            t, m = run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf), str(Path(tmp) / "x.txt")])
            ref_t.append(t)
            ref_m.append(m)
            t, m = run([unres, "convert", str(pdf), "-t", "akn", "-o", str(Path(tmp) / "out"),
                        "--force", "-q"])
            our_t.append(t)
            our_m.append(m)
    rt, ot = statistics.median(ref_t), statistics.median(our_t)
    ratio = ot / rt if rt else float("inf")
    print(f"{pdf.name}: {pdf.stat().st_size // 1024} kB, {a.runs} runs (medians)")
    print(f"  pdftotext -layout   {rt:7.3f} s  {max(ref_m):7.1f} MB")
    print(f"  unres convert -t akn {ot:7.3f} s  {max(our_m):7.1f} MB")
    print(f"  ratio {ratio:.1f} (target < {MAX_RATIO:g}), memory {max(our_m):.0f} MB "
          f"(target < {MAX_MB:g})")
    if a.check and (ratio >= MAX_RATIO or max(our_m) >= MAX_MB):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
