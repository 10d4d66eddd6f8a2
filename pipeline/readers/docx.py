"""Word reader: the UN's official Word files (``.docx``), and ours read back.

Stages:

1. the package is opened by :mod:`.safezip` (zip bombs, damaged archives,
   old binary ``.doc`` files and malformed XML refused with one line);
2. the masthead comes from the first page's header part (the one the first
   section's ``w:headerReference w:type="first"`` names, else its default
   header): "United Nations", the symbol, the organ, "Distr.: General" and the
   issue date sit there, where python-docx and pandoc never look; running
   heads and footers (symbol, short title, job number, page fields) are page
   furniture and are not read;
3. the body's paragraphs and tables, in order: runs become inlines (italic
   -> ``Emphasis``, bold -> ``Strong``, raised -> ``Superscript``, lowered ->
   ``Subscript``, ``w:br`` -> ``LineBreak``, ``w:tab`` -> a tab the
   normalizer folds into a space); a field contributes its shown result, not
   its instruction; deleted revisions are left out, inserted ones kept; a
   ``w:footnoteReference`` becomes a ``FootnoteRef`` holding the note's
   paragraphs from ``word/footnotes.xml`` (a ``NOTEREF`` field, the second
   call of a note, stays the superscript number it shows); a hyperlink to
   ``undocs.org`` is left as its text (the symbols pass links UN symbols), any
   other becomes a ``Link``;
4. each paragraph becomes a :class:`~pipeline.normalize.blocks.RawBlock` by
   its style (:data:`STYLE_KIND`): the UN's heading styles (``HCh``, ``H1``,
   ``H23``, ``H4``, ``H56``) become headings of their level, the title styles
   and ``SingleTxt`` paragraphs, with their number typed as text and tabs
   (``TAB 1. TAB Decides``) taken off as the text reader takes it off
   (:func:`pipeline.readers.common.take_number`, in the document's language,
   decided once from ``--lang``, the file name or the script of the first
   paragraphs: :func:`~pipeline.readers.common.document_language`); a
   ``w:tbl`` becomes a table block (``gridSpan`` -> colspan, ``vMerge`` ->
   rowspan, ``tblHeader`` rows -> header cells);
5. :func:`pipeline.normalize.normalize`, the same passes as every text reader.

Positions: a span's line is the paragraph's number in ``word/document.xml``
(1-based, tables' paragraphs counted), its column 1; errors in a part name it.
Nothing is dropped silently: a paragraph in an unknown style is read as a
paragraph; comments, bookmarks and deleted text are not text of the resolution.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..ast import (Cell, Emphasis, FootnoteRef, Inline, LineBreak, Link, Para, Row, Span,
                   Strong, Subscript, Superscript, Table, Text)
from ..errors import Diagnostic, ReadError, StructureError
from ..normalize.blocks import RawBlock
from ..options import DEFAULT_READ, ReadOptions
from . import Parsed
from .common import document_language, take_number
from .safezip import Package, open_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

#: the UN's paragraph styles (style id) -> (kind of raw block, heading level)
STYLE_KIND: dict[str, tuple[str, int]] = {
    "HCh": ("heading", 1), "H1": ("heading", 1), "H23": ("heading", 2),
    "H4": ("heading", 3), "H56": ("heading", 4),
}
#: styles whose line breaks are only line-wrapping (titles and headings): read as spaces
WRAPPED = {"HCh", "H1", "H23", "H4", "H56", "TitleH1", "TitleHCH", "Session",
           "AgendaItemNormal", "XLarge", "Publication"}
#: styles of the masthead lines before the title (read as plain lines)
MASTHEAD = {"Session", "AgendaItemNormal", "TitleHCH", "TitleH1"}
_UNDOCS = re.compile(r"^https?://(?:www\.)?(?:undocs\.org|documents\.un\.org)/", re.I)
_OFF = {"0", "false", "off", "none"}


def _on(el) -> bool:
    """A toggle property (w:i, w:b ...) that is present and not switched off."""
    return el is not None and el.get(W + "val", "true").lower() not in _OFF


@dataclass
class _Ctx:
    pkg: Package
    path: str
    rels: dict[str, tuple[str, str]]          # id -> (target, mode)
    notes: dict[str, list] = field(default_factory=dict)   # footnote id -> paragraph elements
    numbered: int = 0                         # Word's automatic footnote numbers used so far
    diags: list[Diagnostic] = field(default_factory=list)
    styles: dict[str, dict] = field(default_factory=dict)  # style id -> run toggles
    para_no: int = 0


# ---------------------------------------------------------------- package parts

def _rels(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if not pkg.has(name):
        return {}
    out = {}
    for r in pkg.xml(name).iter(PR + "Relationship"):
        target, mode = r.get("Target", ""), r.get("TargetMode", "")
        if mode != "External":
            target = posixpath.normpath(posixpath.join(posixpath.dirname(part), target)) \
                if not target.startswith("/") else target.lstrip("/")
        out[r.get("Id", "")] = (target, mode)
    return out


def _main_part(pkg: Package) -> str:
    if pkg.has("_rels/.rels"):
        for r in pkg.xml("_rels/.rels").iter(PR + "Relationship"):
            if r.get("Type", "").endswith("/officeDocument"):
                return r.get("Target", "").lstrip("/")
    if pkg.has("word/document.xml"):
        return "word/document.xml"
    raise ReadError("not a Word document: the package has no main document part",
                    Span(pkg.path, 1, 1))


def _style_toggles(pkg: Package, part: str, rels: dict) -> dict[str, dict]:
    """Italic/bold/superscript set by each character or paragraph style (with basedOn)."""
    target = next((t for t, _m in rels.values() if t.endswith("styles.xml")), None)
    if not target or not pkg.has(target):
        return {}
    raw: dict[str, tuple[str | None, dict]] = {}
    for st in pkg.xml(target).iter(W + "style"):
        sid = st.get(W + "styleId", "")
        rpr = st.find(W + "rPr")
        props = {}
        if rpr is not None:
            for k in ("i", "b"):
                el = rpr.find(W + k)
                if el is not None:
                    props[k] = _on(el)
            va = rpr.find(W + "vertAlign")
            if va is not None:
                props["va"] = va.get(W + "val", "")
        based = st.find(W + "basedOn")
        raw[sid] = (based.get(W + "val") if based is not None else None, props)

    def resolve(sid: str, depth: int = 0) -> dict:
        if sid not in raw or depth > 20:
            return {}
        base, props = raw[sid]
        return {**(resolve(base, depth + 1) if base else {}), **props}

    return {sid: resolve(sid) for sid in raw}


def _first_header(pkg: Package, body, rels: dict) -> str | None:
    """The header part of the first page: the first section's "first" header, else its
    default header."""
    for sect in body.iter(W + "sectPr"):
        refs = {h.get(W + "type", "default"): h.get(R + "id") for h in sect.findall(W + "headerReference")}
        rid = refs.get("first") if sect.find(W + "titlePg") is not None or "first" in refs else None
        rid = rid or refs.get("default")
        if rid and rid in rels and pkg.has(rels[rid][0]):
            return rels[rid][0]
    return None


# ---------------------------------------------------------------- runs -> inlines

class _Runs:
    """Inline builder for one paragraph: runs with their marks, fields, notes."""

    def __init__(self, ctx: _Ctx, pstyle: str, wrap: bool):
        self.ctx = ctx
        # marks come from the runs (direct formatting, character styles), not from the
        # paragraph's style: a heading style's bold is not a mark of its text
        self.base: dict = {}
        self.wrap = wrap
        self.out: list[Inline] = []
        self.field_depth = 0          # nested fields
        self.in_result: list[bool] = []  # per open field: are we past w:separate?
        self.noteref = False          # the current field is a NOTEREF

    def visible(self) -> bool:
        return all(self.in_result) if self.in_result else True

    def walk(self, el) -> None:
        for c in el:
            tag = c.tag if isinstance(c.tag, str) else ""
            if tag == W + "r":
                self.run(c)
            elif tag in (W + "hyperlink",):
                self.hyperlink(c)
            elif tag == W + "fldSimple":
                instr = c.get(W + "instr", "")
                before = len(self.out)
                self.walk(c)
                if "NOTEREF" in instr.upper():
                    self._supify(before)
            elif tag in (W + "ins", W + "smartTag", W + "customXml", W + "sdt", W + "sdtContent",
                         W + "moveTo"):
                self.walk(c)
            elif tag == MC + "AlternateContent":
                fb = c.find(MC + "Fallback")
                if fb is not None:
                    self.walk(fb)
            # w:del, w:moveFrom, bookmarks, comments, proofing marks: not text

    def _supify(self, start: int) -> None:
        """A NOTEREF result: the note's number as a superscript (the note is kept once)."""
        text = "".join(_plain(n) for n in self.out[start:]).strip()
        del self.out[start:]
        if text:
            self.out.append(Superscript((Text(text),)))

    def hyperlink(self, el) -> None:
        rid = el.get(R + "id")
        target = self.ctx.rels.get(rid, ("", ""))[0] if rid else ""
        start = len(self.out)
        self.walk(el)
        if target and not _UNDOCS.match(target) and re.match(r"^(https?|mailto):", target):
            kids = tuple(self.out[start:])
            del self.out[start:]
            self.out.append(Link(target, kids))

    def run(self, r) -> None:
        rpr = r.find(W + "rPr")
        props = dict(self.base)
        if rpr is not None:
            rs = rpr.find(W + "rStyle")
            if rs is not None:
                props.update(self.ctx.styles.get(rs.get(W + "val", ""), {}))
            for k in ("i", "b"):
                el = rpr.find(W + k)
                if el is not None:
                    props[k] = _on(el)
            va = rpr.find(W + "vertAlign")
            if va is not None:
                props["va"] = va.get(W + "val", "")
        custom_mark = False
        for c in r:
            tag = c.tag if isinstance(c.tag, str) else ""
            if tag == W + "fldChar":
                kind = c.get(W + "fldCharType")
                if kind == "begin":
                    self.in_result.append(False)
                    self._instr_start = len(self.out)
                    self._instr = ""
                elif kind == "separate" and self.in_result:
                    self.in_result[-1] = True
                    self._result_start = len(self.out)
                elif kind == "end" and self.in_result:
                    self.in_result.pop()
                    if "NOTEREF" in getattr(self, "_instr", "").upper():
                        self._supify(getattr(self, "_result_start", len(self.out)))
                        self._instr = ""
                continue
            if tag == W + "instrText":
                self._instr = getattr(self, "_instr", "") + (c.text or "")
                continue
            if not self.visible():
                continue
            if tag == W + "footnoteReference":
                self.footnote(c)
                custom_mark = c.get(W + "customMarkFollows") in ("1", "true", "on")
                continue
            if tag == W + "t":
                text = c.text or ""
                if custom_mark:          # the mark typed after a custom-mark reference
                    custom_mark = False
                    if self.out and isinstance(self.out[-1], FootnoteRef):
                        ref = self.out[-1]
                        self.out[-1] = FootnoteRef(text.strip() or ref.marker, ref.blocks,
                                                   span=ref.span)
                        continue
                self.emit(Text(text), props)
            elif tag == W + "tab" or tag == W + "ptab":
                self.emit(Text("\t"), props)
            elif tag in (W + "br", W + "cr"):
                if c.get(W + "type") == "page":
                    continue
                self.out.append(Text(" ") if self.wrap else LineBreak())
            elif tag == W + "noBreakHyphen":
                self.emit(Text("\u2011"), props)
            elif tag == W + "sym":
                ch = c.get(W + "char", "")
                try:
                    self.emit(Text(chr(int(ch, 16))), props)
                except ValueError:
                    pass
            # w:softHyphen, w:lastRenderedPageBreak, drawings: nothing to read

    def emit(self, node: Inline, props: dict) -> None:
        va = props.get("va", "")
        if va == "superscript":
            node = Superscript((node,))
        elif va == "subscript":
            node = Subscript((node,))
        if props.get("b") and _plain(node).strip():
            node = Strong((node,))
        if props.get("i") and _plain(node).strip():
            node = Emphasis((node,))
        self.out.append(node)

    def footnote(self, el) -> None:
        nid = el.get(W + "id", "")
        paras = self.ctx.notes.get(nid)
        self.ctx.numbered += 1
        marker = str(self.ctx.numbered)
        if paras is None:
            self.ctx.diags.append(Diagnostic(f"footnote {nid} is called but not in "
                                             f"word/footnotes.xml; its number kept",
                                             Span(self.ctx.path, self.ctx.para_no, 1),
                                             code="docx-footnote"))
            self.out.append(Superscript((Text(marker),)))
            return
        blocks = []
        for p in paras:
            sub = _Runs(self.ctx, _pstyle(p), wrap=False)
            sub.walk(p)
            inl = _tidy(sub.out)
            if inl:
                blocks.append(Para(inl))
        self.out.append(FootnoteRef(marker, tuple(blocks),
                                    span=Span(self.ctx.path, self.ctx.para_no, 1)))

    def inlines(self) -> tuple[Inline, ...]:
        return _tidy(self.out)


def _plain(n: Inline) -> str:
    from ..ast import plain_text
    return plain_text((n,))


def _join(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent Text nodes joined, nothing stripped (the inside of a mark)."""
    out: list[Inline] = []
    for n in nodes:
        if isinstance(n, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + n.text)
        elif not (isinstance(n, Text) and not n.text):
            out.append(n)
    return tuple(out)


def _tidy(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent runs of the same mark joined; tabs and spaces at the edges dropped; the
    marks' edge spaces moved outside them (the lead phrase "Recalling " -> "Recalling")."""
    out: list[Inline] = []
    for n in nodes:
        if isinstance(n, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + n.text)
            continue
        if isinstance(n, (Emphasis, Strong)) and len(out) >= 2 and type(out[-2]) is type(n) \
                and isinstance(out[-1], Text) and out[-1].text in (" ", "\u00a0"):
            # "Recalling" + " " + "also": one italic run with its space
            space = out.pop()
            out[-1] = type(n)(_join(list(out[-1].children) + [space] + list(n.children)))
            continue
        if isinstance(n, (Emphasis, Strong, Superscript, Subscript)) and out and \
                type(out[-1]) is type(n):
            out[-1] = type(n)(_join(list(out[-1].children) + list(n.children)))
            continue
        out.append(n)
    res: list[Inline] = []
    for n in out:
        if isinstance(n, (Emphasis, Strong)) and n.children and \
                all(isinstance(k, Text) for k in n.children):
            text = "".join(k.text for k in n.children)
            core = text.strip()
            lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            if lead:
                res.append(Text(lead))
            if core:
                res.append(type(n)((Text(core),)))
            if trail:
                res.append(Text(trail))
        else:
            res.append(n)
    merged: list[Inline] = []
    for n in res:
        if isinstance(n, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + n.text)
        elif not (isinstance(n, Text) and not n.text):
            merged.append(n)
    while merged and isinstance(merged[0], Text) and not merged[0].text.strip():
        merged.pop(0)
    while merged and isinstance(merged[-1], (Text, LineBreak)) and \
            (isinstance(merged[-1], LineBreak) or not merged[-1].text.strip()):
        merged.pop()
    if merged and isinstance(merged[0], Text):
        merged[0] = Text(merged[0].text.lstrip())
    if merged and isinstance(merged[-1], Text):
        merged[-1] = Text(merged[-1].text.rstrip())
    return tuple(merged)


def _pstyle(p) -> str:
    st = p.find(f"{W}pPr/{W}pStyle")
    return st.get(W + "val", "") if st is not None else ""


# ---------------------------------------------------------------- blocks

def _paragraph_inlines(ctx: _Ctx, p, style: str) -> tuple[Inline, ...]:
    runs = _Runs(ctx, style, wrap=style in WRAPPED)
    runs.walk(p)
    return runs.inlines()


def _table(ctx: _Ctx, tbl) -> Table:
    rows: list[Row] = []
    pending: dict[int, list] = {}        # column -> [row index, cell index] of an open vMerge
    for tr in tbl.findall(W + "tr"):
        header = tr.find(f"{W}trPr/{W}tblHeader") is not None and \
            _on(tr.find(f"{W}trPr/{W}tblHeader"))
        cells: list[Cell] = []
        col = 0
        for tc in tr.findall(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = 1
            merge = None
            if tcpr is not None:
                gs = tcpr.find(W + "gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(W + "val", "1")))
                    except ValueError:
                        span = 1
                vm = tcpr.find(W + "vMerge")
                if vm is not None:
                    merge = vm.get(W + "val", "continue")
            if merge == "continue" and col in pending:
                ri, ci = pending[col]
                c = rows[ri].cells[ci] if ri < len(rows) else cells[ci]
                grown = Cell(c.blocks, c.header, c.colspan, c.rowspan + 1)
                if ri < len(rows):
                    rr = list(rows[ri].cells)
                    rr[ci] = grown
                    rows[ri] = Row(tuple(rr))
                col += span
                continue
            blocks = _cell_blocks(ctx, tc)
            if header:        # bold is a header cell's own look, not a mark of its text
                blocks = [Para(_unbold(b.inlines)) if isinstance(b, Para) else b for b in blocks]
            cells.append(Cell(tuple(blocks), header=header, colspan=span))
            if merge == "restart":
                pending[col] = [len(rows), len(cells) - 1]
            else:
                pending.pop(col, None)
            col += span
        rows.append(Row(tuple(cells)))
    return Table(tuple(rows))


def _unbold(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Strong marks taken off (their text kept), at any depth."""
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, Strong):
            out.extend(_unbold(n.children))
        elif isinstance(n, (Emphasis, Superscript, Subscript, Link)):
            out.append(type(n)(**{**{f: getattr(n, f) for f in n.__slots__},
                                  "children": _unbold(n.children)}))
        else:
            out.append(n)
    return _join(out)


def _cell_blocks(ctx: _Ctx, tc) -> list:
    out = []
    for c in tc:
        if c.tag == W + "p":
            ctx.para_no += 1
            inl = _paragraph_inlines(ctx, c, _pstyle(c))
            if inl:
                out.append(Para(inl))
        elif c.tag == W + "tbl":
            out.append(_table(ctx, c))
        elif c.tag == W + "sdt":
            content = c.find(W + "sdtContent")
            if content is not None:
                out.extend(_cell_blocks(ctx, content))
    return out


def _body_elements(body):
    """The paragraphs and tables of the body, content controls opened."""
    for c in body:
        if c.tag in (W + "p", W + "tbl"):
            yield c
        elif c.tag == W + "sdt":
            content = c.find(W + "sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif c.tag in (W + "ins", W + "customXml"):
            yield from _body_elements(c)


def _header_blocks(ctx: _Ctx, part: str) -> list[RawBlock]:
    """The masthead lines of the first page's header, one block per non-empty paragraph."""
    root = ctx.pkg.xml(part)
    hctx = _Ctx(ctx.pkg, ctx.path, _rels(ctx.pkg, part), styles=ctx.styles)
    out = []
    for k, p in enumerate(root.iter(W + "p"), 1):
        runs = _Runs(hctx, _pstyle(p), wrap=True)
        runs.walk(p)
        inl = tuple(Text(_plain(n)) if isinstance(n, (Strong, Emphasis)) else n
                    for n in runs.inlines())
        text = "".join(_plain(n) for n in inl).strip()
        if text:
            out.append(RawBlock("para", (Text(text),), Span(ctx.path, 1, k),
                                attrs=(("part", "header"),)))
    return out


def read_blocks(data: bytes, path: str = "<input>", *, lang: str | None = None
                ) -> tuple[list[RawBlock], list[Diagnostic], str]:
    """Raw blocks, warnings and the language code of a Word file."""
    pkg = open_package(data, path)
    main = _main_part(pkg)
    root = pkg.xml(main)
    body = root.find(W + "body")
    if body is None:
        raise ReadError(f"not a Word document: {main} has no w:body", Span(path, 1, 1))
    rels = _rels(pkg, main)
    ctx = _Ctx(pkg, path, rels)
    ctx.styles = _style_toggles(pkg, main, rels)
    notes_part = next((t for t, m in rels.values() if t.endswith("footnotes.xml")), None)
    if notes_part and pkg.has(notes_part):
        for fn in pkg.xml(notes_part).iter(W + "footnote"):
            if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            ctx.notes[fn.get(W + "id", "")] = fn.findall(W + "p")

    blocks: list[RawBlock] = []
    header = _first_header(pkg, body, rels)
    if header:
        blocks.extend(_header_blocks(ctx, header))

    texts: list[str] = []
    titled = False                      # headings count only after the title line
    elements = list(_body_elements(body))
    for el in elements:
        if el.tag == W + "tbl":
            start = ctx.para_no + 1
            table = _table(ctx, el)
            blocks.append(RawBlock("table", (), Span(path, start, 1), table=table))
            continue
        ctx.para_no += 1
        style = _pstyle(el)
        inl = _paragraph_inlines(ctx, el, style)
        if not inl:
            continue
        texts.append("".join(_plain(n) for n in inl))
        span = Span(path, ctx.para_no, 1)
        if style == "TitleH1":
            # the title line: tabs and no-break spaces are layout ("72/257.TAB Title")
            inl = tuple(Text(n.text.replace("\t", " ").replace("\u00a0", " "))
                        if isinstance(n, Text) else n for n in inl)
            titled = True
        kind, level = STYLE_KIND.get(style, ("para", 0)) if titled else ("para", 0)
        if kind == "heading":
            blocks.append(RawBlock("heading", _heading_inlines(inl), span, level=level,
                                   attrs=(("style", style),)))
            continue
        blocks.append(RawBlock("para", inl, span, attrs=(("style", style),)))

    if not any(b.text.strip() for b in blocks) and not any(b.kind == "table" for b in blocks):
        raise StructureError("no resolution found: the Word file has no text", Span(path, 1, 1))
    # numbers typed as text: "TAB 1. TAB Decides" -> num "1.", as the text reader takes it off
    L = document_language(" ".join(texts[:80]), path, lang)
    out = []
    for b in blocks:
        if dict(b.attrs).get("part") == "header" and L.is_formula(b.text):
            continue      # the organ's name ("大会") would read as the enacting formula
        if b.kind == "para" and dict(b.attrs).get("style") not in MASTHEAD and \
                dict(b.attrs).get("part") != "header":
            num, inl = take_number(_lstrip(b.inlines), L)
            if num:
                b = RawBlock("para", inl, b.span, num=num, attrs=b.attrs)
        out.append(b)
    return out, ctx.diags, L.code


def _lstrip(inlines):
    if inlines and isinstance(inlines[0], Text):
        return (Text(inlines[0].text.lstrip()),) + inlines[1:]
    return inlines


def _heading_inlines(inl):
    """A heading's inlines: leading tabs dropped (the UN indents headings with tabs)."""
    return _lstrip(inl)


def read(data: bytes, path: str = "<input>", options: ReadOptions = DEFAULT_READ) -> Parsed:
    """Read a Word file into the canonical tree."""
    from ..normalize import normalize

    blocks, warnings, code = read_blocks(data, path, lang=options.lang)
    res, diags = normalize(blocks, front={}, path=path, lang=code)
    return Parsed(res, tuple(warnings) + tuple(diags))
