#!/usr/bin/env python3
"""Compare our PDF of each UN resolution with the official PDF, page by page.

  python scripts/compare_pages.py [--set pdf-text-large|pdf-text|DIR] [--only STEM,...]
         [--cache DIR] [--jobs N] [--show K] [--json FILE]

For each ``<set>/akn/<stem>.xml`` (the UN's markup) beside ``<set>/pdf/<stem>.pdf``
(the official PDF), our PDF is written from the markup with the pipeline's own
reader and PDF writer (the code of ``unres convert``), and both PDFs are read with
the PDF reader's page recovery (:func:`pipeline.readers.pdf.read_pages`: rows by
baseline, running heads, feet and notes set apart).  Measured per document:

- ``pages``: our page count against the official one;
- ``breaks``: where each body line breaks, as its last two words; the share of
  the official's line ends that ours reproduce in order (the longest common
  subsequence of the two lists, from ``difflib``), the masthead left out;
- ``first``: the first three words of the body of each page from page 2 on; the
  share of the official's pages whose first words ours has on the same page;
- ``notes``: every note of our PDF against the page of its call (a raised
  number in the body); a note on another page, or a call without its note, is
  counted as misplaced;
- ``endrule``: our last page holds no text line (only the end rule).

Prints the totals of the set and the K documents whose line breaks differ most.
The official PDFs are read once into ``--cache`` (default: a folder under the
system's temporary directory); our PDFs are written again whenever the
writers or the styles change (their digest is part of the file name).
Exit status 0 always: this is a measurement; a sample of it is a test
(``tests/test_compare_pages.py``; the measures live in
:mod:`pipeline.writers.compare`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

from pipeline.writers.compare import compare, pages_of, totals  # noqa: E402

def writer_digest() -> str:
    """A digest of what a PDF of ours depends on: the writers, the styles, the readers."""
    h = hashlib.sha256()
    for p in sorted([*(ROOT / "pipeline").rglob("*.py"), *(ROOT / "styles").rglob("*.*")]):
        if "__pycache__" not in p.parts:
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _official(pdf: Path, cache: Path) -> dict:
    key = hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]
    f = cache / f"official.{pdf.stem}.{key}.json"
    if f.exists():
        return json.loads(f.read_text())
    data = pages_of(pdf)
    f.write_text(json.dumps(data))
    return data


def _ours(xml: Path, cache: Path, tag: str) -> dict:
    from pipeline import build, registry

    f = cache / f"ours.{xml.stem}.{tag}.json"
    if f.exists():
        return json.loads(f.read_text())
    write, _ = registry.writer_for("pdf")
    pdf = cache / f"{xml.stem}.{tag}.pdf"
    pdf.write_bytes(write(build.load(xml).resolution).data)
    data = pages_of(pdf)
    f.write_text(json.dumps(data))
    return data


def one(stem: str, folder: Path, cache: Path, tag: str) -> dict:
    try:
        off = _official(folder / "pdf" / f"{stem}.pdf", cache)
        ours = _ours(folder / "akn" / f"{stem}.xml", cache, tag)
        return {"stem": stem, **compare(ours, off)}
    except Exception as e:  # noqa: BLE001 - a measurement goes on
        return {"stem": stem, "error": f"{type(e).__name__}: {str(e)[:200]}"}


def run(folder: Path, stems: list[str], cache: Path, jobs: int) -> list[dict]:
    cache.mkdir(parents=True, exist_ok=True)
    tag = writer_digest()
    if jobs <= 1:
        return [one(s, folder, cache, tag) for s in stems]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(one, stems, [folder] * len(stems), [cache] * len(stems),
                             [tag] * len(stems)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="pdf-text-large",
                    help="a folder of the corpus (or a path) with akn/ and pdf/")
    ap.add_argument("--only", help="comma-separated stems")
    ap.add_argument("--cache", type=Path,
                    default=Path(tempfile.gettempdir()) / "unres-compare-pages")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--json", type=Path, help="write every document's row here")
    a = ap.parse_args(argv)
    folder = Path(a.set) if Path(a.set).is_dir() else CORPUS / a.set
    stems = sorted(p.stem for p in (folder / "akn").glob("*.xml")
                   if (folder / "pdf" / f"{p.stem}.pdf").exists())
    if a.only:
        stems = [s for s in stems if s in set(a.only.split(","))]
    if not stems:
        print(f"no documents under {folder}", file=sys.stderr)
        return 0
    rows = run(folder, stems, a.cache, a.jobs)
    t = totals(rows)
    print(f"== {folder.name}: {t['documents']} documents ({t['failed']} failed)")
    print(f"  line breaks reproduced  {100 * t['breaks']:6.1f}%")
    print(f"  page count as official  {100 * t['page_count']:6.1f}%")
    print(f"  first words of pages    {100 * t['first_words']:6.1f}%")
    print(f"  notes off their call's page {t['notes_misplaced']} of {t['notes']}")
    print(f"  pages with only the end rule {t['endrule_pages']}")
    for r in rows:
        if "error" in r:
            print(f"  failed {r['stem']}: {r['error']}")
    ok = [r for r in rows if "error" not in r]
    for r in sorted(ok, key=lambda r: r["breaks"] / (r["lines"] or 1))[:a.show]:
        print(f"  {r['stem']:14s} breaks {r['breaks']}/{r['lines']} pages "
              f"{r['pages']}/{r['official_pages']} first {r['firsts']}/{r['first_pages']}"
              + (f" misplaced {r['misplaced']}" if r["misplaced"] else "")
              + (" END-RULE PAGE" if r["endrule_page"] else ""))
    for r in ok:
        if r["misplaced"] or r["endrule_page"]:
            print(f"  {r['stem']}: notes (n, call page, note page) {r['misplaced']}"
                  + (" end rule alone" if r["endrule_page"] else ""))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
