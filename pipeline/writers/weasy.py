"""WeasyPrint, fed and finished cheaply: the parts of a PDF's cost that do not depend on
the page's layout (``benchmarks/pdf_bench.py`` measures them per document and language).

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
  Chinese page's cost); :func:`finish` embeds it as bare CFF. A face whose CIDs are not
  its glyph ids, a name-keyed or TrueType face, a face with missing glyphs, any failure,
  and every WeasyPrint call outside :func:`rendering` get WeasyPrint's own subsetting;
- within :func:`rendering`, a face file of :data:`BIG_FACE` bytes or more (a CJK
  collection) is copied into Python once per process, not once per page;
- :func:`finish` deflates the page contents and embedded fonts at zlib level
  :data:`LEVEL` (pydyf uses 9: about twice the time for files under 1 % smaller);
- within :func:`rendering` the cyclic garbage collector does not run (its full passes
  walk every object the process holds, the parsed stylesheets and the caller's trees
  included); the page's own cycles are collected right after, so memory stays flat over
  a batch, and the collector is left enabled or disabled as it was found;
- nothing here keeps state from one document to the next: the same page gives the same
  bytes whatever was rendered before (``tests/test_pdf_weasy.py``).
"""

from __future__ import annotations

import gc
import struct
import threading
import xml.etree.ElementTree as ET
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

from lxml import etree

#: zlib level of the streams WeasyPrint writes (see :func:`deflate_streams`)
LEVEL = 6

_SVG = "{http://www.w3.org/2000/svg}"


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
    """WeasyPrint finisher: :func:`bare_cff_fonts`, then :func:`deflate_streams`."""
    bare_cff_fonts(document, pdf)
    deflate_streams(pdf)


def deflate_streams(pdf: Any) -> None:
    """Deflate the streams (contents, fonts, maps) at :data:`LEVEL`.

    pydyf deflates a stream when it is written, at level 9; this writes the deflated
    bytes in its place and marks it deflated. The object and cross-reference streams
    pydyf makes while writing keep its level."""
    import pydyf

    to_bytes = getattr(pydyf, "_to_bytes", None)  # how pydyf writes a stream's items
    if to_bytes is None:
        return
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or not obj.compress:
            continue
        raw = b"\n".join(to_bytes(item) for item in obj.stream)
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
            cff = _sfnt_table(obj.stream[0], b"CFF ")
            if cff:
                obj.stream = [cff]
                obj.extra["Subtype"] = "/CIDFontType0C"


# ---------------------------------------------------------------- CID-keyed subsets

def _index(data: bytes, pos: int) -> tuple[list[bytes], int]:
    """A CFF INDEX at ``pos``: its items and the position after it."""
    count = struct.unpack_from(">H", data, pos)[0]
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    offs = [int.from_bytes(data[pos + 3 + i * size:pos + 3 + (i + 1) * size], "big")
            for i in range(count + 1)]
    base = pos + 2 + (count + 1) * size
    return [data[base + offs[i]:base + offs[i + 1]] for i in range(count)], base + offs[-1]


def _dict(data: bytes) -> dict[int, list[float]]:
    """A CFF DICT: operator (12 x as 1200 + x) -> operands."""
    out: dict[int, list[float]] = {}
    ops: list[float] = []
    i = 0
    while i < len(data):
        b = data[i]
        if b <= 21:
            op = b
            if b == 12:
                i += 1
                op = 1200 + data[i]
            out[op] = ops
            ops = []
            i += 1
        elif b == 28:
            ops.append(struct.unpack_from(">h", data, i + 1)[0])
            i += 3
        elif b == 29:
            ops.append(struct.unpack_from(">i", data, i + 1)[0])
            i += 5
        elif b == 30:  # a real: nibbles up to 0xf (never an offset; skipped)
            i += 1
            while data[i] & 0x0F != 0x0F and data[i] >> 4 != 0x0F:
                i += 1
            ops.append(0.0)
            i += 1
        elif 32 <= b <= 246:
            ops.append(b - 139)
            i += 1
        elif 247 <= b <= 250:
            ops.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b <= 254:
            ops.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            raise ValueError(f"CFF DICT byte {b}")
    return out


def _sfnt_table(font: bytes, tag: bytes) -> bytes | None:
    n = struct.unpack_from(">H", font, 4)[0]
    for i in range(n):
        name, _, off, length = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        if name == tag:
            return font[off:off + length]
    return None


def _charset(cff: Any) -> tuple[int, int, int] | None:
    """Where a CID-keyed CFF table's charset is: (position, format, glyph count); None for
    a name-keyed one."""
    _, pos = _index(cff, cff[2])                       # Name INDEX
    tops, _ = _index(cff, pos)                         # Top DICT INDEX
    if len(tops) != 1:
        return None
    top = _dict(bytes(tops[0]))
    if 1230 not in top or 15 not in top or 17 not in top:  # ROS, charset, CharStrings
        return None
    glyphs = struct.unpack_from(">H", cff, int(top[17][0]))[0]
    pos = int(top[15][0])
    return pos + 1, cff[pos], glyphs


def _ranges(cff: Any, pos: int, fmt: int, glyphs: int) -> Iterator[tuple[int, int]]:
    """(first CID, count) runs of the charset, glyph 1 onwards."""
    seen = 1
    while seen < glyphs:
        if fmt == 0:
            first, count, pos = struct.unpack_from(">H", cff, pos)[0], 1, pos + 2
        elif fmt == 1:
            first, left = struct.unpack_from(">HB", cff, pos)
            count, pos = left + 1, pos + 3
        elif fmt == 2:
            first, left = struct.unpack_from(">HH", cff, pos)
            count, pos = left + 1, pos + 4
        else:
            raise ValueError(f"CFF charset format {fmt}")
        count = min(count, glyphs - seen)
        yield first, count
        seen += count


def cff_cids(font: bytes) -> list[int] | None:
    """The CID of each glyph of an OpenType font with a CID-keyed ``CFF `` table, in glyph
    order; None when the font is not one."""
    cff = _sfnt_table(font, b"CFF ") if font[:4] == b"OTTO" else None
    where = _charset(cff) if cff else None
    if where is None:
        return None
    cids = [0]
    for first, count in _ranges(cff, *where):
        cids.extend(range(first, first + count))
    return cids


def cids_are_glyph_ids(cff: Any) -> bool:
    """Whether a ``CFF `` table is CID-keyed with each glyph's CID equal to its glyph id
    (as in Noto Serif CJK): read from its charset, without copying the table."""
    where = _charset(cff)
    if where is None:
        return False
    if where[1] == 0:  # one CID per glyph: compare in one go
        pos, _, glyphs = where
        return cff[pos:pos + 2 * (glyphs - 1)] == b"".join(
            struct.pack(">H", i) for i in range(1, glyphs))
    expected = 1
    for first, count in _ranges(cff, *where):
        if first != expected:
            return False
        expected += count
    return True


def _face_cids_are_glyph_ids(font: Any) -> bool:
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(font.hb_face,
                                            harfbuzz.hb_tag_from_string(b"CFF ", -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        if data == ffi.NULL or length[0] < 4:
            return False
        return cids_are_glyph_ids(memoryview(ffi.buffer(data, length[0])))
    finally:
        harfbuzz.hb_blob_destroy(blob)


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
    needs. A WeasyPrint without HarfBuzz subsetting or without these functions is left
    alone."""
    import weasyprint.pdf.fonts as fonts
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    with _INSTALLED:
        own = getattr(fonts.Font, "_harfbuzz_subset", None)
        if own is not None and not getattr(own, "unres", False) and harfbuzz_subset \
                and harfbuzz.hb_version_atleast(4, 1, 0):

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
        own_data = getattr(fonts, "get_hb_object_data", None)
        if own_data is not None and not getattr(own_data, "unres", False):
            fonts.get_hb_object_data = _face_data(own_data)


@contextmanager
def rendering() -> Iterator[None]:
    """The block renders a page that :func:`finish` finishes: the hooks of :func:`install`
    on, and the garbage collector paused (:func:`gc_paused`)."""
    token = _OURS.set(True)
    try:
        with gc_paused():
            yield
    finally:
        _OURS.reset(token)


# ---------------------------------------------------------------- garbage collection

@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection while the block runs; the youngest generation (the objects the
    block made) is collected after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        gc.collect(0)
