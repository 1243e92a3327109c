"""The `defer` statement behind a deferred call that panicked.

A call deferred with `defer putInts(cfg.Counts, k)` runs as its function returns, so the
panic's stack names the deferred function's frame and, below it, the function that
deferred it at the line of its return (or closing brace), not the `defer` line: that line,
where the arguments were evaluated and where a finding about the call sits, is on no
frame. This module gives it back: for each frame of the program whose caller's line does
not itself call it, the `defer` lines of the caller that call it by name.
"""
from __future__ import annotations

import re

_LOCATION = re.compile(r"^\t(/\S+\.go):(\d+)")


def deferred_call_lines(stderr: str, path: str, source: str) -> set[int]:
    """Lines of `defer` statements in `source` (the program at `path`) whose deferred call is
    a frame of the panicking goroutine's stack."""
    lines = source.splitlines()
    frames = _frames(stderr, path)
    found: set[int] = set()
    for callee, caller in zip(frames, frames[1:], strict=False):
        if callee is None or caller is None:
            continue
        name, _ = callee
        _, line = caller
        if not 0 < line <= len(lines) or re.search(rf"\b{re.escape(name)}\(", lines[line - 1]):
            continue  # the caller calls it on that line: a plain call, already on the stack
        start, end = _enclosing_function(lines, line)
        for number in range(start, end + 1):
            if re.match(rf"\s*defer\s+(?:[\w.()*]+\.)?{re.escape(name)}\(", lines[number - 1]):
                found.add(number)
    return found


def _frames(stderr: str, path: str) -> list[tuple[str, int] | None]:
    """The first goroutine's frames, top first: (the function's own name, line) for a frame
    in the program, None for any other (a closure's frame, the runtime's)."""
    text = stderr.splitlines()
    start = next((i for i, line in enumerate(text) if line.startswith("goroutine ")), None)
    if start is None:
        return []
    frames: list[tuple[str, int] | None] = []
    for i in range(start + 1, len(text) - 1):
        if not text[i] or text[i].startswith("goroutine "):
            break
        location = _LOCATION.match(text[i + 1])
        if text[i].startswith("\t") or location is None:
            continue
        if text[i].startswith("created by "):
            break
        if location.group(1) != path or "(" not in text[i]:
            frames.append(None)
            continue
        name = text[i][: text[i].rfind("(")].rsplit(".", 1)[-1]  # `main.(*p1_Store).Put(...)`: Put
        frames.append(None if re.fullmatch(r"func\d+|gowrap\d+", name) else (name, int(location.group(2))))
    return frames


def _enclosing_function(lines: list[str], line: int) -> tuple[int, int]:
    """The first and last lines of the top-level function holding `line` (1-based)."""
    start = line
    while start > 1 and not lines[start - 1].startswith("func "):
        start -= 1
    end = line
    while end < len(lines) and lines[end - 1] != "}":
        end += 1
    return start, end
