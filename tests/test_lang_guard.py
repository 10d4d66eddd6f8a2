"""Language knowledge only in ``pipeline/lang/``: no operative-number or item-label
pattern anywhere else in ``pipeline/``.

What counts as such a pattern
-----------------------------
Every string literal of ``pipeline/**/*.py`` outside ``pipeline/lang/`` is read as a
regular expression (docstrings excepted; an f-string is read with its replacement
fields as nothing and as an empty group, ``(?:)``; flags are not applied).  A literal that does not compile is no
pattern.  The expression is cut into *atoms*, the parts that each match one
character (a literal, a class, ``\\d``, ``.``), and the guard follows which atom
can match the character right after which: through groups, alternatives,
optional and repeated parts, and into a lookahead (``\\d+(?=\\.)``); anchors,
lookbehinds and negative lookaheads are transparent.  The literal is an
operative-number or item-label pattern when it has

- **number**: an atom matching digits only, followed by one matching a full
  stop ("." or "．") and no letter or digit: "1.", "12 ." (``\\d{1,3}\\s*\\.``);
- **label**: an atom matching two letters or more, lower-case Latin or Cyrillic
  or of a caseless script (Arabic, Han), and no capital, ASCII digit, space or
  punctuation, followed by one matching a closing parenthesis and no letter or
  digit: "(a)",
  "a)", "(iv)", "а)", "(أ)", "(十一)" (``\\(?[a-z]{1,4}\\)``, ``\\([ivxlc]+\\)``);
  a class that admits capitals matches words and symbols ("(Vol. I)", "(XXI)"),
  not labels;
- **roman**: an atom matching capital roman digits only (two of I V X L C D M
  or more), followed by a full stop: "IV." (``[IVXLC]+\\.?``);
- **ideograph label**: a class matching two parenthesized ideographs ㈠-㈩ or
  more and no Latin letter or digit (``[\\u3220-\\u3229]``; a lone "㈠" in a
  message is no pattern);
- **quoted number label**: an atom matching only quotation marks followed by one
  matching digits only: "’1‘" (``[’‘]\\d+``).

Footnote markers ("12" alone, "(1)"), years, symbols and page numbers are none of
these.  Patterns built at run time (``re.escape``, joined strings) are not read.

The allowlist
-------------
:data:`ALLOWED` names, file by file, the literals that are still outside
``pipeline/lang/`` in files other people are moving or rewriting in parallel
(the page-recovery modules under ``pipeline/readers/``, the text/PDF/markdown
readers, the writers), each with what replaces it.  It is temporary and is empty
now; an entry that matches nothing is itself a failure, so that no exception
outlives its offender.
"""

from __future__ import annotations

import ast
import re
import re._constants as C
import re._parser as P
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "pipeline"
LANG = PIPELINE / "lang"

#: (file, the literal's value, what replaces it), for literals still outside
#: ``pipeline/lang/`` in files that other work is moving or rewriting.  Empty: every
#: number and label pattern of the readers and writers is now a ``pipeline.lang``
#: method (the printed-line shapes of ``lang/lines.py``, markdown's list marker of
#: ``lang/markup.py``).  An entry is temporary (see the module docstring): remove it
#: with its offender.  An entry covers every occurrence of that literal in that file.
ALLOWED: tuple[tuple[str, str, str], ...] = ()


# ------------------------------------------------------------------ the scanner

#: one character of each kind the rules ask about
_DIGITS = "0123456789" "٠١٢٣٤٥٦٧٨٩" "۰۱۲۳۴۵۶۷۸۹" "０１２３４５６７８９"
_LOWER = "abcdefghijklmnopqrstuvwxyz" + "".join(map(chr, range(0x430, 0x450)))
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(map(chr, range(0x410, 0x430)))
_CASELESS = "".join(map(chr, range(0x621, 0x64B))) + "一二三四五六七八九十百"
_LETTERS = _LOWER + _UPPER + _CASELESS
_IDEOGRAPH_LABELS = "".join(map(chr, range(0x3220, 0x322A)))
_QUOTES = "’‘'"
_OTHER = ".．。()（）-–—/,;:*_ \t\n" + _QUOTES
_PROBE = _DIGITS + _LETTERS + _IDEOGRAPH_LABELS + _OTHER
_ROMAN = set("IVXLCDM")


def _category(cat, ch: str) -> bool:
    name = cat.name
    if "DIGIT" in name:
        hit = ch.isdecimal()
    elif "SPACE" in name:
        hit = ch.isspace()
    elif "WORD" in name:
        hit = ch.isalnum() or ch == "_"
    elif "LINEBREAK" in name:
        hit = ch == "\n"
    else:
        return False
    return not hit if "_NOT_" in name else hit


def _in_set(items, ch: str) -> bool:
    hit, negate = False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit |= ch == chr(av)
        elif op is C.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op is C.CATEGORY:
            hit |= _category(av, ch)
    return hit != negate


def _charset(op, av) -> frozenset[str] | None:
    """The probe characters an atom matches; None when (op, av) is no atom."""
    if op is C.LITERAL:
        return frozenset(chr(av)) & frozenset(_PROBE) or frozenset(chr(av))
    if op is C.NOT_LITERAL:
        return frozenset(c for c in _PROBE if c != chr(av))
    if op is C.ANY:
        return frozenset(c for c in _PROBE if c != "\n")
    if op is C.IN:
        return frozenset(c for c in _PROBE if _in_set(av, c))
    return None


@dataclass
class _Node:
    first: set[int]
    last: set[int]
    nullable: bool


class _Follow:
    """Atoms of one parsed expression and the pairs (a, b): b can match right after a."""

    def __init__(self, parsed):
        self.atoms: list[frozenset[str]] = []
        self.pairs: set[tuple[int, int]] = set()
        self.seq(list(parsed))

    def seq(self, items) -> _Node:
        first: set[int] = set()
        last: set[int] = set()
        nullable = True
        for op, av in items:
            n = self.item(op, av)
            for a in last:
                for b in n.first:
                    self.pairs.add((a, b))
            if nullable:
                first |= n.first
            last = (last | n.last) if n.nullable else set(n.last)
            nullable = nullable and n.nullable
        return _Node(first, last, nullable)

    def item(self, op, av) -> _Node:
        chars = _charset(op, av)
        if chars is not None:
            self.atoms.append(chars)
            k = len(self.atoms) - 1
            return _Node({k}, {k}, False)
        if op is C.SUBPATTERN:
            return self.seq(av[-1])
        if op is C.ATOMIC_GROUP:
            return self.seq(av)
        if op is C.BRANCH:
            parts = [self.seq(b) for b in av[1]]
            return _Node(set().union(*(p.first for p in parts)),
                         set().union(*(p.last for p in parts)),
                         any(p.nullable for p in parts))
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            n = self.seq(sub)
            if hi > 1:
                for a in n.last:
                    for b in n.first:
                        self.pairs.add((a, b))
            return _Node(n.first, n.last, lo == 0 or n.nullable)
        if op is C.ASSERT:
            direction, sub = av
            n = self.seq(sub)
            if direction > 0:          # a lookahead: what it sees follows
                return _Node(n.first, set(), True)
            return _Node(set(), set(), True)
        if op is C.ASSERT_NOT:
            self.seq(av[1])
            return _Node(set(), set(), True)
        if op is C.GROUPREF_EXISTS:
            _, yes, no = av
            parts = [self.seq(yes)] + ([self.seq(no)] if no else [])
            return _Node(set().union(*(p.first for p in parts)),
                         set().union(*(p.last for p in parts)), True)
        return _Node(set(), set(), True)   # anchors, group references


def _only(chars: frozenset[str], allowed: str) -> bool:
    return bool(chars) and chars <= set(allowed)


def _digits(s):
    return _only(s, _DIGITS)


def _full_stop(s):
    return bool(s & {".", "．"}) and not s & set(_DIGITS + _LETTERS)


def _close_paren(s):
    return bool(s & {")", "）"}) and not s & set(_DIGITS + _LETTERS)


def _label_letters(s):
    letters = s & set(_LOWER + _CASELESS)
    return len(letters) >= 2 and not s & set(_UPPER + "0123456789" + _OTHER)


def _roman(s):
    return len(s) >= 2 and s <= _ROMAN


def _ideograph_label(s):
    return len(s & set(_IDEOGRAPH_LABELS)) >= 2 and not s & set(_DIGITS + _LOWER + _UPPER)


def _quotes(s):
    return _only(s, _QUOTES)


def shapes(pattern: str) -> set[str]:
    """The shapes (number, label, roman, ideograph label, quoted number label)
    that ``pattern`` matches, read as a regular expression (see module docstring)."""
    try:
        parsed = P.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return set()
    f = _Follow(parsed)
    out = {"ideograph label" for s in f.atoms if _ideograph_label(s)}
    for a, b in f.pairs:
        x, y = f.atoms[a], f.atoms[b]
        if _digits(x) and _full_stop(y):
            out.add("number")
        if _label_letters(x) and _close_paren(y):
            out.add("label")
        if _roman(x) and _full_stop(y):
            out.add("roman")
        if _quotes(x) and _digits(y):
            out.add("quoted number label")
    return out


@dataclass(frozen=True)
class Offender:
    path: str          # relative to the repository root
    line: int
    pattern: str
    shapes: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {', '.join(self.shapes)} pattern {self.pattern!r}"


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                out.add(id(body[0].value))
    return out


def _literals(tree: ast.AST):
    """(line, value) of every string literal but docstrings; an f-string twice, its
    replacement fields as nothing and as ``(?:)``."""
    skip = _docstrings(tree)
    inside_f: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for field in ("", "(?:)"):
                parts = []
                for v in node.values:
                    inside_f.add(id(v))
                    if isinstance(v, ast.Constant):
                        parts.append(str(v.value))
                    else:
                        parts.append(field)
                        for sub in ast.walk(v):
                            if sub is not v:
                                inside_f.add(id(sub))
                yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in skip and id(node) not in inside_f:
            yield node.lineno, node.value


def scan(root: Path, base: Path = ROOT, skip: Path | None = LANG) -> list[Offender]:
    """Every operative-number or item-label pattern in ``root``'s Python files,
    those under ``skip`` aside."""
    out = []
    for path in sorted(root.rglob("*.py")):
        if skip is not None and path.is_relative_to(skip):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, value in _literals(tree):
            found = shapes(value)
            if found:
                out.append(Offender(path.relative_to(base).as_posix(), line, value,
                                    tuple(sorted(found))))
    return sorted(set(out), key=lambda o: (o.path, o.line, o.pattern))


# ------------------------------------------------------------------------ tests

def test_no_number_or_label_pattern_outside_lang():
    offenders = scan(PIPELINE)
    allowed = {(p, pat) for p, pat, _ in ALLOWED}
    new = [str(o) for o in offenders if (o.path, o.pattern) not in allowed]
    assert not new, ("operative-number or item-label patterns outside pipeline/lang/: use the "
                     "language's methods (pipeline.lang) instead:\n  " + "\n  ".join(new))


def test_allowlist_has_no_stale_entry():
    found = {(o.path, o.pattern) for o in scan(PIPELINE)}
    stale = [f"{p}: {pat!r}" for p, pat, _ in ALLOWED if (p, pat) not in found]
    assert not stale, "allowlist entries that match nothing (remove them):\n  " + "\n  ".join(stale)


def test_a_stale_entry_fails(monkeypatch):
    """The allowlist may be empty, and an entry that matches nothing still fails."""
    import sys

    stale = ("pipeline/readers/common.py", r"^\s*(\d{1,3})\s*\.(?!\d)\s*", "gone")
    monkeypatch.setattr(sys.modules[__name__], "ALLOWED", (stale,))
    with pytest.raises(AssertionError, match="match nothing"):
        test_allowlist_has_no_stale_entry()


def test_allowlist_names_files_of_other_parts_only():
    """The allowlist is for files being moved or rewritten elsewhere, not for lang's callers."""
    moving = ("pipeline/readers/pdf/layout.py", "pipeline/readers/page/furniture.py",
              "pipeline/readers/page/lines.py", "pipeline/readers/common.py",
              "pipeline/readers/markdown.py")
    for path, _, replacement in ALLOWED:
        assert path in moving or path.startswith("pipeline/writers/"), path
        assert replacement


@pytest.mark.parametrize("pattern", [
    r"^\s*(\d{1,3})\s*\.(?!\d)",            # "1."
    r"^\s*\d+\s*[.\-\u2013\uff0e]?\s",      # "1.", "1 -", "1．", "1"
    r"\d{1,9}(?=[.)])",                     # a lookahead sees the full stop
    r"^\(?[a-z]{1,4}\)\s",                  # "(a) ", "a) "
    r"^\([ivxlc]+\)",                       # "(iv)"
    r"\(?[\u0430-\u044f]{1,2}\)",           # Cyrillic "а)"
    r"\([\u0600-\u06ff]{1,3}\)",            # "(أ)"
    r"[(（][一二三四五六七八九十]+[)）]",      # "(十一)"
    r"^\s*[IVXLC]+\.?\s*$",                 # "IV."
    r"[\u3220-\u3229]",                     # "㈠"
    r"[’‘]\d{1,2}[’‘]",                     # "’1‘"
    r"(?i)^(?:[-*]\s+)?(\d{1,3})\s*[.．]",   # flags do not hide it
])
def test_shapes_caught(pattern):
    assert shapes(pattern), pattern


@pytest.mark.parametrize("pattern", [
    r"^\s*(\d{1,3})\s*$",                   # a footnote number alone
    r"\(?\d{1,3}\)?[,;:]?$",                # a small number, maybe in brackets
    r"(?:19|20)\d\d$",                      # a year
    r"\d+\s?/\s?\d+",                       # "71/19"
    r"[A-Za-z0-9.\-]+",                     # a symbol part
    r"\((?:\d{4}|[IVXL]+|S-[IVXL]+)\)",      # a symbol's session "(XXI)"
    r"[A-Za-z][A-Za-z0-9 .\-]*\)",           # a symbol's parenthesis "(Vol. I)"
    r"(Add|Rev|Corr)\.\d+",                 # "Add.1"
    r"[^()（）]*\)",                          # anything in brackets
    r"\(resumed\)",                         # words in brackets
    r"(?<![A-Za-z0-9/])\d+\.\d+",            # a decimal: the dot has a digit after? still
    "1.", "(a)", "IV.",                     # plain strings: no pattern of a number
    "[unclosed",
])
def test_not_shapes(pattern):
    if pattern == r"(?<![A-Za-z0-9/])\d+\.\d+":
        # a decimal number does have a digit before a full stop: it counts
        assert shapes(pattern) == {"number"}
        return
    assert not shapes(pattern), pattern


def test_planted_offender_is_caught(tmp_path):
    pkg = tmp_path / "pipeline"
    (pkg / "lang").mkdir(parents=True)
    (pkg / "normalize").mkdir()
    (pkg / "lang" / "numbers.py").write_text('NUM = r"^(\\d{1,3})\\."\n', encoding="utf-8")
    (pkg / "normalize" / "new.py").write_text(
        'r"""Docstring: r"^(\\d{1,3})\\." is prose here."""\n'
        "import re\n"
        "\n"
        "_OK = re.compile(r\"\\d{4}\")\n"
        "_NUM = re.compile(r\"^\\s*(\\d{1,3})\\s*\\.\\s\")\n"
        "def f(x, cls):\n"
        "    return re.match(rf\"^\\(?[{cls}a-z]{{1,4}}\\)\", x)\n",
        encoding="utf-8")
    found = scan(pkg, base=tmp_path, skip=pkg / "lang")
    assert [(o.path, o.line, o.shapes) for o in found] == [
        ("pipeline/normalize/new.py", 5, ("number",)),
        ("pipeline/normalize/new.py", 7, ("label",)),
    ]
