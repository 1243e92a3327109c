"""The driver: runs the enabled rules over a package, then the suppressions.

A rule that raises is logged and skipped; the other rules still report.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from analyzers.fixes.comments import realigned_in_files
from analyzers.index import PackageIndex
from analyzers.model import Diagnostic
from analyzers.rule import Pass, Rule, Settings
from analyzers.rules import RULES
from analyzers.suppressions import apply_suppressions

__all__ = ["PackageReport", "RuleFailure", "Settings", "check_package"]

log = logging.getLogger("nilmap")


@dataclass
class RuleFailure:
    rule: str
    path: str
    error: str


@dataclass
class PackageReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)


def check_package(
    package: PackageIndex,
    targets: list[str] | None = None,
    settings: Settings | None = None,
    rules: tuple[Rule, ...] | None = None,
    cache: Any = None,
) -> PackageReport:
    """Run the enabled rules on `package`, reporting findings in `targets` (default: all files)."""
    settings = settings or Settings()
    target_files = [package.files[p] for p in (targets or sorted(package.files)) if p in package.files]
    report = PackageReport()
    target_paths = {f.path for f in target_files}
    results: dict[str, Any] = {}
    failures: list[str] = []
    for rule in rules if rules is not None else RULES:
        if not settings.enabled(rule.code, rule.default_enabled):
            continue
        found: list[Diagnostic] = []
        pass_ = Pass(package, target_files, settings, results, found.append, failures, cache)
        try:
            rule.run(pass_)
        except Exception as exc:  # a bug in one rule must not hide the others' findings
            log.exception("rule %s failed on package %s", rule.code, sorted(target_paths)[:1])
            report.failures.append(RuleFailure(rule.code, ",".join(sorted(target_paths)[:1]), repr(exc)))
            continue
        severity = settings.severity_of(rule.code, rule.severity)
        for diagnostic in found:
            if diagnostic.path not in target_paths:
                continue
            if severity != rule.severity:
                diagnostic = replace(diagnostic, severity=severity)
            if diagnostic.fixes:
                diagnostic = replace(diagnostic, fixes=tuple(realigned_in_files(fix, diagnostic.path, _source_of(package)) for fix in diagnostic.fixes))
            report.diagnostics.append(diagnostic)
    report.failures.extend(RuleFailure("flow", message.split(":", 1)[0], message) for message in failures)
    report.diagnostics = apply_suppressions(target_files, report.diagnostics, settings)
    report.diagnostics.sort(key=lambda d: (d.path, d.span.start, d.rule, d.message))
    return report


def _source_of(package: PackageIndex) -> Callable[[str], bytes | None]:
    def source_of(path: str) -> bytes | None:
        file = package.files.get(path)
        return file.source if file is not None else None

    return source_of
