"""The Go runtime is the judge: every runnable fixture is run with `go run`.

A fixture with findings must panic with `assignment to entry in nil map` at a line that has
a `want`; a fixture without findings must exit 0. A fixture the runtime disagrees with is
wrong, whatever nilmap says about it.
"""
from __future__ import annotations

import os
import pathlib
import re
import subprocess

import pytest

from tests.fixture_support import go_files, is_main, scenarios
from tests.wants import parse_wants

PANIC = "assignment to entry in nil map"
GO_ENV = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GO111MODULE": "on", "GOTOOLCHAIN": "local"}
_FRAME = re.compile(r"^\s+(/\S+\.go):(\d+)")


def panic_frames(stderr: str, files: list[pathlib.Path]) -> list[tuple[str, int]]:
    """The stack frames of the panicking goroutine inside the fixture's own files.

    A write through a method panics inside the method; the finding may sit on the call,
    which is the next frame down, so every frame of the fixture counts. A function running
    its deferred calls shows at its exit (`}` or a `return`): the calls were made by its
    `defer` statements, which count too.
    """
    names = {str(f.resolve()) for f in files}
    frames = []
    blocks = stderr.split("\n\n")
    first = next((b for b in blocks if b.startswith("goroutine ")), "")
    for line in first.splitlines():
        match = _FRAME.match(line)
        if match and match.group(1) in names:
            path, number = match.group(1), int(match.group(2))
            frames.append((path, number))
            frames.extend((path, d) for d in _defers_before_exit(pathlib.Path(path).read_text().splitlines(), number))
    return frames


def _defers_before_exit(lines: list[str], number: int) -> list[int]:
    """The lines of the `defer` statements of the function whose exit is at line `number`."""
    if number > len(lines) or not (lines[number - 1].strip() == "}" or lines[number - 1].strip().startswith("return")):
        return []
    start = number - 1
    while start > 0 and not lines[start - 1].startswith("func "):
        start -= 1
    return [n for n in range(start, number) if lines[n - 1].strip().startswith("defer ")]


def run_program(scenario: pathlib.Path) -> subprocess.CompletedProcess:
    files = [str(p.resolve()) for p in go_files(scenario) if not p.name.endswith("_test.go")]
    return subprocess.run(["go", "run", *files], cwd=scenario, env=GO_ENV, capture_output=True, text=True, timeout=300)


RUNNABLE = [s for s in scenarios() if is_main(s)]


@pytest.mark.parametrize("scenario", RUNNABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_runtime_agrees(scenario: pathlib.Path) -> None:
    files = go_files(scenario)
    wants = [w for f in files for w in parse_wants(str(f.resolve()), f.read_text())]
    result = run_program(scenario)
    if not wants:
        assert result.returncode == 0, f"a silent fixture must run clean:\n{result.stderr[-2000:]}"
        return
    assert PANIC in result.stderr, f"a positive fixture must panic with {PANIC!r}:\nrc={result.returncode}\n{result.stderr[-2000:]}"
    frames = panic_frames(result.stderr, files)
    assert frames, result.stderr[-2000:]
    want_lines = {(w.path, w.line) for w in wants}
    assert want_lines & set(frames), f"panicked at {frames}, none of which has a want; wants at {sorted(line for _, line in want_lines)}"


def test_there_are_runnable_fixtures() -> None:
    assert len(RUNNABLE) >= 20
