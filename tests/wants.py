"""`// want "regexp"` expectations in Go fixtures, parsed as go/analysis' analysistest does.

A comment starting with `want` holds one or more quoted regexps (double quotes or
backquotes); each must match one finding on that line. Unexpected findings and unmatched
expectations both fail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"//\s*want\s+(.*)$")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')


class WantSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Want:
    path: str
    line: int  # 1-based
    pattern: re.Pattern


def parse_wants(path: str, source: str) -> list[Want]:
    wants = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _COMMENT.search(line)
        if match is None:
            continue
        rest = match.group(1).strip()
        patterns = []
        position = 0
        while position < len(rest):
            if rest[position].isspace():
                position += 1
                continue
            quoted = _QUOTED.match(rest, position)
            if quoted is None:
                raise WantSyntaxError(f"{path}:{number}: malformed want comment: {rest!r}")
            raw = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            if quoted.group(1) is not None:
                raw = raw.encode().decode("unicode_escape") if "\\\\" in raw or '\\"' in raw else raw
            try:
                patterns.append(re.compile(raw))
            except re.error as exc:
                raise WantSyntaxError(f"{path}:{number}: bad regexp {raw!r}: {exc}") from exc
            position = quoted.end()
        if not patterns:
            raise WantSyntaxError(f"{path}:{number}: want comment without a pattern")
        wants.extend(Want(path, number, p) for p in patterns)
    return wants


def match_findings(wants: list[Want], findings: list[tuple[str, int, str]]) -> list[str]:
    """Pair findings (path, line, message) with wants; returns the problems, one line each."""
    problems = []
    remaining = list(wants)
    for path, line, message in findings:
        hit = next((w for w in remaining if w.path == path and w.line == line and w.pattern.search(message)), None)
        if hit is None:
            problems.append(f"{path}:{line}: unexpected finding: {message}")
        else:
            remaining.remove(hit)
    for want in remaining:
        problems.append(f"{want.path}:{want.line}: no finding matched want {want.pattern.pattern!r}")
    return problems
