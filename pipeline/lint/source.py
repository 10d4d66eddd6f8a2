"""Reading the files to lint, without the batch machinery.

:func:`load` is :func:`pipeline.build.load` minus its imports: the batch
module brings worker pools and temporary files, and ``unres lint`` must start
fast.  Same contract: the reader the extension calls for, a positioned
:class:`~pipeline.errors.PipelineError` for a file that cannot be read, an
:class:`~pipeline.errors.InternalError` (never a traceback) for a defect met
on the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .. import registry
from ..ast import Span
from ..errors import InternalError, PipelineError, ReadError, UsageError
from ..readers import Parsed

#: the largest input read (bytes), as in pipeline.build
MAX_INPUT = 64 * 1024 * 1024


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and files a reader takes under directories named, sorted per directory."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                hidden = any(part.startswith(".") for part in f.relative_to(p).parts)
                if f.is_file() and not hidden and registry.readable(f):
                    found.append(f)
        else:
            found.append(p)
    return found


def load(path: str | Path, *, lang: str | None = None) -> Parsed:
    """Read one file into the tree (see module doc)."""
    path = Path(path)
    span = Span(str(path), 1, 1)
    try:
        read = registry.reader_for(path)
    except UsageError as e:
        raise UsageError(e.message, span) from None
    try:
        size = path.stat().st_size
        if size > MAX_INPUT:
            raise ReadError(f"file is too large ({size} bytes; limit {MAX_INPUT})", span)
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", span) from None
    except IsADirectoryError:
        raise UsageError("is a directory", span) from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror}", span) from None
    kwargs = {"lang": lang} if lang else {}
    try:
        return read(data, str(path), **kwargs)
    except PipelineError as e:
        if not e.span.file:
            e.span = Span(str(path), e.span.line or 1, e.span.col or 1)
        raise
    except Exception as e:  # a defect of the pipeline on this input: reported, not raised
        raise InternalError(f"internal error ({type(e).__name__}: {e}); please report this file",
                            span) from e
