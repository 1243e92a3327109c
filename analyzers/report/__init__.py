"""Formatters for `nilmap check`: text (as go vet prints), JSON and SARIF 2.1.0."""
from __future__ import annotations

from analyzers.report.json_report import format_json
from analyzers.report.sarif import format_sarif
from analyzers.report.text_report import format_text

FORMATTERS = {"text": format_text, "json": format_json, "sarif": format_sarif}

__all__ = ["FORMATTERS", "format_json", "format_sarif", "format_text"]
