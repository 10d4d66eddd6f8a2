"""Converting files, one or ten thousand: discovery, reading, writing, the batch.

Guarantees:
- a file that fails (read, normalize or write) leaves no output at all: every
  format is rendered to bytes first, each file is written whole or not at all
  (:mod:`pipeline.atomic`), and the outputs of a set that could not be
  finished are removed;
- one failing file never stops the others; a defect of the pipeline met on one
  file is reported for that file (``InternalError``), never as a traceback;
- an input whose bytes, options and pipeline are unchanged since its outputs
  were written is not converted again and its outputs are not touched
  (:mod:`pipeline.cache`); ``force`` converts everything;
- files are converted by ``jobs`` worker processes; outcomes come back in the
  order the files finish; the same input gives the same bytes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import registry
from .ast import Span
from .atomic import sweep, write_atomic
from .errors import Diagnostic, InternalError, PipelineError, UsageError
from .readers import Parsed
from .sources import INTERNAL, MAX_INPUT, Source, discover, load, read_input

__all__ = ["Source", "Outcome", "discover", "load", "read_input", "render", "convert_one",
           "run", "check", "write_atomic", "MAX_INPUT", "INTERNAL"]

@dataclass
class Outcome:
    """What happened to one input."""

    source: Path
    status: str = "converted"          # converted | up-to-date | failed
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: PipelineError | None = None
    seconds: float = 0.0


def render(parsed: Parsed, formats: Iterable[str]) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every format's bytes for one tree, and the writers' warnings."""
    outputs: dict[str, bytes] = {}
    warnings: list[Diagnostic] = []
    for fmt in formats:
        write, _ = registry.writer_for(fmt)
        outputs[fmt] = write(parsed.resolution, warnings=warnings)
    # a writer's warning about the whole document points at the source's first line
    where = parsed.resolution.span
    if where is not None and where.file:
        warnings = [w if w.span.file else replace(w, span=Span(where.file, 1, 1))
                    for w in warnings]
    return outputs, warnings


def convert_one(source: Path | Source, formats: list[str], outdir: Path, *,
                lang: str | None = None) -> Outcome:
    """Read one file and write each format; errors are caught into the outcome."""
    src = source if isinstance(source, Source) else Source(Path(source), Path("."))
    outcome = Outcome(src.path)
    start = time.perf_counter()
    written: list[Path] = []
    try:
        parsed = load(src.path, lang=lang)
        outcome.diagnostics.extend(parsed.diagnostics)
        rendered, warnings = render(parsed, formats)
        outcome.diagnostics.extend(warnings)
        for fmt, data in rendered.items():
            target = src.target(outdir, fmt)
            write_atomic(target, data)
            written.append(target)
        outcome.outputs = written
    except PipelineError as e:
        if not e.span.file:
            e.span = Span(str(src.path), e.span.line, e.span.col)
        outcome.error = e
    except INTERNAL as e:
        outcome.error = InternalError(f"internal error ({type(e).__name__}: {e}); please report "
                                      f"this file", Span(str(src.path), 1, 1))
    if outcome.error is not None:
        outcome.status = "failed"
        for p in written:        # a set that could not be finished is not left half done
            p.unlink(missing_ok=True)
    outcome.seconds = time.perf_counter() - start
    return outcome


def convert(sources: Iterable[Path], formats: list[str], outdir: Path, *,
            lang: str | None = None) -> Iterator[Outcome]:
    """Convert each source in turn in this process, yielding each outcome (no cache)."""
    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    for source in sources:
        yield convert_one(source, formats, outdir, lang=lang)


# ---------------------------------------------------------------- the batch

def _without_clashes(sources: list[Source], formats: list[str],
                     outdir: Path) -> tuple[list[Source], list[Outcome]]:
    """Sources whose outputs would overwrite those of an earlier source (x.md and x.xml
    in one folder both give x.akn.xml) fail, named, instead of overwriting them."""
    owner: dict[Path, Path] = {}
    keep: list[Source] = []
    clashes: list[Outcome] = []
    for src in sources:
        targets = [src.target(outdir, f) for f in formats]
        first = next((owner[t] for t in targets if t in owner), None)
        if first is not None:
            clashes.append(Outcome(src.path, "failed", error=UsageError(
                f"its outputs would overwrite those of {first}; convert it into another "
                f"directory", Span(str(src.path), 1, 1))))
            continue
        for t in targets:
            owner[t] = src.path
        keep.append(src)
    return keep, clashes


def _work(src: Source, formats: list[str], outdir: Path, lang: str | None) -> dict:
    """A worker's job: one conversion, its outcome as plain data (safe to pickle)."""
    o = convert_one(src, formats, outdir, lang=lang)
    return {"source": str(src.path), "status": o.status,
            "outputs": [str(p) for p in o.outputs],
            "diagnostics": [(d.message, d.span.file, d.span.line, d.span.col, d.level, d.code)
                            for d in o.diagnostics],
            "error": None if o.error is None else
            (type(o.error).__name__, o.error.message, o.error.span.file, o.error.span.line,
             o.error.span.col),
            "seconds": o.seconds}


def _outcome(d: dict) -> Outcome:
    from . import errors

    o = Outcome(Path(d["source"]), d["status"], [Path(p) for p in d["outputs"]],
                [Diagnostic(m, Span(f, ln, c), lv, code) for m, f, ln, c, lv, code
                 in d["diagnostics"]], seconds=d["seconds"])
    if d["error"]:
        name, message, f, ln, c = d["error"]
        cls = getattr(errors, name, InternalError)
        o.error = cls(message, Span(f, ln, c))
    return o


def _init_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops the batch cleanly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(sources: list[Source], formats: list[str], outdir: Path, *, jobs: int | None = None,
        force: bool = False, lang: str | None = None,
        on_start: Callable[[int, int], None] | None = None) -> Iterator[Outcome]:
    """Convert a batch: up-to-date files skipped, the others on ``jobs`` processes.

    Yields one outcome per source as it is known (up-to-date ones first). The cache
    record is saved as outcomes arrive (at most every two seconds) and at the end, also
    when the caller stops early (Ctrl-C).
    """
    from .cache import BuildCache, input_key

    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    outdir.mkdir(parents=True, exist_ok=True)
    sweep(outdir)
    cache = BuildCache(outdir)
    options = {"formats": sorted(formats), "lang": lang or ""}
    todo: list[tuple[Source, str]] = []
    fresh: list[Outcome] = []
    sources, clashes = _without_clashes(sources, formats, outdir)
    for src in sources:
        try:
            key = input_key(read_input(src.path), options)
        except PipelineError:
            key = ""          # the conversion reports it
        if key and not force and cache.up_to_date(str(src.path), key, outdir):
            fresh.append(Outcome(src.path, "up-to-date",
                                 [outdir / n for n in cache.entries[str(src.path)]["outputs"]]))
        else:
            todo.append((src, key))
    if on_start:
        on_start(len(fresh), len(todo) + len(clashes))
    yield from clashes
    yield from fresh

    def done(src: Source, key: str, o: Outcome) -> Outcome:
        if o.status == "converted" and key:
            cache.record(str(src.path), key, [str(p.relative_to(outdir)) for p in o.outputs])
        else:
            cache.forget(str(src.path))
        return o

    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    jobs = max(1, jobs or os.cpu_count() or 1)
    last_save = time.monotonic()
    try:
        if jobs == 1 or len(todo) <= 1:
            for src, key in todo:
                yield done(src, key, convert_one(src, formats, outdir, lang=lang))
                if time.monotonic() - last_save > 2:
                    cache.save()
                    last_save = time.monotonic()
            return
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_init_worker)
        try:
            pending: dict[Future, tuple[Source, str]] = {
                pool.submit(_work, src, formats, outdir, lang): (src, key) for src, key in todo}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    src, key = pending.pop(fut)
                    try:
                        o = _outcome(fut.result())
                    except Exception as e:  # noqa: BLE001 - a worker died: that file failed
                        o = Outcome(src.path, "failed", error=InternalError(
                            f"internal error (worker: {type(e).__name__}: {e})",
                            Span(str(src.path), 1, 1)))
                    yield done(src, key, o)
                if time.monotonic() - last_save > 2:
                    cache.save()
                    last_save = time.monotonic()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        cache.save()


def check(sources: list[Source], formats: list[str], outdir: Path, *,
          lang: str | None = None) -> Iterator[Outcome]:
    """Whether each source's outputs are up to date, writing no output.

    Up to date when the build record says so, or else when converting again gives
    exactly the bytes already there (output is deterministic). Nothing is written,
    not even the record. Status "stale" lists the outputs that differ or are missing.
    """
    from .cache import BuildCache, input_key

    for fmt in formats:
        registry.writer_for(fmt)
    cache = BuildCache(outdir)
    options = {"formats": sorted(formats), "lang": lang or ""}
    for src in sources:
        start = time.perf_counter()
        o = Outcome(src.path, "up-to-date")
        try:
            key = input_key(read_input(src.path), options)
            if not cache.up_to_date(str(src.path), key, outdir):
                parsed = load(src.path, lang=lang)
                rendered, _ = render(parsed, formats)
                stale = [src.target(outdir, f) for f, data in rendered.items()
                         if not src.target(outdir, f).is_file()
                         or src.target(outdir, f).read_bytes() != data]
                if stale:
                    o.status, o.outputs = "stale", stale
        except PipelineError as e:
            o.status, o.error = "failed", e
        o.seconds = time.perf_counter() - start
        yield o
