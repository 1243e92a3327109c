"""Applying fixes to a file's bytes.

Fixes of different findings may touch the same bytes; those that overlap an edit already
taken are left for the next round (the CLI re-checks and applies again), as ruff does.
"""
from __future__ import annotations

from analyzers.model import Diagnostic, Fix


def choose_fixes(diagnostics: list[Diagnostic], unsafe: bool) -> list[Fix]:
    """The fix to apply for each finding: the first safe one, or with `unsafe` the rule's first choice."""
    chosen = []
    for d in diagnostics:
        fix = d.preferred_fix if not unsafe else (d.fixes[0] if d.fixes else None)
        if fix is not None:
            chosen.append(fix)
    return chosen


def apply_fixes(source: bytes, fixes: list[Fix]) -> tuple[bytes, int]:
    """Apply every fix whose edits overlap none taken before; returns the bytes and the count applied."""
    taken: list[tuple[int, int]] = []
    edits = []
    applied = 0
    seen: set[tuple] = set()
    for fix in fixes:
        key = tuple((e.start, e.end, e.new_text) for e in fix.edits)
        if key in seen:  # two findings may offer the very same fix (one make serves both)
            continue
        if any(_overlaps(e.start, e.end, a, b) for e in fix.edits for a, b in taken):
            continue
        seen.add(key)
        taken.extend((e.start, e.end) for e in fix.edits)
        edits.extend(fix.edits)
        applied += 1
    out = source
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.new_text.encode("utf-8") + out[edit.end :]
    return out, applied


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    if start == end == other_start == other_end:
        return True  # two insertions at one place: their order would be a guess
    return start < other_end and other_start < end
