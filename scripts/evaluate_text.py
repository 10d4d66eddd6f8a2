#!/usr/bin/env python3
"""Score the text reader on PDF-extracted text against the UN's own markup.

  python scripts/evaluate_text.py [--set pdf-text|pdf-text-large] [--extractor NAME]
         [--show K] [--keep DIR] [--rows FILE] [--jobs N] [--only SUBSTRING]

With ``--extractor corpus`` (the default) the sources are
``../shared/corpus/<set>/txt/*.txt``, one third-party extractor's text of the
PDFs.  With another extractor, each ``../shared/corpus/<set>/pdf/*.pdf`` is
first extracted to ``<stem>.txt`` in a temporary directory by that tool:

  pdftotext, pdftotext-layout, pypdfium2, pdfplumber (see tests/extractors.py,
  which the text reader's tests share)

``pdf-text`` holds the 23 documents the readers were tuned on, ``pdf-text-large``
434 more.  Each source is converted to AKN with the pipeline itself
(``build.load`` + the AKN writer, the same code as ``unres convert``) into a
temporary directory (or DIR with ``--keep``), as ``<stem>.akn.xml``, and scored
against ``<set>/akn/<stem>.xml`` with ``../shared/tools/akn_compare.py``.  The
documents listed in ``<set>/REFERENCE-FAULTS.tsv`` (whose markup disagrees with
the printed page) are scored apart: the figures are those of the sound
references.  ``--rows FILE`` writes every document's scores as JSON lines.
Exit status 0 always: this is a measurement; the thresholds live in
tests/test_text_reader.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
TOOL = SHARED / "tools" / "akn_compare.py"
SETS = ("pdf-text", "pdf-text-large")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from extractors import extract  # noqa: E402  (the extractors the tests use)
from extractors import EXTRACTORS as TOOLS  # noqa: E402

EXTRACTORS = ("corpus", *TOOLS)
#: the figures printed for each set (akn_compare's measures)
SHOWN = ("exact", "op_count", "pre_count", "items", "footnotes", "fn_place", "symbol",
         "date", "meeting", "leads", "title", "fn_text", "op_text", "pre_text")

_AC = None


def akn_compare():
    """The shared scoring tool as a module (loaded once per process)."""
    global _AC
    if _AC is None:
        spec = importlib.util.spec_from_file_location("akn_compare", TOOL)
        _AC = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_AC)
    return _AC


def reference_faults(root: Path) -> dict[str, str]:
    """stem -> what the UN's markup gets wrong, from ``root/REFERENCE-FAULTS.tsv``."""
    path = root / "REFERENCE-FAULTS.tsv"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            stem, _, why = line.partition("\t")
            out[stem.strip()] = why.strip()
    return out


def _extract_one(extractor: str, pdf: Path, dest: Path) -> Path:
    dest.write_text(extract(extractor, pdf), encoding="utf-8")
    return dest


def sources(root: Path, extractor: str, workdir: Path, jobs: int = 1,
            only: str | None = None) -> list[Path]:
    """The text files to score: the corpus txt, or the PDFs extracted into ``workdir``."""
    if extractor == "corpus":
        return [p for p in sorted((root / "txt").glob("*.txt")) if not only or only in p.name]
    pdfs = [p for p in sorted((root / "pdf").glob("*.pdf")) if not only or only in p.name]
    dests = [workdir / f"{p.stem}.txt" for p in pdfs]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(_extract_one, [extractor] * len(pdfs), pdfs, dests))
    return [_extract_one(extractor, p, d) for p, d in zip(pdfs, dests)]


def _convert_one(src: Path, outdir: Path) -> str | None:
    from pipeline import build, registry

    write, _ = registry.writer_for("akn")
    try:
        data = write(build.load(src).resolution).data
    except Exception as e:  # noqa: BLE001 - a measurement goes on
        return f"{src.name}: {type(e).__name__}: {e}"
    build.write_atomic(outdir / f"{src.stem}.akn.xml", data)
    return None


def convert(sources: list[Path], outdir: Path, jobs: int = 1) -> list[str]:
    """Convert each source to ``outdir/<stem>.akn.xml``; return the error lines."""
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = list(pool.map(_convert_one, sources, [outdir] * len(sources),
                                 chunksize=4))
    else:
        done = [_convert_one(s, outdir) for s in sources]
    return [e for e in done if e]


def score(root: Path, stems: list[str], outdir: Path) -> list[dict]:
    """akn_compare's row for each stem (zero where the candidate is missing or unreadable)."""
    ac = akn_compare()
    rows = []
    for stem in stems:
        ref = ac.signature(str(root / "akn" / f"{stem}.xml"))
        try:
            r = ac.compare(ref, ac.signature(str(outdir / f"{stem}.akn.xml")))
        except Exception as e:  # noqa: BLE001 - a missing candidate scores zero
            r = {k: 0.0 for k in ac.MEASURES}
            r["error"] = type(e).__name__
        r["stem"] = stem
        rows.append(r)
    return rows


def summary(rows: list[dict]) -> dict[str, float]:
    """The mean of each measure over ``rows`` (in per cent)."""
    n = len(rows) or 1
    return {k: 100 * sum(float(r.get(k, 0.0)) for r in rows) / n for k in SHOWN}


def report(title: str, root: Path, srcs: list[Path], outdir: Path, show: int,
           rows_file: Path | None = None) -> dict[str, float]:
    """Score ``srcs`` (converted into ``outdir``), print the figures, return those of the
    sound references."""
    faults = reference_faults(root)
    stems = [s.stem for s in srcs if (root / "akn" / f"{s.stem}.xml").exists()]
    rows = score(root, stems, outdir)
    sound = [r for r in rows if r["stem"] not in faults]
    apart = [r for r in rows if r["stem"] in faults]
    fig = summary(sound)
    print(f"== {title}: {len(rows)} documents, {len(sound)} with a sound reference")
    for k in SHOWN:
        print(f"  {k:10s} {fig[k]:6.2f}%")
    missing = sum(1 for r in sound if "error" in r)
    if missing:
        print(f"  no readable candidate: {missing}")
    if apart:
        print("  reference faults (left out): "
              + " ".join(f"{r['stem']}{'' if r['exact'] else '(!)'}" for r in apart))
    if show:
        worst = sorted(sound, key=lambda r: (r["exact"], r["op_text"]))[:show]
        for r in worst:
            if r["exact"]:
                break
            print("  " + json.dumps({k: (round(v, 3) if isinstance(v, float) else v)
                                     for k, v in r.items()}, ensure_ascii=False))
    print(f"  structure exact: {fig['exact']:.2f}% of {len(sound)} "
          f"({sum(1 for r in sound if r['exact'])})")
    if rows_file is not None:
        with rows_file.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({**r, "reference_fault": r["stem"] in faults},
                                   ensure_ascii=False) + "\n")
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="corpus_set", choices=SETS, default="pdf-text")
    ap.add_argument("--extractor", choices=EXTRACTORS, default="corpus",
                    help="where the text comes from (default: the corpus txt)")
    ap.add_argument("--show", type=int, default=5, help="print the K worst documents")
    ap.add_argument("--keep", type=Path, help="write the AKN files (and extracted text) here")
    ap.add_argument("--rows", type=Path, help="write each document's scores here (JSON lines)")
    ap.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    ap.add_argument("--only", help="a substring the file names must hold")
    a = ap.parse_args(argv)
    root = CORPUS / a.corpus_set
    if not TOOL.exists() or not (root / "akn").is_dir():
        print(f"need {TOOL} and {root}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = a.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        srcs = sources(root, a.extractor, out, a.jobs, a.only)
        if not srcs:
            print(f"no sources for {a.extractor} under {root}", file=sys.stderr)
            return 1
        for e in convert(srcs, out, a.jobs):
            print(f"  conversion failed: {e}")
        report(f"{a.corpus_set} {a.extractor}", root, srcs, out, a.show, a.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
