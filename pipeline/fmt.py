"""``unres fmt``: a source rewritten in the canonical form of the source format.

Guarantees of :func:`format_source`:
- only markdown sources are formatted (a ``.txt`` of PDF text or an AKN file is
  refused: rewriting it as markdown would change what it is);
- the result reads back to the same resolution as the original (tree
  equality: structure, text, lead phrases, footnotes, metadata); when it would
  not, nothing is rewritten and the difference is reported as an error;
- nothing the tree cannot hold is lost silently: HTML comments on lines of their
  own (an editor's notes, ``unres: ignore`` lint suppressions) are kept before
  the same paragraph; a comment inside a paragraph or an image is refused, named
  by its line;
- formatting the result again changes nothing (the writer is idempotent);
- nothing but the markdown reader and writer is imported (no PDF or Word machinery).

:func:`write_back` replaces a source's bytes keeping what the file is: its
permissions, the real file behind a symbolic link, and its hard links.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from .ast import Span
from .errors import Diagnostic, StructureError, UsageError
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
    from . import registry
    from .sources import parse_bytes, read_input
    from .writers.markdown import write

    where = Span(str(path), 1, 1)
    if registry.reader_spec(path).module != "pipeline.readers.markdown":
        raise UsageError("fmt rewrites markdown sources only; this file is not one", where)
    data = read_input(path)
    parsed = parse_bytes(data, str(path), options)     # the input gate: limits, located errors
    for d in parsed.diagnostics:
        if d.message.startswith(("image dropped", "figure dropped")):
            raise StructureError("the source holds an image, which the canonical form cannot "
                                 "keep; file left as it is", d.span if d.span.line else where)
    written = write(parsed.resolution)
    out = _keep_comments(data, written.data, str(path))
    again = parse_bytes(out, str(path), options).resolution
    if again != parsed.resolution:
        where = _first_difference(parsed.resolution, again)
        raise StructureError(f"the canonical form would change the resolution ({where}); "
                             f"file left as it is", Span(str(path), 1, 1))
    return Formatted(path, data, out, tuple(parsed.diagnostics) + written.diagnostics)


_COMMENT_LINE = re.compile(r"^[ \t]*<!--.*?-->[ \t]*$")
_MARKUP = re.compile(r"[*_#>`\\]|^\s*\[\^[^\]]*\]:\s*|<sup>|</sup>")
_OPENING = re.compile(r"^[\W\d_]+")


def _anchor(line: str) -> str:
    """A line's words without markdown markup or what opens it before its first letter
    (a list number, a bullet), to find its paragraph again."""
    return " ".join(_OPENING.sub("", _MARKUP.sub("", line)).split())[:40]


def _keep_comments(source: bytes, formatted: bytes, path: str) -> bytes:
    """``formatted`` with the source's own-line HTML comments put back before the
    paragraph each stood before (see module docstring)."""
    text = source.decode("utf-8", "replace")
    if "<!--" not in text:
        return formatted
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    comments: list[tuple[list[str], str, int]] = []     # (comment lines, anchor, line number)
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<!--" in line:
            start = i
            block = [line]
            while "-->" not in block[-1] and i + 1 < len(lines):
                i += 1
                block.append(lines[i])
            joined = "\n".join(block)
            if not _COMMENT_LINE.match(joined.replace("\n", " ")):
                raise StructureError("an HTML comment inside a paragraph cannot be kept by the "
                                     "canonical form; put it on lines of its own (file left as "
                                     "it is)", Span(path, start + 1, line.find("<!--") + 1))
            k = i + 1
            while k < len(lines) and not lines[k].strip():
                k += 1
            anchor = _anchor(lines[k]) if k < len(lines) else ""
            comments.append((block, anchor, start + 1))
        i += 1
    out = formatted.decode("utf-8").split("\n")
    inserts: dict[int, list[str]] = {}
    used = 0
    for block, anchor, lineno in comments:
        if not anchor:
            at = len(out)
        else:
            at = next((j for j in range(used, len(out)) if _anchor(out[j]).startswith(anchor)
                       or (anchor.startswith(_anchor(out[j])) and _anchor(out[j]))), None)
            if at is None:
                raise StructureError("the paragraph after this HTML comment is not found in the "
                                     "canonical form, so the comment cannot be kept (file left "
                                     "as it is)", Span(path, lineno, 1))
        inserts.setdefault(at, []).extend(block + [""])
        used = at
    result: list[str] = []
    for j, line in enumerate(out + [None]):  # type: ignore[list-item]
        if j in inserts:
            if result and result[-1].strip():
                result.append("")
            result.extend(inserts[j])
        if line is not None:
            result.append(line)
    while len(result) > 1 and result[-1] == "" and result[-2] == "":
        result.pop()
    return "\n".join(result).encode("utf-8")


def write_back(path: Path, data: bytes) -> None:
    """Replace the bytes of the source ``path`` with ``data``, keeping the file what it is:
    through a symbolic link the real file is written; its permissions are kept; a file
    with other hard links is rewritten in place so that every link sees the new text.
    An OSError (a read-only file, a full disk) is raised for the caller to report."""
    from .atomic import write_atomic

    real = Path(os.path.realpath(path))
    st = os.stat(real)
    if st.st_nlink > 1:
        with open(real, "r+b") as f:
            f.write(data)
            f.truncate()
            f.flush()
            os.fsync(f.fileno())
        return
    if not os.access(real, os.W_OK):
        raise PermissionError(13, "Permission denied")
    write_atomic(real, data, mode=stat.S_IMODE(st.st_mode))
