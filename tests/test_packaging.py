"""The wheel and the sdist, built from the repository as PyPI would get them, each installed
alone into a fresh virtual environment and run: the commands work, the licence travels with
them, and nothing but nilmap's own two packages is installed at the top level."""
from __future__ import annotations

import subprocess
import sys
import tarfile
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "nil_map_write" / "var_never_made"


def _run(cmd: list[str], cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin" / "python"


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Wheel and sdist built by the PEP 517 backend pyproject.toml names, in an environment
    holding only what its [build-system] requires."""
    work = tmp_path_factory.mktemp("dist")
    python = _fresh_venv(work / "build-env")
    import tomllib

    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    installed = _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requires])
    assert installed.returncode == 0, installed.stderr
    out = work / "out"
    # The backend logs on stdout (and rewrites sys.argv): the names it returns go to a file.
    build = (
        "import sys, pathlib; from setuptools import build_meta as b; out, names = sys.argv[1:3]; "
        "pathlib.Path(names).write_text(b.build_sdist(out) + ' ' + b.build_wheel(out))"
    )
    # From a copy of the tracked files, as a clean checkout would be.
    source = work / "src"
    archive = _run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    for name in filter(None, archive.stdout.split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((REPO / name).read_bytes())
    built = _run([str(python), "-c", build, str(out), str(work / "names")], cwd=source)
    assert built.returncode == 0, built.stderr[-3000:]
    sdist_name, wheel_name = (work / "names").read_text().split()
    yield {"sdist": out / sdist_name, "wheel": out / wheel_name, "work": work}


def test_wheel_contents_and_metadata(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = wheel.namelist()
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = wheel.read(metadata).decode()
        licence = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert licence and wheel.read(licence[0]) == (REPO / "LICENSE").read_bytes()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"analyzers", "lsp_server"}
    assert "analyzers/queries/map_writes.scm" in names
    assert "License-Expression: MIT" in meta and "License-File: LICENSE" in meta
    assert "Requires-Python: >=3.11" in meta
    assert (REPO / "LICENSE").read_text().startswith("MIT License")


def test_sdist_carries_the_licence(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {"LICENSE", "README.md", "pyproject.toml", "analyzers/queries/map_writes.scm"} <= names


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_alone_it_runs(kind: str, dists: dict[str, Path]) -> None:
    python = _fresh_venv(dists["work"] / f"{kind}-env")
    installed = _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(dists[kind])])
    assert installed.returncode == 0, installed.stderr[-3000:]
    bin_dir = python.parent
    version = _run([str(bin_dir / "nilmap"), "--version"])
    assert version.returncode == 0 and version.stdout.startswith("nilmap 0.")
    assert _run([str(bin_dir / "nilmap-lsp"), "--version"]).stdout.startswith("nilmap-lsp 0.")
    check = _run([str(bin_dir / "nilmap"), "check", "--no-cache", "."], cwd=FIXTURE)
    assert check.returncode == 1 and ": NM001 write to nil map" in check.stdout, check.stdout + check.stderr
