"""SARIF 2.1.0, the format code-scanning services read; rule metadata comes from the registry.

SARIF columns are counted in UTF-16 code units (its default `columnKind`).
"""
from __future__ import annotations

import json
import os

from analyzers import __version__
from analyzers.model import Diagnostic, Severity
from analyzers.registry import documented_rules
from analyzers.report.locations import LineIndexOf, Notice, one_based

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    return os.path.relpath(path).replace(os.sep, "/") if os.path.isabs(path) else path.replace(os.sep, "/")


def _region(lines_of: LineIndexOf, path: str, span) -> dict:
    line, col, end_line, end_col = one_based(lines_of(path), span, "utf-16")
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _location(lines_of: LineIndexOf, path: str, span, message: str | None = None) -> dict:
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": _region(lines_of, path, span)}}
    if message:
        location["message"] = {"text": message}
    return location


def _rules() -> list[dict]:

    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.summary, "markdown": rule.doc.strip()},
            "helpUri": rule.url,
            "help": {"text": rule.summary, "markdown": rule.markdown()},
            "defaultConfiguration": {"level": _LEVELS[rule.severity], "enabled": rule.default_enabled},
            "properties": {"since": rule.since},
        }
        for rule in documented_rules()
    ]


def _result(d: Diagnostic, lines_of: LineIndexOf) -> dict:
    result: dict = {
        "ruleId": d.rule,
        "level": _LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [_location(lines_of, d.path, d.span)],
    }
    if d.related:
        result["relatedLocations"] = [
            {"id": i, **_location(lines_of, r.path, r.span, r.message)} for i, r in enumerate(d.related)
        ]
    if d.fixes:
        result["fixes"] = [
            {
                "description": {"text": f.title},
                "artifactChanges": [  # one per file the fix edits, the finding's own first
                    {
                        "artifactLocation": {"uri": _uri(path)},
                        "replacements": [
                            {
                                "deletedRegion": {"byteOffset": e.start, "byteLength": e.end - e.start},
                                "insertedContent": {"text": e.new_text},
                            }
                            for e in edits
                        ],
                    }
                    for path, edits in f.edits_by_file(d.path).items()
                ],
            }
            for f in d.fixes
        ]
    return result


def _invocation(notices: tuple[Notice, ...] | list[Notice]) -> dict:
    """Whether the run went through, and what it could not do (code scanning lists these)."""
    return {
        "executionSuccessful": not notices,
        "toolExecutionNotifications": [
            {
                "level": "error",
                "message": {"text": notice.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(notice.path)}}}],
            }
            for notice in notices
        ],
    }


def format_sarif(diagnostics: list[Diagnostic], lines_of: LineIndexOf, notices: tuple[Notice, ...] | list[Notice] = ()) -> str:
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nilmap",
                        "version": __version__,
                        "informationUri": "https://github.com/nilmap/nilmap",
                        "rules": _rules(),
                    }
                },
                "invocations": [_invocation(notices)],
                "columnKind": "utf16CodeUnits",
                "results": [_result(d, lines_of) for d in diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
