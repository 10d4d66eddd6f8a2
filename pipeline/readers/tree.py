"""Reader for the tree's own JSON form (``unres parse`` output)."""

from __future__ import annotations

import json
import re

from ..ast import ASTVersionError, Span, from_json
from ..errors import ReadError
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read tree JSON; a wrong ``ast_version`` or malformed JSON is a ReadError.

    The tree carries its own language; ``options`` change nothing here."""
    try:
        text = data.decode("utf-8")
        _only_writable_escapes(text, path)
        return Parsed(from_json(text))
    except json.JSONDecodeError as e:
        raise ReadError(f"not valid JSON: {e.msg}", Span(path, e.lineno, e.colno)) from None
    except UnicodeDecodeError as e:
        raise ReadError(f"not UTF-8 text (byte {e.start})", Span(path, 1, 1)) from None
    except (ASTVersionError, ValueError, TypeError, KeyError) as e:
        raise ReadError(f"not a resolution tree: {e}", Span(path, 1, 1)) from None


#: an escape of half a surrogate pair (``\\uD800``-``\\uDFFF``) not itself escaped, with the
#: low half that may follow a high one; or of a control character no output can hold
#: (C0 but tab and line ends, DEL, C1)
_SURROGATE = re.compile(r"""(?<!\\) ((?:\\\\)*)
                            \\u([dD][89abAB][0-9a-fA-F]{2}) (\\u[dD][c-fC-F][0-9a-fA-F]{2})?
                          | (?<!\\) ((?:\\\\)*) \\u[dD][c-fC-F][0-9a-fA-F]{2}""", re.X)
_CONTROL = re.compile(r"""(?<!\\) ((?:\\\\)*)
                          \\(?: u00(?:0[0-8bBcCe-fE-F]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])
                              | [bf])""", re.X)


def _only_writable_escapes(text: str, path: str) -> None:
    """A ReadError at the first escape of half a surrogate pair (``\\ud800`` alone) or of a
    control character (``\\u0008``, ``\\b``): JSON allows them, but no output can hold
    them."""
    m = _CONTROL.search(text)
    if m:
        at = m.start() + len(m.group(1))
        raise ReadError("a string holds a control character (escaped), which no output can "
                        "hold", _where(text, at, path))
    for m in _SURROGATE.finditer(text):
        if m.group(2) and m.group(3):
            continue                # a high half followed by its low half: one character
        at = m.start() + len(m.group(1) or m.group(4) or "")
        raise ReadError("a string holds half of a surrogate pair (\\uD800-\\uDFFF escaped "
                        "alone), which is not a character", _where(text, at, path))


def _where(text: str, at: int, path: str) -> Span:
    line = text.count("\n", 0, at) + 1
    return Span(path, line, at - (text.rfind("\n", 0, at) + 1) + 1)
