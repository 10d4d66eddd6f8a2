"""What a batch tells its user: progress, diagnostics, the summary, the JSON report.

On a terminal a rich progress bar runs on stderr, with diagnostics printed above
it; otherwise one plain line per converted file goes to stdout and diagnostics
to stderr, so that scripts and logs read them line by line. Diagnostics are
always ``FILE:LINE:COL: level: message``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .build import Outcome
from .errors import shown
from .upstream import hidden, hidden_note


@dataclass
class Tally:
    converted: int = 0
    up_to_date: int = 0
    failed: int = 0
    skipped: int = 0
    removed: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def add(self, o: Outcome) -> None:
        self.outcomes.append(o)
        if o.status == "failed":
            self.failed += 1
        elif o.status == "up-to-date":
            self.up_to_date += 1
        elif o.status == "skipped":
            self.skipped += 1
        elif o.status == "removed":
            self.removed += 1
        else:
            self.converted += 1

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def summary(self, interrupted: bool = False) -> str:
        s = (f"{self.converted} converted, {self.up_to_date} up to date, {self.failed} failed"
             + (f", {self.skipped} skipped" if self.skipped else "")
             + (f", outputs of {self.removed} removed sources deleted" if self.removed else "")
             + f" in {self.seconds:.2f} s")
        return s + (" (interrupted)" if interrupted else "")


class Reporter:
    """Prints outcomes as they arrive; a progress bar on a terminal."""

    def __init__(self, *, quiet: bool = False, progress: bool | None = None,
                 verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose          # print the warnings about the UN's own markup too
        self.hidden = 0                 # those left out (pipeline.upstream)
        self.tty = sys.stderr.isatty() if progress is None else progress
        self.tally = Tally()
        self._progress = None
        self._task = None

    def start(self, up_to_date: int, todo: int) -> None:
        if self.tty and not self.quiet and todo:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeRemainingColumn)

            self._progress = Progress(TextColumn("converting"), BarColumn(), MofNCompleteColumn(),
                                      TimeRemainingColumn(), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("convert", total=todo)

    def note(self, line: str) -> None:
        """A line for the user on stderr, above the progress bar if there is one."""
        self._err(line)

    def _err(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr)

    def outcome(self, o: Outcome) -> None:
        self.tally.add(o)
        if not self.quiet:
            for d in o.diagnostics:
                if hidden(d, self.verbose):
                    self.hidden += 1
                else:
                    self._err(str(d))
        if o.error is not None:
            self._err(str(o.error))
        elif not self.quiet and o.status == "converted" and self._progress is None:
            print(f"{shown(str(o.source))} -> {', '.join(shown(str(p)) for p in o.outputs)}",
                  flush=True)
        elif not self.quiet and o.status == "removed" and o.outputs:
            self._err(f"unres: removed {', '.join(shown(str(p)) for p in o.outputs)} "
                      f"(source {shown(str(o.source))} is gone)")
        if self._progress is not None and o.status not in ("up-to-date", "removed"):
            self._progress.advance(self._task)

    def finish(self, interrupted: bool = False) -> None:
        if self._progress is not None:
            self._progress.stop()
        if self.hidden and not self.quiet:
            print(hidden_note(self.hidden), file=sys.stderr)
        if not self.quiet or interrupted or self.tally.failed:
            print(f"unres: {self.tally.summary(interrupted)}", file=sys.stderr)


def write_report(path: Path, tally: Tally, interrupted: bool = False) -> None:
    """The run as JSON: totals and, per file, status, outputs, diagnostics and time."""
    from .atomic import write_atomic

    def diag(d) -> dict:
        return {"file": d.span.file, "line": d.span.line, "col": d.span.col,
                "level": d.level, "code": d.code, "message": d.message}

    data = {
        "converted": tally.converted, "up_to_date": tally.up_to_date, "failed": tally.failed,
        "skipped": tally.skipped, "removed": tally.removed,
        "seconds": round(tally.seconds, 3), "interrupted": interrupted,
        "files": [{
            "source": str(o.source), "status": o.status,
            "outputs": [str(p) for p in o.outputs],
            "seconds": round(o.seconds, 3),
            "diagnostics": [diag(d) for d in o.diagnostics],
            "error": None if o.error is None else {
                "file": o.error.span.file, "line": o.error.span.line, "col": o.error.span.col,
                "level": "error", "code": type(o.error).__name__, "message": o.error.message},
        } for o in tally.outcomes],
    }
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
