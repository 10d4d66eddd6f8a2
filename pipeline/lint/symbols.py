"""UN401: document symbols are well formed.

Checked: the resolution's own symbol (``meta.symbol``, each component's too),
the drafts and reports of the committee line (``meta.proponent.drafts``) and
every symbol cited in the text (``DocRef.symbol``, notes included).

A well-formed symbol (ST/SGB/2019/8, A/71/L.17/Add.1, A/C.3/75/L.20) is a
series in capitals, then parts joined by single slashes, each part letters and
digits with inner dots or hyphens (L.17, Add.1, ES-10, CONF.VI); no space
except before a final parenthesis (S/RES/2722 (2024), A/80/6 (Sect. 8)) or a
part letter (A/RES/75/253 C); no part all in small letters; "Add.", "Corr.",
"Rev.", "Amend." start a part of their own.  The series the issue names have
a fixed shape:

- A/RES/<session>/<number> (session 1-99, or ES-n, S-n), with an optional part
  letter; the old form A/RES/<number> (<roman session>);
- E/RES/<year>/<number>; the old form E/RES/<number> (<roman session>);
- S/RES/<number> (<year>);
- A/HRC/RES/<session>/<number>;
- drafts and reports of the General Assembly: A/<session>/L.<n> or
  A/<session>/<n>, then /Add.n, /Rev.n, /Corr.n parts.

The resolution's symbol must also agree with its number ("71/19" in A/RES/71/19).
"""

from __future__ import annotations

import re

from ..ast import DocRef
from .base import Doc, all_runs, finding, rule, walk_inlines

_PART = r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*"
_PAREN = r"\((?:\d{4}|[IVXLC]+|ES-[IVXLC]+|S-[IVXLC]+|[A-Za-z][A-Za-z0-9 .\-]*)\)"
_GENERIC = re.compile(rf"(?P<series>[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)?)(?:/{_PART})+"
                      rf"(?:\s?{_PAREN}(?:/{_PART})*)?(?:\s[A-Z](?:-[A-Z])?)?")
_LETTER = r"(?:\s?[A-Z](?:-[A-Z])?|[a-z](?:-[a-z])?)?"
_ROMAN = r"\s?\((?:[IVXL]+|ES-[IVXL]+|S-[IVXL]+)\)"
_SUFFIXES = r"(?:/(?:Add|Rev|Corr|Amend)\.\d+)*"
SHAPES: tuple[tuple[str, re.Pattern], ...] = (
    ("A/RES/", re.compile(rf"A/RES/(?:(?:[1-9]\d?|ES-\d{{1,2}}|S-\d{{1,2}})/\d{{1,4}}{_LETTER}"
                          rf"|\d{{1,4}}{_LETTER}{_ROMAN}{_LETTER})")),
    ("E/RES/", re.compile(rf"E/RES/(?:(?:19[4-9]\d|2\d{{3}})/\d{{1,3}}{_LETTER}"
                          rf"|\d{{1,4}}{_LETTER}{_ROMAN})")),
    ("S/RES/", re.compile(r"S/RES/\d{1,4}\s?\((?:19[4-9]\d|2\d{3})\)")),
    ("A/HRC/RES/", re.compile(r"A/HRC/RES/(?:S-)?\d{1,2}/\d{1,3}")),
)
_GA_DOC = re.compile(rf"A/(?:[1-9]\d?|ES-\d{{1,2}}|S-\d{{1,2}})/(?:L\.\d{{1,4}}|\d{{1,4}})"
                     rf"(?:\s?{_PAREN})?{_SUFFIXES}")
_GLUED = re.compile(r"[A-Za-z0-9](?:Add|Rev|Corr|Amend)\.\d")
_LOWER_PART = re.compile(r"(?:^|/)[a-z]+(?:\.\d+)?(?=/|$)")


def symbol_problem(symbol: str, *, draft: bool = False) -> str | None:
    """What is wrong with a UN document symbol, or None when it is well formed.

    ``draft``: the symbol names the draft or report a resolution was adopted on
    (General Assembly ones must be A/<session>/L.<n> or A/<session>/<n>...).
    """
    s = symbol or ""
    if not s.strip():
        return "empty symbol"
    if s != s.strip():
        return "space at the start or end"
    if "//" in s or s.endswith(("/", ".")):
        return "empty part (double or final slash, final dot)"
    if m := _GLUED.search(s):
        return f"{m.group(0)[1:-1]!r} must start a part of its own (/{m.group(0)[1:]})"
    if m := _LOWER_PART.search(s.split("(")[0]):
        return f"part {m.group(0).strip('/')!r} must be in capitals"
    if not _GENERIC.fullmatch(s):
        if re.search(r"\s", s):
            return "space inside the symbol"
        if not re.match(r"[A-Z]", s):
            return "a symbol starts with its series in capitals (A/, S/, E/ ...)"
        return "not a UN symbol (series/part/part...)"
    for prefix, shape in SHAPES:
        if s.upper().startswith(prefix) and not shape.fullmatch(s):
            return f"not of the form of {prefix}... symbols ({_EXAMPLES[prefix]})"
    if draft and s.startswith("A/") and not s.startswith(("A/RES/", "A/HRC/", "A/C.")) \
            and not _GA_DOC.fullmatch(s):
        return "a General Assembly draft or report is A/<session>/L.<n> or A/<session>/<n> " \
               "(then /Add.n, /Rev.n, /Corr.n)"
    return None


_EXAMPLES = {"A/RES/": "A/RES/71/19, A/RES/75/253 C, A/RES/377 (V)",
             "E/RES/": "E/RES/2022/1",
             "S/RES/": "S/RES/2722 (2024)",
             "A/HRC/RES/": "A/HRC/RES/52/1"}


def _number_of(symbol: str) -> str:
    """The resolution number part of a resolution symbol ("A/RES/75/253 C" -> "75/253")."""
    s = re.sub(r"\s[A-Z](?:-[A-Z])?$", "", symbol)
    m = re.match(r"[A-Z]+(?:/[A-Z]+)*/RES/(.+)$", s)
    return m.group(1) if m else ""


@rule("UN401", "symbol-format", "error",
      "document symbols are well formed (A/RES/71/19, A/71/L.17/Add.1, E/RES/2022/1, "
      "S/RES/2722 (2024))")
def check_symbols(doc: Doc):
    """Document symbols are well formed: the resolution's own (which must agree
    with its number), the drafts of the committee line, and every symbol cited
    in the text.  A symbol is a series in capitals, then parts joined by single
    slashes; A/RES/, E/RES/, S/RES/ and A/HRC/RES/ symbols and General Assembly
    drafts have fixed shapes (A/RES/71/19, E/RES/2022/1, S/RES/2722 (2024),
    A/71/L.17/Add.1).  A resolution without a symbol gives a warning.

    Wrong:

        [without reference to a Main Committee (A/80/L23 and A/80/L23Add.1)]

    Right:

        [without reference to a Main Committee (A/80/L.23 and A/80/L.23/Add.1)]
    """
    top = doc.res.meta
    metas = [top] + [m for m, _ in doc.res.texts() if m is not top]
    seen: set[str] = set()
    for meta in metas:
        sym = meta.symbol
        if sym and sym not in seen:
            seen.add(sym)
            if problem := symbol_problem(sym):
                yield finding("UN401", f"symbol {sym!r}: {problem}", doc.span())
            elif meta.number and (num := _number_of(sym)) and \
                    num.replace(" ", "") != meta.number.replace(" ", ""):
                yield finding("UN401", f"symbol {sym!r} does not agree with the resolution "
                                       f"number {meta.number!r}", doc.span())
        for d in meta.proponent.drafts:
            if d not in seen:
                seen.add(d)
                if problem := symbol_problem(d, draft=True):
                    yield finding("UN401", f"draft symbol {d!r}: {problem}", doc.span())
    if not top.symbol:
        yield finding("UN401", "the resolution has no symbol", doc.span(), level="warning")
    for _meta, body in doc.res.texts():
        for owner, run in all_runs(body):
            for n in walk_inlines(run):
                if isinstance(n, DocRef) and (problem := symbol_problem(n.symbol)):
                    yield finding("UN401", f"cited symbol {n.symbol!r}: {problem}",
                                  doc.span(owner))
