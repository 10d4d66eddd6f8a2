"""A batch on a Dask cluster (``unres convert ... --scheduler tcp://HOST:PORT``).

The cluster only computes: each task gets a source's bytes and returns its
outputs' bytes (:func:`pipeline.produce.produce`), so workers need no shared file
system and never see a path of this machine.  Everything that touches the disk
stays here: the output gate, the whole-set writes, the build record, the
progress and the summary, exactly as in a local run, so a cluster run and a local
run give the same files.

- Dask reruns the task of a worker that dies on another worker (its
  ``allowed-failures``); a task that keeps killing workers fails alone, named.
- A bad document fails alone with its position, as locally.
- At most a few tasks per worker are in flight, so the client holds a bounded
  number of sources' bytes in memory whatever the batch's size.
- The workers must run the same unres (same code, data and styles): that is
  checked when the client connects, since a different one would write other bytes
  under the same build key.

``timeout`` is not enforced on the cluster (Dask runs tasks in worker threads,
which cannot be interrupted); use the cluster's own limits.  Requires the optional
dependency ``distributed`` (``pip install unres[dask]``).
"""

from __future__ import annotations

from typing import Callable, Iterator

from .ast import Span
from .errors import UsageError

#: tasks in flight per worker thread
_WINDOW = 3


def connect(address: str):
    """A client of the scheduler at ``address``, checked to run this very unres."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs the distributed package: pip install 'unres[dask]'",
                         Span("--scheduler", 1, 1)) from None
    from .cache import pipeline_digest

    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {e}",
                         Span("--scheduler", 1, 1)) from None
    try:
        digests = client.run(_digest)
    except Exception as e:  # noqa: BLE001 - a worker without unres
        client.close()
        raise UsageError(f"the Dask workers cannot run unres ({type(e).__name__}: {e}); "
                         f"install the same unres on them", Span("--scheduler", 1, 1)) from None
    if not digests:
        client.close()
        raise UsageError(f"the Dask scheduler at {address} has no workers",
                         Span("--scheduler", 1, 1))
    ours = pipeline_digest()
    other = sorted(w for w, d in digests.items() if d != ours)
    if other:
        client.close()
        raise UsageError(f"the Dask worker {other[0]} runs another version of unres (its code, "
                         f"language data or styles differ); install this one on every worker",
                         Span("--scheduler", 1, 1))
    return client


def _digest() -> str:
    from .cache import pipeline_digest

    return pipeline_digest()


def _task(data: bytes, name: str, formats: tuple[str, ...], read_options, write_options) -> dict:
    """On a worker: one source's bytes in, its outputs' bytes (or its error) out."""
    from .produce import produce_result

    return produce_result(data, name, formats, read_options, write_options)


def run(client, tasks: list[tuple[Callable[[], bytes], str, tuple[str, ...]]], job,
        stop: Callable[[], bool]) -> Iterator[tuple[int, dict]]:
    """Yield ``(index, result)`` (see :func:`pipeline.produce.produce_result`) as tasks
    finish on the cluster.

    ``tasks`` are (a function giving the source's bytes, its name, its formats): bytes
    are read only when the task is submitted.  When ``stop()`` turns true no more
    tasks are submitted; those running finish."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError

    from .produce import failure_result
    from .errors import PipelineError

    width = max(1, sum(client.nthreads().values()) * _WINDOW)
    pending = iter(range(len(tasks)))
    index_of: dict[str, int] = {}
    done = as_completed(loop=client.loop)

    def refill() -> Iterator[tuple[int, dict]]:
        """Submit until ``width`` tasks are in flight; yield what could not be read."""
        while len(index_of) < width and not stop():
            i = next(pending, None)
            if i is None:
                return
            read, name, formats = tasks[i]
            try:
                data = read()
            except PipelineError as e:
                yield i, failure_result(e)
                continue
            fut = client.submit(_task, data, name, formats, job.read_options,
                                job.write_options, pure=False, retries=1)
            index_of[fut.key] = i
            done.add(fut)

    try:
        yield from refill()
        for fut in done:
            i = index_of.pop(fut.key)
            try:
                result = fut.result()
            except FutureCancelledError:
                continue
            except Exception as e:  # noqa: BLE001 - KilledWorker and the like: this file fails
                result = {"status": "failed", "outputs": {}, "diagnostics": [], "error": None,
                          "seconds": 0.0, "lost": f"the cluster could not convert it "
                                                  f"({type(e).__name__}: {str(e)[:200]})"}
            yield i, result
            yield from refill()
    finally:
        for fut in list(done.futures):
            fut.cancel()
