"""Inputs: finding them, reading them into the tree.

Lean on purpose (no worker pools, no writers): ``unres lint`` and ``unres fmt``
read files through here and must start fast. Guarantees: a file that cannot be
read gives a positioned :class:`~pipeline.errors.PipelineError`; a defect of the
pipeline met on one file gives an :class:`~pipeline.errors.InternalError` for
that file, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import registry
from .ast import Span
from .errors import InternalError, PipelineError, ReadError, UsageError
from .options import DEFAULT_READ, ReadOptions
from .readers import Parsed

#: a defect of the pipeline met on one input is reported for that input as an
#: InternalError (one line, no traceback) and the batch goes on
INTERNAL = (Exception,)

#: the largest input read (bytes); larger files are refused, not read
MAX_INPUT = 64 * 1024 * 1024

__all__ = ["Source", "discover", "load", "read_input", "MAX_INPUT", "INTERNAL"]


@dataclass(frozen=True)
class Source:
    """An input and where its outputs go, relative to the output directory."""

    path: Path
    rel: Path          # directory of the outputs under outdir ("." for files named directly)

    def target(self, outdir: Path, fmt: str) -> Path:
        return outdir / self.rel / registry.output_name(self.path, fmt)


def discover(paths: Iterable[str | Path], *, skip: Path | None = None) -> list[Source]:
    """Files named, and the readable files under directories named (hidden ones skipped).

    A file found under a directory keeps its place relative to that directory, so
    that two files of the same name in different folders do not collide. Files under
    ``skip`` (the output directory, when it lies inside an input directory) are not
    taken as inputs: last run's outputs are not this run's sources.
    """
    found: list[Source] = []
    skip = skip.resolve() if skip is not None else None
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if skip is not None and f.resolve().is_relative_to(skip):
                    continue
                if f.is_file() and not any(part.startswith(".") for part in rel.parts) \
                        and registry.readable(f):
                    found.append(Source(f, rel.parent))
        else:
            found.append(Source(p, Path(".")))
    return found


def load(path: str | Path, options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read a file into the tree with the reader its extension calls for."""
    path = Path(path)
    read = registry.reader_for(path)
    data = read_input(path)
    try:
        return read(data, str(path), options)
    except PipelineError as e:
        if not e.span.file:
            e.span = Span(str(path), e.span.line or 1, e.span.col or 1)
        raise
    except INTERNAL as e:
        raise InternalError(f"internal error ({type(e).__name__}: {e}); please report this file",
                            Span(str(path), 1, 1)) from e


def read_input(path: Path) -> bytes:
    """The bytes of an input file, or a positioned error."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT:
            raise ReadError(f"file is too large ({size} bytes; limit {MAX_INPUT})",
                            Span(str(path), 1, 1))
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", Span(str(path), 1, 1)) from None
    except IsADirectoryError:
        raise UsageError("is a directory", Span(str(path), 1, 1)) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror}", Span(str(path), 1, 1)) from None


