"""The build cache: which outputs are up to date with their input.

An output set is up to date when the input's bytes, the conversion options
(formats, language) and the pipeline itself (its version and the content of
its code, language data and styles) are those recorded when the outputs were
written, and every recorded output still exists.  The record lives in
``<outdir>/.unres-cache.json``, written atomically; a missing or unreadable
record only means everything is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from . import __version__
from .atomic import write_atomic

CACHE_NAME = ".unres-cache.json"
CACHE_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent
_STYLES = _PACKAGE.parent / "styles"


@lru_cache(maxsize=1)
def pipeline_digest() -> str:
    """A digest of what makes outputs: the version, the code, the language data, the styles."""
    h = hashlib.sha256(__version__.encode())
    for root in (_PACKAGE, _STYLES):
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def input_key(data: bytes, options: dict) -> str:
    """The key of one conversion: input bytes + options + pipeline digest."""
    h = hashlib.sha256(data)
    h.update(json.dumps(options, sort_keys=True).encode())
    h.update(pipeline_digest().encode())
    return h.hexdigest()


class BuildCache:
    """The record of one output directory."""

    def __init__(self, outdir: Path):
        self.path = outdir / CACHE_NAME
        self.entries: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("version") == CACHE_VERSION:
                self.entries = data.get("entries", {})
        except (OSError, ValueError, AttributeError):
            self.entries = {}
        self.dirty = False

    def up_to_date(self, source: str, key: str, outdir: Path) -> bool:
        e = self.entries.get(source)
        return bool(e) and e.get("key") == key and \
            all((outdir / name).is_file() for name in e.get("outputs", ()))

    def record(self, source: str, key: str, outputs: list[str]) -> None:
        self.entries[source] = {"key": key, "outputs": sorted(outputs)}
        self.dirty = True

    def forget(self, source: str) -> None:
        if self.entries.pop(source, None) is not None:
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        data = {"version": CACHE_VERSION, "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.path, (json.dumps(data, indent=0) + "\n").encode())
        self.dirty = False
