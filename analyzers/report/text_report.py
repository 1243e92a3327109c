"""`path:line:col: NM001 message`, one finding a line, as go vet and golangci-lint print."""
from __future__ import annotations

from analyzers.model import Diagnostic
from analyzers.report.locations import LineIndexOf, Notice, one_based


def format_text(diagnostics: list[Diagnostic], lines_of: LineIndexOf, show_fixes: bool = True, notices: tuple[Notice, ...] | list[Notice] = ()) -> str:
    # `notices` go to stderr for these formats (the CLI prints them there).
    out = []
    for d in diagnostics:
        line, col, _, _ = one_based(lines_of(d.path), d.span)
        out.append(f"{d.path}:{line}:{col}: {d.rule} {d.message}")
        if show_fixes and d.fixes:
            fix = d.preferred_fix or d.fixes[0]
            out.append(f"    fix ({fix.applicability.value}): {fix.title}")
    return "\n".join(out) + ("\n" if out else "")
