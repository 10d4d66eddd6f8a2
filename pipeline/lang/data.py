"""The data files: ``<code>.toml`` per language and ``common.toml``, read once.

:mod:`tomllib` is imported on the first read, not with :mod:`pipeline.lang`, which
everything imports."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent


def _toml(name: str) -> dict:
    import tomllib

    with open(DIR / name, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def common() -> dict:
    """``common.toml``: data shared by every language."""
    return _toml("common.toml")


def read(code: str) -> dict:
    """``<code>.toml`` as a dict (not cached: :func:`pipeline.lang.get` caches the language)."""
    return _toml(f"{code}.toml")
