"""Property-based fuzz (Hypothesis) of the markdown reader, the PDF-text reader and the
normalizer: given any text, or lines shaped like a resolution's, each returns a tree
(which the writers write) or raises a :class:`~pipeline.errors.PipelineError` of the
input's own (never an internal error) located in the file; nothing else.

The examples are drawn from a fixed seed (``derandomize``), so CI runs the same few
seconds every time.  For a longer run, on demand, set ``UNRES_FUZZ_EXAMPLES`` (the
examples per test; the CI budget is 60 for the readers and 200 for the normalizer)
and, to explore beyond the fixed seed, ``UNRES_FUZZ_RANDOM=1``::

    UNRES_FUZZ_EXAMPLES=5000 UNRES_FUZZ_RANDOM=1 .venv/bin/python -m pytest -q \\
        tests/hostile/test_fuzz.py

A failure prints the smallest input found; a bug it finds is fixed where it lives,
with a test of its own beside the layer's tests.
"""

from __future__ import annotations

import os

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.ast import Span, Text, to_json  # noqa: E402
from pipeline.errors import InternalError, PipelineError  # noqa: E402
from pipeline.options import ReadOptions  # noqa: E402
from pipeline.produce import render  # noqa: E402
from pipeline.sources import parse_bytes  # noqa: E402

_ASKED = int(os.environ.get("UNRES_FUZZ_EXAMPLES", "0") or 0)
_RANDOM = os.environ.get("UNRES_FUZZ_RANDOM", "") not in ("", "0")


def budget(ci: int):
    """The settings of a fuzz test: ``ci`` examples from the fixed seed, or what the
    environment asks for."""
    return settings(max_examples=_ASKED or ci, derandomize=not _RANDOM, deadline=None,
                    database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


LANGS = ("en", "fr", "es", "ru", "zh", "ar")

#: pieces of resolutions, and of what breaks passes (runs, labels, marks, notes)
LINES = (
    "United Nations", "A/RES/80/901", "General Assembly", "Distr.: General",
    "Eightieth session", "Agenda item 12", "Agenda items 12 and 13 (a)",
    "Resolution adopted by the General Assembly on 20 November 2025",
    "[without reference to a Main Committee (A/80/L.23 and A/80/L.23/Add.1)]",
    "80/901. Improving road safety", "### 80/901. Improving road safety",
    "The General Assembly,", "*The General Assembly*,", "Recalling its resolution 74/299,",
    "*Recalling* its resolution 74/299 of 31 August 2020,", "Noting with appreciation",
    "1. Decides to remain seized of the matter;", "1. *Decides* that", "2.", "10.",
    "(a) The collection of data;", "(b)", "(i) first;", "(a) (a) (a) (a)", "- (a) item",
    "  - (b) nested", "<sup>1</sup> Resolution 76/294, annex.", "adopted,<sup>1</sup>",
    "[^1]", "[^1]: A note.", "[^1]: Again.", "48th plenary meeting", "20 November 2025",
    "Annex", "## Annex", "I", "A", "II.", "Part A", "| a | b |", "|---|---|",
    "_" * 30, "." * 40, "1234567890" * 5, " " * 30, "—", "…", "* * *", "---", "***",
    "<!-- unres: ignore UN101 -->", "<br>", "<i>x</i>", "\\*", "`code`", "```", "~~~",
    "大会，", "回顾其第74/299号决议，", "1. 决定", "（a）", "الجمعية العامة،", "١ -", "(أ)",
    "Генеральная Ассамблея,", "а)", "L'Assemblée générale,", "a)", "La Asamblea General,",
    "---\ntitle: x\n---", "---\nlanguage: en\n---",
)

loose_lines = st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=30)),
                       max_size=40).map(
    lambda parts: "".join(p + ("\n\n" if i % 3 else "\n") for i, p in enumerate(parts)))

#: what is put into a resolution's lines: a piece of another line, runs, marks, any text
noise = st.one_of(st.sampled_from(LINES), st.text(max_size=12),
                  st.sampled_from(["_" * 24, "." * 30, "(a) " * 8, "0" * 40, " " * 20, "*",
                                   "<sup>2</sup>", "[^1]", "\t", "\u00a0", "\u200f"]))
RECITALS = ("*Recalling* its resolution 74/299 of 31 August 2020,",
            "*Reaffirming* the 2030 Agenda for Sustainable Development,<sup>1</sup>",
            "*Deeply concerned* that road traffic crashes are the leading cause of death,",
            "Recognizing that safe routes to school protect children,")
OPERATIVE = ("1. *Calls upon* Member States to consider becoming parties;",
             "2. *Encourages* Member States to adopt legislation;",
             "3. *Invites* Member States to give priority to the following measures:",
             "(a) The collection of reliable data;", "(b) The improvement of safety;",
             "(i) through walking;", "4. *Decides* to remain seized of the matter.",
             "<sup>1</sup> Resolution 70/1.")
HEAD = ("United Nations", "A/RES/80/901", "General Assembly", "Eightieth session",
        "Agenda item 12", "Resolution adopted by the General Assembly on 20 November 2025",
        "80/901. Improving road safety for children", "*The General Assembly*,")


@st.composite
def resolution_like(draw) -> str:
    """The seed's shape (masthead, formula, recitals, paragraphs and items, closing), each
    line kept, dropped, repeated or with noise put into it."""
    out = []
    for line in HEAD + tuple(draw(st.lists(st.sampled_from(RECITALS), max_size=6))) + \
            tuple(draw(st.lists(st.sampled_from(OPERATIVE), min_size=1, max_size=10))) + \
            ("48th plenary meeting\n20 November 2025",):
        how = draw(st.sampled_from(["keep"] * 6 + ["drop", "twice", "noise"]))
        if how == "drop":
            continue
        if how == "noise":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(noise) + line[at:]
        out += [line] * (2 if how == "twice" else 1)
    return "\n\n".join(out) + "\n"


@st.composite
def with_front_matter(draw) -> str:
    """A resolution under a YAML front matter whose values are any text."""
    import json

    keys = draw(st.lists(st.sampled_from(["title", "symbol", "language", "organ", "session",
                                          "adopted", "number", "agenda_items", "drafts"]),
                         unique=True, max_size=4))
    front = "".join(f"{k}: {json.dumps(draw(st.text(max_size=20)))}\n" for k in keys)
    return f"---\n{front}---\n" + draw(resolution_like())


any_text = st.text(max_size=400)
sources = st.one_of(resolution_like(), with_front_matter(), loose_lines, any_text)


def _located(e: PipelineError, path: str) -> None:
    assert not isinstance(e, InternalError), str(e)
    assert e.span.file == path and (e.span.line or 0) >= 1 and (e.span.col or 0) >= 1, str(e)
    assert str(e).startswith(f"{path}:{e.span.line}:{e.span.col}: error: ")
    assert "\n" not in str(e)


def _read_and_write(data: bytes, path: str, lang: str | None) -> None:
    try:
        parsed = parse_bytes(data, path, ReadOptions(lang=lang))
    except PipelineError as e:
        _located(e, path)
        return
    to_json(parsed.resolution)
    try:
        render(parsed, ["akn", "md"])
    except PipelineError as e:
        _located(e, path)


@budget(60)
@given(text=sources, lang=st.sampled_from(LANGS + (None,)))
def test_the_markdown_reader_raises_only_located_errors(text, lang):
    _read_and_write(text.encode("utf-8"), "fuzz.md", lang)


@budget(60)
@given(text=sources, lang=st.sampled_from(LANGS + (None,)))
def test_the_text_reader_raises_only_located_errors(text, lang):
    _read_and_write(text.encode("utf-8"), "fuzz.txt", lang)


@budget(30)
@given(data=st.binary(max_size=300))
def test_the_readers_take_any_bytes(data):
    for path in ("fuzz.md", "fuzz.txt"):
        _read_and_write(data, path, "en")


@budget(200)
@given(lines=st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=60)), max_size=40),
       lang=st.sampled_from(LANGS))
def test_the_normalizer_raises_only_located_errors(lines, lang):
    from pipeline.normalize import normalize
    from pipeline.normalize.blocks import RawBlock

    blocks = [RawBlock("para", (Text(line),), Span("fuzz.md", i + 1, 1))
              for i, line in enumerate(lines) if line.strip()]
    try:
        res, _diags = normalize(blocks, lang=lang, path="fuzz.md")
    except PipelineError as e:
        _located(e, "fuzz.md")
        return
    to_json(res)


#: what the fuzz found, kept as fixed cases: (source, text, what must hold)
FOUND = [
    # a control character in the formula reached the AKN writer (an attribute value)
    ("found.md", "General Assembly\n\n*\x08The General Assembly*,\n\n1. *Decides* so.\n", None),
    # YAML's "\uD800" made half a surrogate pair in the title
    ("found.md", '---\ntitle: "\\uD800"\n---\n0/0\n', None),
    # a session (and an organ) of the front matter that is no number (no organ)
    ("found.md", "---\n0:\nsession: :0\n---\n0/0\n", "session must be a whole number"),
    ("found.md", "---\norgan: 1\n---\n0/0RESOLUTION<0/0\n", "organ must be one of"),
    # a vote count of the front matter that is no number (the check once named a variable
    # its function did not have)
    ("found.md", "---\nvoting:\n  outcome: adopted\n  counts:\n    - kind: yes\n"
                 "      value: many\n---\n0/0\n", "voting must be a whole number"),
    ("found.md", "---\nvoting:\n  outcome: adopted\n  counts:\n    - kind: yes\n"
                 "      value: 120\n---\n0/0\n", None),
]


@pytest.mark.parametrize("path,text,error", FOUND)
def test_what_the_fuzz_found_stays_fixed(path, text, error):
    try:
        parsed = parse_bytes(text.encode("utf-8"), path, ReadOptions(lang="en"))
    except PipelineError as e:
        _located(e, path)
        assert error is not None and error in e.message, str(e)
        return
    assert error is None
    to_json(parsed.resolution)
    render(parsed, ["akn", "md", "html", "docx"])
