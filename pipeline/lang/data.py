"""The data files: ``<code>.toml`` per language and ``common.toml``, read once."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def common() -> dict:
    """``common.toml``: data shared by every language."""
    with open(DIR / "common.toml", "rb") as fh:
        return tomllib.load(fh)


def read(code: str) -> dict:
    """``<code>.toml`` as a dict (not cached: :func:`pipeline.lang.get` caches the language)."""
    with open(DIR / f"{code}.toml", "rb") as fh:
        return tomllib.load(fh)
