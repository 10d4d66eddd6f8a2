"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit tool on a fresh
repository of resolution sources, as a new user would set them up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.precommit

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> tuple[Path, dict, str]:
    """A directory for the module's repositories, the environment to run git and
    pre-commit in, and the commit the hooks are installed from.  The pre-commit home is
    the run's, shared by the test processes of pytest-xdist: the hook environment is
    installed once (pre-commit installs under a lock, and the others wait for it)."""
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is a test dependency and is missing beside {sys.executable}")
    head = git(ROOT, "rev-parse", "HEAD")
    if head.returncode != 0 or git(ROOT, "status", "--porcelain", ".pre-commit-hooks.yaml",
                                   "pipeline", "styles", "pyproject.toml").stdout.strip():
        pytest.skip("the hooks are installed from a commit: commit the work tree first")
    base = tmp_path_factory.mktemp("precommit")
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent            # <run>/popen-gw0, <run>/popen-gw1, ...
    env = {**os.environ, "PRE_COMMIT_HOME": str(run / "pre-commit-home"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return base, env, head.stdout.strip()


def new_repo(home: tuple[Path, dict, str], name: str, hooks: str) -> Path:
    """A fresh repository of resolution sources with ``hooks`` of this repository
    installed as a user would."""
    base, env, head = home
    repo = base / name
    (repo / "res").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n{hooks}", "utf-8")
    r = subprocess.run([str(PRE_COMMIT), "install"], cwd=repo, env=env, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return repo


@pytest.fixture(scope="module")
def repo(home) -> tuple[Path, dict]:
    return new_repo(home, "resolutions", "  - id: unres-lint\n  - id: unres-fmt\n"
                    "  - id: unres-build\n    args: [-t, akn, -o, published]\n"), home[1]


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


def test_build_hook_environment_writes_every_format(home):
    """The hook's own environment (the package installed by pre-commit, not the work
    tree) converts the seed to AKN, HTML, PDF and DOCX: with no build record, ``unres
    convert --check`` writes every output again and compares the bytes."""
    repo = new_repo(home, "published-in-every-format", "  - id: unres-build\n"
                    "    args: [-t, 'akn,html,pdf,docx', -o, published]\n")
    env = home[1]
    src = repo / "res" / "A_RES_71_19.zh.md"
    shutil.copy(ROOT / "inputs" / src.name, src)
    subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", "res", "-t",
                    "akn,html,pdf,docx", "-o", "published", "-q"], cwd=repo, check=True,
                   env={**env, "PYTHONPATH": str(ROOT)})
    records = list((repo / "published").rglob(".unres-cache.json"))
    assert records
    for record in records:
        record.unlink()
    outputs = {p.name: p for p in (repo / "published").rglob("*")
               if p.is_file() and not p.name.startswith(".")}
    assert sorted(outputs) == sorted(f"A_RES_71_19.zh.{x}"
                                     for x in ("akn.xml", "html", "pdf", "docx"))
    r = commit(repo, env, "publish the seed")
    assert r.returncode == 0, r.stdout
    assert "unres build" in r.stdout and "Passed" in r.stdout
    # one output changed behind the hook's back (and staged, or pre-commit would set it
    # aside): the hook names that one, and only that one
    stale = outputs["A_RES_71_19.zh.pdf"]
    stale.write_bytes(stale.read_bytes() + b"\n")
    git(repo, "add", "-A")
    r = subprocess.run([str(PRE_COMMIT), "run", "unres-build", "--files", f"res/{src.name}"],
                       cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=900)
    assert r.returncode != 0
    stale_lines = [x for x in r.stdout.splitlines() if "is out of date" in x]
    assert len(stale_lines) == 1, r.stdout
    assert f"{stale.relative_to(repo).as_posix()} is out of date" in stale_lines[0], r.stdout


# ---------------------------------------------------------------- a new user's repository

README = "# Our resolutions\n\nSources in `res/`; `outputs/` is made by unres.\n"
FORMATS = "akn,html,pdf,docx"


def unres(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    """The user's own ``unres`` (this work tree's), run in their repository."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=repo,
                          env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=900)


@pytest.fixture(scope="module")
def adopter(repo, tmp_path_factory) -> tuple[Path, dict]:
    """A fresh git repository with a README, sources under res/ and the three hooks of
    this repository (the build hook checking akn, html, pdf and docx), as the README
    tells a user to set it up."""
    _, env = repo                              # the same pre-commit home: one hook install
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    repo = tmp_path_factory.mktemp("adopter") / "resolutions"
    (repo / "res").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "README.md").write_text(README, "utf-8")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n"
        "  - id: unres-lint\n  - id: unres-fmt\n  - id: unres-build\n"
        f"    args: [-t, \"{FORMATS}\", -o, outputs]\n", "utf-8")
    r = subprocess.run([str(PRE_COMMIT), "install"], cwd=repo, env=env, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return repo, env


def outputs_of(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in (repo / "outputs").rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def test_a_new_repository_with_the_three_hooks(adopter):
    repo, env = adopter
    src = repo / "res" / "A_RES_80_901.en.md"
    shutil.copy(ROOT / "inputs" / src.name, src)
    r = unres(repo, env, "fmt", "res")
    assert r.returncode == 0, r.stderr
    # the outputs as `unres convert . -o outputs` makes them: the README is no source
    r = unres(repo, env, "convert", ".", "-t", FORMATS, "-o", "outputs", "-q")
    assert r.returncode == 0, r.stderr
    assert "README" not in r.stderr
    assert outputs_of(repo) == [f"outputs/res/A_RES_80_901.en.{x}"
                                for x in ("akn.xml", "docx", "html", "pdf")]

    # a clean commit passes, each hook saying so
    r = commit(repo, env, "our first resolution")
    assert r.returncode == 0, r.stdout
    for hook in ("unres lint", "unres fmt", "unres build"):
        assert any(x.startswith(hook) and x.endswith("Passed") for x in r.stdout.splitlines()), \
            r.stdout
    # a commit of the README alone: no hook has a file to check
    (repo / "README.md").write_text(README + "\nMore to come.\n", "utf-8")
    r = commit(repo, env, "readme")
    assert r.returncode == 0, r.stdout

    # a lint error stops the commit with FILE:LINE:COL
    text = src.read_text("utf-8")
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines, 1) if t.startswith("*Reaffirming*"))
    assert lines[line - 1].endswith("for all,")
    broken = text.replace("for all,\n", "for all;\n", 1)
    src.write_text(broken, "utf-8")
    assert unres(repo, env, "convert", ".", "-t", FORMATS, "-o", "outputs", "-q").returncode == 0
    r = commit(repo, env, "a recital ending in a semicolon")
    assert r.returncode != 0
    assert f"res/A_RES_80_901.en.md:{line}:1: UN101 preambular paragraph should end with ','" \
        in r.stdout
    assert "unres build" in r.stdout and "is out of date" not in r.stdout

    # the same rule suppressed for that paragraph: the commit passes (as fmt writes the
    # comment: on its own line, a blank line before the paragraph)
    at = broken.index("*Reaffirming*")
    src.write_text(broken[:at] + "<!-- unres: ignore UN101 -->\n\n" + broken[at:], "utf-8")
    assert unres(repo, env, "fmt", "--check", str(src.relative_to(repo))).returncode == 0
    assert unres(repo, env, "convert", ".", "-t", FORMATS, "-o", "outputs", "-q").returncode == 0
    r = commit(repo, env, "the semicolon is meant")
    assert r.returncode == 0, r.stdout
    assert b"unres: ignore" not in (repo / "outputs" / "res" / "A_RES_80_901.en.html").read_bytes()

    # fmt stops a source that is not in the canonical form (the seed's shape) and rewrites it
    seed = repo / "res" / "zh" / "A_RES_71_19.zh.md"
    seed.parent.mkdir()
    shutil.copy(ROOT / "inputs" / seed.name, seed)
    assert unres(repo, env, "convert", ".", "-t", FORMATS, "-o", "outputs", "-q").returncode == 0
    original = seed.read_bytes()
    r = commit(repo, env, "the seed")
    assert r.returncode != 0
    assert any(x.startswith("unres fmt") and x.endswith("Failed") for x in r.stdout.splitlines())
    assert "formatted res/zh/A_RES_71_19.zh.md" in r.stdout
    assert seed.read_bytes() != original
    # the rewritten source gives the same resolution: the outputs already made agree
    r = unres(repo, env, "convert", ".", "-t", FORMATS, "-o", "outputs", "--check")
    assert r.returncode == 0, r.stderr
    r = commit(repo, env, "the seed, formatted")
    assert r.returncode == 0, r.stdout

    # the build hook and `unres convert . -o outputs` agree: on the same paths, and on
    # what is up to date (the hook's own environment, with no build record, too)
    assert outputs_of(repo) == sorted(
        [f"outputs/res/A_RES_80_901.en.{x}" for x in ("akn.xml", "docx", "html", "pdf")]
        + [f"outputs/res/zh/A_RES_71_19.zh.{x}" for x in ("akn.xml", "docx", "html", "pdf")])
    for record in (repo / "outputs").rglob(".unres-cache.json"):
        record.unlink()
    r = subprocess.run([str(PRE_COMMIT), "run", "unres-build", "--all-files"], cwd=repo, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert r.returncode == 0, r.stdout
    # a source changed and its outputs not made again: both say which are out of date
    src.write_text(src.read_text("utf-8").replace("road safety education", "road-safety "
                                                  "education", 1), "utf-8")
    r = subprocess.run([str(PRE_COMMIT), "run", "unres-build", "--all-files"], cwd=repo, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert r.returncode != 0
    hook_says = sorted(x.split(" error: ")[1].split()[0] for x in r.stdout.splitlines()
                       if "is out of date" in x)
    r = unres(repo, env, "convert", ".", "-t", FORMATS, "-o", "outputs", "--check")
    assert r.returncode == 1
    command_says = sorted(x.split(" error: ")[1].split()[0] for x in r.stderr.splitlines()
                          if "is out of date" in x)
    assert hook_says == command_says == [f"outputs/res/A_RES_80_901.en.{x}"
                                         for x in ("akn.xml", "docx", "html", "pdf")]
