"""A PDF's pages, read from its glyphs: the one module that knows the PDF library (pdfium,
through pypdfium2).

Guarantees of :func:`read_pages`:

- the bytes are checked before any parsing: a PDF header, an end-of-file
  marker (a truncated download has none), a page count under
  :data:`MAX_PAGES`; every compressed stream inflates to at most
  :data:`MAX_STREAM` bytes (a compression bomb is refused before pdfium sees
  it, :func:`check_streams`); the file is opened with pdfium; an encrypted file
  that does not open without a password, a file pdfium cannot open and a
  damaged page are each a :class:`~pipeline.errors.ReadError`; a page with more
  than :data:`MAX_GLYPHS` characters is refused, with its number;
- each page's upright characters become :class:`~.layout.Glyph`\\ s (font
  name -> italic/bold, size, box as pdfminer measures it: the advance width
  across, the size up from the descent; baseline, colour) in rows
  (:func:`.layout.make_rows`); rotated characters are left out, counted in a
  warning per page;
- a page with no text at all (a scanned page) is left out with a warning;
  when no page has text, the file is refused;
- the page's thin rules (a thin box, or a border WeasyPrint draws as two
  boxes) give the rule under the running head (pages after the first) and
  a drawn rule over the notes.

Nothing here depends on the document's language: the reader decides it from
the pages' text (:attr:`DrawnPage.text`) before it sorts the rows into body,
notes and furniture with that language's patterns (:func:`.layout.split_page`).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

from ...ast import Span
from ...errors import Diagnostic, ReadError
from ...limits import LimitError
from . import layout
from .bidi import bidi_type, has_rtl
from .layout import Glyph, Row

#: the most pages read; a longer file is refused before its pages are parsed
MAX_PAGES = 2000

_ITALIC = re.compile(r"italic|oblique|-it$|,it$", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclass(frozen=True, slots=True)
class DrawnPage:
    """A page as drawn: its rows of glyphs, top to bottom, its height and the tops of
    the rule under its running head and of a rule drawn over its notes (points from
    the page's top, None when there is none)."""

    index: int
    rows: tuple[Row, ...]
    height: float
    head_rule: float | None = None
    note_rule: float | None = None

    @property
    def text(self) -> str:
        """The text of the page's rows, one line each (furniture and notes included)."""
        return "\n".join(r.text for r in self.rows if not r.blank)

    def sorted(self, furniture: dict[str, re.Pattern]) -> layout.PageRows:
        """The rows sorted into body, notes and furniture with a language's furniture
        patterns (:func:`.layout.split_page`)."""
        return layout.split_page(list(self.rows), self.index, self.height, furniture,
                                 head_rule=self.head_rule, note_rule=self.note_rule)


def page_span(path: str, page: int, row: int = 1) -> Span:
    """A position in a PDF: the page (0-based ``page`` -> line ``page + 1``) and a row."""
    return Span(path, page + 1, row)


def _check_bytes(data: bytes, path: str) -> None:
    if not data.strip():
        raise ReadError("empty file: no resolution text", Span(path, 1, 1))
    head = data[:1024]
    if b"%PDF-" not in head:
        raise ReadError("not a PDF file (no %PDF- header)", Span(path, 1, 1))
    if b"%%EOF" not in data[-2048:]:
        raise ReadError("truncated PDF (no end-of-file marker): the file is incomplete",
                        Span(path, 1, 1))


#: a compressed stream inflates to at most this many bytes
MAX_STREAM = 64 * 1024 * 1024
#: a page holds at most this many characters
MAX_GLYPHS = 60_000

def check_streams(data: bytes, path: str, limit: int = MAX_STREAM) -> None:
    """Every stream of the file decoded in pieces through its chain of filters (Flate,
    LZW, run-length, ASCII hex and base-85: those that pdfium applies to a page's
    content and that expand), none past ``limit`` bytes at any step of the chain and
    all together past four times that; else a :class:`~pipeline.limits.LimitError`
    that gives the stream's byte offset.  Nothing is kept: memory stays at a few
    pieces whatever the ratio.  pdfium inflates with no limit of its own: a
    compression bomb (one Flate, or Flate over Flate) is refused before it."""
    total = 0
    for k, start, end, filters in _streams(data):
        size = 0
        try:
            for piece in _decoded(_pieces(data, start, end), filters):
                size += len(piece)
                if size > limit or total + size > 4 * limit:
                    raise LimitError(
                        f"the compressed stream at byte {k} inflates to more than "
                        f"{limit // 2**20} MB, a compression bomb? (limit {limit // 2**20}; "
                        "raise with --limit pdf_stream_mb=N)", Span(path, 1, 1))
        except (zlib.error, ValueError, IndexError):
            pass                    # damaged or not what it says: pdfium decides
        total += size


#: the filters decoded by :func:`check_streams` (full and abbreviated names); a chain
#: stops at any other (an image's: pdfium does not decode images to read text)
_FILTERS = {b"FlateDecode": "flate", b"Fl": "flate", b"LZWDecode": "lzw", b"LZW": "lzw",
            b"RunLengthDecode": "rl", b"RL": "rl", b"ASCIIHexDecode": "hex", b"AHx": "hex",
            b"ASCII85Decode": "a85", b"A85": "a85"}
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+\d+\s+R)?")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")


def _streams(data: bytes):
    """(offset of ``stream``, first and end byte of its data, its filters) of each
    stream: filters from the dictionary before it (Flate when it names none, as before
    a damaged dictionary), the end from a direct or indirect /Length, else from
    ``endstream``.  Linear in the file: each byte is looked at a bounded number of
    times (the dictionaries searched do not overlap, the objects that hold lengths are
    indexed once)."""
    at = 0
    floor = 0                       # where the dictionary of the next stream may begin
    lengths: dict[tuple[bytes, bytes], int] | None = None
    while (k := data.find(b"stream", at)) >= 0:
        at = k + 6
        if data[k - 3:k] == b"end":
            floor = at
            continue
        start = k + 6 + (2 if data[k + 6:k + 8] == b"\r\n" else
                         1 if data[k + 6:k + 7] in (b"\n", b"\r") else 0)
        lo = max(floor, k - 4096)
        obj = data.rfind(b"obj", lo, k)
        head = data[obj if obj >= 0 else lo:k]
        m = _FILTER.search(head)
        names = [n for n in _NAME.findall(m.group(1))] if m else [b"FlateDecode"]
        filters = []
        for n in names:
            if n not in _FILTERS:
                break
            filters.append(_FILTERS[n])
        end = -1
        length = _LENGTH.search(head)
        if length and not length.group(2):
            end = start + int(length.group(1))
        elif length:
            if lengths is None:
                lengths = {(g[0], g[1]): int(g[2]) for g in _LENGTH_OBJ.findall(data)}
            ref = lengths.get((length.group(1), length.group(2).split()[0]))
            if ref is not None:
                end = start + ref
        if end < start or end > len(data):
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        if filters:
            yield k, start, end, filters
        at = floor = max(at, end)


#: an object that holds a number alone (an indirect /Length): number, generation, value
_LENGTH_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj")


def _pieces(data: bytes, start: int, end: int, size: int = 65536):
    for pos in range(start, end, size):
        yield data[pos:min(end, pos + size)]


def _decoded(pieces, filters: list[str]):
    """The pieces decoded through each filter in turn, lazily, one bounded piece at a
    time."""
    for f in filters:
        pieces = _DECODERS[f](pieces)
    return pieces


def _flate(pieces):
    inflater = zlib.decompressobj()
    for tail in pieces:
        while tail and not inflater.eof:
            out = inflater.decompress(tail, 2**20)
            tail = inflater.unconsumed_tail
            if out:
                yield out
        if inflater.eof:
            return


def _hex(pieces):
    odd = b""
    for p in pieces:
        p = odd + bytes(c for c in p if c in b"0123456789abcdefABCDEF>")
        cut = p.find(b">")
        p = p if cut < 0 else p[:cut]
        odd, p = (p[-1:], p[:-1]) if len(p) % 2 else (b"", p)
        yield bytes.fromhex(p.decode("ascii"))
        if cut >= 0:
            return


def _a85(pieces):
    import base64

    rest = b""
    for p in pieces:
        p = rest + bytes(c for c in p if c > 32).replace(b"z", b"!!!!!")
        cut = p.find(b"~")
        if cut >= 0:
            yield base64.a85decode(p[:cut])
            return
        n = len(p) - len(p) % 5
        yield base64.a85decode(p[:n])
        rest = p[n:]
    if rest:
        yield base64.a85decode(rest)


def _rl(pieces):
    buf = b""
    for p in pieces:
        buf += p
        out = bytearray()
        i = 0
        while i < len(buf):
            n = buf[i]
            if n == 128:
                yield bytes(out)
                return
            if n < 128:
                if i + n + 2 > len(buf):
                    break
                out += buf[i + 1:i + n + 2]
                i += n + 2
            else:
                if i + 2 > len(buf):
                    break
                out += buf[i + 1:i + 2] * (257 - n)
                i += 2
            if len(out) > 2**20:
                yield bytes(out)
                out = bytearray()
        buf = buf[i:]
        yield bytes(out)


def _lzw(pieces):
    """LZW as PDF writes it (codes of 9 to 12 bits, early change), in pieces of at most
    a megabyte."""
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    width, prev = 9, None
    acc = nbits = 0
    out = bytearray()
    for p in pieces:
        for byte in p:
            acc = (acc << 8) | byte
            nbits += 8
            while nbits >= width:
                nbits -= width
                code = (acc >> nbits) & ((1 << width) - 1)
                acc &= (1 << nbits) - 1
                if code == 256:
                    table, width, prev = table[:258], 9, None
                    continue
                if code == 257:
                    yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                    if prev is not None and len(table) < 4096:
                        table.append(prev + entry[:1])
                elif prev is not None:
                    entry = prev + prev[:1]
                    if len(table) < 4096:
                        table.append(entry)
                else:
                    raise ValueError("bad LZW code")
                out += entry
                prev = entry
                if len(table) + 1 >= (1 << width) and width < 12:
                    width += 1
                if len(out) > 2**20:
                    yield bytes(out)
                    out = bytearray()
    yield bytes(out)


_DECODERS = {"flate": _flate, "lzw": _lzw, "rl": _rl, "hex": _hex, "a85": _a85}


def _open(data: bytes, path: str):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
        n = len(pdf)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower() or "security" in str(e).lower():
            raise ReadError("encrypted PDF: it cannot be read without its password",
                            Span(path, 1, 1)) from None
        raise ReadError(f"not a readable PDF ({str(e)[:120]})", Span(path, 1, 1)) from None
    if n == 0:
        pdf.close()
        raise ReadError("PDF has no pages", Span(path, 1, 1))
    if n > MAX_PAGES:
        pdf.close()
        raise ReadError(f"PDF has {n} pages (limit {MAX_PAGES})", Span(path, 1, 1))
    return pdf


class _Fonts:
    """What pdfium tells of a text object (font name, italic, bold, colour, upright, size,
    baseline), asked once per object, and pdfium's functions as they are called per
    character (taking and giving plain addresses: a page has thousands of characters)."""

    def __init__(self, raw):
        import ctypes

        self.raw = raw
        self.cache: dict[int, tuple] = {}
        self.buf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.matrix = raw.FS_MATRIX()
        self.x, self.y = ctypes.c_double(), ctypes.c_double()

        def fn(name, restype, *args):
            addr = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(restype, *args)(addr)

        vp, i = ctypes.c_void_p, ctypes.c_int
        self.text_object = fn("FPDFText_GetTextObject", vp, vp, i)
        self.generated = fn("FPDFText_IsGenerated", i, vp, i)
        self.loose_box = fn("FPDFText_GetLooseCharBox", i, vp, i, ctypes.POINTER(raw.FS_RECTF))

    def of(self, tp, i: int, key: int, height: float) -> tuple:
        """(font, italic, bold, colour, upright, size, baseline) of character ``i``'s
        object (``key`` its address)."""
        got = self.cache.get(key)
        if got is None:
            R = self.raw
            R.FPDFText_GetFontInfo(tp, i, self.buf, 256, self.flags)
            font = self.buf.value.decode("utf-8", "replace").split("+", 1)[-1]
            r, g, b, a = self.rgba
            color = ""
            if R.FPDFText_GetFillColor(tp, i, r, g, b, a):
                color = f"{r.value},{g.value},{b.value}"
            upright = True
            scale = 1.0                 # the matrix's height (WeasyPrint draws at 0.75)
            if R.FPDFText_GetMatrix(tp, i, self.matrix):
                m = self.matrix
                upright = abs(m.b) < 1e-6 and abs(m.c) < 1e-6 and m.a > 0
                scale = (m.c * m.c + m.d * m.d) ** 0.5 or 1.0
            R.FPDFText_GetCharOrigin(tp, i, self.x, self.y)
            got = (font, bool(_ITALIC.search(font)), bool(_BOLD.search(font)), color, upright,
                   float(R.FPDFText_GetFontSize(tp, i)) * scale, height - self.y.value)
            self.cache[key] = got
        return got


def _glyphs(page, height: float, fonts: _Fonts,
            max_glyphs: int = MAX_GLYPHS) -> tuple[list[Glyph], int]:
    """The page's upright characters as glyphs, and the number of others (rotated)."""
    import ctypes

    R = fonts.raw
    tp = page.get_textpage()
    try:
        n = R.FPDFText_CountChars(tp)
        if n > max_glyphs:
            raise _TooMany(n)
        text = tp.get_text_range(0, n, errors="replace") if n else ""
        if len(text) != n:                  # a surrogate pair counts as two: ask each
            text = "".join(chr(R.FPDFText_GetUnicode(tp, i)) for i in range(n))
        out: list[Glyph] = []
        rotated = 0
        box = R.FS_RECTF()
        pbox = ctypes.pointer(box)
        tpa = ctypes.cast(tp.raw, ctypes.c_void_p).value
        text_object, generated, loose = fonts.text_object, fonts.generated, fonts.loose_box
        of, cache = fonts.of, fonts.cache
        new = tuple.__new__                 # a Glyph made from its fields' tuple (fast)
        marks: list[int] = []
        last_drawn: tuple = (None, 0.0, 0.0, 0.0)   # object and box of the glyph before
        pending: Glyph | None = None        # the glyph before a space pdfium put in
        for i, c in enumerate(text):
            if c in " \r\n\x02\ufffe" and (c in "\r\n" or generated(tpa, i)):
                # pdfium's own line ends are left out; a space of its own (where the
                # file moved the pen instead of drawing one) is kept between two glyphs
                # of one font, size and baseline ("81st plenary")
                if c == " " and out and not out[-1].text.isspace():
                    pending = out[-1]
                continue
            if c in "\x02\ufffe":
                c = "-"                     # a hyphen that ends a line
            key = text_object(tpa, i) or 0
            got = cache.get(key) or of(tp, i, key, height)
            if not got[4]:
                rotated += 1
                continue
            loose(tpa, i, pbox)
            x0, x1, low = box.left, box.right, box.bottom
            if c == " " and x1 - x0 < 0.01:
                continue                    # a space pdfium put in with no width
            if key == last_drawn[0] and x0 == last_drawn[1] and x1 == last_drawn[2] and \
                    low == last_drawn[3] and out:
                # one glyph drawn for several characters (a cluster, a ligature): one
                # glyph, its letters before its marks
                merged = "".join(sorted(out[-1].text + c,
                                        key=lambda ch: unicodedata.category(ch) == "Mn"))
                out[-1] = out[-1]._replace(text=merged)
                continue
            last_drawn = (key, x0, x1, low)
            bottom = height - low
            size = got[5]
            base = got[6]
            if c >= "\u0300" and unicodedata.category(c) == "Mn":
                # a combining mark (an Arabic vowel sign) has no advance: it stands at its
                # origin, on the line its box stands on (drawn apart, raised or lowered)
                R.FPDFText_GetCharOrigin(tp, i, fonts.x, fonts.y)
                x0 = x1 = fonts.x.value
                marks.append(len(out))
            if pending is not None and pending.font == got[0] and pending.size == size and \
                    pending.base is not None and abs(pending.base - base) < 0.5:
                # with no width, on the side of the glyph before that faces this one (its
                # left in a right-to-left run)
                at = pending.x0 if x0 + x1 < pending.x0 + pending.x1 else pending.x1
                out.append(pending._replace(text=" ", x0=at, x1=at))
            pending = None
            out.append(new(Glyph, (c, x0, x1, bottom - size, bottom, size, got[1], got[2],
                                  got[0], base, got[3])))
        _unmirror(out)
        for k in marks:
            # its baseline is that of the letter it is drawn on (pdfium's origin of a mark
            # counts the rise it is drawn with): the nearest letter around it in pdfium's
            # order whose box holds its origin and whose height holds its box's middle
            g = out[k]
            mid = (g.top + g.bottom) / 2
            near = [h for h in out[max(0, k - 4):k + 5]
                    if h.x0 != h.x1 and h.top <= mid <= h.bottom + g.size / 2]
            host = min(near, key=lambda h: (0 if h.x0 - 0.5 <= g.x0 <= h.x1 + 0.5 else 1,
                                            min(abs(h.x0 - g.x0), abs(h.x1 - g.x0))),
                       default=None)
            if host is not None:
                out[k] = g._replace(base=host.base)
        return out, rotated
    finally:
        tp.close()


#: the characters pdfium mirrors in a right-to-left run, each to its pair
_MIRRORED = dict(zip("()[]{}<>«»‘’“”‹›", ")(][}{><»«’‘”“›‹"))


def _unmirror(glyphs: list[Glyph]) -> None:
    """The characters pdfium mirrored back to the ones drawn (in place).  pdfium gives
    the characters of a line in their logical order, a bracket or quote taking the
    direction of the last strong letter before it on the line (of the first after
    it at the line's start), and mirrors it when that is right to left; the layout
    reads each row from the glyphs as drawn (:mod:`.bidi`), so those are given
    their drawn form again.  Only on a page with right-to-left letters."""
    if not has_rtl("".join(g.text for g in glyphs)):
        return
    kinds = [bidi_type(g.text) for g in glyphs]

    def strong(k: int, step: int) -> str:
        g = glyphs[k]
        j = k + step
        while 0 <= j < len(glyphs) and abs(glyphs[j].line - g.line) < 0.6 * g.size:
            if kinds[j] in ("L", "R", "AL"):
                return kinds[j]
            j += step
        return ""

    flip = [k for k, g in enumerate(glyphs) if g.text in _MIRRORED
            and (strong(k, -1) or strong(k, 1)) in ("R", "AL")]
    for k in flip:
        glyphs[k] = glyphs[k]._replace(text=_MIRRORED[glyphs[k].text])


class _TooMany(Exception):
    def __init__(self, n: int):
        self.n = n


def _rules(page, height: float) -> list[tuple[float, float, float, float]]:
    """The page's thin horizontal rules (see :func:`.layout.thin_rules`): the boxes of
    the subpaths of its path objects."""
    import ctypes

    import pypdfium2.raw as R

    boxes: list[tuple[float, float, float, float]] = []
    raw = page.raw
    m = R.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(R.FPDFPage_CountObjects(raw)):
        obj = R.FPDFPage_GetObject(raw, k)
        if R.FPDFPageObj_GetType(obj) != R.FPDF_PAGEOBJ_PATH:
            continue
        if not R.FPDFPageObj_GetMatrix(obj, m):
            continue
        pts: list[tuple[float, float]] = []
        for s in range(R.FPDFPath_CountSegments(obj)):
            seg = R.FPDFPath_GetPathSegment(obj, s)
            if R.FPDFPathSegment_GetType(seg) == R.FPDF_SEGMENT_MOVETO and pts:
                boxes.append(_box(pts, m, height))
                pts = []
            if R.FPDFPathSegment_GetPoint(seg, x, y):
                pts.append((x.value, y.value))
        if pts:
            boxes.append(_box(pts, m, height))
    return layout.thin_rules([b for b in boxes if b is not None])


def _box(pts, m, height: float) -> tuple[float, float, float, float] | None:
    """(x0, x1, top, bottom) of a subpath's points through the object's matrix."""
    if len(pts) < 2:
        return None
    xs = [m.a * px + m.c * py + m.e for px, py in pts]
    ys = [height - (m.b * px + m.d * py + m.f) for px, py in pts]
    return min(xs), max(xs), min(ys), max(ys)


def _head_rule(rules, height: float) -> float | None:
    """The top of the rule under the running head (thin, wide, near the top), or None."""
    tops = [r[2] for r in rules if r[2] < 0.16 * height]
    if not tops:
        return None
    top = min(tops)
    width = sum(r[1] - r[0] for r in rules if abs(r[2] - top) < 2.5)
    return top if width > 150 else None


def _note_rule(rules, width: float, height: float) -> float | None:
    """The top of a short rule drawn over the notes at the page's foot (the lowest rule in
    the page's lower part narrower than a third of the page), or None.  Rules that
    touch end to end at one height are one rule (a table's border, drawn cell by cell,
    is no note rule however short its pieces)."""
    joined = _joined(rules)
    cands = [r[2] for r in joined
             if r[2] > 0.3 * height and 30 < r[1] - r[0] < width / 3 and _lone(r, joined)]
    return max(cands) if cands else None


#: a note rule has at most one other rule this close (points) above or below it
_RULE_APART = 12.0


def _lone(rule, rules) -> bool:
    """Whether ``rule`` stands apart from a pattern: the rows of modules of a QR code,
    joined end to end, make rules stacked one over another over the same width (with a
    row of blank modules here and there); a note rule has at most one other rule near it
    (a table's border above it)."""
    x0, x1, top, _bottom = rule
    near = sum(1 for r in rules if r is not rule and abs(r[2] - top) < _RULE_APART and
               r[0] < x1 and r[1] > x0)
    return near <= 1


#: two rules at one height whose ends are closer than this (points) are one rule
_RULE_JOIN = 2.0


def _joined(rules) -> list[tuple[float, float, float, float]]:
    """``rules`` with those that continue each other at one height (tops within a
    rule's thickness, ends within :data:`_RULE_JOIN`) merged into one."""
    out: list[list[float]] = []
    for x0, x1, top, bottom in sorted(rules, key=lambda r: r[0]):    # left to right
        for r in out:
            if abs(r[2] - top) < layout.RULE_THICK and x0 <= r[1] + _RULE_JOIN and \
                    x1 >= r[0] - _RULE_JOIN:
                r[0], r[1] = min(r[0], x0), max(r[1], x1)
                break
        else:
            out.append([x0, x1, top, bottom])
    return [(a, b, c, d) for a, b, c, d in out]


def read_pages(data: bytes, path: str, *, max_glyphs: int = MAX_GLYPHS,
               max_stream: int = MAX_STREAM) -> tuple[list[DrawnPage], list[Diagnostic]]:
    """The pages of a PDF as drawn, and the warnings met (see module docstring)."""
    import pypdfium2.raw as R

    _check_bytes(data, path)
    check_streams(data, path, max_stream)
    pdf = _open(data, path)
    diags: list[Diagnostic] = []
    pages: list[DrawnPage] = []
    empty: list[int] = []
    fonts = _Fonts(R)
    try:
        for i in range(len(pdf)):
            page = None
            try:
                page = pdf[i]
                width, height = page.get_size()
                glyphs, rotated = _glyphs(page, height, fonts, max_glyphs)
                rules = _rules(page, height)
                head = _head_rule(rules, height) if i > 0 else None
                note = _note_rule(rules, float(width), height)
            except _TooMany as e:
                raise LimitError(f"page {i + 1} has too many characters to read ({e.n}; limit "
                                 f"{max_glyphs}; raise with --limit pdf_page_glyphs=N)",
                                 page_span(path, i)) from None
            except Exception as e:  # noqa: BLE001 - a damaged page is reported with its number
                raise ReadError(f"page {i + 1} cannot be read ({type(e).__name__}: "
                                f"{str(e)[:100]})", page_span(path, i)) from None
            finally:
                if page is not None:
                    page.close()
            fonts.cache.clear()
            if rotated:
                diags.append(Diagnostic(f"{rotated} rotated characters on page {i + 1} left out",
                                        page_span(path, i), code="pdf-rotated"))
            if not any(g.text.strip() for g in glyphs):
                empty.append(i)
            pages.append(DrawnPage(i, tuple(layout.make_rows(glyphs, i)), height,
                                   head_rule=head, note_rule=note))
    finally:
        pdf.close()
    if len(empty) == len(pages):
        raise ReadError("PDF has no text layer (a scanned document?): no characters on any of "
                        f"its {len(pages)} pages; run OCR first", page_span(path, 0))
    for i in empty:
        diags.append(Diagnostic(f"page {i + 1} has no text layer (an image?); left out",
                                page_span(path, i), code="pdf-no-text"))
    return pages, diags
