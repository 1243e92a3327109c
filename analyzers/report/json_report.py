"""A JSON array of findings, with fixes and related locations."""
from __future__ import annotations

import json

from analyzers.model import Diagnostic
from analyzers.registry import rule_by_code
from analyzers.report.locations import LineIndexOf, one_based


def diagnostic_record(d: Diagnostic, lines_of: LineIndexOf) -> dict:
    line, col, end_line, end_col = one_based(lines_of(d.path), d.span)
    rule = rule_by_code(d.rule)
    related = []
    for r in d.related:
        r_line, r_col, r_end_line, r_end_col = one_based(lines_of(r.path), r.span)
        related.append(
            {"path": r.path, "line": r_line, "column": r_col, "end_line": r_end_line, "end_column": r_end_col, "message": r.message}
        )
    return {
        "path": d.path,
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
        "code": d.rule,
        "name": rule.name if rule else d.rule,
        "severity": d.severity.name.lower(),
        "message": d.message,
        "fixes": [
            {
                "title": f.title,
                "applicability": f.applicability.value,
                # Byte offsets in `path`: a fix may also edit another file of the package.
                "edits": [{"path": e.path or d.path, "start": e.start, "end": e.end, "new_text": e.new_text} for e in f.edits],
            }
            for f in d.fixes
        ],
        "related": related,
    }


def format_json(diagnostics: list[Diagnostic], lines_of: LineIndexOf, notices: tuple = ()) -> str:
    # `notices` go to stderr for these formats (the CLI prints them there).
    return json.dumps([diagnostic_record(d, lines_of) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
