"""The site's pages, each described before it is made.

Every page is first a :class:`Page`: its place, its template and the *data* it
shows (titles, links, languages, file sizes, the keys of the trees whose text it
carries), all plain JSON.  The page's build key is the digest of that data and of
the theme (:mod:`pipeline.site.theme`); a page whose key is the one recorded is
not made again.  So a changed source remakes exactly the pages that show something
of it: its own pages, the session index listing it, the pages that list it among
their citations, the home page when it is among the most recent, the feed and the
catalogue.  The text itself is the HTML writer's (:mod:`pipeline.site.content`),
made only for the pages being written.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import urlsplit

from markupsafe import Markup

from .. import lang as lang_data
from . import paths
from .model import Doc, Entry, Group, Site
from .theme import Theme

#: the downloads beside each page: format -> (label, media type)
DOWNLOADS = {
    "pdf": ("PDF", "application/pdf"),
    "docx": ("Word (DOCX)",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "akn": ("Akoma Ntoso (XML)", "application/akn+xml"),
    "md": ("Markdown", "text/markdown"),
}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "akn": ".akn.xml", "md": ".md"}
_ORGANS_EN = {"GA": "General Assembly", "SC": "Security Council",
              "ECOSOC": "Economic and Social Council", "HRC": "Human Rights Council"}
#: the content security policy of every page: the site's own scripts, styles, index
#: files and images; WebAssembly for the search; nothing else (``{hashes}``: the page's
#: own data blocks)
CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; "
       "img-src 'self'; connect-src 'self'; base-uri 'none'; "
       "form-action 'self'")


@dataclass
class Page:
    """One file of the site, before it is made."""

    path: PurePosixPath             # relative to the site
    record: str                     # the build record's entry (pages of one resolution...)
    name: str                       # the page's name in that entry
    kind: str                       # resolution, symbol, compare, session, home, search, ...
    data: dict                      # everything it shows (JSON), the key's input
    indexed: bool = False           # part of the search index
    make: Callable[["Page"], bytes] | None = field(default=None, repr=False)

    def key(self, theme_digest: str, extra: str) -> str:
        h = hashlib.sha256(theme_digest.encode())
        h.update(extra.encode())
        h.update(self.kind.encode())
        h.update(json.dumps(self.data, sort_keys=True, ensure_ascii=False).encode())
        return h.hexdigest()


def lang_info(code: str) -> dict:
    try:
        L = lang_data.get(code)
        html_lang = _html_lang(code)
        return {"code": code, "name": L.name, "dir": L.dir, "html_lang": html_lang}
    except Exception:  # noqa: BLE001 - an unknown language still gets a page
        return {"code": code, "name": code, "dir": "ltr", "html_lang": code}


def _html_lang(code: str) -> str:
    return "zh-Hans" if code == "zh" else code


class Planner:
    """Describes every page of a site (see the module docstring)."""

    def __init__(self, site: Site, theme: Theme, root: Path, base_url: str | None,
                 load: Callable[[Doc], object]):
        self.site = site
        self.theme = theme
        self.root = root                    # the site's folder (for the downloads' sizes)
        self.base = base_url.rstrip("/") + "/" if base_url else None
        self.load = load                    # Doc -> Resolution
        self._texts: dict[tuple, object] = {}   # the texts of the resolution being made

    def text(self, d: Doc, links: dict[str, str]):
        """The text of ``d`` with its on-site links (kept while one resolution is made: its
        side-by-side pages show each version several times)."""
        from .content import Text

        key = (d.key, d.tree, tuple(sorted(links.items())))
        if key not in self._texts:
            if len(self._texts) > 12:
                self._texts.clear()
            self._texts[key] = Text(self.load(d), lambda s: links.get(paths.symbol_key(s)))
        return self._texts[key]

    # ------------------------------------------------------------ common parts

    def absolute(self, path: PurePosixPath | str, folder: bool = True) -> str | None:
        if self.base is None:
            return None
        p = str(path)
        p = "" if p == "." else p
        return self.base + p + ("/" if folder and p else "")

    def common(self, here: PurePosixPath, kind: str, lang: str, title: str,
               crumbs: list[dict], alternates: list[dict] | None = None,
               canonical: PurePosixPath | None = None, scripts: tuple[str, ...] = ("site.js",),
               styles_lang: str | None = None) -> dict:
        info = lang_info(lang)
        root = paths.relative(here, ".")
        styles = [root + paths.ASSETS + "/doc.css"]
        if styles_lang and (self.theme_lang_css(styles_lang)):
            styles.append(root + paths.ASSETS + f"/lang-{styles_lang}.css")
        styles.append(root + paths.ASSETS + "/site.css")
        return {
            "kind": kind + "-page", "lang": lang, "html_lang": info["html_lang"],
            "dir": info["dir"], "title": title, "root": root,
            "canonical": self.absolute(canonical) if canonical is not None else None,
            "alternates": alternates or [], "breadcrumbs": crumbs,
            "styles": styles, "scripts": [root + paths.ASSETS + "/" + s for s in scripts],
            "feed": root + "feed.xml" if self.base else None,
            "csp": CSP.format(hashes=""),
        }

    def theme_lang_css(self, lang: str) -> bool:
        from ..writers.html import language_stylesheets
        return bool(language_stylesheets(lang))

    def group_label(self, g: Group, lang: str = "en") -> str:
        L = lang_data.get(lang)
        organ = L.organ_name(g.organ) or _ORGANS_EN.get(g.organ, g.organ)
        s = g.session
        if s is None:
            return f"{organ} {g.dir.as_posix()}"
        try:
            return f"{organ}{'' if lang == 'zh' else '، ' if lang == 'ar' else ', '}" \
                   f"{L.session_text(s)}"
        except Exception:  # noqa: BLE001
            return f"{organ} {s}"

    def crumbs_to(self, here: PurePosixPath, e: Entry | None, g: Group | None,
                  ui: dict, lang: str = "en") -> list[dict]:
        out = [{"label": ui["home"], "href": paths.relative(here, "."), "lang": ""}]
        if g is not None:
            out.append({"label": self.group_label(g, lang), "href": paths.relative(here, g.dir),
                        "lang": ""})
        if e is not None:
            out.append({"label": e.symbol, "href": paths.relative(here, e.dir), "lang": ""})
        return out

    def alternates(self, here: PurePosixPath, e: Entry) -> list[dict]:
        alts = []
        for c in e.langs:
            target = paths.page_dir(e.dir, c)
            alts.append({"hreflang": _html_lang(c),
                         "href": self.absolute(target) or paths.relative(here, target)})
        alts.append({"hreflang": "x-default",
                     "href": self.absolute(e.dir) or paths.relative(here, e.dir)})
        return alts

    def ref(self, here: PurePosixPath, key: str, lang: str) -> dict:
        e = self.site.entries[key]
        target = paths.page_dir(e.dir, lang) if lang in e.docs else e.dir
        title, tlang = e.title(lang)
        return {"symbol": e.symbol, "title": title, "lang": _html_lang(tlang),
                "href": paths.relative(here, target)}

    def neighbours(self, here: PurePosixPath, e: Entry, lang: str | None) -> dict:
        prev, nxt = self.site.neighbours(e)

        def link(x: Entry | None) -> dict | None:
            if x is None:
                return None
            target = paths.page_dir(x.dir, lang) if lang and lang in x.docs else x.dir
            return {"label": x.symbol, "href": paths.relative(here, target)}
        return {"prev": link(prev), "next": link(nxt)}

    # ------------------------------------------------------------ the pages

    def pages(self) -> list[Page]:
        out: list[Page] = []
        for e in self.site.entries.values():
            for c in e.langs:
                out.append(self.resolution(e, c))
            out.append(self.symbol(e))
            langs = e.langs
            for i, a in enumerate(langs):
                for b in langs[i + 1:]:
                    out.append(self.compare(e, *paths.pair(a, b)))
        for g in self.site.groups:
            out.append(self.session(g))
        out.append(self.home())
        out.append(self.search())
        out.append(self.not_found())
        return out

    def resolution(self, e: Entry, lang: str) -> Page:
        d = e.docs[lang]
        here = paths.page_dir(e.dir, lang)
        ui = self.theme.ui(lang)
        g = self.site.group_of(e)
        crumbs = self.crumbs_to(here, e, g, ui, lang if lang in paths.LANGS else "en")
        crumbs.append({"label": lang_info(lang)["name"], "href": None,
                       "lang": _html_lang(lang)})
        page = self.common(here, "resolution", lang, f"{d.symbol} — {d.title}" if d.title
                           else d.symbol, crumbs, self.alternates(here, e),
                           canonical=here, styles_lang=lang)
        stem = paths.file_stem(e.dir, lang)
        downloads = []
        for fmt, (label, media) in DOWNLOADS.items():
            name = stem + EXTENSIONS[fmt]
            try:
                size = (self.root / here / name).stat().st_size
            except OSError:
                continue
            downloads.append({"label": label, "type": media, "href": name,
                              "size": f"{max(1, round(size / 1024))} {ui['size_kb']}"})
        languages = [{**lang_info(c), "href": paths.relative(here, paths.page_dir(e.dir, c)),
                      "current": c == lang} for c in e.langs]
        compare = []
        for c in e.langs:
            if c != lang:
                a, b = paths.pair(lang, c)
                compare.append({**lang_info(c),
                                "href": paths.relative(here, paths.compare_dir(e.dir, a, b))})
        cited_by = [self.ref(here, k, lang) for k in self.site.cited_by.get(e.key, [])]
        links = {}
        for k in d.cites:
            if k in self.site.entries:
                links[k] = self.ref(here, k, lang)["href"]
        data = {
            "page": page, "tree": d.key,
            "res": {"symbol": d.symbol, "title": d.title, "lang": lang,
                    "session": g.dir.as_posix(), "adopted": d.adopted, "organ": d.organ},
            "languages": languages, "downloads": downloads, "compare": compare,
            "cited_by": cited_by, "links": links, **self.neighbours(here, e, lang),
        }
        data["jsonld"] = self.jsonld(e, d, here, downloads)
        return Page(here / "index.html", "site:" + e.dir.as_posix(), "page:" + lang,
                    "resolution", data, indexed=True, make=self.make_resolution)

    def jsonld(self, e: Entry, d: Doc, here: PurePosixPath, downloads: list[dict]) -> str:
        L = lang_info(d.lang)
        try:
            organ = lang_data.get(d.lang).organ_name(d.organ or "GA") or d.organ
        except Exception:  # noqa: BLE001
            organ = _ORGANS_EN.get(d.organ, d.organ)
        url = self.absolute(here) or "./"
        obj = {
            "@context": "https://schema.org", "@type": "Legislation",
            "name": d.title, "legislationIdentifier": d.symbol, "inLanguage": L["html_lang"],
            "legislationType": "Resolution", "url": url,
            "legislationPassedBy": {"@type": "Organization", "name": organ},
            "encoding": [{"@type": "LegislationObject", "encodingFormat": f["type"],
                          "contentUrl": (url + f["href"]) if self.base else f["href"]}
                         for f in downloads],
        }
        if d.adopted:
            obj["legislationDate"] = d.adopted
        others = [c for c in e.langs if c != d.lang]
        if others:
            obj["workTranslation"] = [
                {"@type": "Legislation", "inLanguage": _html_lang(c),
                 "url": self.absolute(paths.page_dir(e.dir, c))
                 or paths.relative(here, paths.page_dir(e.dir, c))} for c in others]
        cites = [k for k in d.cites if k in self.site.entries]
        if cites:
            obj["citation"] = [{"@type": "Legislation",
                                "legislationIdentifier": self.site.entries[k].symbol,
                                "url": self.absolute(self.site.entries[k].dir)
                                or paths.relative(here, self.site.entries[k].dir)}
                               for k in cites]
        text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
        # a data block that no text can close: <, > and & as JSON escapes
        return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")

    def make_resolution(self, p: Page) -> bytes:
        d = self.site.entries[paths.symbol_key(p.data["res"]["symbol"])].docs[p.data["res"]["lang"]]
        text = self.text(d, p.data["links"])
        jsonld = p.data["jsonld"]
        digest = base64.b64encode(hashlib.sha256(jsonld.encode()).digest()).decode()
        page = dict(p.data["page"], csp=CSP.format(hashes=f" 'sha256-{digest}'"))
        return self._render("resolution.html", p, page=page, content=Markup(text.html()),
                            jsonld=Markup(jsonld))

    def symbol(self, e: Entry) -> Page:
        here = e.dir
        ui = self.theme.ui("en")
        g = self.site.group_of(e)
        crumbs = self.crumbs_to(here, None, g, ui)
        crumbs.append({"label": e.symbol, "href": None, "lang": ""})
        title, _ = e.title("en")
        page = self.common(here, "symbol", "en", f"{e.symbol} — {title}", crumbs,
                           self.alternates(here, e), canonical=here)
        versions = [{**lang_info(c), "href": paths.relative(here, paths.page_dir(e.dir, c)),
                     "title": e.docs[c].title} for c in e.langs]
        pairs = []
        for i, a in enumerate(e.langs):
            for b in e.langs[i + 1:]:
                a2, b2 = paths.pair(a, b)
                pairs.append({"label": f"{lang_info(a2)['name']} · {lang_info(b2)['name']}",
                              "href": paths.relative(here, paths.compare_dir(e.dir, a2, b2))})
        data = {"page": page, "res": {"symbol": e.symbol}, "versions": versions,
                "pairs": pairs,
                "cited_by": [self.ref(here, k, "en") for k in self.site.cited_by.get(e.key, [])],
                **self.neighbours(here, e, None)}
        return Page(here / "index.html", "site:" + e.dir.as_posix(), "index", "symbol", data,
                    make=lambda p: self._render("symbol.html", p))

    def compare(self, e: Entry, a: str, b: str) -> Page:
        here = paths.compare_dir(e.dir, a, b)
        ui = self.theme.ui("en")
        g = self.site.group_of(e)
        crumbs = self.crumbs_to(here, e, g, ui)
        left, right = lang_info(a), lang_info(b)
        label = f"{left['name']} · {right['name']}"
        crumbs.append({"label": label, "href": None, "lang": ""})
        page = self.common(here, "compare", "en", f"{e.symbol} — {label}", crumbs,
                           canonical=here)
        da, db = e.docs[a], e.docs[b]
        aligned = da.units == db.units
        pairs = []
        for i, x in enumerate(e.langs):
            for y in e.langs[i + 1:]:
                x2, y2 = paths.pair(x, y)
                pairs.append({"label": f"{lang_info(x2)['name']} · {lang_info(y2)['name']}",
                              "href": paths.relative(here, paths.compare_dir(e.dir, x2, y2)),
                              "current": (x2, y2) == (a, b)})
        notice = "" if aligned else ui["not_aligned"].format(
            left=left["name"], left_count=len(da.units), right=right["name"],
            right_count=len(db.units))
        links_a = {k: self.ref(here, k, a)["href"] for k in da.cites if k in self.site.entries}
        links_b = {k: self.ref(here, k, b)["href"] for k in db.cites if k in self.site.entries}
        data = {"page": page, "res": {"symbol": e.symbol},
                "left": {**left, "href": paths.relative(here, paths.page_dir(e.dir, a)),
                         "missing": self.theme.ui(a)["missing"]},
                "right": {**right, "href": paths.relative(here, paths.page_dir(e.dir, b)),
                          "missing": self.theme.ui(b)["missing"]},
                "trees": [da.key, db.key], "aligned": aligned, "notice": notice,
                "pairs": pairs, "links": [links_a, links_b]}
        return Page(here / "index.html", "site:" + e.dir.as_posix(), f"compare:{a}-{b}",
                    "compare", data, make=self.make_compare)

    def make_compare(self, p: Page) -> bytes:
        e = self.site.entries[paths.symbol_key(p.data["res"]["symbol"])]
        a, b = p.data["left"]["code"], p.data["right"]["code"]
        la, lb = p.data["links"]
        ca, cb = self.text(e.docs[a], la).cells(a), self.text(e.docs[b], lb).cells(b)
        rows = []

        def row(name: str | None, kind: str, x: str | None, y: str | None) -> None:
            rows.append({"id": name, "kind": kind,
                         "left": Markup(x) if x is not None else None,
                         "right": Markup(y) if y is not None else None})
        if "title" in ca or "title" in cb:
            row(None, "title", ca.get("title"), cb.get("title"))
        ua, ub = list(e.docs[a].units), list(e.docs[b].units)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ua, ub,
                                                          autojunk=False).get_opcodes():
            if op == "equal":
                for n in ua[i1:i2]:
                    row(n, _kind(n), ca.get(n, ""), cb.get(n, ""))
            else:
                for n in ua[i1:i2]:
                    row(n if n not in ub else None, _kind(n), ca.get(n, ""), None)
                for n in ub[j1:j2]:
                    row(n if n not in ua else None, _kind(n), None, cb.get(n, ""))
        if "closing" in ca or "closing" in cb:
            row(None, "closing", ca.get("closing"), cb.get("closing"))
        notes = sorted({k for k in list(ca) + list(cb) if k.startswith("fn-")},
                       key=lambda k: int(k[3:]) if k[3:].isdigit() else 0)
        for k in notes:
            row(None, "note", ca.get(k), cb.get(k))
        return self._render("compare.html", p, rows=rows)

    def session(self, g: Group) -> Page:
        here = g.dir
        ui = self.theme.ui("en")
        heading = self.group_label(g)
        crumbs = [{"label": ui["home"], "href": paths.relative(here, "."), "lang": ""},
                  {"label": heading, "href": None, "lang": ""}]
        page = self.common(here, "session", "en", heading, crumbs, canonical=here)
        i = self.site.groups.index(g)
        older = self.site.groups[i + 1] if i + 1 < len(self.site.groups) else None
        newer = self.site.groups[i - 1] if i else None
        data = {"page": page, "heading": heading, **self.table(here, g.entries),
                "prev": {"label": self.group_label(older),
                         "href": paths.relative(here, older.dir)} if older else None,
                "next": {"label": self.group_label(newer),
                         "href": paths.relative(here, newer.dir)} if newer else None}
        return Page(here / "index.html", "site:" + g.dir.as_posix() + "/", "index", "session",
                    data, make=lambda p: self._render("session.html", p))

    def table(self, here: PurePosixPath, entries: list[Entry]) -> dict:
        langs = [c for c in paths.LANGS if any(c in e.docs for e in entries)]
        columns = [lang_info(c) for c in langs]
        rows = []
        for e in entries:
            title, tlang = e.title("en")
            rows.append({"number": e.first.number or e.symbol, "href": paths.relative(here, e.dir),
                         "title": title, "title_lang": _html_lang(tlang),
                         "title_dir": lang_info(tlang)["dir"], "adopted": e.adopted,
                         "cells": [{**lang_info(c), "href": paths.relative(
                             here, paths.page_dir(e.dir, c)) if c in e.docs else None}
                             for c in langs]})
        return {"columns": columns, "rows": rows}

    def home(self) -> Page:
        here = PurePosixPath(".")
        ui = self.theme.ui("en")
        page = self.common(here, "home", "en", ui["site"], [], canonical=here)
        groups = [{"label": self.group_label(g), "href": paths.relative(here, g.dir),
                   "count": len(g.entries)} for g in self.site.groups]
        data = {"page": page, "groups": groups, **self.table(here, self.site.recent(20))}
        return Page(PurePosixPath("index.html"), "site:", "home", "home", data,
                    make=lambda p: self._render("home.html", p))

    def search(self) -> Page:
        here = PurePosixPath(paths.SEARCH)
        ui = self.theme.ui("en")
        crumbs = [{"label": ui["home"], "href": paths.relative(here, "."), "lang": ""},
                  {"label": ui["search"], "href": None, "lang": ""}]
        page = self.common(here, "search", "en", ui["search"], crumbs, canonical=here,
                           scripts=("site.js", "search.js"))
        langs = [c for c in paths.LANGS if any(c in e.docs for e in self.site.entries.values())]
        data = {"page": page, "languages": [lang_info(c) for c in langs],
                "groups": [{"value": g.dir.as_posix(), "label": self.group_label(g)}
                           for g in self.site.groups]}
        return Page(here / "index.html", "site:", "search", "search", data,
                    make=lambda p: self._render("search.html", p))

    def not_found(self) -> Page:
        ui = self.theme.ui("en")
        page = self.common(PurePosixPath("."), "not-found", "en", ui["not_found"], [])
        # served at any address: links from the root of the site's host
        root = urlsplit(self.base).path if self.base else "/"
        page = {**page, "root": root, "styles": [root + paths.ASSETS + "/doc.css",
                                                  root + paths.ASSETS + "/site.css"],
                "scripts": [], "feed": root + "feed.xml" if self.base else None}
        return Page(PurePosixPath("404.html"), "site:", "404", "not-found", {"page": page},
                    make=lambda p: self._render("404.html", p))

    def _render(self, template: str, p: Page, **extra) -> bytes:
        context = dict(p.data)
        context.setdefault("prev", None)
        context.setdefault("next", None)
        context["ui"] = self.theme.ui(p.data["page"]["lang"])
        context.update(extra)
        return self.theme.render(template, **context).encode("utf-8")


_KINDS = (("__point_", "item"), ("preamble__formula", "formula"), ("preamble__", "recital"),
          ("crossHeading_", "recital"))


def _kind(name: str) -> str:
    last = name.rsplit("__", 1)[-1]
    if "__point_" in name and last.startswith("point_"):
        return "item"
    for needle, kind in _KINDS:
        if needle in name:
            return kind
    if re.match(r"(sec|att)_\d+$", last):
        return "section"
    return "paragraph"
