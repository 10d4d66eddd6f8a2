"""The options of the two stage boundaries: what every reader and every writer takes.

Readers take :class:`ReadOptions`, writers take :class:`WriteOptions`; both are
frozen values built once by the command (or by a caller of the Python API) and
handed down unchanged.  No reader or writer reads the environment, a file
named by an option, or the clock: the command does that here, once, through
:func:`write_options_from_environment`, and every problem with an option is a
:class:`~pipeline.errors.UsageError` before any document is touched.

Each option that changes the bytes of an output is part of the build record's
key (:mod:`pipeline.cache`) for the formats whose writer declares that it reads
it (``OPTIONS`` in the writer module), so changing the emblem rebuilds the HTML
and PDF and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from .ast import Span
from .errors import UsageError
from .errors import shown as _shown_text

#: the largest emblem image read (bytes) and the most pixels it may have
MAX_EMBLEM_BYTES = 2 * 1024 * 1024
MAX_EMBLEM_PIXELS = 16_000_000

#: SOURCE_DATE_EPOCH must fall between these (1970 .. 9999-12-31, what a PDF date can hold)
_EPOCH_MAX = 253402300799


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What a reader is told besides the bytes and the path.

    lang: the document's language (ar, zh, en, fr, ru, es) when the source does not
    say it; a source that names its own language (front matter, AKN markup) keeps it.
    pdf_max_stream_mb: the most megabytes one compressed stream of a PDF may inflate
    to (a compression bomb is refused before the PDF library inflates it).
    pdf_max_page_glyphs: the most characters one page of a PDF may hold.
    max_markdown_kb, max_table_cells, max_block_chars, max_depth: the other limits of
    :mod:`pipeline.limits` (which documents them all, with their names for ``--limit``).
    """

    lang: str | None = None
    pdf_max_stream_mb: int = 64
    pdf_max_page_glyphs: int = 60_000
    max_markdown_kb: int = 512
    max_table_cells: int = 10_000
    max_block_chars: int = 200_000
    max_depth: int = 50

    def key(self) -> dict:
        return {"lang": self.lang or "", "pdf_max_stream_mb": self.pdf_max_stream_mb,
                "pdf_max_page_glyphs": self.pdf_max_page_glyphs,
                "max_markdown_kb": self.max_markdown_kb, "max_table_cells": self.max_table_cells,
                "max_block_chars": self.max_block_chars, "max_depth": self.max_depth}


@dataclass(frozen=True, slots=True)
class Emblem:
    """An image for the masthead, read and checked once by the command."""

    data: bytes
    media_type: str          # image/png, image/jpeg, image/gif, image/svg+xml

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """What a writer is told besides the tree.

    emblem: the UN emblem for the masthead (HTML, PDF), or None for none.
    source_date: seconds since 1970 for the dates written inside PDF and DOCX
    (``SOURCE_DATE_EPOCH``); None means the document's own adoption date.
    """

    emblem: Emblem | None = None
    source_date: int | None = None
    #: the Latin face the PDF embeds in place of Liberation Serif ("Times New Roman"),
    #: where a publisher has its licence; a family installed on the machine, with its
    #: Bold, Italic and Bold Italic faces; "" for Liberation Serif
    latin_face: str = ""

    def key(self, names: frozenset[str] | tuple[str, ...]) -> dict:
        """The values of the options ``names`` as plain data for the build record."""
        out: dict = {}
        for name in sorted(names):
            if name == "emblem":
                out[name] = self.emblem.digest if self.emblem else ""
            elif name == "source_date":
                out[name] = self.source_date
            elif name == "latin_face":
                out[name] = self.latin_face
            else:
                raise KeyError(name)
        return out

    def build_time(self, document_date: str = "") -> datetime:
        """The time written into an output: ``source_date`` if set, else the
        document's own date (ISO), else 2000-01-01; UTC, never the clock."""
        if self.source_date is not None:
            return datetime.fromtimestamp(self.source_date, tz=timezone.utc)
        if document_date:
            try:
                return datetime.fromisoformat(document_date[:10]).replace(tzinfo=timezone.utc)
            except ValueError:
                pass
        return FALLBACK_TIME


#: used when neither SOURCE_DATE_EPOCH nor a document date is known
FALLBACK_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)

DEFAULT_WRITE = WriteOptions()
DEFAULT_READ = ReadOptions()


def read_options_for(lang: str | None, limits: Mapping[str, int] | None = None) -> ReadOptions:
    """The read options of ``--lang`` (a LanguageError for a language not of the six) and
    of the limits raised (read option field -> value, :func:`pipeline.limits.parse`)."""
    if lang:
        from . import lang as langs

        lang = langs.get(lang).code
    return ReadOptions(lang=lang, **dict(limits or {}))


def write_options_from_environment(env: Mapping[str, str] | None = None) -> WriteOptions:
    """``UNRES_EMBLEM``, ``SOURCE_DATE_EPOCH`` and ``UNRES_LATIN_FACE`` read and checked,
    once, for a run."""
    env = os.environ if env is None else env
    emblem_path = (env.get("UNRES_EMBLEM") or "").strip()
    return WriteOptions(emblem=read_emblem(Path(emblem_path)) if emblem_path else None,
                        source_date=parse_source_date(env.get("SOURCE_DATE_EPOCH")),
                        latin_face=parse_latin_face(env.get("UNRES_LATIN_FACE")))


def parse_latin_face(value: str | None) -> str:
    """UNRES_LATIN_FACE as a family name ("Times New Roman"), "" when unset or empty;
    anything but letters, digits, spaces and hyphens (at most 64) is refused."""
    text = (value or "").strip()
    if text and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 \-]{0,63}", text):
        raise UsageError("UNRES_LATIN_FACE must be a font family name of letters, digits, "
                         f"spaces and hyphens (it is {_shown(text)})",
                         Span("UNRES_LATIN_FACE", 1, 1))
    return " ".join(text.split())


def parse_source_date(value: str | None) -> int | None:
    """SOURCE_DATE_EPOCH as seconds, None when unset or empty; anything else is refused."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or int(text) > _EPOCH_MAX:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to "
                         f"{_EPOCH_MAX} (it is {_shown(text)})", Span("SOURCE_DATE_EPOCH", 1, 1))
    return int(text)


_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


def read_emblem(path: Path) -> Emblem:
    """The emblem image at ``path``: a regular file no larger than MAX_EMBLEM_BYTES, a PNG,
    JPEG, GIF or SVG by its content (not its name), of at most MAX_EMBLEM_PIXELS.
    Anything else is a UsageError that names the file and never shows its content."""
    where = Span(_shown(str(path)), 1, 1)
    try:
        st = path.stat()
    except OSError as e:
        raise UsageError(f"UNRES_EMBLEM: cannot read the emblem ({e.strerror})", where) from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError("UNRES_EMBLEM: the emblem is not a regular file", where)
    if st.st_size > MAX_EMBLEM_BYTES:
        raise UsageError(f"UNRES_EMBLEM: the emblem is larger than {MAX_EMBLEM_BYTES} bytes",
                         where)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_EMBLEM_BYTES + 1)
    except OSError as e:
        raise UsageError(f"UNRES_EMBLEM: cannot read the emblem ({e.strerror})", where) from None
    if len(data) > MAX_EMBLEM_BYTES:
        raise UsageError(f"UNRES_EMBLEM: the emblem is larger than {MAX_EMBLEM_BYTES} bytes",
                         where)
    media = next((m for magic, m in _IMAGE_MAGIC if data.startswith(magic)), None)
    if media is None and _is_svg(data):
        media = "image/svg+xml"
    if media is None:
        raise UsageError("UNRES_EMBLEM: the emblem is not a PNG, JPEG, GIF or SVG image", where)
    pixels = _pixels(data, media)
    if pixels is not None and pixels > MAX_EMBLEM_PIXELS:
        raise UsageError(f"UNRES_EMBLEM: the emblem has {pixels} pixels; at most "
                         f"{MAX_EMBLEM_PIXELS} are read", where)
    return Emblem(data, media)


def _is_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def _pixels(data: bytes, media: str) -> int | None:
    """Width x height from the image header, without decoding it (None when unknown)."""
    if media == "image/png" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big") * int.from_bytes(data[20:24], "big")
    if media == "image/gif" and len(data) >= 10:
        return int.from_bytes(data[6:8], "little") * int.from_bytes(data[8:10], "little")
    if media == "image/jpeg":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            size = int.from_bytes(data[i + 2:i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                          0xCE, 0xCF):
                h = int.from_bytes(data[i + 5:i + 7], "big")
                w = int.from_bytes(data[i + 7:i + 9], "big")
                return w * h
            i += 2 + size
    return None


def _shown(text: str) -> str:
    return _shown_text(text, 200)
