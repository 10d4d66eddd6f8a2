"""Lines that run several masthead or closing fields together.

Some extractors flatten the two-column masthead and the two-line closing into
one line each: "General Assembly Distr.: General 15 October 2025",
"Eightieth session Agenda item 13 Integrated and coordinated ...",
"18th plenary meeting 14 October 2025".  :func:`split_fields` cuts such a
line, at spaces, into consecutive pieces that the language's own line
parsers read whole.

Guarantees: the pieces, joined with single spaces, are the line with its
spaces collapsed (no text is lost or reordered); each piece but an allowed
tail is read whole by one of the parsers; a line that cannot be cut so gives
``None`` and is left to the caller's diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Parser = Callable[[str], Any]

#: lines longer than this (in words) are body text, not run-together fields
MAX_WORDS = 60


def split_fields(line: str, parsers: Sequence[tuple[str, Parser]], *,
                 tail_after: str | None = None) -> list[tuple[str, str, Any]] | None:
    """``line`` as [(field name, piece, parsed value), ...], or None.

    At each position the longest run of words that one of ``parsers`` reads
    (a non-None result) is taken.  When the piece before an unreadable rest
    was read by the parser named ``tail_after`` (the agenda item, whose title
    follows it), the rest is returned whole as ("tail", rest, None).  A line
    that is a single field is not "run together" and gives None too.
    """
    words = line.split()
    if len(words) < 2 or len(words) > MAX_WORDS:
        return None
    out: list[tuple[str, str, Any]] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            piece = " ".join(words[i:j])
            hit = next(((name, value) for name, parse in parsers
                        if (value := parse(piece)) is not None), None)
            if hit:
                out.append((hit[0], piece, hit[1]))
                i = j
                break
        else:
            if out and tail_after is not None and out[-1][0] == tail_after:
                out.append(("tail", " ".join(words[i:]), None))
                break
            return None
    return out if len(out) > 1 else None
