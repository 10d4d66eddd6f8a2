"""Writer for the tree's own JSON form, versioned (see ``pipeline.ast.to_json``)."""

from __future__ import annotations

from ..ast import Resolution, to_json


def write(res: Resolution, *, warnings: list | None = None) -> bytes:
    return to_json(res).encode("utf-8")
