#!/usr/bin/env python3
"""PDF benchmark: the marginal cost of one more PDF when one process renders many.

  python benchmarks/pdf_bench.py [--count 60] [--baseline 6] [--json FILE]

Documents: the six examples of inputs/ (six scripts, so the fonts differ), varied in
number and title. Three figures, measured in the same run, each as wall-clock and CPU
seconds (CPU: the process's own for unres, its children's for the commands; on a
machine other jobs share, CPU time is the steadier of the two):

- unres: one process renders COUNT PDFs from trees read beforehand; the first render
  (fonts and stylesheets loading) is the start-up; the marginal cost is the mean of
  the others. Per language (the first Chinese or Arabic page also loads its faces and
  stylesheet): the mean of that language's renders but its first; "warm" is the mean
  of the six, the figure the ratios use.
- pandoc: one `pandoc --pdf-engine=weasyprint` process per document (BASELINE of them).
- LibreOffice: one `soffice --headless --convert-to pdf` process converting BASELINE
  and then 2 x BASELINE of our DOCX files (after one run that writes its profile; the
  faster of two runs each); the marginal cost is the difference per additional document.
Prints the ratios and the mean PDF size; --json FILE writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run(cmd: list[str], **kw) -> tuple[float, float]:
    """Wall and CPU seconds of a command (its children included)."""
    wall, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(cmd, check=True, capture_output=True, **kw)
    return time.perf_counter() - wall, _children_cpu() - cpu


def _mean(xs: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(x[0] for x in xs) / len(xs), sum(x[1] for x in xs) / len(xs))


def main(argv: list[str] | None = None) -> int:
    from bench import make_sources

    from pipeline import build
    from pipeline.readers.pandoc import pandoc_path
    from pipeline.writers import docx as docx_writer
    from pipeline.writers import pdf as pdf_writer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--baseline", type=int, default=6)
    ap.add_argument("--json", dest="json_out")
    a = ap.parse_args(argv)
    rows: dict[str, tuple[float, float]] = {}   # name -> (wall s, cpu s)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src").mkdir()
        sources = make_sources(tmp / "src", a.count)
        trees = [build.load(s).resolution for s in sources]
        times, sizes = [], []
        by_lang: dict[str, list[tuple[float, float]]] = {}
        for s, t in zip(sources, trees):
            wall, cpu = time.perf_counter(), time.process_time()
            sizes.append(len(pdf_writer.write(t).data))
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
            by_lang.setdefault(s.suffixes[0].lstrip("."), []).append(times[-1])
        rows["unres start-up (first PDF)"] = times[0]
        unres = rows["unres marginal per PDF"] = _mean(times[1:])
        warm = {k: _mean(v[1:]) for k, v in sorted(by_lang.items()) if len(v) > 1}
        if warm:
            unres = rows["unres marginal, warm"] = _mean(list(warm.values()))
            for k, v in warm.items():
                rows[f"  {k}"] = v

        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                     f"{os.environ.get('PATH', '')}"}
        pandoc = pandoc_path()
        rows["pandoc per PDF"] = _mean([
            _run([pandoc, str(s), "--pdf-engine=weasyprint", "-o",
                  str(tmp / (s.stem + ".pdf"))], env=env) for s in sources[:a.baseline]])

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            (tmp / "docx").mkdir()
            docs = []
            for i, t in enumerate(trees[:2 * a.baseline]):
                f = tmp / "docx" / f"d{i:03d}.docx"
                f.write_bytes(docx_writer.write(t).data)
                docs.append(str(f))

            def lo(files: list[str]) -> tuple[float, float]:
                return _run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                             str(tmp / f"lo{len(files)}"), *files],
                            env={**os.environ, "HOME": str(tmp)})

            lo(docs[:1])  # the first start writes LibreOffice's profile: not a document's cost
            small = min(lo(docs[:a.baseline]) for _ in range(2))
            large = min(lo(docs) for _ in range(2))
            rows["LibreOffice marginal per PDF"] = (
                (large[0] - small[0]) / (len(docs) - a.baseline),
                (large[1] - small[1]) / (len(docs) - a.baseline))
    print(f"PDF of {a.count} documents in one process; baselines on {a.baseline}")
    print(f"  {'seconds':32s} {'wall':>8s} {'cpu':>8s}")
    for k, (w, c) in rows.items():
        print(f"  {k:32s} {w:8.3f} {c:8.3f}")
    ratios = {f"ratio {k.split()[0]} / unres": (v[0] / unres[0], v[1] / unres[1])
              for k, v in rows.items() if k.startswith(("pandoc", "LibreOffice"))}
    for k, (w, c) in ratios.items():
        print(f"  {k:32s} {w:8.2f} {c:8.2f}")
    size = sum(sizes) / len(sizes) / 1000
    print(f"  {'mean PDF size kB':32s} {size:8.1f}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(
            {"rows": rows, "ratios": ratios, "mean PDF kB": size}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
