"""Formatters for `nilmap check`: text (as go vet prints), JSON, SARIF 2.1.0 and GitHub annotations."""
from __future__ import annotations

from typing import Protocol

from analyzers.model import Diagnostic
from analyzers.report.github import format_github
from analyzers.report.json_report import format_json
from analyzers.report.locations import LineIndexOf, Notice
from analyzers.report.sarif import format_sarif
from analyzers.report.text_report import format_text


class Formatter(Protocol):
    """A report format: the findings, and what the run could not do, as one text."""

    def __call__(self, diagnostics: list[Diagnostic], lines_of: LineIndexOf, *, notices: list[Notice]) -> str: ...


FORMATTERS: dict[str, Formatter] = {"text": format_text, "json": format_json, "sarif": format_sarif, "github": format_github}

__all__ = ["FORMATTERS", "Formatter", "format_github", "format_json", "format_sarif", "format_text"]
