"""Which of the six languages a text is in: by script, then by marker words."""

from __future__ import annotations

import re
from typing import Iterable

from .text import _nfc


def detect(text: str, langs: Iterable) -> str | None:
    """The language of ``text`` by script (Arabic, CJK, Cyrillic) and, among
    languages sharing a script, by marker words; None if unknown."""
    sample = _nfc(text or "")[:20000]
    by_script: dict[str, list] = {}
    for L in langs:
        by_script.setdefault(L._d["detect"]["script"], []).append(L)
    best, best_n = None, 0
    for script, group in by_script.items():
        n = len(re.findall(script, sample))
        if n > best_n:
            best, best_n = group, n
    if not best:
        return None
    if len(best) == 1:
        return best[0].code
    lowered = sample.lower()
    scores = []
    for L in best:
        words = L._d["detect"]["markers"]
        score = sum(len(re.findall(rf"(?<!\w){re.escape(w.lower())}(?!\w)", lowered)) for w in words)
        scores.append((score, L.code))
    scores.sort(reverse=True)
    if scores[0][0] == 0 or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]
