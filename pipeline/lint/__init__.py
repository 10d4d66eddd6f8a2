"""``unres lint``: the UN's editorial rules over the canonical tree.

Each rule is a small pure function in a module of this package, registered
with an id and a level (:data:`RULES`); it reads the tree and the language data
(``pipeline/lang/*.toml``) and returns :class:`~pipeline.errors.Diagnostic`
whose ``code`` is the rule id and whose span is the node's ``FILE:LINE:COL``.

=======  =====================  =======  ==============================================
id       name                   level    checks
=======  =====================  =======  ==============================================
UN001    unreadable             error    the file could not be read (no rule runs)
UN101    preamble-punctuation   error    preambular paragraphs end with , ， ، ...
UN102    operative-punctuation  error    operative paragraphs end with ; ； ؛, the last . 。
UN103    item-punctuation       error    items end like operative text
UN104    formula-punctuation    warning  the enacting formula ends with the preamble mark
UN201    operative-numbering    error    1, 2, 3 ... per section, without gaps
UN202    item-sequence          error    item labels in the language's sequences
UN301    footnote-missing       error    every call has its note
UN302    footnote-uncalled      error    every note has its call
UN303    footnote-sequence      warning  notes numbered 1, 2, 3 ... in order
UN401    symbol-format          error    A/RES/71/19, A/71/L.17/Add.1, S/RES/2722 (2024)
UN501    lead-missing           error    every recital and operative paragraph has a lead
UN601    language-alignment     error    versions of one symbol: same counts
=======  =====================  =======  ==============================================

Families are the ids' first three characters (UN1 punctuation, UN2 numbering, UN3
footnotes, UN4 symbols, UN5 leads, UN6 alignment).  Which rules run is chosen by
:mod:`.select` (``--select``/``--extend-select``/``--ignore`` and ``[tool.unres.lint]``);
a markdown source silences a rule for one paragraph or the whole file with a comment
(:mod:`.suppress`); a run prints as text, JSON, GitHub annotations, SARIF 2.1.0 or
statistics (:mod:`.output`); ``unres rules ID`` prints a rule's explanation (its check's
docstring, with an example).

Guarantees: linting never writes a file and never imports a writer, WeasyPrint,
python-docx or pdfplumber; the findings of a run are sorted by file (in the
order given), line, column and rule, without duplicates; the same inputs give
the same findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..ast import Resolution, Span
from ..errors import Diagnostic, LanguageError, PipelineError, location, shown
from . import alignment, footnotes, leads, numbering, punctuation, symbols  # noqa: F401  (register)
from .base import FAMILIES, RULES, Doc, Rule

UNREADABLE = "UN001"


def make_doc(path: str, res: Resolution, diagnostics: Sequence[Diagnostic] = (), *,
             lang: str | None = None) -> Doc:
    """A :class:`Doc` for a tree: its language from ``lang`` or the tree's metadata."""
    from .. import lang as langs

    L = None
    try:
        L = langs.get(lang or res.meta.language)
    except LanguageError:
        pass
    return Doc(path, res, L, tuple(diagnostics))


def lint_docs(docs: Sequence[Doc], *, rules: Iterable[str] | None = None) -> list[Diagnostic]:
    """Every finding of the rules (all, or the ids in ``rules``) over ``docs``, sorted."""
    chosen: list[Rule] = [RULES[r] for r in rules] if rules is not None else list(RULES.values())
    found: list[Diagnostic] = []
    for r in chosen:
        if r.scope == "set":
            found.extend(r.check(docs))
        else:
            for d in docs:
                found.extend(r.check(d))
    order = {d.path: i for i, d in enumerate(docs)}
    unique = dict.fromkeys(found)
    return sorted(unique, key=lambda f: (order.get(f.span.file, len(order)), f.span.file,
                                         f.span.line, f.span.col, f.code, f.message))


def lint_tree(res: Resolution, *, path: str = "", diagnostics: Sequence[Diagnostic] = (),
              rules: Iterable[str] | None = None) -> list[Diagnostic]:
    """The findings for one tree (reader warnings given in ``diagnostics``)."""
    return lint_docs([make_doc(path, res, diagnostics)], rules=rules)


@dataclass
class Report:
    """A lint run: the findings, the files that could not be read, and what else the
    user is told (reader warnings, malformed suppressions) on stderr."""

    findings: list[Diagnostic] = field(default_factory=list)
    failures: list[PipelineError] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    rules: tuple[str, ...] = ()           # the ids of the rules that ran
    suppressed: int = 0                   # findings silenced by comments in the sources
    hidden: int = 0                       # reader warnings about the UN's markup not shown

    @property
    def failed(self) -> bool:
        """Whether the run must exit 1: an error-level finding or an unreadable file."""
        return bool(self.failures) or any(f.level == "error" for f in self.findings)

    def entries(self) -> list[dict]:
        """Findings and failures as JSON-ready dicts, in output order."""
        out = [_entry(UNREADABLE, "unreadable", "error", e.message, e.span) for e in self.failures]
        out += [_entry(f.code, RULES[f.code].name if f.code in RULES else "", f.level,
                       f.message, f.span) for f in self.findings]
        return out


def _entry(code: str, name: str, level: str, message: str, span: Span) -> dict:
    return {"file": span.file, "line": span.line, "col": span.col, "rule": code, "name": name,
            "level": level, "message": message}


#: reader warnings that become findings (and so are not told twice)
_AS_FINDINGS = frozenset(footnotes.READER_CODES)


def lint_paths(paths: Iterable[str | Path], *, lang: str | None = None,
               rules: Iterable[str] | None = None, exclude: tuple[str, ...] = (),
               root: Path | None = None, verbose: bool = False,
               options=None) -> Report:
    """Read each file (directories: every source under them, less the default and
    ``exclude`` patterns) and lint them together with ``rules`` (all when None).

    Suppression comments of markdown sources (:mod:`.suppress`) silence findings;
    the readers' warnings go to ``notes``, less those about the UN's own markup
    (:mod:`pipeline.upstream`) unless ``verbose``.  A markdown file that holds no
    resolution is a note, not a failure (as in ``unres convert``).  ``options`` (read
    options, with the limits raised) are used as given, else those of ``lang``."""
    from .. import registry
    from ..errors import NotAResolution
    from ..options import ReadOptions
    from ..sources import discover, parse_bytes, read_input
    from ..upstream import hidden
    from .suppress import apply, suppressions

    chosen = tuple(rules) if rules is not None else tuple(sorted(RULES))
    report = Report(rules=chosen)
    docs: list[Doc] = []
    silenced: dict[str, list] = {}
    for src in discover(paths, exclude=exclude, root=root):
        p = src.path
        try:
            if src.refused is not None:
                raise src.refused
            registry.reader_spec(p)
            data = read_input(p)
            parsed = parse_bytes(data, str(p), options or ReadOptions(lang=lang))
        except NotAResolution as e:
            if registry.reader_spec(p).module != "pipeline.readers.markdown":
                report.failures.append(e)
            else:
                report.notes.append(Diagnostic(
                    f"{e.message}; not linted (if it is not a resolution, list it under "
                    f"`exclude` in unres.toml or [tool.unres], or pass --exclude)",
                    Span(str(p), 1, 1), code="not-a-resolution"))
            continue
        except PipelineError as e:
            report.failures.append(e)
            continue
        for d in parsed.diagnostics:
            if d.code in _AS_FINDINGS:
                continue
            if hidden(d, verbose):
                report.hidden += 1
            else:
                report.notes.append(d)
        if registry.reader_spec(p).module == "pipeline.readers.markdown":
            found, problems = suppressions(data.decode("utf-8", "replace"), str(p))
            silenced[str(p)] = found
            report.notes.extend(problems)
        docs.append(make_doc(str(p), parsed.resolution, parsed.diagnostics, lang=lang))
    report.findings, report.suppressed = apply(lint_docs(docs, rules=chosen), silenced)
    return report


def format_line(f: Diagnostic) -> str:
    """``FILE:LINE:COL: RULE-ID message`` (a warning says so after the id)."""
    level = "" if f.level == "error" else f"{f.level}: "
    return f"{location(f.span)}: {f.code} {level}{shown(f.message, 2000)}"


def to_json(report: Report) -> str:
    """The run as a JSON list of ``{file, line, col, rule, name, level, message}``."""
    return json.dumps(report.entries(), ensure_ascii=False, indent=1)


from .output import FORMATS, statistics, to_github, to_sarif  # noqa: E402


__all__ = ["FAMILIES", "FORMATS", "RULES", "Doc", "Report", "Rule", "format_line",
           "lint_docs", "lint_paths", "lint_tree", "make_doc", "statistics", "to_github",
           "to_json", "to_sarif"]
