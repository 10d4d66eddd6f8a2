#!/usr/bin/env python3
"""The PDF reader against ``pdftotext -layout``, side by side, on one PDF.

  python benchmarks/pdf_reader_bench.py [PDF] [--runs N] [--check]

PDF defaults to the largest file of ``../shared/corpus/pdf-text-large/pdf``.
Each run starts a fresh process, as a user would: ``pdftotext -layout -enc
UTF-8 PDF OUT`` and ``unres convert PDF -t akn -o DIR --force`` (start-up
included), one after the other; the wall time of each, its processor time (user
and system, ``os.wait4``'s rusage: what a loaded machine changes least) and its
peak resident memory (``ru_maxrss``) are taken.  Printed: the median times,
their ratios and the peak memory of each; the ratio checked is that of the
processor times.  With ``--check`` the
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


def run(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, processor seconds, peak resident MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[0]} failed ({status}): {err[-400:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0  # kB on Linux


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
    ref: list[tuple[float, float, float]] = []
    ours: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.runs):
            ref.append(run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf),
                            str(Path(tmp) / "x.txt")]))
            ours.append(run([unres, "convert", str(pdf), "-t", "akn", "-o",
                             str(Path(tmp) / "out"), "--force", "-q"]))
    rw, rc = (statistics.median(r[k] for r in ref) for k in (0, 1))
    ow, oc = (statistics.median(r[k] for r in ours) for k in (0, 1))
    mem = max(r[2] for r in ours)
    ratio = oc / rc if rc else float("inf")
    print(f"{pdf.name}: {pdf.stat().st_size // 1024} kB, {a.runs} runs (medians)")
    print(f"  {'':22s} {'wall':>8s} {'cpu':>8s} {'memory':>9s}")
    print(f"  {'pdftotext -layout':22s} {rw:7.3f}s {rc:7.3f}s "
          f"{max(r[2] for r in ref):7.1f}MB")
    print(f"  {'unres convert -t akn':22s} {ow:7.3f}s {oc:7.3f}s {mem:7.1f}MB")
    print(f"  ratio {ratio:.1f} cpu, {ow / rw if rw else float('inf'):.1f} wall "
          f"(target < {MAX_RATIO:g}); memory {mem:.0f} MB (target < {MAX_MB:g})")
    if a.check and (ratio >= MAX_RATIO or mem >= MAX_MB):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
