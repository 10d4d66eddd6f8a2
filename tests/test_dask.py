"""A batch on a real Dask cluster: a scheduler and two workers started as separate
processes on 127.0.0.1 (no shared state with this process but the network)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main

pytestmark = pytest.mark.slow

pytest.importorskip("distributed", reason="the dask extra is not installed "
                                          "(pip install 'unres[dask]')")

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "inputs").glob("*.md"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """tcp://127.0.0.1:PORT of a scheduler with two single-threaded workers (no nanny:
    a worker killed stays dead), and the workers' processes."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [subprocess.Popen([sys.executable, "-c", "from distributed.cli.dask_scheduler import "
                               "main; main()", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    address = f"tcp://127.0.0.1:{port}"
    workers = []
    for _ in range(2):
        w = subprocess.Popen([sys.executable, "-c", "from distributed.cli.dask_worker import "
                              "main; main()", address, "--nthreads", "1", "--no-nanny",
                              "--no-dashboard", "--host", "127.0.0.1"], env=env, cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers.append(w)
    procs += workers
    from distributed import Client

    deadline = time.time() + 60
    while True:
        try:
            with Client(address, timeout="2s") as c:
                if len(c.scheduler_info()["workers"]) == 2:
                    break
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError("the Dask cluster did not start")
        time.sleep(0.3)
    yield address, workers
    for p in procs:
        p.kill()
        p.wait(10)


def _sources(tmp_path: Path, n: int) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(n):
        f = INPUTS[i % len(INPUTS)]
        shutil.copy(f, src / f"{i:02d}_{f.name}")
    (src / "broken.en.md").write_bytes(b"\x00\x01 not text")
    return src


def _files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_a_cluster_batch_writes_the_bytes_of_a_local_one(cluster, tmp_path, capsys):
    address, _ = cluster
    src = _sources(tmp_path, 8)
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert main(["convert", str(src), "-o", str(local), "-t", "akn,html,docx", "-j", "1"]) == 1
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(remote), "-t", "akn,html,docx",
                 "--scheduler", address]) == 1
    err = capsys.readouterr().err
    assert "broken.en.md:1:1: error:" in err and "8 converted" in err and "1 failed" in err
    assert _files(remote) == _files(local) and len(_files(local)) == 24
    # the build record is the client's: nothing left to do
    assert main(["convert", str(src), "-o", str(remote), "-t", "akn,html,docx",
                 "--scheduler", address]) == 1
    assert "0 converted, 8 up to date, 1 failed" in capsys.readouterr().err


def test_a_worker_killed_mid_run_loses_no_output(cluster, tmp_path, capsys):
    address, workers = cluster
    src = _sources(tmp_path, 12)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "convert", str(src), "-o",
                          str(out), "-t", "pdf", "--scheduler", address], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not (out.exists() and any(out.glob("*.pdf"))):
        time.sleep(0.05)
    os.kill(workers[0].pid, signal.SIGKILL)
    rc = p.wait(timeout=300)
    err = p.stderr.read().decode()
    assert rc == 1, err                      # the broken file only
    assert "Traceback" not in err
    assert len(list(out.glob("*.pdf"))) == 12, err


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    src = _sources(tmp_path, 1)
    port = _free_port()
    assert main(["convert", str(src), "-o", str(tmp_path / "o"), "--scheduler",
                 f"tcp://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err
    assert "Traceback" not in err
