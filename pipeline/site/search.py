"""The search index: Pagefind over the resolution pages, replaced whole.

Pagefind (PyPI ``pagefind``, with the extended binary of ``pagefind-bin-extended``,
which segments Chinese into words) reads the site's resolution pages and writes
one index per language.  It writes into a new folder beside the old index, which
then takes the old one's place in one step (an atomic exchange of the two folders
where the system has one), so a reader never meets half an index.  Only the pages
in a language's folder (``.../en/index.html``) are read: the indexes, the
side-by-side pages and the search page itself are not searched.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import subprocess
from pathlib import Path

from ..ast import Span
from ..atomic import OutputGate
from ..errors import WriteError
from . import paths

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def executable() -> str:
    """The Pagefind binary (the extended one when installed)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        try:
            from pagefind_bin import get_executable
        except ImportError:
            raise WriteError("Pagefind is not installed (pip install 'pagefind[extended]')",
                             Span()) from None
    return str(get_executable())


def index(site: Path, gate: OutputGate) -> None:
    """Index ``site``'s resolution pages into ``site/pagefind`` (see the module docstring)."""
    target = site / paths.PAGEFIND
    gate.check(target / "pagefind.js", str(site))
    fresh = site / f".{paths.PAGEFIND}.new"
    if fresh.exists():
        shutil.rmtree(fresh)
    glob = "**/{" + ",".join(paths.LANGS) + "}/index.html"
    cmd = [executable(), "--site", str(site), "--output-path", str(fresh), "--glob", glob,
           "--silent"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=3600,
                           env={**os.environ, "PAGEFIND_SITE": str(site)})
    except (OSError, subprocess.TimeoutExpired) as e:
        raise WriteError(f"Pagefind did not run: {e}", Span(str(site), 1, 1)) from None
    if r.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        why = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["no index written"]
        raise WriteError(f"Pagefind failed: {why[0]}", Span(str(site), 1, 1))
    for p in fresh.rglob("*"):          # the usual permissions, as every other output
        if p.is_file():
            os.chmod(p, 0o644)
    _swap(fresh, target)


def _swap(fresh: Path, target: Path) -> None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        os.rename(fresh, target)
        return
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        shutil.rmtree(fresh, ignore_errors=True)
        raise WriteError(f"{target} is not a folder; the search index is not written there",
                         Span(str(target), 1, 1))
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(_AT_FDCWD, os.fsencode(fresh), _AT_FDCWD,
                                           os.fsencode(target), _RENAME_EXCHANGE) == 0:
        shutil.rmtree(fresh)             # now the old index
        return
    old = target.with_name(f".{paths.PAGEFIND}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(fresh, target)
    shutil.rmtree(old)
