"""nilmap's findings on one generated program, checked in this process as the CLI would.

The program is checked alone (`package main` in one file, its names unprefixed), with every
rule on, the opt-in NM004 included (its decoded-JSON shapes are judged by the runtime like
the others), each at its own severity.
"""
from __future__ import annotations

from dataclasses import dataclass

from analyzers.checker import check_package
from analyzers.index import PackageIndex
from analyzers.rule import Settings
from analyzers.source import SourceFile

EVERY_RULE = Settings(select=frozenset({"NM"}))


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based
    code: str
    severity: str  # "error", "warning", "info"
    message: str
    related: tuple[int, ...]  # lines of the related locations in the same file

    @property
    def lines(self) -> frozenset[int]:
        return frozenset((self.line,) + self.related)

    def __str__(self) -> str:
        return f"{self.line}: {self.code} {self.severity}: {self.message}"


@dataclass(frozen=True)
class Checked:
    findings: tuple[Finding, ...]
    failures: tuple[str, ...]  # internal errors nilmap reported


def check_source(text: str, path: str = "/generated/main.go") -> Checked:
    """Run every rule on the one-file package `text`."""
    source = SourceFile(path, text.encode())
    report = check_package(PackageIndex([source]), settings=EVERY_RULE)
    lines = source.lines
    findings = []
    for d in report.diagnostics:
        if d.path != path:
            continue
        related = tuple(lines.line_of(r.span.start) + 1 for r in d.related if r.path == path)
        findings.append(Finding(lines.line_of(d.span.start) + 1, d.rule, d.severity.name.lower(), d.message, related))
    failures = tuple(f"{f.rule}: {f.error}" for f in report.failures)
    return Checked(tuple(findings), failures)
