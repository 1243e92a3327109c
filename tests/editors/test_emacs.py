"""Emacs: the README's two configurations, read from its Emacs section and loaded as they
are, in Emacs 28 (batch mode) with Debian's go-mode, Eglot and lsp-mode. Eglot alone (nilmap
is the Go server); lsp-mode with nilmap as an add-on beside gopls. Each opens a Go file with
a nil-map write after Chinese text and an emoji, checks the diagnostic's exact column,
applies the preferred quick fix, saves, and the fixed program builds and no longer panics.
The server is found on PATH, as a pipx install puts it there.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from editor_tools import GO_ENV, MAIN_GO, REPO, WRITE_LINE, WRITE_TEXT, server_command

DRIVER = Path(__file__).with_name("emacs_quickfix.el")
EMACS = shutil.which("emacs") or "/usr/bin/emacs"
CONFIGS = {"eglot": "**Eglot, alone.**", "lsp-mode": "**lsp-mode, beside gopls.**"}


def readme_elisp(marker: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```elisp\n(.*?)```", text[text.index(marker):], re.S)
    assert block, f"no elisp block after {marker}"
    return block.group(1)


def _records(path: Path) -> dict[str, object]:
    records: dict[str, object] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                records[item["kind"]] = item["value"]
    return records


@pytest.mark.parametrize("client", list(CONFIGS))
def test_diagnostic_and_quick_fix(client: str, go_module: Path, tmp_path: Path) -> None:
    assert Path(EMACS).exists(), "emacs is missing: run `bash scripts/setup-dev.sh`"
    if client == "lsp-mode":
        assert shutil.which("gopls"), "gopls is missing: run `bash scripts/setup-dev.sh`"
    home = tmp_path / "home"
    home.mkdir()
    config = tmp_path / "config.el"
    # What Emacs does at startup before a user's init file: activate the installed packages
    # (Debian's elpa-* ones), with a session of lsp-mode's own kept out of the home.
    config.write_text(
        "(package-initialize)\n(require 'go-mode)\n"
        f"(setq lsp-session-file \"{tmp_path / 'lsp-session'}\" lsp-enable-snippet nil lsp-auto-guess-root t)\n"
        + readme_elisp(CONFIGS[client]),
        encoding="utf-8",
    )
    result_file = tmp_path / "result.jsonl"
    env = {**os.environ, "HOME": str(home), "TARGET_FILE": str(go_module), "RESULT_FILE": str(result_file)}
    env["PATH"] = os.pathsep.join([str(Path(server_command()[0]).parent), env.get("PATH", "")])
    proc = subprocess.run([EMACS, "--batch", "-l", str(config), "-l", str(DRIVER)], env=env, cwd=go_module.parent,
                          capture_output=True, text=True, timeout=240)
    rec = _records(result_file)
    context = f"\nrc={proc.returncode}\nstderr:\n{proc.stderr[-5000:]}\nrecords: {json.dumps(rec, ensure_ascii=False, indent=1)}"
    assert "error" not in rec, context
    assert rec["mode"] == "go-mode" and rec["client"] == client, context
    # Eglot: nilmap alone; lsp-mode: gopls and nilmap on the same buffer.
    assert sorted(rec["servers"]) == (["nilmap"] if client == "eglot" else ["gopls", "nilmap"]), context
    line = MAIN_GO.splitlines()[WRITE_LINE]
    diagnostic = rec["diagnostic"]
    assert diagnostic["line"] == WRITE_LINE, context
    assert diagnostic["column"] == line.index(WRITE_TEXT), context  # Emacs counts characters
    assert diagnostic["text"].startswith("counts["), context
    assert "write to nil map `counts`" in diagnostic["message"], context
    assert rec["cleared"] is True and rec["written"] is True, context

    fixed = go_module.read_text(encoding="utf-8")
    assert "counts := make(map[string]int)" in fixed and '/* 计数 😀 */ counts["héllo"] = 1' in fixed, fixed
    root = go_module.parents[2]
    go_env = {**os.environ, **GO_ENV, "GOCACHE": str(tmp_path / "gocache")}
    build = subprocess.run(["go", "build", "-o", str(tmp_path / "demo.bin"), "./cmd/demo"], cwd=root, env=go_env,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr + "\n" + fixed
    run = subprocess.run([str(tmp_path / "demo.bin")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "map[héllo:1]" in run.stdout, run.stderr + "\n" + fixed
