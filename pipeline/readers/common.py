"""What several readers share, so that no reader borrows another's private code.

- :func:`decode`: a text source's bytes as text (markdown, PDF-extracted text);
- :func:`document_language`: the document's language, decided once per
  document from what the source says and its raw text, before any page is
  cut with a language's patterns (every reader of loose text: markdown,
  PDF-extracted text, PDF, Word); the normalizer is given it;
- :func:`take_number`: an operative number typed as text taken off a
  paragraph (PDF-extracted text, PDF, Word), as the markdown reader takes off
  an ordered list's number;
- :func:`place_notes`: the notes a reader of printed pages found at the
  pages' feet, as note blocks after the last block of their page
  (PDF-extracted text, PDF).

All are pure functions of their arguments.
"""

from __future__ import annotations

from pathlib import Path

from .. import lang as langs
from ..ast import Span, Text
from ..errors import LanguageError, ReadError
from ..normalize.blocks import RawBlock


def decode(data: bytes, path: str) -> str:
    """The text of a source file, or a ReadError that says where it stops being text.
    UTF-8 (with or without a byte order mark), or UTF-16 and UTF-32 with theirs (what
    Notepad saves as "Unicode"); UTF-16 without one is refused by name."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_wide(data[len(bom):], codec, path)
    if not data.strip():
        raise ReadError("empty file: no resolution text", Span(path, 1, 1))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        head = data[:200]
        if len(head) >= 4 and (head[1::2].count(0) > 0.8 * len(head[1::2])
                               or head[0::2].count(0) > 0.8 * len(head[0::2])):
            raise ReadError("UTF-16 text without a byte order mark: save it as UTF-8",
                            Span(path, 1, 1))
        raise ReadError("binary file (NUL byte): not a text source", Span(path, line, 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise ReadError(f"not UTF-8 text (byte 0x{data[e.start]:02x})", Span(path, line, col)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: byte order marks and their encodings (UTF-32's before UTF-16's: they begin alike)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


def _decode_wide(data: bytes, codec: str, path: str) -> str:
    """Text after a byte order mark, read as ``codec``; the same checks as UTF-8's."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise ReadError(f"not {codec.upper()[:6]} text though it starts with its byte order "
                        f"mark (byte {e.start})", Span(path, 1, 1)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ReadError("empty file: no resolution text", Span(path, 1, 1))
    nul = text.find("\x00")
    if nul >= 0:
        raise ReadError("binary file (NUL character): not a text source",
                        Span(path, text.count("\n", 0, nul) + 1, 1))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def document_language(text: str, path: str, lang: str | None = None,
                      front: dict | None = None) -> langs.Language:
    """The document's language: the front matter's ``language`` (or ``lang``), then
    ``lang`` (the read option), the file name (``X.zh.md``), then the script of
    ``text`` (the source's raw text, or the start of it).  A
    :class:`~pipeline.errors.LanguageError` at the file's start when none of them
    tells, or when the one that does names no language of ours."""
    front = front or {}
    code = front.get("language") or front.get("lang") or lang
    if not code:
        for suffix in reversed(Path(path).suffixes[:-1]):
            try:
                code = langs.get(suffix.lstrip(".")).code
                break
            except LanguageError:
                continue
    if not code:
        code = langs.detect(text)
    if not code:
        raise LanguageError("cannot tell the document's language (one of ar, zh, en, fr, ru, "
                            "es); name it with --lang (or `language:` in a markdown front matter)",
                            Span(path, 1, 1))
    try:
        return langs.get(str(code))
    except LanguageError as e:
        raise LanguageError(e.message, Span(path, 1, 1)) from None


def resolution_like(blocks) -> bool:
    """Whether raw blocks whose language cannot be told still show a resolution's shape
    (a numbered paragraph, a symbol, an enacting formula of some language): then the
    language is what is missing, not the resolution."""
    if any(b.num for b in blocks):
        return True
    if "/RES/" in "\n".join(b.text for b in blocks[:80]):
        return True
    return any(langs.get(code).is_formula(b.text.strip()) for code in langs.CODES
               for b in blocks[:80])


def take_number(inlines: tuple, L) -> tuple[str, tuple]:
    """("1.", the rest) when the inlines open with an operative number, else ("", inlines).

    The number is taken off here, as the markdown reader takes off an ordered
    list's number, so that the normalizer need not find it in the text."""
    if not inlines or not isinstance(inlines[0], Text):
        return "", inlines
    got = L.line_number(inlines[0].text)
    if not got:
        return "", inlines
    rest = got[1].lstrip()
    return L.num_text(got[0]), ((Text(rest),) if rest else ()) + inlines[1:]


def place_notes(blocks: list[RawBlock], pages_of: list[int],
                notes: list[tuple[int, RawBlock]]) -> list[RawBlock]:
    """``blocks`` with the blocks found at the pages' feet, ``notes`` ((page index,
    block), in the pages' order: note blocks, or paragraphs for what is no
    footnote), in place: each after the last block whose page (``pages_of[k]``,
    the last page block ``k`` stands on) is not after its own; the note blocks at
    one place in the order of their source lines."""
    placed = [(max((k for k, p in enumerate(pages_of) if p <= page), default=-1), note)
              for page, note in notes]
    out = list(blocks)
    # inserted from the last, so that notes placed after the same block keep their order
    for after, note in reversed(sorted(placed, key=lambda x: x[0])):
        out.insert(after + 1, note)
    return _notes_by_line(out)


def _notes_by_line(blocks: list[RawBlock]) -> list[RawBlock]:
    """Runs of consecutive note blocks sorted by their source line."""
    out: list[RawBlock] = []
    run: list[RawBlock] = []
    for b in blocks + [None]:  # type: ignore[list-item]
        if b is not None and b.kind == "note":
            run.append(b)
            continue
        out.extend(sorted(run, key=lambda r: r.span.line))
        run = []
        if b is not None:
            out.append(b)
    return out
