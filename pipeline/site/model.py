"""What the site knows of its resolutions without reading their trees again.

A :class:`Doc` is one language version summed up (symbol, language, title,
dates, the resolutions it cites, the names of its paragraphs); it is plain data,
kept in the site's state between builds under the key of the tree it was taken
from, so that a build where nothing changed reads no tree.  :class:`Site` groups
the documents by resolution and by session and answers the questions pages ask:
which languages exist, who cites whom, what comes before and after.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..ast import DocRef, Resolution, plain_text
from . import paths
from .anchors import units

__all__ = ["Doc", "Entry", "Group", "Site", "summarize"]


@dataclass(frozen=True)
class Doc:
    """One language version of one resolution."""

    symbol: str
    lang: str
    title: str
    number: str
    organ: str
    session: int | None
    adopted: str
    cites: tuple[str, ...]          # symbol keys of the resolutions cited (paths.symbol_key)
    units: tuple[str, ...]          # paragraph names in order (pipeline.site.anchors)
    tree: str = ""                  # the tree's file, relative to the site
    key: str = ""                   # the tree's build key

    def to_data(self) -> dict:
        return {"symbol": self.symbol, "lang": self.lang, "title": self.title,
                "number": self.number, "organ": self.organ, "session": self.session,
                "adopted": self.adopted, "cites": list(self.cites), "units": list(self.units),
                "tree": self.tree, "key": self.key}

    @classmethod
    def from_data(cls, d: dict) -> "Doc":
        d = dict(d)
        d["cites"] = tuple(d.get("cites", ()))
        d["units"] = tuple(d.get("units", ()))
        return cls(**d)


def summarize(res: Resolution, tree: str = "", key: str = "") -> Doc:
    """The summary of a tree."""
    meta = res.meta
    lang = (meta.language or "").strip()
    if not lang and res.components:
        lang = (res.components[0].meta.language or "").strip()
    title = plain_text(meta.title).strip()
    if not title and res.components:
        title = " / ".join(t for t in (plain_text(c.meta.title).strip() for c in res.components)
                           if t)
    adopted = meta.adopted
    if not adopted:
        for _m, body in res.texts():
            if body.closing is not None and body.closing.date:
                adopted = body.closing.date
                break
    number = meta.number
    if not number and "/RES/" in meta.symbol:
        number = meta.symbol.split("/RES/", 1)[1]
    own = paths.symbol_key(meta.symbol)
    cites = sorted({paths.symbol_key(s) for s in _refs(res)
                    if "/RES/" in s.upper() and paths.symbol_key(s) != own})
    return Doc(symbol=" ".join(meta.symbol.split()), lang=lang, title=" ".join(title.split()),
               number=(number or "").strip(), organ=meta.organ or "",
               session=meta.session, adopted=adopted or "", cites=tuple(cites),
               units=tuple(u.name for u in units(res)), tree=tree, key=key)


def _refs(node) -> list[str]:
    out: list[str] = []

    def walk(n) -> None:
        if isinstance(n, DocRef):
            out.append(n.symbol)
        if isinstance(n, tuple):
            for x in n:
                walk(x)
        elif dataclasses.is_dataclass(n) and not isinstance(n, type):
            for f in dataclasses.fields(n):
                if f.name != "span":
                    walk(getattr(n, f.name))
    walk(node.body)
    for c in node.components:
        walk(c.body)
    return out


@dataclass
class Entry:
    """A resolution: its language versions, under one folder."""

    key: str                                    # paths.symbol_key
    dir: PurePosixPath
    docs: dict[str, Doc] = field(default_factory=dict)

    @property
    def langs(self) -> list[str]:
        return [c for c in paths.LANGS if c in self.docs] + \
            sorted(c for c in self.docs if c not in paths.LANGS)

    @property
    def first(self) -> Doc:
        """The version whose title and dates the indexes show: English, else the first."""
        return self.docs.get("en") or self.docs[self.langs[0]]

    @property
    def symbol(self) -> str:
        return self.first.symbol

    @property
    def adopted(self) -> str:
        return max((d.adopted for d in self.docs.values()), default="")

    def title(self, lang: str) -> tuple[str, str]:
        """(title, its language) for a page in ``lang``: that version's, else the first."""
        d = self.docs.get(lang) or self.first
        return d.title, d.lang


@dataclass
class Group:
    """A session (or a year, for the Economic and Social Council): ``A/RES/75``."""

    dir: PurePosixPath
    entries: list[Entry] = field(default_factory=list)

    @property
    def organ(self) -> str:
        return self.entries[0].first.organ if self.entries else ""

    @property
    def session(self) -> int | None:
        for e in self.entries:
            for d in e.docs.values():
                if d.session is not None:
                    return d.session
        last = self.dir.name
        return int(last) if last.isdigit() else None


class Site:
    """Every resolution of the site, by symbol and by session."""

    def __init__(self, docs: list[Doc]):
        self.entries: dict[str, Entry] = {}
        for d in docs:
            sdir = paths.symbol_dir(d.symbol)
            if sdir is None:
                continue
            key = paths.symbol_key(d.symbol)
            e = self.entries.setdefault(key, Entry(key, sdir))
            e.docs[d.lang] = d
        groups: dict[PurePosixPath, Group] = {}
        for e in self.entries.values():
            g = groups.setdefault(paths.group_dir(e.dir), Group(paths.group_dir(e.dir)))
            g.entries.append(e)
        for g in groups.values():
            g.entries.sort(key=lambda e: (paths.number_key(e.dir.name), e.key))
        self.groups = [groups[k] for k in sorted(
            groups, key=lambda p: (p.parts[0] != "A", p.parts[0],
                                   [(-int(x), "") if x.isdigit() else (0, x)
                                    for x in p.parts[1:]]))]
        self.cited_by: dict[str, list[str]] = {}
        for e in self.entries.values():
            cited = {c for d in e.docs.values() for c in d.cites}
            for c in cited:
                if c in self.entries and c != e.key:
                    self.cited_by.setdefault(c, []).append(e.key)
        for v in self.cited_by.values():
            v.sort(key=lambda k: (paths.number_key(self.entries[k].dir.as_posix()), k))

    def group_of(self, e: Entry) -> Group:
        d = paths.group_dir(e.dir)
        return next(g for g in self.groups if g.dir == d)

    def neighbours(self, e: Entry) -> tuple[Entry | None, Entry | None]:
        g = self.group_of(e)
        i = g.entries.index(e)
        return (g.entries[i - 1] if i else None,
                g.entries[i + 1] if i + 1 < len(g.entries) else None)

    def recent(self, n: int) -> list[Entry]:
        """The ``n`` most recently adopted resolutions, latest first."""
        return sorted(self.entries.values(),
                      key=lambda e: (e.adopted, paths.number_key(e.dir.as_posix())),
                      reverse=True)[:n]
