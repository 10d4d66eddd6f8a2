"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit tool on a fresh
repository of resolution sources, as a new user would set them up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, dict]:
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is a test dependency and is missing beside {sys.executable}")
    head = git(ROOT, "rev-parse", "HEAD")
    if head.returncode != 0 or git(ROOT, "status", "--porcelain", ".pre-commit-hooks.yaml",
                                   "pipeline", "pyproject.toml").stdout.strip():
        pytest.skip("the hooks are installed from a commit: commit the work tree first")
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "resolutions"
    (repo / "res").mkdir(parents=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head.stdout.strip()}\n  hooks:\n"
        "  - id: unres-lint\n  - id: unres-fmt\n  - id: unres-build\n"
        "    args: [-t, akn, -o, published]\n", "utf-8")
    r = subprocess.run([str(PRE_COMMIT), "install"], cwd=repo, env=env, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return repo, env


def commit(repo: Path, env: dict, message: str) -> subprocess.CompletedProcess:
    git(repo, "add", "-A")
    r = subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    return r        # what the user sees, in one stream


def test_good_commit_passes_and_bad_ones_stop_with_positions(repo):
    repo, env = repo
    src = repo / "res" / "A_RES_80_901.en.md"
    shutil.copy(ROOT / "inputs" / src.name, src)
    # the seed's shape is not the canonical form: fmt rewrites it and stops the commit
    r = commit(repo, env, "add a source")
    assert r.returncode != 0
    assert "unres fmt" in r.stdout and "Failed" in r.stdout
    # build the outputs the unres-build hook expects, then commit the formatted source
    subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", "res", "-t", "akn", "-o",
                    "published", "-q"], cwd=repo, check=True, env={**env, "PYTHONPATH": str(ROOT)})
    r = commit(repo, env, "add a source")
    assert r.returncode == 0, r.stdout
    # an editorial fault: lint stops the commit and points at the line
    text = src.read_text("utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("*Reaffirming*"))
    src.write_text(text.replace("for all,\n", "for all\n", 1), "utf-8")
    r = commit(repo, env, "break a recital")
    assert r.returncode != 0
    assert f"res/A_RES_80_901.en.md:{line}:1: UN101" in r.stdout
    # the outputs are stale now too: the build hook says which
    assert "is out of date" in r.stdout
