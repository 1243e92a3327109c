"""The linters the project keeps clean: ruff and mypy, as configured in pyproject.toml, run
from the test environment (the `test` extra pins both), each failing with its own report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINTED = ["analyzers", "lsp_server", "tests", "benchmarks", "scripts"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=900)


def test_ruff_check_is_clean() -> None:
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", *LINTED)
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout}{result.stderr}"


def test_mypy_is_clean() -> None:
    # The packages to check come from [tool.mypy]; the cache stays out of the work tree.
    result = _run("mypy", "--cache-dir", "/dev/null")
    assert result.returncode == 0, f"mypy found problems:\n{result.stdout}{result.stderr}"
    assert "Success: no issues found" in result.stdout, result.stdout
