"""Producing outputs: a source's bytes in, every format's bytes out.

The whole conversion of one document, touching no file and no clock: what every
worker runs, a local process (:mod:`pipeline.pool`) or a Dask worker
(:mod:`pipeline.distributed`); the caller writes the bytes (:mod:`pipeline.build`).

Guarantees of :func:`produce_result`: it never raises; its result is plain data
that pickles (status, outputs by format, diagnostics, error, seconds); markdown
that holds no resolution is "skipped" with a warning, not failed; a ``timeout``
is enforced where a timer can be (the main thread of a process).
"""

from __future__ import annotations

import signal
import time
from dataclasses import replace
from typing import Iterable

from . import registry
from .ast import Span
from .errors import Diagnostic, NotAResolution, PipelineError
from .options import DEFAULT_READ, DEFAULT_WRITE, ReadOptions, WriteOptions
from .readers import Parsed
from .sources import parse_bytes


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


class _Timeout(BaseException):
    """The document's time is up: a BaseException, so that no reader's or pass's
    ``except Exception`` (nor the input gate's report of a defect as an internal error)
    takes it for a failure of its own."""


def _alarm(signum, frame):
    raise _Timeout()


def produce(data: bytes, name: str, formats: Iterable[str],
            read_options: ReadOptions = DEFAULT_READ,
            write_options: WriteOptions = DEFAULT_WRITE) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """A source's bytes in, every format's bytes and the warnings out: the whole
    conversion, touching no file (what a worker, local or on a cluster, runs)."""
    parsed = parse_bytes(data, name, read_options)
    rendered, warnings = render(parsed, formats, write_options)
    return rendered, list(parsed.diagnostics) + warnings


def produce_result(data: bytes, name: str, formats: Iterable[str],
                   read_options: ReadOptions = DEFAULT_READ,
                   write_options: WriteOptions = DEFAULT_WRITE,
                   timeout: float | None = None) -> dict:
    """:func:`produce` as plain data that pickles, never raising: ``status``
    (converted, skipped, failed), ``outputs`` {format: bytes}, ``diagnostics`` and
    ``error`` as tuples, ``seconds``.  ``timeout`` is enforced where a timer can be
    (the main thread of a process)."""
    import threading

    start = time.perf_counter()
    status, outputs, diags, error = "converted", {}, [], None
    timer = bool(timeout) and hasattr(signal, "setitimer") \
        and threading.current_thread() is threading.main_thread()
    previous = None
    try:
        if timer:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        outputs, diags = produce(data, name, formats, read_options, write_options)
    except NotAResolution as e:
        if registry.reader_spec(name).module != "pipeline.readers.markdown":
            status, error = "failed", e
        else:
            status = "skipped"
            diags = [Diagnostic(f"{e.message}; skipped (if it is not a resolution, list it "
                                f"under `exclude` in unres.toml or [tool.unres], or pass "
                                f"--exclude)", Span(name, 1, 1), code="not-a-resolution")]
    except _Timeout:
        status, error = "failed", PipelineError(
            f"took longer than {timeout:g} s; stopped (raise the limit with --timeout)",
            Span(name, 1, 1))
    except PipelineError as e:
        status, error = "failed", e
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)
    if error is not None and not error.span.file:
        error.span = Span(name, error.span.line, error.span.col)
    return {"status": status, "outputs": outputs if status == "converted" else {},
            "diagnostics": [(d.message, d.span.file, d.span.line, d.span.col, d.level, d.code)
                            for d in diags],
            "error": None if error is None else
            (type(error).__name__, error.message, error.span.file, error.span.line,
             error.span.col),
            "seconds": time.perf_counter() - start}


def failure_result(error: PipelineError) -> dict:
    """The result of a source that could not even be read."""
    return {"status": "failed", "outputs": {}, "diagnostics": [],
            "error": (type(error).__name__, error.message, error.span.file, error.span.line,
                      error.span.col), "seconds": 0.0}


