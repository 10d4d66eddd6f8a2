"""``unres fmt``: a source rewritten in the canonical form of the source format.

Guarantees of :func:`format_source`:
- the result reads back to the same resolution as the original (tree
  equality: structure, text, lead phrases, footnotes, metadata); when it would
  not, nothing is rewritten and the difference is reported as an error;
- formatting the result again changes nothing (the writer is idempotent);
- nothing but the markdown reader and writer is imported (no PDF or Word machinery).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from .ast import Span
from .errors import Diagnostic, StructureError
from .options import DEFAULT_READ, ReadOptions


@dataclass(frozen=True)
class Formatted:
    source: Path
    original: bytes
    formatted: bytes
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def changed(self) -> bool:
        return self.original != self.formatted

    def diff(self) -> str:
        a = self.original.decode("utf-8", "replace").splitlines(True)
        b = self.formatted.decode("utf-8", "replace").splitlines(True)
        return "".join(difflib.unified_diff(a, b, f"{self.source}", f"{self.source} (formatted)"))


def _first_difference(a, b, where: str = "resolution") -> str:
    """Where two trees first differ, as a readable path."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} became {type(b).__name__}"
    if isinstance(a, tuple):
        if len(a) != len(b):
            return f"{where}: {len(a)} entries became {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    if is_dataclass(a):
        for f in fields(a):
            if f.compare and getattr(a, f.name) != getattr(b, f.name):
                return _first_difference(getattr(a, f.name), getattr(b, f.name),
                                         f"{where}.{f.name}")
    return f"{where}: {a!r} became {b!r}"[:300]


def format_source(path: Path, options: ReadOptions = DEFAULT_READ) -> Formatted:
    """The canonical form of a markdown source (see module docstring)."""
    from .sources import read_input
    from .readers.markdown import read
    from .writers.markdown import write

    data = read_input(path)
    parsed = read(data, str(path), options)
    written = write(parsed.resolution)
    out = written.data
    again = read(out, str(path), options).resolution
    if again != parsed.resolution:
        where = _first_difference(parsed.resolution, again)
        raise StructureError(f"the canonical form would change the resolution ({where}); "
                             f"file left as it is", Span(str(path), 1, 1))
    return Formatted(path, data, out, tuple(parsed.diagnostics) + written.diagnostics)
