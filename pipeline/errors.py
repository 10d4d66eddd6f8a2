"""Errors and warnings of the pipeline.

Every error is a :class:`PipelineError` with a position (``file:line:col``)
and an exit code of its own; the CLI prints ``FILE:LINE:COL: error: message``
and never a traceback.  Warnings are data (:class:`Diagnostic`), returned
alongside results, never printed from inside a pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ast import Span


def shown(text: str, limit: int = 300) -> str:
    """``text`` as it may be printed on one line of a terminal or a log: control
    characters (newlines, escape sequences, bidi overrides) escaped, and cut to
    ``limit`` characters.  File names and values from the input pass through here,
    so that no name can split a diagnostic or drive the terminal."""
    if any(not c.isprintable() for c in text):
        text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                       for c in text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def location(span: Span) -> str:
    """``FILE:LINE:COL`` of a span, the file name shown safely (``<input>`` when unknown)."""
    return f"{shown(span.file or '<input>', 1000)}:{span.line or 1}:{span.col or 1}"


class PipelineError(Exception):
    """Base of every error the pipeline reports about an input."""

    exit_code = 1
    kind = "error"

    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.message = message
        self.span = span or Span()

    def __str__(self) -> str:
        return f"{location(self.span)}: error: {shown(self.message, 2000)}"


class ReadError(PipelineError):
    """The file cannot be read as its format: empty, binary, malformed, hostile."""

    exit_code = 65


class StructureError(PipelineError):
    """The file reads, but is not a resolution the pipeline can recognise."""

    exit_code = 66


class NotAResolution(StructureError):
    """The text reads, and holds nothing of a resolution (no title line, formula or
    paragraphs): a README or notes among the sources rather than a damaged resolution."""

    MESSAGE = ("no resolution found: no title line, enacting formula, preambular or "
               "operative paragraphs")


class LanguageError(PipelineError):
    """The document's language is not one of the six UN languages."""

    exit_code = 67


class WriteError(PipelineError):
    """An output could not be produced."""

    exit_code = 73


class UsageError(PipelineError):
    """The command was called wrongly (unknown format, missing file)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A warning (or note) with its position, returned by a pass or reader."""

    message: str
    span: Span = Span()
    level: str = "warning"
    code: str = ""

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{location(self.span)}: {self.level}: {shown(self.message, 2000)}{code}"


class InternalError(PipelineError):
    """A defect in the pipeline met on this input; reported, never a traceback."""

    exit_code = 70
