"""`nilmap check --fix` never loses a change: not another run's, not an editor's saved while
it runs; it keeps line endings, byte-order marks, modes and links."""
from __future__ import annotations

import os
import pathlib
import random
import stat
import subprocess
import sys
import threading

import pytest

from analyzers import files
from analyzers.parsing import parse
from tests.cli_support import BUG, nilmap, nilmap_env, write

FIXED = BUG.replace("var m map[string]int", "m := make(map[string]int)")


def fixed(text: str) -> str:
    return text.replace("var m map[string]int", "m := make(map[string]int)")


def parses(data: bytes) -> bool:
    return not parse(data).root_node.has_error


def test_crlf_files_keep_crlf(tmp_path: pathlib.Path) -> None:
    guarded = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tif m == nil {\n\t\tprintln("empty")\n\t}\n\tm["a"] = 1\n}\n'
    write(tmp_path, {"main.go": guarded.replace("\n", "\r\n")})
    result = nilmap("check", "--fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "main.go").read_bytes()
    assert b"if m == nil {\r\n\t\tm = make(map[string]int)\r\n\t}\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF was added


def test_lf_lines_of_a_mixed_file_stay_lf(tmp_path: pathlib.Path) -> None:
    """Each edit ends its lines as the line it is made in does."""
    guarded = 'package main\r\n\r\nfunc main() {\n\tvar m map[string]int\n\tif m == nil {\n\t\tprintln("empty")\n\t}\n\tm["a"] = 1\n}\n'
    write(tmp_path, {"main.go": guarded})
    assert nilmap("check", "--fix", ".", cwd=tmp_path).returncode == 0
    data = (tmp_path / "main.go").read_bytes()
    assert b"if m == nil {\n\t\tm = make(map[string]int)\n\t}\n" in data and data.count(b"\r\n") == 2


def test_a_byte_order_mark_and_the_mode_are_kept(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": b"\xef\xbb\xbf" + BUG.encode()})
    target = tmp_path / "main.go"
    target.chmod(0o754)
    assert nilmap("check", "--fix", ".", cwd=tmp_path).returncode == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o754


def test_a_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "real", {"main.go": BUG})
    (tmp_path / "pkg").mkdir()
    link = tmp_path / "pkg" / "main.go"
    link.symlink_to(tmp_path / "real" / "main.go")
    result = nilmap("check", "--fix", "pkg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(tmp_path / "real" / "main.go")
    assert (tmp_path / "real" / "main.go").read_text() == FIXED
    assert not [p for p in (tmp_path / "real").iterdir() if p.name != "main.go"]  # no litter


def test_a_file_with_hard_links_is_refused_in_one_line(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "pkg", {"main.go": BUG})
    os.link(tmp_path / "pkg" / "main.go", tmp_path / "other.go.bak")
    result = nilmap("check", "--fix", "pkg", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "nilmap: pkg/main.go: not fixed: it has 2 hard links, which rewriting it would separate"
    assert (tmp_path / "pkg" / "main.go").read_text() == BUG  # untouched, and still one file with its twin
    assert (tmp_path / "pkg" / "main.go").stat().st_ino == (tmp_path / "other.go.bak").stat().st_ino
    assert "pkg/main.go:5:2: NM001" in result.stdout  # its finding is still there


def test_a_file_changed_since_it_was_read_is_not_written() -> None:
    """The comparison before the rename, with and without an atomic exchange."""
    import tempfile

    for exchange in (files._RENAMEAT2, None):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "main.go")
            pathlib.Path(path).write_text("package main // saved by the editor\n")
            saved = files._RENAMEAT2
            files._RENAMEAT2 = exchange
            try:
                refused = files.write_if_unchanged(path, b"package main\n", b"package main // fixed\n")
                assert refused is not None and refused.reason.startswith("not fixed: it changed while nilmap was fixing it")
                assert pathlib.Path(path).read_text() == "package main // saved by the editor\n"
                assert files.write_if_unchanged(path, b"package main // saved by the editor\n", b"package fixed\n") is None
                assert pathlib.Path(path).read_text() == "package fixed\n"
                assert os.listdir(directory) == ["main.go"]
            finally:
                files._RENAMEAT2 = saved


def test_a_save_between_the_check_and_the_rename_is_put_back(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor's save lands after the comparison, just before the exchange: it is swapped
    back into place instead of being overwritten."""
    path = tmp_path / "main.go"
    path.write_text(BUG)
    real_exchange = files._exchange

    def exchange_after_a_save(a: str, b: str) -> bool:
        if b == str(path) and path.read_text() == BUG:
            saved = tmp_path / ".editor-save"
            saved.write_text(BUG + "// typed while nilmap ran\n")
            os.replace(saved, path)
        return real_exchange(a, b)

    monkeypatch.setattr(files, "_exchange", exchange_after_a_save)
    refused = files.write_if_unchanged(str(path), BUG.encode(), FIXED.encode())
    assert refused is not None
    assert path.read_text() == BUG + "// typed while nilmap ran\n"
    assert os.listdir(tmp_path) == ["main.go"]


def _tree(root: pathlib.Path, count: int) -> list[pathlib.Path]:
    paths = []
    for i in range(count):
        write(root / f"p{i:03d}", {"main.go": BUG})
        paths.append(root / f"p{i:03d}" / "main.go")
    return paths


def _start_fix(root: pathlib.Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analyzers.cli", "check", "--fix", "-j", "1", "./..."],
        cwd=root,
        env=nilmap_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_fix_runs_never_corrupt_a_file(tmp_path: pathlib.Path) -> None:
    """Two `--fix` runs over the same 60 packages, five times over (600 files raced): every
    file ends fixed once, and each run either fixed a file, found it fixed, or said in one
    line that it changed under it."""
    paths = _tree(tmp_path, 60)
    for _ in range(5):
        for path in paths:
            path.write_text(BUG)
        runs = [_start_fix(tmp_path), _start_fix(tmp_path)]
        outputs = [run.communicate(timeout=600) for run in runs]
        for run, (_, stderr) in zip(runs, outputs):
            assert run.returncode in (0, 2), stderr
            for line in stderr.splitlines()[:-1]:
                assert line.endswith(": not fixed: it changed while nilmap was fixing it; run nilmap again"), line
        assert [p.read_text() for p in paths] == [FIXED] * len(paths)
        assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["main.go"] * len(paths)


@pytest.mark.parametrize("style", ["rename", "in place"])
def test_an_editor_saving_while_fix_runs_never_loses_its_edit(tmp_path: pathlib.Path, style: str) -> None:
    """An editor saves the 40 files over and over (each save a new comment) while `--fix`
    runs, six runs in all: each file ends as the editor's last save, or that save fixed."""
    paths = _tree(tmp_path, 40)
    last: dict[pathlib.Path, str] = {p: BUG for p in paths}
    stop = threading.Event()

    def save(path: pathlib.Path, text: str) -> None:
        if style == "rename":  # a safe save: a temporary file renamed over the old one
            temporary = path.with_name(".main.go.editor")
            temporary.write_text(text)
            os.replace(temporary, path)
        else:  # truncate and write, as many editors do
            with open(path, "w") as handle:
                handle.write(text)

    def editor() -> None:
        # A save every few milliseconds, to a file picked at random: some files are saved
        # between nilmap's read and its write, some at the moment of the write, some never.
        chooser = random.Random(len(last))
        n = 0
        while not stop.is_set():
            n += 1
            path = chooser.choice(paths)
            text = BUG + f"// save {n}\n"
            save(path, text)
            last[path] = text
            stop.wait(chooser.uniform(0, 0.01))

    for _ in range(6):
        stop.clear()
        thread = threading.Thread(target=editor)
        thread.start()
        try:
            run = _start_fix(tmp_path)
            _, stderr = run.communicate(timeout=600)
        finally:
            stop.set()
            thread.join()
        assert run.returncode in (0, 1, 2), stderr
        for path in paths:
            data = path.read_bytes()
            assert data.decode() in (last[path], fixed(last[path])), (path, data)
            assert parses(data)
        # Then, with nobody else writing, a run fixes everything.
        assert nilmap("check", "--fix", "./...", cwd=tmp_path).returncode == 0
        assert all(p.read_text() == fixed(last[p]) for p in paths)
