#!/usr/bin/env python3
"""Score the PDF reader on PDFs it has never seen: our own PDFs of the UN's markup, six languages.

  python scripts/evaluate_rendered.py [--lang ara,zho,...|all] [--source seedlike|akn|both]
         [--show K] [--via-text pdftotext] [--cache DIR] [--fresh] [--keep DIR] [--jobs N]

For each UN file ``../shared/corpus/<source>/<lang>/*.xml``:

1. ``ceiling``: our AKN reader -> the AKN writer (what the tree holds; the AKN
   reader repairs some of the UN's faults, so this is the best a round trip
   through our tree can score);
2. ``pdf``: the same tree -> our PDF writer -> the PDF reader -> the AKN writer;
3. ``text`` (with ``--via-text pdftotext``): the same PDF -> ``pdftotext -enc
   UTF-8`` -> the text reader -> the AKN writer;

and each is scored against the UN's file with ``../shared/tools/akn_compare.py``
(its ``signature``/``compare``).  Printed per language and pipeline: the share
of documents whose structure is exact, the text similarities (pre_text,
op_text, fn_text) and leads, each as the mean over documents; then the
documents where a pipeline's structure is exact less often than the ceiling's,
and with ``--show K`` the K worst documents of each pipeline (akn_compare's
row).  ``vs ceiling`` scores the round trip against the ceiling's own AKN, so
that what the PDF loses is seen apart from what the tree already lacks.

PDFs are rendered once into ``--cache DIR`` (default: a directory under the
system's temporary directory, kept between runs), named by the digest of the
UN file and the writer's source, so that a changed writer renders again;
``--fresh`` renders everything again; ``--stale-ok`` takes the last PDF
rendered for a file by any writer.  A file that fails at any stage scores
zero for that pipeline and its error is printed.  Exit status 0 always: this
is a measurement; thresholds live in tests/test_pdf_reader_languages.py.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
TOOL = SHARED / "tools" / "akn_compare.py"
LANGS = ("ara", "zho", "eng", "fra", "rus", "spa")
#: the measures printed per pipeline (akn_compare's names)
SHOWN = ("exact", "pre_text", "op_text", "fn_text", "leads", "items", "footnotes")
sys.path.insert(0, str(ROOT))

_AC = None


def akn_compare():
    """The shared scoring tool as a module (loaded once per process)."""
    global _AC
    if _AC is None:
        spec = importlib.util.spec_from_file_location("akn_compare", TOOL)
        _AC = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_AC)
    return _AC


def writer_digest() -> str:
    """A digest of what a rendered PDF depends on: the writers and the styles."""
    h = hashlib.sha256()
    for p in sorted([*(ROOT / "pipeline" / "writers").glob("*.py"),
                     *(ROOT / "styles").rglob("*.css")]):
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def render_cached(xml: Path, cache: Path, tag: str, fresh: bool, stale_ok: bool = False) -> Path:
    """Our PDF of the UN file (rendered once per file and writer; with ``stale_ok``, the
    last one rendered for the file by any writer)."""
    from pipeline import build, registry

    key = hashlib.sha256(xml.read_bytes()).hexdigest()[:10]
    out = cache / f"{xml.stem}.{key}.{tag}.pdf"
    if out.exists() and not fresh:
        return out
    if stale_ok and not fresh:
        old = sorted(cache.glob(f"{xml.stem}.{key}.*.pdf"), key=lambda p: p.stat().st_mtime)
        if old:
            return old[-1]
    write, _ = registry.writer_for("pdf")
    data = write(build.load(xml).resolution).data
    build.write_atomic(out, data)
    return out


def _score(ref: dict, akn: bytes) -> dict:
    ac = akn_compare()
    return ac.compare(ref, ac.signature(io.BytesIO(akn)))


def _zero(err: str) -> dict:
    row = {k: 0.0 for k in akn_compare().MEASURES}
    row["error"] = err
    return row


def one(xml: Path, cache: Path, tag: str, fresh: bool, via_text: bool,
        keep: Path | None, stale_ok: bool = False) -> dict:
    """The scores of one UN file through each pipeline (see module docstring)."""
    from pipeline import build, registry

    ac = akn_compare()
    write_akn, _ = registry.writer_for("akn")
    ref = ac.signature(str(xml))
    rows: dict[str, dict] = {}
    outs: dict[str, bytes] = {}

    def run(name: str, make) -> None:
        try:
            outs[name] = write_akn(make().resolution).data
            rows[name] = _score(ref, outs[name])
        except Exception as e:  # noqa: BLE001 - a measurement goes on
            rows[name] = _zero(f"{type(e).__name__}: {str(e)[:200]}")

    run("ceiling", lambda: build.load(xml))
    try:
        pdf = render_cached(xml, cache, tag, fresh, stale_ok)
    except Exception as e:  # noqa: BLE001
        pdf = None
        rows["pdf"] = _zero(f"render: {type(e).__name__}: {str(e)[:200]}")
    if pdf is not None:
        run("pdf", lambda: build.load(pdf))
        if via_text:
            def text():
                with tempfile.TemporaryDirectory() as tmp:
                    txt = Path(tmp) / f"{xml.stem}.txt"
                    subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), str(txt)],
                                   check=True, capture_output=True, timeout=120)
                    return build.load(txt)
            run("text", text)
    if "ceiling" in outs:                       # what the PDF loses, apart from the tree's faults
        top = ac.signature(io.BytesIO(outs["ceiling"]))
        for name in ("pdf", "text"):
            if name in outs:
                rows[f"{name}~ceiling"] = _score(top, outs[name])
    if keep is not None:
        for name, data in outs.items():
            d = keep / name
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{xml.stem}.akn.xml").write_bytes(data)
    return {"stem": xml.stem, "rows": rows}


def _mean(rows: list[dict], k: str) -> float:
    return sum(float(r.get(k, 0.0)) for r in rows) / (len(rows) or 1)


def report(lang: str, source: str, results: list[dict], show: int) -> None:
    names = [n for n in ("ceiling", "pdf", "text", "pdf~ceiling", "text~ceiling")
             if any(n in r["rows"] for r in results)]
    print(f"== {source}/{lang}: {len(results)} documents")
    print(f"  {'pipeline':13s}" + "".join(f"{k:>10s}" for k in SHOWN))
    for n in names:
        rows = [r["rows"].get(n, _zero("missing")) for r in results]
        print(f"  {n:13s}" + "".join(f"{100 * _mean(rows, k):9.2f}%" for k in SHOWN))
    for r in results:
        for n, row in r["rows"].items():
            if "error" in row:
                print(f"  {n} failed on {r['stem']}: {row['error']}")
    top = {r["stem"] for r in results if r["rows"].get("ceiling", {}).get("exact")}
    for n in ("pdf", "text"):
        lost = sorted(r["stem"] for r in results if r["stem"] in top
                      and not r["rows"].get(n, {}).get("exact", True))
        if lost:
            print(f"  {n}: not exact where the ceiling is: {' '.join(lost)}")
    if show:
        import json
        for n in names:
            worst = sorted(results, key=lambda r: (r["rows"].get(n, {}).get("exact", 0),
                                                    r["rows"].get(n, {}).get("op_text", 0)))
            for r in worst[:show]:
                row = r["rows"].get(n, {})
                print(f"  worst {n}: " + json.dumps(
                    {"stem": r["stem"], **{k: (round(v, 3) if isinstance(v, float) else v)
                                           for k, v in row.items()}}, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="all", help="ara,zho,eng,fra,rus,spa or all")
    ap.add_argument("--source", choices=("seedlike", "akn", "both"), default="seedlike")
    ap.add_argument("--show", type=int, default=0, help="print the K worst documents")
    ap.add_argument("--via-text", choices=("pdftotext",), help="also through pdftotext and "
                    "the text reader")
    ap.add_argument("--cache", type=Path, help="where rendered PDFs are kept")
    ap.add_argument("--fresh", action="store_true", help="render every PDF again")
    ap.add_argument("--stale-ok", action="store_true", help="reuse a PDF rendered by an "
                    "earlier writer (to try reader changes while the writer changes)")
    ap.add_argument("--keep", type=Path, help="write the AKN files under DIR/<pipeline>")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", help="a substring the file names must hold")
    a = ap.parse_args(argv)
    if not TOOL.exists():
        print(f"need {TOOL}", file=sys.stderr)
        return 0
    if a.via_text and not shutil.which("pdftotext"):
        print("need pdftotext (Debian package poppler-utils)", file=sys.stderr)
        return 0
    langs = LANGS if a.lang == "all" else tuple(a.lang.split(","))
    sources = ("seedlike", "akn") if a.source == "both" else (a.source,)
    cache = a.cache or Path(tempfile.gettempdir()) / "unres-rendered-pdf"
    tag = writer_digest()
    with ProcessPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        for source in sources:
            for lang in langs:
                files = sorted((CORPUS / source / lang).glob("*.xml"))
                if a.only:
                    files = [f for f in files if a.only in f.name]
                if not files:
                    print(f"== {source}/{lang}: no files under {CORPUS / source / lang}")
                    continue
                where = cache / source / lang
                where.mkdir(parents=True, exist_ok=True)
                keep = a.keep / source / lang if a.keep else None
                futs = [pool.submit(one, f, where, tag, a.fresh, bool(a.via_text), keep,
                                    a.stale_ok)
                        for f in files]
                report(lang, source, [f.result() for f in futs], a.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
