"""The language server with test-only rules added to the rule table, so that the LSP layer
can be tested on behaviour no real rule shows on demand:

- `--failing`: NM999 always raises (a bug in a rule must be logged, reported once, and not
  hide the other rules' findings);
- `--fixable`: NM998 reports each `panic("nilmap-test")` call with two alternative fixes, a
  safe one first ("Remove the call") and an unsafe one ("Replace it with `return`").
"""
from __future__ import annotations

import sys

import analyzers.rules
from analyzers.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from analyzers.rule import Rule

MARKER = b'panic("nilmap-test")'
DOC = """## What it does
Checks for `panic("nilmap-test")` (a rule of the language server tests).

## Why is this bad?
It is not; it gives the tests a finding with a safe and an unsafe fix.

## Example
```go
panic("nilmap-test")
```

## Known problems
None.

## References
tests/lsp/extra_rules_server.py
"""


def _explode(pass_: object) -> None:
    raise RuntimeError("boom: a bug in a rule")


def _fixable(pass_) -> None:  # type: ignore[no-untyped-def]
    for file in pass_.targets:
        start = file.source.find(MARKER)
        while start != -1:
            end = start + len(MARKER)
            pass_.report(
                Diagnostic(
                    "NM998",
                    "test finding `panic`",
                    file.path,
                    Span(start, end),
                    Severity.WARNING,
                    fixes=(
                        Fix("Remove the call", (Edit(start, end, ""),), Applicability.SAFE),
                        Fix("Replace it with `return`", (Edit(start, end, "return"),), Applicability.UNSAFE),
                    ),
                )
            )
            start = file.source.find(MARKER, end)


EXTRA = {
    "--failing": Rule("NM999", "always-fails", "a rule that always fails", Severity.ERROR, "0.1.0", "never", True, DOC, _explode),
    "--fixable": Rule("NM998", "test-finding", "a test finding with fixes", Severity.WARNING, "0.1.0", "always", True, DOC, _fixable),
}
analyzers.rules.RULES = tuple(analyzers.rules.RULES) + tuple(EXTRA[flag] for flag in sys.argv[1:] if flag in EXTRA)

from lsp_server.__main__ import main  # noqa: E402  (after the rule table is patched)

sys.exit(main([a for a in sys.argv[1:] if a not in EXTRA]))
