#!/usr/bin/env python3
"""Batch benchmark: unres against one pandoc process per document, in the same run.

  python benchmarks/bench.py [--count 1000] [--baseline 20] [--formats akn,html,pdf,docx]

1. Makes COUNT sources by varying the examples in inputs/ (each gets its own
   resolution number and title, so that no two inputs are the same).
2. Baseline: for BASELINE of them, one `pandoc` process per document writing
   DOCX and another writing PDF through WeasyPrint (`--pdf-engine=weasyprint`),
   as someone without unres would; seconds per document.
3. unres: `unres convert DIR -t FORMATS` with -j 1 and -j 2 on all COUNT
   sources (fresh output directories), then the same command again with
   nothing changed (the no-op rerun).
Prints one table; --json FILE writes the figures. Needs the project's venv.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def make_sources(dest: Path, count: int) -> list[Path]:
    inputs = sorted((ROOT / "inputs").glob("*.md"))
    out = []
    for i in range(count):
        src = inputs[i % len(inputs)]
        text = src.read_text("utf-8")
        # a number and a title of its own: "### 80/901. Title" -> "### 80/10007. Title (7)"
        text = re.sub(r"^### (\d+)/\d+(.*)$", lambda m: f"### {m.group(1)}/{10000 + i}"
                      f"{m.group(2)} ({i})", text, count=1, flags=re.M)
        stem, lang_ext = src.name.split(".", 1)
        f = dest / f"B{i:05d}.{lang_ext}"
        f.write_text(text, "utf-8")
        out.append(f)
    return out


def timed(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def pandoc_baseline(sources: list[Path], out: Path) -> float:
    """Seconds per document: pandoc -> DOCX, and pandoc -> PDF with WeasyPrint."""
    sys.path.insert(0, str(ROOT))
    from pipeline.readers.pandoc import pandoc_path

    pandoc = pandoc_path()
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    total = 0.0
    for f in sources:
        total += timed([pandoc, str(f), "-o", str(out / (f.stem + ".docx"))], env=env)
        total += timed([pandoc, str(f), "--pdf-engine=weasyprint", "-o",
                        str(out / (f.stem + ".pdf"))], env=env)
    return total / len(sources)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--baseline", type=int, default=20, help="documents for the pandoc baseline")
    ap.add_argument("--formats", default="akn,html,pdf,docx")
    ap.add_argument("--json", dest="json_out")
    a = ap.parse_args(argv)
    unres = [sys.executable, "-m", "pipeline.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rows: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src").mkdir()
        sources = make_sources(tmp / "src", a.count)
        (tmp / "base").mkdir()
        rows["pandoc s/doc"] = pandoc_baseline(sources[:a.baseline], tmp / "base")
        for jobs in (1, 2):
            out = tmp / f"out{jobs}"
            secs = timed([*unres, "convert", str(tmp / "src"), "-t", a.formats, "-o", str(out),
                          "-j", str(jobs), "-q"], env=env)
            rows[f"unres -j {jobs} s/doc"] = secs / a.count
            rows[f"unres -j {jobs} total s"] = secs
        rows["no-op rerun total s"] = timed([*unres, "convert", str(tmp / "src"), "-t", a.formats,
                                             "-o", str(tmp / "out2"), "-j", "2", "-q"], env=env)
    rows["speed-up -j 1"] = rows["pandoc s/doc"] / rows["unres -j 1 s/doc"]
    rows["speed-up -j 2"] = rows["pandoc s/doc"] / rows["unres -j 2 s/doc"]
    print(f"{a.count} documents, formats {a.formats}, pandoc baseline on {a.baseline}")
    for k, v in rows.items():
        print(f"  {k:24s} {v:10.3f}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps({"count": a.count, "formats": a.formats,
                                                **rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
