"""Which reader reads a file and which writer writes a format.

Like pandoc's ``Readers.hs``/``Writers.hs``: one table per side.  Every reader
is ``read(data: bytes, path: str, options: ReadOptions) -> Parsed`` and every
writer ``write(resolution, options: WriteOptions) -> Written``
(:mod:`pipeline.options`).  Each entry also says what shapes its output besides
the input: the libraries whose version changes the bytes, and, for writers, the
write options it reads.  The build record keys every output on exactly those
(:func:`output_key_parts`), so that a new WeasyPrint or another emblem rebuilds
the PDFs and nothing else.

Modules are imported lazily, when first used, so that a command that needs
only one reader does not pay for the others (WeasyPrint, pandoc, pdfium).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .errors import UsageError


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A source kind: the module that reads it and the libraries that shape what it reads."""

    module: str
    libraries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WriterSpec:
    """An output format: its module, file extension, the write options it reads and the
    libraries that shape its bytes."""

    module: str
    extension: str
    options: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()


_MARKDOWN = ReaderSpec("pipeline.readers.markdown", ("pypandoc-binary",))
_AKN = ReaderSpec("pipeline.readers.akn", ("lxml",))

#: reader by file extension (lower case, with the dot)
READERS: dict[str, ReaderSpec] = {
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".xml": _AKN,
    ".akn": _AKN,
    ".json": ReaderSpec("pipeline.readers.tree"),
    ".txt": ReaderSpec("pipeline.readers.text"),
    ".pdf": ReaderSpec("pipeline.readers.pdf", ("pypdfium2",)),
    ".docx": ReaderSpec("pipeline.readers.docx", ("lxml",)),
}

#: writer by format name
WRITERS: dict[str, WriterSpec] = {
    "akn": WriterSpec("pipeline.writers.akn", ".akn.xml", (), ("lxml",)),
    "html": WriterSpec("pipeline.writers.html", ".html", ("emblem",), ("lxml",)),
    "pdf": WriterSpec("pipeline.writers.pdf", ".pdf", ("emblem", "source_date", "latin_face"),
                      ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2",
                       "python-barcode", "segno", "lxml")),
    "docx": WriterSpec("pipeline.writers.docx", ".docx", ("source_date",), ("lxml",)),
    "md": WriterSpec("pipeline.writers.markdown", ".md"),
    "json": WriterSpec("pipeline.writers.tree", ".json"),
}


def reader_for(path: str | Path) -> Callable:
    """The ``read(data, path, options)`` function for a file, by its extension."""
    return importlib.import_module(reader_spec(path).module).read


def reader_spec(path: str | Path) -> ReaderSpec:
    ext = Path(path).suffix.lower()
    spec = READERS.get(ext)
    if spec is None or not _available(spec.module):
        known = ", ".join(sorted(READERS))
        raise UsageError(f"no reader for {ext or 'files without extension'} (known: {known})")
    return spec


def readable(path: str | Path) -> bool:
    """Whether some reader takes this file (by extension)."""
    spec = READERS.get(Path(path).suffix.lower())
    return spec is not None and _available(spec.module)


def writer_for(fmt: str) -> tuple[Callable, str]:
    """The ``write(resolution, options)`` function of a format and the extension of its files."""
    spec = writer_spec(fmt)
    return importlib.import_module(spec.module).write, spec.extension


def writer_spec(fmt: str) -> WriterSpec:
    spec = WRITERS.get(fmt)
    if spec is None or not _available(spec.module):
        raise UsageError(f"unknown format {fmt!r} (known: {', '.join(output_formats())})")
    return spec


def output_formats() -> list[str]:
    """The formats a writer exists for, sorted."""
    return sorted(f for f, s in WRITERS.items() if _available(s.module))


def input_extensions() -> list[str]:
    """The file extensions a reader exists for, sorted."""
    return sorted(e for e, s in READERS.items() if _available(s.module))


@lru_cache(maxsize=None)
def _available(module: str) -> bool:
    """Whether a reader or writer module exists."""
    return importlib.util.find_spec(module) is not None


@lru_cache(maxsize=None)
def library_version(distribution: str) -> str:
    """The installed version of a distribution ("" when it is not installed)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def shaping_libraries() -> list[str]:
    """The distributions whose versions shape some output (every reader's and writer's),
    pandoc's package first."""
    names = {d for spec in (*READERS.values(), *WRITERS.values()) for d in spec.libraries}
    return sorted(names, key=lambda d: (d != "pypandoc-binary", d.lower()))


def output_key_parts(source: str | Path, fmt: str, read_options, write_options) -> dict:
    """What, besides the source's bytes and the pipeline's own code, shapes one output:
    the read options, the write options the format's writer reads, and the versions of the
    libraries its reader and writer use."""
    r, w = reader_spec(source), writer_spec(fmt)
    return {"read": read_options.key(), "write": write_options.key(w.options),
            "libraries": {d: library_version(d) for d in sorted(set(r.libraries + w.libraries))}}


def output_name(source: str | Path, fmt: str) -> str:
    """``A_RES_71_19.zh.md`` -> ``A_RES_71_19.zh.akn.xml``: the name minus its last extension."""
    return Path(source).stem + WRITERS[fmt].extension
