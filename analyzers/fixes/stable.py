"""Fixing until nothing more can be fixed: the loop `nilmap check --fix` and the editor's
fix-all share, so both leave a file in the same state.

Fixes of different findings may overlap; `apply_fixes` takes those that do not and leaves
the others. The text is then checked again, and the fixes of the new findings applied, until
a round changes nothing. Every round works on bytes it was given, never on a file re-read
from disk: the offsets of a fix are only meaningful in the text that was checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from analyzers.fixes.apply import apply_file_fixes, choose_file_fixes
from analyzers.model import Diagnostic

# A round applies at least one fix or ends the loop; real packages settle in two or three.
MAX_ROUNDS = 10

Check = Callable[[Mapping[str, bytes]], list[Diagnostic]]


@dataclass
class Fixed:
    """What fixing did: the new text of each file it changed, and what is left."""

    sources: dict[str, bytes] = field(default_factory=dict)  # only the files that changed
    applied_by_path: dict[str, int] = field(default_factory=dict)  # fixes applied, over every round
    remaining: list[Diagnostic] = field(default_factory=list)  # findings in the fixed text

    @property
    def applied(self) -> int:
        return sum(self.applied_by_path.values())


def fix_until_stable(
    sources: Mapping[str, bytes],
    check: Check,
    unsafe: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    max_rounds: int = MAX_ROUNDS,
) -> Fixed:
    """Apply the chosen fix of every finding in `sources`, re-check, and repeat until stable.

    `check` gives the findings of a version of the files (`sources` with fixed files in
    their place); `diagnostics`, when given, are those of `sources` themselves, so the first
    check is not done twice. Findings in files not in `sources` are left alone.
    """
    current = dict(sources)
    found = check(current) if diagnostics is None else list(diagnostics)
    applied: dict[str, int] = {}
    for _ in range(max_rounds):
        # A fix may edit several files (NM003's make where the value is built); those whose
        # edits all fall in `sources` are applied together, each file as this round left it.
        chosen = [(home, fix) for home, fix in choose_file_fixes(found, unsafe) if home in current and fix.edits_by_file(home).keys() <= current.keys()]
        new_files, count = apply_file_fixes(chosen, current.__getitem__)
        changed = False
        for path, new in new_files.items():
            if new != current[path]:
                current[path] = new
                changed = True
        for home, _fix in chosen:
            if count and home in new_files:
                applied[home] = applied.get(home, 0) + 1
        if not changed:
            break
        found = check(current)
    changed_sources = {path: text for path, text in current.items() if text != sources[path]}
    return Fixed(changed_sources, applied, found)


def _by_path(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        grouped.setdefault(diagnostic.path, []).append(diagnostic)
    return grouped
