"""The Word package around a resolution: template, schema order, reproducible zip.

What this module guarantees:

- the template is built from ``styles/docx/`` (the unzipped parts a designer
  reviews) at run time, with the fonts, sizes and language tags of the
  document's language (``styles/docx/languages.toml``) put into ``docDefaults``;
  XML comments in those files are for reviewers and never reach the package;
- :func:`ordered` puts the children of ``pPr``, ``rPr``, ``sectPr``, ``tblPr``,
  ``trPr``, ``tcPr`` and ``tcBorders``/``pBdr``/``tblBorders`` in ECMA-376 schema order (Word
  refuses a file whose property children are out of order; LibreOffice does not
  tell), so raw OOXML written by the DOCX writer obeys the same rules as
  python-docx's own element classes;
- :func:`deterministic_zip` rewrites a package with every entry dated
  1980-01-01, in a fixed order, with fixed attributes: the same parts give the
  same bytes.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from functools import lru_cache
from typing import Iterable

from lxml import etree

from ..resources import STYLES

STYLE_DIR = STYLES / "docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "{%s}" % W_NS

#: ECMA-376 Part 1 child sequences (transitional schema, wml.xsd) of the property
#: elements the writer builds by hand; only the children it may write are needed,
#: but the lists are complete up to those.
SCHEMA_ORDER: dict[str, tuple[str, ...]] = {
    # CT_PPrBase + rPr, sectPr, pPrChange (17.3.1.26)
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
            "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"),
    # EG_RPrBase (17.3.2.28)
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
            "lang", "eastAsianLayout", "specVanish", "oMath"),
    # CT_SectPr (17.6.17)
    "sectPr": ("headerReference", "footerReference", "footnotePr", "endnotePr", "type",
               "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
               "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
               "rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
    # CT_TblPr (17.4.60)
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"),
    # CT_TrPr (17.4.82; a choice in the schema, written by Word in this order)
    "trPr": ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
             "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"),
    # CT_TcPr (17.4.70)
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"),
    # CT_PBdr, CT_TblBorders, CT_TcBorders
    "pBdr": ("top", "left", "bottom", "right", "between", "bar"),
    "tblBorders": ("top", "left", "bottom", "right", "insideH", "insideV"),
    "tcBorders": ("top", "left", "bottom", "right", "insideH", "insideV", "tl2br", "tr2bl"),
}


def w(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element,
      text: str | None = None) -> etree._Element:
    """A ``w:`` element; attribute names without prefix are ``w:`` attributes."""
    el = etree.Element(W + tag)
    for k, v in (attrs or {}).items():
        if v is None:
            continue
        el.set(k if k.startswith("{") else W + k, str(v))
    if text is not None:
        el.text = text
    for c in children:
        if c is not None:
            el.append(c)
    return el


def ordered(tag: str, children: Iterable[etree._Element | None]) -> etree._Element:
    """``w:tag`` holding ``children`` (None skipped) sorted into schema order.

    A child the order table does not know is a programming error: it raises.
    """
    seq = SCHEMA_ORDER[tag]
    kids = [c for c in children if c is not None]
    rank = {name: i for i, name in enumerate(seq)}
    for c in kids:
        if etree.QName(c).localname not in rank:
            raise ValueError(f"w:{etree.QName(c).localname} is not a child of w:{tag}")
    el = etree.Element(W + tag)
    for c in sorted(kids, key=lambda c: rank[etree.QName(c).localname]):
        el.append(c)
    return el


# ---------------------------------------------------------------- language styles

@lru_cache(maxsize=None)
def language_styles() -> dict[str, dict]:
    """``styles/docx/languages.toml``: per language fonts, tags, masthead lines."""
    with open(STYLE_DIR / "languages.toml", "rb") as fh:
        return tomllib.load(fh)


def styles_for(code: str) -> dict:
    """The DOCX styling of language ``code`` (English when the language has none)."""
    data = language_styles()
    return data.get(code) or data["en"]


# ---------------------------------------------------------------- template

_PARSER = etree.XMLParser(remove_comments=True, remove_blank_text=True, resolve_entities=False,
                          no_network=True)


def _half_points(pt: float) -> str:
    return str(int(round(pt * 2)))


def _styles_xml(raw: bytes, S: dict) -> bytes:
    """styles.xml with the language's fonts, sizes and tags in docDefaults.

    Complex-script sizes of every style grow by ``size_cs / size`` (Arabic is set
    larger than Latin); where the script needs it (``relax_exact_lines``), exact
    line heights become minimum heights so that taller glyphs are not clipped;
    a script without italics loses the italic of the styles.
    """
    root = etree.fromstring(raw, _PARSER)
    rpr = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = S["fonts"]
    rfonts = rpr.find(W + "rFonts")
    rfonts.attrib.clear()
    for k in ("ascii", "eastAsia", "hAnsi", "cs"):
        rfonts.set(W + k, fonts["ascii"] if k == "hAnsi" else fonts[k])
    rpr.find(W + "sz").set(W + "val", _half_points(S["size"]))
    rpr.find(W + "szCs").set(W + "val", _half_points(S["size_cs"]))
    lang = rpr.find(W + "lang")
    lang.attrib.clear()
    for k in ("val", "eastAsia", "bidi"):
        lang.set(W + k, S["lang"][k])
    ratio = S["size_cs"] / S["size"]
    if ratio != 1:
        for style in root.iter(W + "style"):
            for szcs in style.iter(W + "szCs"):
                szcs.set(W + "val", str(int(round(int(szcs.get(W + "val")) * ratio))))
    if S.get("relax_exact_lines"):
        for sp in root.iter(W + "spacing"):
            if sp.get(W + "lineRule") == "exact" and sp.getparent().tag == W + "pPr":
                sp.set(W + "lineRule", "atLeast")
    if not S.get("italic", True):
        for tag in ("i", "iCs"):
            for el in list(root.iter(W + tag)):
                el.getparent().remove(el)
    return _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def template_parts(code: str) -> dict[str, bytes]:
    """The template's parts (zip name -> bytes) for language ``code``."""
    S = styles_for(code)
    parts: dict[str, bytes] = {}
    for path in sorted(STYLE_DIR.rglob("*.xml")) + sorted(STYLE_DIR.rglob("*.rels")):
        name = path.relative_to(STYLE_DIR).as_posix()
        raw = path.read_bytes()
        if name == "word/styles.xml":
            parts[name] = _styles_xml(raw, S)
        else:
            parts[name] = _serialize(etree.fromstring(raw, _PARSER))
    return parts


def template(code: str) -> bytes:
    """The template as a .docx (zip) for language ``code``."""
    return deterministic_zip(template_parts(code))


# ---------------------------------------------------------------- zip

#: parts first in this order (Word and most readers look at the first entries);
#: then the rest by name
_FIRST = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
          "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
          "word/settings.xml", "word/fontTable.xml", "word/footnotes.xml",
          "word/_rels/footnotes.xml.rels")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _rank(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def deterministic_zip(parts: dict[str, bytes]) -> bytes:
    """A zip of ``parts`` with fixed entry order, times and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(parts, key=_rank):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def unzip(data: bytes) -> dict[str, bytes]:
    """The parts of a package (zip name -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


_DECL = re.compile(rb"^<\?xml[^>]*\?>\s*")


def normalise_part(data: bytes) -> bytes:
    """A part re-serialised with lxml, declaration standalone (python-docx writes some
    parts with single quotes): byte-stable across python-docx versions."""
    if not (data.startswith(b"<?xml") or data.lstrip().startswith(b"<")):
        return data
    return _serialize(etree.fromstring(data, _PARSER))
