"""Vim 9 with ALE (Debian's vim-ale), configured with the README's snippet as it is, run in
tmux as a person would use it: a Go file with a nil-map write after Chinese text and an
emoji gets its diagnostic at the exact byte column ALE counts in, `:ALECodeAction` offers
the fixes and the one typed in is applied, the file is written, and the fixed program builds
and no longer panics. The server is found on PATH, as a pipx install puts it there.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from editor_tools import GO_ENV, MAIN_GO, REPO, WRITE_LINE, server_command, write_columns

VIM = shutil.which("vim") or "/usr/bin/vim"
TMUX = shutil.which("tmux") or "/usr/bin/tmux"
SNIPPET_MARKER = "**ALE** (Debian: `apt install vim-ale`)"


def readme_vim_snippet() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```vim\n(.*?)```", text[text.index(SNIPPET_MARKER):], re.S)
    assert block, "no vim block after the ALE heading"
    return block.group(1)


# Writes what Vim shows (ALE's list for the buffer, the edited line) to $STATE_FILE, five
# times a second, for the test to wait on instead of sleeping blind.
STATE_WATCH = r"""
function! NilmapTestState(timer) abort
  let l:items = map(copy(ale#engine#GetLoclist(bufnr('%'))), {_, v -> {'lnum': v.lnum, 'col': v.col, 'text': v.text, 'linter': v.linter_name}})
  call writefile([json_encode({'items': l:items, 'modified': &modified, 'lines': getline(1, '$')})], $STATE_FILE)
endfunction
call timer_start(200, 'NilmapTestState', {'repeat': -1})
"""


class Tmux:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name, self.env = name, env

    def run(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.name, *args], env=self.env, capture_output=True, text=True, timeout=30).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)


def _wait(predicate, seconds: float, what: str, context) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s\n{context()}")


def test_ale_diagnostic_and_code_action(go_module: Path, tmp_path: Path) -> None:
    assert Path(VIM).exists() and Path(TMUX).exists(), "vim or tmux is missing: run `bash scripts/setup-dev.sh`"
    vimrc = tmp_path / "vimrc"
    vimrc.write_text("set nocompatible encoding=utf-8\nfiletype plugin on\n" + readme_vim_snippet()
                     + "let g:ale_linters = {'go': ['nilmap']}\n" + STATE_WATCH, encoding="utf-8")
    state_file = tmp_path / "state.json"
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "STATE_FILE": str(state_file), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env["PATH"] = os.pathsep.join([str(Path(server_command()[0]).parent), env.get("PATH", "")])
    tmux = Tmux(f"nilmap-vim-{uuid.uuid4().hex[:8]}", env)

    def state() -> dict:
        try:
            return json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def context() -> str:
        return f"screen:\n{tmux.screen()}\nstate: {json.dumps(state(), ensure_ascii=False)}"

    tmux.run("new-session", "-d", "-s", tmux.name, "-x", "160", "-y", "40", "-c", str(go_module.parent),
             f"{VIM} -N -i NONE -u {vimrc} {go_module}")
    try:
        # Vim rewrites the state file in place (writefile truncates first): a read may find it
        # empty, so the state a wait accepted is the one checked.
        found: dict = {}

        def reported() -> bool:
            current = state()
            if current.get("items"):
                found.update(current)
                return True
            return False

        _wait(reported, 60, "no ALE diagnostic", context)
        [item] = found["items"]
        byte_col, _ = write_columns(MAIN_GO.splitlines()[WRITE_LINE])
        assert (item["lnum"], item["col"]) == (WRITE_LINE + 1, byte_col + 1), context()  # 1-based bytes
        assert item["linter"] == "nilmap" and "write to nil map `counts`" in item["text"], context()

        tmux.keys(f":call cursor({item['lnum']}, {item['col']})", "Enter")
        tmux.keys(":ALECodeAction", "Enter")
        _wait(lambda: "Type number and <Enter>" in tmux.screen(), 30, "no code action menu", context)
        menu = tmux.screen()
        assert "1) Initialize `counts` with `make(map[string]int)`" in menu, menu
        tmux.keys("1", "Enter")
        fixed: dict = {}

        def applied() -> bool:
            current = state()
            if current.get("modified") == 1 and "items" in current and not current["items"]:
                fixed.update(current)
                return True
            return False

        _wait(applied, 30, "the fix was not applied, or the diagnostic stayed", context)
        assert fixed["lines"][WRITE_LINE] == '\t/* 计数 😀 */ counts["héllo"] = 1', context()  # not inside the string
        tmux.keys(":wq", "Enter")
        _wait(lambda: not tmux.run("has-session", "-t", tmux.name) and "counts := make" in go_module.read_text(), 20,
              "vim did not write and quit", context)
    finally:
        tmux.run("kill-server")

    fixed = go_module.read_text(encoding="utf-8")
    root = go_module.parents[2]
    go_env = {**os.environ, **GO_ENV, "GOCACHE": str(tmp_path / "gocache")}
    build = subprocess.run(["go", "build", "-o", str(tmp_path / "demo.bin"), "./cmd/demo"], cwd=root, env=go_env,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr + "\n" + fixed
    run = subprocess.run([str(tmp_path / "demo.bin")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "map[héllo:1]" in run.stdout, run.stderr + "\n" + fixed
