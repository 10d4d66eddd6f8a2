#!/usr/bin/env python3
"""PDF benchmark: the marginal cost of one more PDF when one process renders many.

  python benchmarks/pdf_bench.py [--count 60] [--baseline 6]

Documents: the six examples of inputs/ (six scripts, so the fonts differ), varied in
number and title. Three figures, measured in the same run:

- unres: one process renders COUNT PDFs from trees read beforehand; the first render
  (fonts and stylesheets loading) is the start-up; the marginal cost is the mean of
  the others.
- pandoc: one `pandoc --pdf-engine=weasyprint` process per document (BASELINE of them).
- LibreOffice: one `soffice --headless --convert-to pdf` process converting BASELINE
  and then 2 x BASELINE of our DOCX files; the marginal cost is the difference per
  additional document.
Prints the ratios; --json FILE writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str] | None = None) -> int:
    from bench import make_sources

    from pipeline import build
    from pipeline.readers.markdown import pandoc_path
    from pipeline.writers import docx as docx_writer
    from pipeline.writers import pdf as pdf_writer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--baseline", type=int, default=6)
    ap.add_argument("--json", dest="json_out")
    a = ap.parse_args(argv)
    rows: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src").mkdir()
        sources = make_sources(tmp / "src", a.count)
        trees = [build.load(s).resolution for s in sources]
        times = []
        for t in trees:
            start = time.perf_counter()
            pdf_writer.write(t)
            times.append(time.perf_counter() - start)
        rows["unres start-up s"] = times[0]
        rows["unres marginal s/doc"] = sum(times[1:]) / (len(times) - 1)

        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                     f"{os.environ.get('PATH', '')}"}
        pandoc = pandoc_path()
        base = []
        for s in sources[:a.baseline]:
            start = time.perf_counter()
            subprocess.run([pandoc, str(s), "--pdf-engine=weasyprint", "-o",
                            str(tmp / (s.stem + ".pdf"))], env=env, check=True,
                           capture_output=True)
            base.append(time.perf_counter() - start)
        rows["pandoc s/doc"] = sum(base) / len(base)
        rows["ratio pandoc / unres"] = rows["pandoc s/doc"] / rows["unres marginal s/doc"]

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            (tmp / "docx").mkdir()
            docs = []
            for i, t in enumerate(trees[:2 * a.baseline]):
                f = tmp / "docx" / f"d{i:03d}.docx"
                f.write_bytes(docx_writer.write(t))
                docs.append(str(f))

            def lo(files: list[str]) -> float:
                out = tmp / f"lo{len(files)}"
                start = time.perf_counter()
                subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                                str(out), *files], check=True, capture_output=True,
                               env={**os.environ, "HOME": str(tmp)})
                return time.perf_counter() - start

            small, large = lo(docs[:a.baseline]), lo(docs)
            rows["LibreOffice marginal s/doc"] = (large - small) / a.baseline
            rows["ratio LibreOffice / unres"] = (rows["LibreOffice marginal s/doc"]
                                                 / rows["unres marginal s/doc"])
    print(f"PDF of {a.count} documents in one process; baselines on {a.baseline}")
    for k, v in rows.items():
        print(f"  {k:28s} {v:8.3f}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
