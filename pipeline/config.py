"""Configuration of a repository of resolution sources: ``unres.toml`` or
``[tool.unres]`` in ``pyproject.toml``.

The file is looked for from the current directory upwards; the first
``unres.toml``, or ``pyproject.toml`` with a ``[tool.unres]`` table, wins, and
its directory is the *project root*.  Without one, the root of the git work
tree around the current directory is the project root (so that a pre-commit
hook, which names files, and a build of the whole tree agree on where outputs
go); outside any, there is none.

Settings (command-line options override each)::

    [tool.unres]
    formats = ["akn", "html"]        # or "akn,html"
    output = "outputs"               # output directory, relative to the project root
    lang = "en"                      # language of sources that do not say
    source-root = "res"              # outputs mirror the sources' places under this folder
    exclude = ["drafts/", "*.notes.md"]   # added to the defaults (README*, docs/, ...)
    jobs = 2
    scheduler = "tcp://host:8786"    # run batches on a Dask cluster

    [tool.unres.lint]
    select = ["UN1", "UN301"]        # rule ids or id prefixes (families)
    ignore = ["UN101"]

    [tool.unres.limits]              # what one document may cost (pipeline/limits.py)
    table_cells = 40000
    markdown_kb = 2048

Guarantees: an unknown setting or a value of the wrong type is a
:class:`~pipeline.errors.UsageError` naming the file and the setting; nothing
else is read from the file.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .ast import Span
from .errors import UsageError

#: never sources, wherever they stand (patterns as in ``exclude``)
DEFAULT_EXCLUDE = ("README*", "CHANGELOG*", "LICENSE*", "CONTRIBUTING*", "docs/")

_KEYS = {"formats", "output", "lang", "source-root", "exclude", "jobs", "scheduler", "lint",
         "limits"}
_LINT_KEYS = {"select", "ignore"}


@dataclass(frozen=True)
class Config:
    """What the configuration says; every field None or empty when it says nothing."""

    path: Path | None = None              # the file read, if any
    root: Path | None = None              # the project root (absolute), if any
    formats: tuple[str, ...] | None = None
    output: Path | None = None
    lang: str | None = None
    source_root: Path | None = None       # absolute
    exclude: tuple[str, ...] = ()         # the user's patterns (defaults apart)
    jobs: int | None = None
    scheduler: str | None = None
    lint_select: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()
    #: limits raised (read option field -> value, :mod:`pipeline.limits`)
    limits: tuple[tuple[str, int], ...] = ()

    @property
    def base(self) -> Path | None:
        """The folder output places are relative to: the source root, else the project root."""
        return self.source_root or self.root


def find_config(start: Path | None = None) -> tuple[Path | None, dict, Path | None]:
    """(config file, its unres table, project root) from ``start`` (cwd) upwards."""
    here = (start or Path.cwd()).resolve()
    git_root = None
    for d in (here, *here.parents):
        unres = d / "unres.toml"
        if unres.is_file():
            return unres, _load(unres, ()), d
        pyproject = d / "pyproject.toml"
        if pyproject.is_file():
            table = _load(pyproject, ("tool", "unres"))
            if table is not None:
                return pyproject, table, d
        if git_root is None and (d / ".git").exists():
            git_root = d
    return None, {}, git_root


def _load(path: Path, keys: tuple[str, ...]) -> dict | None:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read the configuration: {e}", Span(str(path), 1, 1)) from None
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"not valid TOML: {e}", Span(str(path), 1, 1)) from None
    for k in keys:
        data = data.get(k) if isinstance(data, dict) else None
        if data is None:
            return None
    if not isinstance(data, dict):
        raise UsageError(f"[{'.'.join(keys)}] must be a table", Span(str(path), 1, 1))
    return data


def load_config(start: Path | None = None) -> Config:
    """The configuration in force in ``start`` (the current directory)."""
    path, table, root = find_config(start)
    where = Span(str(path), 1, 1) if path else Span("<config>", 1, 1)
    name = "[tool.unres]" if path and path.name == "pyproject.toml" else "unres.toml"

    def bad(key: str, what: str) -> UsageError:
        return UsageError(f"{name}: {key} must be {what}", where)

    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(f"{name}: unknown setting {unknown[0]!r} (known: "
                         f"{', '.join(sorted(_KEYS))})", where)

    def strings(key: str, value) -> tuple[str, ...]:
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
        raise bad(key, "a list of strings")

    formats = strings("formats", table["formats"]) if "formats" in table else None
    output = table.get("output")
    if output is not None and not isinstance(output, str):
        raise bad("output", "a path")
    lang = table.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise bad("lang", "a language code")
    source_root = table.get("source-root")
    if source_root is not None and not isinstance(source_root, str):
        raise bad("source-root", "a path")
    jobs = table.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise bad("jobs", "a whole number of at least 1")
    scheduler = table.get("scheduler")
    if scheduler is not None and not isinstance(scheduler, str):
        raise bad("scheduler", "an address such as tcp://host:8786")
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise bad("lint", "a table")
    unknown = sorted(set(lint) - _LINT_KEYS)
    if unknown:
        raise UsageError(f"{name}: unknown lint setting {unknown[0]!r} (known: select, ignore)",
                         where)
    limits = table.get("limits", {})
    if not isinstance(limits, dict):
        raise bad("limits", "a table")
    from .limits import of as limit_of

    raised: dict[str, int] = {}
    for k, v in limits.items():
        try:
            raised.update(limit_of(k, v, f"{name}: limits"))
        except UsageError as e:
            raise UsageError(e.message, where) from None
    base = path.parent if path else None
    exclude = strings("exclude", table["exclude"]) if "exclude" in table else ()
    cfg = Config(
        path=path, root=root, formats=formats,
        output=(base / output) if (base and output) else None,
        lang=lang, source_root=(base / source_root).resolve() if (base and source_root) else None,
        exclude=exclude, jobs=jobs, scheduler=scheduler,
        lint_select=strings("lint.select", lint["select"]) if "select" in lint else (),
        lint_ignore=strings("lint.ignore", lint["ignore"]) if "ignore" in lint else (),
        limits=tuple(sorted(raised.items())))
    return cfg


class Excluder:
    """Which paths are not sources: the defaults, the configuration's and the command
    line's patterns.  A pattern without a slash matches a file or folder name at any
    depth (``README*``); one ending in a slash matches folders only (``docs/``); one with
    a slash inside matches the path from the project root (``res/drafts/*.md``, with
    ``**`` for any depth)."""

    def __init__(self, patterns: tuple[str, ...], root: Path | None):
        self.patterns = tuple(dict.fromkeys(patterns))
        self.root = root

    def excluded(self, path: Path, is_dir: bool = False) -> str | None:
        """The pattern that excludes ``path`` (a file, or a folder if ``is_dir``), or None."""
        parts = self._parts(path)
        if not parts:
            return None
        folders = len(parts) if is_dir else len(parts) - 1
        for pat in self.patterns:
            dir_only = pat.endswith("/")
            p = pat.rstrip("/").lstrip("/")
            if not p:
                continue
            upto = folders if dir_only else len(parts)
            if "/" not in p:
                if any(fnmatch.fnmatchcase(n, p) for n in parts[:upto]):
                    return pat
            else:
                regex = _glob_regex(p)
                if any(regex.fullmatch("/".join(parts[:k])) for k in range(1, upto + 1)):
                    return pat
        return None

    def _parts(self, path: Path) -> list[str]:
        path = Path(path)
        if self.root is not None:
            try:
                return list(path.resolve().relative_to(self.root).parts)
            except ValueError:
                pass
        return list(PurePosixPath(path.as_posix()).parts)


def _glob_regex(pattern: str):
    import re

    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
