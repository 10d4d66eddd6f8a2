"""Ctrl-C during a batch, in two steps.

The first Ctrl-C asks the batch to stop after the files in progress and says so
at once; the second stops now (a KeyboardInterrupt, which the batch turns into
stopping its workers within about a second).  Used by ``unres convert`` and
``unres site``.
"""

from __future__ import annotations

import signal
import threading


class TwoStepInterrupt:
    """A context manager: while it is active, SIGINT is handled in two steps (see the
    module docstring).  ``stop`` has a ``requested`` flag; ``reporter.note`` prints."""

    def __init__(self, stop, reporter):
        self.stop, self.reporter, self.count = stop, reporter, 0
        self.previous = None

    def __enter__(self) -> "TwoStepInterrupt":
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.count += 1
        if self.count == 1:
            self.stop.requested = True
            self.reporter.note("unres: stopping: the files in progress are finishing "
                               "(Ctrl-C again stops now)")
            return
        raise KeyboardInterrupt

    def __exit__(self, *exc) -> bool:
        if self.previous is not None:
            # once a stop was asked for, the command is on its way out with 130: a Ctrl-C
            # while it sums up ends it with 130 too (the default handler would kill it by
            # the signal, as though nothing had been finished); outputs are whole already
            signal.signal(signal.SIGINT, _exit_interrupted if self.count else self.previous)
        return False


def _exit_interrupted(signum, frame) -> None:
    raise SystemExit(130)
