"""NM900 unused-suppression: `//nilmap:ignore` comments that silence nothing or give no reason.

A suppression on the line of a finding, or alone on the line above it, silences findings of
the rules it names there: `//nilmap:ignore NM001 reason`, or `NM001,NM003` for several.

## What it does
Checks for `//nilmap:ignore` comments that name no rule, that silence no finding of the
rules they name (when those rules run), or that give no reason after the rule codes.

## Why is this bad?
A suppression outlives the code it was written for: after the bug is fixed or the line
moves, a stale comment hides nothing today and would hide a new bug tomorrow. A reason tells
the next reader why the finding was left, instead of making them rediscover it.

## Example
```go
m[k] = v //nilmap:ignore NM001
```

Use instead:
```go
m[k] = v //nilmap:ignore NM001 the crash test wants this panic
```

## Known problems
Unused suppressions of rules that are not selected are not reported, since they might
silence something when those rules run.

## References
- [ruff's unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.model import Diagnostic, Severity, Span
from analyzers.rule import Rule, Settings
from analyzers.source import SourceFile

# Suppressions are parsed here and nowhere else.
DIRECTIVE = re.compile(rb"//\s*nilmap:ignore\b[ \t]*([A-Za-z0-9, ]*?)(?:[ \t]+(\S.*?))?[ \t]*\r?$", re.M)
CODE = "NM900"

RULE = Rule(
    code=CODE,
    name="unused-suppression",
    title="suppression that silences nothing or gives no reason",
    severity=Severity.WARNING,
    since="0.1.0",
    fix_availability="never",
    default_enabled=True,
    doc=__doc__ or "",
    run=None,  # applied by the checker after the other rules, over their findings
)


@dataclass(frozen=True)
class Suppression:
    path: str
    span: Span
    line: int  # the line it covers
    codes: frozenset[str]
    reason: str


def find_suppressions(file: SourceFile) -> list[Suppression]:
    found = []
    if b"nilmap:ignore" not in file.source:
        return found
    for match in DIRECTIVE.finditer(file.source):
        codes = frozenset(c for c in re.split(r"[ ,]+", match.group(1).decode()) if c)
        reason = (match.group(2) or b"").decode("utf-8", errors="replace")
        line = file.lines.line_of(match.start())
        line_start = file.lines.line_starts[line]
        alone = file.source[line_start : match.start()].strip() == b""
        found.append(Suppression(file.path, Span(match.start(), match.end()), line + 1 if alone else line, codes, reason))
    return found


def apply_suppressions(files: list[SourceFile], diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Drop suppressed findings; report unused and reason-less suppressions."""
    by_path = {f.path: f for f in files}
    suppressions = [s for f in files for s in find_suppressions(f)]
    if not suppressions:
        return diagnostics
    used: set[Suppression] = set()
    kept = []
    for diagnostic in diagnostics:
        line = by_path[diagnostic.path].lines.line_of(diagnostic.span.start)
        match = next(
            (s for s in suppressions if s.path == diagnostic.path and s.line == line and diagnostic.rule in s.codes),
            None,
        )
        if match is None:
            kept.append(diagnostic)
        else:
            used.add(match)
    if settings.enabled(CODE):
        severity = settings.severity_of(CODE, RULE.severity)
        for s in suppressions:
            if not s.codes:
                kept.append(Diagnostic(CODE, "suppression names no rule (`//nilmap:ignore NM001 reason`)", s.path, s.span, severity))
            elif s not in used and all(settings.enabled(code) for code in s.codes):
                names = ", ".join(sorted(s.codes))
                kept.append(Diagnostic(CODE, f"unused suppression of {names}: no such finding here", s.path, s.span, severity))
            elif not s.reason:
                kept.append(Diagnostic(CODE, "suppression needs a reason after the rule code", s.path, s.span, severity))
    return kept
