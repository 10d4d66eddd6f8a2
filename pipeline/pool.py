"""Worker processes for a batch, each converting one file at a time.

Why not :class:`concurrent.futures.ProcessPoolExecutor`: when one of its
workers dies (the out-of-memory killer, a segfault in a library), the whole
pool breaks and every file still queued fails with ``BrokenProcessPool``; and
on Ctrl-C it cannot stop a conversion that is running.  Here the parent knows
which file each worker holds, so:

- a worker that dies costs only the file it held: that file is tried once more
  on a fresh worker, and fails (with the cause) if that worker dies too; files
  not yet started are never touched by it;
- :meth:`WorkerPool.stop` ends every worker within about a second (SIGTERM,
  then SIGKILL), leaving no process behind;
- results come back in the order files finish.

Workers are started from a clean ``forkserver`` process (the parent may be
running threads, e.g. a progress bar; ``spawn`` where the forkserver cannot listen), ignore SIGINT (Ctrl-C is the parent's
to handle) and get the next task only when they have sent back the last.

Temporary files: the workers' temporary folder (``tempfile`` and ``TMPDIR``) is
one private folder of the pool's, removed with everything in it once the last
worker has ended.  A worker leaves its temporary files behind when it exits
without Python's exit handlers (as pool processes do) or is killed; WeasyPrint,
for one, copies the faces of a page's ``@font-face`` rules (several MB) into a
folder of its own that only its exit handler removes.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator

#: how many times a file is started when the worker running it dies
ATTEMPTS = 2


@dataclass(frozen=True, slots=True)
class WorkerLost:
    """The result of a task whose worker died ``ATTEMPTS`` times while running it."""

    exitcode: int | None

    def describe(self) -> str:
        code = self.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            why = f"killed by {name}" + (" (out of memory?)" if -code == signal.SIGKILL else "")
        else:
            why = f"exit status {code}"
        return f"the process converting this file died ({why}), twice"


def _serve(conn: Connection, fn: Callable[..., Any], tmp: str | None = None) -> None:
    """A worker's loop: receive (task id, args), send back (task id, result); its
    temporary files go to ``tmp`` (the pool's folder)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if tmp:
        os.environ["TMPDIR"] = tmp
        tempfile.tempdir = tmp
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        task_id, args = msg
        conn.send((task_id, fn(*args)))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: int | None = None


class WorkerPool:
    """``jobs`` processes running ``fn(*args)`` for each task; see the module docstring.

    ``fn`` must be a module-level function whose result pickles; it should catch
    its own errors (an exception escaping it is reported as the worker's death)."""

    def __init__(self, fn: Callable[..., Any], jobs: int,
                 stop: Callable[[], bool] | None = None):
        self.fn = fn
        self.jobs = max(1, jobs)
        self._stop = stop or (lambda: False)
        self._ctx = multiprocessing.get_context("forkserver")
        self._workers: list[_Worker] = []
        self._tmp: str | None = None
        self.draining = False

    def _start(self) -> _Worker:
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="unres-workers-")
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=_serve, args=(child, self.fn, self._tmp), daemon=True)
        try:
            p.start()
        except OSError:
            if self._ctx.get_start_method() != "forkserver":
                raise
            # the forkserver listens on a socket in the temporary folder, whose path a
            # long TMPDIR makes too long for AF_UNIX (108 bytes): start workers afresh
            parent.close()
            child.close()
            self._ctx = multiprocessing.get_context("spawn")
            return self._start()
        child.close()
        w = _Worker(p, parent)
        self._workers.append(w)
        return w

    def run(self, tasks: list[tuple]) -> Iterator[tuple[int, Any]]:
        """Yield ``(index of the task, result or WorkerLost)`` as tasks finish.

        Setting :attr:`draining` (or ``stop()`` turning true) stops handing out new
        tasks; the generator then ends when the running ones are done (the tasks never
        started are not yielded)."""
        queue = list(range(len(tasks)))
        queue.reverse()
        tries = [0] * len(tasks)
        try:
            while queue or any(w.task is not None for w in self._workers):
                if self._stop():
                    self.draining = True
                if not self.draining:
                    for w in self._workers:
                        if w.task is None and queue:
                            self._give(w, queue.pop(), tasks, tries)
                    while queue and len(self._workers) < self.jobs:
                        self._give(self._start(), queue.pop(), tasks, tries)
                busy = [w for w in self._workers if w.task is not None]
                if not busy:
                    break
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=0.2)
                for w in busy:
                    if w.conn in ready:
                        try:
                            task_id, result = w.conn.recv()
                        except (EOFError, OSError):
                            result = None
                            task_id = None
                        if task_id == w.task:
                            w.task = None
                            yield task_id, result
                            continue
                    if w.process.sentinel in ready or (w.conn in ready and w.task is not None):
                        lost = w.task
                        w.process.join(1)
                        code = w.process.exitcode
                        self._drop(w)
                        if lost is None:
                            continue
                        if tries[lost] < ATTEMPTS and not self.draining:
                            queue.append(lost)
                        else:
                            yield lost, WorkerLost(code)
        finally:
            self.stop()

    def _give(self, w: _Worker, index: int, tasks: list[tuple], tries: list[int]) -> None:
        tries[index] += 1
        w.task = index
        w.conn.send((index, tasks[index]))

    def _drop(self, w: _Worker) -> None:
        try:
            w.conn.close()
        except OSError:
            pass
        self._workers.remove(w)

    def stop(self) -> None:
        """End every worker: politely, then SIGTERM, then SIGKILL; within about a second."""
        for w in self._workers:
            if w.task is None:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        for w in self._workers:
            if w.task is not None and w.process.is_alive():
                w.process.terminate()
        for w in self._workers:
            w.process.join(0.5)
            if w.process.is_alive():
                os.kill(w.process.pid, signal.SIGKILL)
                w.process.join(1)
            try:
                w.conn.close()
            except OSError:
                pass
        self._workers.clear()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
