#!/usr/bin/env python3
"""Score the pipeline against the UN's own markup with ../shared/tools/akn_compare.py.

  python scripts/evaluate.py KIND [LANG...] [--show K] [-j N] [--keep DIR] [--rows FILE]

KIND is one of:

  seedlike        corpus/seedlike/<lang>/*.md (markdown of the seed's kind) -> AKN
  seedlike-large  corpus/seedlike-large/<lang>/*.md, the same kind, ~240 per language
  roundtrip       corpus/akn/<lang>/*.xml: the UN's AKN -> tree -> AKN
  roundtrip-large corpus/seedlike-large/<lang>/*.xml, the same round trip

For each language it converts every source with the pipeline itself (the same
code as ``unres convert``: ``build.load`` and the AKN writer) in N worker
processes into a temporary directory (or DIR/<kind>/<lang> with ``--keep``),
then scores each output against the UN's markup beside its source with the
tool and prints the tool's summary: the mean of every measure, the share of
documents whose structure is exact and, with ``--show K``, the K worst
documents. With ``--rows`` the per-document results of every language are
written as JSON lines (``kind``, ``lang``, ``stem`` and the measures), for
comparing two runs. Every written file is also checked against the AKN schema;
a file that does not validate is counted and named. A source the pipeline refuses
(say, a reference that is not well-formed XML) is named on a "conversion failed"
line and counted apart: nothing was written for it.

Exit status 0 always: this is a measurement; the thresholds live in
tests/test_corpus_scores.py.
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
LANGS = ("ara", "zho", "eng", "fra", "rus", "spa")
KINDS = {  # kind -> (corpus folder, source glob)
    "seedlike": ("seedlike", "*.md"),
    "seedlike-large": ("seedlike-large", "*.md"),
    "roundtrip": ("akn", "*.xml"),
    "roundtrip-large": ("seedlike-large", "*.xml"),
}
sys.path.insert(0, str(ROOT))


def _convert_one(job: tuple[str, str]) -> tuple[str, str, bool]:
    """(source, output) -> (source, error or "", valid against the schema)."""
    from pipeline import akn_schema, build, registry

    src, out = job
    write, _ = registry.writer_for("akn")
    try:
        data = write(build.load(Path(src)).resolution).data
    except Exception as e:  # noqa: BLE001 - a measurement goes on
        return src, f"{type(e).__name__}: {e}", False
    build.write_atomic(Path(out), data)
    return src, "", not akn_schema.validate(data)


def convert(sources: list[Path], outdir: Path, jobs: int = 1) -> tuple[list[str], list[str]]:
    """Convert each source to ``outdir/<stem>.akn.xml``; return the error lines and the
    names of the outputs that do not validate."""
    work = [(str(s), str(outdir / f"{s.stem}.akn.xml")) for s in sources]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_convert_one, work, chunksize=4))
    else:
        results = [_convert_one(w) for w in work]
    errors = [f"{src}: {err}" for src, err, _ in results if err]
    invalid = [Path(src).stem for src, err, valid in results if not err and not valid]
    return errors, invalid


def _tool():
    path = SHARED / "tools" / "akn_compare.py"
    spec = importlib.util.spec_from_file_location("akn_compare", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score(tool, refdir: Path, outdir: Path, stems: list[str]) -> list[dict]:
    rows = []
    for stem in stems:
        try:
            ref = tool.signature(str(refdir / f"{stem}.xml"))
        except (OSError, ValueError, tool.etree.XMLSyntaxError) as e:
            print(f"skipped reference {stem}: {type(e).__name__}")
            continue
        try:
            r = tool.compare(ref, tool.signature(str(outdir / f"{stem}.akn.xml")))
        except (OSError, ValueError, tool.etree.XMLSyntaxError) as e:
            r = {k: 0.0 for k in tool.MEASURES}
            r["error"] = type(e).__name__
        r["stem"] = stem
        rows.append(r)
    return rows


def report(tool, rows: list[dict], show: int) -> str:
    n = len(rows) or 1
    lines = [f"{k:10s} {100 * sum(float(r[k]) for r in rows) / n:6.2f}%" for k in tool.MEASURES]
    lines.append(f"documents  {len(rows)}  (no readable candidate: "
                 f"{sum(1 for r in rows if 'error' in r)})")
    for r in sorted(rows, key=lambda r: (r["exact"], r["op_text"]))[:show]:
        lines.append(json.dumps({k: (round(v, 3) if isinstance(v, float) else v)
                                 for k, v in r.items()}, ensure_ascii=False))
    lines.append(f"structure exact: {100 * sum(1 for r in rows if r['exact']) / n:.2f}% "
                 f"of {len(rows)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=tuple(KINDS))
    ap.add_argument("langs", nargs="*", default=list(LANGS))
    ap.add_argument("--show", type=int, default=0, help="print the K worst documents")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--keep", type=Path, help="write the outputs under DIR/<kind>/<lang>")
    ap.add_argument("--rows", type=Path, help="write per-document results as JSON lines")
    a = ap.parse_args(argv)
    if not (SHARED / "tools" / "akn_compare.py").exists():
        print(f"no scoring tool in {SHARED / 'tools'}", file=sys.stderr)
        return 1
    tool = _tool()
    folder, pattern = KINDS[a.kind]
    all_rows = []
    for lang in a.langs:
        refdir = CORPUS / folder / lang
        sources = sorted(refdir.glob(pattern))
        if not sources:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            outdir = a.keep / a.kind / lang if a.keep else Path(tmp)
            outdir.mkdir(parents=True, exist_ok=True)
            errors, invalid = convert(sources, outdir, a.jobs)
            for e in errors:
                print(f"  conversion failed: {e}")
            print(f"== {a.kind} {lang}: {len(sources)} documents")
            rows = score(tool, refdir, outdir, [s.stem for s in sources])
            print(report(tool, rows, a.show))
            written = len(sources) - len(errors)
            print(f"valid AKN: {written - len(invalid)} of {written} written"
                  + (f" (not valid: {' '.join(invalid)})" if invalid else "")
                  + (f"; {len(errors)} source(s) not converted" if errors else ""))
        all_rows += [{"kind": a.kind, "language": lang, **r} for r in rows]
    if a.rows:
        a.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in all_rows),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
