#!/usr/bin/env python3
"""Archive-scale benchmark: reading markdown with pandoc kept running, where the time of
one document goes, Dask against local processes, and a projection to a full rebuild.

  python benchmarks/scale_bench.py [--count 100] [--batch 60] [--repeat 1] [--only reading]
                                   [--json FILE]

All figures come from this run, side by side:

1. Markdown reading: COUNT variants of the Chinese seed converted to AKN by one
   ``unres convert -j 1`` (start-up included), against one ``pandoc -f markdown -t
   json`` process per source (the least any pandoc-based reader pays); per document.
2. Per stage, per document (one process, warm): pandoc, our markdown reader after it,
   our normalizer, and each writer (AKN, HTML, PDF, DOCX), from a cProfile-free timing
   of each stage (median of 3).
3. A batch of BATCH variants of the six examples to AKN, HTML, PDF and DOCX: ``-j 1``
   and ``-j 2``, and the same on a local Dask cluster (a scheduler and one or two
   single-threaded worker processes on 127.0.0.1). Each is run on BATCH // 4 and on
   BATCH documents: seconds per document of the whole run (start-up included) and the
   marginal cost of a document (the difference of the two runs per extra document,
   start-up excluded), wall clock; on a cluster also the client's CPU per extra
   document (its share, which does not run in parallel).
4. Projection of a full rebuild (80,000 documents x 4 formats) on 10, 50 and 200
   single-core workers: the slowest of the workers' share (documents x the measured
   per-document cost / workers), the scheduler's (the measured overhead per task x
   documents) and the client's (its measured CPU per extra document x documents).
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

from commands import children_cpu, timed, unres_env  # noqa: E402

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


def markdown_reading(tmp: Path, count: int, repeat: int = 1) -> dict:
    """Part 1; with ``repeat`` rounds (each: the pandoc processes, then the unres runs,
    into new output folders), the median of each figure and of the rounds' ratios."""
    from pipeline.readers.pandoc import pandoc_path

    src = tmp / "seed"
    src.mkdir()
    files = _seed_variants(src, count)
    env = unres_env()
    pandoc = pandoc_path()
    one = tmp / "seed-one"
    one.mkdir()
    (one / files[0].name).write_bytes(files[0].read_bytes())

    def unres(folder: Path, out: str) -> tuple[float, float]:
        return timed([sys.executable, "-m", "pipeline.cli", "convert", str(folder), "-t",
                       "akn", "-o", str(tmp / out), "-j", "1", "-q"], env=env)

    unres(one, "seed-warm")  # the first run of the command: caches, nothing measured
    rounds = []
    for r in range(repeat):
        t, cpu = time.perf_counter(), children_cpu()
        for f in files:
            subprocess.run([pandoc, "-f", "markdown", "-t", "json", str(f)], check=True,
                           stdout=subprocess.DEVNULL)
        per_pandoc = (time.perf_counter() - t) / count
        cpu_pandoc = (children_cpu() - cpu) / count
        whole, whole_cpu = unres(src, f"seed-out{r}")
        start, _ = unres(one, f"seed-one-out{r}")
        rounds.append({"pandoc process per source, s/doc": per_pandoc,
                       "unres -j 1 to AKN, start-up included, s/doc": whole / count,
                       "ratio (goal < 0.75)": whole / count / per_pandoc,
                       "unres -j 1 start-up (one source), s": start,
                       "unres marginal, start-up excluded, s/doc": (whole - start) / (count - 1),
                       "ratio of the marginal": (whole - start) / (count - 1) / per_pandoc,
                       # CPU time (pandoc's included) varies far less than wall time when
                       # other jobs share the cores
                       "CPU: pandoc process per source, s/doc": cpu_pandoc,
                       "CPU: unres -j 1, start-up included, s/doc": whole_cpu / count,
                       "CPU ratio": whole_cpu / count / cpu_pandoc})
    out = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    if repeat > 1:
        out["ratios of the rounds"] = " ".join(f"{r['ratio (goal < 0.75)']:.2f}" for r in rounds)
    out["load average (1 min) at the end"] = f"{os.getloadavg()[0]:.2f}"
    return out


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
    read_all = statistics.median(_repeat(lambda: [markdown.read_blocks(d, str(f))
                                                  for f, d in texts], len(texts)))
    rows["markdown reader after pandoc"] = max(0.0, read_all - rows["pandoc (kept running)"])
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


def _repeat(fn, n: int, times: int = 3) -> list[float]:
    out = []
    for _ in range(times):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) / n)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cluster(workers: int, tmp: Path):
    port = _free_port()
    env = unres_env()
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

    small = max(2, count // 4)
    folders = {}
    for n in (small, count):
        folders[n] = tmp / f"batch{n}"
        folders[n].mkdir()
        make_sources(folders[n], n)
    env = unres_env()
    unres = [sys.executable, "-m", "pipeline.cli", "convert", "-t", FORMATS, "-q"]
    rows = {}
    k = 0

    def measure(name: str, extra: list[str], warm: bool = False) -> None:
        nonlocal k
        if warm:  # a fresh cluster's workers import unres and load fonts: not measured
            k += 1
            timed([*unres, str(folders[small]), "-o", str(tmp / f"out{k}"), *extra], env=env)
        got = {}
        for n in (small, count):
            k += 1
            got[n] = timed([*unres, str(folders[n]), "-o", str(tmp / f"out{k}"), *extra],
                            env=env)
        extra_docs = count - small
        rows[f"{name}, s/doc (whole run)"] = got[count][0] / count
        rows[f"{name}, marginal s/doc"] = (got[count][0] - got[small][0]) / extra_docs
        if "Dask" in name:  # the client's own CPU (the workers are not its children)
            rows[f"{name}, client CPU per extra doc, s"] = \
                (got[count][1] - got[small][1]) / extra_docs

    timed([*unres, str(folders[small]), "-o", str(tmp / "warm")], env=env)  # not measured
    for jobs in (1, 2):
        measure(f"-j {jobs}", ["-j", str(jobs)])
    try:
        import distributed  # noqa: F401
    except ImportError:
        return rows
    for workers in (1, 2):
        address, procs = _cluster(workers, tmp)
        try:
            measure(f"Dask {workers} worker(s)", ["--scheduler", address], warm=True)
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
    scheduler (per task) and the client (reading sources, writing and recording each
    document's outputs) work serially, all three at once, so the slowest of the three
    bounds the run."""
    per_doc = stage_rows["all stages"]
    overhead = batch_rows.get("Dask overhead per task, 2 worker(s), s", 0.0)
    client = max(0.0, batch_rows.get("Dask 2 worker(s), client CPU per extra doc, s", 0.0))
    out = {"per document, one core, s": per_doc, "scheduler s/task": overhead,
           "client CPU s/doc": client}
    for workers in (10, 50, 200):
        bounds = (documents * per_doc / workers, documents * overhead, documents * client)
        out[f"{documents} docs on {workers} workers, hours"] = max(bounds) / 3600
        out[f"  bound by ({workers} workers)"] = ("workers", "scheduler", "client")[
            bounds.index(max(bounds))]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100, help="seed variants for reading")
    ap.add_argument("--batch", type=int, default=60, help="documents for the batch runs")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of the markdown reading (medians are given)")
    ap.add_argument("--only", choices=["reading"],
                    help="run only this part (reading: the markdown reading of 1.)")
    ap.add_argument("--json", dest="json_out")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        figures = {"markdown reading": markdown_reading(tmp, a.count, a.repeat)}
        if a.only is None:
            figures["stages, s/doc"] = stages(tmp)
            figures["batch"] = batches(tmp, a.batch)
    if a.only is None:
        figures["projection"] = projection(figures["stages, s/doc"], figures["batch"])
    for section, rows in figures.items():
        print(section)
        for k, v in rows.items():
            print(f"  {k:52s} {v:10.4f}" if isinstance(v, float) else f"  {k:52s} {v:>10}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
