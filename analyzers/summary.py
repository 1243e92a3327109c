"""The closing line a person reads after `nilmap check` on a terminal.

It counts what the report listed, so the numbers add up: findings, how many of them
`--fix` would take care of, and how many more need `--unsafe-fixes`.
"""
from __future__ import annotations

from collections.abc import Sequence

from analyzers.model import Diagnostic


def count(n: int, noun: str) -> str:
    """`1 finding`, `2 findings`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def check_summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """`nilmap: 3 findings, 2 fixable with --fix`, or `nilmap: checked 91 files, no findings`."""
    if not diagnostics:
        return f"nilmap: checked {count(files, 'file')}, no findings"
    fixable = sum(1 for d in diagnostics if d.preferred_fix is not None)
    unsafe = sum(1 for d in diagnostics if d.fixes and d.preferred_fix is None)
    line = f"nilmap: {count(len(diagnostics), 'finding')}, {fixable} fixable with --fix"
    if unsafe:
        line += f" ({unsafe} more with --unsafe-fixes)"
    return line
