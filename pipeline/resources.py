"""Where the pipeline's own files are: the styles (CSS, HTML template, Word template).

In the repository they are ``styles/`` at the top, where designers edit them;
an installed package (a wheel, ``pip install .``, a pre-commit hook
environment) carries the same files as ``pipeline/styles/`` (see
``pyproject.toml``).  Every module that reads a style file asks here.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _styles() -> Path:
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if (candidate / "css").is_dir():
            return candidate
    return _PACKAGE / "styles"  # reported by the first reader of a style file


#: the styles directory (css/, html/, docx/)
STYLES: Path = _styles()
