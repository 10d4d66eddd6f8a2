"""The package as users install it: every package and style file listed in pyproject.toml,
and a wheel, installed into a new virtual environment, converting the seed to every format
with nothing of the work tree (issue 10, item 8)."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
SEED = ROOT / "inputs" / "A_RES_71_19.zh.md"
FORMATS = {"akn": "akn.xml", "html": "html", "pdf": "pdf", "docx": "docx"}


def _dirs(top: Path) -> list[Path]:
    return sorted(d for d in [top, *top.rglob("*")]
                  if d.is_dir() and "__pycache__" not in d.parts)


def _source_files() -> list[Path]:
    """The files a clean clone would hold, with this work tree's content: tracked files
    and new ones not ignored (all of pipeline/ and styles/ without git)."""
    r = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                       cwd=ROOT, capture_output=True, text=True)
    if r.returncode == 0:
        return sorted(ROOT / f for f in r.stdout.split("\0") if f and (ROOT / f).is_file())
    return sorted(f for top in ("pipeline", "styles") for f in (ROOT / top).rglob("*")
                  if f.is_file() and "__pycache__" not in f.parts) + \
        [ROOT / "pyproject.toml", ROOT / "README.md"]


# ---------------------------------------------------------------- pyproject.toml

def test_every_package_directory_is_listed() -> None:
    listed = set(SETUPTOOLS["packages"])
    assert SETUPTOOLS["package-dir"] == {"pipeline.styles": "styles"}
    code = {".".join(d.relative_to(ROOT).parts) for d in _dirs(ROOT / "pipeline")
            if (d / "__init__.py").is_file()}
    styles = {".".join(("pipeline", "styles") + d.relative_to(ROOT / "styles").parts)
              for d in _dirs(ROOT / "styles")}
    assert "pipeline.lang" in code and "pipeline.styles.docx.word._rels" in styles
    assert sorted(code | styles) == sorted(listed), \
        f"missing: {sorted((code | styles) - listed)}; not there: {sorted(listed - code - styles)}"


def test_every_code_directory_is_a_package() -> None:
    """A directory of modules without __init__.py would be left out of the wheel."""
    for d in _dirs(ROOT / "pipeline"):
        if any(d.glob("*.py")):
            assert (d / "__init__.py").is_file(), f"{d.relative_to(ROOT)} has no __init__.py"


def _glob(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Whether a path matches a package-data glob as setuptools reads it: ``**`` is any
    number of directories, and a name starting with a dot matches only a pattern that
    does."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob(parts[i:], pattern[1:]) for i in range(len(parts) + 1))
    if not parts or (parts[0].startswith(".") and not pattern[0].startswith(".")):
        return False
    return fnmatch.fnmatchcase(parts[0], pattern[0]) and _glob(parts[1:], pattern[1:])


def test_every_data_file_is_package_data() -> None:
    """Files of pipeline/ and styles/ other than modules match a package-data pattern."""
    data = SETUPTOOLS["package-data"]
    for f in _source_files():
        rel = f.relative_to(ROOT)
        if rel.parts[0] not in ("pipeline", "styles") or f.suffix == ".py":
            continue
        package = "pipeline.styles" if rel.parts[0] == "styles" else "pipeline"
        patterns = data.get(package, [])
        assert any(_glob(rel.parts[1:], tuple(PurePosixPath(p).parts)) for p in patterns), \
            f"{rel} matches no package-data pattern of {package}"


# ---------------------------------------------------------------- a wheel, installed

def _run(*cmd, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{r.stdout}\n{r.stderr}"
    return r


@pytest.mark.packaging
def test_wheel_in_a_new_environment_converts_the_seed_to_every_format(tmp_path) -> None:
    # the source as a clean clone has it, outside the work tree (the build writes into it)
    src = tmp_path / "src"
    for f in _source_files():
        dest = src / f.relative_to(ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest)
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src)
    (wheel,) = dist.glob("unres-*.whl")

    # every style file and every language file is inside the wheel, in the package
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for f in _source_files():
        rel = f.relative_to(ROOT)
        if rel.parts[0] == "styles":
            assert "pipeline/" + rel.as_posix() in names, f"{rel} is not in the wheel"
        elif rel.parts[0] == "pipeline" and "__pycache__" not in rel.parts:
            assert rel.as_posix() in names, f"{rel} is not in the wheel"

    # a new environment holding the wheel alone; its dependencies are the project
    # environment's, reached through a .pth (which does not run that environment's
    # editable install of the work tree)
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                   .stdout.strip())
    (purelib / "unres-test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "--quiet", wheel)

    # run from a directory outside the repository, with nothing of it on the path
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED, elsewhere / SEED.name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = _run(python, "-c", "import pipeline, pipeline.resources as r; "
                 "print(pipeline.__file__); print(r.STYLES)", cwd=elsewhere, env=env)
    module, styles = (Path(x) for x in where.stdout.split())
    assert module.is_relative_to(venv), f"pipeline comes from {module}, not the wheel"
    assert styles.is_relative_to(venv) and (styles / "css" / "print.css").is_file(), styles

    # the seed to every format, by the installed command and by the work tree's
    # command at the same time: the same bytes
    runs = {name: subprocess.Popen(
        [str(exe), "convert", SEED.name, "-t", ",".join(FORMATS), "-o", name, "-q"],
        cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, exe in (("wheel", venv / "bin" / "unres"),
                          ("tree", Path(sys.executable).with_name("unres")))}
    for name, p in runs.items():
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, f"unres convert ({name}) failed:\n{out}\n{err}"
    stem = SEED.name.removesuffix(".md")
    for fmt, ext in FORMATS.items():
        made = elsewhere / "wheel" / f"{stem}.{ext}"
        assert made.is_file() and made.stat().st_size > 1000, f"no {fmt} output"
        assert made.read_bytes() == (elsewhere / "tree" / f"{stem}.{ext}").read_bytes(), \
            f"the installed package writes other {fmt} bytes than the work tree"
