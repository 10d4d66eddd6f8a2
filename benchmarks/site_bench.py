#!/usr/bin/env python3
"""Site benchmark: building the site against converting the same sources, in the same run.

  python benchmarks/site_bench.py [--count 1000] [--langs 3] [--jobs 2] [--json FILE]

1. Makes COUNT resolutions of LANGS languages each by varying the UN's six-language
   sources of the seed's kind in ../shared/corpus/seedlike (each variant gets its own
   resolution number, the same in all its languages; the title keeps its language);
   without the corpus, the examples in inputs/ (one language each).
2. Converts them all to AKN, HTML, PDF and DOCX (`unres convert -t akn,html,pdf,docx`,
   fresh output folder): the reference.
3. Builds the site of the same sources (`unres site`, fresh folder): trees, the PDF,
   DOCX, AKN and markdown downloads, every page, the indexes, the feed, the catalogue
   and the search index.
4. Builds the site again with nothing changed (the no-op rebuild), then after changing
   one source (one resolution's own pages, its lists, the search index).
Prints the figures side by side (the site's time over the conversion's, which should be
at most 1.2, and the no-op rebuild, which should be under 2 s); --json FILE writes them.
Needs the project's venv.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDLIKE = ROOT.parent / "shared" / "corpus" / "seedlike"
LANG_DIRS = {"ara": "ar", "zho": "zh", "eng": "en", "fra": "fr", "rus": "ru", "spa": "es"}
_TITLE = re.compile(r"^### (\d+)/(\d+)", re.M)


def groups() -> list[dict[str, Path]]:
    """The corpus's resolutions: {language: source} for each, several languages each."""
    found: dict[str, dict[str, Path]] = {}
    if SEEDLIKE.is_dir():
        for d, lang in LANG_DIRS.items():
            for f in sorted((SEEDLIKE / d).glob("*.md")):
                key = re.sub(r"[_-]?[ACEFRS]$", "", f.stem)
                if _TITLE.search(f.read_text("utf-8")):
                    found.setdefault(key, {})[lang] = f
    out = [g for _, g in sorted(found.items()) if len(g) > 1]
    if not out:           # no corpus: the examples, one language each
        out = [{f.name.split(".")[1]: f} for f in sorted((ROOT / "inputs").glob("*.md"))]
    return out


def make_sources(dest: Path, count: int, langs: int) -> int:
    """COUNT resolutions under dest/<lang>/; the number of sources written."""
    gs = groups()
    n = 0
    for i in range(count):
        g = gs[i % len(gs)]
        codes = sorted(g)
        start = (i // len(gs)) % len(codes)
        for lang in (codes[start:] + codes[:start])[:langs]:
            text = g[lang].read_text("utf-8")
            text = _TITLE.sub(lambda m: f"### {m.group(1)}/{10000 + i}", text, count=1)
            (dest / lang).mkdir(parents=True, exist_ok=True)
            (dest / lang / f"R{i:05d}.{lang}.md").write_text(text, "utf-8")
            n += 1
    return n


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        print(r.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000, help="resolutions")
    ap.add_argument("--langs", type=int, default=3, help="languages per resolution")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--keep", help="keep the sources, outputs and site in this folder")
    a = ap.parse_args(argv)
    unres = [sys.executable, "-m", "pipeline.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="unres-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        src = work / "src"
        shutil.rmtree(src, ignore_errors=True)
        n = make_sources(src, a.count, a.langs)
        for d in ("out", "site"):
            shutil.rmtree(work / d, ignore_errors=True)
        jobs = ["-j", str(a.jobs)]
        convert = timed(unres + ["convert", str(src), "-t", "akn,html,pdf,docx", "-o",
                                 str(work / "out"), "-q"] + jobs, env)
        site_cmd = unres + ["site", str(src), "-o", str(work / "site"), "-q",
                            "--base-url", "https://example.org/"] + jobs
        site = timed(site_cmd, env)
        noop = timed(site_cmd, env)
        one = next((src).rglob("*.md"))
        one.write_text(one.read_text("utf-8").replace("\n\n", "\n\n\n", 1) + "\nX.\n", "utf-8")
        changed = timed(site_cmd, env)
        pages = sum(1 for _ in (work / "site").rglob("*.html"))
        rows = {"resolutions": a.count, "sources": n, "site pages": pages,
                "convert akn,html,pdf,docx (s)": round(convert, 1),
                "site (s)": round(site, 1), "site / convert": round(site / convert, 3),
                "no-op rebuild (s)": round(noop, 2), "one source changed (s)": round(changed, 2)}
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    width = max(len(k) for k in rows)
    print(f"site benchmark, {a.jobs} processes")
    for k, v in rows.items():
        print(f"  {k:<{width}}  {v}")
    ok = rows["site / convert"] <= 1.2 and rows["no-op rebuild (s)"] < 2
    print(f"  {'targets (<= 1.2, < 2 s)':<{width}}  {'met' if ok else 'NOT met'}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(rows, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
