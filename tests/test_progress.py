"""The progress bar: drawn on a terminal for big trees, never in a pipe or for small trees;
on a terminal the run ends with its closing line (analyzers.summary) after the bar is erased."""
from __future__ import annotations

import fcntl
import os
import pathlib
import pty
import struct
import subprocess
import sys
import termios

import pytest

from analyzers.progress import MIN_FILES
from tests.cli_support import BUG, nilmap, nilmap_env, write

PACKAGES, FILES_EACH = 40, 8  # 320 files, above the threshold
SUMMARY = f"nilmap: {PACKAGES} findings, {PACKAGES} fixable with --fix\r\n".encode()


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    assert PACKAGES * FILES_EACH > MIN_FILES
    root = tmp_path_factory.mktemp("big")
    for p in range(PACKAGES):
        for f in range(FILES_EACH):
            body = BUG.replace("package main", f"package p{p}").replace("func main()", f"func F{f}()")
            write(root, {f"p{p}/f{f}.go": body if f == 0 else body.replace("var m map[string]int", "m := map[string]int{}")})
    return root


def run_on_a_terminal(*args: str, cwd: pathlib.Path, columns: int = 100) -> tuple[int, str, bytes]:
    """Run nilmap with stderr on a pseudo-terminal; returns (status, stdout, what the terminal got)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**nilmap_env(), "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "analyzers.cli", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    screen = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    stdout = process.stdout.read().decode()
    os.close(leader)
    return process.wait(timeout=120), stdout, bytes(screen)


def test_bar_on_a_terminal(big_tree: pathlib.Path) -> None:
    status, stdout, screen = run_on_a_terminal("check", "--no-cache", "-j", "2", "./...", cwd=big_tree)
    assert status == 1 and stdout.count(": NM001 ") == PACKAGES
    # Erased, so the terminal is clean for the report; then the closing line.
    assert screen.endswith(b"\r\x1b[K" + SUMMARY), screen[-200:]
    frames = [frame for frame in screen[: -len(SUMMARY)].decode().split("\r\x1b[K") if frame]
    assert frames, screen
    assert frames[-1].startswith("320/320 files [") and "100%" in frames[-1] and f"{PACKAGES} findings" in frames[-1]
    assert all(" files/s " in frame and len(frame) < 100 for frame in frames)


def test_no_bar_when_asked(big_tree: pathlib.Path) -> None:
    _, _, screen = run_on_a_terminal("check", "--no-cache", "--no-progress", "./...", cwd=big_tree)
    assert screen == SUMMARY


def test_no_bar_in_a_pipe(big_tree: pathlib.Path) -> None:
    result = nilmap("check", "--no-cache", "./...", cwd=big_tree)
    assert result.returncode == 1 and result.stderr == ""


def test_no_bar_for_a_small_tree(big_tree: pathlib.Path) -> None:
    _, stdout, screen = run_on_a_terminal("check", "--no-cache", "p1", "p2", cwd=big_tree)
    assert screen == b"nilmap: 2 findings, 2 fixable with --fix\r\n" and stdout.count(": NM001 ") == 2
