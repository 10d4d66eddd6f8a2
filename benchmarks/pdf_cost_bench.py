#!/usr/bin/env python3
"""PDF cost per extra document, from markdown source to PDF, against LibreOffice.

  python benchmarks/pdf_cost_bench.py [--count 40] [--repeat 3] [--profile 20] [--json FILE]

Sources: COUNT variants of the Chinese seed (``inputs/A_RES_71_19.zh.md``), each with
its own resolution number, dates and a few words changed, so that no two pages are the
same and their glyph sets differ a little.

1. Marginal cost, in the same run, repeated REPEAT times (the two commands alternate):
   - unres: ``unres convert DIR -t pdf -j 1`` on one source and on COUNT sources
     (fresh output folders; reading, normalizing, the build record and the writes
     included);
   - LibreOffice: one ``soffice --headless --convert-to pdf`` process converting our
     DOCX of the same one and COUNT sources (after one run that writes its profile).
   - with ``--before DIR``: the same unres command run from the code in DIR (another
     checkout, e.g. ``git archive main | tar -x -C DIR``), for before-and-after
     figures from one run.
   The marginal cost of each is (time for COUNT - time for 1) / (COUNT - 1), wall
   clock and CPU (the children's); the ratio is LibreOffice's over unres's (above 1:
   unres is cheaper), per repetition, and the medians are printed.
2. Where unres's time goes: PROFILE documents read and written to PDF in this process
   under cProfile (after two documents that load fonts and stylesheets), split per
   stage by the cumulative time of the functions that start each one (see
   :data:`STAGES`); the profiler inflates Python-heavy stages, so the shares, not the
   seconds, are the figure to read.
--json FILE writes every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from commands import timed, unres_env  # noqa: E402

SEED = ROOT / "inputs" / "A_RES_71_19.zh.md"

#: words of the seed and what a variant may put in their place (same length or close)
_SWAPS = [("加强合作", "扩大合作"), ("打击", "遏制"), ("欢迎", "赞赏"), ("确认", "承认"),
          ("重要性", "必要性"), ("国际组织", "区域组织"), ("会员国", "成员国"),
          ("网络犯罪", "电脑犯罪"), ("充分尊重", "完全尊重"), ("秘书长", "秘书处")]


def seed_variants(dest: Path, count: int, seed: Path = SEED) -> list[Path]:
    """COUNT variants of the seed in ``dest``: resolution number, years and day numbers
    shifted, and two of :data:`_SWAPS` applied (which two varies)."""
    text = seed.read_text("utf-8")
    out = []
    for i in range(count):
        t = re.sub(r"71/19\b", f"71/{200 + i}", text)
        t = re.sub(r"(\d{4})年", lambda m, i=i: f"{int(m.group(1)) - i % 7}年", t)
        t = re.sub(r"(\d{1,2})日", lambda m, i=i: f"{(int(m.group(1)) + i) % 28 + 1}日", t)
        for k in (i % len(_SWAPS), (3 * i + 1) % len(_SWAPS)):
            t = t.replace(*_SWAPS[k])
        f = dest / f"V{i:04d}.zh.md"
        f.write_text(t, "utf-8")
        out.append(f)
    return out


def marginal(tmp: Path, sources: list[Path], repeat: int, before: Path | None = None) -> dict:
    """Section 1: unres and LibreOffice, one and all sources, REPEAT times."""
    from pipeline import build
    from pipeline.writers import docx as docx_writer

    one, many = tmp / "one", tmp / "many"
    for d, srcs in ((one, sources[:1]), (many, sources)):
        d.mkdir()
        for s in srcs:
            shutil.copy(s, d / s.name)
    docx = tmp / "docx"
    docx.mkdir()
    docs = []
    for s in sources:
        f = docx / (s.name.split(".")[0] + ".docx")
        f.write_bytes(docx_writer.write(build.load(s).resolution).data)
        docs.append(str(f))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    env = unres_env()
    lo_env = {**os.environ, "HOME": str(tmp / "home")}
    n = len(sources)
    runs: dict[str, list] = {"unres": [], "LibreOffice": []}
    trees = {"unres": ROOT}
    if before is not None:
        runs["unres before"], trees["unres before"] = [], before.resolve()
    k = 0

    def unres(src: Path, name: str = "unres") -> tuple[float, float]:
        nonlocal k
        k += 1
        return timed([sys.executable, "-m", "pipeline.cli", "convert", str(src), "-t", "pdf",
                     "-j", "1", "-q", "-o", str(tmp / f"u{k}")],
                    env={**env, "PYTHONPATH": str(trees[name])}, cwd=tmp)

    def lo(files: list[str]) -> tuple[float, float]:
        nonlocal k
        k += 1
        return timed([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                     str(tmp / f"lo{k}"), *files], env=lo_env)

    if soffice:
        lo(docs[:1])  # the first start writes LibreOffice's profile
    for name in trees:
        unres(one, name)  # the first run of each: nothing measured
    for _ in range(repeat):
        for name in trees:
            a1, an = unres(one, name), unres(many, name)
            runs[name].append(tuple((y - x) / (n - 1) for x, y in zip(a1, an)))
        if soffice:
            b1, bn = lo(docs[:1]), lo(docs)
            runs["LibreOffice"].append(tuple((y - x) / (n - 1) for x, y in zip(b1, bn)))
    out = {}
    for name, rs in runs.items():
        if rs:
            out[f"{name} marginal s/doc, wall"] = statistics.median(r[0] for r in rs)
            out[f"{name} marginal s/doc, cpu"] = statistics.median(r[1] for r in rs)
    for name in trees:
        if not runs["LibreOffice"]:
            break
        for i, what in enumerate(("wall", "cpu")):
            out[f"ratio LibreOffice / {name}, {what} (goal >= 1)"] = statistics.median(
                lo_r[i] / un_r[i] for lo_r, un_r in zip(runs["LibreOffice"], runs[name]))
        out[f"ratios LibreOffice / {name} per repetition, wall"] = [
            round(lo_r[0] / un_r[0], 3) for lo_r, un_r in zip(runs["LibreOffice"], runs[name])]
    if before is not None:
        for i, what in enumerate(("wall", "cpu")):
            out[f"ratio unres / unres before, {what}"] = statistics.median(
                a[i] / b[i] for a, b in zip(runs["unres"], runs["unres before"]))
    return out


#: stage -> the functions whose cumulative time is the stage's ("module:qualified name");
#: a stage's time is the sum, less the stages nested in it (``inside``)
STAGES = {
    "read (pandoc, markdown to blocks)": ["pipeline.readers.markdown:read_blocks"],
    "normalize": ["pipeline.normalize:normalize"],
    "page tree (HTML writer)": ["pipeline.writers.html:document", "pipeline.writers.html:serialize",
                                "pipeline.writers.weasy:html_from_tree"],
    "cascade and style": ["weasyprint.css:get_all_computed_styles",
                          "weasyprint.formatting_structure.build:build_formatting_structure"],
    "layout": ["weasyprint.layout:layout_document"],
    "draw (page contents)": ["weasyprint.document:Page.paint"],
    "fonts and subsetting": ["weasyprint.pdf.fonts:build_fonts_dictionary"],
    "PDF structure tags (PDF/UA)": ["weasyprint.pdf.tags:add_tags"],
    "PDF serialisation": ["pydyf:PDF.write", "pipeline.writers.weasy:write_pdf_once",
                          "pipeline.writers.weasy:deflate_streams"],
    "garbage collection": ["gc:collect"],
}


def _cumulative(stats: pstats.Stats, module: str, qualname: str) -> float:
    """Cumulative seconds of a function (all its entries in the profile)."""
    mod = __import__(module, fromlist=["_"])
    fn = mod
    for part in qualname.split("."):
        fn = getattr(fn, part, None)
        if fn is None:
            return 0.0
    fn = getattr(fn, "__wrapped__", fn)
    code = getattr(fn, "__code__", None)
    total = 0.0
    for (file, line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if code is None:  # a built-in function: profiled as "<built-in method NAME>"
            if file == "~" and name == f"<built-in method {module}.{qualname}>":
                total += ct
        elif file == code.co_filename and line == code.co_firstlineno and name == code.co_name:
            total += ct
    return total


def profile(sources: list[Path], count: int) -> dict:
    """Section 2: seconds per document per stage, under cProfile."""
    from pipeline.readers import markdown
    from pipeline.writers import pdf as pdf_writer

    datas = [(s.read_bytes(), str(s)) for s in sources]
    for data, path in datas[:2]:
        pdf_writer.write(markdown.read(data, path).resolution)
    todo = datas[2:2 + count]
    prof = cProfile.Profile()
    wall = time.perf_counter()
    prof.enable()
    for data, path in todo:
        pdf_writer.write(markdown.read(data, path).resolution)
    prof.disable()
    wall = time.perf_counter() - wall
    stats = pstats.Stats(prof)
    rows = {}
    for stage, fns in STAGES.items():
        rows[stage] = sum(_cumulative(stats, *f.split(":")) for f in fns) / len(todo)
    # the fonts dictionary is built inside WeasyPrint's write_pdf, not inside pydyf's write
    rows["other (options, identifiers, glue)"] = max(0.0, wall / len(todo) - sum(rows.values()))
    rows["total under the profiler"] = wall / len(todo)
    top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:15]
    heavy = {f"{Path(f).name}:{ln}({name})": tt / len(todo)
             for (f, ln, name), (_cc, _nc, tt, _ct, _c) in top}
    return {"stages, s/doc": rows, "heaviest functions (own time), s/doc": heavy}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", type=int, default=20, help="documents profiled")
    ap.add_argument("--no-marginal", action="store_true", help="the profile only")
    ap.add_argument("--before", type=Path, help="another checkout of unres to compare with")
    ap.add_argument("--json", dest="json_out")
    a = ap.parse_args(argv)
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src").mkdir()
        sources = seed_variants(tmp / "src", max(a.count, a.profile + 2))
        if not a.no_marginal:
            figures["marginal cost, medians"] = marginal(tmp, sources[:a.count], a.repeat,
                                                         a.before)
        figures.update(profile(sources, a.profile))
    print(f"Chinese seed variants to PDF: {a.count} per batch, {a.repeat} repetitions, "
          f"{a.profile} profiled")
    for section, rows in figures.items():
        print(section)
        for k, v in rows.items():
            print(f"  {k:52s} {v:10.4f}" if isinstance(v, float) else f"  {k:52s} {v}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
