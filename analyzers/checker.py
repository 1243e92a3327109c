"""Running the rules over a package: the `Pass` a rule sees, settings, and the driver.

A rule is called with a `Pass` (the x/tools shape): the package index, the files to report
on, the settings, the results of shared analyses, and one output verb, `report`. A rule
that raises is logged and skipped; the other rules still report.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from analyzers.index import PackageIndex
from analyzers.model import Diagnostic, Severity
from analyzers.source import SourceFile

log = logging.getLogger("nilmap")


@dataclass(frozen=True)
class Settings:
    """Which rules run and how loud they are."""

    select: frozenset[str] | None = None  # None: every default-enabled rule
    ignore: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()

    def enabled(self, code: str, default_enabled: bool = True) -> bool:
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        if self.select is None:
            return default_enabled
        return code in self.select or any(code.startswith(prefix) for prefix in self.select)

    def severity_of(self, code: str, default: Severity) -> Severity:
        return dict(self.severity).get(code, default)


@dataclass
class Pass:
    """What one rule sees of one package."""

    package: PackageIndex
    targets: list[SourceFile]
    settings: Settings
    results: dict[str, Any]
    report: Callable[[Diagnostic], None]
    failures: list[str] = field(default_factory=list)
    cache: Any = None  # a `FunctionCache` kept across checks by the language server

    def fail(self, message: str) -> None:
        """Record an internal error that cost some findings; the check goes on."""
        if message not in self.failures:
            self.failures.append(message)

    def result_of(self, name: str, compute: Callable[["Pass"], Any]) -> Any:
        """A shared analysis, computed once per package check and reused by every rule."""
        if name not in self.results:
            self.results[name] = compute(self)
        return self.results[name]

    def file(self, path: str) -> SourceFile:
        return self.package.files[path]


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
    rules: tuple | None = None,
    cache: Any = None,
) -> PackageReport:
    """Run the enabled rules on `package`, reporting findings in `targets` (default: all files)."""
    from analyzers.fixes.comments import realigned
    from analyzers.fixes.line_endings import with_line_endings
    from analyzers.rules import RULES
    from analyzers.suppressions import apply_suppressions

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
                source = package.files[diagnostic.path].source
                fixes = tuple(with_line_endings(source, realigned(source, fix)) for fix in diagnostic.fixes)
                diagnostic = replace(diagnostic, fixes=fixes)
            report.diagnostics.append(diagnostic)
    report.failures.extend(RuleFailure("flow", message.split(":", 1)[0], message) for message in failures)
    report.diagnostics = apply_suppressions(target_files, report.diagnostics, settings)
    report.diagnostics.sort(key=lambda d: (d.path, d.span.start, d.rule, d.message))
    return report
