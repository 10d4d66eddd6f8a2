"""pandoc kept running for batches (pipeline/readers/pandoc.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.readers import markdown, pandoc

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "inputs").glob("*.md"))


@pytest.fixture
def kept(monkeypatch):
    """A fresh kept-pandoc state for the test (the module's own is per process)."""
    state = pandoc._Kept()
    monkeypatch.setattr(pandoc, "_KEPT", state)
    yield state
    state.stop()


def _body(path: Path) -> str:
    return markdown.split_front_matter(path.read_text("utf-8"), str(path))[1]


def test_the_kept_pandoc_gives_the_ast_of_one_process_per_document(kept):
    bodies = [_body(p) for p in INPUTS]
    once = [pandoc._once(b.encode("utf-8"), markdown.PANDOC_FORMAT, "x") for b in bodies]
    kept_asts = [pandoc.to_json(b, markdown.PANDOC_FORMAT, "x") for b in bodies * 2]
    assert kept_asts == once * 2
    # the first document ran pandoc once; every other one went to one kept process
    assert kept.started == 1 and kept.proc is not None and kept.proc.poll() is None


def test_a_dead_pandoc_is_started_again(kept):
    body = _body(INPUTS[0])
    first = pandoc.to_json(body, markdown.PANDOC_FORMAT, "x")
    pandoc.to_json(body, markdown.PANDOC_FORMAT, "x")
    kept.proc.send_signal(signal.SIGKILL)
    kept.proc.wait()
    assert pandoc.to_json(body, markdown.PANDOC_FORMAT, "x") == first
    assert kept.started == 2


def test_text_of_any_size_and_script_goes_through_the_pipe(kept):
    pandoc.to_json("warm", markdown.PANDOC_FORMAT, "x")
    for text in ("", "é" * 70_000, "大会" * 30_000 + "\n\n1. 决定", "x\n" * 5000, "ok 12\n"):
        assert pandoc.to_json(text, markdown.PANDOC_FORMAT, "x") == \
            pandoc._once(text.encode("utf-8"), markdown.PANDOC_FORMAT, "x")


def test_a_document_sent_ahead_gets_its_own_answer(kept):
    bodies = [_body(p) for p in INPUTS]
    once = [pandoc._once(b.encode("utf-8"), markdown.PANDOC_FORMAT, "x") for b in bodies]
    pandoc.to_json(bodies[0], markdown.PANDOC_FORMAT, "x")  # the first: pandoc run once
    got = []
    for i, body in enumerate(bodies):
        if i + 1 < len(bodies):
            pandoc.send_ahead(bodies[i + 1], markdown.PANDOC_FORMAT)
        got.append(pandoc.to_json(body, markdown.PANDOC_FORMAT, "x"))
    assert got == once
    # a document sent ahead and never asked for: its answer is dropped, not given to the next
    pandoc.send_ahead(bodies[1], markdown.PANDOC_FORMAT)
    assert pandoc.to_json(bodies[2], markdown.PANDOC_FORMAT, "x") == once[2]
    assert not kept.sent and kept.started == 1
    # too long to send without waiting on pandoc: not sent ahead, read when asked
    long = "大会" * pandoc.AHEAD_LIMIT
    pandoc.send_ahead(long, markdown.PANDOC_FORMAT)
    assert not kept.sent
    assert pandoc.to_json(long, markdown.PANDOC_FORMAT, "x") == \
        pandoc._once(long.encode("utf-8"), markdown.PANDOC_FORMAT, "x")


def test_a_first_document_sent_ahead_goes_to_the_kept_pandoc(kept, monkeypatch):
    bodies = [_body(p) for p in INPUTS[:3]]
    once = [pandoc._once(b.encode("utf-8"), markdown.PANDOC_FORMAT, "x") for b in bodies]

    def no_process(*_a, **_k):
        raise AssertionError("a pandoc process for a document sent ahead")

    monkeypatch.setattr(pandoc, "_once", no_process)
    pandoc.send_ahead(bodies[0], markdown.PANDOC_FORMAT)
    got = []
    for i, body in enumerate(bodies):
        if i + 1 < len(bodies):
            pandoc.send_ahead(bodies[i + 1], markdown.PANDOC_FORMAT)
        got.append(pandoc.to_json(body, markdown.PANDOC_FORMAT, "x"))
    assert got == once and kept.started == 1 and not kept.sent


def test_a_batch_at_one_job_runs_one_pandoc(kept, monkeypatch, tmp_path):
    from pipeline import build

    for p in INPUTS[:3]:
        shutil.copy(p, tmp_path / p.name)
    monkeypatch.setattr(pandoc, "_once", lambda *_a, **_k: pytest.fail("a pandoc process"))
    sources = build.discover([tmp_path])
    outcomes = list(build.run(sources, ["akn"], tmp_path / "out", jobs=1))
    assert [o.status for o in outcomes] == ["converted"] * 3 and kept.started == 1


def test_a_pandoc_that_died_with_a_document_sent_ahead_is_started_again(kept):
    first = _body(INPUTS[0])
    expected = pandoc.to_json(first, markdown.PANDOC_FORMAT, "x")
    pandoc.send_ahead(first, markdown.PANDOC_FORMAT)
    kept.proc.send_signal(signal.SIGKILL)
    kept.proc.wait()
    assert pandoc.to_json(first, markdown.PANDOC_FORMAT, "x") == expected
    assert kept.started == 2 and not kept.sent


@pytest.mark.slow
def test_a_batch_leaves_no_pandoc_behind(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(6):
        shutil.copy(INPUTS[i % len(INPUTS)], src / f"{i}_{INPUTS[i % len(INPUTS)].name}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for jobs in ("1", "2"):
        p = subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", str(src), "-t", "akn",
                            "-o", str(tmp_path / f"out{jobs}"), "-j", jobs, "-q"], env=env,
                           start_new_session=True, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
    left = subprocess.run(["pgrep", "-f", "pandoc_loop.lua"], capture_output=True, text=True)
    mine = [pid for pid in left.stdout.split()
            if str(tmp_path) in _environ_of(pid) or _parent_gone(pid)]
    assert mine == []


def _environ_of(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def _parent_gone(pid: str) -> bool:
    try:
        ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return False
    return ppid == 1


def _unwrap_recursively(items: list) -> list:
    """The definition :func:`markdown._unwrap` keeps (its first, recursive form)."""
    out: list = []
    for i in items:
        if i["t"] == "Span" and "wrapper" in dict(i["c"][0][2]):
            out.extend(_unwrap_recursively(i["c"][1]))
        else:
            out.append(i)
    return out


TRICKY = [
    'Say "hi" \\\\ back\\\\slash \\"quoted\\" and a \\[bracket\\]',
    "*emphasis* **strong** [a link](https://example.org) `code` <sup>1</sup> x<br>y",
    "[a span]{.c wrapper=1} [another]{lang=fr} ***both*** done",
    "大会，\n\n1. 决定*，*构成 ㈠ 注[^1]\n\n[^1]: 注文 *强调*\n",
    "| a | b |\n|---|---|\n| *c* | d |\n\n> quoted\n> text\n\n- one\n- two\n",
    "line one  \nline two\nline three",
]


def test_dropping_the_wrappers_of_plain_inlines_changes_no_block(kept):
    texts = [_body(p) for p in INPUTS] + TRICKY
    for text in texts:
        raw = {}
        for name, prepare in (("as is", None), ("shrunk", markdown._without_plain_wrappers)):
            doc = pandoc.to_json(text, markdown.PANDOC_FORMAT, "x", prepare=prepare)
            lines = text.split("\n")
            conv = markdown._Converter("x", 0, [0] * len(lines), lines)
            raw[name] = (conv.blocks(doc["blocks"]), conv.warnings)
        assert raw["shrunk"] == raw["as is"], text[:40]
    seen: list[bytes] = []
    pandoc.to_json(texts[0], markdown.PANDOC_FORMAT, "x", prepare=lambda b: seen.append(b) or b)
    assert len(markdown._without_plain_wrappers(seen[0])) < len(seen[0]) / 2  # it does shrink


def test_unwrapping_keeps_the_order_and_nesting_of_inlines():
    def w(*inner, key="wrapper"):
        return {"t": "Span", "c": [["", [], [[key, "1"], ["data-pos", "1:1-1:2"]]], list(inner)]}

    s = {"t": "Str", "c": "a"}
    sp = {"t": "Space"}
    other = {"t": "Span", "c": [["", ["c"], [["lang", "fr"]]], [w(s)]]}
    late = {"t": "Span", "c": [["", [], [["data-pos", "1:1"], ["wrapper", "1"]]], [s, sp]]}
    cases = [[], [s], [w(s), w(sp), w(w(s, sp), s)], [w(), s, w(w(w()))], [other, w(other)],
             [late, w(s, key="data-pos")], [w(w(s), w(sp), w(w(s)))] * 3]
    for items in cases:
        assert markdown._unwrap(items) == _unwrap_recursively(items)
