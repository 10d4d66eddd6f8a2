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
from .options import DEFAULT_READ, DEFAULT_WRITE, ReadOptions, WriteOptions
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


def render(parsed: Parsed, formats: Iterable[str], options: WriteOptions = DEFAULT_WRITE
           ) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every format's bytes for one tree, and the writers' warnings."""
    outputs: dict[str, bytes] = {}
    warnings: list[Diagnostic] = []
    for fmt in formats:
        write, _ = registry.writer_for(fmt)
        written = write(parsed.resolution, options)
        outputs[fmt] = written.data
        warnings.extend(written.diagnostics)
    # a writer's warning about the whole document points at the source's first line
    where = parsed.resolution.span
    if where is not None and where.file:
        warnings = [w if w.span.file else replace(w, span=Span(where.file, 1, 1))
                    for w in warnings]
    return outputs, warnings


def convert_one(source: Path | Source, formats: list[str], outdir: Path,
                read_options: ReadOptions = DEFAULT_READ,
                write_options: WriteOptions = DEFAULT_WRITE) -> Outcome:
    """Read one file and write each format; errors are caught into the outcome."""
    src = source if isinstance(source, Source) else Source(Path(source), Path("."))
    outcome = Outcome(src.path)
    start = time.perf_counter()
    written: list[Path] = []
    try:
        parsed = load(src.path, read_options)
        outcome.diagnostics.extend(parsed.diagnostics)
        rendered, warnings = render(parsed, formats, write_options)
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


def convert(sources: Iterable[Path], formats: list[str], outdir: Path,
            read_options: ReadOptions = DEFAULT_READ,
            write_options: WriteOptions = DEFAULT_WRITE) -> Iterator[Outcome]:
    """Convert each source in turn in this process, yielding each outcome (no cache)."""
    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    for source in sources:
        yield convert_one(source, formats, outdir, read_options, write_options)


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


def _work(src: Source, formats: list[str], outdir: Path, read_options: ReadOptions,
          write_options: WriteOptions) -> dict:
    """A worker's job: one conversion, its outcome as plain data (safe to pickle)."""
    o = convert_one(src, formats, outdir, read_options, write_options)
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


@dataclass
class _Plan:
    """One source of a batch: the key each output would have now, and which need writing."""

    source: Source
    keys: dict[str, str]                       # format -> key ("" when the input is unreadable)
    todo: list[str]                            # formats to write
    fresh: list[Path] = field(default_factory=list)   # outputs already up to date


def _plan(sources: list[Source], formats: list[str], outdir: Path, cache,
          read_options: ReadOptions, write_options: WriteOptions, force: bool) -> list[_Plan]:
    from .cache import input_digest, output_key

    plans = []
    for src in sources:
        try:
            digest = input_digest(read_input(src.path))
            keys = {f: output_key(digest, registry.output_key_parts(
                src.path, f, read_options, write_options)) for f in formats}
        except PipelineError:
            keys = {f: "" for f in formats}       # the conversion reports it
        plan = _Plan(src, keys, [])
        for f in formats:
            found = None if force or not keys[f] else \
                cache.fresh(str(src.path), f, keys[f], outdir)
            if found is None:
                plan.todo.append(f)
            else:
                plan.fresh.append(found)
        plans.append(plan)
    return plans


def run(sources: list[Source], formats: list[str], outdir: Path, *, jobs: int | None = None,
        force: bool = False, read_options: ReadOptions = DEFAULT_READ,
        write_options: WriteOptions = DEFAULT_WRITE,
        on_start: Callable[[int, int], None] | None = None) -> Iterator[Outcome]:
    """Convert a batch: up-to-date outputs skipped, the others on ``jobs`` processes.

    Each output is up to date or not on its own key (:mod:`pipeline.cache`): a source
    whose PDF is stale and whose AKN is not has only its PDF written.  Yields one
    outcome per source as it is known (up-to-date ones first). The build record is
    saved as outcomes arrive (at most every two seconds) and at the end, also when the
    caller stops early (Ctrl-C).
    """
    from .cache import BuildCache

    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    outdir.mkdir(parents=True, exist_ok=True)
    sweep(outdir)
    cache = BuildCache(outdir)
    sources, clashes = _without_clashes(sources, formats, outdir)
    plans = _plan(sources, formats, outdir, cache, read_options, write_options, force)
    fresh = [Outcome(p.source.path, "up-to-date", p.fresh) for p in plans if not p.todo]
    todo = [p for p in plans if p.todo]
    if on_start:
        on_start(len(fresh), len(todo) + len(clashes))
    yield from clashes
    yield from fresh

    def done(plan: _Plan, o: Outcome) -> Outcome:
        name = str(plan.source.path)
        if o.status == "converted":
            cache.record(name, {f: (plan.keys[f], str(plan.source.target(outdir, f)
                                                      .relative_to(outdir)))
                                for f in plan.todo if plan.keys[f]})
            o.outputs = plan.fresh + o.outputs
        else:
            cache.forget(name, plan.todo)
        return o

    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    jobs = max(1, jobs or os.cpu_count() or 1)
    last_save = time.monotonic()
    try:
        if jobs == 1 or len(todo) <= 1:
            for plan in todo:
                yield done(plan, convert_one(plan.source, plan.todo, outdir, read_options,
                                             write_options))
                if time.monotonic() - last_save > 2:
                    cache.save()
                    last_save = time.monotonic()
            return
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_init_worker)
        try:
            pending: dict[Future, _Plan] = {
                pool.submit(_work, p.source, p.todo, outdir, read_options, write_options): p
                for p in todo}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    plan = pending.pop(fut)
                    try:
                        o = _outcome(fut.result())
                    except Exception as e:  # noqa: BLE001 - a worker died: that file failed
                        o = Outcome(plan.source.path, "failed", error=InternalError(
                            f"internal error (worker: {type(e).__name__}: {e})",
                            Span(str(plan.source.path), 1, 1)))
                    yield done(plan, o)
                if time.monotonic() - last_save > 2:
                    cache.save()
                    last_save = time.monotonic()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        cache.save()


def check(sources: list[Source], formats: list[str], outdir: Path, *,
          read_options: ReadOptions = DEFAULT_READ,
          write_options: WriteOptions = DEFAULT_WRITE) -> Iterator[Outcome]:
    """Whether each source's outputs are up to date, writing no output.

    An output is up to date when the build record says so, or else when converting
    again gives exactly the bytes already there (output is deterministic). Nothing is
    written, not even the record. Status "stale" lists the outputs that differ or are
    missing.
    """
    from .cache import BuildCache

    for fmt in formats:
        registry.writer_for(fmt)
    cache = BuildCache(outdir)
    for src in sources:
        start = time.perf_counter()
        o = Outcome(src.path, "up-to-date")
        try:
            plan = _plan([src], formats, outdir, cache, read_options, write_options, False)[0]
            if plan.todo:
                parsed = load(src.path, read_options)
                rendered, _ = render(parsed, plan.todo, write_options)
                stale = [src.target(outdir, f) for f, data in rendered.items()
                         if not src.target(outdir, f).is_file()
                         or src.target(outdir, f).read_bytes() != data]
                if stale:
                    o.status, o.outputs = "stale", stale
        except PipelineError as e:
            o.status, o.error = "failed", e
        o.seconds = time.perf_counter() - start
        yield o
