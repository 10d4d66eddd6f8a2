"""Writing files so that each is whole or absent, whatever happens to the process;
and the output gate: where a run may write.

:func:`write_atomic` writes into an anonymous file in the target's directory
(Linux ``O_TMPFILE``: it has no name, so a process killed with SIGKILL while
writing leaves nothing behind), gives it a short temporary name with ``linkat``
and renames that over the target.  Where that is not possible it falls back to a
named temporary file (``.<random>.unres-tmp``), removed on any failure Python
sees; :func:`sweep` removes what a killed run may have left.  New files get the
usual permissions (0666 less the umask); ``mode`` keeps another file's.

:func:`write_set` writes several files as one: each is staged under a
temporary name first, and only when every one is staged are they renamed into
place, so a failure (a full disk, a directory where a file should be) leaves the
previous outputs as they were.

:class:`OutputGate` is the one place that decides whether a path may be
written: only inside the output directory, never through a symbolic link to a
folder (which would lead elsewhere), never onto a directory, and never onto one
of the run's inputs (by path or by inode).  Problems are
:class:`~pipeline.errors.WriteError`\\ s with the operating system's reason.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import stat
from pathlib import Path
from typing import Iterable

from .ast import Span
from .errors import WriteError

TMP_SUFFIX = ".unres-tmp"
_AT_FDCWD = -100
_AT_EMPTY_PATH = 0x1000


def _tmp_name(target: Path) -> Path:
    # short whatever the target's name: a 250-character name must still be writable
    return target.with_name(f".{secrets.token_hex(6)}{TMP_SUFFIX}")


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def _link_anonymous(fd: int, name: Path) -> bool:
    """Give the anonymous file ``fd`` the name ``name``; False when the system will not."""
    if _LIBC is not None and hasattr(_LIBC, "linkat"):
        if _LIBC.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0:
            return True
    try:
        os.link(f"/proc/self/fd/{fd}", name)
        return True
    except OSError:
        return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _stage(target: Path, data: bytes, mode: int | None = None) -> Path:
    """``data`` under a temporary name beside ``target``; that name."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag:
        try:
            fd = os.open(target.parent, flag | os.O_WRONLY, 0o666)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                if mode is not None:
                    os.fchmod(fd, mode)
                _write_all(fd, data)
                tmp = _tmp_name(target)
                if _link_anonymous(fd, tmp):
                    return tmp
            finally:
                os.close(fd)
    tmp = _tmp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def write_atomic(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``target``: readers see the old file or the new one, never a part.
    ``mode`` sets the file's permissions (else 0666 less the umask)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _stage(target, data, mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_set(files: dict[Path, bytes], gate: "OutputGate", source: str) -> None:
    """Write every file or none of them (see the module docstring); a WriteError names
    the file that could not be written and why, located at ``source``."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            gate.check(target, source)
            try:
                staged.append((_stage(target, data), target))
            except OSError as e:
                raise WriteError(f"cannot write {target}: {e.strerror}", Span(source, 1, 1)) \
                    from None
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as e:
                raise WriteError(f"cannot write {target}: {e.strerror}", Span(source, 1, 1)) \
                    from None
        staged = []
    finally:
        for tmp, _ in staged:
            try:
                tmp.unlink()
            except OSError:
                pass


def sweep(directory: Path) -> int:
    """Remove temporary files a killed run left in ``directory`` (recursively); their count."""
    if not directory.is_dir():
        return 0
    n = 0
    for p in directory.rglob(f".*{TMP_SUFFIX}"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


class OutputGate:
    """Where a run may write (see the module docstring).

    ``inputs`` are the run's sources: no output may replace one of them."""

    def __init__(self, outdir: Path, inputs: Iterable[Path] = ()):
        self.outdir = Path(outdir)
        self.real = os.path.realpath(self.outdir)
        self.inputs: set[tuple[int, int]] = set()
        self.input_paths: set[str] = set()
        for p in inputs:
            try:
                st = os.stat(p)
                self.inputs.add((st.st_dev, st.st_ino))
                self.input_paths.add(os.path.realpath(p))
            except OSError:
                pass

    def open(self) -> None:
        """Create the output directory (a WriteError when it cannot be)."""
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise WriteError("the output directory is a file", Span(str(self.outdir), 1, 1)) \
                from None
        except OSError as e:
            raise WriteError(f"cannot create the output directory: {e.strerror}",
                             Span(str(self.outdir), 1, 1)) from None
        self.real = os.path.realpath(self.outdir)

    def check(self, target: Path, source: str) -> None:
        """Make ``target``'s folders and check that ``target`` may be written."""
        where = Span(source, 1, 1)
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(self.outdir))
        parts = Path(rel).parts
        if not parts or parts[0] == ".." or os.path.isabs(rel):
            raise WriteError(f"{target} is outside the output directory; not written", where)
        here = self.outdir
        for part in parts[:-1]:
            here = here / part
            try:
                st = os.lstat(here)
            except FileNotFoundError:
                try:
                    os.mkdir(here)
                except OSError as e:
                    raise WriteError(f"cannot create {here}: {e.strerror}", where) from None
                continue
            except OSError as e:
                raise WriteError(f"cannot reach {here}: {e.strerror}", where) from None
            if stat.S_ISLNK(st.st_mode):
                raise WriteError(f"{here} is a symbolic link: outputs are never written "
                                 f"outside the output directory", where)
            if not stat.S_ISDIR(st.st_mode):
                raise WriteError(f"{here} is a file where a folder of outputs should be", where)
        try:
            st = os.lstat(target)
        except FileNotFoundError:
            return
        except OSError as e:
            raise WriteError(f"cannot reach {target}: {e.strerror}", where) from None
        if stat.S_ISDIR(st.st_mode):
            raise WriteError(f"{target} is a directory; not overwritten", where)
        if stat.S_ISREG(st.st_mode) and ((st.st_dev, st.st_ino) in self.inputs
                                         or os.path.realpath(target) in self.input_paths):
            raise WriteError(f"{target} is one of this run's inputs; an output never replaces "
                             f"an input (write the outputs into another directory)", where)
