"""A resolution's text for the site: the HTML writer's page, its paragraphs named.

The text is what :func:`pipeline.writers.html.document` gives, never a second
rendering: its masthead and its ``main`` are taken out of the writer's page and
put into the site's own (the theme's templates).  Two things change on the way:

- every structural node gets its paragraph name as ``id``
  (:mod:`pipeline.site.anchors`, through the writer's ``anchor`` hook);
- a cited resolution that the site holds is linked to its page on the site (in
  the same language when that version exists, else to the resolution's page)
  instead of undocs.org.

:func:`cells` cuts the same page into one piece per named place, for the
side-by-side view.  Everything is built as an lxml tree and serialized by lxml:
no text of a source reaches the page unescaped.
"""

from __future__ import annotations

import copy
import re
from typing import Callable

from lxml import etree

from ..ast import Resolution
from ..writers import html as html_writer
from . import anchors as anchor_names

_UNDOCS = re.compile(r"^https://undocs\.org/[^/]+/(.+)$")


class Text:
    """One language version's page content, with its paragraphs named."""

    def __init__(self, res: Resolution, link: Callable[[str], str | None]):
        names = anchor_names.anchors(res)
        self.names = set(names.values())
        self.root = html_writer.document(res, medium="screen",
                                         anchor=lambda n: names.get(id(n)))
        body = self.root.find("body")
        self.masthead = body.find("header")
        self.main = body.find("main")
        for a in self.root.iter("a"):
            m = _UNDOCS.match(a.get("href", ""))
            if m:
                target = link(m.group(1))
                if target:
                    a.set("href", target)
                    a.set("class", (a.get("class", "") + " on-site").strip())

    def html(self) -> str:
        """The masthead and the text, ready for the page template."""
        parts = []
        if self.masthead is not None:
            parts.append(_tostring(self.masthead))
        for child in self.main:
            parts.append(_tostring(child))
        return "\n".join(parts)

    def cells(self, lang: str) -> dict[str, str]:
        """The text cut into its named places (see :meth:`_cut`), once per language."""
        if getattr(self, "_cells", None) is None or self._cells[0] != lang:
            self._cells = (lang, self._cut(lang))
        return self._cells[1]

    def _cut(self, lang: str) -> dict[str, str]:
        """``{name: html}``: each named place alone (its named children left out), ids and
        in-page links prefixed with ``lang-`` so that two versions share one page; also
        ``title``, ``closing`` and one ``fn-N`` per note."""
        out: dict[str, str] = {}
        title = self.main.find(".//h2[@class='title']")
        if title is not None:
            out["title"] = _cell(title, lang, self.names, tag="p")
        by_id = {el.get("id"): el for el in self.main.iter() if el.get("id") in self.names}
        for name, el in by_id.items():
            out[name] = _cell(el, lang, self.names)
        closing = self.main.find(".//div[@class='closing']")
        if closing is not None:
            out["closing"] = _cell(closing, lang, self.names)
        for note in self.main.iterfind(".//li[@class='note']"):
            out[note.get("id")] = _cell(note, lang, self.names, keep_id=True)
        return out


def _cell(el: etree._Element, lang: str, names: set[str], tag: str | None = None,
          keep_id: bool = False) -> str:
    c = copy.deepcopy(el)
    c.tail = None
    for d in list(c.iterdescendants()):
        if d.get("id") in names:
            parent = d.getparent()
            parent.remove(d)
            if parent.tag == "ol" and not len(parent) and parent is not c:
                parent.getparent().remove(parent)
    if not keep_id:
        c.attrib.pop("id", None)
    if tag:
        c.tag = tag
    elif c.tag in ("li", "section"):
        c.tag = "div"
    for d in c.iter():
        if d.get("id"):
            d.set("id", f"{lang}-{d.get('id')}")
        href = d.get("href", "")
        if href.startswith("#"):
            d.set("href", f"#{lang}-{href[1:]}")
        if d.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and d is not c:
            d.tag = "p"
            d.set("class", (d.get("class", "") + " heading").strip())
    if c.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        c.tag = "p"
        c.set("class", (c.get("class", "") + " heading").strip())
    return _tostring(c)


def _tostring(el: etree._Element) -> str:
    el = copy.copy(el) if el.tail else el
    if el.tail:
        el.tail = None
    return etree.tostring(el, method="html", encoding="unicode")
