"""The Go toolchain as a test oracle: temporary modules, gofmt, go vet, go build, go run.

Every command runs offline (`GOPROXY=off`, `GOTOOLCHAIN=local`) with one GOCACHE per
test session, so repeated builds of the same packages are fast.
"""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

GO_MOD = b"module example.com/fix\n\ngo 1.23\n"  # range over integers and functions, per-iteration loop variables
NIL_MAP_PANIC = "assignment to entry in nil map"
TIMEOUT = 300


@functools.cache
def _session_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="nilmap-gotool-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def go_env() -> dict[str, str]:
    """The environment for go commands: offline, module mode, a per-session cache."""
    env = dict(os.environ)
    cache = _session_dir() / "gocache"
    gopath = _session_dir() / "gopath"
    cache.mkdir(exist_ok=True)
    gopath.mkdir(exist_ok=True)
    env.update(
        GOFLAGS="-mod=mod",
        GOPROXY="off",
        GO111MODULE="on",
        GOTOOLCHAIN="local",
        GOCACHE=str(cache),
        GOPATH=str(gopath),
        GOTELEMETRY="off",
        CGO_ENABLED="0",
    )
    return env


def _run(args: list[str], cwd: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=go_env(), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def write_module(directory: str | Path, files: dict[str, bytes]) -> Path:
    """Write `files` (paths relative to the module root) and a go.mod unless given."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    if "go.mod" not in files:
        (root / "go.mod").write_bytes(GO_MOD)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def gofmt_l(directory: str | Path) -> list[str]:
    """The files under `directory` that gofmt would change (`gofmt -l`), relative paths.

    A file gofmt cannot parse is listed too, with its error.
    """
    result = _run(["gofmt", "-l", "."], directory)
    listed = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0:
        listed.extend(line for line in result.stderr.splitlines() if line.strip())
    return listed


def gofmt_w(directory: str | Path) -> tuple[int, str]:
    """Rewrite the files under `directory` as gofmt formats them: (return code, stderr)."""
    result = _run(["gofmt", "-w", "."], directory)
    return result.returncode, result.stderr


def go_vet(directory: str | Path, packages: str = "./...") -> tuple[int, str]:
    """`go vet` on the module at `directory`: (return code, combined output)."""
    result = _run(["go", "vet", packages], directory)
    return result.returncode, result.stdout + result.stderr


def go_build(directory: str | Path, packages: str = "./...") -> tuple[int, str]:
    """`go build` (binaries discarded): (return code, combined output)."""
    result = _run(["go", "build", packages], directory)
    return result.returncode, result.stdout + result.stderr


def go_build_into(directory: str | Path, packages: str, bin_dir: str | Path) -> tuple[int, str]:
    """Build every main package of `packages` into `bin_dir` (one executable per package,
    named after its directory): (return code, combined output)."""
    result = _run(["go", "build", "-o", f"{Path(bin_dir).resolve()}{os.sep}", packages], directory)
    return result.returncode, result.stdout + result.stderr


def go_run(directory: str | Path, package: str = ".") -> tuple[int, str]:
    """`go run` a main package: (return code, stderr). A nil-map panic exits with 2."""
    result = _run(["go", "run", package], directory)
    return result.returncode, result.stderr


def panics_with_nil_map_write(directory: str | Path, package: str = ".") -> bool:
    """Whether running the program dies of `assignment to entry in nil map`."""
    code, stderr = go_run(directory, package)
    return code != 0 and NIL_MAP_PANIC in stderr


def have_go() -> bool:
    """Whether `go` and `gofmt` are on PATH (the tests require them, they do not skip)."""
    return shutil.which("go") is not None and shutil.which("gofmt") is not None
