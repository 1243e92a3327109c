"""Shared test setup: `tests/` on the import path, so helpers such as `gotool` import plainly,
and the Go that `scripts/setup-dev.sh` fetched first on PATH when the machine's own is too old."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

# The fixtures need Go 1.23 (range over integers and functions); setup-dev.sh fetches a
# pinned Go into this folder when the machine has none that new (Debian 12 has 1.19).
GO_CACHE = Path(os.environ.get("NILMAP_GO_CACHE") or Path.home() / ".cache" / "nilmap-go")
MIN_GO_MINOR = 23


def _go_minor(go: str) -> int | None:
    try:
        out = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "GOTOOLCHAIN": "local"}).stdout
    except OSError:
        return None
    found = re.match(r"go1\.(\d+)", out.strip())
    return int(found.group(1)) if found else None


def _use_fetched_go_if_needed() -> None:
    go = shutil.which("go")
    fetched = GO_CACHE / "go" / "bin"
    if (go is None or (_go_minor(go) or 0) < MIN_GO_MINOR) and (fetched / "go").exists():
        os.environ["PATH"] = f"{fetched}{os.pathsep}{os.environ.get('PATH', '')}"


_use_fetched_go_if_needed()
