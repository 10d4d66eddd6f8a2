"""The site for machines: the Atom feed, the sitemap and the JSON catalogue.

The feed and the sitemap need absolute addresses, so they are written only when the
site has a base URL (``--base-url``); the catalogue links relative to the site's
root (and gives the base URL when there is one).  All three are deterministic: their
order is the symbols', their dates the resolutions' own (no clock).
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from lxml import etree

from . import paths
from .model import Site
from .pages import EXTENSIONS, Page, Planner, _html_lang

_ATOM = "http://www.w3.org/2005/Atom"
_SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML = "http://www.w3.org/1999/xhtml"

#: how many resolutions the feed carries
FEED_SIZE = 50


def pages(planner: Planner) -> list[Page]:
    site = planner.site
    out = [Page(PurePosixPath("catalogue.json"), "site:", "catalogue", "catalogue",
                catalogue_data(planner), make=lambda p: _json(p.data))]
    if planner.base:
        recent = site.recent(FEED_SIZE)
        feed = {"base": planner.base, "entries": [{
            "symbol": e.symbol, "dir": e.dir.as_posix(), "adopted": e.adopted,
            "langs": {c: {"title": d.title, "html_lang": _html_lang(c)}
                      for c, d in ((c, e.docs[c]) for c in e.langs)},
            "title": e.title("en")[0]} for e in recent]}
        out.append(Page(PurePosixPath("feed.xml"), "site:", "feed", "feed", feed,
                        make=lambda p: atom(p.data)))
        out.append(Page(PurePosixPath("sitemap.xml"), "site:", "sitemap", "sitemap",
                        sitemap_data(planner), make=lambda p: sitemap(p.data)))
    return out


def _json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def catalogue_data(planner: Planner) -> dict:
    site: Site = planner.site
    items = []
    for e in sorted(site.entries.values(), key=lambda e: (paths.number_key(e.dir.as_posix()))):
        langs = {}
        for c in e.langs:
            d = e.docs[c]
            here = paths.page_dir(e.dir, c)
            stem = paths.file_stem(e.dir, c)
            files = {fmt: f"{here}/{stem}{ext}" for fmt, ext in EXTENSIONS.items()
                     if (planner.root / here / f"{stem}{ext}").is_file()}
            langs[c] = {"title": d.title, "url": f"{here}/", "files": files,
                        "paragraphs": len(d.units)}
        first = e.first
        items.append({"symbol": e.symbol, "number": first.number, "organ": first.organ,
                      "session": first.session, "adopted": e.adopted, "url": f"{e.dir}/",
                      "languages": langs,
                      "cites": [site.entries[k].symbol for k in
                                sorted({c for d in e.docs.values() for c in d.cites})
                                if k in site.entries],
                      "cited_by": [site.entries[k].symbol for k in site.cited_by.get(e.key, [])]})
    data = {"generator": "unres", "base_url": planner.base, "resolutions": items}
    return data


def atom(data: dict) -> bytes:
    base = data["base"]
    feed = etree.Element(f"{{{_ATOM}}}feed", nsmap={None: _ATOM})
    etree.SubElement(feed, f"{{{_ATOM}}}id").text = base
    etree.SubElement(feed, f"{{{_ATOM}}}title").text = "United Nations resolutions"
    latest = max((e["adopted"] for e in data["entries"]), default="") or "1970-01-01"
    etree.SubElement(feed, f"{{{_ATOM}}}updated").text = f"{latest}T00:00:00Z"
    etree.SubElement(feed, f"{{{_ATOM}}}link", rel="self", href=base + "feed.xml")
    etree.SubElement(feed, f"{{{_ATOM}}}link", rel="alternate", href=base)
    author = etree.SubElement(feed, f"{{{_ATOM}}}author")
    etree.SubElement(author, f"{{{_ATOM}}}name").text = "United Nations"
    for e in data["entries"]:
        entry = etree.SubElement(feed, f"{{{_ATOM}}}entry")
        url = base + e["dir"] + "/"
        etree.SubElement(entry, f"{{{_ATOM}}}id").text = url
        t = etree.SubElement(entry, f"{{{_ATOM}}}title")
        t.text = f"{e['symbol']}: {e['title']}" if e["title"] else e["symbol"]
        etree.SubElement(entry, f"{{{_ATOM}}}updated").text = \
            f"{e['adopted'] or '1970-01-01'}T00:00:00Z"
        etree.SubElement(entry, f"{{{_ATOM}}}link", rel="alternate", href=url)
        for c, info in e["langs"].items():
            etree.SubElement(entry, f"{{{_ATOM}}}link", rel="alternate", type="text/html",
                             hreflang=info["html_lang"], title=info["title"] or e["symbol"],
                             href=f"{url}{c}/")
            etree.SubElement(entry, f"{{{_ATOM}}}link", rel="enclosure",
                             type="application/pdf", hreflang=info["html_lang"],
                             href=f"{url}{c}/{paths.file_stem(PurePosixPath(e['dir']), c)}.pdf")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def sitemap_data(planner: Planner) -> dict:
    site = planner.site
    urls = [{"loc": planner.base}]
    for g in site.groups:
        urls.append({"loc": planner.absolute(g.dir)})
    for e in sorted(site.entries.values(), key=lambda e: paths.number_key(e.dir.as_posix())):
        alts = [{"hreflang": _html_lang(c), "href": planner.absolute(paths.page_dir(e.dir, c))}
                for c in e.langs]
        urls.append({"loc": planner.absolute(e.dir), "alternates": alts})
        for c in e.langs:
            urls.append({"loc": planner.absolute(paths.page_dir(e.dir, c)), "alternates": alts})
    return {"urls": urls}


def sitemap(data: dict) -> bytes:
    root = etree.Element(f"{{{_SM}}}urlset", nsmap={None: _SM, "xhtml": _XHTML})
    for u in data["urls"]:
        url = etree.SubElement(root, f"{{{_SM}}}url")
        etree.SubElement(url, f"{{{_SM}}}loc").text = u["loc"]
        for a in u.get("alternates", ()):
            etree.SubElement(url, f"{{{_XHTML}}}link", rel="alternate", hreflang=a["hreflang"],
                             href=a["href"])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
