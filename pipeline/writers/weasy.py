"""WeasyPrint and pydyf, in one place: every use the PDF writer makes of them, their
internals included, and the hooks that make a PDF cheap per document
(``benchmarks/pdf_bench.py`` measures them per document and language).

:mod:`pipeline.writers.pdf` decides what the page is and what may be fetched; this
module is the only one that imports WeasyPrint or pydyf.  What it takes from them beyond
their documented API is listed in :data:`INTERNALS`, each with a digest of its source in
the versions ``pyproject.toml`` pins; :func:`check` compares, :func:`install` refuses to
hook into a WeasyPrint that differs (a :class:`WeasyPrintChanged` naming what changed),
and ``tests/test_pdf_weasy.py`` fails on any difference: an upgrade fails loudly instead
of changing the PDFs silently.

Guarantees:

- :func:`html_from_tree` hands WeasyPrint the page's lxml tree as the tree its own HTML
  parser (tinyhtml5) makes of :func:`pipeline.writers.html.serialize`'s bytes: the same
  elements, attributes and text (whitespace before ``head`` dropped, whitespace after
  ``body`` moved into it, CR and CRLF read as LF, SVG elements in the SVG namespace;
  comments, which the HTML writer never makes, left out), so the page is not serialised
  and parsed again; ``tests/test_pdf_weasy.py`` compares the two trees;
- within :func:`rendering`, once :func:`install` has run, a CID-keyed
  CFF face (Noto Serif CJK) is subset to the glyphs the page uses, each keeping its CID
  (its glyph id in the full face, the code the page's text shows), instead of
  WeasyPrint's subset that keeps every glyph slot up to the highest used (tens of
  thousands of empty glyphs and their metrics: 0.5 to 1 MB per face, and most of a
  Chinese page's cost); :func:`finish` embeds it as bare CFF. The CFF tables are read
  with fontTools. A face whose CIDs are not its glyph ids, a name-keyed or TrueType
  face, a face with missing glyphs, any failure, and every WeasyPrint call outside
  :func:`rendering` get WeasyPrint's own subsetting;
- within :func:`rendering`, a face file of :data:`BIG_FACE` bytes or more (a CJK
  collection) is copied into Python once per process, not once per page, and whether
  a face's CIDs are its glyph ids is read once per process;
- :func:`finish` deflates the page contents and embedded fonts at zlib level
  :data:`LEVEL` (pydyf uses 9: about twice the time for files under 1 % smaller);
- the PDF :func:`finish` finishes is written by :func:`write_pdf_once`: pydyf's bytes,
  each object's made once (pydyf makes them twice to digest them for ``/ID``);
- while a page is made (:func:`gc_paused`, around the PDF writer's whole ``write``) the
  cyclic garbage collector does not run (its full passes walk every object the process
  holds, the parsed stylesheets and the caller's trees included); the page's own cycles
  are collected right after, once the page is dropped, so memory stays flat over a
  batch, and the collector is left enabled or disabled as it was found;
- within :func:`rendering`, a paragraph whose style sets ``--text-justify`` (CSS Text's
  ``text-justify``, which WeasyPrint 70 does not know: :data:`TEXT_JUSTIFY`) has its
  justified lines widened between characters (``inter-character``: Chinese) or at
  every space in either direction (``inter-word``: Arabic) by :func:`_spread_justify`,
  each line's last glyph at the column's edge; a right-to-left paragraph's first line
  is indented at its start, the right (:func:`_indent_at_start`);
- nothing here keeps state from one document to the next that changes a page: the same
  page gives the same bytes whatever was rendered before (``tests/test_pdf_weasy.py``).
"""

from __future__ import annotations

import bisect
import functools
import gc
import hashlib
import importlib
import inspect
import io
import logging
import math
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator

from lxml import etree

#: zlib level of the streams WeasyPrint writes (see :func:`deflate_streams`)
LEVEL = 6

_SVG = "{http://www.w3.org/2000/svg}"


# ---------------------------------------------------------------- what is relied upon

#: The versions this module was written and tested against (pinned in pyproject.toml).
TESTED = {"weasyprint": "70.0", "pydyf": "0.13.0"}

#: Every internal of WeasyPrint and pydyf this module relies on (or replaces), with the
#: start of the SHA-256 of its source in the tested versions.  A new version that changes
#: one of them must be read again before the digest here is updated.
INTERNALS: dict[str, str] = {
    # replaced within rendering(): the compact CID-keyed subset (_compact_subset)
    "weasyprint.pdf.fonts.Font._harfbuzz_subset": "f80805663ede8080",
    # when it calls _harfbuzz_subset; what a Font holds (hb_face, tables, missing ...)
    "weasyprint.pdf.fonts.Font.subset": "61ed6bc2e9a7e43a",
    "weasyprint.pdf.fonts.Font.__init__": "1f281166b10302a4",
    # replaced within rendering(): a note never leaves its call's line (_note_keeps_line)
    "weasyprint.layout.block._linebox_layout": "e07bbe000974787e",
    # replaced within rendering(): a justified line spread between its characters
    # (_spread_justify); text_align calls it for every justified line but the last, and
    # add_word_spacing is what it does otherwise (the same moves of the boxes)
    "weasyprint.layout.inline.justify_line": "f83b21ff8793ba6b",
    "weasyprint.layout.inline.text_align": "e953d41b87ccfc30",
    "weasyprint.layout.inline.add_word_spacing": "879516e71f1b80fa",
    # the layout a spread text box is drawn from (_spread_layout): created as
    # create_layout does, rebuilt by reactivate, its first line read by draw_first_line,
    # which takes each glyph's advance from its geometry
    "weasyprint.text.line_break.Layout": "681b737d1ba5e004",
    "weasyprint.text.line_break.create_layout": "6587192cc0ab3ffa",
    "weasyprint.draw.text.draw_first_line": "1bb8eae6d88e71b1",
    # replaced within rendering(): a right-to-left first line indented at its start, the
    # right (_indent_at_start)
    "weasyprint.layout.inline.get_next_linebox": "67af458c2545e74f",
    # font_config adds its own Fontconfig rules to the configuration (_config, font_map)
    "weasyprint.text.fonts.FontConfiguration.__init__": "9fdb532fe2c80013",
    # wrapped within rendering(): one copy of a big face file (_face_data)
    "weasyprint.text.fonts.get_hb_object_data": "03040a623df04c2b",
    # how a font program becomes a stream (bare_cff_fonts finds and rewrites it)
    "weasyprint.pdf.fonts.build_fonts_dictionary": "fc551bef35d0d6c3",
    # the attributes html_from_tree sets in place of a parsed page
    "weasyprint.HTML.__init__": "5f19f40b81837f87",
    # notes_laid_out reads each page's box tree
    "weasyprint.document.Page.__init__": "56afceec729bf2c1",
    "weasyprint.formatting_structure.boxes.FootnoteAreaBox": "44d2d15f921a5350",
    # the finisher is called with the document and the pydyf PDF, before it is written
    "weasyprint.document.Document.write_pdf": "086e4a8e99981829",
    # the fetcher: a subclass, data: URIs left to WeasyPrint
    "weasyprint.urls.URLFetcher.fetch": "e53a9536f4dceb0e",
    # deflate_streams writes a stream's items as pydyf does and marks it deflated
    "pydyf._to_bytes": "1cefd02c285d3aee",
    "pydyf.Stream.__init__": "724d3de996aeab1e",
    "pydyf.Stream.data": "bdc2bc513f286de7",
    # write_pdf_once writes what pydyf's write does, each object's data made once
    "pydyf.PDF.write": "242cd38f92ecd33f",
    "pydyf.PDF.write_line": "967fc636d66595a3",
    "pydyf.Object.indirect": "fecd3a0ba70a66f5",
}


class WeasyPrintChanged(RuntimeError):
    """The installed WeasyPrint or pydyf is not the one this module was tested with."""


def _resolve(name: str) -> Any:
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
            break
        except ImportError:
            continue
    else:
        raise ImportError(name)
    for attr in parts[i:]:
        obj = getattr(obj, attr)
    if isinstance(obj, property):
        obj = obj.fget
    return inspect.unwrap(obj)  # a hooked function: WeasyPrint's own, which it wraps


def source_digest(name: str) -> str:
    """The start of the SHA-256 of the source of internal ``name`` as installed."""
    return hashlib.sha256(inspect.getsource(_resolve(name)).encode()).hexdigest()[:16]


def check() -> list[str]:
    """How the installed WeasyPrint and pydyf differ from the tested ones, one line each:
    another version, an internal of :data:`INTERNALS` missing or changed, HarfBuzz
    without subsetting.  Empty when this module can do its work as tested."""
    import importlib.metadata

    problems = []
    for dist, version in TESTED.items():
        try:
            got = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            got = "not installed"
        if got != version:
            problems.append(f"{dist} {got} (tested: {version})")
    for name, digest in INTERNALS.items():
        try:
            got = source_digest(name)
        except (ImportError, AttributeError, OSError, TypeError) as exc:
            problems.append(f"{name} is missing ({type(exc).__name__}: {exc})")
            continue
        if got != digest:
            problems.append(f"{name} changed (source digest {got}, tested {digest})")
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        if not harfbuzz_subset or not harfbuzz.hb_version_atleast(4, 1, 0):
            problems.append("HarfBuzz without subsetting (libharfbuzz-subset 4.1 or later)")
    except (ImportError, AttributeError) as exc:
        problems.append(f"weasyprint.text.ffi: {exc}")
    return problems


# ---------------------------------------------------------------- WeasyPrint's API

def font_config(widths: dict[str, float] | None = None) -> Any:
    """A new WeasyPrint font configuration (fonts loaded for the stylesheets).

    ``widths`` maps font families (as the stylesheets' ``@font-face`` rules name them)
    to a horizontal scale of their advances, as Word's character scale (``w:w``) sets
    them: a Fontconfig ``matrix`` on the family, which Pango applies to the HarfBuzz
    font it lays text out with.  The glyphs keep their shapes; each advance, kerning
    and the widths the PDF declares are scaled, as in the PDFs Word makes (Word
    positions unscaled glyphs at the scaled advances)."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    if widths:
        rules = "".join(
            f'<match target="font"><test name="family"><string>{_xml_text(family)}</string>'
            f'</test><edit name="matrix" mode="assign"><times><name>matrix</name><matrix>'
            f'<double>{scale:.6f}</double><double>0</double><double>0</double>'
            f'<double>1</double></matrix></times></edit></match>'
            for family, scale in sorted(widths.items()))
        xml = ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
               f"<fontconfig>{rules}</fontconfig>").encode()
        if not fontconfig.FcConfigParseAndLoadFromMemory(fc._config, xml, True):
            raise WeasyPrintChanged("Fontconfig refused the character-scale rules")
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", fc.font_map))
    return fc


def _xml_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stylesheet(*, filename: str | None = None, string: str | None = None,
               fetcher: Any = None, fonts: Any = None, base_url: str | None = None) -> Any:
    """A parsed WeasyPrint stylesheet (medium "print") from a file or a string (relative
    addresses in a string resolved against ``base_url``)."""
    from weasyprint import CSS

    if filename is not None:
        return CSS(filename=filename, url_fetcher=fetcher, font_config=fonts,
                   media_type="print")
    return CSS(string=string, url_fetcher=fetcher, font_config=fonts, media_type="print",
               base_url=base_url)


def fetcher(serve: Callable[[str], tuple[str, bytes, str] | None],
            refuse: Callable[[str], str]) -> Any:
    """A WeasyPrint URL fetcher: ``data:image/`` URIs read by WeasyPrint, every other
    address given to ``serve`` (its URL, bytes and media type, or None); an address
    ``serve`` does not give is refused with ``refuse(url)`` as the error's message,
    before any request or read."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):  # noqa: D102 (WeasyPrint's interface)
            if url.startswith("data:image/"):
                return super().fetch(url, headers)
            got = serve(url)
            if got is None:
                raise ValueError(refuse(url))
            where, body, media = got
            return URLFetcherResponse(where, body, {"Content-Type": media})

    return Fetcher()


@contextmanager
def warnings_to(report: Callable[[str], None]) -> Iterator[None]:
    """WeasyPrint's warnings (unsupported CSS, failed resources) given to ``report``, one
    message each, while the block runs."""
    from weasyprint.logger import LOGGER

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            report(record.getMessage())

    handler = Handler(logging.WARNING)
    LOGGER.addHandler(handler)
    try:
        yield
    finally:
        LOGGER.removeHandler(handler)


def render(root: etree._Element, *, base_url: str, url_fetcher: Any, stylesheets: list,
           options: dict) -> Any:
    """The page laid out by WeasyPrint (a ``weasyprint.document.Document``); its
    ``unres_elements`` are the elements of the tree laid out, in document order (those of
    ``root``, one for one: see :func:`text_elements_on`)."""
    html = html_from_tree(root, base_url=base_url, url_fetcher=url_fetcher,
                          media_type="print")
    document = html.render(stylesheets=stylesheets, **options)
    document.unres_elements = list(html.etree_element.iter())
    return document


def _text_lines(box: Any, parent: Any, out: list) -> None:
    """(line box, the block that holds it) for every line under ``box`` that shows text,
    leaving out the running heads and feet and the notes' area."""
    from weasyprint.formatting_structure.boxes import (
        FootnoteAreaBox, LineBox, MarginBox, ParentBox, TextBox)

    if isinstance(box, (MarginBox, FootnoteAreaBox)):
        return
    if isinstance(box, LineBox):
        if any(isinstance(b, TextBox) and b.text.strip() for b in box.descendants()):
            out.append((box, parent))
        return
    if isinstance(box, ParentBox):
        for child in box.children:
            _text_lines(child, box, out)


def text_lines_on(document: Any, index: int) -> int:
    """How many lines of text page ``index`` of a laid-out ``document`` holds (not its
    running heads and feet, not its notes)."""
    out: list = []
    _text_lines(document.pages[index]._page_box, None, out)
    return len(out)


def text_elements_on(document: Any, indexes: tuple[int, ...]) -> list[int]:
    """Where the elements whose lines of text pages ``indexes`` hold stand among the
    laid-out tree's elements (document order; the same positions in the tree rendered,
    as :func:`html_from_tree` copies every element of it once, in order)."""
    at = {id(e): i for i, e in enumerate(document.unres_elements)}
    found: dict[int, None] = {}
    for index in indexes:
        out: list = []
        _text_lines(document.pages[index]._page_box, None, out)
        for _line, block in out:
            element = getattr(block, "element", None)
            if element is not None and id(element) in at:
                found[at[id(element)]] = None
    return sorted(found)


def notes_laid_out(document: Any) -> int:
    """How many footnote bodies the pages of a laid-out ``document`` carry."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    return sum(len(box.children) for page in document.pages
               for box in page._page_box.descendants() if isinstance(box, FootnoteAreaBox))


def write_pdf(document: Any, identifier: bytes, options: dict) -> bytes:
    """A laid-out document as PDF bytes, finished by :func:`finish`."""
    return document.write_pdf(pdf_identifier=identifier, finisher=finish, **options)


# ---------------------------------------------------------------- the page tree

def _lf(s: str | None) -> str | None:
    if s and "\r" in s:
        return s.replace("\r\n", "\n").replace("\r", "\n")
    return s


def _copy(el: etree._Element, parent: ET.Element | None, ns: str) -> ET.Element:
    tag = el.tag
    if tag == "svg":
        ns = _SVG
    attrib = {k: _lf(v) for k, v in el.attrib.items()}
    name = ns + tag if ns else tag
    e = ET.Element(name, attrib) if parent is None else ET.SubElement(parent, name, attrib)
    e.text, e.tail = _lf(el.text), _lf(el.tail)
    for child in el:
        if isinstance(child.tag, str):
            _copy(child, e, ns)
        elif child.tail:  # a comment's tail is text of its parent
            _append_text(e, _lf(child.tail))
    return e


def _append_text(e: ET.Element, s: str) -> None:
    if len(e):
        e[-1].tail = (e[-1].tail or "") + s
    else:
        e.text = (e.text or "") + s


def parsed_tree(root: etree._Element) -> ET.Element:
    """The ElementTree tinyhtml5 makes of ``serialize(root)`` (``root`` already laid out by
    :func:`pipeline.writers.html.serialize`: it adds the newlines between blocks)."""
    out = _copy(root, None, "")
    out.text = None  # whitespace before <head> is dropped by the parser
    out.tail = None
    body = out.find("body")
    if body is not None:
        # after </body> and </html>: the parser puts whitespace back at the end of body
        _append_text(body, (body.tail or "") + (root.tail or "") + "\n")
        body.tail = None
    return out


def html_from_tree(root: etree._Element, *, base_url: str, url_fetcher: Any,
                   media_type: str = "print") -> Any:
    """A :class:`weasyprint.HTML` of the page tree, without serialising and parsing it.

    WeasyPrint's own constructor runs on an empty page (so every attribute a WeasyPrint
    version sets is there), then the tree is put in its place."""
    import cssselect2
    from weasyprint import HTML

    html = HTML(string="<html></html>", base_url=base_url, url_fetcher=url_fetcher,
                media_type=media_type)
    html.base_url = base_url
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(
        parsed_tree(root), content_language=None)
    html.etree_element = html.wrapper_element.etree_element
    return html


# ---------------------------------------------------------------- streams

def finish(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: :func:`bare_cff_fonts`, then :func:`deflate_streams`; the PDF
    is then written by :func:`write_pdf_once`."""
    bare_cff_fonts(document, pdf)
    deflate_streams(pdf)
    pdf.write = functools.partial(write_pdf_once, pdf)


def write_pdf_once(pdf: Any, output: Any, version: bytes = b"1.7", identifier: Any = False,
                   compress: bool = False) -> None:
    """pydyf's ``PDF.write`` with each object's bytes made once.

    pydyf makes every object's bytes twice when the PDF has an identifier (once to write
    it, once for the digest in the trailer's ``/ID``), deflating the object stream at
    level 9 each time; this writes the same bytes (``tests/test_pdf_weasy.py`` compares
    the two) from one pass.  Only the compressed form WeasyPrint asks for (an object
    stream and a cross-reference stream, PDF 1.5 or later) is written here; anything
    else goes to pydyf's own ``write``."""
    import pydyf

    version = pydyf._to_bytes(version or b"1.7")
    if not (version >= b"1.5" and compress):
        return pydyf.PDF.write(pdf, output, version, identifier, compress)
    if identifier not in (False, True, None):
        identifier = pydyf._to_bytes(identifier)
    if pdf.info:
        pdf.add_object(pdf.info)
    made: dict[int, bytes] = {}

    def data(obj: Any) -> bytes:
        got = made.get(id(obj))
        if got is None:
            got = made[id(obj)] = obj.data
        return got

    def line(content: bytes) -> None:
        pdf.current_position += len(content) + 1
        output.write(content + b"\n")

    def indirect(obj: Any) -> bytes:
        return f"{obj.number} {obj.generation} obj\n".encode() + data(obj) + b"\nendobj"

    line(b"%PDF-" + version)
    line(b"%\xf0\x9f\x96\xa4")
    compressed = []
    for obj in pdf.objects:
        if obj.free == "f":
            continue
        if obj.compressible:
            compressed.append(obj)
        else:
            obj.offset = pdf.current_position
            line(indirect(obj))
    stream: list = [[]]
    position = 0
    for obj in compressed:
        chunk = data(obj)
        stream.append(chunk)
        stream[0].append(obj.number)
        stream[0].append(position)
        position += len(chunk) + 1
    stream[0] = " ".join(str(i) for i in stream[0])
    object_stream = pydyf.Stream(stream, {"Type": "/ObjStm", "N": len(compressed),
                                          "First": len(stream[0]) + 1}, compress)
    object_stream.offset = pdf.current_position
    pdf.add_object(object_stream)
    line(indirect(object_stream))
    xref = []
    index = 0
    for obj in pdf.objects:
        if obj.compressible:
            xref.append((2, object_stream.number, index))
            index += 1
        else:
            xref.append((bool(obj.number), obj.offset, obj.generation))
    xref.append((1, pdf.current_position, 0))
    field2 = math.ceil(math.log(pdf.current_position + 1, 256))
    generation = max(obj.generation for obj in pdf.objects)
    field3 = math.ceil(math.log(max(generation, len(compressed)) + 1, 256))
    lengths = (1, field2, field3)
    xref_stream = b"".join(value.to_bytes(length, "big")
                           for row in xref for length, value in zip(lengths, row))
    extra = {"Type": "/XRef", "Index": pydyf.Array((0, len(pdf.objects) + 1)),
             "W": pydyf.Array(lengths), "Size": len(pdf.objects) + 1,
             "Root": pdf.catalog.reference}
    if pdf.info:
        extra["Info"] = pdf.info.reference
    if identifier:
        digest = hashlib.md5(b"".join(data(obj) for obj in pdf.objects
                                      if obj.free != "f")).hexdigest().encode()
        if identifier is True:
            identifier = digest
        extra["ID"] = pydyf.Array((pydyf.String(identifier).data, pydyf.String(digest).data))
    xref_object = pydyf.Stream([xref_stream], extra, compress)
    pdf.xref_position = xref_object.offset = pdf.current_position
    pdf.add_object(xref_object)
    line(indirect(xref_object))
    line(b"startxref")
    line(f"{pdf.xref_position}".encode())
    line(b"%%EOF")


def deflate_streams(pdf: Any) -> None:
    """Deflate the streams (contents, fonts, maps) at :data:`LEVEL`.

    pydyf deflates a stream when it is written, at level 9; this writes the deflated
    bytes in its place and marks it deflated. The object and cross-reference streams
    pydyf makes while writing keep its level."""
    import pydyf

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or not obj.compress:
            continue
        raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
        obj.stream = [zlib.compress(raw, LEVEL)]
        obj.compress = False
        obj.extra["Filter"] = "/FlateDecode"


def bare_cff_fonts(document: Any, pdf: Any) -> None:
    """Embed each compact subset (:func:`_compact_subset`) as its bare ``CFF `` table
    (``/CIDFontType0C``): viewers look CIDs up in the charset only there (in an OpenType
    wrapper FreeType, so poppler and PDFium, takes them for glyph ids)."""
    import pydyf

    compact = [f.file_content for f in getattr(document, "fonts", {}).values()
               if getattr(f, "compact_cid", False)]
    if not compact:
        return
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType" \
                and len(obj.stream) == 1 and any(obj.stream[0] is c for c in compact):
            cff = _sfnt_table(obj.stream[0], "CFF ")
            if cff:
                obj.stream = [cff]
                obj.extra["Subtype"] = "/CIDFontType0C"


# ---------------------------------------------------------------- CID-keyed CFF (fontTools)

def _sfnt_table(font: bytes, tag: str) -> bytes | None:
    """Table ``tag`` of an OpenType font file, as stored; None when it has none."""
    from fontTools.ttLib.sfnt import SFNTReader

    reader = SFNTReader(io.BytesIO(font))
    return reader[tag] if tag in reader else None


def _cid_charset(cff: bytes) -> list[str] | None:
    """The glyph names of a CID-keyed ``CFF `` table ("cid01234"), in glyph order; None
    for a name-keyed one."""
    from fontTools.cffLib import CFFFontSet

    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    if len(fonts.topDictIndex) != 1:
        return None
    top = fonts.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    return list(top.charset)


def _cid(name: str) -> int:
    return 0 if name == ".notdef" else int(name.removeprefix("cid"))


def cff_cids(font: bytes) -> list[int] | None:
    """The CID of each glyph of an OpenType font with a CID-keyed ``CFF `` table, in glyph
    order; None when the font is not one."""
    if font[:4] != b"OTTO":
        return None
    cff = _sfnt_table(font, "CFF ")
    names = _cid_charset(cff) if cff else None
    return None if names is None else [_cid(n) for n in names]


def cids_are_glyph_ids(cff: Any) -> bool:
    """Whether a ``CFF `` table is CID-keyed with each glyph's CID equal to its glyph id
    (as in Noto Serif CJK)."""
    names = _cid_charset(bytes(cff))
    return names is not None and all(_cid(n) == gid for gid, n in enumerate(names))


_CFF_CHECKED: dict[tuple[int, int], tuple[Any, bool]] = {}


def _face_cids_are_glyph_ids(font: Any) -> bool:
    """:func:`cids_are_glyph_ids` of a face's ``CFF `` table, read once per process: the
    answer is kept with a reference to HarfBuzz's blob, so the address that keys it stays
    that table's."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(font.hb_face,
                                            harfbuzz.hb_tag_from_string(b"CFF ", -1))
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    if data == ffi.NULL or length[0] < 4:
        harfbuzz.hb_blob_destroy(blob)
        return False
    key = (int(ffi.cast("uintptr_t", data)), int(length[0]))
    with _INSTALLED:
        kept = _CFF_CHECKED.get(key)
    if kept is not None:
        harfbuzz.hb_blob_destroy(blob)
        return kept[1]
    answer = cids_are_glyph_ids(ffi.buffer(data, length[0]))
    with _INSTALLED:
        if key in _CFF_CHECKED:
            harfbuzz.hb_blob_destroy(blob)
        else:
            _CFF_CHECKED[key] = (blob, answer)
    return answer


def _compact_subset(font: Any, to_unicode: dict, hinting: bool) -> bytes | None:
    """``font``'s glyphs ``to_unicode`` (and what HarfBuzz adds to them), each keeping its
    CID, or None when that would not show the same glyphs for the same codes: a face whose
    CIDs are not its glyph ids, or a subset without one of the CIDs."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    if font.missing or "CFF " not in font.tables or not to_unicode:
        return None
    if not _face_cids_are_glyph_ids(font):
        return None
    gids = sorted(set(to_unicode) | {0})
    hbs = harfbuzz_subset
    subset = ffi.gc(hbs.hb_subset_input_create_or_fail(), hbs.hb_subset_input_destroy)
    glyphs = hbs.hb_subset_input_glyph_set(subset)
    harfbuzz.hb_set_add_sorted_array(glyphs, ffi.new(f"hb_codepoint_t[{len(gids)}]", gids),
                                     len(gids))
    flags = hbs.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | hbs.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= hbs.HB_SUBSET_FLAGS_NO_HINTING
    hbs.hb_subset_input_set_flags(subset, flags)
    drop = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in (
        b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH",
        b"PCLT", b"SVG "))  # WeasyPrint's list: tables a PDF viewer never reads
    harfbuzz.hb_set_add_sorted_array(
        hbs.hb_subset_input_set(subset, hbs.HB_SUBSET_SETS_DROP_TABLE_TAG),
        ffi.new(f"hb_codepoint_t[{len(drop)}]", drop), len(drop))
    face = hbs.hb_subset_or_fail(font.hb_face, subset)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    data = get_hb_object_data(face)
    # the page shows the full face's glyph ids as CIDs: the subset must keep them all
    cids = cff_cids(data) if data else None
    if cids is None or not set(gids) <= set(cids):
        return None
    return data


# ---------------------------------------------------------------- the hooks

_INSTALLED = threading.Lock()
_OURS: ContextVar[bool] = ContextVar("unres_rendering", default=False)

#: a face file of this size or more is copied once per process, not once per page
BIG_FACE = 4 << 20
_FACES: dict[tuple[int, int], tuple[Any, bytes]] = {}


def _face_data(own: Any) -> Any:
    """WeasyPrint's ``get_hb_object_data`` keeping the copy of each big face file.

    WeasyPrint copies a face's whole file into every page's font object (26 MB for a Noto
    CJK collection, twice for regular and bold: about 35 ms a Chinese page), though the
    file never changes. The copy is kept with a reference to HarfBuzz's blob, so the
    address that keys it stays that file's."""
    from weasyprint.text.ffi import ffi, harfbuzz

    @functools.wraps(own)
    def get_hb_object_data(hb_object, ot_color=None, glyph=None):
        if ot_color is not None or not _OURS.get():
            return own(hb_object, ot_color, glyph)
        blob = harfbuzz.hb_face_reference_blob(hb_object)
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        if data == ffi.NULL or length[0] < BIG_FACE:
            harfbuzz.hb_blob_destroy(blob)
            return own(hb_object)
        key = (int(ffi.cast("uintptr_t", data)), int(length[0]))
        with _INSTALLED:
            kept = _FACES.get(key)
            if kept is None:
                kept = _FACES[key] = (blob, ffi.unpack(data, length[0]))
                return kept[1]
        harfbuzz.hb_blob_destroy(blob)
        return kept[1]

    get_hb_object_data.unres = True
    return get_hb_object_data


def install() -> None:
    """Hook :func:`rendering` into WeasyPrint (once per process): compact CID-keyed subsets
    (:func:`_compact_subset`) and one copy of each big face file (:func:`_face_data`).
    Outside :func:`rendering` both hooks are WeasyPrint's own functions: its other
    callers in the process embed fonts without :func:`finish`, which a compact subset
    needs.  A WeasyPrint or pydyf other than the tested ones (:func:`check`) is refused
    with :class:`WeasyPrintChanged`."""
    import weasyprint.pdf.fonts as fonts

    with _INSTALLED:
        if installed():
            return
        problems = check()
        if problems:
            raise WeasyPrintChanged("the PDF writer relies on internals of the tested "
                                    "WeasyPrint and pydyf: " + "; ".join(problems))
        own = fonts.Font._harfbuzz_subset

        @functools.wraps(own)
        def _harfbuzz_subset(self, to_unicode, hinting):
            data = None
            if _OURS.get():
                try:
                    data = _compact_subset(self, to_unicode, hinting)
                except Exception:  # an unexpected face: WeasyPrint's own way
                    data = None
            if data is None:
                return own(self, to_unicode, hinting)
            self.file_content = data
            self.compact_cid = True  # to be embedded as bare CFF (bare_cff_fonts)

        _harfbuzz_subset.unres = True
        fonts.Font._harfbuzz_subset = _harfbuzz_subset
        fonts.Font.__init__ = _face_named(fonts.Font.__init__)
        import weasyprint.layout.block as block
        block._linebox_layout = _note_keeps_line(block._linebox_layout)
        import weasyprint.layout.inline as inline
        inline.justify_line = _spread_justify(inline.justify_line)
        inline.get_next_linebox = _indent_at_start(inline.get_next_linebox)
        fonts.get_hb_object_data = _face_data(fonts.get_hb_object_data)


def installed() -> bool:
    """Whether :func:`install` has hooked its functions into the WeasyPrint imported."""
    import weasyprint.pdf.fonts as fonts

    import weasyprint.layout.block as block
    import weasyprint.layout.inline as inline

    return all(getattr(f, "unres", False)
               for f in (fonts.Font._harfbuzz_subset, fonts.get_hb_object_data,
                         fonts.Font.__init__, block._linebox_layout, inline.justify_line,
                         inline.get_next_linebox))


#: the line of WeasyPrint's ``_linebox_layout`` that moves the notes already on a page to
#: the next one so that a line that overflows the page can stay (widows and orphans)
_REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"


def _note_keeps_line(own: Any) -> Any:
    """WeasyPrint's ``_linebox_layout`` in which a line that overflows the page never
    sends the page's notes on to the next page to stay where it is (the page breaks
    before it, as widows and orphans allow, and its lines take their notes along), so
    every note stays on the page of its call, as in Word.  WeasyPrint's own source with
    that one line changed (:data:`_REPORT_LINE`; the digest in :data:`INTERNALS` pins the
    source), compiled once per process in the module's namespace."""
    source = inspect.getsource(own)
    if source.count(_REPORT_LINE) != 1:
        raise WeasyPrintChanged("weasyprint.layout.block._linebox_layout has changed")
    namespace: dict = {}
    exec(compile(source.replace(_REPORT_LINE, "report = False"),  # noqa: S102 - pinned source
                 inspect.getsourcefile(own) or "<weasyprint>", "exec"),
         own.__globals__, namespace)
    patched = namespace[own.__name__]

    @functools.wraps(own)
    def _linebox_layout(*args, **kwargs):
        return (patched if _OURS.get() else own)(*args, **kwargs)

    _linebox_layout.unres = True
    return _linebox_layout


#: the line of WeasyPrint's ``get_next_linebox`` that puts a laid-out line in place
_PLACE_LINE = "        line.translate(offset_x, offset_y)\n"
#: ... and what follows it within rendering(): a right-to-left line's content moved to
#: the left by the indent WeasyPrint left on its left (its end)
_PLACE_RTL_LINE = _PLACE_LINE + (
    "        if linebox.text_indent and containing_block.style['direction'] == 'rtl':\n"
    "            for child in line.children:\n"
    "                child.translate(dx=-linebox.text_indent)\n")


def _indent_at_start(own: Any) -> Any:
    """WeasyPrint's ``get_next_linebox`` in which the first line of a right-to-left
    paragraph is indented at its start, the right, as ``text-indent`` asks: WeasyPrint
    lays every line out from the left, the first one after the indent, and puts a
    right-to-left line against the right edge, so the indent ends up on the left,
    where a justified first line falls short and a ragged one hides it.  The line's
    content (justified or not: the line's width holds the indent) is moved left by the
    indent, the line box stays.  WeasyPrint's own source with that one line extended
    (:data:`_PLACE_RTL_LINE`; the digest in :data:`INTERNALS` pins the source),
    compiled once per process in the module's namespace."""
    source = inspect.getsource(own)
    if source.count(_PLACE_LINE) != 1:
        raise WeasyPrintChanged("weasyprint.layout.inline.get_next_linebox has changed")
    namespace: dict = {}
    exec(compile(source.replace(_PLACE_LINE, _PLACE_RTL_LINE),  # noqa: S102 - pinned source
                 inspect.getsourcefile(own) or "<weasyprint>", "exec"),
         own.__globals__, namespace)
    patched = namespace[own.__name__]

    @functools.wraps(own)
    def get_next_linebox(*args, **kwargs):
        return (patched if _OURS.get() else own)(*args, **kwargs)

    get_next_linebox.unres = True
    return get_next_linebox


#: the custom property a stylesheet sets for CSS Text's ``text-justify``, which WeasyPrint
#: 70 does not know, as WeasyPrint names it in a computed style (``--text-justify``):
#: ``inter-character`` or ``inter-word``
TEXT_JUSTIFY = "__text_justify"
_JUSTIFY_MODES = ("inter-character", "inter-word")


def _justify_mode(style: Any) -> str | None:
    """The ``--text-justify`` of a style (:data:`TEXT_JUSTIFY`), None when it sets none."""
    try:
        value = style[TEXT_JUSTIFY]
    except (KeyError, TypeError):
        return None
    for t in value or ():
        if getattr(t, "value", None) in _JUSTIFY_MODES:
            return t.value
    return None


def _wide(ch: str) -> bool:
    """A character set on the full em of the CJK scripts (ideographs, kana, hangul, their
    punctuation and full-width forms): East Asian Width W or F."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _spread_justify(own: Any) -> Any:
    """WeasyPrint's ``justify_line``, which widens only a line's spaces (a line of Chinese
    has none) and misplaces them in right-to-left text, spreading the line's extra width
    over gaps the paragraph's style chooses with ``--text-justify``
    (:data:`TEXT_JUSTIFY`):

    - ``inter-character``: every gap next to a wide character (:func:`_wide`) and every
      space, none between two Latin letters or digits, none on either side of a raised
      box (a note's call) or an inline block (an item's number);
    - ``inter-word``: every space but a raised one, in either direction (WeasyPrint's
      own widens a space that opens or ends a text box twice or not at all in
      right-to-left text: "إذ تشير  إلى", "وإذ تسلمبأن").

    WeasyPrint's own function for every other line, or a line with no such gap.

    WeasyPrint calls it for the justified lines but a paragraph's last, after the line
    is broken (Pango's line-breaking rules for CJK stand) and trailing spaces removed.
    Each gap takes a whole thousandth of its text's em (the unit of the PDF's glyph
    positions), the gaps together the line's extra width to within half of one: the
    line's last glyph ends at the column's edge.  The boxes move as WeasyPrint's own
    ``add_word_spacing`` moves them; each text box with gaps is drawn from a layout
    whose glyph advances carry them (:func:`_spread_layout`)."""

    @functools.wraps(own)
    def justify_line(context, line, extra_width):
        mode = _justify_mode(line.style) if _OURS.get() and extra_width > 0 else None
        if mode:
            gaps = _gaps(line, mode)
            if gaps:
                _spread(context, line, gaps, extra_width)
                return None
        return own(context, line, extra_width)

    justify_line.unres = True
    return justify_line


def _leaves(box: Any, raised: bool, out: list) -> None:
    """The line's text boxes and atomic boxes in order, each with whether it is raised."""
    from weasyprint.formatting_structure import boxes

    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            out.append((child, raised))
        elif isinstance(child, boxes.InlineBox):
            _leaves(child, raised or child.style["vertical_align"] != "baseline", out)
        else:
            out.append((child, True))       # an inline block: no gap on either side


def _gaps(line: Any, mode: str) -> dict[int, list[int]]:
    """Per text box (by ``id``): the indices of its characters after which the line
    may widen in ``mode`` (see :func:`_spread_justify`)."""
    from weasyprint.formatting_structure import boxes

    leaves: list = []
    _leaves(line, False, leaves)
    chars: list[tuple[Any, int, str, bool]] = []
    for box, raised in leaves:
        if isinstance(box, boxes.TextBox):
            chars.extend((box, i, ch, raised) for i, ch in enumerate(box.text))
        else:
            chars.append((box, -1, "", True))
    gaps: dict[int, list[int]] = {}
    for (box, i, ch, raised), (_, _, nxt, raised_next) in zip(chars, chars[1:]):
        if mode == "inter-word":
            if ch in " \u00a0" and not raised:
                gaps.setdefault(id(box), []).append(i)
            continue
        if raised or raised_next or not ch or not nxt:
            continue
        if ch in " \u00a0" or _wide(ch) or _wide(nxt):
            gaps.setdefault(id(box), []).append(i)
    return gaps


def _spread(context: Any, line: Any, gaps: dict[int, list[int]], extra: float) -> None:
    """``extra`` points shared among ``gaps`` (see :func:`_spread_justify`); the boxes
    after each gap moved as ``add_word_spacing`` moves them."""
    from weasyprint.formatting_structure import boxes

    count = sum(len(g) for g in gaps.values())
    step = extra / count
    done = [0, 0.0]                     # gaps spread, points given

    def walk(box: Any, advance: float) -> float:
        if isinstance(box, boxes.TextBox):
            box.position_x += advance
            at = gaps.get(id(box))
            if at:
                size = box.style["font_size"]
                widths = {}
                for i in at:
                    done[0] += 1
                    units = round((step * done[0] - done[1]) * 1000 / size)
                    widths[i] = units
                    done[1] += units * size / 1000
                added = sum(widths.values()) * size / 1000
                box.pango_layout = _spread_layout(context, box, widths)
                box.width += added
                advance += added
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += advance
            before = advance
            children = box.children
            if box.style["direction"] == "rtl":
                children = children[::-1]       # left to right, as drawn
            for child in children:
                if child.is_in_normal_flow():
                    advance = walk(child, advance)
            box.width += advance - before
        else:
            box.translate(advance, 0)
        return advance

    walk(line, 0.0)


@functools.cache
def _spread_layout_class() -> type:
    from weasyprint.text.ffi import FROM_UNITS, ffi
    from weasyprint.text.line_break import Layout

    class SpreadLayout(Layout):
        """A text box's layout whose first line's glyph advances carry the box's gaps:
        ``spread`` maps the UTF-8 offset of a character to the thousandths of the em
        added after it."""

        spread: dict[int, int] = {}
        spread_line: Any = None

        def setup(self, style):
            self.spread_line = None         # a new Pango layout: its lines not spread yet
            super().setup(style)

        def get_first_line(self):
            first_line, index = super().get_first_line()
            if self.spread and self.spread_line != first_line:
                self.spread_line = first_line
                size, spread = self.style["font_size"], self.spread
                run = first_line.runs
                while run != ffi.NULL:
                    glyph_item = run.data
                    run = run.next
                    item, glyphs = glyph_item.item, glyph_item.glyphs
                    offset, length = item.offset, item.length
                    here = [(at - offset, k) for at, k in spread.items()
                            if offset <= at < offset + length]
                    if not here:
                        continue
                    # each cluster's last glyph (glyphs are in visual order: a right-to-
                    # left run's clusters descend); a character's width goes after the
                    # last glyph of the cluster that holds it
                    last = {c: g for g, c in
                            enumerate(ffi.unpack(glyphs.log_clusters, glyphs.num_glyphs))}
                    starts = sorted(last)
                    added: dict[int, int] = {}
                    for at, k in here:
                        g = last[starts[bisect.bisect_right(starts, at) - 1]]
                        added[g] = added.get(g, 0) + k
                    for g, k in added.items():
                        # whole thousandths of the em once drawn (draw_first_line drops
                        # a fraction): a hair over, never under
                        glyphs.glyphs[g].geometry.width += math.ceil(
                            k * size / 1000 / FROM_UNITS)
            return first_line, index

    return SpreadLayout


def _spread_layout(context: Any, box: Any, widths: dict[int, int]) -> Any:
    """The layout ``box`` is drawn from, as ``add_word_spacing`` makes it (left inactive
    until drawn), the character at each index of ``widths`` followed by that many
    thousandths of the em."""
    from weasyprint.text.line_break import create_layout

    # the text the box is drawn with: the line's trailing spaces, which WeasyPrint strips
    # from the box's text but not from its layout, stay (it moves a right-to-left box by
    # their width, so that its text, drawn after them, stays in place)
    text = box.text
    kept = getattr(box.pango_layout, "text", None)
    if kept and kept != text and kept.rstrip(" ") == text:
        text = kept
    layout = create_layout(text, box.style, context, max_width=None,
                           justification_spacing=box.justification_spacing)
    layout.__class__ = _spread_layout_class()
    offsets = {}
    at = 0
    for i, ch in enumerate(box.text):
        if i in widths:
            offsets[at] = widths[i]
        at += len(ch.encode("utf-8"))
    layout.spread = offsets
    layout.deactivate()
    return layout


_PS_NAMES: dict[tuple, str] = {}
_PDF_NAME = re.compile(r"[^A-Za-z0-9_.+-]")


def postscript_name(data: bytes, index: int = 0) -> str:
    """The PostScript name of face ``index`` of a font file (its ``name`` table, ID 6),
    "" when it has none; read once per process and face."""
    key = (len(data), index, hashlib.sha256(data[:4096]).digest())
    name = _PS_NAMES.get(key)
    if name is None:
        from fontTools.ttLib import TTFont

        try:
            font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
            name = _PDF_NAME.sub("", font["name"].getDebugName(6) or "")[:63]
        except Exception:  # a face without a readable name table: WeasyPrint's name
            name = ""
        _PS_NAMES[key] = name
    return name


def _face_named(own: Any) -> Any:
    """WeasyPrint's ``Font.__init__`` naming the embedded face by its own PostScript name
    ("LiberationSerif-Bold", "TimesNewRomanPS-BoldMT"), as other PDF makers do, instead
    of the family the stylesheet gave it ("UN-Latin-Bold"); the subset tag before the
    "+" stays WeasyPrint's."""

    @functools.wraps(own)
    def __init__(self, pango_font, description, font_size):
        own(self, pango_font, description, font_size)
        if _OURS.get():
            ps = postscript_name(self.file_content, self.index)
            if ps:
                self.name = b"/" + self.hash.encode() + b"+" + ps.encode("ascii")

    __init__.unres = True
    return __init__


@contextmanager
def rendering() -> Iterator[None]:
    """The block renders a page that :func:`finish` finishes: the hooks of :func:`install`
    on.  The caller pauses the garbage collector around the whole page (:func:`gc_paused`),
    so that the collection after it finds the page gone, not alive."""
    token = _OURS.set(True)
    try:
        yield
    finally:
        _OURS.reset(token)


# ---------------------------------------------------------------- garbage collection

@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection while the block runs; the youngest generation (the objects the
    block made) is collected after it.  Collected once the block's page is dropped, this
    walks only the page's cycles, not every box, style and PDF object of a page still
    held."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        gc.collect(0)
