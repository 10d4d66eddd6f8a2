"""How a lint run is printed: text, JSON, GitHub annotations, SARIF, statistics.

- ``text``: ``FILE:LINE:COL: RULE-ID message`` (:func:`pipeline.lint.format_line`);
- ``json``: a list of ``{file, line, col, rule, name, level, message}``;
- ``github``: one workflow command per finding, which GitHub Actions shows as an
  annotation on the line: ``::error file=F,line=L,col=C,title=UN101::message``
  (``::warning`` for a warning);
- ``sarif``: a SARIF 2.1.0 log (OASIS), for code scanning: the rules that ran, with
  their explanations, and one result per finding;
- statistics (``--statistics``): the number of findings per rule, most frequent
  first, as ruff prints them (``COUNT<TAB>RULE<TAB>NAME``), or as JSON.

Files that could not be read are results of rule UN001 in every format.
Guarantees: each function returns a string and prints nothing; the same report
gives the same string.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from .base import FAMILIES, RULES

FORMATS = ("text", "json", "github", "sarif")

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")

_UNREADABLE = {"id": "UN001", "name": "unreadable", "level": "error",
               "summary": "every file named can be read",
               "explanation": "The file could not be read (missing, empty, not the format its "
                              "extension says, or not a resolution); no rule ran on it."}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report) -> str:
    """GitHub Actions workflow commands, one line per entry."""
    out = []
    for e in report.entries():
        level = "error" if e["level"] == "error" else "warning"
        props = ",".join([f"file={_escape_property(e['file'] or '<input>')}",
                          f"line={e['line'] or 1}", f"col={e['col'] or 1}",
                          f"title={_escape_property(e['rule'])}"])
        out.append(f"::{level} {props}::{_escape_data(e['message'])}")
    return "\n".join(out) + ("\n" if out else "")


def _uri(path: str) -> str:
    """A file path as a SARIF artifact URI: relative paths stay relative (to the
    directory lint ran in, which CI makes the repository's root), with slashes."""
    if not path:
        return "input"
    if PureWindowsPath(path).is_absolute() and not path.startswith("/"):
        return "file:///" + quote(PureWindowsPath(path).as_posix(), safe="/:")
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return "file://" + quote(str(posix), safe="/")
    return quote(str(posix), safe="/")


def _descriptor(rid: str) -> dict:
    if rid in RULES:
        r = RULES[rid]
        name, level, summary, text = r.name, r.level, r.summary, r.explanation
        tags = [FAMILIES.get(r.family, r.family)]
    else:
        u = _UNREADABLE
        name, level, summary, text, tags = (u["name"], u["level"], u["summary"],
                                            u["explanation"], ["input"])
    return {"id": rid, "name": name,
            "shortDescription": {"text": summary[:1].upper() + summary[1:] + "."},
            "fullDescription": {"text": text.split("\n\n")[0].replace("\n", " ")},
            "help": {"text": text},
            "defaultConfiguration": {"level": level},
            "properties": {"tags": tags}}


def sarif_log(report, *, version: str | None = None) -> dict:
    """The run as a SARIF 2.1.0 log (a dict)."""
    from .. import __version__

    entries = report.entries()
    ids = list(report.rules or sorted(RULES))
    if any(e["rule"] not in ids for e in entries):
        ids = sorted(set(ids) | {e["rule"] for e in entries})
    index = {rid: i for i, rid in enumerate(ids)}
    results = []
    for e in entries:
        results.append({
            "ruleId": e["rule"], "ruleIndex": index[e["rule"]],
            "level": "error" if e["level"] == "error" else "warning",
            "message": {"text": e["message"]},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(e["file"])},
                "region": {"startLine": max(e["line"] or 1, 1),
                           "startColumn": max(e["col"] or 1, 1)}}}],
        })
    driver = {"name": "unres", "version": version or __version__,
              "semanticVersion": version or __version__,
              "rules": [_descriptor(rid) for rid in ids]}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints",
                      "results": results}]}


def to_sarif(report) -> str:
    """The run as SARIF 2.1.0 JSON text."""
    return json.dumps(sarif_log(report), ensure_ascii=False, indent=1) + "\n"


def counts(report) -> list[tuple[str, str, int]]:
    """(rule, name, count) for each rule that fired, most frequent first, then by id."""
    tally = Counter(e["rule"] for e in report.entries())
    names = {e["rule"]: e["name"] for e in report.entries()}
    return sorted(((r, names[r], n) for r, n in tally.items()), key=lambda t: (-t[2], t[0]))


def statistics(report, output_format: str = "text") -> str:
    """``--statistics``: the number of findings per rule (text or JSON)."""
    rows = counts(report)
    if output_format == "json":
        return json.dumps([{"rule": r, "name": n, "count": c} for r, n, c in rows],
                          ensure_ascii=False, indent=1)
    if not rows:
        return ""
    width = max(len(str(c)) for _, _, c in rows)
    code_width = max(len(r) for r, _, _ in rows)
    return "\n".join(f"{c:>{width}}\t{r:<{code_width}}\t{n}" for r, n, c in rows) + "\n"


__all__ = ["FORMATS", "SARIF_SCHEMA", "counts", "sarif_log", "statistics", "to_github",
           "to_sarif"]
