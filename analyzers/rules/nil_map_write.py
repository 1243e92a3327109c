"""NM001 nil-map-write: a write to a map variable that is nil on every path to it.

## What it does
Checks for writes into a map that is nil on every path to the write: `m[k] = v`,
`m[k] op= v`, `m[k]++`, `m[k] = append(m[k], v)`, calls of methods that write their receiver
map (`Set.Add` of a same-package map type, `http.Header.Set`, `url.Values.Add`, ...), and
calls of same-package functions that write a map parameter as it came in (`record(m, w)` or
`record(nil, w)` where `record` does `m[w]++`, directly or through another such function).
A map is nil when it was declared without `make` (`var m map[K]V`, a named result never
assigned, an array of maps), reset with `m = nil` or `map[K]V(nil)`, returned nil by a
function of the package on every path, checked `m == nil` just before, or is a
package-level variable that nothing makes. In a `main` package, code runs only where it
is called: a function that `main` calls once (and `main` itself) starts with a package map
as `init()` left it when no code that can run before it assigns the map or stores an entry,
so a write there before the call that makes it is reported, though another function makes
it later (the same holds for the map fields of a package-level struct, NM003). `maps.Clone`
of a nil map is nil. A function or method of the package that writes a map parameter (or
its `maps.Clone`) whenever it runs is reported at a call that passes `nil`, and at the write
inside it, with the calls as related information. A same-package function handed `&m` (or a pointer to a struct) is followed:
what it leaves alone stays as it was, what it makes or sets to nil on every path is made or
nil, and a nil map it writes through the pointer is reported at the call.

A map nil on some paths only (made under a condition, returned nil by a function on some of
its paths, left nil where a decoder's error is tolerated, handed to a callee that writes it
only under conditions the call leaves open, or that the code itself suggests may be nil) is
reported by NM008, an opt-in rule: on real code those findings have not reached the
precision a default rule must have.

## Why is this bad?
Writing to a nil map panics at run time with `assignment to entry in nil map`. Reading,
`len`, `range` and `delete` on a nil map are fine, so the bug hides until the first write.

## Example
```go
func count(words []string) map[string]int {
	var counts map[string]int
	for _, w := range words {
		counts[w]++
	}
	return counts
}
```

Use instead:
```go
func count(words []string) map[string]int {
	counts := make(map[string]int)
	for _, w := range words {
		counts[w]++
	}
	return counts
}
```

## Fix safety
Initialising the map where it is declared is safe when the variable is never compared
with nil afterwards; when it is (`if m == nil`), a make changes that branch, so the fix is
marked unsafe. The lazy guard before the write (`if m == nil { m = make(...) }`) is
always safe but is offered second.

## Known problems
The analysis is flow-sensitive within a function and reads conditions by their text. A
write is reported here only when nothing between the nil and the write can make the map:
any path that may make it (a branch, a loop round, a callee that is handed the map or its
address and cannot be followed, a closure that captures it) turns the write into one nil on
some paths, NM008's. A function's own parameters, results of calls into other packages, and
anything whose address is handed to code that cannot be followed (one that keeps the
pointer, or sets it on some paths only) are unknown and never reported, so a nil that a
caller passes to a function that writes it is reported at the call only when the caller is
in the same package. A write in a loop whose first round alone leaves the map nil, and a
later round makes it, is not reported (input-driven state machines), unless the write runs
in the first round whenever it runs at all and that round's nil depends only on what no
round changes (`if verbose { m = make(...) }`, `verbose` set before the loop): then the
first round panics where the value says.

## References
- [The Go Programming Language Specification: Map types](https://go.dev/ref/spec#Map_types)
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

from dataclasses import replace

from analyzers.field_stores import FieldStores
from analyzers.fixes.for_writes import guard_fix, write_fixes, written_expression
from analyzers.flow.analysis import analyze
from analyzers.flow.events import WriteEvent
from analyzers.flow.tests_passed import past_other_tests
from analyzers.flow.values import NIL, OriginKind
from analyzers.model import Diagnostic, Related, Severity, Span
from analyzers.parsing import text
from analyzers.rule import Pass, Rule
from analyzers.rules._messages import loop_carried, on_every_path, severity_of, write_message

MAX_SITES_SHOWN = 3  # constructions listed beside a write into a map found empty

# Origins of a nil this rule owns; struct constructions belong to NM003, decoded values to NM004.
OWN_ORIGINS = frozenset(
    {
        OriginKind.DECLARATION, OriginKind.NIL, OriginKind.NAMED_RESULT, OriginKind.PACKAGE_VAR, OriginKind.FUNCTION,
        OriginKind.NIL_CHECK, OriginKind.ZERO_ELEMENT, OriginKind.ABSENT_KEY, OriginKind.COMPARED_LATER,
        OriginKind.POINTER_GUARD, OriginKind.EMPTY_CHECK,
    }
)


def run(pass_: Pass) -> None:
    report_writes(pass_, RULE.code, every_path=True)


def report_writes(pass_: Pass, code: str, every_path: bool) -> None:
    """Report the writes this family owns whose map is nil on every path (`every_path`), or
    on some paths only (NM008), and the other end of each call that hands a callee nil."""
    flow = pass_.result_of("flow", analyze)
    nil_arguments: dict[tuple, list[WriteEvent]] = {}
    stores: FieldStores | None = None  # read once, if a write into a map found empty asks
    for event in flow.events:
        if not owns(event) or past_other_tests(event.val) or on_every_path(event) is not every_path:
            continue  # a write inside another test since the nil is NM007's
        origin = event.val.origin
        assert origin is not None
        related = _written_at(event)
        if origin.kind is OriginKind.EMPTY_CHECK:
            built = flow.flow.constructions_leaving_out(origin.type_name, origin.field)
            if not built:
                continue  # every construction of the package gives the field a map: empty, not nil
            if stores is None:
                stores = FieldStores(pass_.package.files)
            if stores.makes_on_handed_values(origin.field):
                continue  # a step of the package makes it on values it is handed (`tables[i].F = make(...)`)
            related += _constructions_leaving_out(pass_, built, origin.field)
            event = replace(event, val=replace(event.val, origin=replace(origin, others=built)))  # where the fix makes it
        pass_.report(
            Diagnostic(
                code,
                write_message(pass_, event),
                event.path,
                Span(event.node.start_byte, event.node.end_byte),
                severity_of(event),
                write_fixes(pass_.file(event.path), event, pass_.package.files),
                related,
            )
        )
        if origin.kind is OriginKind.NIL and event.callee is not None and event.node.type == "call_expression":
            inner = innermost(event)
            nil_arguments.setdefault((inner.path, inner.node.start_byte, inner.node.end_byte), []).append(event)
    for calls in nil_arguments.values():
        _report_callee_write(pass_, code, calls)


def owns(event: WriteEvent) -> bool:
    """A write into a map (not an inner one) that may be nil from a source this rule reports,
    outside the loop whose first round alone leaves it nil."""
    origin = event.val.origin
    return not event.nested and bool(event.val.bits & NIL) and origin is not None and origin.kind in OWN_ORIGINS and not loop_carried(event)


def innermost(event: WriteEvent) -> WriteEvent:
    """The write a call leads to, through the callees that hand the map on."""
    while event.callee is not None:
        event = event.callee
    return event


def _report_callee_write(pass_: Pass, code: str, calls: list[WriteEvent]) -> None:
    """The other end of `f(nil)` where `f` writes that parameter: the write inside `f`, with
    the calls that pass nil as related information (the fix may belong at either end)."""
    write = innermost(calls[0])
    shown = written_expression(write)
    target = f"`{text(shown)}`" if shown is not None else f"`{write.target}`"
    where = ", ".join(f"{c.path.rsplit('/', 1)[-1]}:{pass_.file(c.path).lines.line_of(c.node.start_byte) + 1}" for c in calls)
    related = tuple(Related(c.path, Span(c.node.start_byte, c.node.end_byte), f"`{c.via_method}` called with a nil map here") for c in calls)
    file = pass_.file(write.path)
    guard = guard_fix(file, write) if file is not None else None
    pass_.report(
        Diagnostic(
            code,
            f"write to map {target} that is nil when a caller passes nil: `{calls[0].via_method}` is called with nil at {where}",
            write.path,
            Span(write.node.start_byte, write.node.end_byte),
            Severity.WARNING,
            (guard,) if guard is not None else (),
            related,
        )
    )


def _constructions_leaving_out(pass_: Pass, built: tuple[tuple[str, int, int], ...], field: str) -> tuple[Related, ...]:
    """Where the package builds the struct without the map found empty (the first few)."""
    return tuple(Related(path, Span(start, end), f"built here without `{field}`: nil") for path, start, end in built[:MAX_SITES_SHOWN])


def _written_at(event: WriteEvent) -> tuple[Related, ...]:
    """For a call that writes the map, where the callee writes it (shown beside the call)."""
    if event.callee is None:
        return ()
    inner = event.callee
    while inner.callee is not None:
        inner = inner.callee
    return (Related(inner.path, Span(inner.node.start_byte, inner.node.end_byte), f"`{inner.target}` written here"),)


RULE = Rule(
    code="NM001",
    name="nil-map-write",
    title="write to a map that is nil on every path to it",
    severity=Severity.ERROR,
    since="0.1.0",
    fix_availability="sometimes",
    default_enabled=True,
    doc=__doc__ or "",
    run=run,
)
