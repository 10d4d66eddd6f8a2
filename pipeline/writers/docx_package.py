"""The Word package around a resolution: template, parts, relationships, reproducible zip.

The DOCX writer writes its parts directly with lxml: :class:`Package` holds the
template's parts (kept unzipped in ``styles/docx/``) and the parts the writer adds,
their content types and relationships, and zips them once.  No other library builds
or rewrites the package.

What this module guarantees:

- the template is built from ``styles/docx/`` (the unzipped parts a designer
  reviews) at run time, with the fonts, sizes and language tags of the
  document's language (``styles/docx/languages.toml``) put into ``docDefaults``;
  XML comments in those files are for reviewers and never reach the package;
- :func:`ordered` puts the children of ``pPr``, ``rPr``, ``sectPr``, ``tblPr``,
  ``trPr``, ``tcPr`` and ``tcBorders``/``pBdr``/``tblBorders`` in ECMA-376 schema order (Word
  refuses a file whose property children are out of order; LibreOffice does not
  tell);
- a package is valid OPC: ``[Content_Types].xml`` names every part (``rels`` and
  ``xml`` defaults, an override per part, sorted by part name), each part with
  relationships has its ``_rels/*.rels`` (relationships in the order they were made,
  ids ``rIdN`` from the first free N, an external target related twice given one id);
- :func:`deterministic_zip` writes the parts with every entry dated 1980-01-01, in a
  fixed order, with fixed attributes: the same parts give the same bytes.
"""

from __future__ import annotations

import io
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
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

#: content types of the parts the writer adds (ECMA-376 Part 1, 11)
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_CT_XML = "application/xml"

#: relationship types (ECMA-376 Part 1, 11.3)
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_FOOTNOTES = _RT + "footnotes"
RT_HEADER = _RT + "header"
RT_FOOTER = _RT + "footer"
RT_HYPERLINK = _RT + "hyperlink"

#: the root of a header or footer part, declaring the namespaces Word's own do
_HDRFTR_ROOT = (
    '<w:{tag} xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:mo="http://schemas.microsoft.com/office/mac/office/2008/main" '
    'xmlns:mv="urn:schemas-microsoft-com:mac:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="w14 wp14"/>')

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
    if text:  # an empty text is no text: <w:t/>, as XML reads it back
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
    a script without the UN's Latin width (``latin_width``) loses it from Normal, and
    the notes' letter spacing; a script without italics loses the italic of the styles.
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
    if not S.get("latin_width", True):
        # nor the notes' +0.25 pt (as the PDF sets Chinese and Arabic notes: LibreOffice
        # draws spaced Arabic with its letters' joins stretched across the gaps)
        for style in root.iter(W + "style"):
            if style.get(W + "styleId") not in ("Normal", "FootnoteText"):
                continue
            for tag in ("spacing", "w"):
                for el in list(style.iter(W + tag)):
                    if el.getparent().tag == W + "rPr":
                        el.getparent().remove(el)
    if not S.get("italic", True):
        for tag in ("i", "iCs"):
            for el in list(root.iter(W + tag)):
                el.getparent().remove(el)
    return _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=None)
def template_parts(code: str) -> dict[str, bytes]:
    """The template's parts (zip name -> bytes) for language ``code``, read once per
    process (do not change the dict: copy it)."""
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


def header_footer_root(tag: str) -> etree._Element:
    """An empty ``w:hdr`` or ``w:ftr``: the root of a header or footer part."""
    return etree.fromstring(_HDRFTR_ROOT.format(tag=tag))


# ---------------------------------------------------------------- package

class Package:
    """The parts of one DOCX being written, by zip name ("word/document.xml"): the
    template's for a language, then those the writer adds; each part's relationships;
    the content type of each part.  :meth:`part` gives a part's XML tree to change in
    place; :meth:`zip` writes the package."""

    def __init__(self, code: str):
        self._blobs = dict(template_parts(code))
        types = etree.fromstring(self._blobs.pop("[Content_Types].xml"))
        self._types = {o.get("PartName").lstrip("/"): o.get("ContentType")
                       for o in types.iter(f"{{{_CT_NS}}}Override")}
        #: source part ("" for the package) -> [(id, type, target, external)]
        self._rels: dict[str, list[tuple[str, str, str, bool]]] = {}
        for name in [n for n in self._blobs if n.endswith(".rels")]:
            rels = etree.fromstring(self._blobs.pop(name))
            folder, _, base = name.rpartition("_rels/")
            self._rels[folder + base[:-len(".rels")]] = [
                (r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode") == "External")
                for r in rels.iter(f"{{{_REL_NS}}}Relationship")]
        self._trees: dict[str, etree._Element] = {}

    def part(self, name: str) -> etree._Element:
        """The XML tree of part ``name``, to change in place."""
        if name not in self._trees:
            self._trees[name] = etree.fromstring(self._blobs.pop(name), _PARSER)
        return self._trees[name]

    def add_part(self, template: str, content_type: str, root: etree._Element) -> str:
        """A new part named by ``template`` ("word/header%d.xml", the first free number;
        or a plain name), holding ``root``; its name."""
        names = set(self._blobs) | set(self._trees)
        name = template
        if "%d" in template:
            name = next(template % n for n in range(1, len(names) + 2)
                        if template % n not in names)
        if name in names:
            raise ValueError(f"part {name} already in the package")
        self._trees[name] = root
        self._types[name] = content_type
        return name

    def add_media(self, template: str, content_type: str, data: bytes) -> str:
        """A new binary part (an image) named by ``template`` ("word/media/image%d.png"),
        holding ``data``; its name."""
        names = set(self._blobs) | set(self._trees)
        name = next(template % n for n in range(1, len(names) + 2) if template % n not in names)
        self._blobs[name] = data
        self._types[name] = content_type
        return name

    def relate(self, source: str, reltype: str, target: str, external: bool = False) -> str:
        """The id of the relationship of part ``source`` to ``target`` (a part's name, or
        an address when ``external``), made if the part has none of that type yet."""
        rels = self._rels.setdefault(source, [])
        if not external:
            target = _relative(source, target)
        for rid, kind, to, ext in rels:
            if (kind, to, ext) == (reltype, target, external):
                return rid
        taken = {r[0] for r in rels}
        rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in taken)
        rels.append((rid, reltype, target, external))
        return rid

    def zip(self) -> bytes:
        """The package: content types, relationships and parts, zipped reproducibly."""
        parts = dict(self._blobs)
        parts.update({name: _serialize(root) for name, root in self._trees.items()})
        types = etree.Element(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
        for ext, ct in (("rels", _CT_RELS), ("xml", _CT_XML)):
            etree.SubElement(types, f"{{{_CT_NS}}}Default", Extension=ext, ContentType=ct)
        for name in sorted("/" + n for n in parts):
            etree.SubElement(types, f"{{{_CT_NS}}}Override", PartName=name,
                             ContentType=self._types[name[1:]])
        parts["[Content_Types].xml"] = _serialize(types)
        for source, rels in self._rels.items():
            if not rels:
                continue
            root = etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
            for rid, kind, target, external in rels:
                el = etree.SubElement(root, f"{{{_REL_NS}}}Relationship", Id=rid, Type=kind,
                                      Target=target)
                if external:
                    el.set("TargetMode", "External")
            folder, _, base = source.rpartition("/")
            parts[f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"] = \
                _serialize(root)
        return deterministic_zip(parts)


def _relative(source: str, target: str) -> str:
    """``target``'s name as a relationship of ``source`` writes it: relative to the
    source's folder ("word/header1.xml" from "word/document.xml": "header1.xml")."""
    folder = source.rpartition("/")[0]
    return target[len(folder) + 1:] if folder and target.startswith(folder + "/") else target


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


