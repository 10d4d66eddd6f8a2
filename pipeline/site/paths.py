"""The site's addresses: every page's place is made from the symbol and the language.

::

    index.html                               home: sessions, most recent resolutions
    A/RES/75/index.html                      a session: its resolutions by number
    A/RES/75/10/index.html                   a resolution: its language versions
    A/RES/75/10/en/index.html                the English version; beside it the downloads
    A/RES/75/10/en/A_RES_75_10.en.pdf        (.docx, .akn.xml, .md)
    A/RES/75/10/compare/ar-en/index.html     Arabic and English side by side
    search/index.html                        search (?q=...&lang=...)
    feed.xml  sitemap.xml  catalogue.json    machine-readable
    _assets/                                 the theme's styles and scripts
    pagefind/                                the search index

Guarantees: a symbol becomes a path of safe segments only (letters, digits and
``( ) . _ -``; no segment is empty, ``.`` or ``..``; spaces are dropped:
``A/RES/75/253 C`` -> ``A/RES/75/253C``), so no source can place a page outside
the site or over the site's own files; a symbol whose path would start with one
of the site's own names is refused (:func:`symbol_dir` returns None).  Pages link
to each other by relative addresses (:func:`relative`), so a site works from any
folder of any static server.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import PurePosixPath

#: the languages in the UN's order (also the order of columns, switches and pairs)
LANGS = ("ar", "zh", "en", "fr", "ru", "es")

ASSETS = "_assets"
SEARCH = "search"
PAGEFIND = "pagefind"
#: the site's own top-level names (a symbol may not take them)
RESERVED = {ASSETS, SEARCH, PAGEFIND, "index.html", "404.html", "feed.xml", "sitemap.xml",
            "catalogue.json", "robots.txt"}

_UNSAFE = re.compile(r"[^A-Za-z0-9()._-]+")


def symbol_key(symbol: str) -> str:
    """The form symbols are matched in: no spaces, upper case (``a/res/75/253 c`` and
    ``A/RES/75/253C`` are one resolution)."""
    return re.sub(r"\s+", "", symbol).upper()


def _segment(part: str) -> str:
    s = _UNSAFE.sub("-", re.sub(r"\s+", "", part)).strip("-")
    s = s.lstrip(".")
    return s or "_"


def symbol_dir(symbol: str) -> PurePosixPath | None:
    """``A/RES/75/10`` -> ``A/RES/75/10``: the folder of a resolution (None when the
    symbol is empty or would take one of the site's own names)."""
    parts = [_segment(p) for p in symbol.strip().split("/") if p.strip()]
    if not parts or len(parts) < 2 or parts[0].lower() in {r.lower() for r in RESERVED}:
        return None
    return PurePosixPath(*parts)


def group_dir(sdir: PurePosixPath) -> PurePosixPath:
    """The folder of a resolution's session index (``A/RES/75``)."""
    return sdir.parent


def page_dir(sdir: PurePosixPath, lang: str) -> PurePosixPath:
    return sdir / lang


def compare_dir(sdir: PurePosixPath, a: str, b: str) -> PurePosixPath:
    return sdir / "compare" / f"{a}-{b}"


def file_stem(sdir: PurePosixPath, lang: str) -> str:
    """``A/RES/75/10`` and ``en`` -> ``A_RES_75_10.en`` (the downloads' names)."""
    return "_".join(sdir.parts) + "." + lang


def pair(a: str, b: str) -> tuple[str, str]:
    """Two languages in the site's order (a pair's page has one address)."""
    order = {c: i for i, c in enumerate(LANGS)}
    return (a, b) if (order.get(a, 99), a) <= (order.get(b, 99), b) else (b, a)


def relative(from_dir: PurePosixPath | str, to: PurePosixPath | str, folder: bool = True) -> str:
    """The address of ``to`` (a folder when ``folder``, else a file) from a page in
    ``from_dir``: ``../../76/109/en/``."""
    rel = posixpath.relpath(str(to) or ".", str(from_dir) or ".")
    if folder:
        return "./" if rel == "." else rel + "/"
    return rel


def number_key(text: str) -> tuple:
    """A natural sort key: ``75/9`` before ``75/10``, ``2205(XXI)`` by its number."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t)
                 for t in re.findall(r"\d+|[^\d/]+", text))
