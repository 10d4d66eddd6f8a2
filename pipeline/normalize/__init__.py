"""The normalizer: raw blocks of loose text -> the canonical :class:`Resolution`.

The passes run in this fixed order; each is a pure function documented in its
own module with what it guarantees afterwards:

1. :func:`.text.tidy_blocks`            Unicode and spacing clean-up (CJK spaces)
2. :func:`.footnotes.relocate_footnotes` notes stranded as text (markdown of the seed's
                                         kind) become note blocks
3. :func:`.footnotes.attach_notes`      every note block attached at its call
4. :func:`.masthead.read_masthead`      session, agenda, adoption, committee, title
5. :func:`.body.split_body`             formula, recitals, paragraphs, items, sections,
                                         closing, annexes (with :mod:`.leads`, :mod:`.items`)
6. :func:`.symbols.link_symbols`        UN symbols cited in the text become DocRefs
7. :func:`.meta.build_meta`             front matter + masthead + closing -> Meta

The normalizer never sees a page: readers of printed pages set running heads,
page feet and notes apart first (:mod:`pipeline.readers.page`) and hand the
notes over as note blocks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import lang as langs
from ..ast import Resolution, Span
from ..errors import Diagnostic, LanguageError, StructureError
from .blocks import RawBlock
from .body import split_body
from .footnotes import attach_notes, relocate_footnotes
from .masthead import read_masthead
from .meta import build_meta
from .symbols import link_inlines, link_symbols
from .text import tidy_blocks


def resolve_language(front: dict, lang: str | None, path: str, blocks: list[RawBlock]):
    """The document's language: front matter, then ``--lang``, the file name
    (``X.zh.md``), then the script of the text."""
    code = front.get("language") or front.get("lang") or lang
    if not code:
        for suffix in reversed(Path(path).suffixes[:-1]):
            try:
                code = langs.get(suffix.lstrip(".")).code
                break
            except LanguageError:
                continue
    if not code:
        sample = " ".join(b.text for b in blocks[:60])
        code = langs.detect(sample)
    if not code:
        raise LanguageError("cannot tell the document's language (one of ar, zh, en, fr, ru, "
                            "es); name it with --lang (or `language:` in a markdown front matter)",
                            Span(path, 1, 1))
    try:
        return langs.get(str(code))
    except LanguageError as e:
        raise LanguageError(e.message, Span(path, 1, 1)) from None


def normalize(blocks: list[RawBlock], *, front: dict | None = None, path: str = "<input>",
              lang: str | None = None) -> tuple[Resolution, list[Diagnostic]]:
    """Run every pass; return the tree and the diagnostics met on the way."""
    front = front or {}
    diags: list[Diagnostic] = []
    L = resolve_language(front, lang, path, blocks)
    blocks = tidy_blocks(blocks, tight=L.compact)
    blocks = relocate_footnotes(blocks)
    blocks, d = attach_notes(blocks)
    diags += d
    mh, start = read_masthead(blocks, L)
    diags += mh.diagnostics
    body, d = split_body(blocks[start:], L)
    diags += d
    if not body.preamble.recitals and not body.operative and not body.preamble.formula \
            and not mh.number:
        first = blocks[0].span if blocks else Span(path, 1, 1)
        raise StructureError("no resolution found: no title line, enacting formula, preambular "
                             "or operative paragraphs", Span(path, first.line or 1, first.col or 1))
    meta, d = build_meta(mh, body, front, L, path)
    diags += d
    body = link_symbols(body, L, meta.organ)
    meta = replace(meta, title=link_inlines(meta.title, L, meta.organ))
    return Resolution(meta, body, span=Span(path, 1, 1)), diags


__all__ = ["normalize", "resolve_language"]
