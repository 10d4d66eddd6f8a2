"""Markdown's own syntax where it looks like a UN number: the marker of an ordered
list item ("12." or "12)" opening a line), which the markdown reader reads off the
source and the markdown writer escapes in a text line that would otherwise open a list.

This is no language's knowledge (CommonMark reads "12." the same in an Arabic or a
Chinese line), so it is a function of the package, not a :class:`~pipeline.lang.Language`
method: the markdown reader meets the marker before it knows the language, and the
writer's escaping needs none.  It lives here because every number pattern does
(``tests/test_lang_guard.py``); its shape is data, ``[markup]`` of ``common.toml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .data import common


@lru_cache(maxsize=None)
def _marker() -> re.Pattern:
    return re.compile(common()["markup"]["ordered_list_marker"])


def ordered_list_number(line: str) -> str | None:
    """The digits of the ordered list marker that opens ``line``: one to nine digits,
    then "." or ")" ("12. Decides" -> "12", "3)" -> "3"), with nothing before them (the
    caller strips the indentation it allows).  What follows is not looked at ("1.5"
    opens with "1."): the writer escapes such a line all the same.  Else None
    ("1234567890." has too many digits; "12a." and "(a)" are none)."""
    m = _marker().match(line)
    return m["n"] if m else None
