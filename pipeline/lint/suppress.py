"""Suppressions written in a markdown source: HTML comments, which no output shows.

::

    <!-- unres: ignore UN101 -->
    *Recalling* its resolution 74/299 of 31 August 2020;

- ``<!-- unres: ignore SELECTOR... -->`` on a line (or lines) of its own silences
  those rules for the findings in the paragraph that follows: the next line that
  is neither blank nor another comment, and the lines after it up to the next
  blank line.  Blank lines and other own-line comments may stand between the
  comment and its paragraph (``unres fmt`` writes a blank line there, and keeps
  the comment before its paragraph).
- ``<!-- unres: ignore-file SELECTOR... -->``, anywhere on a line of its own,
  silences them in the whole file (findings of the whole file, such as UN401 on
  the symbol or UN601, included).
- Selectors are those of ``--select`` (``UN101``, ``UN1``, ``punctuation``),
  separated by spaces or commas; none means every rule.

A comment that starts ``unres:`` and says anything else (an unknown directive or
selector) is reported as a warning at its line and silences nothing.  Only
markdown sources are read for suppressions.  Guarantees: nothing here reads a file
or prints; a suppression silences only findings of its own file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..ast import Span
from ..errors import Diagnostic, UsageError
from .select import resolve_all

_COMMENT = re.compile(r"^[ \t]*<!--(.*?)-->[ \t]*$", re.S)
_DIRECTIVE = re.compile(r"^\s*unres\s*:\s*(\S*)\s*(.*?)\s*$", re.S)
DIRECTIVES = ("ignore", "ignore-file")


@dataclass(frozen=True)
class Suppression:
    """Rules (None: all) silenced from line ``first`` to ``last`` (inclusive) of a file;
    ``line`` is where the comment is."""

    line: int
    first: int
    last: int
    rules: frozenset[str] | None

    def covers(self, finding: Diagnostic) -> bool:
        return self.first <= (finding.span.line or 1) <= self.last and \
            (self.rules is None or finding.code in self.rules)


def suppressions(text: str, path: str) -> tuple[list[Suppression], list[Diagnostic]]:
    """The suppressions of a markdown source, and warnings about malformed ones."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    comments: list[tuple[int, int, str]] = []       # (first line, last line, inside), 0-based
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("<!--"):
            start = i
            while "-->" not in lines[i] and i + 1 < len(lines):
                i += 1
            m = _COMMENT.match("\n".join(lines[start:i + 1]))
            if m:
                comments.append((start, i, m.group(1)))
        i += 1
    own = {k for a, b, _ in comments for k in range(a, b + 1)}
    for start, end, inside in comments:
        m = _DIRECTIVE.match(inside)
        if not m:
            continue
        where = Span(path, start + 1, lines[start].find("<!--") + 1)
        directive, rest = m.group(1), m.group(2)
        if directive not in DIRECTIVES:
            problems.append(Diagnostic(f"unknown unres comment {directive!r} (known: "
                                       f"{', '.join(DIRECTIVES)}); it silences nothing", where,
                                       code="lint-suppression"))
            continue
        selectors = [s for s in re.split(r"[\s,]+", rest) if s]
        try:
            rules = frozenset(resolve_all(selectors)) if selectors else None
        except UsageError as e:
            problems.append(Diagnostic(f"{e.message}; this comment silences nothing", where,
                                       code="lint-suppression"))
            continue
        if directive == "ignore-file":
            found.append(Suppression(start + 1, 1, max(len(lines), 1), rules))
            continue
        k = end + 1
        while k < len(lines) and (not lines[k].strip() or k in own):
            k += 1
        if k >= len(lines):
            problems.append(Diagnostic("no paragraph follows this unres comment; it silences "
                                       "nothing", where, code="lint-suppression"))
            continue
        last = k
        while last + 1 < len(lines) and lines[last + 1].strip() and last + 1 not in own:
            last += 1
        found.append(Suppression(start + 1, k + 1, last + 1, rules))
    return found, problems


def apply(findings: Iterable[Diagnostic], by_file: dict[str, list[Suppression]]
          ) -> tuple[list[Diagnostic], int]:
    """The findings no suppression covers, and how many were silenced."""
    kept, silenced = [], 0
    for f in findings:
        if any(s.covers(f) for s in by_file.get(f.span.file, ())):
            silenced += 1
        else:
            kept.append(f)
    return kept, silenced


__all__ = ["DIRECTIVES", "Suppression", "apply", "suppressions"]
