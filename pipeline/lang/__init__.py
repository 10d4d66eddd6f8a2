"""The six UN languages: masthead lines, dates, labels, lead phrases, symbols.

Everything a language needs lives in its data file ``pipeline/lang/<code>.toml``
(read with :mod:`tomllib` on first use and cached); the code is generic and
holds no per-language branch, so a seventh language is a data change.

    >>> from pipeline import lang
    >>> L = lang.get("zh")
    >>> L.parse_session("第七十一届会议")
    71

Every ``parse_*`` takes one stripped line (markdown marks such as ``##`` or
``*`` around the line are tolerated) and returns ``None`` when the line is not
of that kind; every ``*_text`` is its inverse, as the UN prints it.

This module is the whole interface: :func:`get`, :func:`detect`, :data:`CODES`,
:class:`Language`, whose operations come from one module per topic, and
:func:`ordered_list_number`, markdown's own syntax, which needs no language:

- :mod:`.text`: cleaning lines, comparison keys, the ``[patterns]`` table;
- :mod:`.masthead`: masthead and meeting lines (organ, distribution, session,
  agenda, adoption, proponent, title, meeting);
- :mod:`.dates`: dates in words and back;
- :mod:`.numbers`: operative numbers, item labels, section numbers, annex headings;
- :mod:`.leads`: enacting formulas and lead phrases;
- :mod:`.symbols`: UN symbols cited in text;
- :mod:`.furniture`: page furniture of PDF-extracted text;
- :mod:`.lines`: the numbers and labels that open a printed page's lines;
- :mod:`.detection`: which language a text is in;
- :mod:`.markup`: markdown's ordered list marker (no language's knowledge);
- :mod:`.data`: reading the ``*.toml`` files.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import LanguageError
from . import data as _data
from .dates import Dates
from .furniture import Furniture
from .leads import Leads
from .lines import Lines
from .markup import ordered_list_number
from .masthead import Masthead
from .numbers import Numbers
from .symbols import Symbols
from .text import _IGNORABLE, Text

CODES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
ORGANS: tuple[str, ...] = ("GA", "SC", "ECOSOC", "HRC")

__all__ = ["CODES", "ORGANS", "Language", "get", "detect", "ordered_list_number"]


class Language(Text, Masthead, Dates, Numbers, Leads, Symbols, Furniture, Lines):
    """One language's data and the operations built on it (see module doc)."""

    def __init__(self, data: dict):
        self._d = data
        ident = data["identity"]
        self.code: str = ident["code"]
        self.akn: str = ident["akn"]
        self.undocs: str = ident["undocs"]
        self.dir: str = ident["dir"]
        self.name: str = ident["name"]
        self.lead_style: str = ident["lead_style"]
        text = data.get("text", {})
        self._compact: bool = bool(text.get("compact", False))
        self._letter_fold = str.maketrans(text.get("fold", {}))
        ign = _IGNORABLE + text.get("ignorable", "")
        self._ignorable = re.compile(f"[{ign}]")
        self.punctuation: dict = dict(data["punctuation"])
        self.closing_order: tuple[str, ...] = tuple(data["closing"]["order"])

    def __repr__(self) -> str:
        return f"<Language {self.code}>"


@lru_cache(maxsize=None)
def _load(code: str) -> Language:
    return Language(_data.read(code))


@lru_cache(maxsize=None)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in CODES:
        ident = _data.read(code)["identity"]
        for a in [code, ident["akn"], ident["undocs"], *ident.get("aliases", ())]:
            out[a.lower()] = code
    return out


def get(code: str) -> Language:
    """The language of ``code`` (ISO 639-1 "zh", 639-2 "zho", undocs "ch").

    Raises :class:`pipeline.errors.LanguageError` for anything else."""
    c = (code or "").strip().lower()
    if c in CODES:
        return _load(c)
    real = _aliases().get(c) if c else None
    if real is None:
        raise LanguageError(f"unknown language {code!r}: expected one of {', '.join(CODES)}")
    return _load(real)


def detect(text: str) -> str | None:
    """The language of ``text`` by script (Arabic, CJK, Cyrillic) and, among
    languages sharing a script, by marker words; None if unknown."""
    from .detection import detect as by_script_and_markers

    return by_script_and_markers(text, [get(c) for c in CODES])
