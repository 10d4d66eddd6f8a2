"""What the benchmarks share to time an unres command: its environment and its wall and
CPU seconds (its own children, pandoc and worker processes, included)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def unres_env() -> dict[str, str]:
    """The environment of the unres commands measured: this checkout first on the path,
    and bytecode cached as in any installed package (``PYTHONDONTWRITEBYTECODE`` unset:
    otherwise every start compiles unres's modules again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT)}


def children_cpu() -> float:
    """CPU seconds (user and system) of the children waited for so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], **kw) -> tuple[float, float]:
    """Wall and CPU seconds of a command (its own children included); a command that
    fails ends the benchmark with its message."""
    t, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n"
                 + done.stderr.decode("utf-8", "replace")[-2000:])
    return time.perf_counter() - t, children_cpu() - cpu
