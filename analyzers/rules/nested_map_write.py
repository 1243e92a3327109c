"""NM002 nested-map-write: `m[a][b] = v` where the inner map `m[a]` was never made.

## What it does
Checks for writes into an element of a map of maps whose inner map does not exist on this
path: the outer map was made empty (or as a literal without that key) and nothing stored
`m[a]` since, or a comma-ok lookup just said the key is absent, or `m[a] == nil` was
checked, or the outer map is itself nil (reading a nil map gives nil inner maps). Guards are understood with any key expression, compared by their text:
`if m[k] == nil { m[k] = make(...) }`, `if _, ok := m[k]; !ok { m[k] = ... }` and
`inner, ok := m[k]; if !ok { inner = make(...); m[k] = inner }`.

An inner map absent on some paths to the write only (stored under a condition, or by
some rounds of a loop) is reported by NM008, an opt-in rule, as the maps of NM001 are.

## Why is this bad?
Looking up a missing key yields the zero value, a nil map, and writing into it panics with
`assignment to entry in nil map`. Making the outer map does not make the inner ones.

## Example
```go
byUser := make(map[string]map[string]bool)
for _, p := range perms {
	byUser[p.User][p.Name] = true
}
```

Use instead:
```go
byUser := make(map[string]map[string]bool)
for _, p := range perms {
	if byUser[p.User] == nil {
		byUser[p.User] = make(map[string]bool)
	}
	byUser[p.User][p.Name] = true
}
```

## Fix safety
The fix inserts the lazy inner-map guard before the write (preceded by one for the outer
map when that may be nil); it is safe.

## Known problems
Two key expressions are the same key only when their text is the same and no variable in
them was assigned in between; a write under another key makes the inner map unknown.

## References
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

from analyzers.fixes.for_writes import guard_fix, nested_guard_fix
from analyzers.flow.analysis import analyze
from analyzers.flow.events import WriteEvent
from analyzers.flow.tests_passed import past_other_tests
from analyzers.flow.values import NIL, OriginKind
from analyzers.model import Diagnostic, Severity, Span
from analyzers.rule import Pass, Rule
from analyzers.rules._messages import loop_carried, on_every_path, severity_of, write_message


def run(pass_: Pass) -> None:
    report_writes(pass_, RULE.code, every_path=True)


def report_writes(pass_: Pass, code: str, every_path: bool) -> None:
    """Report the inner-map writes this family owns whose inner map is nil on every path
    (`every_path`), or on some paths only (NM008)."""
    flow = pass_.result_of("flow", analyze)
    for event in flow.events:
        if not owns(event) or past_other_tests(event.val) or on_every_path(event) is not every_path:
            continue  # a write inside another test since the nil is NM007's
        pass_.report(
            Diagnostic(
                code,
                write_message(pass_, event, noun="inner map"),
                event.path,
                Span(event.node.start_byte, event.node.end_byte),
                severity_of(event),
                fixes(pass_, event),
            )
        )


def owns(event: WriteEvent) -> bool:
    """A write into an inner map that may be nil from a source this rule reports (constructions
    are NM003's), outside the loop whose first round alone leaves it nil."""
    origin = event.val.origin
    return event.nested and bool(event.val.bits & NIL) and origin is not None and origin.kind is not OriginKind.CONSTRUCTION and not loop_carried(event)


def fixes(pass_: Pass, event) -> tuple:
    origin = event.val.origin
    if origin is not None and origin.kind is OriginKind.NIL_OUTER:
        fix = nested_guard_fix(pass_.file(event.path), event)  # the outer map needs making too
    else:
        fix = guard_fix(pass_.file(event.path), event)
    return (fix,) if fix is not None else ()


RULE = Rule(
    code="NM002",
    name="nested-map-write",
    title="write into an inner map that was never made",
    severity=Severity.ERROR,
    since="0.1.0",
    fix_availability="always",
    default_enabled=True,
    doc=__doc__ or "",
    run=run,
)
