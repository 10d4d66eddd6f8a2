"""What every writer needs the same way: the space where a lead phrase meets its body.

The tree keeps no whitespace at that junction (see :mod:`pipeline.normalize.leads`);
each writer puts one back with :func:`lead_gap`.
"""

from __future__ import annotations

from ..ast import FootnoteRef, Inline, LineBreak, plain_text

_NO_SPACE_BEFORE = ",.;:!?)]}،؛…"


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF \
        or 0x3000 <= o <= 0x303F


def needs_gap(lead: tuple[Inline, ...], body: tuple[Inline, ...]) -> bool:
    """Whether a space separates lead and body.

    Yes unless either side is already a space, a CJK character touches the junction,
    or the body opens with closing punctuation or a footnote call.
    """
    a, b = plain_text(lead), plain_text(body)
    if not a or not body or isinstance(body[0], (FootnoteRef, LineBreak)):
        return False
    if not b:
        return False
    x, y = a[-1], b[0]
    if x.isspace() or y.isspace() or is_cjk(x) or is_cjk(y):
        return False
    return y not in _NO_SPACE_BEFORE


def lead_gap(lead: tuple[Inline, ...], body: tuple[Inline, ...]) -> str:
    """" " or "" to put between a lead phrase and its body."""
    return " " if needs_gap(lead, body) else ""
