#!/usr/bin/env python3
"""Score the pipeline against the UN's own markup with ../shared/tools/akn_compare.py.

  python scripts/evaluate.py seedlike [LANG...] [--show K]   markdown of the seed's kind -> AKN
  python scripts/evaluate.py roundtrip [LANG...] [--show K]  the UN's AKN -> tree -> AKN

For each language it converts every source into a temporary directory with the
pipeline itself (the same code as ``unres convert``), then runs akn_compare
over it and prints the tool's report. Exit status 0 always: this is a
measurement, the thresholds live in tests/test_corpus_scores.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
LANGS = ("ara", "zho", "eng", "fra", "rus", "spa")
sys.path.insert(0, str(ROOT))


def convert(sources: list[Path], outdir: Path) -> list[str]:
    """Convert each source to ``outdir/<stem>.akn.xml``; return the error lines."""
    from pipeline import build, registry

    write, _ = registry.writer_for("akn")
    errors = []
    for src in sources:
        try:
            parsed = build.load(src)
            data = write(parsed.resolution).data
        except Exception as e:  # noqa: BLE001 - a measurement goes on
            errors.append(f"{src}: {e}")
            continue
        stem = src.name.split(".")[0] if src.suffix == ".md" else src.stem
        build.write_atomic(outdir / f"{stem}.akn.xml", data)
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=("seedlike", "roundtrip"))
    ap.add_argument("langs", nargs="*", default=list(LANGS))
    ap.add_argument("--show", type=int, default=0, help="print the K worst documents")
    a = ap.parse_args(argv)
    tool = SHARED / "tools" / "akn_compare.py"
    if not tool.exists():
        print(f"no scoring tool at {tool}", file=sys.stderr)
        return 1
    for lang in a.langs:
        if a.kind == "seedlike":
            refdir = CORPUS / "seedlike" / lang
            sources = sorted(refdir.glob("*.md"))
        else:
            refdir = CORPUS / "akn" / lang
            sources = sorted(refdir.glob("*.xml"))
        if not sources:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            errors = convert(sources, Path(tmp))
            for e in errors:
                print(f"  conversion failed: {e}")
            print(f"== {a.kind} {lang}: {len(sources)} documents")
            out = subprocess.run([sys.executable, str(tool), str(refdir), tmp,
                                  "--show", str(a.show)], capture_output=True, text=True)
            print(out.stdout + out.stderr, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
