"""The Python API: what the ``unres`` command does, for publishing scripts.

>>> from pipeline.api import read, write
>>> parsed = read("inputs/A_RES_71_19.zh.md")
>>> parsed.resolution.meta.symbol
'A/RES/71/19'
>>> pdf = write(parsed.resolution, "pdf")          # a Written: .data (bytes), .diagnostics

``read`` takes a path or bytes (then say which ``format`` they are, by a file
extension such as ``"md"`` or ``".xml"``); ``write`` takes the tree and a format
name (``akn``, ``html``, ``pdf``, ``docx``, ``md``, ``json``).  Both raise a
:class:`~pipeline.errors.PipelineError` (with ``file:line:col``) for input they
cannot handle, and return the warnings met as :class:`~pipeline.errors.Diagnostic`
values.  Nothing is printed, nothing is written to disk, the environment is not
read: the emblem and the source date are arguments.
"""

from __future__ import annotations

from pathlib import Path

from .ast import Resolution
from .errors import UsageError
from .options import Emblem, ReadOptions, WriteOptions, read_emblem
from .readers import Parsed
from .writers import Written

__all__ = ["read", "write", "input_formats", "output_formats", "Parsed", "Written",
           "ReadOptions", "WriteOptions", "Emblem", "read_emblem"]


def read(source: str | Path | bytes, *, format: str | None = None, lang: str | None = None,
         name: str = "<input>", options: ReadOptions | None = None) -> Parsed:
    """A source (a path, or bytes with ``format``) read into the canonical tree.

    ``lang`` names the language when the source does not (ar, zh, en, fr, ru, es);
    ``name`` is the file name shown in diagnostics when reading bytes; ``options``
    (read options: the language and the limits of :mod:`pipeline.limits`) replace
    ``lang`` when given."""
    from dataclasses import replace

    from . import registry
    from .sources import load, parse_bytes

    options = replace(options, lang=lang or options.lang) if options is not None \
        else ReadOptions(lang=lang)
    if isinstance(source, (bytes, bytearray)):
        if not format:
            raise UsageError("reading bytes needs format= (md, txt, pdf, docx, xml, json)")
        ext = format if format.startswith(".") else "." + format
        read_fn = registry.reader_for("x" + ext)
        return parse_bytes(bytes(source), name, options, read=read_fn)
    return load(Path(source), options)


def write(resolution: Resolution, format: str, *, emblem: Emblem | None = None,
          source_date: int | None = None) -> Written:
    """The tree written in ``format``: its bytes and the writer's warnings."""
    from . import registry

    write_fn, _ = registry.writer_for(format)
    return write_fn(resolution, WriteOptions(emblem=emblem, source_date=source_date))


def input_formats() -> list[str]:
    """The file extensions unres reads."""
    from . import registry

    return registry.input_extensions()


def output_formats() -> list[str]:
    """The formats unres writes."""
    from . import registry

    return registry.output_formats()
