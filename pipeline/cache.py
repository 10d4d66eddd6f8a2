"""The build record: which outputs are up to date with their input, and what unres wrote.

Each output has its own key: the input's bytes, the pipeline itself (its
version and the content of its code, language data and styles), the read
options, the write options its writer reads and the versions of the libraries
its reader and writer use (:func:`pipeline.registry.output_key_parts`).  An
output is up to date when its recorded key is the key it would have now and
its file is still the one written (same size and modification time): changing
the emblem rebuilds the HTML and the PDF and leaves the AKN alone, and an
output changed by hand or by a run killed before it could record is rebuilt.

Sources are recorded by absolute path, so two files of the same name in two
folders are never confused.  The record lives in ``<outdir>/.unres-cache.json``.
Saving takes a lock and merges with what is on disk, so two runs into one
output directory keep each other's entries; it is written atomically.  A
missing, unreadable or malformed record (or entry) only means that what it
would have said is rebuilt; a record that cannot be saved (a full disk) is
reported, and the next run converts again.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .resources import STYLES

CACHE_NAME = ".unres-cache.json"
CACHE_VERSION = 4
_PACKAGE = Path(__file__).resolve().parent


#: folders (under the package and under the styles) that shape no format's output: the
#: publishing site's code and theme, which key the site's own pages (pipeline.site)
SITE_PARTS = ("site",)        # and styles/site of an installed package


@lru_cache(maxsize=1)
def pipeline_digest() -> str:
    """A digest of what makes outputs: the version, the code, the language data, the styles
    (the site's code and theme apart: editing them rebuilds site pages, not PDFs)."""
    h = hashlib.sha256(__version__.encode())
    for root in (_PACKAGE, STYLES):
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root)
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" \
                    and rel.parts[0] not in SITE_PARTS and rel.parts[:2] != ("styles", "site"):
                h.update(str(rel).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def input_digest(data: bytes) -> str:
    """The digest of an input's bytes (computed once per input and run)."""
    return hashlib.sha256(data).hexdigest()


def output_key(input_hash: str, parts: dict) -> str:
    """The key of one output: the input's digest, what else shapes it, the pipeline."""
    h = hashlib.sha256(input_hash.encode())
    h.update(json.dumps(parts, sort_keys=True).encode())
    h.update(pipeline_digest().encode())
    return h.hexdigest()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class BuildCache:
    """The record of one output directory: per source, per format, key, file and stamp."""

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.path = outdir / CACHE_NAME
        self.entries, self.inputs = _read(self.path)
        self._changed: dict[str, dict[str, dict] | None] = {}
        self._changed_inputs: dict[str, dict | None] = {}
        self.error: str | None = None

    def known_digest(self, source: str, st: os.stat_result) -> str | None:
        """The digest recorded for ``source`` when the file is the one it was taken of
        (same size, modification and change times, inode): no need to read it again."""
        e = self.inputs.get(source)
        if e and (e["size"], e["mtime_ns"], e["ctime_ns"], e["ino"]) == \
                (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino):
            return e["digest"]
        return None

    def note_input(self, source: str, st: os.stat_result, digest: str) -> None:
        """Remember the digest of ``source`` as it is now."""
        e = {"digest": digest, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
             "ctime_ns": st.st_ctime_ns, "ino": st.st_ino}
        if self.inputs.get(source) != e:
            self.inputs[source] = e
            self._changed_inputs[source] = e

    def fresh(self, source: str, fmt: str, key: str) -> Path | None:
        """The output file when it is recorded under ``key`` and is still the file written."""
        e = self.entries.get(source, {}).get(fmt)
        if not e or e["key"] != key:
            return None
        path = self.outdir / e["file"]
        return path if _stamp(path) == (e["size"], e["mtime_ns"]) else None

    def record(self, source: str, outputs: dict[str, tuple[str, Path]]) -> None:
        """Record ``{fmt: (key, file written)}`` for a source (its other formats kept)."""
        entry = dict(self.entries.get(source, {}))
        for fmt, (key, file) in outputs.items():
            stamp = _stamp(file)
            if stamp is None:
                entry.pop(fmt, None)
                continue
            entry[fmt] = {"key": key, "file": str(file.relative_to(self.outdir)),
                          "size": stamp[0], "mtime_ns": stamp[1]}
        self._set(source, entry)

    def forget(self, source: str, formats: list[str] | None = None) -> None:
        """Drop a source's record (only ``formats`` when given)."""
        entry = dict(self.entries.get(source, {}))
        if not entry:
            return
        for fmt in (list(entry) if formats is None else formats):
            entry.pop(fmt, None)
        self._set(source, entry)

    def _set(self, source: str, entry: dict) -> None:
        if entry:
            self.entries[source] = entry
        else:
            self.entries.pop(source, None)
            if self.inputs.pop(source, None) is not None:
                self._changed_inputs[source] = None
        self._changed[source] = entry or None

    def written_unchanged(self, source: str) -> list[Path]:
        """The files recorded for ``source`` that are still exactly as unres wrote them."""
        out = []
        for e in self.entries.get(source, {}).values():
            path = self.outdir / e["file"]
            if _stamp(path) == (e["size"], e["mtime_ns"]):
                out.append(path)
        return out

    def sources_under(self, folder: Path) -> list[str]:
        root = os.path.abspath(folder).rstrip(os.sep) + os.sep
        return [s for s in self.entries if s.startswith(root)]

    def save(self) -> bool:
        """Merge this run's changes into the record on disk; False (and ``error``) when
        it could not be written."""
        if not self._changed and not self._changed_inputs:
            return True
        try:
            import fcntl

            lock = os.open(self.outdir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)     # the directory itself is the lock
                entries, inputs = _read(self.path)
                for mine, theirs in ((self._changed, entries), (self._changed_inputs, inputs)):
                    for source, entry in mine.items():
                        if entry is None:
                            theirs.pop(source, None)
                        else:
                            theirs[source] = entry
                data = {"version": CACHE_VERSION, "entries": dict(sorted(entries.items())),
                        "inputs": dict(sorted(inputs.items()))}
                write_atomic(self.path, (json.dumps(data, indent=0, sort_keys=True)
                                         + "\n").encode())
            finally:
                os.close(lock)
            self._changed, self._changed_inputs = {}, {}
            return True
        except OSError as e:
            self.error = f"the build record {self.path} could not be saved ({e.strerror}); " \
                         f"the next run converts these files again"
            return False


def _read(path: Path) -> tuple[dict[str, dict[str, dict]], dict[str, dict]]:
    """(outputs by source, input digests by source) of the record; what is malformed
    is left out."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}, {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION \
            or not isinstance(data.get("entries"), dict):
        return {}, {}
    entries = {s: v for s, e in data["entries"].items() if isinstance(s, str) and (v := _valid(e))}
    raw = data.get("inputs") if isinstance(data.get("inputs"), dict) else {}
    inputs = {s: e for s, e in raw.items() if isinstance(s, str) and isinstance(e, dict)
              and isinstance(e.get("digest"), str)
              and all(isinstance(e.get(k), int) for k in ("size", "mtime_ns", "ctime_ns", "ino"))}
    return entries, inputs


def _valid(entry: object) -> dict[str, dict]:
    """The well-formed part of one source's record; anything else is forgotten."""
    if not isinstance(entry, dict):
        return {}
    out = {}
    for fmt, e in entry.items():
        if not (isinstance(fmt, str) and isinstance(e, dict)):
            continue
        key, file, size, mtime = e.get("key"), e.get("file"), e.get("size"), e.get("mtime_ns")
        if isinstance(key, str) and isinstance(file, str) and file \
                and not os.path.isabs(file) and ".." not in Path(file).parts \
                and isinstance(size, int) and isinstance(mtime, int):
            out[fmt] = {"key": key, "file": file, "size": size, "mtime_ns": mtime}
    return out
