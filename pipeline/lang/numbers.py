"""The numbering of a resolution's parts: operative paragraph numbers, item labels,
section numbers, annex headings.

Every pattern is data: ``[patterns]`` (``operative_number``, ``item_label``,
``annex``), ``[items]`` (the label sequences) and ``[numbers]`` (the shapes of
numbers and labels, ``common.toml``'s unless the language has its own).  No
number or label pattern is written anywhere else in the pipeline
(``tests/test_lang_guard.py`` checks it): callers ask these methods, or, for the
Latin-shaped forms the page passes look for on a printed line, :mod:`.lines`'s.
"""

from __future__ import annotations

import re
from functools import cached_property

from .data import common
from .text import _FOLD, _nfc

#: the spaces collapsed in a number as printed ("1 \t-" -> "1 -")
_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


class Numbers:
    """Numbers and labels of :class:`pipeline.lang.Language` (see the module docstring)."""

    @cached_property
    def _shapes(self) -> dict[str, re.Pattern]:
        n = dict(common()["numbers"])
        n.update(self._d.get("numbers", {}))
        section = f"{n['section_roman']}|{n['section_letter']}"
        return {
            "label": re.compile(rf"\s*(?P<label>{n['label_shape']})(?=\s|\Z)"),
            "bare_label": re.compile(rf"(?:{n['label_shape']})"),
            "bare_number": re.compile(rf"(?:{n['bare_number']})"),
            "section": re.compile(rf"(?P<num>{section})\.?\s+(?=\S)"),
            "section_alone": re.compile(rf"(?P<num>{section})\.?"),
            "roman_alone": re.compile(rf"(?P<num>{n['section_roman']})\.?"),
            "misread_one": re.compile(n["misread_one"]),
            "any_number": re.compile(rf"\s*(?:{n['any_number']})(?=\s|\Z)"),
            "any_number_cut": re.compile(rf"\s*(?:{n['any_number']})\s*"),
            "any_label": re.compile(rf"\s*(?P<label>{n['any_label']})(?=\s|\Z)"),
        }

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

    def bare_number(self, text: str) -> int | None:
        """The number of a line that holds an operative number and nothing else, its
        punctuation optional ("12.", "12", "12 -" in Arabic), else None."""
        m = self._shapes["bare_number"].fullmatch(_nfc(text).translate(_FOLD).strip())
        return int(m["n"]) if m else None

    def misread_number(self, text: str) -> str | None:
        """``text`` with the first operative number restored where a letter stands for
        its 1 ("l. Decides", "I. Decides" -> "1. Decides"), else None."""
        pat = self._shapes["misread_one"]
        return pat.sub("1", text, 1) if pat.match(text) else None

    def any_operative_number(self, text: str) -> tuple[str, str, str] | None:
        """(digits, number as printed, rest) when ``text`` opens with an operative
        number in the form of any language ("1.", "1 -", "1–", "1．") or bare ("1"),
        followed by a space or the end: the UN's markup mixes these forms whatever
        the document's language.  The number as printed runs to the last mark and
        has its spaces collapsed ("1 -"); the rest follows the spaces after it
        ("1. 表示注意到" -> ("1", "1.", "表示注意到")).  Else None."""
        m = self._shapes["any_number"].match(text)
        if not m:
            return None
        cut = self._shapes["any_number_cut"].match(text)
        return m["n"], _ASCII_SPACES.sub(" ", cut.group(0)).strip(), text[cut.end():]

    # ------------------------------------------------------------- label shapes

    def label_shape(self, text: str) -> tuple[str, str] | None:
        """(label, rest) when ``text`` opens (spaces aside) with something shaped like
        an item label of this language, whether its sequences know it or not ("(a)",
        "a)", "(xviii)", "㈠", "(十一)", "а)"), followed by a space or the end; the
        rest keeps the spaces after the label.  The text is matched as written.
        For a label the sequences know, and its place in them, ask :meth:`item_label`."""
        m = self._shapes["label"].match(text)
        return (m["label"], text[m.end():]) if m else None

    def bare_label(self, text: str) -> str | None:
        """The label of a line that holds an item label's shape and nothing else, else None."""
        t = text.strip()
        return t if self._shapes["bare_label"].fullmatch(t) else None

    def any_label_shape(self, text: str) -> tuple[str, str] | None:
        """(label, rest) as :meth:`label_shape`, for a label in the form of any language,
        in either case ("(a)", "a)", "(iv)", "а)", "(أ)", "㈠", "’1‘", "(1)", "(A)"):
        the UN's markup mixes them whatever the document's language."""
        m = self._shapes["any_label"].match(text)
        return (m["label"], text[m.end():]) if m else None

    # ---------------------------------------------------------- section numbers

    def section_number(self, text: str, letters: bool = True) -> tuple[str, str] | None:
        """(number, title) of a heading that opens with a section number: a roman
        number or, with ``letters``, a capital letter, its full stop optional
        ("IV. Title" -> ("IV", "Title"), "II Title" -> ("II", "Title"), "A. Title"
        -> ("A", "Title")); a single letter needs its full stop before a title ("A
        Title", "I am" are not numbered).  A number alone gives an empty title
        ("IV." -> ("IV", "")).  The title starts after the spaces; a heading with
        spaces before its number is not numbered unless the number is alone.  Else None."""
        m = self._shapes["section"].match(text)
        if m and (letters or self._shapes["roman_alone"].fullmatch(m["num"])) and \
                (len(m["num"]) > 1 or m.group(0).rstrip().endswith(".")):
            return m["num"], text[m.end():]
        alone = self._shapes["section_alone" if letters else "roman_alone"]
        m = alone.fullmatch(text.strip())
        return (m["num"], "") if m else None

