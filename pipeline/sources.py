"""Inputs: finding them, reading them into the tree.  The input gate.

Lean on purpose (no worker pools, no writers): ``unres lint`` and ``unres fmt``
read files through here and must start fast.

Guarantees:
- what is read is what the user named: a file named on the command line, or a
  readable file found under a directory named; hidden files and folders, the
  output directory and excluded paths (:mod:`pipeline.config`) are not taken;
  a file named twice (or by two paths) is taken once;
- nothing outside the inputs is read: a symbolic link found under a directory
  that leads out of the directories named is refused with a located error
  (``follow_links`` reads it), and a link to a folder is not entered unless asked;
- only regular files are read (a FIFO, a device, ``/dev/zero`` are refused
  without blocking), and never more than ``MAX_INPUT`` bytes of one;
- a file that cannot be read gives a positioned
  :class:`~pipeline.errors.PipelineError`; a defect of the pipeline met on one
  file gives an :class:`~pipeline.errors.InternalError` for that file, never a
  traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import limits, registry
from .ast import Span
from .config import DEFAULT_EXCLUDE, Excluder
from .errors import InternalError, PipelineError, ReadError, UsageError
from .options import DEFAULT_READ, ReadOptions
from .readers import Parsed

#: a defect of the pipeline met on one input is reported for that input as an
#: InternalError (one line, no traceback) and the batch goes on
INTERNAL = (Exception,)

#: the largest input read (bytes); larger files are refused, not read (:mod:`pipeline.limits`)
MAX_INPUT = limits.MAX_INPUT_MB * 1024 * 1024

__all__ = ["Source", "discover", "load", "parse_bytes", "read_input", "MAX_INPUT", "INTERNAL"]


@dataclass(frozen=True)
class Source:
    """An input, where its outputs go (relative to the output directory), and, for an
    input the gate refused, why."""

    path: Path
    rel: Path          # directory of the outputs under outdir ("." for files named directly)
    refused: PipelineError | None = None

    def target(self, outdir: Path, fmt: str) -> Path:
        return outdir / self.rel / registry.output_name(self.path, fmt)

    @property
    def key(self) -> str:
        """The source's identity in a build record: its absolute path."""
        return os.path.abspath(self.path)


def discover(paths: Iterable[str | Path], *, skip: Path | None = None,
             exclude: tuple[str, ...] = (), base: Path | None = None, root: Path | None = None,
             follow_links: bool = False, default_exclude: bool = True) -> list[Source]:
    """The sources named by ``paths`` (see the module docstring).

    A file's outputs go under its place relative to ``base`` (the configured source
    root or the project root) when it lies there; else, for a file found under a
    directory named, under its place relative to that directory (so that files of the
    same name in two folders do not collide); else straight into the output directory.
    ``skip`` (the output directory, when it lies inside an input directory) is never
    read: last run's outputs are not this run's sources.
    """
    excluder = Excluder((DEFAULT_EXCLUDE if default_exclude else ()) + tuple(exclude), root)
    skip_real = os.path.realpath(skip) if skip is not None else None
    base_abs = os.path.abspath(base) if base is not None else None
    named = [Path(p) for p in paths]
    roots = [os.path.realpath(p) for p in named if p.is_dir()]
    found: list[Source] = []
    seen: set[str] = set()

    def place(f: Path, walked_from: Path | None) -> Path:
        a = os.path.abspath(f)
        if base_abs and _inside(a, base_abs):
            return Path(os.path.relpath(os.path.dirname(a), base_abs))
        if walked_from is not None:
            return f.parent.relative_to(walked_from)
        return Path(".")

    def take(f: Path, walked_from: Path | None) -> None:
        real = os.path.realpath(f)
        if real in seen:
            return
        seen.add(real)
        found.append(Source(f, place(f, walked_from)))

    for p in named:
        if p.is_dir():
            for f, refused in _walk(p, skip_real, excluder, roots, follow_links):
                if refused is not None:
                    found.append(Source(f, Path("."), refused))
                elif registry.readable(f):
                    take(f, p)
        elif excluder.excluded(p) is None:
            take(p, None)
    return found


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(top: Path, skip_real: str | None, excluder: Excluder, roots: list[str],
          follow_links: bool):
    """(file, None) for each candidate under ``top``, (path, error) for each refused link."""
    visited: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(top, followlinks=follow_links):
        here = Path(dirpath)
        real_here = os.path.realpath(dirpath)
        if real_here in visited:          # a link loop, when following links
            dirnames[:] = []
            continue
        visited.add(real_here)
        keep = []
        for d in sorted(dirnames):
            full = here / d
            if d.startswith(".") or excluder.excluded(full, is_dir=True) is not None:
                continue
            real = os.path.realpath(full)
            if skip_real is not None and _inside(real, skip_real):
                continue
            if full.is_symlink() and not follow_links:
                if not any(_inside(real, r) for r in roots):
                    yield full, _refused_link(full, "folder")
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            f = here / name
            if name.startswith(".") or excluder.excluded(f) is not None:
                continue
            if f.is_symlink():
                real = os.path.realpath(f)
                if skip_real is not None and _inside(real, skip_real):
                    continue
                if not follow_links and not any(_inside(real, r) for r in roots):
                    if registry.readable(f):
                        yield f, _refused_link(f, "file")
                    continue
            yield f, None


def _refused_link(path: Path, what: str) -> PipelineError:
    return ReadError(f"a symbolic link to a {what} outside the folders named; not read "
                     f"(--follow-links reads it)", Span(str(path), 1, 1))


def load(path: str | Path, options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read a file into the tree with the reader its extension calls for."""
    path = Path(path)
    registry.reader_spec(path)            # no reader: refused before the file is opened
    return parse_bytes(read_input(path), str(path), options)


def parse_bytes(data: bytes, path: str, options: ReadOptions = DEFAULT_READ, *,
                read=None) -> Parsed:
    """A source's bytes into the tree with the reader ``path``'s extension calls for,
    checked against the limits of shape (:func:`pipeline.limits.check_tree`); every
    failure a located PipelineError.  ``read``: the reader, when ``path``'s extension
    does not tell it (standard input)."""
    read = read or registry.reader_for(path)
    try:
        parsed = read(data, str(path), options)
        limits.check_tree(parsed.resolution, options, str(path))
        return parsed
    except PipelineError as e:
        if not e.span.file:
            e.span = Span(str(path), e.span.line or 1, e.span.col or 1)
        raise
    except RecursionError:
        raise ReadError("the input is nested too deeply to be read", Span(str(path), 1, 1)) \
            from None
    except MemoryError:
        raise ReadError("the input needs more memory than this machine gives it",
                        Span(str(path), 1, 1)) from None
    except INTERNAL as e:
        raise InternalError(f"internal error ({type(e).__name__}: {e}); please report this file",
                            Span(str(path), 1, 1)) from e


def read_input(path: Path, limit: int = MAX_INPUT) -> bytes:
    """The bytes of an input file, or a positioned error: only a regular file, opened
    without blocking (a FIFO never hangs the run), and never more than ``limit`` bytes."""
    where = Span(str(path), 1, 1)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UsageError("no such file", where) from None
    except IsADirectoryError:
        raise UsageError("is a directory", where) from None
    except OSError as e:
        if e.errno == errno.ENXIO:           # a FIFO with no writer, a socket
            raise ReadError("not a regular file; not read", where) from None
        raise ReadError(f"cannot read: {e.strerror}", where) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UsageError("is a directory", where)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a device, a FIFO or a socket); not read", where)
        if st.st_size > limit:
            raise ReadError(f"file is too large ({st.st_size} bytes; limit {limit})", where)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ReadError(f"file is too large (more than {limit} bytes)", where)
        return b"".join(chunks)
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror}", where) from None
    finally:
        os.close(fd)
