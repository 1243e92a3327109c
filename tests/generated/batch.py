"""Many generated programs in one Go build, each run in its own process.

Every program becomes one file of a single `package main`, its top-level names prefixed
(`p12_Store`, `p12_main`), so its lines keep the numbers they have when the program stands
alone. A dispatcher `main` runs `p12_init()` and `p12_main()` for the argument `12`. One
build serves the whole batch; each program still runs in a process of its own, so a panic
(in any goroutine) ends that program only, with the runtime's own report on stderr.

A program the compiler rejects is left out of the batch and reported with the compiler's
words; the others are built again without it.
"""
from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.generated.deferred import deferred_call_lines
from tests.generated.program import Program, Rendered, render
from tests.gotool import NIL_MAP_PANIC, go_env

GO_MOD = "module example.com/generated\n\ngo 1.22\n"
RUN_TIMEOUT = 20
_ERROR = re.compile(r"^\./p(\d+)\.go:\d+:\d+: (.*)$", re.MULTILINE)
_MARKER = re.compile(r"^W (\d+)$", re.MULTILINE)
_LOCATION = re.compile(r"^\t(/\S+\.go):(\d+)")


@dataclass(frozen=True)
class Outcome:
    """What one run of a program did."""

    executed: frozenset[int]  # write ids whose marker was printed
    panicked: frozenset[int]  # writes the panic came from (more than one for a panic in a deferred call)
    through: frozenset[int]  # calls of writing functions that were on the panic's stack
    stack_lines: frozenset[int]  # the program's lines on the panicking goroutine's stack
    nil_map_panic: bool
    failure: str | None  # a build error, another panic, a fatal error, a timeout
    stderr: str


def prefix_of(index: int) -> str:
    return f"p{index}_"


def write_batch(programs: list[Program], directory: Path) -> dict[int, Rendered]:
    """Write the batch's module; returns each program's rendering by index."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "go.mod").write_text(GO_MOD)
    rendered = {}
    for index, program in enumerate(programs):
        rendered[index] = render(program, prefix=prefix_of(index))
        (directory / f"p{index}.go").write_text(rendered[index].text)
    _write_dispatcher(directory, {i: p.has_init() for i, p in enumerate(programs)})
    return rendered


def _write_dispatcher(directory: Path, inits: dict[int, bool]) -> None:
    cases = []
    for index, has_init in sorted(inits.items()):
        prefix = prefix_of(index)
        cases.append(f'\tcase "{index}":')
        if has_init:
            cases.append(f"\t\t{prefix}init()")
        cases.append(f"\t\t{prefix}main()")
    text = "package main\n\nimport \"os\"\n\nfunc main() {\n\tswitch os.Args[1] {\n" + "\n".join(cases) + "\n\t}\n}\n"
    (directory / "main.go").write_text(text)


def build(directory: Path, programs: list[Program]) -> tuple[Path | None, dict[int, str]]:
    """Build the batch; programs that do not compile are dropped and returned with the error."""
    rejected: dict[int, str] = {}
    binary = directory / "batch.bin"
    inits = {i: p.has_init() for i, p in enumerate(programs)}
    for _ in range(5):
        result = subprocess.run(
            ["go", "build", "-gcflags=-e", "-o", str(binary), "."],
            cwd=directory, env=go_env(), capture_output=True, text=True, timeout=900, check=False,
        )
        if result.returncode == 0:
            return binary, rejected
        errors = _ERROR.findall(result.stderr)
        if not errors:
            raise RuntimeError(f"batch build failed outside the programs:\n{result.stderr[-3000:]}")
        for index, message in errors:
            rejected.setdefault(int(index), message)
        for index in rejected:
            (directory / f"p{index}.go").unlink(missing_ok=True)
            inits.pop(index, None)
        _write_dispatcher(directory, inits)
    return None, rejected


def run_one(binary: Path, index: int, rendered: Rendered, file: Path) -> Outcome:
    try:
        result = subprocess.run(
            [str(binary), str(index)], capture_output=True, text=True, timeout=RUN_TIMEOUT,
            env={"GOTRACEBACK": "all", "PATH": os.environ.get("PATH", "")}, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return parse_run(rendered, file, stderr, None, "timeout")
    return parse_run(rendered, file, result.stderr, result.returncode, None)


def parse_run(rendered: Rendered, file: Path, stderr: str, code: int | None, failure: str | None) -> Outcome:
    """Which writes ran and which panicked, from a run's stderr."""
    executed = frozenset(int(m) for m in _MARKER.findall(stderr))
    nil_map = NIL_MAP_PANIC in stderr
    panicked: set[int] = set()
    through: set[int] = set()
    stack: set[int] = set()
    if code not in (0, None) or failure:
        frames = _frames(stderr, str(file.resolve()))
        for position, (ours, line, created_by) in enumerate(frames):
            if not ours:
                continue
            stack.add(line)
            below_runtime = position == 0 or not frames[position - 1][0]
            write = rendered.write_at(line)
            if write is None or created_by:
                continue
            if write in rendered.calls:
                through.add(write)
            elif below_runtime:
                panicked.add(write)
        # A panic that ran a deferred call, which started a goroutine that panicked in turn,
        # is reported by the runtime as the goroutine's panic only: the first one shows in the
        # other goroutines' traces, as the frame below a `panic(...)` call still in progress.
        # Its whole stack below `panic(...)` is the first panic's: the program's frame on top
        # holds the write that panicked, the frames below it the calls that led there.
        for interrupted in _interrupted_panics(stderr, str(file.resolve())):
            for position, line in enumerate(interrupted):
                stack.add(line)
                write = rendered.write_at(line)
                if write is None:
                    continue
                if write in rendered.calls:
                    through.add(write)
                elif position == 0:
                    panicked.add(write)
        # A deferred call's panic: its finding sits on the `defer` line, on no frame.
        stack |= deferred_call_lines(stderr, str(file.resolve()), rendered.text)
        if failure is None and not nil_map:
            failure = _first_panic_line(stderr) or f"exit status {code}"
        if failure is None and not panicked:
            failure = "nil-map panic outside any marked write"
    return Outcome(executed, frozenset(panicked), frozenset(through), frozenset(stack), nil_map and failure is None, failure, stderr)


def _frames(stderr: str, path: str) -> list[tuple[bool, int, bool]]:
    """(in the program's file, line, is the `created by` line) for each frame of the first
    goroutine in the traceback, top first."""
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("goroutine ")), None)
    if start is None:
        return []
    frames = []
    for i in range(start + 1, len(lines) - 1):
        if not lines[i] or lines[i].startswith("goroutine "):
            break
        match = _LOCATION.match(lines[i + 1])
        if lines[i].startswith("\t") or match is None:
            continue
        frames.append((match.group(1) == path, int(match.group(2)), lines[i].startswith("created by ")))
    return frames


def _interrupted_panics(stderr: str, path: str) -> list[list[int]]:
    """The stacks of panics that a later panic in another goroutine cut short: in a
    goroutine's trace after the first, the program's frames below a `panic(...)` frame (the
    line where the panic began first, then the calls that led there)."""
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("goroutine ")]
    found = []
    for i in range(starts[1] if len(starts) > 1 else len(lines), len(lines) - 1):
        if not lines[i].startswith("panic("):
            continue
        stack = []
        for j in range(i + 2, len(lines) - 1, 2):
            if not lines[j] or lines[j].startswith(("goroutine ", "panic(", "created by ")):
                break
            match = _LOCATION.match(lines[j + 1])
            if match is not None and match.group(1) == path:
                stack.append(int(match.group(2)))
        if stack:
            found.append(stack)
    return found


def _first_panic_line(stderr: str) -> str | None:
    for line in stderr.splitlines():
        if line.startswith(("panic: ", "fatal error: ")):
            return line
    return None


def run_batch(programs: list[Program], directory: Path, jobs: int = 2) -> tuple[dict[int, Rendered], dict[int, Outcome]]:
    """Build and run `programs`; the outcome of each, by index (build errors included)."""
    rendered = write_batch(programs, directory)
    binary, rejected = build(directory, programs)
    outcomes: dict[int, Outcome] = {
        index: Outcome(frozenset(), frozenset(), frozenset(), frozenset(), False, f"build: {message}", "") for index, message in rejected.items()
    }
    if binary is None:
        return rendered, outcomes
    runnable = [i for i in rendered if i not in rejected]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda i: run_one(binary, i, rendered[i], directory / f"p{i}.go"), runnable)
        for index, outcome in zip(runnable, results, strict=True):
            outcomes[index] = outcome
    return rendered, outcomes
