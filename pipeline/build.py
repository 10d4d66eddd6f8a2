"""Converting files: discovery, reading, writing every format atomically.

Guarantees:
- a file that fails (read or write) produces no output at all, not even a
  partial one: every format is rendered to bytes first, then each file is
  written to a temporary name beside its target and renamed into place;
- one failing file never stops the others;
- the same input gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import registry
from .ast import Span
from .errors import Diagnostic, InternalError, PipelineError, ReadError, UsageError
from .readers import Parsed

#: a defect of the pipeline met on one input is reported for that input as an
#: InternalError (one line, no traceback) and the batch goes on
INTERNAL = (Exception,)

#: the largest input read (bytes); larger files are refused, not read
MAX_INPUT = 64 * 1024 * 1024


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and files with a known extension under directories named, sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts) \
                        and registry.readable(f):
                    found.append(f)
        else:
            found.append(p)
    return found


def load(path: str | Path, *, lang: str | None = None) -> Parsed:
    """Read a file into the tree with the reader its extension calls for."""
    path = Path(path)
    read = registry.reader_for(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT:
            raise ReadError(f"file is too large ({size} bytes; limit {MAX_INPUT})", Span(str(path), 1, 1))
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", Span(str(path), 1, 1)) from None
    except IsADirectoryError:
        raise UsageError("is a directory", Span(str(path), 1, 1)) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror}", Span(str(path), 1, 1)) from None
    kwargs = {"lang": lang} if lang else {}
    try:
        return read(data, str(path), **kwargs)
    except PipelineError as e:
        if not e.span.file:
            e.span = Span(str(path), e.span.line or 1, e.span.col or 1)
        raise
    except INTERNAL as e:
        raise InternalError(f"internal error ({type(e).__name__}: {e}); please report this file",
                            Span(str(path), 1, 1)) from e


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@dataclass
class Outcome:
    """What happened to one input."""

    source: Path
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: PipelineError | None = None


def render(parsed: Parsed, formats: Iterable[str]) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every format's bytes for one tree, and the writers' warnings."""
    outputs: dict[str, bytes] = {}
    warnings: list[Diagnostic] = []
    for fmt in formats:
        write, _ = registry.writer_for(fmt)
        outputs[fmt] = write(parsed.resolution, warnings=warnings)
    return outputs, warnings


def convert_one(source: Path, formats: list[str], outdir: Path, *, lang: str | None = None) -> Outcome:
    """Read one file and write each format into ``outdir``; errors are caught into the outcome."""
    outcome = Outcome(source)
    try:
        parsed = load(source, lang=lang)
        outcome.diagnostics.extend(parsed.diagnostics)
        rendered, warnings = render(parsed, formats)
        outcome.diagnostics.extend(warnings)
        for fmt, data in rendered.items():
            target = outdir / registry.output_name(source, fmt)
            write_atomic(target, data)
            outcome.outputs.append(target)
    except PipelineError as e:
        if not e.span.file:
            e.span = Span(str(source), e.span.line, e.span.col)
        outcome.error = e
    except INTERNAL as e:
        outcome.error = InternalError(f"internal error ({type(e).__name__}: {e}); please report "
                                      f"this file", Span(str(source), 1, 1))
    return outcome


def convert(sources: Iterable[Path], formats: list[str], outdir: Path, *,
            lang: str | None = None) -> Iterable[Outcome]:
    """Convert each source in turn, yielding its outcome as soon as it is done."""
    for fmt in formats:
        registry.writer_for(fmt)  # an unknown format fails before any work
    for source in sources:
        yield convert_one(source, formats, outdir, lang=lang)
