"""Pandoc for the markdown reader: one process per document, or one kept running.

Starting pandoc costs 20-50 ms, more than our own reading of a seed-sized
document.  So a process that reads more than one markdown source keeps one pandoc
for its lifetime: ``pandoc lua`` running ``pandoc_loop.lua``, which reads
requests from a pipe and answers with pandoc's JSON, the same bytes a
``pandoc -f FORMAT -t json`` process would print.  Why not ``pandoc server``: it
listens on every network interface (it has no option to bind to 127.0.0.1 only),
and the pandoc 3.9 that ``pypandoc-binary`` 1.17 ships crashes on every server
request; pipes expose nothing and work with every pandoc since 3.1.

Guarantees:
- the first document of a process runs pandoc directly (a single conversion
  starts nothing that outlives it), unless it was sent ahead (a batch); from the
  second on, the kept process is used, started lazily, restarted if it died,
  stopped when the process exits;
- a document pandoc cannot read fails alone, as a ``ReadError`` at its path;
  one that takes longer than ``TIMEOUT`` seconds kills the kept process (the
  next document starts a new one) and fails alone;
- :func:`to_json` gives the same AST either way (a test compares them);
- :func:`send_ahead` gives the kept process the next document of a batch while this
  process still works on the current one (pandoc reads it on another core); its
  answer waits in the pipe, in order, until :func:`to_json` asks for that document,
  and an answer nobody asks for is read and dropped.  At most one document is sent
  ahead, and only one of :data:`AHEAD_LIMIT` bytes or fewer, so writing it never
  waits for pandoc (it fits in the pipe beside the one pandoc may not have read yet);
- memory is bounded on both sides (:class:`Bounds`): pandoc runs with a heap of
  at most ``heap_mb`` (``+RTS -M``; past it pandoc stops, and the document fails
  with a :class:`~pipeline.limits.LimitError`), and a JSON answer longer than
  ``json_bytes`` is refused before it is parsed (pandoc's tree of text dense in
  punctuation is a hundred times the text; Python's objects for it fourteen times
  more again).
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..ast import Span
from ..errors import ReadError
from ..limits import exceeded

#: seconds pandoc may take over one document
TIMEOUT = 120

#: pandoc's exit status when its heap is exhausted (``+RTS -M``)
HEAP_EXHAUSTED = 251


@dataclass(frozen=True)
class Bounds:
    """The most memory pandoc's heap may take (MB) and the longest JSON answer read
    (bytes); with what the error says to raise."""

    heap_mb: int = 160
    json_bytes: int = 16 * 2**20
    what: str = "markdown_kb"
    limit: int = 512


DEFAULT_BOUNDS = Bounds()

#: the largest request :func:`send_ahead` sends (two fit in a pipe's 64 KiB buffer)
AHEAD_LIMIT = 24 * 1024

_LOOP = Path(__file__).with_name("pandoc_loop.lua")


def pandoc_path() -> str:
    """The pandoc binary: the one pypandoc-binary ships (found without importing
    pypandoc, which costs start-up time), else pypandoc's own search."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        exe = os.path.join(folder, "files", "pandoc")
        if os.access(exe, os.X_OK):
            return exe
    import pypandoc

    return pypandoc.get_pandoc_path()


class _Kept:
    """The pandoc kept running in this process (see the module docstring)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.calls = 0
        self.started = 0          # how many kept processes were started (for tests)
        self.lock = threading.Lock()
        self.pid = os.getpid()
        #: the requests sent and not yet answered to their caller, oldest first
        self.sent: deque[tuple[str, bytes]] = deque()
        self.heap_mb = 0          # the heap the running process was given

    def _start(self, heap_mb: int) -> subprocess.Popen:
        self.heap_mb = heap_mb
        self.proc = subprocess.Popen([pandoc_path(), "+RTS", f"-M{heap_mb}m", "-RTS", "lua",
                                      str(_LOOP)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     close_fds=True)
        self.started += 1
        return self.proc

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        self.sent.clear()
        if proc is None or self.pid != os.getpid():
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()

    def _alive(self, heap_mb: int) -> subprocess.Popen:
        if self.pid != os.getpid():          # a forked child does not share the parent's
            self.proc, self.pid = None, os.getpid()
            self.sent.clear()
        if self.proc is not None and self.heap_mb != heap_mb:
            self.stop()                      # started for other bounds
        if self.proc is not None and self.proc.poll() is None:
            return self.proc
        self.sent.clear()
        return self._start(heap_mb)

    def _send(self, proc: subprocess.Popen, text: bytes, fmt: str) -> None:
        proc.stdin.write(f"{fmt} {len(text)}\n".encode("ascii") + text)
        proc.stdin.flush()
        self.sent.append((fmt, text))

    def send_ahead(self, text: bytes, fmt: str) -> None:
        """Send a request whose answer :meth:`ask` will read (see :func:`send_ahead`)."""
        if len(text) > AHEAD_LIMIT or len(self.sent) > 1 or (fmt, text) in self.sent:
            return
        if self.proc is not None and self.heap_mb != DEFAULT_BOUNDS.heap_mb:
            return                           # the kept process reads with other bounds
        self._send(self._alive(DEFAULT_BOUNDS.heap_mb), text, fmt)

    def ask(self, text: bytes, fmt: str, bounds: Bounds = DEFAULT_BOUNDS) -> tuple[bool, bytes]:
        """(ok, JSON or error message); raises OSError/TimeoutError when pandoc died,
        _TooBig when its answer is longer than the bounds allow (the process is
        stopped: the answer is not read)."""
        proc = self._alive(bounds.heap_mb)
        if (fmt, text) not in self.sent:
            try:
                while self.sent:             # answers nobody will ask for, read first so
                    self._answer(proc, bounds)   # that pandoc never waits on a full pipe
                    self.sent.popleft()
            except _TooBig:                  # one of them too long: a new process
                proc = self._alive(bounds.heap_mb)
            self._send(proc, text, fmt)
        while True:                          # answers come in the order of the requests
            ok, body = self._answer(proc, bounds)
            if self.sent.popleft() == (fmt, text):
                return ok, body

    def _answer(self, proc: subprocess.Popen, bounds: Bounds) -> tuple[bool, bytes]:
        head = self._read_line(proc)
        kind, _, size = head.partition(b" ")
        if kind not in (b"ok", b"error") or not size.strip().isdigit():
            raise OSError(f"pandoc answered {head[:40]!r}")
        if int(size) > bounds.json_bytes:
            self.stop()
            raise _TooBig(int(size))
        body = self._read_exact(proc, int(size))
        return kind == b"ok", body

    def _wait(self, proc: subprocess.Popen) -> None:
        ready, _, _ = select.select([proc.stdout], [], [], TIMEOUT)
        if not ready:
            proc.kill()
            proc.wait()
            self.proc = None
            raise TimeoutError(f"pandoc took longer than {TIMEOUT} s")

    def _read_line(self, proc: subprocess.Popen) -> bytes:
        out = bytearray()
        while not out.endswith(b"\n"):
            self._wait(proc)
            c = proc.stdout.read1(1) if hasattr(proc.stdout, "read1") else proc.stdout.read(1)
            if not c:
                raise OSError("pandoc stopped")
            out += c
        return bytes(out[:-1])

    def _read_exact(self, proc: subprocess.Popen, n: int) -> bytes:
        out = bytearray()
        while len(out) < n:
            self._wait(proc)
            chunk = proc.stdout.read1(n - len(out))
            if not chunk:
                raise OSError("pandoc stopped")
            out += chunk
        return bytes(out)


_KEPT = _Kept()
atexit.register(_KEPT.stop)


class _TooBig(Exception):
    def __init__(self, size: int):
        self.size = size


def _over(path: str, bounds: Bounds, json_size: int | None = None) -> ReadError:
    """The error of a document whose reading passes the bounds that the limit gives."""
    if json_size is None:
        what = f"the markdown needs more than {bounds.heap_mb} MB of pandoc's memory to read"
        value = "text dense in marks"
    else:
        what = "pandoc's tree of the markdown is too large to read"
        value = f"{json_size // 2**20} MB, more than {bounds.json_bytes // 2**20} MB"
    return exceeded(what, value, bounds.what, bounds.limit, Span(path, 1, 1))


def to_json(text: str, fmt: str, path: str, bounds: Bounds = DEFAULT_BOUNDS,
            prepare: Callable[[bytes], bytes] | None = None) -> dict:
    """Pandoc's JSON AST of ``text`` read as ``fmt`` (see the module docstring);
    ``prepare``, if given, is applied to pandoc's JSON text before it is parsed."""
    once = text.encode("utf-8")
    # what pandoc's command line does to what it reads: the text ends with a newline,
    # and one more follows it (positions at the end are counted so)
    data = once + (b"\n" if once.endswith(b"\n") else b"\n\n")
    with _KEPT.lock:
        _KEPT.calls += 1
        if _KEPT.calls == 1 and (fmt, data) not in _KEPT.sent:
            return _once(once, fmt, path, bounds, prepare)
        for attempt in (1, 2):
            try:
                ok, body = _KEPT.ask(data, fmt, bounds)
                break
            except _TooBig as e:
                raise _over(path, bounds, e.size) from None
            except TimeoutError as e:
                raise ReadError(f"pandoc could not read the markdown: {e}", Span(path, 1, 1)) \
                    from None
            except (OSError, ValueError):
                exhausted = _KEPT.proc is not None and _KEPT.proc.poll() == HEAP_EXHAUSTED
                _KEPT.stop()
                if exhausted:
                    raise _over(path, bounds) from None
                if attempt == 2:
                    raise ReadError("pandoc stopped while reading the markdown",
                                    Span(path, 1, 1)) from None
            except BaseException:            # a timer or an interrupt mid-answer: the pipe
                _KEPT.stop()                 # is out of step, the next document restarts it
                raise
    if not ok:
        message = body.decode("utf-8", "replace").strip()[:200]
        raise ReadError(f"pandoc could not read the markdown: {message}", Span(path, 1, 1))
    return json.loads(prepare(body) if prepare else body)


def send_ahead(text: str, fmt: str) -> None:
    """Have the kept pandoc read ``text`` now, for a :func:`to_json` of the same text and
    format later in this process (the next document of a batch); nothing when the text
    is too long to send without waiting.  A failure here is left for :func:`to_json`."""
    data = text.encode("utf-8")
    data += b"\n" if data.endswith(b"\n") else b"\n\n"  # as to_json sends it
    with _KEPT.lock:
        try:
            _KEPT.send_ahead(data, fmt)
        except (OSError, ValueError):
            _KEPT.stop()


def _once(data: bytes, fmt: str, path: str, bounds: Bounds = DEFAULT_BOUNDS,
          prepare: Callable[[bytes], bytes] | None = None) -> dict:
    """One pandoc process for one document."""
    try:
        proc = subprocess.run([pandoc_path(), "+RTS", f"-M{bounds.heap_mb}m", "-RTS", "-f", fmt,
                               "-t", "json", "--columns=1000"],
                              input=data, capture_output=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ReadError(f"pandoc could not run: {e}", Span(path, 1, 1)) from None
    if proc.returncode == HEAP_EXHAUSTED:
        raise _over(path, bounds)
    if len(proc.stdout) > bounds.json_bytes:
        raise _over(path, bounds, len(proc.stdout))
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()[:200]
        raise ReadError(f"pandoc could not read the markdown: {message}", Span(path, 1, 1))
    return json.loads(prepare(proc.stdout) if prepare else proc.stdout)
