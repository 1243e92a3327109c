"""NM007 nil-map-write-under-other-test: a map nil on some paths, written only inside a test the nil does not depend on.

## What it does
Checks for the writes NM008 leaves out on purpose: a map made on some paths only
(`if it.Len() != 0 { got = make(...) }`), then written only inside another branch or loop
entered since (`for it.Next() { got[k] = v }`), whose test nilmap cannot relate to the one
the make depends on. The write panics only when the make was skipped *and* the other test
holds. NM008 reports a map nil on some paths written whatever the path
(`if c { m = make(...) }` then `m[k] = v`); this rule reports the rest, with the test the
write sits in.

Tests nilmap can relate are not this rule's: the same condition (`if c` around both), a
range over what the make's condition measured (`len(x) > 0`, then `range x`), a flag set
beside the make (`ready = true`, `mode = "tls"`, `level = 2`), a nil check of the map itself. They decide the write one
way or the other, and NM008 reports it when it may be nil.

## Why is this bad?
When the two tests can disagree, the write panics with `assignment to entry in nil map`:
`if tls && verbose { opts = make(...) }` then `if tls { opts["tls"] = true }` panics when
`tls` holds without `verbose`.

## Example
```go
var opts map[string]bool
if tls && verbose {
	opts = make(map[string]bool)
}
if tls {
	opts["tls"] = true
}
```

Use instead:
```go
opts := make(map[string]bool)
if tls {
	opts["tls"] = true
}
```

## Fix safety
The fixes are those of NM001 (the make at the declaration, or the lazy guard before the
write) and NM002 (the lazy inner-map guard); see those rules.

## Known problems
**Opt-in.** The rule runs only when selected (`--select NM007`, or `select = ["NM"]`). Code
that makes a map under one test and writes it under another usually makes the two agree by
design: the map is made exactly when the loop will have rounds (`if it.Len() != 0` before
`for it.Next()`), or when the later branch can run (`if len(m.KVShareMap) > 0` before
`if layer.IsDonor`), through facts of the data nilmap cannot see. Its measured precision on real
code (`benchmarks/corpus`, 2026-12-03: every NM007 finding judged in the corpus ledger, on
the tune split and on the held-back parts revealed once; 9 repositories) is 0 real of 77: 76
false (go-algorand's generated msgp decoders, whose nil flag comes with a zero count, 63;
tests agreeing by facts of the data, 11; 2 others) and 1 unsure (telegraf); on the held-back
parts alone, 0 of 1. The real-bug development set has none of this shape. It is no default
rule: use it to look for the case where the two tests can disagree, as in the example.

## References
- [The Go Programming Language Specification: Map types](https://go.dev/ref/spec#Map_types)
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.fixes.for_writes import write_fixes
from analyzers.flow.analysis import analyze
from analyzers.flow.events import WriteEvent
from analyzers.flow.tests_passed import past_other_tests
from analyzers.model import Diagnostic, Severity, Span
from analyzers.parsing import text
from analyzers.rule import Pass, Rule
from analyzers.rules import nested_map_write, nil_map_write
from analyzers.rules._messages import write_message

_TESTS = ("if_statement", "for_statement", "expression_switch_statement", "type_switch_statement", "select_statement")
MAX_HEADER = 60  # longer test headers are cut, as conditions are in messages


def run(pass_: Pass) -> None:
    flow = pass_.result_of("flow", analyze)
    for event in flow.events:
        if not past_other_tests(event.val):
            continue
        if nested_map_write.owns(event):
            message = write_message(pass_, event, noun="inner map")
            fixes = nested_map_write.fixes(pass_, event)
        elif nil_map_write.owns(event):
            message = write_message(pass_, event)
            fixes = write_fixes(pass_.file(event.path), event, pass_.package.files)
        else:
            continue
        pass_.report(
            Diagnostic(
                RULE.code,
                message + _inside(pass_, event),
                event.path,
                Span(event.node.start_byte, event.node.end_byte),
                Severity.WARNING,
                fixes,
            )
        )


def _inside(pass_: Pass, event: WriteEvent) -> str:
    """`, and the write runs only inside `for it.Next()` (line 44)`: the innermost test entered
    since the map became nil on some paths."""
    test = _innermost_test(event.node, event.val.tests)
    if test is None:
        return ", and the write runs only inside a test nilmap cannot relate to that"
    header = " ".join(text(test).split("{", 1)[0].split())
    if len(header) > MAX_HEADER:
        header = header[: MAX_HEADER - 3].rstrip() + "..."
    line = pass_.file(event.path).lines.line_of(test.start_byte) + 1
    return f", and the write runs only inside `{header}` (line {line}), a test nilmap cannot relate to that"


def _innermost_test(node: Node, tests: frozenset[int]) -> Node | None:
    current = node.parent
    while current is not None:
        if current.type in _TESTS and current.start_byte in tests:
            return current
        current = current.parent
    return None


RULE = Rule(
    code="NM007",
    name="nil-map-write-under-other-test",
    title="map nil on some paths written inside an unrelated test",
    severity=Severity.WARNING,
    since="0.1.0",
    fix_availability="sometimes",
    default_enabled=False,
    doc=__doc__ or "",
    run=run,
)
