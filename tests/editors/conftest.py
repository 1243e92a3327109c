"""Shared fixtures of the editor tests: a small Go module with a nil-map write."""
from __future__ import annotations

from pathlib import Path

import pytest
from editor_tools import MAIN_GO


@pytest.fixture
def go_module(tmp_path: Path) -> Path:
    """A module root with go.mod and the program in cmd/demo/main.go; returns main.go."""
    root = tmp_path / "demo"
    (root / "cmd" / "demo").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/demo\n\ngo 1.19\n")
    main = root / "cmd" / "demo" / "main.go"
    main.write_text(MAIN_GO, encoding="utf-8")
    return main
