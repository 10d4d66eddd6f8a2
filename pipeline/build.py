"""Converting files, one or ten thousand: reading, writing, the batch.

Guarantees:
- a file that fails (read, normalize or write) changes nothing on disk: every
  format is rendered to bytes first and the set is written as one
  (:func:`pipeline.atomic.write_set`), so the outputs of the last good run stay
  as they were;
- outputs are written only where the output gate allows
  (:class:`pipeline.atomic.OutputGate`): inside the output directory, never
  through a symbolic link, never onto one of the run's inputs;
- one failing file never stops the others; a defect of the pipeline met on one
  file is reported for that file (``InternalError``), never as a traceback; a
  worker process that dies costs only the file it held, tried once more
  (:mod:`pipeline.pool`); a file that takes longer than ``timeout`` seconds fails
  alone;
- an output whose key is unchanged since it was written is not written again
  (:mod:`pipeline.cache`); ``force`` converts everything; a build of a folder
  removes the outputs unres wrote for sources that are no longer there;
- the same input gives the same bytes, whatever ``jobs`` is.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import registry
from .ast import Span
from .atomic import OutputGate, sweep, write_atomic, write_set
from .errors import Diagnostic, InternalError, PipelineError, UsageError
from .options import DEFAULT_READ, DEFAULT_WRITE, ReadOptions, WriteOptions
from .produce import failure_result, produce, produce_result, render
from .sources import INTERNAL, MAX_INPUT, Source, discover, load, read_input

__all__ = ["Source", "Outcome", "Job", "Stop", "discover", "load", "read_input", "render",
           "produce", "produce_result",
           "convert_one", "run", "check", "write_atomic", "MAX_INPUT", "INTERNAL"]


@dataclass
class Outcome:
    """What happened to one input."""

    source: Path
    status: str = "converted"          # converted | up-to-date | failed | skipped | removed
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: PipelineError | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Job:
    """What every conversion of one batch shares (sent to each worker once per file)."""

    formats: tuple[str, ...]
    outdir: Path
    read_options: ReadOptions = DEFAULT_READ
    write_options: WriteOptions = DEFAULT_WRITE
    gate: OutputGate | None = None
    timeout: float | None = None


class Stop:
    """A request to stop a batch: ``requested`` is set by the caller (the first Ctrl-C);
    no new file is started after it, the files in progress finish."""

    requested: bool = False


def finish(src: Source, result: dict, outdir: Path, gate: OutputGate | None = None) -> Outcome:
    """A produced result written (through the output gate, as one set) into an outcome."""
    from . import errors

    name = str(src.path)
    o = Outcome(src.path, result["status"],
                diagnostics=[Diagnostic(m, Span(f, ln, c), lv, code)
                             for m, f, ln, c, lv, code in result["diagnostics"]],
                seconds=result["seconds"])
    if result.get("lost"):
        o.status, o.error = "failed", InternalError(result["lost"], Span(name, 1, 1))
    elif result["error"]:
        kind, message, f, ln, c = result["error"]
        cls = getattr(errors, kind, InternalError)
        if not (isinstance(cls, type) and issubclass(cls, PipelineError)):
            cls = InternalError
        o.error = cls(message, Span(f or name, ln or 1, c or 1))
        o.status = "failed"
    elif o.status == "converted":
        files = {src.target(outdir, fmt): data for fmt, data in result["outputs"].items()}
        try:
            write_set(files, gate or OutputGate(outdir, [src.path]), name)
            o.outputs = list(files)
        except PipelineError as e:
            o.status, o.error = "failed", e
    return o


def convert_one(source: Path | Source, formats: list[str] | tuple[str, ...], outdir: Path,
                read_options: ReadOptions = DEFAULT_READ,
                write_options: WriteOptions = DEFAULT_WRITE, *,
                gate: OutputGate | None = None, timeout: float | None = None) -> Outcome:
    """Read one file and write each format; errors are caught into the outcome."""
    src = source if isinstance(source, Source) else Source(Path(source), Path("."))
    start = time.perf_counter()
    try:
        if src.refused is not None:
            raise src.refused
        result = produce_result(read_input(src.path), str(src.path), formats, read_options,
                                write_options, timeout)
    except PipelineError as e:
        result = failure_result(e)
    outcome = finish(src, result, outdir, gate)
    outcome.seconds = time.perf_counter() - start
    return outcome


def convert(sources: Iterable[Path], formats: list[str], outdir: Path,
            read_options: ReadOptions = DEFAULT_READ,
            write_options: WriteOptions = DEFAULT_WRITE) -> Iterator[Outcome]:
    """Convert each source in turn in this process, yielding each outcome (no record)."""
    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    for source in sources:
        yield convert_one(source, formats, outdir, read_options, write_options)


# ---------------------------------------------------------------- the batch

def _without_clashes(sources: list[Source], formats: Iterable[str],
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


def _work(path: str, formats: tuple[str, ...], job: Job) -> dict:
    """A local worker's job: read one file and produce its outputs' bytes (the parent
    writes them); plain data, safe to pickle."""
    try:
        data = read_input(Path(path))
    except PipelineError as e:
        return failure_result(e)
    return produce_result(data, path, formats, job.read_options, job.write_options, job.timeout)


@dataclass
class _Plan:
    """One source of a batch: the key each output would have now, and which need writing."""

    source: Source
    keys: dict[str, str]                       # format -> key ("" when the input is unreadable)
    todo: list[str]                            # formats to write
    fresh: list[Path] = field(default_factory=list)   # outputs already up to date


def _plan(sources: list[Source], job: Job, cache, force: bool) -> list[_Plan]:
    from .cache import output_key

    plans = []
    for src in sources:
        try:
            if src.refused is not None:
                raise src.refused
            digest = _digest(src, cache)
            keys = {f: output_key(digest, registry.output_key_parts(
                src.path, f, job.read_options, job.write_options)) for f in job.formats}
        except PipelineError:
            keys = {f: "" for f in job.formats}       # the conversion reports it
        plan = _Plan(src, keys, [])
        for f in job.formats:
            found = None if force or not keys[f] else cache.fresh(src.key, f, keys[f])
            if found is None:
                plan.todo.append(f)
            else:
                plan.fresh.append(found)
        plans.append(plan)
    return plans


def _digest(src: Source, cache) -> str:
    """The digest of a source's bytes: the record's when the file is unchanged since it
    was taken (size, times, inode), else read and hashed now, and remembered."""
    from .cache import input_digest

    try:
        st = os.stat(src.path)
    except OSError:
        st = None
    if st is not None:
        known = cache.known_digest(src.key, st)
        if known:
            return known
    digest = input_digest(read_input(src.path))
    if st is not None:
        cache.note_input(src.key, st, digest)
    return digest


def _removed(cache, sources: list[Source], folders: Iterable[Path]) -> list[Outcome]:
    """For each folder built whole: the outputs unres wrote for a source under it that is
    no longer there (deleted, renamed, excluded) are removed, and its record forgotten.
    A recorded output changed since it was written is left where it is."""
    present = {s.key for s in sources}
    out = []
    for folder in folders:
        for key in cache.sources_under(folder):
            if key in present:
                continue
            removed = []
            for path in cache.written_unchanged(key):
                try:
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass
            cache.forget(key)
            out.append(Outcome(Path(key), "removed", removed))
    return out


def run(sources: list[Source], formats: list[str], outdir: Path, *, jobs: int | None = None,
        force: bool = False, read_options: ReadOptions = DEFAULT_READ,
        write_options: WriteOptions = DEFAULT_WRITE, timeout: float | None = None,
        folders: Iterable[Path] = (), stop: Stop | None = None, scheduler: str | None = None,
        on_start: Callable[[int, int], None] | None = None,
        on_note: Callable[[str], None] | None = None) -> Iterator[Outcome]:
    """Convert a batch: up-to-date outputs skipped, the others on ``jobs`` processes.

    Each output is up to date or not on its own key (:mod:`pipeline.cache`): a source
    whose PDF is stale and whose AKN is not has only its PDF written.  Yields one
    outcome per source as it is known (removed and up-to-date ones first).  The
    build record is saved as outcomes arrive (at most every two seconds) and at the
    end, also when the caller stops early.  ``folders`` are the directories built
    whole (their vanished sources' outputs are removed); ``stop`` ends the batch after
    the files in progress; ``scheduler`` (a Dask address) runs the conversions on a
    cluster (:mod:`pipeline.distributed`).
    """
    from .cache import BuildCache

    if not formats:
        raise UsageError("no output format given (-t akn,html,pdf,docx,md,json)")
    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    gate = OutputGate(outdir, [s.path for s in sources if s.refused is None])
    gate.open()
    sweep(outdir)
    stop = stop or Stop()
    cache = BuildCache(outdir)
    job = Job(tuple(formats), outdir, read_options, write_options, gate, timeout)
    sources, clashes = _without_clashes(sources, formats, outdir)
    plans = _plan(sources, job, cache, force)
    fresh = [Outcome(p.source.path, "up-to-date", p.fresh) for p in plans if not p.todo]
    refused = [p for p in plans if p.todo and p.source.refused is not None]
    todo = [p for p in plans if p.todo and p.source.refused is None]
    if on_start:
        on_start(len(fresh), len(todo) + len(clashes) + len(refused))
    yield from _removed(cache, sources, folders)
    yield from clashes
    for p in refused:
        yield Outcome(p.source.path, "failed", error=p.source.refused)
    yield from fresh

    def done(plan: _Plan, o: Outcome) -> Outcome:
        if o.status == "converted":
            cache.record(plan.source.key, {f: (plan.keys[f], plan.source.target(outdir, f))
                                           for f in plan.todo if plan.keys[f]})
            o.outputs = plan.fresh + o.outputs
        else:
            cache.forget(plan.source.key, plan.todo)
        return o

    jobs = max(1, jobs or os.cpu_count() or 1)
    last_save = time.monotonic()
    try:
        if not scheduler and (jobs == 1 or len(todo) <= 1):
            with _fewer_collections() as settled:
                if len(todo) > 1:  # the first document too: one pandoc for the batch
                    _read_ahead(todo[0].source)
                for i, plan in enumerate(todo):
                    if stop.requested:
                        break
                    if i + 1 < len(todo):
                        _read_ahead(todo[i + 1].source)
                    outcome = convert_one(plan.source, plan.todo, outdir, read_options,
                                          write_options, gate=gate, timeout=timeout)
                    if i == 0:
                        settled()
                    yield done(plan, outcome)
                    if time.monotonic() - last_save > 2:
                        cache.save()
                        last_save = time.monotonic()
            return
        if scheduler:
            from . import distributed

            client = distributed.connect(scheduler)
            try:
                tasks = [(_reader_of(p.source), str(p.source.path), tuple(p.todo))
                         for p in todo]
                for index, result in distributed.run(client, tasks, job,
                                                     lambda: stop.requested):
                    yield done(todo[index], finish(todo[index].source, result, outdir, gate))
                    if time.monotonic() - last_save > 2:
                        cache.save()
                        last_save = time.monotonic()
            finally:
                client.close()
            return
        from .pool import WorkerLost, WorkerPool

        pool = WorkerPool(_work, min(jobs, len(todo)), stop=lambda: stop.requested)
        results = pool.run([(str(p.source.path), tuple(p.todo), job) for p in todo])
        try:
            for index, result in results:
                plan = todo[index]
                if isinstance(result, WorkerLost):
                    result = {"status": "failed", "outputs": {}, "diagnostics": [],
                              "error": None, "seconds": 0.0, "lost": result.describe()}
                yield done(plan, finish(plan.source, result, outdir, gate))
                if time.monotonic() - last_save > 2:
                    cache.save()
                    last_save = time.monotonic()
        finally:
            results.close()
            pool.stop()
    finally:
        if not cache.save() and on_note:
            on_note(f"unres: warning: {cache.error}")


#: the fewest allocations between two runs of the cyclic garbage collector's youngest
#: generation during a batch converted in this process (Python's default is 700)
GC_FIRST_GENERATION = 5000


@contextmanager
def _fewer_collections() -> Iterator[Callable[[], None]]:
    """Less of the cyclic garbage collector while a batch converts in this process; what
    is written does not change.  A document's tree is thousands of containers (pandoc's
    JSON, the raw blocks, the canonical tree) that reference counting frees: with
    Python's defaults the collector ran about five times a document, and each of its
    full runs went through every object of the modules loaded.  So: the objects that
    exist when the batch starts, and again once the first document has loaded the
    modules it needed (the function given to the block), are left out of all later
    collections (:func:`gc.freeze`), and the youngest generation is collected every
    :data:`GC_FIRST_GENERATION` allocations.  Both are undone when the block ends."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], GC_FIRST_GENERATION), *old[1:])
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _read_ahead(src: Source) -> None:
    """Let pandoc start on the next markdown source of a batch run in this process while
    this one is converted (:func:`pipeline.readers.markdown.read_ahead`)."""
    if src.refused is not None or registry.READERS.get(src.path.suffix.lower()) \
            is not registry.READERS[".md"]:
        return
    from .readers import markdown, pandoc

    try:
        if src.path.stat().st_size > 2 * pandoc.AHEAD_LIMIT:
            return  # too long to be sent ahead: not read twice for nothing
        data = read_input(src.path)
    except (PipelineError, OSError):
        return

    markdown.read_ahead(data, str(src.path))


def _reader_of(src: Source) -> Callable[[], bytes]:
    def read() -> bytes:
        if src.refused is not None:
            raise src.refused
        return read_input(src.path)
    return read


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

    if not formats:
        raise UsageError("no output format given (-t akn,html,pdf,docx,md,json)")
    for fmt in formats:
        registry.writer_for(fmt)
    cache = BuildCache(outdir)
    job = Job(tuple(formats), outdir, read_options, write_options)
    for src in sources:
        start = time.perf_counter()
        o = Outcome(src.path, "up-to-date")
        try:
            plan = _plan([src], job, cache, False)[0]
            if plan.todo:
                if src.refused is not None:
                    raise src.refused
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
