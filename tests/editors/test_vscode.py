"""VS Code: the extension in editors/vscode, with the language server it carries for this
platform (scripts/bundle_server.py), is built, linted and packaged to a .vsix offline,
installed into a real VS Code (code-server) on a machine where no `nilmap-lsp` is on PATH,
and driven in Chromium by editors/vscode/e2e/quickfix.mjs (playwright-core): error squiggle
and Problems entry on a nil-map write after non-ASCII text, NM001's severity changed through
the settings, quick fix with Ctrl+., fixed text, squiggle gone, file saved and built with Go,
"nilmap: Show Output", and the messages for a missing `nilmap.path` server and for a
missing Python.

Screenshots go to test-artifacts/ (vscode-quickfix.png is the one in the README).
code-server and every process it starts are ended by PID after the test: its process group,
then anything still carrying this run's marker in its environment.
"""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor_tools import (
    CHROMIUM, CODE_SERVER, GO_ENV, MAIN_GO, NODE24_BIN, REPO, WRITE_LINE, missing,
    write_columns,
)

EXTENSION = REPO / "editors" / "vscode"
E2E = EXTENSION / "e2e"
ARTIFACTS = REPO / "test-artifacts"
# The VS Code platform target of this machine (`vsce package --target`).
TARGET = {"x86_64": "linux-x64", "aarch64": "linux-arm64"}[platform.machine()]
# What a stock machine has on PATH: no virtual environment of ours, so no nilmap-lsp.
SYSTEM_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]


def _run(cmd: list[str], cwd: Path, timeout: int = 300, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _offline(cmd: list[str]) -> list[str]:
    """Runs `cmd` without network when the machine allows it (root: a new network namespace)."""
    unshare = shutil.which("unshare")
    if unshare and os.geteuid() == 0 and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", *cmd]
    return cmd


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server bundled for this platform (wheels from PyPI, or pip's cache), then the
    extension compiled (tsc + esbuild), linted (eslint) and packaged (vsce) offline."""
    assert (EXTENSION / "node_modules" / ".bin" / "vsce").exists(), missing(EXTENSION / "node_modules")
    out = tmp_path_factory.mktemp("vsix") / "nilmap.vsix"
    _run([sys.executable, "scripts/bundle_server.py", "--target", TARGET], EXTENSION, timeout=600)
    _run(["npm", "run", "--silent", "compile"], EXTENSION)
    _run(["npm", "run", "--silent", "lint"], EXTENSION)
    _run(_offline([str(EXTENSION / "node_modules" / ".bin" / "vsce"), "package", "--no-dependencies",
                   "--target", TARGET, "--out", str(out)]), EXTENSION)
    return out


def test_vsix_contents(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
        vsix_manifest = z.read("extension.vsixmanifest").decode()
    assert "extension/out/extension.js" in names
    assert not any("node_modules" in n or n.startswith("extension/src/") for n in names), sorted(names)
    assert not any("__pycache__" in n for n in names)
    # The server and its dependencies, with tree-sitter's binary for each supported CPython.
    assert {"extension/bundled/tool/nilmap_server.py", "extension/bundled/libs/lsp_server/__main__.py",
            "extension/bundled/libs/analyzers/queries/map_writes.scm", "extension/bundled/libs/pygls/__init__.py"} <= names
    binaries = {n.rsplit("/", 1)[-1].split(".")[1] for n in names if n.startswith("extension/bundled/libs/tree_sitter/_binding.")}
    assert binaries == {"cpython-311-x86_64-linux-gnu", "cpython-312-x86_64-linux-gnu", "cpython-313-x86_64-linux-gnu",
                        "cpython-314-x86_64-linux-gnu"} or TARGET != "linux-x64", binaries
    assert f'TargetPlatform="{TARGET}"' in vsix_manifest
    assert manifest["engines"]["vscode"] == "^1.75.0"
    assert manifest["dependencies"]["vscode-languageclient"] == "9.0.1"
    assert set(manifest["activationEvents"]) == {"onLanguage:go", "workspaceContains:**/*.go"}
    commands = {c["command"]: f'{c["category"]}: {c["title"]}' for c in manifest["contributes"]["commands"]}
    assert commands == {"nilmap.restartServer": "nilmap: Restart Server", "nilmap.showOutput": "nilmap: Show Output"}
    props = manifest["contributes"]["configuration"]["properties"]
    assert {"nilmap.enable", "nilmap.path", "nilmap.interpreter", "nilmap.args", "nilmap.rules", "nilmap.exclude",
            "nilmap.trace.server"} <= set(props)
    # Every dependency version is pinned exactly.
    for section in ("dependencies", "devDependencies"):
        for name, version in json.loads((EXTENSION / "package.json").read_text())[section].items():
            assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}@{version} is not pinned"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pids_with_marker(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _end(proc: subprocess.Popen[bytes], marker: str) -> None:
    """Ends code-server's process group, then any process of this run that left it."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        for pid in _pids_with_marker(marker):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and (proc.poll() is None or _pids_with_marker(marker)):
            time.sleep(0.1)
        if proc.poll() is not None and not _pids_with_marker(marker):
            return


@pytest.fixture
def code_server(vsix: Path, go_module: Path, tmp_path: Path) -> Iterator[dict[str, object]]:
    """code-server serving the Go module, with the .vsix installed in a fresh profile."""
    assert CODE_SERVER.exists(), missing(CODE_SERVER)
    user_data, extensions, home = tmp_path / "user-data", tmp_path / "extensions", tmp_path / "home"
    (user_data / "User").mkdir(parents=True)
    home.mkdir()
    settings_file = user_data / "User" / "settings.json"
    # Nothing tells the extension where a server is: it runs the one it carries with a
    # Python it finds. nilmap.path and nilmap.interpreter are machine-overridable, so on a
    # remote (code-server) the test's later steps set them in the machine settings.
    (user_data / "Machine").mkdir()
    machine_settings = user_data / "Machine" / "settings.json"
    machine_settings.write_text("{}\n")
    settings_file.write_text(json.dumps({
        "nilmap.rules": {"NM001": {"enabled": True, "severity": "error"}},
        "nilmap.trace.server": "messages",
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "security.workspace.trust.enabled": False,
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "update.mode": "none",
        "telemetry.telemetryLevel": "off",
        "chat.disableAIFeatures": True,
        "editor.lightbulb.enabled": "on",
    }, indent=2))
    marker = f"NILMAP_E2E_RUN={uuid.uuid4().hex}"
    go = shutil.which("go")
    path = os.pathsep.join([str(NODE24_BIN), *SYSTEM_PATH, *([str(Path(go).resolve().parent)] if go else [])])
    assert shutil.which("nilmap-lsp", path=path) is None, "a nilmap-lsp on the system PATH would hide the bundled server"
    env = {
        **os.environ,
        "PATH": path,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        marker.split("=")[0]: marker.split("=")[1],
    }
    base = [str(CODE_SERVER), "--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    _run([*base, "--install-extension", str(vsix)], tmp_path, timeout=180, env=env)
    port = _free_port()
    log = (tmp_path / "code-server.log").open("wb")
    proc = subprocess.Popen(
        [*base, "--auth", "none", "--bind-addr", f"127.0.0.1:{port}", "--disable-telemetry",
         "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
         str(go_module.parents[2])],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "code-server.log").read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "code-server did not answer within 120 s"
                time.sleep(0.3)
        yield {"port": port, "settings": machine_settings, "user_data": user_data, "env": env,
               "log": tmp_path / "code-server.log", "root": go_module.parents[2]}
    finally:
        _end(proc, marker)
        log.close()


def _extension_logs(user_data: Path) -> str:
    parts = []
    for path in sorted(user_data.glob("logs/**/*.log")):
        if "nilmap" in path.name or "exthost" in path.name or "remoteexthost" in path.name:
            parts.append(f"--- {path.relative_to(user_data)} ---\n{path.read_text(errors='replace')[-6000:]}")
    return "\n".join(parts) or "(no extension logs)"


def test_quick_fix_in_code_server(code_server: dict[str, object], go_module: Path, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for stale in ARTIFACTS.glob("vscode-*.png"):
        stale.unlink()
    root = code_server["root"]
    env = {**code_server["env"], "CODE_SERVER_URL": f"http://127.0.0.1:{code_server['port']}/?folder={root}",
           "FILE_NAME": go_module.name, "SETTINGS_FILE": str(code_server["settings"]),
           "WORKSPACE_SETTINGS_FILE": str(root / ".vscode" / "settings.json"),
           "SHOTS": str(ARTIFACTS), "CHROMIUM": str(CHROMIUM)}
    # The driver runs on the system Node (20); code-server's Node 24 is only on PATH for it.
    env["PATH"] = os.environ.get("PATH", "")
    proc = subprocess.run(["node", str(E2E / "quickfix.mjs")], cwd=E2E, env=env,
                          capture_output=True, text=True, timeout=420)
    steps = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            steps[item.pop("step")] = item
    context = (f"\nrc={proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-4000:]}\n"
               f"{_extension_logs(code_server['user_data'])}\n--- code-server ---\n"
               f"{Path(code_server['log']).read_text(errors='replace')[-4000:]}")
    assert proc.returncode == 0 and "error" not in steps, context

    assert steps["squiggle"]["count"] >= 1, context
    rows = " | ".join(steps["problems"]["rows"] + steps["problems"]["labels"])
    assert "NM001" in rows and "counts" in rows, context
    _, utf16_col = write_columns(MAIN_GO.splitlines()[WRITE_LINE])
    assert f"[Ln {WRITE_LINE + 1}, Col {utf16_col + 1}]" in rows, context
    assert steps["settings"] == {"warning": True, "error_again": True}, context
    assert steps["actions"]["titles"], context
    assert "make(map[string]int)" in steps["fixed"]["text"] or "map[string]int{}" in steps["fixed"]["text"], context
    assert steps["fixed"]["squiggles"] == 0, context
    assert "nilmap: Restart Server" in " ".join(steps["output"]["commands"]), context
    assert steps["output"]["channel"] == "nilmap", context
    assert "was not found" in steps["missing"]["message"], context
    assert "Install instructions" in steps["missing"]["buttons"], context
    assert "nilmap needs Python 3.11 or newer" in steps["no_python"]["message"], context
    assert "/nonexistent/python3: not found" in steps["no_python"]["message"], context
    assert (ARTIFACTS / "vscode-quickfix.png").stat().st_size > 10_000

    # The extension's own log (the nilmap output channel): started, restarted on the command
    # (a second server start), then the missing server after nilmap.path changed.
    channel = "\n".join(p.read_text(errors="replace") for p in
                        Path(code_server["user_data"]).glob("logs/**/*nilmap.log"))
    assert channel.count("] server started") >= 2, context
    # The bundled server ran, under a Python found on the machine.
    assert re.search(r"starting \S*python3?\S* -I \S+/bundled/tool/nilmap_server\.py .*\(bundled, Python 3\.1\d", channel), context
    assert "restart requested" in channel, context
    assert channel.index("restart requested") < channel.rindex("was not found"), context

    # The saved file is the fixed program: it builds and no longer panics.
    fixed = go_module.read_text(encoding="utf-8")
    assert fixed != MAIN_GO and re.search(r"make\(map\[string\]int\)|map\[string\]int\{\}", fixed), fixed
    go_env = {**os.environ, **GO_ENV, "GOCACHE": str(tmp_path / "gocache")}
    build = subprocess.run(["go", "build", "-o", str(tmp_path / "demo.bin"), "./cmd/demo"], cwd=root,
                           env=go_env, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr + "\n" + fixed
    run = subprocess.run([str(tmp_path / "demo.bin")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "map[héllo:1]" in run.stdout, run.stderr + "\n" + fixed
