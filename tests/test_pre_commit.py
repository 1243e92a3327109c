"""The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit (`pre-commit try-repo`).

pre-commit clones this repository, installs it into a fresh virtualenv and runs a hook on a small
git repository whose Go program writes to a nil map: `nilmap` fails with the finding,
`nilmap-fix` rewrites the file so the program runs, and after that fix (or a fix by hand)
`nilmap` passes.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gotool import go_run, write_module

ROOT = Path(__file__).resolve().parent.parent
BUG = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n'
HAND_FIXED = BUG.replace("var m map[string]int", "m := map[string]int{}")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """pre-commit's and nilmap's caches in a temporary directory, never the user's."""
    caches = tmp_path_factory.mktemp("caches")
    return {**os.environ, "PRE_COMMIT_HOME": str(caches / "pre-commit"), "NILMAP_CACHE_DIR": str(caches / "nilmap")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository holding one Go module whose `main` writes to a nil map."""
    write_module(tmp_path, {"go.mod": b"module example.com/demo\n\ngo 1.19\n", "main.go": BUG.encode()})
    for args in (["init", "-q"], ["config", "user.name", "nilmap tests"], ["config", "user.email", "tests@example.com"],
                 ["add", "."], ["commit", "-q", "--no-gpg-sign", "-m", "demo"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True)
    return tmp_path


def run_hook(hook_id: str, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` this repository's hook on every file of `project`.

    With uncommitted changes, try-repo installs a shadow commit of the tracked and staged files:
    a new, untracked module is left out until it is `git add`ed. Each call builds its own hook
    environment (try-repo keeps its store in a temporary directory); pip's cache keeps that quick.
    """
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook_id, "--all-files"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def test_check_hook_fails_and_fix_hook_adds_the_make(project: Path, env: dict[str, str]) -> None:
    found = run_hook("nilmap", project, env)
    assert found.returncode != 0, found.stdout + found.stderr
    assert "main.go:5:2: NM001 write to nil map `m`" in found.stdout

    fixed = run_hook("nilmap-fix", project, env)
    assert fixed.returncode != 0 and "files were modified by this hook" in fixed.stdout, fixed.stdout + fixed.stderr
    assert "make(" in (project / "main.go").read_text()
    code, stderr = go_run(project)
    assert code == 0, stderr

    after = run_hook("nilmap", project, env)
    assert after.returncode == 0, after.stdout + after.stderr


def test_check_hook_passes_after_a_fix_by_hand(project: Path, env: dict[str, str]) -> None:
    (project / "main.go").write_text(HAND_FIXED)
    result = run_hook("nilmap", project, env)
    assert result.returncode == 0, result.stdout + result.stderr
