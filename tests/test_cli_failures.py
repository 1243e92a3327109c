"""Every way `nilmap check` can fail is one line on stderr and exit status 2 (1 means
findings), and its worker processes never outlive it."""
from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

from tests.cli_support import BUG, nilmap, nilmap_env, write

ROOT = pathlib.Path(__file__).parent


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_bad_exclude_glob_in_the_configuration_file(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG, "nilmap.toml": 'select = ["NM001"]\nexclude = ["gen", "[z-a]*.go"]\n'})
    result = nilmap("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert one_line(result) == "nilmap: nilmap.toml:2: invalid glob `[z-a]*.go` in `exclude`: `z-a` is not a range: `z` comes after `a`"
    write(tmp_path, {"nilmap.toml": 'exclude = ["[!]"]\n'})
    result = nilmap("check", ".", cwd=tmp_path)
    assert (result.returncode, one_line(result)) == (2, "nilmap: nilmap.toml:1: invalid glob `[!]` in `exclude`: `[` at column 1 is never closed")


def test_a_bad_exclude_glob_on_the_command_line(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG})
    for flag in ("--exclude", "--extend-exclude"):
        result = nilmap("check", flag, "[z-a]", ".", cwd=tmp_path)
        assert result.returncode == 2
        assert one_line(result) == f"nilmap check: error: argument {flag}: invalid glob `[z-a]`: `z-a` is not a range: `z` comes after `a`"


def test_globs_that_read_well_still_work(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"a/main.go": BUG, "b/main.go": BUG, "]/main.go": BUG})
    result = nilmap("check", "--exclude", "[!a]", "./...", cwd=tmp_path)
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "NM001" in line] == ["a/main.go"]
    result = nilmap("check", "--exclude", "[]a-]", "./...", cwd=tmp_path)
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "NM001" in line] == ["b/main.go"]


def test_deeply_nested_toml(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG, "nilmap.toml": "select = " + "[" * 50_000 + "]" * 50_000 + "\n"})
    result = nilmap("check", ".", cwd=tmp_path)
    assert (result.returncode, one_line(result)) == (2, "nilmap: nilmap.toml: invalid TOML: nested too deeply")


def test_a_file_name_that_is_not_utf8_with_the_cache_on(tmp_path: pathlib.Path) -> None:
    directory = tmp_path / "src"
    directory.mkdir()
    name = os.fsdecode(b"caf\xe9.go")
    (directory / name).write_text(BUG)
    cache = tmp_path / "cache"
    for _ in range(2):  # stored, then read back
        result = subprocess.run(
            [sys.executable, "-m", "analyzers.cli", "check", "."], cwd=directory, capture_output=True, env=nilmap_env(cache)
        )
        assert result.returncode == 1, result.stderr
        assert result.stdout.splitlines()[0] == b"caf\xe9.go:5:2: NM001 write to nil map `m`: declared at line 4 without make"
        assert result.stderr == b""
        assert len(list(cache.rglob("*.json"))) == 1


def test_stdout_on_a_full_disk(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG})
    for flags, what in (([], "report"), (["--diff"], "diff")):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [sys.executable, "-m", "analyzers.cli", "check", *flags, "."],
                cwd=tmp_path,
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=nilmap_env(),
            )
        assert (result.returncode, result.stderr) == (2, f"nilmap: cannot write the {what}: No space left on device\n")


def test_a_deleted_working_directory(tmp_path: pathlib.Path) -> None:
    script = f'mkdir gone && cd gone && rmdir ../gone && exec "{sys.executable}" -m analyzers.cli check ./...'
    result = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, text=True, env=nilmap_env())
    assert (result.returncode, result.stdout) == (2, "")
    assert one_line(result) == "nilmap: the working directory no longer exists"


def _big_tree(root: pathlib.Path) -> None:
    """Enough packages that a check runs for a while: real Go files, many copies, of the
    default rules' fixtures (each one is interpreted, none is skipped by the prefilter)."""
    sources = sorted((ROOT / "fixtures" / "nil_map_write").glob("*/*.go"))
    for i in range(120):
        directory = root / f"p{i:03d}"
        directory.mkdir(parents=True)
        for j, source in enumerate(sources[:60]):
            (directory / f"f{j}.go").write_bytes(source.read_bytes())


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = pathlib.Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_until(condition, what: str, timeout: float = 120.0) -> None:
    """Poll /proc until `condition()` holds (the event has no notification to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _start_with_workers(root: pathlib.Path) -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "analyzers.cli", "check", "--no-cache", "-j", "2", "./..."],
        cwd=root,
        env=nilmap_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
        # As a terminal's foreground job has it: when the tests themselves run in the
        # background (`pytest &`), the shell gave them SIGINT ignored, which children inherit.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    _wait_until(lambda: len(_children(process.pid)) >= 2 or process.poll() is not None, "the worker processes")
    assert process.poll() is None, "the check ended before it could be interrupted"
    return process, _children(process.pid)


def test_ctrl_c_stops_the_run_in_one_line_and_its_workers_with_it(tmp_path: pathlib.Path) -> None:
    _big_tree(tmp_path)
    process, workers = _start_with_workers(tmp_path)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C: the whole group
    stdout, stderr = process.communicate(timeout=120)
    assert (process.returncode, stdout, stderr) == (2, "", "nilmap: interrupted\n")
    _wait_until(lambda: not any(_alive(w) for w in workers), "the workers to end")


def test_kill_9_takes_the_workers_along(tmp_path: pathlib.Path) -> None:
    _big_tree(tmp_path)
    process, workers = _start_with_workers(tmp_path)
    process.kill()
    process.communicate(timeout=120)
    _wait_until(lambda: not any(_alive(w) for w in workers), "the workers to end")
