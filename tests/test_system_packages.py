"""``make setup``'s system packages (``make/system-packages.sh``): as root with apt-get
they are installed; otherwise the user is told which are needed and given one command,
on one line, to paste.  Run against stand-ins for id, dpkg-query and the package
managers on a PATH of their own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "make" / "system-packages.sh"
PACKAGES = ["fonts-noto-cjk", "fonts-noto-core", "fonts-liberation2", "poppler-utils",
            "libharfbuzz-subset0"]


def system(tmp_path: Path, *, uid: int, have: tuple[str, ...], installed: bool = False,
           dpkg: bool = True) -> dict:
    """An environment whose PATH holds the basic tools and stand-ins for ``have``."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("grep", "sed", "ls", "cat"):
        (bin_ / tool).symlink_to(shutil.which(tool))
    stubs = {"id": f"echo {uid}",
             "apt-get": f'echo "apt-get $*" >> {tmp_path}/ran',
             "fc-list": "true", "ldconfig": "true"}
    if dpkg:
        stubs["dpkg-query"] = "printf 'install ok installed'" if installed else "exit 1"
    for name in have:
        stubs.setdefault(name, "true")
    for name, body in stubs.items():
        if name in ("apt-get",) and name not in have:
            continue
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)
    return {"PATH": str(bin_), "HOME": str(tmp_path)}


def run(env: dict, packages=PACKAGES) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", str(SCRIPT), *packages], env=env, capture_output=True,
                          text=True, timeout=60)


def command_line(out: str) -> str:
    lines = out.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("Install them with"))
    return lines[at + 1].strip()


def test_nothing_to_do_when_everything_is_there(tmp_path):
    r = run(system(tmp_path, uid=1000, have=("apt-get",), installed=True))
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_root_with_apt_installs(tmp_path):
    r = run(system(tmp_path, uid=0, have=("apt-get",)))
    assert r.returncode == 0, r.stderr
    ran = (tmp_path / "ran").read_text().splitlines()
    assert ran[0] == "apt-get update -qq"
    assert ran[1] == "apt-get install -y -qq " + " ".join(PACKAGES)


@pytest.mark.parametrize("have, expected", [
    (("apt-get", "sudo"), "sudo apt-get update && sudo apt-get install -y " + " ".join(PACKAGES)),
    (("apt-get",), "su -c 'apt-get update && apt-get install -y " + " ".join(PACKAGES) + "'"),
    (("dnf", "sudo"), "sudo dnf install -y google-noto-serif-cjk-fonts "
                      "google-noto-naskh-arabic-fonts liberation-serif-fonts poppler-utils "
                      "harfbuzz"),
    (("pacman", "sudo"), "sudo pacman -S --needed --noconfirm noto-fonts-cjk noto-fonts "
                         "ttf-liberation poppler harfbuzz"),
    (("brew",), "brew install font-noto-serif-cjk-sc font-noto-naskh-arabic font-liberation "
                "poppler harfbuzz"),
])
def test_not_root_or_no_apt_prints_one_command_to_paste(tmp_path, have, expected):
    r = run(system(tmp_path, uid=1000, have=have, dpkg="apt-get" in have))
    assert r.returncode == 1
    assert command_line(r.stdout) == expected
    # and which packages are needed, with what each is for
    assert "  fonts-noto-cjk (Noto Serif CJK, for Chinese in the PDF)" in r.stdout
    assert "  poppler-utils (pdftotext and pdftoppm, for reading PDFs)" in r.stdout
    assert not (tmp_path / "ran").exists()


def test_no_known_package_manager_still_names_the_packages(tmp_path):
    r = run(system(tmp_path, uid=1000, have=(), dpkg=False))
    assert r.returncode == 1
    assert "none of apt-get, dnf, pacman or brew" in r.stdout
    assert "  libharfbuzz-subset0 (HarfBuzz's subsetter" in r.stdout


def test_without_dpkg_what_a_package_gives_counts(tmp_path):
    env = system(tmp_path, uid=1000, have=("dnf", "sudo", "pdftoppm"), dpkg=False)
    (Path(env["PATH"]) / "fc-list").write_text(
        "#!/bin/sh\necho 'x.ttc: Noto Serif CJK SC:style=Regular'\n"
        "echo 'y.ttf: Liberation Serif:style=Regular'\n")
    r = run(env)
    assert r.returncode == 1
    assert command_line(r.stdout) == "sudo dnf install -y google-noto-naskh-arabic-fonts harfbuzz"


def test_make_setup_calls_it_with_the_packages():
    # Under `make test` the environment says MAKELEVEL=1, and a sub-make would print
    # "Entering directory" lines around what it runs.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    make = subprocess.run(["make", "--no-print-directory", "-n", "system-packages"], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    assert make.returncode == 0
    assert make.stdout.strip() == "sh make/system-packages.sh " + " ".join(PACKAGES)
