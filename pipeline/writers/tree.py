"""Writer for the tree's own JSON form, versioned (see ``pipeline.ast.to_json``)."""

from __future__ import annotations

from ..ast import Resolution, to_json
from ..options import DEFAULT_WRITE, WriteOptions
from . import Written


def write(res: Resolution, options: WriteOptions = DEFAULT_WRITE) -> Written:
    """The tree as JSON (UTF-8); nothing is lost, so nothing is reported."""
    return Written(to_json(res).encode("utf-8"))
