"""Which reader reads a file and which writer writes a format.

Modules are imported lazily, when first used, so that a command that needs
only one reader does not pay for the others (WeasyPrint, python-docx, pandoc).
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Callable

from .errors import UsageError

#: reader module by file extension (lower case, with the dot)
READERS: dict[str, str] = {
    ".md": "pipeline.readers.markdown",
    ".markdown": "pipeline.readers.markdown",
    ".xml": "pipeline.readers.akn",
    ".akn": "pipeline.readers.akn",
    ".json": "pipeline.readers.tree",
    ".txt": "pipeline.readers.text",
    ".pdf": "pipeline.readers.pdf",
    ".docx": "pipeline.readers.docx",
}

#: writer module and output extension by format name
WRITERS: dict[str, tuple[str, str]] = {
    "akn": ("pipeline.writers.akn", ".akn.xml"),
    "html": ("pipeline.writers.html", ".html"),
    "pdf": ("pipeline.writers.pdf", ".pdf"),
    "docx": ("pipeline.writers.docx", ".docx"),
    "md": ("pipeline.writers.markdown", ".md"),
    "json": ("pipeline.writers.tree", ".json"),
}


def reader_for(path: str | Path) -> Callable:
    """The ``read(data, path)`` function for a file, by its extension."""
    ext = Path(path).suffix.lower()
    name = READERS.get(ext)
    if name is None or not _available(name):
        known = ", ".join(sorted(READERS))
        raise UsageError(f"no reader for {ext or 'files without extension'} (known: {known})")
    return importlib.import_module(name).read


def readable(path: str | Path) -> bool:
    """Whether some reader takes this file (by extension)."""
    name = READERS.get(Path(path).suffix.lower())
    return name is not None and _available(name)


def writer_for(fmt: str) -> tuple[Callable, str]:
    """The ``write(res)`` function of a format and the extension of its files."""
    entry = WRITERS.get(fmt)
    if entry is None or not _available(entry[0]):
        known = ", ".join(sorted(f for f, (m, _) in WRITERS.items() if _available(m)))
        raise UsageError(f"unknown format {fmt!r} (known: {known})")
    module, ext = entry
    return importlib.import_module(module).write, ext


def _available(module: str) -> bool:
    """Whether a reader or writer module exists (formats arrive one by one)."""
    return importlib.util.find_spec(module) is not None


def output_name(source: str | Path, fmt: str) -> str:
    """``A_RES_71_19.zh.md`` -> ``A_RES_71_19.zh.akn.xml``: the name minus its last extension."""
    _, ext = WRITERS[fmt]
    return Path(source).stem + ext
