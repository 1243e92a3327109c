"""Formatters for `nilmap check`: text (as go vet prints), JSON, SARIF 2.1.0 and GitHub annotations."""
from __future__ import annotations

from analyzers.report.github import format_github
from analyzers.report.json_report import format_json
from analyzers.report.sarif import format_sarif
from analyzers.report.text_report import format_text

FORMATTERS = {"text": format_text, "json": format_json, "sarif": format_sarif, "github": format_github}

__all__ = ["FORMATTERS", "format_github", "format_json", "format_sarif", "format_text"]
