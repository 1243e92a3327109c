"""Shared fixtures of the editor tests: a small Go module with a nil-map write."""
from __future__ import annotations

from pathlib import Path

import pytest

# A write after non-ASCII text on the same line: the editor must show the diagnostic at the
# right column, which needs the server's UTF-16 positions and the editor's conversion to agree.
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


@pytest.fixture
def go_module(tmp_path: Path) -> Path:
    """A module root with go.mod and the program in cmd/demo/main.go; returns main.go."""
    root = tmp_path / "demo"
    (root / "cmd" / "demo").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/demo\n\ngo 1.19\n")
    main = root / "cmd" / "demo" / "main.go"
    main.write_text(MAIN_GO, encoding="utf-8")
    return main


def write_columns(line: str) -> tuple[int, int]:
    """(byte column, UTF-16 column) where the write starts on `line`."""
    prefix = line[: line.index(WRITE_TEXT)]
    return len(prefix.encode("utf-8")), len(prefix.encode("utf-16-le")) // 2
