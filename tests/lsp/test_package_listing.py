"""The workspace's package directories, listed by a process of its own (so that the walk's
system calls never wait on the analysis thread for the interpreter lock), and here when
that process cannot run: the same directories either way."""
from __future__ import annotations

from pathlib import Path

import pytest

from lsp_server import packages
from lsp_server.packages import list_package_directories, package_directories


def _tree(root: Path) -> None:
    for relative, text in {
        "go.mod": "module example.com/m\n\ngo 1.22\n",
        "main.go": "package main\n",
        "a/a.go": "package a\n",
        "a/b/b.go": "package b\n",
        "vendor/v/v.go": "package v\n",  # skipped, as the go tool skips it
        "testdata/t.go": "package t\n",
        "_hidden/h.go": "package h\n",
        "docs/readme.md": "no Go here\n",
        "line\nbreak/x.go": "package x\n",  # a name a line-based listing would split
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_child_process_lists_what_the_walk_here_lists(tmp_path: Path) -> None:
    _tree(tmp_path)
    listed = list_package_directories(str(tmp_path))
    assert listed == package_directories(str(tmp_path))
    assert sorted(Path(d).relative_to(tmp_path).as_posix() for d in listed) == [".", "a", "a/b", "line\nbreak"]


def test_listed_here_when_the_child_cannot_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    monkeypatch.setattr(packages.sys, "executable", str(tmp_path / "no-such-python"))
    assert list_package_directories(str(tmp_path)) == package_directories(str(tmp_path))


def test_listed_here_when_the_child_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    monkeypatch.setattr(packages.sys, "executable", "/bin/false")
    assert list_package_directories(str(tmp_path)) == package_directories(str(tmp_path))
