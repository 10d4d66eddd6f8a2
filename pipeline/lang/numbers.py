"""The numbering of a resolution's parts: operative paragraph numbers, item labels,
annex headings."""

from __future__ import annotations

import re
from functools import cached_property

from .text import _FOLD, _nfc


class Numbers:
    """Numbers and labels of :class:`pipeline.lang.Language` (``[items]``,
    ``patterns.operative_number``, ``patterns.item_label``, ``patterns.annex``)."""

    def annex_heading(self, line: str) -> bool:
        """Whether the line is an annex heading ("Annex", "Annex I", "附件" ...)."""
        return bool(self._m("annex", line))

    # ------------------------------------------------------------------- items

    @cached_property
    def item_levels(self) -> tuple[tuple[str, ...], ...]:
        """Label sequences per nesting level, as the UN prints them."""
        return tuple(tuple(level) for level in self._d["items"]["levels"])

    def _label_key(self, label: str) -> str:
        s = _nfc(label).translate(_FOLD).translate(str.maketrans(self._d["items"].get("aliases", {})))
        s = re.sub(r"[’‘\"]", "’", s)
        return re.sub(r"\s+", "", self._ignorable.sub("", s)).lower()

    @cached_property
    def _labels(self) -> dict[str, tuple[tuple[int, int], ...]]:
        out: dict[str, list[tuple[int, int]]] = {}
        for lvl, seq in enumerate(self.item_levels):
            for i, lab in enumerate(seq):
                out.setdefault(self._label_key(lab), []).append((lvl, i))
        prefer = self._d["items"].get("prefer_level", 1)
        return {k: tuple(sorted(v, key=lambda c: (c[0] != prefer, c[0]))) for k, v in out.items()}

    def label_candidates(self, label: str) -> tuple[tuple[int, int], ...]:
        """Every (level, index) reading of ``label``; the preferred reading first
        ("(i)": roman 1 at level 1, then letter i at level 0)."""
        return self._labels.get(self._label_key(label), ())

    def item_label(self, text_start: str) -> tuple[str, int, int] | None:
        """(label as in the text, level, index) of an item label opening the text
        (after optional list marks), else None.  Ambiguous labels give the
        preferred reading; ask :meth:`label_candidates` for all."""
        m = self._pat["item_label"].match(_nfc(text_start))
        if not m:
            return None
        label = m["label"]
        cands = self.label_candidates(label)
        if not cands:
            return None
        return label, cands[0][0], cands[0][1]

    # -------------------------------------------------------------- operative

    def operative_number(self, text: str) -> tuple[str, str] | None:
        """(number as the UN prints it, rest) of an operative paragraph opening
        with its number ("1. Calls upon" -> ("1.", "Calls upon")), else None."""
        raw = _nfc(text)
        folded = raw.translate(_FOLD)
        start = len(folded) - len(folded.lstrip())
        m = self._pat["operative_number"].match(folded, start)
        if not m:
            return None
        # the rest as written (quotes and dashes unfolded) when folding kept every
        # character in place, as it does for the quotes and dashes it folds
        rest = raw[m.start("rest"):] if len(folded) == len(raw) else m["rest"]
        return self.num_text(int(m["n"])), rest.strip()

    def num_text(self, n: int) -> str:
        """Operative paragraph number ``n`` as printed ("1." or "1 -")."""
        return self._d["templates"]["num"].format(n=n)
