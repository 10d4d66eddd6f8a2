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

The normalizer never sees a page or decides a language: readers of printed
pages set running heads, page feet and notes apart first
(:mod:`pipeline.readers.page`) and hand the notes over as note blocks, and
every reader decides the document's language once, from what the source says
and its raw text (:func:`pipeline.readers.common.document_language`).
"""

from __future__ import annotations

from dataclasses import replace

from .. import lang as langs
from ..ast import Resolution, Span
from ..errors import Diagnostic, LanguageError, NotAResolution
from .blocks import RawBlock
from .body import split_body
from .footnotes import attach_notes, relocate_footnotes
from .masthead import read_masthead
from .meta import build_meta
from .symbols import link_inlines, link_symbols
from .text import tidy_blocks


def normalize(blocks: list[RawBlock], *, lang: str, front: dict | None = None,
              path: str = "<input>") -> tuple[Resolution, list[Diagnostic]]:
    """Run every pass over the blocks of a document in the language ``lang`` (as the
    reader decided it); return the tree and the diagnostics met on the way."""
    front = front or {}
    diags: list[Diagnostic] = []
    try:
        L = langs.get(lang)
    except LanguageError as e:
        raise LanguageError(e.message, Span(path, 1, 1)) from None
    blocks = tidy_blocks(blocks, tight=L.compact, label_shape=L.label_shape)
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
        raise NotAResolution(NotAResolution.MESSAGE, Span(path, first.line or 1, first.col or 1))
    meta, d = build_meta(mh, body, front, L, path)
    diags += d
    body = link_symbols(body, L, meta.organ)
    meta = replace(meta, title=link_inlines(meta.title, L, meta.organ))
    return Resolution(meta, body, span=Span(path, 1, 1)), diags


__all__ = ["normalize"]
