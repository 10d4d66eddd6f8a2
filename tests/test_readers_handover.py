"""What the readers hand the normalizer: page recovery kept with the readers of printed
pages, notes handed over as note blocks and attached once, the language decided once.

The module layout is checked from the source (imports read with ``ast``), so that a
move that breaks it fails here and not in a wheel or at the first PDF."""

from __future__ import annotations

import ast
import tomllib

import pytest
from conftest import CORPUS, ROOT, need

from pipeline import lang
from pipeline.ast import Emphasis, FootnoteRef, Superscript, Text, plain_text
from pipeline.errors import LanguageError
from pipeline.lang import get as get_language
from pipeline.normalize import normalize
from pipeline.normalize.blocks import RawBlock
from pipeline.normalize.footnotes import (
    attach_notes,
    footnote_marker,
    relocate_footnotes,
)
from pipeline.normalize.text import tidy_blocks
from pipeline.readers import pdf as pdf_reader
from pipeline.readers import text as text_reader
from pipeline.readers.common import document_language
from pipeline.readers.pdf import layout
from pipeline.readers.pdf.layout import Glyph
from pipeline.readers.pdf.pages import DrawnPage

PIPELINE = ROOT / "pipeline"


# ---------------------------------------------------------------- the rooms

def _modules() -> dict[str, tuple[ast.Module, bool]]:
    """Every module of the package by dotted name: (its syntax tree, is a package)."""
    out = {}
    for f in sorted(PIPELINE.rglob("*.py")):
        parts = list(f.relative_to(ROOT).with_suffix("").parts)
        package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if package else parts)
        out[name] = (ast.parse(f.read_text(encoding="utf-8")), package)
    return out


def _imports(name: str, tree: ast.Module, package: bool, known) -> list[tuple[str, str]]:
    """(module imported, name taken from it or "") for every import in the module,
    at any depth (imports inside functions count)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names if a.name.startswith("pipeline")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("pipeline"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((sub, "") if sub in known else (target, a.name))
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, list[tuple[str, str]]]:
    mods = _modules()
    return {m: _imports(m, t, p, mods) for m, (t, p) in mods.items()}


def test_the_normalizer_imports_no_reader_and_no_page_recovery(graph):
    bad = [(m, t) for m, deps in graph.items() if m.startswith("pipeline.normalize")
           for t, _ in deps if t.startswith("pipeline.readers")]
    assert bad == []


def test_page_recovery_lives_with_the_readers():
    here = {p.stem for p in (PIPELINE / "normalize").glob("*.py")}
    assert not here & {"layout", "furniture", "pagenotes", "lines", "bidi"}
    assert (PIPELINE / "readers" / "page" / "furniture.py").exists()
    assert (PIPELINE / "readers" / "pdf" / "layout.py").exists()


def test_no_reader_takes_another_modules_private_names(graph):
    bad = [(m, t, n) for m, deps in graph.items() if m.startswith("pipeline.readers")
           for t, n in deps if n.startswith("_") and t != m]
    assert bad == []


def test_the_import_graph_has_no_cycles(graph):
    edges = {m: {t for t, _ in deps if t in graph and t != m} for m, deps in graph.items()}
    state: dict[str, int] = {}              # 1 on the path, 2 done
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycles.append(path[path.index(t):] + [t])
            elif t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_every_package_is_in_the_wheel():
    packages = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                   ["packages"])
    here = {".".join(p.parent.relative_to(ROOT).parts) for p in PIPELINE.rglob("__init__.py")}
    assert here <= packages, here - packages


# ---------------------------------------------------------------- notes

PAGES = "\n".join([
    "United Nations ", "A/RES/78/6", " ", "General Assembly ", "23-21327 (E)    091123     ",
    "*2321327* ", " ", "Recalling its resolution 77/6 and all its previous relevant ",
    "resolutions, ", " ", "Recalling also that the Rome Statute1 reaffirms the purposes of the ",
    "__________________ ", " ", "1 United Nations, Treaty Series, vol. 2187, No. 38544. ", "",
    "A/RES/78/6 ", "Report of the International Criminal Court", " ", "23-21327", "2/5 ", " ",
    "Charter of the United Nations, ",
])


def test_the_text_reader_hands_notes_over_as_note_blocks():
    blocks, _, code = text_reader.read_blocks(PAGES.encode(), "x.txt")
    notes = [b for b in blocks if b.kind == "note"]
    assert code == "en"
    assert [(b.marker, b.text) for b in notes] == \
        [("1", "United Nations, Treaty Series, vol. 2187, No. 38544.")]
    assert notes[0].span.line == 14
    # the call stays a superscript in the text; no paragraph opens with one
    assert any(isinstance(n, Superscript) for b in blocks for n in b.inlines)
    assert not any(b.inlines and isinstance(b.inlines[0], Superscript) for b in blocks)
    # the note comes after the last block that ends on its page (the paragraph that
    # holds its call goes on to the next page)
    at = blocks.index(notes[0])
    assert blocks[at - 1].text.startswith("Recalling its resolution 77/6")
    assert "Rome Statute" in blocks[at + 1].text


def test_the_pdf_reader_hands_notes_over_as_note_blocks():
    pdf = need(CORPUS / "pdf-text" / "pdf" / "A_RES_78_167.pdf")
    blocks, _, _ = pdf_reader.read_blocks(pdf.read_bytes(), pdf.name)
    notes = [b for b in blocks if b.kind == "note"]
    assert [b.marker for b in notes] == [str(k) for k in range(1, len(notes) + 1)]
    assert len(notes) == 7 and all(b.text.strip() for b in notes)
    assert not any(b.inlines and isinstance(b.inlines[0], Superscript) for b in blocks)


def test_what_is_no_footnote_under_a_pdf_rule_stays_text(monkeypatch):
    # a table's lettered note "a", or a marker with no text, is not handed over as a note
    rows = layout.make_rows(glyphs("The General Assembly,", 72, 300)
                            + glyphs("Recalling its resolution 77/6,", 72, 330), 0)
    monkeypatch.setattr(pdf_reader, "read_pages",
                        lambda data, path, **limits: ([DrawnPage(0, tuple(rows), 842.0)], []))
    monkeypatch.setattr(pdf_reader, "read_notes", lambda pages, code, path, diags: [
        (0, "a", (Text("Level H only."),)), (0, "1", (Text("A note."),)), (0, "2", ())])
    blocks, _, _ = pdf_reader.read_blocks(b"", "x.en.pdf")
    feet = [b for b in blocks if b.kind == "note" or b.inlines[:1] in ((sup("a"),), (sup("2"),))]
    assert [(b.kind, b.marker, b.text) for b in feet] == [
        ("para", "", "a Level H only."), ("note", "1", "A note."), ("para", "", "2 ")]
    assert [footnote_marker(m) for m in ("1", " 12 ", "*", "a", "er", "1234")] == \
        ["1", "12", "*", None, None, None]


def sup(marker: str) -> Superscript:
    return Superscript((Text(marker),))


def test_stranded_notes_become_note_blocks_in_their_place():
    blocks = [RawBlock("para", (Text("Recalling the Statute"), sup("1"), Text(","))),
              RawBlock("para", (sup("1"), Text(" United Nations, Treaty Series."))),
              RawBlock("para", (sup("2"),)),                  # a call alone is no note
              RawBlock("para", (Text("Decides"),), num="1.")]
    got = relocate_footnotes(blocks)
    assert [b.kind for b in got] == ["para", "note", "para", "para"]
    assert got[1].marker == "1" and plain_text(got[1].inlines).strip() == \
        "United Nations, Treaty Series."


def test_every_note_block_is_attached_at_its_call_once():
    blocks = [RawBlock("para", (Text("the Statute"), sup("1"), Text(" and"))),
              RawBlock("note", (Text(" A note. "),), marker="1"),
              RawBlock("para", (Emphasis((Text("again"), sup("1"))), sup("2")))]
    got, diags = attach_notes(blocks)
    assert [b.kind for b in got] == ["para", "para"]
    ref = got[0].inlines[1]
    assert isinstance(ref, FootnoteRef) and ref.marker == "1"
    assert plain_text(ref.blocks[0].inlines) == "A note."
    assert [d.code for d in diags] == ["footnote-repeated", "footnote-missing"]


def test_a_note_without_a_call_is_kept_at_the_block_before_it():
    blocks = [RawBlock("para", (Text("Decides"),)), RawBlock("note", (Text("Lost."),),
                                                             marker="3")]
    got, diags = attach_notes(blocks)
    assert len(got) == 1 and isinstance(got[0].inlines[-1], FootnoteRef)
    assert [d.code for d in diags] == ["footnote-uncalled"]


def test_a_note_is_tidied_as_the_notes_in_the_tree_are():
    # in a compact language the space after an item label opening a paragraph is kept;
    # a note opens with no item label
    para, note = tidy_blocks([RawBlock("para", (Text("(a) 大会"),)),
                              RawBlock("note", (Text("(a) 大会"),), marker="1")], tight=True,
                             label_shape=get_language("zh").label_shape)
    assert para.text == "(a) 大会" and note.text == "(a)大会"


# ---------------------------------------------------------------- language

def test_the_language_is_what_the_source_says_first_then_the_script():
    zh = "大会，回顾其以往关于这一问题的各项决议"
    assert document_language(zh, "x.md", "fr", {"language": "es"}).code == "es"
    assert document_language(zh, "x.ru.md", "fr").code == "fr"
    assert document_language(zh, "x.ru.md").code == "ru"
    assert document_language(zh, "x.md").code == "zh"
    with pytest.raises(LanguageError) as e:
        document_language("1234", "x.txt")
    assert (e.value.span.file, e.value.span.line) == ("x.txt", 1)
    with pytest.raises(LanguageError) as e:
        document_language(zh, "x.txt", "xx")
    assert e.value.span.file == "x.txt"


def test_the_normalizer_takes_the_readers_language():
    blocks = [RawBlock("para", (Text("78/6. Titre"),)),
              RawBlock("para", (Text("Décide d’agir."),), num="1.")]
    res, _ = normalize(blocks, lang="en", path="x.txt")
    assert res.meta.language == "en"                # no second guess from the text
    with pytest.raises(LanguageError) as e:
        normalize(blocks, lang="xx", path="x.txt")
    assert e.value.span.file == "x.txt"


def glyphs(text: str, x: float, base: float, size: float = 10.0) -> list[Glyph]:
    out = []
    for ch in text:
        out.append(Glyph(ch, x, x + 0.5 * size, base - 0.8 * size, base + 0.2 * size, size,
                         base=base))
        x += 0.5 * size
    return out


@pytest.mark.parametrize("path, kept", [("A_RES_78_6.fr.pdf", False),
                                        ("A_RES_78_6.en.pdf", True)])
def test_the_pdf_reader_cuts_pages_with_the_documents_language(monkeypatch, path, kept):
    # "Merci de recycler" in the page's foot is furniture in French only
    rows = layout.make_rows(glyphs("L’Assemblée générale,", 72, 300)
                            + glyphs("Rappelant sa résolution 77/6 et les suivantes,", 72, 330)
                            + glyphs("Merci de recycler", 72, 770), 0)
    drawn = DrawnPage(0, tuple(rows), 842.0)
    monkeypatch.setattr(pdf_reader, "read_pages", lambda data, path, **limits: ([drawn], []))
    blocks, _, code = pdf_reader.read_blocks(b"", path)
    assert code == path.split(".")[1]
    assert any("recycler" in b.text for b in blocks) is kept
    assert lang.get("fr").furniture["residue"].fullmatch("Merci de recycler")
