"""Cleaning and comparing text: the line as the parsers see it, comparison keys,
folding for phrase matching, and the language's ``[patterns]`` table."""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property

# Characters that never matter when comparing text (soft hyphen, zero-width
# and bidi marks, BOM); the data may add its own (Arabic tatweel, harakat).
_IGNORABLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060\ufeff"
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u3000]+")
_FOLD = str.maketrans({
    "\u2018": "’", "'": "’", "\u02bc": "’", "\u2032": "’",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\uff08": "(", "\uff09": ")", "\uff0e": ".",
    **{chr(0x0660 + i): str(i) for i in range(10)},   # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},   # Extended Arabic-Indic digits
    **{chr(0xFF10 + i): str(i) for i in range(10)},   # full-width digits
})
#: finds a character that ``_FOLD`` changes: a text without one is its own folding, and
#: ``str.translate`` with a table walks every character (microseconds for a sentence)
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")
#: a space that a compact script drops (not between two Latin letters)
_COMPACT_SPACE = re.compile(r"(?<![A-Za-z]) | (?![A-Za-z])")


def _strip_marks(s: str) -> str:
    """``s`` (stripped) without the markdown marks around it: a run of ``#``, ``*``, ``_``
    and spaces that opens it with a mark, and one of ``*``, ``_`` and spaces that closes it
    with a mark ("### **Title**" -> "Title").  A loop, not a regular expression: the
    expression this replaces, ``(?:\\s*[*_]+)+$``, took exponential time on a run of
    underscores inside a line (a form's blank line in PDF text)."""
    i, j = 0, len(s)
    if s[:1] in ("#", "*", "_"):
        while i < j and (s[i] in "#*_" or s[i].isspace()):
            i += 1
    if i < j and s[j - 1] in "*_":
        while j > i and (s[j - 1] in "*_" or s[j - 1].isspace()):
            j -= 1
    return s[i:j]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


class Text:
    """Text helpers of :class:`pipeline.lang.Language` (``[text]`` and ``[patterns]``)."""

    @property
    def compact(self) -> bool:
        """Whether the script writes no spaces between words (Chinese): stray
        spaces next to its characters are extraction damage."""
        return self._compact

    # ------------------------------------------------------------ text helpers

    def clean(self, line: str) -> str:
        """The line as the parsers see it: NFC, marks and ignorable characters
        removed, quotes, dashes and digits folded, spaces collapsed (and, in a
        compact script such as Chinese, dropped except between Latin letters)."""
        s = self._ignorable.sub("", _nfc(line or ""))
        if _FOLDED.search(s):
            s = s.translate(_FOLD)
        s = _SPACES.sub(" ", s).strip()
        s = _strip_marks(s).strip()
        if s.startswith("\\["):
            s = s[1:]
        s = s.replace("\\]", "]")
        if self._compact and " " in s:
            s = _COMPACT_SPACE.sub("", s)
        return s

    def key(self, s: str) -> str:
        """A comparison key: cleaned, case-folded, letters folded, no spaces or hyphens."""
        s = self.clean(s).casefold().translate(self._letter_fold)
        return re.sub(r"[\s\-]", "", s)

    def _fold_map(self, text: str) -> tuple[str, list[int]]:
        """``text`` folded for phrase matching, with the index in ``text`` of each
        folded character (ignorable characters dropped, space runs collapsed)."""
        out: list[str] = []
        idx: list[int] = []
        for i, ch in enumerate(text):
            if self._ignorable.fullmatch(ch):
                continue
            ch = ch.translate(_FOLD)
            if _SPACES.fullmatch(ch):
                if not out or out[-1] == " ":
                    continue
                ch = " "
            low = ch.lower()
            ch = (low if len(low) == 1 else ch).translate(self._letter_fold)
            out.append(ch)
            idx.append(i)
        return "".join(out), idx

    def _fold(self, s: str) -> str:
        return self._fold_map(s)[0].strip()

    @cached_property
    def _pat(self) -> dict[str, re.Pattern]:
        return {k: re.compile(v, re.I) for k, v in self._d["patterns"].items()}

    def _m(self, name: str, line: str):
        return self._pat[name].fullmatch(self.clean(line))
