"""Markdown writer (the canonical source form, what ``unres fmt`` writes).

The real test is the round trip: for every tree we can get (the examples in
``inputs/``, the seed-like corpus, the UN's own AKN), reading the written
markdown gives back the same tree, and writing that again gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, need

from pipeline import build
from pipeline import lang as langs
from pipeline.ast import (Annex, Cell, Component, DocRef, Emphasis, FootnoteRef, Item, LineBreak, Meta, Para, Recital, Resolution, Row, Section,
                          Strong, Superscript, Table, Text, plain_text)
from pipeline.normalize.meta import FRONT_KEYS
from pipeline.readers.markdown import read
from pipeline.writers.markdown import escape, write

INPUTS = sorted((ROOT / "inputs").glob("*.md"))


def load(path: Path) -> Resolution:
    return build.load(path).resolution


def back(res: Resolution) -> Resolution:
    return read(write(res).data, "t.md").resolution


def src(text: str, name: str = "t.en.md") -> Resolution:
    return read(text.encode("utf-8"), name).resolution


BASE = """Eightieth session

Agenda item 12

## Resolution adopted by the General Assembly on 20 November 2025

[without reference to a Main Committee (A/80/L.23)]

### 80/901. A test resolution

*The General Assembly*,

*Recalling* its earlier work,

1. *Decides* to test;

2. *Requests* a report.

41st plenary meeting  
20 November 2025
"""


# ---------------------------------------------------------------- tree differences

def differences(a, b, path: str = "") -> list[str]:
    """Where two trees differ (spans aside), as paths without indices."""
    if type(a) is not type(b):
        return [f"{path}<{type(a).__name__}->{type(b).__name__}>"]
    if isinstance(a, tuple):
        if len(a) != len(b):
            return [f"{path}[len]"]
        return [d for x, y in zip(a, b) for d in differences(x, y, path)]
    if dataclasses.is_dataclass(a):
        return [d for f in dataclasses.fields(a) if f.name != "span"
                for d in differences(getattr(a, f.name), getattr(b, f.name),
                                     f"{path}.{type(a).__name__}.{f.name}")]
    return [] if a == b else [path]


def with_generated_lines(res: Resolution) -> Resolution:
    """The tree with the masthead and closing lines it lacks generated, as the writer does."""
    def fix_meta(m: Meta) -> Meta:
        L = langs.get(m.language)
        ch = {}
        if not m.session_text and m.session is not None:
            ch["session_text"] = L.session_text(m.session)
        if not m.agenda_text and m.agenda_items:
            ch["agenda_text"] = L.agenda_text(tuple(a.number for a in m.agenda_items))
        if not m.adoption_text and m.adopted and m.organ:
            ch["adoption_text"] = L.adoption_text(m.organ, m.adopted)
        return replace(m, **ch)

    def fix_body(m: Meta, body):
        c = body.closing
        if c is None:
            return body
        L = langs.get(m.language)
        ch = {}
        if not c.meeting and c.meeting_number is not None:
            ch["meeting"] = L.meeting_text(c.meeting_number)
        if not c.date_text and c.date:
            ch["date_text"] = L.format_date(c.date)
        return replace(body, closing=replace(c, **ch)) if ch else body

    if res.components:
        return res
    return replace(res, meta=fix_meta(res.meta), body=fix_body(res.meta, res.body))


# ---------------------------------------------------------------- unit behaviour

def test_base_document_round_trips_and_is_idempotent() -> None:
    res = src(BASE)
    out = write(res).data
    assert back(res) == res
    assert write(read(out, "t.md").resolution).data == out
    assert write(res).data == out  # deterministic


def test_front_matter_holds_only_what_the_lines_do_not_show() -> None:
    res = src(BASE)
    text = write(res).data.decode()
    front = text.split("---\n")[1]
    assert front == "symbol: A/RES/80/901\nlanguage: en\n"
    rich = replace(res, meta=replace(res.meta, issued="2025-12-01", distribution="Limited",
                                     job_number="25-12345 (E)", sponsors=("Austria", "Chile"),
                                     letter="B", symbol="A/RES/80/901 B"))
    text = write(rich).data.decode()
    keys = re.findall(r"^(\w+):", text.split("---\n")[1], re.M)
    assert keys == ["symbol", "language", "letter", "distribution", "issued", "job_number",
                    "sponsors"]
    assert back(rich) == rich


def test_masthead_formula_and_closing_lines() -> None:
    text = write(src(BASE)).data.decode()
    body = text.split("---\n", 2)[2]
    assert body.lstrip().startswith("Eightieth session\n\nAgenda item 12\n\n"
                                    "## Resolution adopted by the General Assembly on 20 November "
                                    "2025\n\n[without reference to a Main Committee (A/80/L.23)]\n\n"
                                    "### 80/901. A test resolution\n\n*The General Assembly*,\n")
    assert "\n1. *Decides* to test;\n\n2. *Requests* a report.\n" in body
    assert body.endswith("41st plenary meeting  \n20 November 2025\n")


def test_missing_masthead_lines_are_generated_from_the_language_data() -> None:
    res = src(BASE)
    bare = replace(res, meta=replace(res.meta, session_text="", agenda_text="", adoption_text=""),
                   body=replace(res.body, closing=replace(res.body.closing, meeting="",
                                                          date_text="")))
    assert write(bare).data == write(res).data


@pytest.mark.parametrize("code, lead", [("en", "*Recalling*"), ("fr", "*Rappelant*"),
                                        ("zh", "**回顾**"), ("ar", "***إذ تشير***")])
def test_lead_phrases_are_marked_in_the_language_style(code: str, lead: str) -> None:
    path = next(p for p in INPUTS if p.name.endswith(f".{code}.md"))
    text = write(load(path)).data.decode()
    assert f"\n{lead}" in text


def test_arabic_paragraph_numbers_stay_text() -> None:
    path = next(p for p in INPUTS if p.name.endswith(".ar.md"))
    res = load(path)
    text = write(res).data.decode()
    assert "\n1 - ***تحث*** " in text
    assert back(res) == res


def test_items_nest_as_list_items_with_their_labels() -> None:
    path = next(p for p in INPUTS if p.name.endswith(".en.md"))
    text = write(load(path)).data.decode()
    assert "\n- (b) The improvement of the safety" in text
    assert "\n  - (i) The design of safe crossings" in text
    assert "\n- (c) The inclusion" in text


def test_footnotes_are_defined_after_the_paragraph_that_calls_them() -> None:
    path = next(p for p in INPUTS if p.name.endswith(".en.md"))
    text = write(load(path)).data.decode()
    assert "adopted on 30 June 2022,[^1]\n\n[^1]: Resolution 76/294, annex.\n\n*Reaffirming*" in text


@pytest.mark.parametrize("tricky", [
    "a *star* and **two**", "snake_case_name and __dunder__", "[brackets] and [^1] and ![x](y)",
    "<b>not bold</b> & <!-- no comment -->", "a | pipe", "~~not struck~~ and ~sub~",
    "an &amp; entity and &#49;", "{#id .class} and [x]{.y}", "back\\slash and `code`",
    "$x$ and :smile: and ^sup^", "http://example.org/a_b",
])
def test_markdown_special_characters_survive(tricky: str) -> None:
    res = src(BASE)
    rec = res.body.preamble.recitals[0]
    p1 = res.body.operative[0]
    res = replace(res, body=replace(res.body, preamble=replace(
        res.body.preamble, recitals=(replace(rec, body=(Text(f"its work on {tricky},"),)),)),
        operative=(replace(p1, body=(Text(f"to test {tricky};"),)),) + res.body.operative[1:]))
    assert back(res) == res


@pytest.mark.parametrize("start", ["1. one", "2) two", "# hash", "- dash", "+ plus", "> quote",
                                   ": colon", "--- rule", "=== setext"])
def test_block_openers_at_a_line_start_stay_text(start: str) -> None:
    res = src(BASE)
    note = FootnoteRef("1", (Para((Text(f"{start} in a note."),)),))
    rec = res.body.preamble.recitals[0]
    p1 = res.body.operative[0]
    res = replace(res, body=replace(res.body, preamble=replace(
        res.body.preamble, recitals=(replace(rec, body=rec.body + (note,)),)),
        operative=(replace(p1, items=(Item("(a)", (Text(f"{start} in an item;"),)),)),)
        + res.body.operative[1:]))
    assert back(res) == res


@pytest.mark.parametrize("line", ["===", "- dash", "1. one", "# hash"])
def test_block_openers_after_a_hard_line_break_stay_text(line: str) -> None:
    res = src(BASE)
    p1 = res.body.operative[0]
    body = (Text("to test"), LineBreak(), Text(f"{line} after a break;"))
    res = replace(res, body=replace(res.body, operative=(replace(p1, body=body),)
                                    + res.body.operative[1:]))
    assert escape(line, line_start=True) != line
    assert back(res) == res


def test_paragraph_numbers_out_of_sequence_are_not_renumbered() -> None:
    res = src(BASE)
    p1, p2 = res.body.operative
    res = replace(res, body=replace(res.body, operative=(p1, replace(p2, num="3."))))
    text = write(res).data.decode()
    assert "\n3\\. *Requests*" in text
    assert back(res) == res


def test_emphasis_where_commonmark_would_not_close_it_uses_tags() -> None:
    res = src(BASE)
    p1 = res.body.operative[0]
    body = (Text("to test a"), Emphasis((Text("(b)"),)), Text("c and "),
            Strong((Emphasis((Text("both"),)),)), Text(" and 1"),
            Emphasis((Superscript((Text("er"),)),)), Text(";"))
    res = replace(res, body=replace(res.body, operative=(replace(p1, body=body),)
                                    + res.body.operative[1:]))
    text = write(res).data.decode()
    assert "a<i>(b)</i>c" in text
    assert back(res) == res


def test_sections_recitals_in_sections_annexes_and_tables() -> None:
    text = BASE.replace("1. *Decides* to test;\n\n2. *Requests* a report.\n", """
#### I. First part

#### *Recalling* its resolution on parts,

1. *Decides* to test;

#### II. Second part

1. *Requests* a report.
""") + """
## Annex

### Terms of reference

Some text with a_b.

| Item | Amount |
|---|---|
| Posts | 1 \\| 2 |
| Other | 3 |
"""
    res = src(text)
    assert isinstance(res.body.operative[0], Section)
    assert isinstance(res.body.operative[0].children[0], Recital)
    out = write(res).data.decode()
    assert "\n#### I. First part\n\n#### *Recalling* its resolution on parts,\n" in out
    assert "\n## Annex\n\n### Terms of reference\n" in out
    assert "| Posts | 1 \\| 2 |" in out
    assert back(res) == res


def test_symbols_the_reader_would_not_find_are_written_as_links() -> None:
    res = src(BASE)
    rec = res.body.preamble.recitals[0]
    body = (Text("its resolution "), DocRef("A/RES/70/1", (Text("70/1"),)), Text(" and "),
            DocRef("E/RES/2020/20", (Text("2019/20"),)), Text(","))
    res = replace(res, body=replace(res.body, preamble=replace(
        res.body.preamble, recitals=(replace(rec, body=body),))))
    text = write(res).data.decode()
    assert "its resolution 70/1 and [2019/20](<https://undocs.org/en/E/RES/2020/20>)," in text


def test_what_the_format_cannot_say_is_reported() -> None:
    res = src(BASE)
    table = Table((Row((Cell((Para((Text("a"),)),), header=True, colspan=2),)),
                   Row((Cell((Para((Text("b"),)),)), Cell((Para((Text("c"),)),))))))
    annexed = replace(res, body=replace(res.body, annexes=(
        Annex((Text("Annex"),), (Text("T"),), (table, Para((Text("x"),), style="H1"))),)))
    codes = {w.code for w in write(annexed).diagnostics}
    assert {"md-table", "md-style"} <= codes
    coll = replace(res, components=(Component("A", res.meta, res.body),
                                    Component("B", res.meta, res.body)))
    assert any(w.code == "md-collection" for w in write(coll).diagnostics)


# ---------------------------------------------------------------- corpus round trips

def _check(res: Resolution, expected: Resolution) -> list[str]:
    return sorted(set(differences(expected, back(res))))


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_inputs_round_trip_exactly(path: Path) -> None:
    res = load(path)
    out = write(res).data
    again = read(out, path.name).resolution
    assert again == res, differences(res, again)
    assert write(again).data == out


def _seedlike() -> list[Path]:
    return sorted((CORPUS / "seedlike").glob("*/*.md"))


@pytest.mark.corpus
def test_seedlike_corpus_round_trips() -> None:
    files = _seedlike() or [need(CORPUS / "seedlike")]
    failures = {}
    for path in files:
        res = load(path)
        out = write(res).data
        again = read(out, "t.md").resolution
        if again != with_generated_lines(res):
            failures[path.name] = sorted(set(differences(with_generated_lines(res), again)))[:5]
        elif write(again).data != out:
            failures[path.name] = ["not idempotent"]
    assert not failures, failures


#: Differences between an AKN tree and the same tree read back from our markdown that
#: are not the writer's: each is a gap upstream (reported to the lead with a fix).
#: A difference matching none of these fails the test.
AKN_KNOWN_GAPS = {
    # a DocRef the reader would not find by itself is written as an undocs.org link, which
    # the normalizer does not yet turn back into a DocRef; and the normalizer links symbols
    # that the UN's markup leaves unlinked ("Résolution 60/288." in a note)
    r"<DocRef->Link>|\.Para\.inlines\[len\]$|\.(body|inlines)\[len\]$": "symbol links",
    # annex headings "I. Establishment": the normalizer keeps the number in the text
    r"\.Annex\.blocks\.Heading\.(num|inlines\.Text\.text)$": "annex heading numbers",
    # the AKN reader keeps CJK spacing the markdown normalizer removes
    r"\.Item\.body\.Text\.text$|\.(Recital|Paragraph)\.body\.Text\.text$|"
    r"\.Cell\.blocks\.Para\.inlines\.(Strong\.children\.)?Text\.text$|"
    r"\.Proponent\.text$|\.Recital\.lead\.Text\.text$|\.Meta\.session(<.*>)?$": "AKN reader text",
    # pipe tables: one header row, no spans; paragraph styles have no markdown form
    r"\.Cell\.header$|\.Row\.cells\[len\]$|\.Para\.style$": "table shapes, styles",
    # an annex the AKN reader gives no heading gets the language's annex label
    r"\.Annex\.heading\[len\]$": "annex label",
    # a collection (75/101 A-B) has no syntax in the source format yet
    r"\.Resolution\.(components\[len\]|body\.|meta\.Meta\.(meeting|letter))": "collection",
}


def _akn() -> list[Path]:
    return sorted((CORPUS / "akn").glob("*/*.xml"))


@pytest.mark.corpus
def test_akn_corpus_round_trips_but_for_known_upstream_gaps() -> None:
    files = _akn() or [need(CORPUS / "akn")]
    unread = {"published", "marked_up", "workflow", "voting", "classifications"} - FRONT_KEYS
    exact = 0
    unknown: dict[str, list[str]] = {}
    for path in files:
        res = with_generated_lines(load(path))
        diffs = _check(res, res)
        diffs = [d for d in diffs
                 if not re.search(rf"\.Meta\.({'|'.join(unread) or '$^'})", d)]
        exact += not diffs
        left = [d for d in diffs if not any(re.search(p, d) for p in AKN_KNOWN_GAPS)]
        if left:
            unknown[str(path.relative_to(CORPUS))] = left
    assert not unknown, unknown
    assert exact >= 21      # of 34; the rest differ only by the gaps listed above


@pytest.mark.corpus
def test_fmt_reaches_a_fixed_point_on_akn_trees() -> None:
    """write(read(write(T))) is stable from the second pass on (idempotent ``fmt``), except
    where the title-with-nbsp gap of the normalizer adds the number again each pass."""
    files = _akn() or [need(CORPUS / "akn")]
    unstable = []
    for path in files:
        res = load(path)
        once = write(read(write(res).data, "t.md").resolution).data
        twice = write(read(once, "t.md").resolution).data
        if once != twice:
            title = plain_text(res.meta.title)
            if "\u00a0" not in title:
                unstable.append(path.name)
    assert not unstable
