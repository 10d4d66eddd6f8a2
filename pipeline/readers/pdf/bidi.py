"""Right-to-left lines read back: glyphs in visual order -> characters in logical order.

A PDF draws an Arabic line as it is seen: its glyphs from left to right, the
Arabic words reversed, the numbers and Latin words inside them left to right.
Reading the glyphs by their position gives the visual order; the text is the
logical order that the Unicode bidirectional algorithm (UBA) laid out.  This
module undoes that layout for a line of a right-to-left paragraph (the UN's
Arabic pages), with no explicit embeddings (a resolution has none).

:func:`logical_order` takes the line's units (a glyph cluster or a space each,
left to right as drawn) and returns their logical order.  It gives each unit
the level the UBA gave it (1 right to left, 2 left to right), working on the
visual order, then reads the line from the right, each run of level 2 from its
left.  The levels, in the UBA's terms:

- Arabic letters 1, Latin letters 2;
- digits 2; digits are read with the Latin text on their left (rule W7: a
  number after a Latin word, "vol. 1996", "A/76/471", "UNEP@50", "GC(66)")
  unless a bracket and a space stand between ("21-18664 (A)", drawn
  ")A( 21-18664");
- a single common separator (``, . / :``) between two numbers joins them (W4:
  "76/109"); a plus or minus sign, or a ``%`` after a number, joins them only
  when no Arabic letter stands to the number's right, i.e. before it (W2: after
  an Arabic letter, digits are "AN" and "2014-2024" is two numbers);
- a punctuation mark that ends a sentence or clause (``. , ; : ! ?``) drawn right
  after a Latin-level unit (or after the brackets that close it), with a space or
  the line's right end on its other side, is 2: it ends the Latin text ("No. 1200."
  drawn "No. 1200. )1(", "(A/77/23)." drawn "(A/77/23). 23"), the brackets
  between becoming 2 as neutrals between two Latin-level units, and so does the
  bracket each of them pairs with (the one drawn as its mirror image at the Latin
  text's left, nested pairs counted; a pair is read at one level).  The UBA would
  draw such a mark there only when it opens the Latin text (".United"), which no
  text does; a writer that isolates a Latin stretch with its final punctuation
  (ours: :func:`pipeline.writers.view.latin_runs`) draws it there.  Drawn at the
  stretch's left, as the UBA draws a final stop of a Latin note (".United
  Nations, vol. 1996"), it is 1 as any neutral and still read last;
- any other run of neutrals (spaces, brackets, dashes) is 2 between two
  Latin-level units (the space of "Treaty Series"), else 1 (N1, numbers counting
  as right to left).

Guarantees: the result is a permutation of the input indices; a pure function
of the units' texts (the caller tells a right-to-left line: see
:attr:`pipeline.readers.pdf.layout.Row.rtl`).  Brackets: a PDF maps each glyph
to one character, and in a right-to-left page the glyph drawn "(" is mostly a
mirrored ")" (the closing bracket of an Arabic phrase), so it reads ")"; a
bracket read in a right-to-left run is the one typed, one in a left-to-right
run ("GC(66)/RES/6", drawn with the same glyphs) is mirrored back
(:func:`read_rtl`).  Known limit: the UBA's layout is
not one-to-one: "(Arabic) 1996 Latin" and "(Arabic) Latin 1996" look the same;
the second reading is taken.
"""

from __future__ import annotations

import unicodedata

#: the UBA's bidirectional types read as right-to-left letters
_RTL = {"R", "AL"}
#: common separators that join two numbers (UBA type CS)
_CS = {",", ".", "/", ":"}


def bidi_type(text: str) -> str:
    """The UBA type of a unit: that of its first character that is not a mark."""
    for ch in text:
        t = unicodedata.bidirectional(ch)
        if t not in ("NSM", "BN"):
            return t
    return "ON" if text.strip() else "WS"


def has_rtl(text: str) -> bool:
    """Whether the text holds a right-to-left letter (Arabic, Hebrew)."""
    if not text or max(text) < "\u0590":    # nothing from Hebrew on: none (and fast)
        return False
    # (no letter before Hebrew is right-to-left: the others are not looked up)
    return any(unicodedata.bidirectional(ch) in _RTL for ch in set(text) if ch >= "\u0590")


def _kinds(texts: list[str]) -> list[str]:
    """Per unit: "R" (right-to-left letter), "L" (Latin letter), "D" (digit), "N" (other)."""
    out = []
    for t in texts:
        b = bidi_type(t)
        out.append("R" if b in _RTL else "L" if b == "L" else "D" if b in ("EN", "AN") else "N")
    return out


#: brackets: between a Latin word and a number, one that does not close after the number
#: tells that they are not one run ("21-18664 (A)")
_BRACKETS = set("()[]{}")
#: signs that join two European numbers (UBA types ES, and ET after a number)
_SIGNS = set("+-\u2212%\u066a\u2030")
#: punctuation that ends a sentence or a clause: drawn right after a Latin run, it ends it
_FINAL = set(".,;:!?")


def _strong(kind: list[str], i: int, step: int) -> tuple[str | None, int]:
    """The nearest letter ("R"/"L") from unit ``i`` in direction ``step`` and its index."""
    j = i + step
    while 0 <= j < len(kind) and kind[j] not in ("R", "L"):
        j += step
    return (kind[j], j) if 0 <= j < len(kind) else (None, j)


def levels(texts: list[str]) -> list[int]:
    """The level (1 right to left, 2 left to right) of each unit of a right-to-left
    line given left to right as drawn (see module docstring)."""
    kind = _kinds(texts)
    n = len(kind)
    res = list(kind)
    for i in range(n):                       # W7: a number goes on with the Latin on its left
        if kind[i] != "D":
            continue
        left, at = _strong(kind, i, -1)
        between = [texts[k] for k in range(at + 1, i) if kind[k] != "D"]
        tight = all(t.strip() for t in between)
        if left == "L" and (tight or not any(t in _BRACKETS for t in between)):
            res[i] = "L"
    for i in range(1, n - 1):                # W4 (and W2/W5: signs join numbers not after Arabic)
        if res[i] != "N" or res[i - 1] != "D":
            continue
        j = i + 1
        if texts[i] in _CS and res[j] == "D":
            res[i] = "D"
        elif texts[i] in _SIGNS and _strong(kind, i, 1)[0] != "R" and \
                (res[j] == "D" or texts[i] in "%\u066a\u2030"):
            res[i] = "D"
    for i in range(1, n):                    # a Latin run's final punctuation (see above)
        if res[i] != "N" or texts[i] not in _FINAL or i + 1 < n and texts[i + 1].strip():
            continue
        j = i - 1
        while j > 0 and texts[j] in _BRACKETS:
            j -= 1
        if res[j] != "L":
            continue
        res[i] = "L"
        for b in range(j + 1, i):            # each closing bracket's pair goes with it
            k = _partner(texts, kind, b)
            if k is not None:
                res[k] = "L"
    lev = [2 if r in ("L", "D") else 1 if r == "R" else 0 for r in res]
    i = 0
    while i < n:                             # N1/N2: neutrals
        if lev[i]:
            i += 1
            continue
        j = i
        while j < n and not lev[j]:
            j += 1
        before = res[i - 1] if i > 0 else "R"
        after = res[j] if j < n else "R"
        for k in range(i, j):
            lev[k] = 2 if before == after == "L" else 1
        i = j
    return lev


def _partner(texts: list[str], kind: list[str], b: int) -> int | None:
    """The bracket left of bracket ``b`` that pairs with it (drawn as its mirror image,
    nested pairs counted), within the Latin text (no right-to-left letter between)."""
    mirror = texts[b].translate(MIRROR)
    depth = 0
    for k in range(b - 1, -1, -1):
        if kind[k] == "R":
            return None
        if texts[k] == texts[b]:
            depth += 1
        elif texts[k] == mirror:
            if not depth:
                return k
            depth -= 1
    return None


#: a bracket and its mirror image
MIRROR = str.maketrans("()[]{}", ")(][}{")


def read_rtl(texts: list[str]) -> list[tuple[int, str]]:
    """(index, text) of each unit of a right-to-left line (left to right as drawn) in
    logical order, a bracket inside a left-to-right run mirrored (see module
    docstring)."""
    lev = levels(texts)
    return [(k, texts[k].translate(MIRROR) if lev[k] == 2 else texts[k])
            for k in _order(lev)]


def logical_order(texts: list[str]) -> list[int]:
    """The indices of ``texts`` (units of one right-to-left line, left to right as
    drawn) in logical order (see module docstring)."""
    return _order(levels(texts))


def _order(lev: list[int]) -> list[int]:
    """Units read from the right, each run of level 2 from its left."""
    runs: list[list[int]] = []
    for k in range(len(lev)):
        if runs and lev[k] == lev[runs[-1][-1]]:
            runs[-1].append(k)
        else:
            runs.append([k])
    out: list[int] = []
    for run in reversed(runs):
        out.extend(run if lev[run[0]] == 2 else reversed(run))
    return out
