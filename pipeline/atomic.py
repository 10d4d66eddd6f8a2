"""Writing a file so that it is whole or absent, whatever happens to the process.

:func:`write_atomic` writes into an anonymous file in the target's directory
(Linux ``O_TMPFILE``: it has no name, so a process killed with SIGKILL while
writing leaves nothing behind), gives it a temporary name with ``linkat`` and
renames that over the target; the temporary name exists only between those two
system calls. Where that is not possible it falls back to a named temporary file
(``.<name>.<random>.unres-tmp``), removed on any failure Python sees;
:func:`sweep` removes what a killed run may have left. Files get the usual
permissions (0666 less the umask).
"""

from __future__ import annotations

import ctypes
import os
import secrets
import tempfile
from pathlib import Path

TMP_SUFFIX = ".unres-tmp"
_AT_FDCWD = -100
_AT_EMPTY_PATH = 0x1000


def _tmp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TMP_SUFFIX}")


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


def _write_anonymous(target: Path, data: bytes) -> bool:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return False
    try:
        fd = os.open(target.parent, flag | os.O_WRONLY, 0o666)
    except OSError:
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        tmp = _tmp_name(target)
        if not _link_anonymous(fd, tmp):
            return False
    finally:
        os.close(fd)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target``: readers see the old file or the new one, never a part."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if _write_anonymous(target, data):
        return
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TMP_SUFFIX, dir=target.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


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
