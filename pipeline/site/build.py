"""Building the site: the batch twice, then the pages, then the search index.

1. **Trees.** The sources go through the batch (:func:`pipeline.build.run`) to their
   tree (``json``), kept under ``SITE/.unres/trees/`` where each source's place
   mirrors its place among the inputs.  A source unchanged since the last build is
   not read again; a source that is gone has its tree removed.
2. **Downloads.** Each tree is placed by its symbol and language
   (:mod:`pipeline.site.paths`) and goes through the batch again, from the tree, to
   the PDF, DOCX, AKN and canonical markdown beside its page
   (``A/RES/75/10/en/A_RES_75_10.en.pdf``).  Two sources giving the same symbol and
   language, or a resolution without a symbol, fail, named; a tree that is gone or
   moved has its old downloads removed.
3. **Pages.** The pages, indexes, feed, sitemap, catalogue and the theme's files are
   described (:mod:`pipeline.site.pages`) and each is made only when its key, the
   digest of what it shows, differs from the recorded one.  Pages that are no longer
   part of the site are removed.
4. **Search.** When a page in the search index changed, Pagefind indexes the site
   again (:mod:`pipeline.site.search`); the new index replaces the old one whole.

Every file is written through the output gate, as a whole set per resolution
(:func:`pipeline.atomic.write_set`), and recorded in the one build record of the
site (``SITE/.unres-cache.json``), which the batch keeps too.  The summaries of the
trees (:class:`pipeline.site.model.Doc`) are kept in ``SITE/.unres/site.json`` so
that a build where nothing changed reads no tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from .. import registry
from .. import build as batch
from ..ast import Span, from_json
from ..atomic import OutputGate, write_atomic, write_set
from ..build import Outcome, Source, Stop
from ..cache import BuildCache, pipeline_digest
from ..errors import PipelineError, UsageError
from ..options import DEFAULT_READ, DEFAULT_WRITE, ReadOptions, WriteOptions
from . import feeds, paths
from .model import Doc, Site, summarize
from .pages import Page, Planner
from .theme import ASSETS, Theme

TREES = Path(".unres") / "trees"
STATE = Path(".unres") / "site.json"
STATE_VERSION = 1
DOWNLOADS = ("akn", "pdf", "docx", "md")


@dataclass(frozen=True)
class SiteOptions:
    """What shapes a site besides its sources."""

    base_url: str | None = None         # absolute address of the site's root
    theme: Path | None = None           # a publisher's theme over the default
    search: bool = True                 # build the Pagefind index


@dataclass
class SiteReport:
    """What a build did to the site's own pages."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    search: str = "unchanged"           # rebuilt | unchanged | off | failed: reason
    resolutions: int = 0
    documents: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Placed(Source):
    """A tree placed on the site: its outputs are named after its symbol and language."""

    stem: str = ""

    def target(self, outdir: Path, fmt: str) -> Path:
        return outdir / self.rel / (self.stem + registry.writer_spec(fmt).extension)


def build(sources: list[Source], site: Path, options: SiteOptions = SiteOptions(), *,
          read_options: ReadOptions = DEFAULT_READ, write_options: WriteOptions = DEFAULT_WRITE,
          jobs: int | None = None, force: bool = False, timeout: float | None = None,
          folders: list[Path] = (), stop: Stop | None = None,
          on_outcome: Callable[[Outcome], None] = lambda o: None,
          on_note: Callable[[str], None] = lambda s: None) -> SiteReport:
    """Build or update the site in ``site`` from ``sources`` (see the module docstring).
    Each source's outcome goes to ``on_outcome`` (its tree and downloads as one)."""
    theme = Theme(options.theme)
    if options.base_url and not options.base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http or https address: {options.base_url}")
    stop = stop or Stop()
    report = SiteReport()
    t0 = time.perf_counter()

    # 1. trees
    staged = [Source(s.path, TREES / s.rel, s.refused) for s in sources]
    held: dict[str, Outcome] = {}
    for o in batch.run(staged, ["json"], site, jobs=jobs, force=force,
                       read_options=read_options, write_options=write_options,
                       timeout=timeout, folders=folders, stop=stop, on_note=on_note):
        if o.status in ("converted", "up-to-date"):
            held[os.path.abspath(o.source)] = o
        else:
            on_outcome(o)
    report.seconds["trees"] = time.perf_counter() - t0
    if stop.requested:
        for o in held.values():
            on_outcome(o)
        return report

    # 2. downloads
    t1 = time.perf_counter()
    cache = BuildCache(site)
    state, state_key = _read_state(site)
    docs: list[Doc] = []
    origin: dict[str, Source] = {}           # tree path -> its source
    for s in staged:
        if s.refused is not None or s.key not in held and not s.target(site, "json").is_file():
            continue
        tree = s.target(site, "json")
        rec = cache.entries.get(s.key, {}).get("json")
        key = rec["key"] if rec else ""
        doc = _summary(state, site, tree, key)
        if doc is None:
            continue
        docs.append(doc)
        origin[doc.tree] = s
    accepted, refused = _place(docs, origin)
    for d, message in refused:
        src = origin[d.tree]
        held.pop(src.key, None)
        on_outcome(Outcome(src.path, "failed", error=UsageError(message, Span(str(src.path), 1, 1))))
    placed = [Placed(site / d.tree, PurePosixPath(paths.page_dir(paths.symbol_dir(d.symbol), d.lang)),
                     None, paths.file_stem(paths.symbol_dir(d.symbol), d.lang))
              for d in accepted]
    before = {p.key: cache.written_unchanged(p.key) for p in placed}
    by_tree = {os.path.abspath(site / d.tree): origin[d.tree] for d in accepted}
    failed_trees: set[str] = set()
    for o in batch.run(placed, list(DOWNLOADS), site, jobs=jobs, force=force,
                       read_options=read_options, write_options=write_options,
                       timeout=timeout, folders=[site / TREES], stop=stop, on_note=on_note):
        src = by_tree.get(os.path.abspath(o.source))
        if o.status == "removed":
            report.removed.extend(o.outputs)
            continue
        if src is None:
            continue
        first = held.pop(src.key, None) or Outcome(src.path, "up-to-date")
        if o.status == "failed":
            failed_trees.add(os.path.abspath(o.source))
        status = o.status if o.status == "failed" else (
            "converted" if "converted" in (first.status, o.status) else "up-to-date")
        on_outcome(Outcome(src.path, status, outputs=o.outputs,
                           diagnostics=first.diagnostics + o.diagnostics, error=o.error,
                           seconds=first.seconds + o.seconds))
    for o in held.values():
        on_outcome(o)
    cache = BuildCache(site)
    for key, old in before.items():
        now = {site / e["file"] for e in cache.entries.get(key, {}).values()}
        for f in old:
            if f not in now:
                _unlink(f, report)
    report.seconds["downloads"] = time.perf_counter() - t1
    if stop.requested:
        return report

    # 3. pages
    t2 = time.perf_counter()
    gate = OutputGate(site, [s.path for s in sources if s.refused is None])
    gate.open()
    live = [d for d in accepted if os.path.abspath(site / d.tree) not in failed_trees
            or _has_downloads(site, d)]
    model = Site(live)
    report.resolutions, report.documents = len(model.entries), len(live)
    extra = pipeline_digest() + "\n" + (options.base_url or "")
    whole = _site_key(live, cache, site, theme.digest, extra)
    changed_indexed = False
    if force or whole != state_key or not _pages_intact(cache, site):
        planner = Planner(model, theme, site, options.base_url, _loader(site))
        plan = planner.pages() + feeds.pages(planner) + _assets(theme)
        changed_indexed = _write_pages(plan, site, cache, gate, theme.digest, extra, force,
                                       report)
        gone = _remove_pages(plan, site, cache, report)
        changed_indexed = changed_indexed or any(p.parent.name in paths.LANGS for p in gone)
        _prune(site, report)
        if not cache.save():
            on_note(f"unres: warning: {cache.error}")
    else:
        report.unchanged = sum(len(v) for k, v in cache.entries.items() if k.startswith("site:"))
    _write_state(site, live, whole, state)
    report.seconds["pages"] = time.perf_counter() - t2

    # 4. search
    t3 = time.perf_counter()
    if not options.search:
        report.search = "off"
    elif changed_indexed or force or not (site / paths.PAGEFIND / "pagefind-entry.json").is_file():
        from .search import index

        try:
            index(site, gate)
            report.search = "rebuilt"
        except PipelineError as e:
            report.search = f"failed: {e.message}"
            on_note(f"unres: warning: the search index was not rebuilt: {e.message}")
    report.seconds["search"] = time.perf_counter() - t3
    return report


# ---------------------------------------------------------------- trees and places

def _loader(site: Path) -> Callable[[Doc], object]:
    cache: dict[str, object] = {}

    def load(d: Doc):
        if d.tree not in cache:
            if len(cache) > 8:
                cache.clear()
            cache[d.tree] = from_json((site / d.tree).read_text("utf-8"))
        return cache[d.tree]
    return load


def _summary(state: dict, site: Path, tree: Path, key: str) -> Doc | None:
    rel = tree.relative_to(site).as_posix()
    if not key:
        try:
            key = "sha256:" + hashlib.sha256(tree.read_bytes()).hexdigest()
        except OSError:
            return None
    known = state.get(key)
    if known is not None and known.get("tree") == rel:
        try:
            return Doc.from_data(known)
        except TypeError:
            pass
    try:
        return summarize(from_json(tree.read_text("utf-8")), rel, key)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _place(docs: list[Doc], origin: dict[str, Source]) -> tuple[list[Doc], list[tuple[Doc, str]]]:
    """Each (symbol, language) once, in the order of the sources' paths; the others refused."""
    taken: dict[tuple[str, str], Doc] = {}
    accepted, refused = [], []
    for d in sorted(docs, key=lambda d: str(origin[d.tree].path)):
        if not d.symbol.strip():
            refused.append((d, "the site places resolutions by their symbol, and this one has "
                               "none; not published"))
            continue
        if paths.symbol_dir(d.symbol) is None:
            refused.append((d, f"the symbol {d.symbol!r} cannot be a place on the site; "
                               f"not published"))
            continue
        if not d.lang:
            refused.append((d, "the language of this resolution is unknown (give --lang); "
                               "not published"))
            continue
        k = (paths.symbol_key(d.symbol), d.lang)
        if k in taken:
            refused.append((d, f"{d.symbol} ({d.lang}) is also given by "
                               f"{origin[taken[k].tree].path}; not published twice"))
            continue
        taken[k] = d
        accepted.append(d)
    return accepted, refused


def _has_downloads(site: Path, d: Doc) -> bool:
    sdir = paths.symbol_dir(d.symbol)
    return (site / paths.page_dir(sdir, d.lang) / (paths.file_stem(sdir, d.lang) + ".md")).is_file()


def _read_state(site: Path) -> tuple[dict[str, dict], str]:
    """The summaries kept by the last build (by tree key) and the key of its pages."""
    try:
        data = json.loads((site / STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}, ""
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return {}, ""
    docs = data.get("docs")
    key = data.get("pages")
    return (docs if isinstance(docs, dict) else {}), (key if isinstance(key, str) else "")


def _write_state(site: Path, docs: list[Doc], key: str, before: dict[str, dict]) -> None:
    now = {d.key: d.to_data() for d in sorted(docs, key=lambda d: d.key)}
    if now == before and key == _read_state(site)[1]:
        return
    data = {"version": STATE_VERSION, "pages": key, "docs": now}
    write_atomic(site / STATE, (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0)
                                + "\n").encode("utf-8"))


def _site_key(docs: list[Doc], cache: BuildCache, site: Path, theme: str, extra: str) -> str:
    """What every page of the site is made from: the summaries of its trees, the record
    of their downloads, the theme, the pipeline and the options.  When it is the last
    build's and no page was touched since, no page needs to be looked at."""
    h = hashlib.sha256(f"{theme}\n{extra}\n".encode())
    for d in sorted(docs, key=lambda d: d.key):
        h.update(json.dumps(d.to_data(), sort_keys=True, ensure_ascii=False).encode())
        h.update(json.dumps(cache.entries.get(os.path.abspath(site / d.tree), {}),
                            sort_keys=True).encode())
    return h.hexdigest()


def _pages_intact(cache: BuildCache, site: Path) -> bool:
    """Whether every page recorded is still the file written."""
    records = [k for k in cache.entries if k.startswith("site:")]
    if not records:
        return False
    return all(len(cache.written_unchanged(k)) == len(cache.entries[k]) for k in records)


# ---------------------------------------------------------------- pages

def _assets(theme: Theme) -> list[Page]:
    from ..writers.html import language_stylesheets, stylesheet_text

    files: dict[str, bytes] = {"doc.css": stylesheet_text("screen.css").encode("utf-8")}
    for code in paths.LANGS:
        for name in language_stylesheets(code):
            files[f"lang-{code}.css"] = stylesheet_text(name).encode("utf-8")
    for name in ASSETS:
        files[name] = theme.file(name).read_bytes()
    out = []
    for name, data in sorted(files.items()):
        out.append(Page(PurePosixPath(paths.ASSETS) / name, "site:", "asset:" + name, "asset",
                        {"sha256": hashlib.sha256(data).hexdigest()},
                        make=lambda p, data=data: data))
    return out


def _write_pages(plan: list[Page], site: Path, cache: BuildCache, gate: OutputGate,
                 digest: str, extra: str, force: bool, report: SiteReport) -> bool:
    """Make and write the pages whose key changed; whether one of the search's did."""
    todo: dict[str, list[tuple[Page, str]]] = {}
    for p in plan:
        key = p.key(digest, extra)
        found = None if force else cache.fresh(p.record, p.name, key)
        if found is not None and found == site / p.path:
            report.unchanged += 1
            continue
        todo.setdefault(p.record, []).append((p, key))
    indexed = False
    for record, items in todo.items():
        files = {site / p.path: p.make(p) for p, _ in items}
        write_set(files, gate, record)
        cache.record(record, {p.name: (key, site / p.path) for p, key in items})
        report.written.extend(site / p.path for p, _ in items)
        indexed = indexed or any(p.indexed for p, _ in items)
    return indexed


def _remove_pages(plan: list[Page], site: Path, cache: BuildCache,
                  report: SiteReport) -> list[Path]:
    wanted = {(p.record, p.name) for p in plan}
    gone = []
    for record in [r for r in cache.entries if r.startswith("site:")]:
        names = [n for n in cache.entries[record] if (record, n) not in wanted]
        if not names:
            continue
        keep = set(cache.written_unchanged(record))
        for n in names:
            path = site / cache.entries[record][n]["file"]
            if path in keep:
                _unlink(path, report)
                gone.append(path)
        cache.forget(record, names)
    return gone


def _unlink(path: Path, report: SiteReport) -> None:
    try:
        path.unlink()
        report.removed.append(path)
    except OSError:
        pass


def _prune(site: Path, report: SiteReport) -> None:
    """Folders left empty by removed pages and downloads go too."""
    folders = {p.parent for p in report.removed}
    for f in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        here = f
        while here != site and site in here.parents:
            try:
                here.rmdir()
            except OSError:
                break
            here = here.parent
