"""Running `nilmap` as a subprocess in tests, with a result cache of its own."""
from __future__ import annotations

import atexit
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

BUG = "package main\n\nfunc main() {\n\tvar m map[string]int\n\tm[\"a\"] = 1\n}\n"
CLEAN = "package main\n\nfunc main() {\n\tm := map[string]int{}\n\tm[\"a\"] = 1\n}\n"

_CACHE = pathlib.Path(tempfile.mkdtemp(prefix="nilmap-test-cache-"))  # never the user's cache
atexit.register(shutil.rmtree, _CACHE, True)


def nilmap_env(cache: pathlib.Path | None = None) -> dict[str, str]:
    return {**os.environ, "NILMAP_CACHE_DIR": str(cache or _CACHE)}


def nilmap(*args: str, cwd: pathlib.Path | str = ".", cache: pathlib.Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analyzers.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=nilmap_env(cache)
    )


def write(directory: pathlib.Path, files: dict[str, str | bytes]) -> pathlib.Path:
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return directory
