"""Puts nilmap's language server and its dependencies into `bundled/libs` for one VS Code
platform target, so that the extension runs it with any Python 3.11+ and nothing installed.

nilmap's wheel is built from this repository; its dependencies come from PyPI as wheels for
the target's platform. tree-sitter's native extension is built per CPython version, and its
files are named for the version (`_binding.cpython-312-...so`), so the wheels of every
supported version are unpacked into the same tree: each Python imports its own. Everything
else must be the same file in every version's wheel set, which this checks.

    python3 scripts/bundle_server.py --target linux-x64      # then: vsce package --target linux-x64

Needs pip and access to PyPI (or a pip cache holding the wheels).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent
LIBS = HERE / "bundled" / "libs"
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
PIP_ENV = {**os.environ, "PIP_ROOT_USER_ACTION": "ignore"}  # pip only fills a folder here

# VS Code's platform targets (`vsce package --target`) and the wheel platform tags they run.
PLATFORMS: dict[str, tuple[str, ...]] = {
    "linux-x64": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64"),
    "linux-arm64": ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"),
    "alpine-x64": ("musllinux_1_2_x86_64", "musllinux_1_1_x86_64"),
    "alpine-arm64": ("musllinux_1_2_aarch64", "musllinux_1_1_aarch64"),
    "darwin-x64": tuple(f"macosx_{v}_x86_64" for v in ("10_9", "10_13", "11_0", "12_0")) + ("macosx_10_9_universal2",),
    "darwin-arm64": tuple(f"macosx_{v}_arm64" for v in ("11_0", "12_0", "14_0")) + ("macosx_10_9_universal2",),
    "win32-x64": ("win_amd64",),
    "win32-arm64": ("win_arm64",),
}


def build_wheel(out: Path) -> Path:
    """nilmap's own wheel, from the repository."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check", "-w", str(out), str(REPO)], check=True, env=PIP_ENV)
    [wheel] = out.glob("nilmap-*.whl")
    return wheel


def install_for(wheel: Path, target: str, python: str, into: Path) -> None:
    """The wheel and its dependencies for one CPython version on the target's platform."""
    platforms = [arg for tag in PLATFORMS[target] for arg in ("--platform", tag)]
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile", "--target", str(into),
         "--only-binary=:all:", "--implementation", "cp", "--python-version", python, *platforms, str(wheel)],
        check=True,
        env=PIP_ENV,
    )


def merge(source: Path, into: Path) -> None:
    """Copy one version's tree into the bundle; a file both have must be the same file,
    except each version's metadata of the package that differs per version."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or relative.parts[0] == "bin":
            continue
        target = into / relative
        if target.exists():
            if not filecmp.cmp(path, target, shallow=False) and not relative.parts[0].endswith(".dist-info"):
                raise SystemExit(f"bundle_server: {relative} differs between Python versions")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, choices=sorted(PLATFORMS), help="VS Code platform target")
    parser.add_argument("--pythons", default=",".join(PYTHONS), help="CPython versions to carry (default %(default)s)")
    args = parser.parse_args(argv)
    pythons = [p for p in args.pythons.split(",") if p]
    shutil.rmtree(LIBS, ignore_errors=True)
    LIBS.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="nilmap-bundle-") as tmp:
        wheel = build_wheel(Path(tmp) / "wheel")
        for python in pythons:
            tree = Path(tmp) / f"cp{python}"
            install_for(wheel, args.target, python, tree)
            merge(tree, LIBS)
    (LIBS / "nilmap_bundle.json").write_text(json.dumps({"target": args.target, "pythons": pythons}, indent=2) + "\n")
    print(f"bundle_server: {args.target}, CPython {', '.join(pythons)} -> {LIBS.relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
