"""GitHub Actions workflow commands: one `::error file=...,line=...::` line per finding.

The runner turns each line into an annotation on the pull request's diff. The shape follows
ruff's `--output-format github`; columns count characters, as the annotations do. Related
locations go into the message, since an annotation has one place only.
"""
from __future__ import annotations

import os

from analyzers.model import Diagnostic, Severity
from analyzers.report.locations import LineIndexOf, Notice, one_based

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    """Escape a command's message (the runner decodes these three)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a property value, where `:` and `,` are separators too."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _path(path: str) -> str:
    return (os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)).replace(os.sep, "/")


def format_github(diagnostics: list[Diagnostic], lines_of: LineIndexOf, notices: tuple[Notice, ...] | list[Notice] = ()) -> str:
    # What the run could not do comes first, as errors on the files concerned.
    out = [f"::error title=nilmap,file={_property(_path(n.path))}::{_data(n.message)}" for n in notices]
    for d in diagnostics:
        path = _path(d.path)
        line, col, end_line, end_col = one_based(lines_of(d.path), d.span, "utf-32")
        message = f"{path}:{line}:{col}: {d.rule} {d.message}"
        for r in d.related:
            r_line, r_col, _, _ = one_based(lines_of(r.path), r.span, "utf-32")
            message += f"\n{_path(r.path)}:{r_line}:{r_col}: {r.message}"
        properties = ",".join(
            f"{name}={_property(str(value))}"
            for name, value in (
                ("title", f"nilmap ({d.rule})"),
                ("file", path),
                ("line", line),
                ("col", col),
                ("endLine", end_line),
                ("endColumn", end_col),
            )
        )
        out.append(f"::{_COMMANDS[d.severity]} {properties}::{_data(message)}")
    return "\n".join(out) + ("\n" if out else "")
