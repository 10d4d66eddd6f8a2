"""The theme: page templates (Jinja2), styles, scripts and the site's own words.

The default theme is ``styles/site/`` (installed as ``pipeline/styles/site``):
``templates/*.html``, ``site.css``, ``site.js``, ``search.js`` and ``labels.toml``.
A publisher's theme (``unres site --theme DIR``) has the same layout and needs only
the files it changes: a template, a stylesheet or a label it lacks is the default's.
The resolution text's own look (the HTML writer's ``styles/css``) is served beside
them as ``doc.css`` and ``lang-<code>.css``.

Guarantees: every template is autoescaped (HTML and XML), undefined names are
errors, not empty strings; the theme's digest covers every file it reads, so a
changed template rebuilds the pages and nothing else.
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import cached_property
from pathlib import Path

import jinja2

from ..errors import UsageError
from ..resources import STYLES
from ..ast import Span

DEFAULT = STYLES / "site"
_CODE = Path(__file__).resolve().parent

#: files served from _assets/: name on the site -> (theme file, or a writer stylesheet)
ASSETS = ("site.css", "site.js", "search.js", "favicon.svg")


class Theme:
    """The default theme, with a publisher's files over it."""

    def __init__(self, override: Path | None = None):
        self.dirs = [d for d in (override, DEFAULT) if d is not None]
        if override is not None and not override.is_dir():
            raise UsageError("the theme is not a folder", Span(str(override), 1, 1))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d / "templates"))
                                        for d in self.dirs]),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False,
            keep_trailing_newline=True)

    def file(self, name: str) -> Path:
        for d in self.dirs:
            if (d / name).is_file():
                return d / name
        raise UsageError(f"the theme has no {name}", Span(str(self.dirs[0]), 1, 1))

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for d in reversed(self.dirs):
            p = d / "labels.toml"
            if p.is_file():
                with open(p, "rb") as f:
                    for lang, table in tomllib.load(f).items():
                        out.setdefault(lang, {}).update(table)
        return out

    def ui(self, lang: str) -> dict[str, str]:
        """The site's words in ``lang`` (English for a word the language lacks)."""
        return {**self.labels.get("en", {}), **self.labels.get(lang, {})}

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    @cached_property
    def digest(self) -> str:
        """What the site's pages depend on besides their data: the site's code and every
        theme file (the default's and the publisher's)."""
        h = hashlib.sha256()
        for root in [_CODE] + self.dirs:
            for p in sorted(root.rglob("*")):
                if p.is_file() and "__pycache__" not in p.parts:
                    h.update(str(p.relative_to(root)).encode())
                    h.update(p.read_bytes())
        return h.hexdigest()
