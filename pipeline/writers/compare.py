"""Our PDF of a resolution measured against the official PDF of it, page by page: what
``scripts/compare_pages.py`` reports over a corpus folder and ``tests/test_compare_pages.py``
checks on a sample.

Both PDFs are read with the PDF reader's page recovery
(:func:`pipeline.readers.pdf.sorted_pages`: rows by baseline, running heads, feet and notes
set apart); :func:`pages_of` keeps per page the body lines (their words), the calls (raised
numbers in the body) and the note numbers at the foot; :func:`compare` measures one
document (line ends reproduced in order, page count, first words of pages, notes off the
page of their call, a last page holding only the end rule) and :func:`totals` a set.
Nothing here writes a PDF or reads a file but the PDF it is given.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

#: rows above this baseline on page 1 are the masthead (the thick rule is at 209.5)
MASTHEAD_BOTTOM = 215.0
#: the numbers among a row's raised glyphs (the calls of notes)
_DIGITS = re.compile(r"\d+")


def _words(row, sup: bool = False) -> str:
    """The row's text without its raised glyphs (calls), spaced where a gap shows a
    space; ``sup``: only those, a space between runs."""
    if not sup:
        from pipeline.readers.pdf.layout import spaced_text

        return spaced_text([g for g, s in zip(row.glyphs, row.sup) if not s])
    out = []
    prev = None
    for g, s in zip(row.glyphs, row.sup):
        if s != sup:
            if sup and prev is not None:
                out.append(" ")
            prev = None
            continue
        out.append(g.text)
        prev = g
    return "".join(out)


def _norm(text: str) -> list[str]:
    return text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u2011", "-").split()


def _marked(row) -> bool:
    """Whether the row opens with a note's number set as a marker: raised, or smaller
    than the note's text."""
    first = next((i for i, g in enumerate(row.glyphs) if g.text.strip()), None)
    if first is None:
        return False
    return row.sup[first] or row.glyphs[first].size < 0.8 * max(g.size for g in row.glyphs)


def pages_of(path: Path) -> dict:
    """What is compared of one PDF: per page, the body lines (their words), the
    calls (raised numbers in the body) and the note numbers at the foot."""
    from pipeline.readers.pdf import sorted_pages

    pages = sorted_pages(path.read_bytes(), str(path))
    out = []
    expected = 1
    for page in pages:
        lines, calls, notes = [], [], []
        for r in page.body:
            if page.index == 0 and r.line < MASTHEAD_BOTTOM:
                continue
            words = _norm(_words(r))
            if words:
                lines.append(words)
            calls += [int(d) for d in _DIGITS.findall(_words(r, sup=True))]
        for r in page.notes:
            words = _norm(r.text)
            # a note starts with its number (the next one expected, or a restart), raised
            # or smaller than its text: a row that goes on with a note may start with a
            # number too ("14 June 1992")
            if words and words[0].isdigit() and int(words[0]) in (expected, 1) \
                    and int(words[0]) < 10000 and _marked(r):
                notes.append(int(words[0]))
                expected = int(words[0]) + 1
        out.append({"lines": lines, "calls": calls, "notes": notes})
    return {"pages": out}


def _key(words: list[str]) -> str:
    return " ".join(words[-2:])


def compare(ours: dict, off: dict) -> dict:
    """The measures of one document (see the module docstring)."""
    o_lines = [_key(w) for p in ours["pages"] for w in p["lines"]]
    f_lines = [_key(w) for p in off["pages"] for w in p["lines"]]
    sm = difflib.SequenceMatcher(None, f_lines, o_lines, autojunk=False)
    same = sum(b.size for b in sm.get_matching_blocks())
    firsts = 0
    f_pages = off["pages"][1:]
    for i, p in enumerate(f_pages, start=1):
        if i < len(ours["pages"]) and p["lines"] and ours["pages"][i]["lines"] and \
                p["lines"][0][:3] == ours["pages"][i]["lines"][0][:3]:
            firsts += 1
    call_page: dict[int, int] = {}
    for i, p in enumerate(ours["pages"]):
        for c in p["calls"]:
            call_page.setdefault(c, i)
    misplaced = []
    for i, p in enumerate(ours["pages"]):
        for n in p["notes"]:
            if call_page.get(n, i) != i:
                misplaced.append((n, call_page[n] + 1, i + 1))
    last = ours["pages"][-1] if ours["pages"] else {"lines": [], "notes": []}
    return {"pages": len(ours["pages"]), "official_pages": len(off["pages"]),
            "breaks": same, "lines": len(f_lines), "our_lines": len(o_lines),
            "firsts": firsts, "first_pages": len(f_pages),
            "notes": sum(len(p["notes"]) for p in ours["pages"]), "misplaced": misplaced,
            "endrule_page": not last["lines"] and not last["notes"]}


def totals(rows: list[dict]) -> dict:
    ok = [r for r in rows if "error" not in r]
    n = len(ok) or 1
    return {
        "documents": len(rows), "failed": len(rows) - len(ok),
        "breaks": sum(r["breaks"] for r in ok) / (sum(r["lines"] for r in ok) or 1),
        "page_count": sum(r["pages"] == r["official_pages"] for r in ok) / n,
        "first_words": sum(r["firsts"] for r in ok) / (sum(r["first_pages"] for r in ok) or 1),
        "notes": sum(r["notes"] for r in ok),
        "notes_misplaced": sum(len(r["misplaced"]) for r in ok),
        "endrule_pages": sum(r["endrule_page"] for r in ok),
    }
