"""Applying fixes to files' bytes.

Fixes of different findings may touch the same bytes; those that overlap an edit already
taken are left for the next round (the CLI re-checks and applies again), as ruff does. A
fix may edit several files of a package (the make where a struct is built, offered at the
write in another file); it is taken whole or not at all.
"""
from __future__ import annotations

from typing import Callable

from analyzers.model import Diagnostic, Edit, Fix


def choose_fixes(diagnostics: list[Diagnostic], unsafe: bool) -> list[Fix]:
    """The fix to apply for each finding: the first safe one, or with `unsafe` the rule's first choice."""
    return [fix for _, fix in choose_file_fixes(diagnostics, unsafe)]


def choose_file_fixes(diagnostics: list[Diagnostic], unsafe: bool) -> list[tuple[str, Fix]]:
    """(the finding's file, its fix) for each finding that has one to apply."""
    chosen = []
    for d in diagnostics:
        fix = d.preferred_fix if not unsafe else (d.fixes[0] if d.fixes else None)
        if fix is not None:
            chosen.append((d.path, fix))
    return chosen


def apply_fixes(source: bytes, fixes: list[Fix]) -> tuple[bytes, int]:
    """Apply every fix whose edits overlap none taken before; returns the bytes and the count applied.

    One file only: fixes that edit other files are left out.
    """
    fixed, applied = apply_file_fixes([("", f) for f in fixes if f.is_local()], lambda _: source)
    return fixed.get("", source), applied


def apply_file_fixes(chosen: list[tuple[str, Fix]], read: Callable[[str], bytes]) -> tuple[dict[str, bytes], int]:
    """Apply (home file, fix) pairs across files; returns the new bytes of each file edited
    and the count of fixes applied. `read` gives a file's current bytes."""
    taken: dict[str, list[tuple[int, int]]] = {}
    edits: dict[str, list[Edit]] = {}
    seen: set[tuple] = set()
    applied = 0
    for home, fix in chosen:
        files = fix.edits_by_file(home)
        key = tuple((path, e.start, e.end, e.new_text) for path in sorted(files) for e in files[path])
        if key in seen:  # two findings may offer the very same fix (one make serves both)
            continue
        if any(_overlaps(e.start, e.end, a, b) for path, es in files.items() for e in es for a, b in taken.get(path, ())):
            continue
        seen.add(key)
        for path, es in files.items():
            taken.setdefault(path, []).extend((e.start, e.end) for e in es)
            edits.setdefault(path, []).extend(es)
        applied += 1
    out = {}
    for path, es in edits.items():
        text = read(path)
        for edit in sorted(es, key=lambda e: (e.start, e.end), reverse=True):
            text = text[: edit.start] + edit.new_text.encode("utf-8") + text[edit.end :]
        out[path] = text
    return out, applied


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    if start == end == other_start == other_end:
        return True  # two insertions at one place: their order would be a guess
    return start < other_end and other_start < end
