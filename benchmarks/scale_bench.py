#!/usr/bin/env python3
"""Archive-scale benchmark: reading markdown with pandoc kept running, where the time of
one document goes, Dask against local processes, and a projection to a full rebuild.

  python benchmarks/scale_bench.py [--count 100] [--batch 60] [--json FILE]

All figures come from this run, side by side:

1. Markdown reading: COUNT variants of the Chinese seed converted to AKN by one
   ``unres convert -j 1`` (start-up included), against one ``pandoc -f markdown -t
   json`` process per source (the least any pandoc-based reader pays); per document.
2. Per stage, per document (one process, warm): pandoc, our normalizer, and each
   writer (AKN, HTML, PDF, DOCX), from a cProfile-free timing of each stage.
3. A batch of BATCH variants of the six examples to AKN, HTML, PDF and DOCX: ``-j 1``
   and ``-j 2``, and the same on a local Dask cluster (a scheduler and one or two
   single-threaded worker processes on 127.0.0.1); seconds per document.
4. Projection of a full rebuild (80,000 documents x 4 formats) on 10, 50 and 200
   single-core workers: documents x the measured per-document cost / workers, plus
   the measured scheduler overhead per task (from the Dask runs) x documents, plus the
   client's own per-document cost (writing and recording; it does not parallelise).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FORMATS = "akn,html,pdf,docx"


def _seed_variants(dest: Path, count: int) -> list[Path]:
    import re

    seed = (ROOT / "inputs" / "A_RES_71_19.zh.md").read_text("utf-8")
    out = []
    for i in range(count):
        text = re.sub(r"71/19", f"71/{1000 + i}", seed, count=1)
        f = dest / f"S{i:04d}.zh.md"
        f.write_text(text, "utf-8")
        out.append(f)
    return out


def _wall(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def markdown_reading(tmp: Path, count: int) -> dict:
    from pipeline.readers.pandoc import pandoc_path

    src = tmp / "seed"
    src.mkdir()
    files = _seed_variants(src, count)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pandoc = pandoc_path()
    t = time.perf_counter()
    for f in files:
        subprocess.run([pandoc, "-f", "markdown", "-t", "json", str(f)], check=True,
                       stdout=subprocess.DEVNULL)
    per_pandoc = (time.perf_counter() - t) / count
    unres = _wall([sys.executable, "-m", "pipeline.cli", "convert", str(src), "-t", "akn",
                   "-o", str(tmp / "seed-out"), "-j", "1", "-q"], env=env) / count
    return {"pandoc process per source, s/doc": per_pandoc,
            "unres -j 1 to AKN, s/doc": unres, "ratio (goal < 0.75)": unres / per_pandoc}


def stages(tmp: Path) -> dict:
    """Seconds per document of each stage, warm, over the six examples (median of 3)."""
    from pipeline.normalize import normalize
    from pipeline.readers import markdown, pandoc
    from pipeline.readers.common import document_language
    from pipeline.registry import writer_for

    inputs = sorted((ROOT / "inputs").glob("*.md"))
    texts = [(f, f.read_bytes()) for f in inputs]
    for f, data in texts:        # warm every stage once (fonts, styles, the kept pandoc)
        parsed = markdown.read(data, str(f))
        for fmt in FORMATS.split(","):
            writer_for(fmt)[0](parsed.resolution)
    rows: dict[str, list[float]] = {}

    def timeit(name, fn):
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t) / len(texts))
        rows[name] = statistics.median(runs)

    timeit("pandoc (kept running)", lambda: [pandoc.to_json(
        markdown.split_front_matter(d.decode(), str(f))[1], markdown.PANDOC_FORMAT, str(f))
        for f, d in texts])
    blocks = [(f, markdown.read_blocks(d, str(f))) for f, d in texts]
    langs = {f: document_language("", str(f), None, fr).code for f, (fr, _b, _w) in blocks}
    timeit("normalizer", lambda: [normalize(b, front=fr, path=str(f), lang=langs[f])
                                  for f, (fr, b, _) in blocks])
    trees = [markdown.read(d, str(f)).resolution for f, d in texts]
    for fmt in FORMATS.split(","):
        write = writer_for(fmt)[0]
        timeit(f"writer {fmt}", lambda write=write: [write(t) for t in trees])
    rows["all stages"] = sum(v for k, v in rows.items())
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cluster(workers: int, tmp: Path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", "from distributed.cli.dask_scheduler "
                               "import main; main()", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    address = f"tcp://127.0.0.1:{port}"
    for _ in range(workers):
        procs.append(subprocess.Popen([sys.executable, "-c", "from distributed.cli.dask_worker "
                                       "import main; main()", address, "--nthreads", "1",
                                       "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
                                      env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    from distributed import Client

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with Client(address, timeout="2s") as c:
                if len(c.scheduler_info()["workers"]) == workers:
                    # warm each worker: imports, fonts
                    return address, procs
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the Dask cluster did not start")


def batches(tmp: Path, count: int) -> dict:
    from bench import make_sources

    src = tmp / "batch"
    src.mkdir()
    make_sources(src, count)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    unres = [sys.executable, "-m", "pipeline.cli", "convert", str(src), "-t", FORMATS, "-q"]
    rows = {}
    for jobs in (1, 2):
        rows[f"-j {jobs}, s/doc"] = _wall([*unres, "-o", str(tmp / f"j{jobs}"), "-j", str(jobs)],
                                          env=env) / count
    try:
        import distributed  # noqa: F401
    except ImportError:
        return rows
    for workers in (1, 2):
        address, procs = _cluster(workers, tmp)
        try:
            rows[f"Dask, {workers} worker(s), s/doc"] = _wall(
                [*unres, "-o", str(tmp / f"d{workers}"), "--scheduler", address], env=env) / count
            rows[f"Dask overhead per task, {workers} worker(s), s"] = _task_overhead(address)
        finally:
            for p in procs:
                p.kill()
                p.wait()
    return rows


def _task_overhead(address: str, n: int = 400) -> float:
    """Seconds of scheduling per task: n trivial tasks through the cluster."""
    from distributed import Client, wait

    with Client(address) as c:
        t = time.perf_counter()
        wait(c.map(lambda x: x, range(n), pure=False))
        return (time.perf_counter() - t) / n


def projection(stage_rows: dict, batch_rows: dict, documents: int = 80_000) -> dict:
    """Hours for ``documents`` x 4 formats: the workers compute in parallel while the
    scheduler (per task) and the client (writing and recording each document) work
    serially, all three at once, so the slowest of the three bounds the run."""
    per_doc = stage_rows["all stages"]
    overhead = batch_rows.get("Dask overhead per task, 2 worker(s), s", 0.0)
    dask2 = batch_rows.get("Dask, 2 worker(s), s/doc")
    # what the client adds per document beyond the two workers' share of the work
    client = max(0.0, dask2 - per_doc / 2) if dask2 else 0.0
    out = {"per document, one core, s": per_doc, "scheduler s/task": overhead,
           "client s/doc beyond the workers' share (upper bound)": client}
    for workers in (10, 50, 200):
        bounds = (documents * per_doc / workers, documents * overhead, documents * client)
        out[f"{documents} docs on {workers} workers, hours"] = max(bounds) / 3600
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100, help="seed variants for reading")
    ap.add_argument("--batch", type=int, default=60, help="documents for the batch runs")
    ap.add_argument("--json", dest="json_out")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        figures = {"markdown reading": markdown_reading(tmp, a.count),
                   "stages, s/doc": stages(tmp),
                   "batch": batches(tmp, a.batch)}
    figures["projection"] = projection(figures["stages, s/doc"], figures["batch"])
    for section, rows in figures.items():
        print(section)
        for k, v in rows.items():
            print(f"  {k:48s} {v:10.4f}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
