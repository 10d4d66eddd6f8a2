"""Reader for the tree's own JSON form (``unres parse`` output)."""

from __future__ import annotations

import json

from ..ast import ASTVersionError, Span, from_json
from ..errors import ReadError
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read tree JSON; a wrong ``ast_version`` or malformed JSON is a ReadError.

    The tree carries its own language; ``options`` change nothing here."""
    try:
        return Parsed(from_json(data.decode("utf-8")))
    except json.JSONDecodeError as e:
        raise ReadError(f"not valid JSON: {e.msg}", Span(path, e.lineno, e.colno)) from None
    except UnicodeDecodeError as e:
        raise ReadError(f"not UTF-8 text (byte {e.start})", Span(path, 1, 1)) from None
    except (ASTVersionError, ValueError, TypeError, KeyError) as e:
        raise ReadError(f"not a resolution tree: {e}", Span(path, 1, 1)) from None
