"""Shrunk disagreements written as fixture candidates, in the rule fixtures' format.

`tests/fixtures_pending/generated/<kind>_<n>/main.go`: the shrunk program without its
markers, `// want "nil"` on the write that panics and must be found, `// OK: <why>` on the
write nilmap wrongly flags, and a header saying where it came from. Before it is written,
the candidate is checked again as it stands: gofmt-clean, the runtime still panics at the
want line (or not at the OK line), and nilmap still disagrees there.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.generated.deferred import deferred_call_lines
from tests.generated.findings import check_source
from tests.generated.program import render
from tests.generated.shrink import Shrunk
from tests.generated.verdicts import MISS
from tests.gotool import NIL_MAP_PANIC, go_run, gofmt_l, write_module

_FRAME = re.compile(r"^\t(/\S+\.go):(\d+)", re.MULTILINE)
GO_MOD = b"module example.com/pending\n\ngo 1.22\n"
GENERATED_HEADER = "// Generated program (seed "


@dataclass(frozen=True)
class Candidate:
    directory: str  # <kind>_<n>
    source: str
    line: int  # the line with the want or OK comment


def fixture_source(shrunk: Shrunk, why: str) -> tuple[str, int]:
    """The fixture's text and the line that carries its comment."""
    plain = render(shrunk.program, markers=False)
    target = plain.write_lines[shrunk.discrepancy.write]
    d = shrunk.discrepancy
    if d.kind == MISS:
        comment = ' // want "nil"'
        said = "nilmap reports nothing on the panic's path"
        ran = "panics here with `assignment to entry in nil map`"
    else:
        comment = f" // OK: {why}"
        said = "nilmap reports " + "; ".join(f"{f.code} ({f.severity}) `{f.message}`" for f in d.findings)
        ran = "runs this write and does not panic on it"
    header = [
        f"{GENERATED_HEADER}{shrunk.program.seed}), shrunk from {shrunk.lines_before} to {shrunk.lines_after} lines.",
        f"// The Go runtime {ran}; {said}.",
        "",
    ]
    lines = plain.text.split("\n")
    lines[target - 1] += comment
    return "\n".join(_wrap(header) + lines), target + len(_wrap(header))


def _wrap(header: list[str]) -> list[str]:
    """Header comments folded at 100 columns, as the project's Go files are."""
    out = []
    for line in header:
        while len(line) > 100:
            cut = line.rfind(" ", 0, 100)
            out.append(line[:cut])
            line = "// " + line[cut + 1 :]
        out.append(line)
    return out


def verify(source: str, line: int, kind: str) -> str | None:
    """Why the candidate no longer shows the disagreement as written, or None."""
    with tempfile.TemporaryDirectory(prefix="nilmap-pending-") as directory:
        root = write_module(directory, {"go.mod": GO_MOD, "main.go": source.encode()})
        if gofmt_l(root):
            return "not gofmt-clean"
        code, stderr = go_run(root)
        main = str((root / "main.go").resolve())
        top = next((int(n) for path, n in _FRAME.findall(stderr) if path == main), None)
        panicked_here = code != 0 and NIL_MAP_PANIC in stderr and top == line
        findings = check_source(source).findings
        on_line = [f for f in findings if f.line == line]
        if kind == MISS:
            if not panicked_here:
                return f"does not panic at line {line}: {stderr[-400:]}"
            stack = {int(n) for path, n in _FRAME.findall(stderr) if path == main} | deferred_call_lines(stderr, main, source)
            if any(f.lines & stack for f in findings):
                return "nilmap finds it now"
            return None
        if code != 0:
            return f"does not run clean (a fixture without wants must): {stderr[-400:]}"
        if not any(f.severity == "error" for f in on_line):
            return "nilmap no longer reports an error on this line"
        return None


def write_candidate(root: Path, candidate: Candidate) -> Path:
    directory = root / candidate.directory
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "main.go"
    path.write_text(candidate.source)
    return path
