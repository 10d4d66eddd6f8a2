"""PDF writer: the HTML page laid out by WeasyPrint as the UN prints a resolution.

:func:`write` renders :func:`pipeline.writers.html.document` (medium "print":
notes at their calls, running-head strings) with ``styles/css/print.css`` and
the language's overrides in ``styles/css/lang/``, following
``../shared/design/UN-STYLE.md``: US Letter, first-page masthead, body column
at 123.4 pt, running heads alternating from page 2, "n/N" page numbers, notes
at the foot of the page that calls them, the closing right-aligned, the end rule.

Guarantees:

- nothing is fetched but the files under ``styles/`` (and the emblem file the
  caller names): :class:`StylesFetcher` refuses every other address
  (``http://``, ``file:///etc/passwd`` ...) with a warning, before any request
  or read;
- deterministic bytes: the PDF identifier is a digest of the page, the creation
  and modification dates are :meth:`pipeline.options.WriteOptions.build_time` of the adoption
  date (``SOURCE_DATE_EPOCH`` when set), nothing reads the clock;
- tagged PDF/UA-1 (WeasyPrint's ``pdf_variant``: structure tags, the XMP claim of
  conformance) with the document language set from the page's ``lang``; the tag
  tree follows the page: the masthead first, each note at its call;
- fonts: Liberation Serif (Times metrics) for Latin and Cyrillic and for Latin
  runs inside Chinese and Arabic, Noto Serif CJK SC for Chinese, Noto Naskh
  Arabic for Arabic, each embedded as a subset (the CJK faces with only the
  glyphs the page shows: :mod:`pipeline.writers.weasy`);
- with ``meta.job_number``, page 1 carries the job line, a Code 39 barcode of
  its digits (``python-barcode``) and a QR code to ``https://undocs.org/<symbol>``
  (``segno``), as SVG;
- WeasyPrint is imported when a PDF is written, never when this module is
  imported, and only through :mod:`pipeline.writers.weasy` (the one module that
  touches WeasyPrint and pydyf, and refuses versions other than the tested ones);
  fonts and stylesheets are loaded once per process, the page tree is handed to
  WeasyPrint without being parsed again, and nothing else carries over from one
  document to the next.

Supported nodes: those of :mod:`pipeline.writers.html` (the same page).
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import io
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..ast import Resolution, Span
from ..errors import Diagnostic, WriteError
from ..options import DEFAULT_WRITE, WriteOptions
from ..resources import STYLES
from . import Written
from . import html as html_writer
from . import weasy
from .view import page_labels

_LOCK = threading.Lock()

#: Word's character scale (``w:w``) of the UN's Normal style, per font family of
#: ``styles/css``: the Latin text of English, French, Spanish and Russian pages is set at
#: 103 % width (the official Word files' ``styles.xml``); running heads ("UN Latin Head",
#: Word's Header and Footer styles) and Chinese and Arabic pages are not scaled.
CHARACTER_SCALE = {"UN Latin": 1.02}
_CACHE: dict[str, Any] = {}


@atexit.register
def _drop_cache() -> None:
    """The font configurations and stylesheets let go while WeasyPrint's libraries are
    still loaded (at interpreter teardown their finalizers find the FFI gone and print
    "Exception ignored" tracebacks)."""
    _CACHE.clear()
    gc.collect()


# ---------------------------------------------------------------- url fetcher

def _refusal(url: str) -> Diagnostic:
    return Diagnostic(f"resource {url[:120]!r} not fetched: the PDF writer reads only the "
                      "files under styles/", Span(), "warning", "pdf-fetch")


#: Where the system's fonts live: the stylesheets name faces with ``local()``, which
#: WeasyPrint resolves to files there; only the stylesheets' fetcher may read them.
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
_FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".woff", ".woff2"}


def _is_system_font(path: Path) -> bool:
    return path.suffix.lower() in _FONT_SUFFIXES and any(
        path.is_relative_to(d.resolve()) for d in _FONT_DIRS if d.is_dir())


def _allowed_path(url: str, extra: tuple[Path, ...], fonts: bool = False) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(unquote(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if path.is_file() and (path.is_relative_to(STYLES.resolve()) or path in extra
                           or (fonts and _is_system_font(path))):
        return path
    return None


_MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
                ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def make_fetcher(warnings: list | None, extra: tuple[Path, ...] = (), fonts: bool = False):
    """A WeasyPrint URL fetcher serving only files under ``styles/`` (and ``extra``
    files) and ``data:image/...`` URIs the writer made; everything else is refused
    with a warning appended to ``warnings``.  ``fonts``: also the system font files
    the stylesheets' ``local()`` faces resolve to (for parsing our own stylesheets,
    never for the page)."""

    def serve(url: str) -> tuple[str, bytes, str] | None:
        path = _allowed_path(url, extra, fonts)
        if path is None:
            return None
        return (path.as_uri(), path.read_bytes(),
                _MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream"))

    def refuse(url: str) -> str:
        d = _refusal(url)
        if warnings is not None and d not in warnings:
            warnings.append(d)
        return d.message

    return weasy.fetcher(serve, refuse)


# ---------------------------------------------------------------- page furniture

def undocs_address(symbol: str) -> str:
    """The address the first-page QR code points to."""
    return "https://undocs.org/" + symbol.replace(" ", "")


def _strip_ns(el: etree._Element) -> etree._Element:
    """An SVG tree without namespaces or comments, to sit inline in HTML."""
    for e in list(el.iter()):
        if not isinstance(e.tag, str):
            e.getparent().remove(e)
            continue
        e.tag = etree.QName(e).localname
        style = e.attrib.pop("style", "")
        for decl in style.split(";"):  # presentation attributes, which WeasyPrint reads
            k, _, v = decl.partition(":")
            if k.strip() in ("fill", "stroke") and v.strip():
                e.set(k.strip(), v.strip())
        for k in list(e.attrib):
            if k.startswith("{"):
                del e.attrib[k]
    etree.cleanup_namespaces(el)
    return el


def barcode_svg(digits: str) -> etree._Element:
    """A Code 39 barcode of ``digits`` (no check digit, no human-readable text)."""
    import barcode
    from barcode.writer import SVGWriter

    code = barcode.get("code39", digits, writer=SVGWriter(), options=None)
    code.add_checksum = False
    buf = io.BytesIO()
    code.write(buf, options={"write_text": False, "module_width": 0.2, "module_height": 4.0,
                             "quiet_zone": 0.0, "compress": False})
    svg = _strip_ns(etree.fromstring(buf.getvalue()))
    w, h = svg.get("width", "").replace("mm", ""), svg.get("height", "").replace("mm", "")
    if w and h:
        svg.set("viewBox", f"0 0 {w} {h}")
        svg.set("preserveAspectRatio", "none")
        for k in ("width", "height"):
            del svg.attrib[k]
    # python-barcode draws in mm units: make every length unitless in the viewBox
    for e in svg.iter():
        for k in ("x", "y", "width", "height"):
            v = e.get(k)
            if v and v.endswith("mm"):
                e.set(k, v[:-2])
    return svg


def qr_svg(address: str) -> etree._Element:
    """A QR code of ``address`` as SVG (scalable: a viewBox, no fixed size)."""
    import segno

    buf = io.BytesIO()
    segno.make(address, error="m", micro=False).save(buf, kind="svg", border=0, omitsize=True,
                                                    xmldecl=False, svgns=True)
    return _strip_ns(etree.fromstring(buf.getvalue()))


def _first_page_foot(root: etree._Element, job: str, symbol: str) -> None:
    body = root.find("body")
    foot = etree.Element("div", {"class": "jobblock", "aria-hidden": "true"})
    line = etree.SubElement(foot, "p", {"class": "job-line"})
    line.text = job
    digits = "".join(ch for ch in job.split("(")[0] if ch.isdigit())
    if digits:
        svg = barcode_svg(digits)
        svg.set("class", "barcode")
        foot.append(svg)
    qr = etree.Element("div", {"class": "qrblock", "aria-hidden": "true"})
    if symbol:
        q = qr_svg(undocs_address(symbol))
        q.set("class", "qr")
        qr.append(q)
    body.insert(1, qr)
    body.insert(1, foot)


# ---------------------------------------------------------------- WeasyPrint, once per process

#: the Latin face the stylesheets name (``local()``); :attr:`WriteOptions.latin_face` puts
#: another in its place
DEFAULT_LATIN_FACE = "Liberation Serif"


def _fonts(face: str = "") -> Any:
    """The font configuration of the stylesheets that use ``face`` ("" for the default),
    made once per process and face (the ``@font-face`` rules of two faces under one
    family name cannot share one)."""
    key = "fonts:" + face if face else "fonts"
    fc = _CACHE.get(key)
    if fc is None:
        try:
            weasy.install()
        except weasy.WeasyPrintChanged as exc:
            raise WriteError(f"PDF not written: {exc}") from exc
        fc = _CACHE[key] = weasy.font_config(CHARACTER_SCALE)
    return fc


def _stylesheets(code: str, face: str = "") -> list:
    """print.css and the language's overrides, parsed once per process, language and
    Latin face (``face``: a family that replaces Liberation Serif in their ``local()``
    sources; it must be installed with its Bold, Italic and Bold Italic faces)."""
    with _LOCK:
        fc = _fonts(face)
        key = f"css:{code}:{face}"
        if key not in _CACHE:
            fetcher = make_fetcher(None, fonts=True)
            refused: list[str] = []
            with weasy.warnings_to(refused.append):
                sheets = _parse_sheets(code, face, fetcher, fc)
            if face and any("cannot be loaded" in m for m in refused):
                raise WriteError(f"PDF not written: the Latin face {face!r} (UNRES_LATIN_FACE) "
                                 "is not installed with its Bold, Italic and Bold Italic faces")
            _CACHE[key] = sheets
        return _CACHE[key]


def _parse_sheets(code: str, face: str, fetcher: Any, fc: Any) -> list:
    """print.css and the language's overrides parsed, ``face`` (if any) in place of the
    default Latin face in their ``local()`` sources."""
    sheets = []
    for name in ("print.css",) + html_writer.language_stylesheets(code):
        path = STYLES / "css" / name
        if face:
            text = path.read_text(encoding="utf-8").replace(
                f'local("{DEFAULT_LATIN_FACE}', f'local("{face}')
            sheets.append(weasy.stylesheet(string=text, base_url=path.as_uri(),
                                           fetcher=fetcher, fonts=fc))
        else:
            sheets.append(weasy.stylesheet(filename=str(path), fetcher=fetcher, fonts=fc))
    return sheets


def _render_warning(out: list[Diagnostic], message: str) -> None:
    """A warning of WeasyPrint's (unsupported CSS, failed resources) as a diagnostic."""
    if "not fetched: the PDF writer reads only" in message:
        return  # already reported by the fetcher
    d = Diagnostic(f"WeasyPrint: {message}", Span(), "warning", "pdf-render")
    if d not in out:
        out.append(d)


def _set_dates(root: etree._Element, when) -> None:
    head = root.find("head")
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("dcterms.created", "dcterms.modified"):
        etree.SubElement(head, "meta", {"name": name, "content": stamp})


def _render(root: etree._Element, fetcher, sheets: list, options: dict):
    """The page laid out by WeasyPrint (a ``weasyprint.document.Document``)."""
    return weasy.render(root, base_url=(STYLES / "css").as_uri() + "/", url_fetcher=fetcher,
                        stylesheets=sheets, options=options)


#: How much lower the text of pages 2 and later starts in the UN's newer Word template
#: (measured on the official PDFs: the first baseline at 86.4 pt instead of 82.3 pt), used
#: from the eightieth session on and, during the seventy-ninth, for plenary resolutions
#: (those "without reference to a Main Committee").
NEWER_TEMPLATE_DROP = 4.1


def newer_template(meta) -> bool:
    """Whether the UN set this resolution with its newer template (see
    :data:`NEWER_TEMPLATE_DROP`)."""
    try:
        session = int(str(meta.session).strip() or 0)
    except ValueError:
        return False
    return session >= 80 or (session == 79 and meta.proponent.kind == "noMainCommittee")


def _newer_template_sheet(face: str = ""):
    """Pages 2 and later of the newer template: the text lower, the running head where
    it was."""
    key = "newer-template:" + face
    if key not in _CACHE:
        top, head = 72.9 + NEWER_TEMPLATE_DROP, 7.9 + NEWER_TEMPLATE_DROP
        _CACHE[key] = weasy.stylesheet(
            string=f"@page {{ margin-top: {top:.1f}pt; @top-left {{ margin-bottom: {head:.1f}pt }}"
                   f" @top-right {{ margin-bottom: {head:.1f}pt }} }}"
                   "@page :first { margin-top: 36pt }", fonts=_fonts(face))
    return _CACHE[key]


def _no_widow_control(face: str = ""):
    key = "no-widows:" + face
    if key not in _CACHE:
        _CACHE[key] = weasy.stylesheet(
            string="* { orphans: 1 !important; widows: 1 !important; }", fonts=_fonts(face))
    return _CACHE[key]


#: the most lines of text (the closing's included) a last page may hold for the pages to
#: be fitted onto one page less (:func:`_fitted`): two or three lines and the closing's two
FIT_LINES = 5
#: the end rule's space above it on fitted pages (pt): the official PDFs then draw it 16 to
#: 24 pt under the last baseline, where it is 32 pt under it elsewhere
FIT_RULE = 14
#: the blocks of text that :func:`_fitted` tightens: paragraphs of the resolution's text,
#: not the head, the masthead or a table's cells
_FIT_SKIP = {"masthead", "doc-head", "running"}


def _fit_sheet(pitch: float, face: str = ""):
    key = f"fit:{pitch}:{face}"
    if key not in _CACHE:
        _CACHE[key] = weasy.stylesheet(
            string=f"p.fit {{ line-height: {pitch}pt; }} hr.fit {{ margin-top: {FIT_RULE}pt; }}",
            fonts=_fonts(face))
    return _CACHE[key]


def _fittable(el: etree._Element) -> bool:
    if el.tag != "p":
        return False
    for a in el.iterancestors():
        if a.tag in ("td", "th") or _FIT_SKIP & set((a.get("class") or "").split()):
            return False
    return True


def _fitted(root: etree._Element, laid_out: Any, render, notes: int, pitch: float | None,
            face: str) -> Any | None:
    """The page laid out on one page less, as the UN's editors fit it, or None.

    Where the last page would hold no more than :data:`FIT_LINES` lines of text (two
    or three lines and the closing), the editors set the text of the last two pages on a tighter
    line pitch (the language's ``fit_pitch`` in ``styles/html/lang.toml``: 11.5 pt
    instead of 12 in the official PDFs) and draw the end rule closer to the text, so
    that it ends a page earlier. The paragraphs with lines on those pages are laid out
    again at that pitch, the end rule :data:`FIT_RULE` under them; the new layout is kept
    only if it has fewer pages and every note. ``root`` is left as it was."""
    pages = len(laid_out.pages)
    if not pitch or pages < 2 or weasy.text_lines_on(laid_out, pages - 1) > FIT_LINES:
        return None
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    if len(elements) != len(laid_out.unres_elements):
        return None
    marked = []
    for i in weasy.text_elements_on(laid_out, (pages - 2, pages - 1)):
        el = elements[i]
        if _fittable(el):
            marked.append((el, el.get("class")))
            el.set("class", " ".join(filter(None, (el.get("class"), "fit"))))
    if not marked:
        return None
    for el in root.iter("hr"):
        if "end-rule" in (el.get("class") or "").split():
            marked.append((el, el.get("class")))
            el.set("class", el.get("class") + " fit")
    try:
        fitted = render([_fit_sheet(pitch, face)])
    finally:
        for el, cls in marked:
            if cls is None:
                del el.attrib["class"]
            else:
                el.set("class", cls)
    if len(fitted.pages) < pages and weasy.notes_laid_out(fitted) >= notes:
        return fitted
    return None


def write(res: Resolution, options: WriteOptions = DEFAULT_WRITE) -> Written:
    """The resolution as a PDF (bytes), laid out as the UN prints it."""
    warnings: list[Diagnostic] = []
    with weasy.gc_paused():  # collected once the page is dropped (weasy.gc_paused)
        data = _write(res, options, warnings)
    return Written(data, tuple(warnings))


def _write(res: Resolution, wopts: WriteOptions, warnings: list[Diagnostic]) -> bytes:
    root = html_writer.document(res, medium="print", warnings=warnings, emblem=wopts.emblem)
    meta = res.meta
    if meta.job_number.strip():
        _first_page_foot(root, meta.job_number.strip(), meta.symbol.strip())
    _set_dates(root, wopts.build_time(meta.adopted or meta.issued))
    page = html_writer.serialize(root)  # the identifier is its digest
    code = (root.get("class") or "lang-en").removeprefix("lang-")
    fetcher = make_fetcher(warnings)
    face = wopts.latin_face
    sheets = _stylesheets(code, face)
    if newer_template(meta):
        with _LOCK:
            sheets = sheets + [_newer_template_sheet(face)]
    try:
        with weasy.warnings_to(lambda message: _render_warning(warnings, message)), \
                weasy.rendering():
            options = {"font_config": _fonts(face), "pdf_tags": True,
                       # PDF/UA-1 as WeasyPrint makes it: tagged, its XMP metadata
                       # claiming the conformance (pdfuaid:part 1), PDF 1.7
                       "pdf_variant": "pdf/ua-1",
                       "cache": _CACHE.setdefault("images", {})}
            notes = len(root.xpath('//*[contains(concat(" ", @class, " "), " fn ")]'))
            laid_out = _render(root, fetcher, sheets, options)
            extra: list = []  # the sheets a second layout adds to ``sheets``
            if weasy.notes_laid_out(laid_out) < notes:
                # WeasyPrint (70) loses a note whose call it moves to the next page to keep
                # two lines together; without widow and orphan control it has no such move
                extra = [_no_widow_control(face)]
                laid_out = _render(root, fetcher, sheets + extra, options)
                if (lost := notes - weasy.notes_laid_out(laid_out)) > 0:
                    raise WriteError(f"WeasyPrint left {lost} footnote(s) out of the pages")
                if warnings is not None:
                    warnings.append(Diagnostic(
                        "a footnote would have been lost at a page break; this PDF is laid "
                        "out without widow and orphan control", Span(), level="warning",
                        code="pdf-widows"))
            pitch = page_labels().get(code, {}).get("fit_pitch")
            fitted = _fitted(root, laid_out,
                             lambda more: _render(root, fetcher, sheets + extra + more, options),
                             notes, pitch, face)
            if fitted is not None:
                laid_out = fitted
            return weasy.write_pdf(
                laid_out, hashlib.md5(page).hexdigest().encode("ascii"),
                {k: v for k, v in options.items() if k != "font_config"})
    except Exception as exc:  # WeasyPrint failing on a page is a write error, not a crash
        raise WriteError(f"PDF not written: {type(exc).__name__}: {exc}") from exc
