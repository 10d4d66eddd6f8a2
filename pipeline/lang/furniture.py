"""Page furniture of PDF-extracted text: the patterns of running heads, job
numbers, page numbers and barcodes, and the word lists the page readers use."""

from __future__ import annotations

import re
from functools import cached_property

from .data import common


class Furniture:
    """Page furniture of :class:`pipeline.lang.Language` (``[furniture]``, common.toml's first)."""

    @cached_property
    def furniture(self) -> dict[str, re.Pattern]:
        """Page-furniture patterns of PDF-extracted text (common.toml's, then this
        language's own): job_number, barcode, page_number, note_rule, symbol, residue."""
        table = dict(common()["furniture"])
        table.update({k: v for k, v in self._d.get("furniture", {}).items()
                      if isinstance(v, str)})
        return {k: re.compile(v) for k, v in table.items()}

    def words(self, name: str) -> tuple[str, ...]:
        """A word list of the ``[furniture]`` table (not_a_call, numbered_nouns,
        numbered_abbreviations, suspended_hyphen); empty when the language has none."""
        return tuple(self._d.get("furniture", {}).get(name, ()))
