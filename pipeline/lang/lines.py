"""The lines of a printed page: the operative numbers, item labels and section numbers
that the page-recovery passes (``pipeline/readers/page/``, ``pipeline/readers/pdf/``)
see open a paragraph or stand on a line of their own.

Every shape is data: ``[lines]`` of ``common.toml`` (a language's own ``[lines]``
table would replace any of its entries).  They were tuned on the corpus and are the
same in every language today: Latin-shaped ("12.", "(a)", "IV."), and read so in
Arabic and Chinese text too.  They differ on purpose from the ``[numbers]`` shapes of
:mod:`.numbers`, which know each language's own forms: a page pass changed to those
must show its corpus scores.  Lines are matched as written (no folding).
"""

from __future__ import annotations

import re
from functools import cached_property

from .data import common


class Lines:
    """Printed-line shapes of :class:`pipeline.lang.Language` (see the module docstring)."""

    @cached_property
    def _lines(self) -> dict[str, re.Pattern]:
        n = dict(common()["lines"])
        n.update(self._d.get("lines", {}))
        return {
            "number": re.compile(rf"\s*(?:{n['number']})"),
            "label": re.compile(rf"\s*(?P<label>{n['label']})"),
            "alone": re.compile(rf"\s*(?:(?P<number>{n['number_alone']})|(?P<label>{n['label']})"
                                rf"|(?P<section>{n['section_alone']}))\s*"),
            "opening": re.compile(rf"\s*(?:$|{n['opening']})"),
        }

    def line_number(self, text: str, glued: bool = False) -> tuple[int, str] | None:
        """(number, rest) when the line opens (spaces aside) with an operative number
        and its full stop ("12. Decides" -> (12, " Decides"), "3 ." -> (3, "")); the
        rest keeps the spaces after the stop.  ``glued``: no space between the number
        and its stop ("12 ." is then none).  A decimal ("1.5") is none.  Else None."""
        m = self._lines["number"].match(text)
        if not m or glued and m["gap"]:
            return None
        return int(m["n"]), text[m.end():]

    def line_label(self, text: str) -> tuple[str, str] | None:
        """(label, rest) when the line opens (spaces aside) with an item label's shape
        ("(a) the" -> ("(a)", " the"), "(xviii)" -> ("(xviii)", "")), whatever follows
        it; the rest keeps the spaces after the label.  Else None."""
        m = self._lines["label"].match(text)
        return (m["label"], text[m.end():]) if m else None

    def line_alone(self, text: str) -> tuple[str, str] | None:
        """(kind, what the line holds) when the line holds, spaces aside, nothing but an
        operative number ("number": "12.", "12 .", "12"), an item label ("label": "(a)",
        "(iv)") or a section number ("section": "IV.", "IV"), its full stop as printed.
        Else None."""
        m = self._lines["alone"].fullmatch(text)
        if not m:
            return None
        kind = next(k for k in ("number", "label", "section") if m[k] is not None)
        return kind, m[kind].rstrip()

    def opens_words(self, text: str) -> bool:
        """Whether the words of a paragraph may open ``text``, the rest of a line after
        its number: nothing but spaces, or (spaces aside) a capital, a quote or a
        bracket ("Decides", "“Urges”", "(a)"; not "decides" nor "5")."""
        return bool(self._lines["opening"].match(text))
