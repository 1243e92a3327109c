"""What a rule is and what it sees: the interface every rule module imports.

A rule is called with a `Pass` (the x/tools shape): the package index, the files to report
on, the settings, the results of shared analyses, and one output verb, `report`. Nothing
here runs rules: the table is `analyzers.rules`, the driver `analyzers.checker`, the
documentation catalogue `analyzers.registry`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from analyzers.index import PackageIndex
from analyzers.model import Diagnostic, Severity
from analyzers.source import SourceFile

DOCS_URL = "https://github.com/nilmap/nilmap/blob/main/docs/rules.md#{code}"


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


@dataclass(frozen=True)
class Rule:
    """A rule's identity, documentation and check."""

    code: str
    name: str
    title: str
    severity: Severity
    since: str
    fix_availability: Literal["never", "sometimes", "always"]
    default_enabled: bool
    doc: str
    run: Callable[[Pass], None] | None  # None: applied by the checker itself (NM900)

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code.lower())

    def section(self, heading: str) -> str:
        """The text under one `## heading` of the documentation, without the heading."""
        match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        return match.group(1).strip() if match else ""

    @property
    def summary(self) -> str:
        """The first sentence of `## What it does`."""
        what = self.section("What it does")
        return what.split("\n\n")[0].replace("\n", " ")

    def markdown(self) -> str:
        """The documentation as Markdown, headed by code and name (hover and docs)."""
        return f"# {self.code} {self.name}\n\n{self.doc.strip()}\n"
