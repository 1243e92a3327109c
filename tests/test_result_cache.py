"""The result cache is data, not code: a planted entry never runs, a damaged one is a miss,
writes leave no litter even on a full disk, and the directory is kept to its limit."""
from __future__ import annotations

import json
import os
import pathlib
import pickle
import resource
import signal
import subprocess
import sys

from analyzers.model import Applicability, Diagnostic, Edit, FileError, Fix, Related, Severity, Span
from analyzers.result_cache import CachedResult, ResultCache
from tests.cli_support import BUG, nilmap, nilmap_env, write
from tests.other_package_sources import DIE_EXITS, DIE_RETURNS, MAIN_LINE_OF_WRITE, main_source


class Planted:
    """Unpickling this runs a shell command: what a planted pickle would do."""

    def __init__(self, marker: pathlib.Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def _run(tmp_path: pathlib.Path) -> subprocess.CompletedProcess:
    return nilmap("check", "--format", "json", ".", cwd=tmp_path / "src", cache=tmp_path / "cache")


def _only_entry(tmp_path: pathlib.Path) -> pathlib.Path:
    [entry] = (tmp_path / "cache").rglob("*.json")
    return entry


def test_a_planted_pickle_never_runs(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "src", {"main.go": BUG})
    first = _run(tmp_path)
    entry = _only_entry(tmp_path)
    marker = tmp_path / "planted-code-ran"
    entry.write_bytes(pickle.dumps(Planted(marker)))
    second = _run(tmp_path)
    assert not marker.exists()
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert entry.read_bytes().startswith(b"{")  # replaced by a good entry


DAMAGED = {
    "empty": b"",
    "truncated": None,  # the real entry cut in half
    "not json": b"\x80\x03}q\x00.",
    "deeply nested": b"[" * 200_000 + b"]" * 200_000,
    "a list": b"[]",
    "another format": None,
    "another key": None,
    "an extra field": None,
    "a negative span": None,
    "a span that ends before it starts": None,
    "an unknown severity": None,
    "overlapping edits": None,
    "a string for a count": None,
}


def _damage(good: bytes, how: str) -> bytes:
    import json

    if DAMAGED[how] is not None:
        return DAMAGED[how]  # type: ignore[return-value]
    if how == "truncated":
        return good[: len(good) // 2]
    entry = json.loads(good)
    diagnostic = entry["diagnostics"][0]
    if how == "another format":
        entry["format"] = 0
    elif how == "another key":
        entry["key"] = "0" * 64
    elif how == "an extra field":
        diagnostic["extra"] = 1
    elif how == "a negative span":
        diagnostic["span"] = [-1, 4]
    elif how == "a span that ends before it starts":
        diagnostic["span"] = [9, 4]
    elif how == "an unknown severity":
        diagnostic["severity"] = 7
    elif how == "overlapping edits":
        diagnostic["fixes"][0]["edits"] = [[0, 5, "a"], [3, 8, "b"]]
    elif how == "a string for a count":
        entry["files"] = "1"
    return json.dumps(entry).encode()


def test_damaged_entries_are_misses(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "src", {"main.go": BUG})
    first = _run(tmp_path)
    entry = _only_entry(tmp_path)
    good = entry.read_bytes()
    for how in DAMAGED:
        entry.write_bytes(_damage(good, how))
        again = _run(tmp_path)
        assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr), how
        assert entry.read_bytes() == good, how  # the next run stored a good one again
    entry.unlink()
    entry.mkdir()  # not even a file
    again = _run(tmp_path)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_an_entry_round_trips_everything_a_report_shows(tmp_path: pathlib.Path) -> None:
    name = os.fsdecode(b"caf\xe9.go")
    diagnostic = Diagnostic(
        "NM003",
        "`Registry` built with `entries` nil: 测试 🙂",
        name,
        Span(3, 9),
        Severity.WARNING,
        (
            Fix("Add `if m == nil` guard", (Edit(1, 1, "if m == nil {\r\n"), Edit(4, 6, "")), Applicability.UNSAFE),
            Fix("Add `entries: make(...)` to the literal at new.go:5", (Edit(7, 7, ", entries: make(map[string]int)", "new.go"),)),
        ),
        (Related("other.go", Span(0, 2), "written here"),),
    )
    result = CachedResult([diagnostic], [FileError("bad.go", "not valid UTF-8 at byte 3; skipped")], 2)
    cache = ResultCache(str(tmp_path))
    cache.put("ab" * 32, result)
    assert cache.get("ab" * 32) == result
    assert cache.get("cd" * 32) is None


def test_the_cache_is_pruned_to_its_limit_least_recently_used_first(tmp_path: pathlib.Path) -> None:
    cache = ResultCache(str(tmp_path))
    keys = [f"{i:02x}" * 32 for i in range(12)]
    for age, key in enumerate(keys):
        cache.put(key, CachedResult(files=age))
        path = tmp_path / key[:2] / f"{key}.json"
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.get(keys[0]) is not None  # used just now: the oldest, but kept
    (tmp_path / "ff").mkdir(exist_ok=True)
    (tmp_path / "ff" / ("ee" * 32 + ".pickle")).write_bytes(b"an earlier version's entry")
    (tmp_path / "ff" / f".{'ee' * 32}.123-0badf00d.tmp").write_bytes(b"a killed run's")
    os.utime(tmp_path / "ff" / f".{'ee' * 32}.123-0badf00d.tmp", (1_000_000, 1_000_000))
    (tmp_path / "notes.txt").write_text("not ours: never touched")
    cache.prune(max_entries=5)
    remaining = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert remaining == sorted([f"{k}.json" for k in [keys[0], *keys[8:]]] + ["notes.txt"])


def _limit_file_size() -> None:
    """A disk that is full: any write past 200 bytes fails (EFBIG, the signal ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))


def test_a_full_disk_leaves_no_litter_and_costs_only_speed(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "src", {"main.go": BUG})
    result = subprocess.run(
        [sys.executable, "-m", "analyzers.cli", "check", "."],
        cwd=tmp_path / "src",
        capture_output=True,
        text=True,
        env=nilmap_env(tmp_path / "cache"),
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 1 and "main.go:5:2: NM001" in result.stdout, result.stderr
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []



def test_a_stored_result_is_not_reused_once_another_package_it_read_changes(tmp_path: pathlib.Path) -> None:
    # Whether main's map may be nil at its write depends on die.Usage, a function of another
    # package of the module: main's directory is unchanged, but its stored result no longer
    # holds once Usage can return.
    files = {"go.mod": "module example.com/tool\n\ngo 1.22\n", "main.go": main_source("example.com/tool"), "die/die.go": DIE_EXITS}
    source = write(tmp_path / "src", files)
    cache = tmp_path / "cache"

    def findings(*options: str) -> list[str]:
        run = nilmap("check", "--select", "NM", "--format", "json", *options, "./...", cwd=source, cache=cache)
        assert run.returncode in (0, 1), run.stderr
        return [f"{d['path']}:{d['line']} {d['code']}" for d in json.loads(run.stdout)]

    assert findings() == []
    assert findings() == []  # the stored results, read back
    (source / "die" / "die.go").write_text(DIE_RETURNS)
    expected = findings("--no-cache")
    assert expected == [f"main.go:{MAIN_LINE_OF_WRITE} NM008"], "the other package's change must give main a finding for this test to mean anything"
    assert findings() == expected
    (source / "die" / "die.go").write_text(DIE_EXITS)
    assert findings() == []
