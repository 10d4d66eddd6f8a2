"""The build record: which outputs are up to date with their input.

Each output has its own key: the input's bytes, the pipeline itself (its
version and the content of its code, language data and styles), the read
options, the write options its writer reads and the versions of the libraries
its reader and writer use (:func:`pipeline.registry.output_key_parts`).  An
output is up to date when its recorded key is the key it would have now and
its file still exists; changing the emblem therefore rebuilds the HTML and the
PDF, and leaves the AKN and DOCX alone.

The record lives in ``<outdir>/.unres-cache.json``, written atomically; a
missing, unreadable or malformed record (or a malformed entry) only means
that what it would have said is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .resources import STYLES

CACHE_NAME = ".unres-cache.json"
CACHE_VERSION = 2
_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def pipeline_digest() -> str:
    """A digest of what makes outputs: the version, the code, the language data, the styles."""
    h = hashlib.sha256(__version__.encode())
    for root in (_PACKAGE, STYLES):
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                h.update(str(p.relative_to(root)).encode())
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


class BuildCache:
    """The record of one output directory: per source, per format, the key and file."""

    def __init__(self, outdir: Path):
        self.path = outdir / CACHE_NAME
        self.entries: dict[str, dict[str, dict[str, str]]] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if isinstance(data, dict) and data.get("version") == CACHE_VERSION \
                    and isinstance(data.get("entries"), dict):
                self.entries = {s: _valid(e) for s, e in data["entries"].items()
                                if isinstance(s, str)}
        except (OSError, ValueError, UnicodeDecodeError):
            self.entries = {}
        self.dirty = False

    def fresh(self, source: str, fmt: str, key: str, outdir: Path) -> Path | None:
        """The output file when it is recorded under ``key`` and still there, else None."""
        e = self.entries.get(source, {}).get(fmt)
        if not e or e["key"] != key:
            return None
        path = outdir / e["file"]
        return path if path.is_file() else None

    def record(self, source: str, outputs: dict[str, tuple[str, str]]) -> None:
        """Record ``{fmt: (key, file relative to outdir)}`` for a source (other formats kept)."""
        entry = self.entries.setdefault(source, {})
        for fmt, (key, file) in outputs.items():
            entry[fmt] = {"key": key, "file": file}
        self.dirty = True

    def forget(self, source: str, formats: list[str] | None = None) -> None:
        """Drop a source's record (only ``formats`` when given)."""
        entry = self.entries.get(source)
        if entry is None:
            return
        for fmt in (list(entry) if formats is None else formats):
            entry.pop(fmt, None)
        if not entry:
            del self.entries[source]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        data = {"version": CACHE_VERSION, "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.path, (json.dumps(data, indent=0, sort_keys=True) + "\n").encode())
        self.dirty = False


def _valid(entry: object) -> dict[str, dict[str, str]]:
    """The well-formed part of one source's record; anything else is forgotten."""
    if not isinstance(entry, dict):
        return {}
    return {fmt: {"key": e["key"], "file": e["file"]} for fmt, e in entry.items()
            if isinstance(fmt, str) and isinstance(e, dict) and isinstance(e.get("key"), str)
            and isinstance(e.get("file"), str) and e["file"] and not Path(e["file"]).is_absolute()
            and ".." not in Path(e["file"]).parts}
