"""The openings of a resolution's paragraphs: enacting formulas and lead phrases."""

from __future__ import annotations

import re
from functools import cached_property


class Leads:
    """Enacting formulas and lead phrases of :class:`pipeline.lang.Language`
    (``[formulas]``, ``[leads]``)."""

    @cached_property
    def formulas(self) -> tuple[str, ...]:
        """Enacting formulas without final punctuation, GA first."""
        return tuple(self._d["formulas"].values())

    def formula(self, organ: str) -> str:
        """The enacting formula of ``organ``."""
        return self._d["formulas"][organ]

    @cached_property
    def _formula_keys(self) -> dict[str, str]:
        return {self._formula_key(f): o for o, f in self._d["formulas"].items()}

    def _formula_key(self, s: str) -> str:
        s = self.clean(s.replace("*", " ").replace("_", " "))
        return self.key(s.rstrip(",،，:：;؛ .").strip())

    def is_formula(self, text: str) -> bool:
        """Whether ``text`` is an enacting formula, marks and punctuation aside."""
        return self._formula_key(text) in self._formula_keys

    def formula_organ(self, text: str) -> str | None:
        """The organ whose enacting formula ``text`` is, else None."""
        return self._formula_keys.get(self._formula_key(text))


    @cached_property
    def _leads(self) -> dict[str, tuple[str, ...]]:
        """The curated phrases, longest first.  The data holds no phrase shaped as a
        heading ("II", "IV Prévisions ...", "ثانيا - ...", "Annex II"): collected from
        the opening spans of the UN's markup, where a heading typed as a styled paragraph
        looks like a lead, such a phrase would take a heading's number for a lead."""
        d = self._d["leads"]
        return {k: tuple(sorted(dict.fromkeys(d[k]), key=lambda p: (-len(p), p)))
                for k in ("preambular", "operative")}

    @cached_property
    def _lead_shapes(self) -> dict[str, re.Pattern | None]:
        d = self._d["leads"]
        return {k: re.compile(d[f"{k}_shape"]) if d.get(f"{k}_shape") else None
                for k in ("preambular", "operative")}

    def lead_shaped(self, text: str, kind: str) -> bool:
        """Whether ``text`` opens with a lead phrase of ``kind`` by its shape alone (the
        language's ``[leads] <kind>_shape``: a participle, a verb's person), where the
        curated lists may lack the phrase; False for a language without that shape."""
        pat = self._lead_shapes[kind]
        return bool(pat and pat.match(text.lstrip(" \t\u00a0*_")))

    @cached_property
    def _lead_index(self) -> dict[str, dict[str, tuple[str, ...]]]:
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind, phrases in self._leads.items():
            idx: dict[str, list[str]] = {}
            for p in phrases:
                f = self._fold(p)
                if f:
                    idx.setdefault(f[0], []).append(f)
            out[kind] = {c: tuple(sorted(set(v), key=len, reverse=True)) for c, v in idx.items()}
        return out

    @cached_property
    def _lead_window(self) -> int:
        """Characters of a text's opening that :meth:`match_lead` folds: twice the longest
        phrase and some, for ignorable characters, spaces and the boundary after it."""
        longest = max((len(p) for kind in ("preambular", "operative") for p in self.leads(kind)),
                      default=0)
        return 2 * longest + 16

    def leads(self, kind: str) -> tuple[str, ...]:
        """Curated lead phrases of ``kind`` ("preambular" | "operative"), longest first."""
        return self._leads[kind]

    def match_lead(self, text: str, kind: str) -> str | None:
        """The longest curated lead phrase opening ``text``, as written in the text
        (word boundary respected except in compact scripts), else None."""
        start = len(text) - len(text.lstrip(" \t\u00a0*_"))
        # only the opening words can hold a lead phrase: fold no more than that
        folded, idx = self._fold_map(text[start:start + self._lead_window])
        if not folded:
            return None
        for f in self._lead_index[kind].get(folded[0], ()):
            if folded.startswith(f):
                nxt = folded[len(f):len(f) + 1]
                if not self._compact and nxt and (nxt.isalnum() or nxt in "’-"):
                    continue
                end = start + idx[len(f) - 1] + 1
                while end < len(text) and self._ignorable.fullmatch(text[end]):
                    end += 1
                return text[start:end]
        return None
