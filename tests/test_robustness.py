"""The normalizer against the damage extraction does to a source: the same text with
other line endings, indentation, spacing and list marks gives the same resolution."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from conftest import CORPUS, need
from pipeline.readers.markdown import read

ROOT = Path(__file__).resolve().parents[1]


def sources() -> list[Path]:
    found = sorted((ROOT / "inputs").glob("*.md"))
    if (CORPUS / "seedlike").is_dir():
        found += sorted((CORPUS / "seedlike").glob("*/*.md"))[::4]   # a quarter, for time
    return found


def crlf(text: str, rnd: random.Random) -> str:
    return text.replace("\n", "\r\n")


def ragged_items(text: str, rnd: random.Random) -> str:
    """List items indented by 0-6 spaces or a tab, at random."""
    return re.sub(r"(?m)^[ \t]*- ", lambda m: rnd.choice(["", "  ", "    ", "\t", "      "]) + "- ",
                  text)


def trailing_spaces(text: str, rnd: random.Random) -> str:
    """One or three spaces after some lines (never two: that is a hard break)."""
    return "\n".join(line + rnd.choice(["", " ", "   "]) if line.strip() else line
                     for line in text.split("\n"))


def extra_blank_lines(text: str, rnd: random.Random) -> str:
    return re.sub(r"\n\n", lambda m: "\n" * rnd.choice([2, 3, 4]), text)


DAMAGE = [crlf, ragged_items, trailing_spaces, extra_blank_lines]


def changed_by(damage, files: list[Path]) -> list[str]:
    """The files whose resolution the damage changes."""
    rnd = random.Random(7)
    changed = []
    for f in files:
        text = f.read_text("utf-8")
        want = read(text.encode("utf-8"), f.name).resolution
        got = read(damage(text, rnd).encode("utf-8"), f.name).resolution
        if got != want:
            changed.append(f.name)
    return changed


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_extraction_damage_changes_nothing_in_the_examples(damage):
    files = sorted((ROOT / "inputs").glob("*.md"))
    assert len(files) >= 6
    assert changed_by(damage, files) == []


@pytest.mark.corpus
@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_extraction_damage_changes_nothing(damage):
    files = sources()
    if len(files) <= 6:
        need(CORPUS / "seedlike")
    assert changed_by(damage, files) == []
