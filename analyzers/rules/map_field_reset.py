"""NM005 map-field-reset-to-nil: a map field written after a reset to nil under a shared lock.

## What it does
Checks for an unguarded write into a map field of a same-package struct (`s.tokens[k] = v`,
through a receiver or a parameter) where another function of the package sets that field to
nil (`s.tokens = nil`), and both functions take the same mutex of their receiver
(`m.lock.Lock()` in two methods of one type). Holding one lock says the two are meant to run
in any order, on the same values: once the reset has run, the next write panics.

The facts are per field, not per value: which value each function is handed is not
followed. The lock is what ties the two together.

## Why is this bad?
Setting a map to nil is a common way to drop its entries (`clearTokens` after a session
ends), and a common way to crash the code that fills it later: a late request that still
holds the value writes into the nil map and panics with `assignment to entry in nil map`.
Taking the same lock in both makes the race look handled, while the panic waits for the
order that tests rarely produce.

## Example
```go
func (m *SessionMgr) clearTokens(s *Session) {
	m.lock.Lock()
	defer m.lock.Unlock()
	s.tokens = nil
}

func (m *SessionMgr) createTokens(s *Session, key string) {
	m.lock.Lock()
	defer m.lock.Unlock()
	s.tokens[key] = true
}
```

Use instead:
```go
	if s.tokens == nil {
		s.tokens = make(map[string]bool)
	}
	s.tokens[key] = true
```
(or clear the map with `clear(s.tokens)`, which keeps it made).

## Fix safety
The fix inserts the lazy guard before the write; it is safe where writing into a fresh map
after the reset is what the code means. When the reset marks the value as finished (no
write should happen after it), the guard hides that the write came too late: check the
reset's callers first.

## Known problems
**Opt-in.** The rule runs only when selected (`--select NM005`, or `select = ["NM"]`). A
reset that only ever runs as the value's teardown (`Close`, `Stop`) followed by no further
use looks the same as one followed by more writes, since the calls between them are not
followed; the shared lock is taken as the evidence that they interleave. A reset under a
condition (`if kind == CLIENT { c.subs = nil }`) is not counted: it says nothing of the
values that do not meet it. A writer that leaves (return, break, continue, panic) before
the write on a test of another field the reset sets, itself or through a method of the
same value it calls (`m.delegate = d` beside the nil, then `if m.delegate != nil { return }`;
`c.markClosed()`, then `if c.isClosed() { return }`), checks which side of the reset it runs
on and is not reported; nor is a write inside a `range` over the same field, which runs no
round once the map is nil, or inside `if v, ok := s.m[k]; ok`, which runs only where the
map held a key. A mark set further away (a status changed through two calls)
is not seen. Its measured precision on real code
(benchmarks/corpus, 2026-12-03: every NM005 finding judged in the corpus ledger, on the tune
split and on the held-back parts revealed once; 13 repositories and the Go standard library)
is 0 real of 39: 36 false (a writer that checks a close mark the reset's teardown sets, 18; a
reset that runs only once every writer has stopped, 12; 6 others) and 3 unsure (two resets
nothing in the module calls, one that does not wait for the loop that writes: a race
window); on the held-back parts alone, 0 of 1 (unsure). Each finding counts once, as the
engine of its day reported it, fixed false alarms (opentelemetry-go's 14) included.

## References
- [The Go Programming Language Specification: Map types](https://go.dev/ref/spec#Map_types) ("a nil map is equivalent to an empty map except that no elements may be added")
- [sync.Mutex](https://pkg.go.dev/sync#Mutex)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, QueryCursor

from analyzers.fixes.builders import lazy_guard
from analyzers.flow.prefilter import parameters_of
from analyzers.flow.syntax import children, enclosing_statement, is_panic_or_exit, strip
from analyzers.flow.types import TypeView, normalise, receiver_name
from analyzers.gotext import name as name_pattern
from analyzers.model import Diagnostic, Related, Severity, Span
from analyzers.parsing import text
from analyzers.queries import load
from analyzers.rule import Pass, Rule
from analyzers.source import SourceFile

# `m.lock.Lock()`: the exclusive lock of a field of a receiver or parameter.
_LOCK = re.compile(rb"(?<![\w\x80-\xff.])([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.Lock\(\)")


# Statements whose body runs only on some calls of the function.
_CONDITIONAL = frozenset(
    {"if_statement", "expression_case", "default_case", "type_case", "communication_case", "for_statement", "func_literal"}
)


@dataclass(frozen=True)
class _Site:
    """A store of nil into, or a write into, map field `field` of a struct `struct`."""

    path: str
    node: Node  # `s.tokens = nil`'s left side, or the written `s.tokens[k]`
    function: Node
    root: str  # the receiver or parameter it goes through
    struct: str
    field: str


def run(pass_: Pass) -> None:
    types = TypeView(pass_.package)
    resets: list[_Site] = []
    writes: list[_Site] = []
    for file in pass_.package.files.values():
        for function in file.functions:
            _scan(types, file, function, resets, writes)
    locks = {id(site.function): _locks(site.function, types) for site in [*resets, *writes]}
    methods = _methods(pass_)
    reported: set[tuple[str, int]] = set()
    for write in writes:
        if _guarded(write) or _inside_range_of_field(write) or _inside_found_key_of_field(write):
            continue
        for reset in resets:
            if (reset.struct, reset.field) != (write.struct, write.field) or reset.function == write.function:
                continue
            if not locks[id(reset.function)] & locks[id(write.function)] or (write.path, write.node.start_byte) in reported:
                continue
            if _exits_on_state_set_with_reset(write, _fields_set(reset.function, reset.root, reset.field, reset.struct, methods), methods):
                continue
            reported.add((write.path, write.node.start_byte))
            _report(pass_, types, write, reset, locks[id(reset.function)] & locks[id(write.function)])


def _scan(types: TypeView, file: SourceFile, function: Node, resets: list[_Site], writes: list[_Site]) -> None:
    """The resets to nil and the writes of map fields through the function's receiver and parameters."""
    structs = {name: receiver_name(normalise(type_text)) for name, type_text in parameters_of(function).items()}
    body = function.child_by_field_name("body")
    for node in _stores_under(body) if body is not None else ():
        if node.type in ("inc_statement", "dec_statement"):
            target = strip(children(node)[0]) if children(node) else None  # `s.counts[k]++` writes too
            if target is not None and target.type == "index_expression":
                site = _field_site(types, file, function, strip(target.child_by_field_name("operand")), structs)
                if site is not None:
                    writes.append(_Site(site.path, target, function, site.root, site.struct, site.field))
            continue
        left_node, right_node = node.child_by_field_name("left"), node.child_by_field_name("right")
        left = children(left_node) if left_node is not None else []
        right = children(right_node) if right_node is not None else []
        for i, target in enumerate(strip(t) for t in left):
            if target is None:
                continue
            value = strip(right[i]) if len(right) == len(left) else None
            if target.type == "selector_expression" and value is not None and value.type == "nil" and _unconditional(node, body):
                site = _field_site(types, file, function, target, structs)
                if site is not None:
                    resets.append(site)
            elif target.type == "index_expression":
                site = _field_site(types, file, function, strip(target.child_by_field_name("operand")), structs)
                if site is not None:
                    writes.append(_Site(site.path, target, function, site.root, site.struct, site.field))


def _stores_under(body: Node) -> list[Node]:
    """The assignments, `++` and `--` statements under `body`, found by a query (in C: a walk
    in Python of every node of every function was most of this rule's time), in the order a
    depth-first walk that takes the last child first meets them: a statement before those
    inside it, and of two apart the later one first (the order resets and writes are paired in)."""
    captured = QueryCursor(load("map_field_reset")).captures(body)
    return sorted((node for nodes in captured.values() for node in nodes), key=lambda n: (-n.end_byte, n.start_byte))


def _unconditional(statement: Node, body: Node | None) -> bool:
    """Whether a statement runs whenever its function does: under no `if`, `case` or loop (a
    reset under `if kind == CLIENT` says nothing of values of another kind)."""
    current = statement.parent
    while current is not None and current != body:
        if current.type in _CONDITIONAL:
            return False
        current = current.parent
    return True


def _field_site(types: TypeView, file: SourceFile, function: Node, node: Node | None, structs: dict[str, str]) -> _Site | None:
    """`s.f` with `s` a receiver or parameter of a same-package struct whose field `f` is a map."""
    if node is None or node.type != "selector_expression":
        return None
    operand = strip(node.child_by_field_name("operand"))
    field = node.child_by_field_name("field")
    if operand is None or operand.type != "identifier" or field is None:
        return None
    struct = structs.get(text(operand))
    if not struct or text(field) not in types.map_fields(struct):
        return None
    return _Site(file.path, node, function, text(operand), struct, text(field))


def _locks(function: Node, types: TypeView) -> set[tuple[str, str]]:
    """The mutexes the function takes, as (the type of the value holding it, its field)."""
    structs = {name: receiver_name(normalise(type_text)) for name, type_text in parameters_of(function).items()}
    found: set[tuple[str, str]] = set()
    body = function.text or b""
    if b".Lock()" not in body:
        return found  # (a search for the literal first: the pattern tries every byte of the text)
    for match in _LOCK.finditer(body):
        holder = structs.get(match.group(1).decode())
        if holder and types.struct_of(holder) is not None:
            found.add((holder, match.group(2).decode()))
    return found


def _methods(pass_: Pass) -> dict[tuple[str, str], Node]:
    """The package's methods by (receiver type, name)."""
    found: dict[tuple[str, str], Node] = {}
    for file in pass_.package.files.values():
        for function in file.functions:
            receiver = function.child_by_field_name("receiver")
            name = function.child_by_field_name("name")
            declared = [d for d in children(receiver) if d.type == "parameter_declaration"] if receiver is not None else []
            type_node = declared[0].child_by_field_name("type") if declared else None
            if type_node is not None and name is not None:
                found[(receiver_name(normalise(text(type_node))), text(name))] = function
    return found


def _receiver(function: Node) -> str:
    """The name of a method's receiver, or ""."""
    receiver = function.child_by_field_name("receiver")
    declared = [d for d in children(receiver) if d.type == "parameter_declaration"] if receiver is not None else []
    names = declared[0].children_by_field_name("name") if declared else []
    return text(names[0]) if names else ""


def _fields_of(node: Node | None, root: str, stored_only: bool) -> set[str]:
    """The fields of `root` under `node` that are assigned (`root.f = ...`), or all it names."""
    found = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        stack.extend(current.named_children)
        if current.type != "selector_expression":
            continue
        operand, field = strip(current.child_by_field_name("operand")), current.child_by_field_name("field")
        if operand is None or operand.type != "identifier" or text(operand) != root or field is None:
            continue
        parent = current.parent
        stored = parent is not None and parent.type == "expression_list" and parent.parent is not None and (
            parent.parent.type == "assignment_statement" and parent.parent.child_by_field_name("left") == parent
        )
        if stored or not stored_only:
            found.add(text(field))
    return found


def _called_methods(node: Node, root: str, struct: str, methods: dict[tuple[str, str], Node]) -> list[Node]:
    """The package's methods of `struct` that `node` calls on `root` (`root.close()`)."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        stack.extend(current.named_children)
        function = current.child_by_field_name("function") if current.type == "call_expression" else None
        if function is None or function.type != "selector_expression":
            continue
        operand, field = strip(function.child_by_field_name("operand")), function.child_by_field_name("field")
        if operand is not None and operand.type == "identifier" and text(operand) == root and field is not None:
            method = methods.get((struct, text(field)))
            if method is not None:
                found.append(method)
    return found


def _fields_set(function: Node, root: str, field: str, struct: str, methods: dict[tuple[str, str], Node]) -> set[str]:
    """The other fields of `root` a resetting function sets, itself or in a method of the same
    value it calls (`nc.changeConnStatus(CLOSED)`): the state that marks the reset."""
    found = _fields_of(function.child_by_field_name("body"), root, stored_only=True)
    body = function.child_by_field_name("body")
    for method in _called_methods(body, root, struct, methods) if body is not None else []:
        found |= _fields_of(method.child_by_field_name("body"), _receiver(method), stored_only=True)
    found.discard(field)
    return found


def _exits_on_state_set_with_reset(write: _Site, marks: set[str], methods: dict[tuple[str, str], Node]) -> bool:
    """Whether, before the write, the writer leaves (return, continue, break, panic) under a test
    of state the reset sets with the nil (`if m.delegate != nil { return }`, `if c.isClosed()`):
    the writer checks which side of the reset it runs on."""
    if not marks:
        return False
    body = write.function.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type != "if_statement" or node.start_byte >= write.node.start_byte or node.end_byte > write.node.start_byte:
            continue
        condition, consequence = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
        if condition is None or consequence is None or not _leaves(consequence):
            continue
        read = _fields_of(condition, write.root, stored_only=False)
        for method in _called_methods(condition, write.root, write.struct, methods):
            read |= _fields_of(method.child_by_field_name("body"), _receiver(method), stored_only=False)
        if read & marks:
            return True
    return False


def _leaves(block: Node) -> bool:
    """Whether a block's last statement leaves the enclosing code: return, break, continue,
    goto, panic or an exit."""
    statements = [c for c in children(block) if c.type != "empty_statement"]
    if statements and statements[-1].type == "statement_list":
        statements = children(statements[-1])
    if not statements:
        return False
    last = statements[-1]
    return last.type in ("return_statement", "break_statement", "continue_statement", "goto_statement") or (
        last.type == "expression_statement" and is_panic_or_exit(last)
    )


def _inside_range_of_field(write: _Site) -> bool:
    """Whether the write runs in a loop ranging over the same field (`for k := range s.m {
    s.m[k] = v }`): a range over a nil map runs no round."""
    written = normalise(text(write.node.child_by_field_name("operand")))  # type: ignore[arg-type]
    current = write.node.parent
    while current is not None and current != write.function:
        if current.type == "for_statement":
            clause = next((c for c in children(current) if c.type == "range_clause"), None)
            ranged = clause.child_by_field_name("right") if clause is not None else None
            if ranged is not None and normalise(text(ranged)) == written:
                return True
        current = current.parent
    return False


def _inside_found_key_of_field(write: _Site) -> bool:
    """Whether the write runs in the body of `if v, ok := s.m[k]; ok` (or `... ok && c`) on the
    same field: the map held a key there, and a nil map holds none."""
    written = normalise(text(write.node.child_by_field_name("operand")))  # type: ignore[arg-type]
    child, current = write.node, write.node.parent
    while current is not None and current != write.function:
        if current.type == "if_statement" and child == current.child_by_field_name("consequence"):
            ok = _found_flag(current.child_by_field_name("initializer"), written)
            condition = strip(current.child_by_field_name("condition"))
            if ok is not None and condition is not None and ok in _conjuncts(condition):
                return True
        child, current = current, current.parent
    return False


def _found_flag(initializer: Node | None, written: str) -> str | None:
    """`ok` of an initializer `v, ok := m[k]` whose `m` is `written`, else None."""
    if initializer is None or initializer.type != "short_var_declaration":
        return None
    left, right = initializer.child_by_field_name("left"), initializer.child_by_field_name("right")
    names = [text(c) for c in children(left)] if left is not None else []
    values = children(right) if right is not None else []
    if len(names) != 2 or len(values) != 1 or values[0].type != "index_expression":
        return None
    operand = values[0].child_by_field_name("operand")
    return names[1] if operand is not None and normalise(text(operand)) == written and names[1] != "_" else None


def _conjuncts(condition: Node) -> list[str]:
    """The texts of the operands of a chain of `&&` (the condition itself when it is none)."""
    operator = condition.child_by_field_name("operator")
    if condition.type == "binary_expression" and operator is not None and text(operator) == "&&":
        left, right = strip(condition.child_by_field_name("left")), strip(condition.child_by_field_name("right"))
        return [*(_conjuncts(left) if left is not None else []), *(_conjuncts(right) if right is not None else [])]
    return [text(condition)]


def _guarded(write: _Site) -> bool:
    """Whether the writing function tests the field against nil or stores into it itself."""
    field = name_pattern(write.root) + rb"\s*\.\s*" + name_pattern(write.field)
    return re.search(field + rb"\s*(?:[!=]=\s*nil\b|=[^=])|\bnil\s*[!=]=\s*" + field, write.function.text or b"") is not None


def _report(pass_: Pass, types: TypeView, write: _Site, reset: _Site, locks: set[tuple[str, str]]) -> None:
    file = pass_.file(write.path)
    reset_file = pass_.file(reset.path)
    line = reset_file.lines.line_of(reset.node.start_byte) + 1
    resetter = reset.function.child_by_field_name("name")
    lock = sorted(locks)[0]
    target = text(write.node.child_by_field_name("operand"))  # type: ignore[arg-type]
    message = (
        f"write to map field `{target}` that may be nil: `{text(resetter) if resetter is not None else 'a function'}` sets "
        f"`{write.struct}.{write.field}` to nil ({reset.path.rsplit('/', 1)[-1]}:{line}), and both take the lock `{lock[1]}` of `{lock[0]}`"
    )
    found = types.find_field(write.struct, write.field)
    map_type = normalise(found.type_text) if found is not None else ""
    statement = enclosing_statement(write.node)
    guard = lazy_guard(file, statement, target, map_type) if map_type and statement is not None else None
    pass_.report(
        Diagnostic(
            RULE.code,
            message,
            write.path,
            Span(write.node.start_byte, write.node.end_byte),
            Severity.WARNING,
            (guard,) if guard is not None else (),
            (Related(reset.path, Span(reset.node.start_byte, reset.node.end_byte), f"`{write.field}` set to nil here"),),
        )
    )


RULE = Rule(
    code="NM005",
    name="map-field-reset-to-nil",
    title="map field written after a reset to nil under a shared lock",
    severity=Severity.WARNING,
    since="0.1.0",
    fix_availability="always",
    default_enabled=False,
    doc=__doc__ or "",
    run=run,
)
