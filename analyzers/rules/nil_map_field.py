"""NM003 map-field-not-initialised: a struct built with a nil map field that is then written.

## What it does
Checks for constructions of a struct that leave one of its map fields nil — `T{...}` or
`&T{...}` without the field or with `f: nil` or a nil local, a positional literal with
`nil`, `new(T)`, `var t T`, zero-valued nested struct fields, elements of `make([]T, n)`
and values stored in maps of structs — whose value then reaches a write of that field:
in the same function, through a method of the type (`t.Add(k)` where `Add` writes
`t.entries[k]`), or through a constructor's result (`NewT` returns `&T{}` and a method of
`T` writes the field). The constructor, the type and the method may sit in different files
of the package. Both ends are reported: the construction, with the write as related
information, and the write, with the construction. A value built on one of several paths
(`st := &T{}; if c { st = &T{...} }`) whose every construction leaves the field nil is nil at
the write: each construction is reported, and the write's fix makes the map at all of them. Handing the field's address to a library
that writes into it without making it counts as a write (kingpin's
`app.Flag(...).StringMapVar(&cfg.Tags)`, which stores each `--tag k=v` into `cfg.Tags`).

A map field that no code of the package sets at all is nil in every value of the type,
however it was built, so a method's unguarded write into it is reported on its own, even
when no construction reaches it in view (the value is built inside a wrapper, or handed to
a router). Only the package's own code can set an unexported field (decoders such as
`encoding/json` set exported fields only), so this holds for those; `x.f = ...`, `&x.f`, a
`f:` key or a positional literal of the type anywhere in the package count as setting it.

## Why is this bad?
The zero value of a map field is nil, and the first write into it panics with
`assignment to entry in nil map`. In services this is the classic crash of a registry or a
cache built as `&Registry{name: n}` whose `Add` method fills a map nobody made.

## Example
```go
type Registry struct {
	name    string
	entries map[string]Handler
}

func NewRegistry(name string) *Registry {
	return &Registry{name: name}
}

func (r *Registry) Add(key string, h Handler) {
	r.entries[key] = h
}
```

Use instead:
```go
func NewRegistry(name string) *Registry {
	return &Registry{name: name, entries: make(map[string]Handler)}
}
```

## Fix safety
The fix is made where the value is built, and both findings offer it: the write's finding
carries it as an edit of the construction's file when that is another one, so the quick
fix at the write works across files. Adding the field to the literal, or `t.f = make(...)`
after `new(T)` / `var t T`, is safe:
the field was nil and is now an empty map. The lazy guard before the write is safe too, but
is marked unsafe when the construction can be fixed, so that `--fix` makes the map once. Code that tells "never filled" from "empty" by
comparing the field with nil changes behaviour, so then the fix is unsafe.

## Known problems
A method is followed into when it is of the same package; calls into other packages, or
values whose address escapes to unknown code (`json.Unmarshal(data, &c)`), make the
fields unknown, and unknown is never reported. A method that makes the field on one path
and writes it on another (a state machine) is not taken to write it, and a constructor
that makes the field only under some condition (`if withGraph {...}`) is taken to leave it
unknown: which path runs depends on state or arguments the analysis does not follow.
Where the state is known, the path is decided: a method that makes the field unless another
field of the receiver passes a test (`if r.Version >= 8 { return }` before the make) makes it
for a value whose field is a known constant there (set in the literal, left zero, assigned a
constant, or the counter of a loop with constant bounds), and leaves it as it was otherwise.
Likewise a same-package constructor whose `bool` parameter decides the make (`if ok {
s.items = make(...) }`) is run with that parameter bound when the call decides it: a literal
`false`, or a parameter of an unexported function that every call in the package passes the
same literal (and the body never sets).
Build-constrained files are checked with the files of the host platform only. A constructor paired with a writing method
is reported only when no code of the package sets the field at all (no assignment, no
literal with it), since another constructor or an `Init`/`Open` step may be the way in.

## References
- [The Go Programming Language Specification: The zero value](https://go.dev/ref/spec#The_zero_value)
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field  # `field` is an attribute of _Construction

from tree_sitter import Node

from analyzers.fixes.builders import add_field_to_literal, init_after_statement, lazy_guard
from analyzers.fixes.for_writes import field_assignable, usable_type, written_expression
from analyzers.flow.analysis import analyze
from analyzers.flow.events import WriteEvent
from analyzers.flow.paths import FIELD
from analyzers.flow.types import pointee
from analyzers.flow.unset_fields import fields_set, positional_types
from analyzers.flow.values import NIL, Condition, Origin, OriginKind
from analyzers.gotext import after_no, field_set_pattern
from analyzers.gotext import name as name_pattern
from analyzers.model import Applicability, Diagnostic, Fix, Related, Severity, Span
from analyzers.parsing import text
from analyzers.rule import Pass, Rule
from analyzers.rules._messages import described, loop_carried, severity_of


@dataclass
class _Construction:
    origin: Origin
    field: str
    writes: list[WriteEvent] = dataclass_field(default_factory=list)
    fixes: tuple[Fix, ...] = ()


def _where(pass_: Pass, path: str, start: int) -> str:
    file = pass_.package.files.get(path)
    line = file.lines.line_of(start) + 1 if file is not None else 0
    return f"{path.rsplit('/', 1)[-1]}:{line}"


def _write_location(event: WriteEvent) -> tuple[str, int, int]:
    """Where the map is really written: inside the method for a write through a call."""
    inner = event
    while inner.callee is not None:
        inner = inner.callee
    return inner.path, inner.node.start_byte, inner.node.end_byte


def run(pass_: Pass) -> None:
    flow = pass_.result_of("flow", analyze)
    constructions: dict[tuple, _Construction] = {}
    pending_writes: list[tuple[WriteEvent, tuple[Origin, ...], str]] = []
    for event in flow.events:
        origin = event.val.origin
        if not event.val.bits & NIL or origin is None or origin.kind is not OriginKind.CONSTRUCTION or loop_carried(event):
            continue
        field_name = origin.field or event.target.rsplit(".", 1)[-1]
        sites = _sites(origin)
        pending_writes.append((event, sites, field_name))
        for site in sites:
            key = (site.path, site.start, field_name)
            constructions.setdefault(key, _Construction(site, field_name)).writes.append(event)
    for pair in _constructor_pairs(pass_, flow.flow):
        key = (pair.origin.path, pair.origin.start, pair.field)
        if key not in constructions:
            constructions[key] = pair
            pending_writes.extend((write, (pair.origin,), pair.field) for write in pair.writes)
    for construction in constructions.values():
        _report_construction(pass_, construction)
    options_reported: set[tuple[str, int, int]] = set()
    for write, sites, field_name in pending_writes:
        built = [constructions.get((site.path, site.start, field_name)) for site in sites]
        fixes = [b.fixes if b is not None else () for b in built]
        if write.by_option:
            if _write_location(write) not in options_reported:
                options_reported.add(_write_location(write))
                _report_option_write(pass_, write, sites[0], field_name, fixes[0])
            continue
        _report_write(pass_, write, sites, field_name, fixes)
    reported = {_write_location(write) for write, _, _ in pending_writes}
    for type_name, field_name, write in _writes_of_never_made_fields(pass_, flow.flow):
        if _write_location(write) not in reported:
            _report_never_made(pass_, write, type_name, field_name)


def _writes_of_never_made_fields(pass_: Pass, flow) -> list[tuple[str, str, WriteEvent]]:
    """Unguarded writes by methods into a map field that no code anywhere can have made.

    Only the package's own code can set an unexported field (decoders set exported fields
    only, other packages cannot name it): when none of its code sets it (`x.f = ...`, `&x.f`,
    `f: ...` in a literal, a positional literal of the type), every value of the type has
    the field nil, however and wherever it was built."""
    found: list[tuple[str, str, WriteEvent]] = []
    for type_name in sorted(flow.structs_with_maps):
        if _built_positionally(pass_, type_name) or _never_built(pass_, type_name):
            continue
        for field_name in flow.types.map_fields(type_name):
            if not field_name[:1].islower() or _assigned_anywhere(pass_, field_name):
                continue
            writes = _method_writes(flow, type_name, field_name)
            found.extend((type_name, field_name, w) for w in writes if not _reached_only_when_made(w, field_name))
    return found


def _never_built(pass_: Pass, type_name: str) -> bool:
    """Whether no value of the type can exist: only the package can build it (the type is
    unexported, declared in a test file, or in package main) and its code never names it but
    in its declaration, its methods' receivers and pointer types. A method of such a type
    never runs, so its write never panics (a mock no test uses, a type left behind)."""
    answers = pass_.result_of("nm003-never-built", lambda _: {})
    if type_name not in answers:
        answers[type_name] = _only_package_builds(pass_, type_name) and not any(
            _builds(node) for file in pass_.package.files.values() for node in _type_names(file, type_name)
        )
    return answers[type_name]


def _only_package_builds(pass_: Pass, type_name: str) -> bool:
    if type_name[:1].islower():
        return True
    for path, file in pass_.package.files.items():
        if _declares(file, type_name):
            return path.endswith("_test.go") or file.package_name == "main"
    return False


def _declares(file, type_name: str) -> bool:
    """Whether the file declares the type, kept with the file's version: every check asks of
    every file of the package, and its methods' receivers name the type in each of them."""
    key = ("declares-type", type_name)
    kept = file.memo.get(key)
    if kept is None:
        kept = file.memo[key] = any(
            node.parent is not None and node.parent.type == "type_spec" and node.parent.child_by_field_name("name") == node
            for node in _type_names(file, type_name)
        )
    return kept


def _type_names(file, type_name: str) -> list[Node]:
    """The nodes of the file that name `type_name` (as a type or an expression: `new(T)`), kept
    with the file's version: every check asks of every file of the package, and after an edit
    only the edited file is new."""
    key = ("type-names", type_name)
    kept = file.memo.get(key)
    if kept is None:
        kept = file.memo[key] = _find_type_names(file, type_name)
    return kept


def _find_type_names(file, type_name: str) -> list[Node]:
    root = file.tree.root_node
    found = []
    for match in re.finditer(after_no(rb"[\w.]", re.escape(type_name.encode())) + rb"(?![\w])", file.source):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is not None and node.type in ("type_identifier", "identifier") and node.start_byte == match.start():
            found.append(node)
    return found


def _builds(node: Node) -> bool:
    """Whether a mention of the type may make a value of it: anything but the declaration's
    name, a pointer type (`*T` holds no T until one is built), or a method's receiver."""
    parent = node.parent
    if parent is None:
        return True
    if parent.type == "type_spec" and parent.child_by_field_name("name") == node:
        return False
    if parent.type == "pointer_type":
        return False
    if parent.type == "parameter_declaration":
        holder = parent.parent
        method = holder.parent if holder is not None else None
        return not (method is not None and method.type == "method_declaration" and method.child_by_field_name("receiver") == holder)
    return True


def _reached_only_when_made(write: WriteEvent, field_name: str) -> bool:
    """Whether the write is reached only where the field holds entries: under a test that an
    element of it is non-empty, non-nil or true (`if len(s.f[k]) > 0`), which a nil map,
    whose every element is the zero value, never passes."""
    field_step = (FIELD, field_name)
    for when in (write.reached, write.val.when):
        for literal in when.literals if isinstance(when, Condition) else ():
            subject = literal.subject
            if subject is None or len(subject) < 2 or subject[0] != write.target_path[0] or subject[1] != field_step:
                continue
            if (literal.test in ("empty", "nil") and not literal.truth) or (literal.test == "bool" and literal.truth and len(subject) > 2):
                return True
    return False


def _built_positionally(pass_: Pass, type_name: str) -> bool:
    """Whether some literal of the type sets its fields by position: `T{a, b}`, or an elided
    element `{a, b}` of `[]T{...}`, `map[K]*T{...}`."""
    return type_name in pass_.result_of("nm003-positional-types", lambda p: positional_types(p.package.files.values()))


def _report_never_made(pass_: Pass, write: WriteEvent, type_name: str, field_name: str) -> None:
    message = (
        f"write to nil map field `{write.target}`: no code of the package makes `{field_name}`, "
        f"so every `{type_name}` has it nil"
    )
    guard = _guard(pass_, write)
    pass_.report(
        Diagnostic(
            RULE.code, message, write.path, Span(write.node.start_byte, write.node.end_byte), severity_of(write),
            (guard,) if guard is not None else (),
        )
    )


def _sites(origin: Origin) -> tuple[Origin, ...]:
    """The constructions a nil came from: the origin's, and those of the other paths that
    built the same type without the field (`Origin.others`), each as an origin of its own."""
    if not origin.others:
        return (origin,)
    sites = [(origin.path, origin.start, origin.end), *origin.others]
    return tuple(replace(origin, path=path, start=start, end=end, others=()) for path, start, end in sorted(sites))


def _report_write(
    pass_: Pass, event: WriteEvent, sites: tuple[Origin, ...], field_name: str, construction_fixes: list[tuple[Fix, ...]]
) -> None:
    origin = sites[0]
    built = f"`{origin.type_name}` {described(pass_, origin)}" if origin.type_name else described(pass_, origin)
    wheres = list(dict.fromkeys(_where(pass_, site.path, site.start) for site in sites))
    where = wheres[0] if len(wheres) == len(sites) else f"{wheres[0]}, {len(sites)} constructions"
    also = "".join(f" and at {w}" for w in wheres[1:])
    through = f"call of `{event.via_method}` writes to" if event.via_method else "write to"
    message = f"{through} nil map field `{event.target}`: {built} ({where}){also} leaves `{field_name}` nil"
    related = [
        Related(site.path, Span(site.start, site.end), f"`{site.type_name or 'value'}` built here without `{field_name}`") for site in sites
    ]
    if event.callee is not None:
        path, start, end = _write_location(event)
        related.append(Related(path, Span(start, end), f"`{field_name}` written here"))
    # The construction's make is offered here too, first: the user is looking at the write,
    # and one make where the value is built fixes both ends, even in another file. Built on
    # several paths, the value needs the make at each: one fix edits them all, or none is
    # offered here.
    fixes = _at_every_construction(pass_, construction_fixes, sites, event.path)
    # When the construction can be fixed, the guard here is offered but not applied by
    # `--fix` (unsafe).
    fixed_at_construction = any(f.applicability is Applicability.SAFE for f in fixes)
    guard = _guard(pass_, event, Applicability.UNSAFE if fixed_at_construction else Applicability.SAFE)
    if guard is not None:
        fixes.append(guard)
    pass_.report(
        Diagnostic(RULE.code, message, event.path, Span(event.node.start_byte, event.node.end_byte), severity_of(event), tuple(fixes), tuple(related))
    )


def _report_option_write(pass_: Pass, call: WriteEvent, origin: Origin, field_name: str, construction_fixes: tuple[Fix, ...]) -> None:
    """A functional option's write into a field the value it is applied to leaves nil:
    reported at the option's write (where it panics), with the construction and the call
    that applies the option."""
    write = call.callee
    while write is not None and write.callee is not None:
        write = write.callee
    if write is None:
        return
    built = f"`{origin.type_name}` {described(pass_, origin)}" if origin.type_name else described(pass_, origin)
    applier = _enclosing_function_name(call.node)
    applies = f", and `{applier}` applies the `{call.via_method}` option to it" if applier else ""
    message = f"write to nil map field `{write.target}`: {built} ({_where(pass_, origin.path, origin.start)}) leaves `{field_name}` nil{applies}"
    related = (
        Related(origin.path, Span(origin.start, origin.end), f"`{origin.type_name or 'value'}` built here without `{field_name}`"),
        Related(call.path, Span(call.node.start_byte, call.node.end_byte), f"the `{call.via_method}` option applied here"),
    )
    fixes = [_at_construction(pass_, fix, origin, write.path) for fix in construction_fixes]
    fixed_at_construction = any(f.applicability is Applicability.SAFE for f in construction_fixes)
    guard = _guard(pass_, write, Applicability.UNSAFE if fixed_at_construction else Applicability.SAFE)
    if guard is not None:
        fixes.append(guard)
    severity = Severity.ERROR if call.val.bits == NIL else Severity.WARNING
    pass_.report(Diagnostic(RULE.code, message, write.path, Span(write.node.start_byte, write.node.end_byte), severity, tuple(fixes), related))


def _enclosing_function_name(node: Node) -> str:
    current: Node | None = node
    while current is not None and current.type not in ("function_declaration", "method_declaration"):
        current = current.parent
    name = current.child_by_field_name("name") if current is not None else None
    return text(name) if name is not None else ""


def _report_construction(pass_: Pass, construction: _Construction) -> None:
    origin = construction.origin
    first = construction.writes[0]
    path, start, _ = _write_location(first)
    method = f" by `{first.via_method}`" if first.via_method else ""
    message = (
        f"`{origin.type_name or 'value'}` built here leaves map field `{construction.field}` nil, "
        f"and it is written{method} at {_where(pass_, path, start)}"
    )
    related = []
    for write in construction.writes[:5]:
        w_path, w_start, w_end = _write_location(write)
        related.append(Related(w_path, Span(w_start, w_end), f"`{construction.field}` written here while nil"))
    severity = Severity.ERROR if all(w.val.bits == NIL for w in construction.writes) else Severity.WARNING
    construction.fixes = _construction_fixes(pass_, construction)
    pass_.report(
        Diagnostic(
            RULE.code,
            message,
            origin.path,
            Span(origin.start, origin.end),
            severity,
            construction.fixes,
            tuple(related),
        )
    )


def _at_every_construction(pass_: Pass, construction_fixes: list[tuple[Fix, ...]], sites: tuple[Origin, ...], write_path: str) -> list[Fix]:
    """The constructions' fixes as fixes of the write: each of one construction's, or, for a
    value built on several paths, one fix making the map at every construction (the first
    fix of each), when each has one."""
    if len(sites) == 1:
        return [_at_construction(pass_, fix, sites[0], write_path) for fix in construction_fixes[0]]
    if not all(construction_fixes):
        return []
    firsts = [_at_construction(pass_, fixes[0], site, write_path) for fixes, site in zip(construction_fixes, sites, strict=True)]
    where = ", ".join(_where(pass_, site.path, site.start) for site in sites)
    title = f"{construction_fixes[0][0].title}, at each of {where}"
    unsafe = any(f.applicability is not Applicability.SAFE for f in firsts)
    edits = tuple(edit for fix in firsts for edit in fix.edits)
    return [replace(firsts[0], title=title, edits=edits, applicability=Applicability.UNSAFE if unsafe else Applicability.SAFE)]


def _at_construction(pass_: Pass, fix: Fix, origin: Origin, write_path: str) -> Fix:
    """The construction's fix as a fix of the write: its edits name the construction's file
    when that is another one, and so does its title."""
    if origin.path == write_path:
        return fix
    edits = tuple(replace(edit, path=origin.path) for edit in fix.edits)
    return replace(fix, title=f"{fix.title} at {_where(pass_, origin.path, origin.start)}", edits=edits)


def _guard(pass_: Pass, event: WriteEvent, applicability: Applicability = Applicability.SAFE) -> Fix | None:
    map_type = usable_type(event, pass_.file(event.path))
    if not map_type:
        return None
    if event.callee is not None:
        target = event.target  # the field written inside the method, spelt from the caller
    else:
        expression = written_expression(event)
        target = text(expression) if expression is not None else ""
    if not target or not field_assignable(event):
        return None  # `m[k].f = ...` does not compile: a map element is not addressable
    return lazy_guard(pass_.file(event.path), event.statement, target, map_type, applicability)


def _construction_fixes(pass_: Pass, construction: _Construction) -> tuple[Fix, ...]:
    origin = construction.origin
    home = pass_.package.files.get(origin.path)
    event = construction.writes[0]
    map_type = usable_type(event, home)
    if home is None or not map_type:
        return ()
    node = home.tree.root_node.descendant_for_byte_range(origin.start, origin.end)
    while node is not None and node.type not in ("composite_literal", "call_expression", "var_spec", "short_var_declaration") and not _elided_literal(node):
        node = node.parent
    if node is None or _builds_collection(node):
        return ()  # the nil is an element's (`var all [2]T`): no statement after it names the map
    unsafe = _compared_with_nil(pass_, construction.field)
    applicability = Applicability.UNSAFE if unsafe else Applicability.SAFE
    fix: Fix | None = None
    relative = _relative_target(event)
    struct = pass_.result_of("flow", analyze).flow.types.for_file(origin.path).struct_of(origin.type_name) if origin.type_name else None
    direct = struct is not None and struct.field(construction.field) is not None
    if (node.type == "composite_literal" or _elided_literal(node)) and direct and event.target_path[-1] == ("f", construction.field):
        fix = add_field_to_literal(home, node, construction.field, map_type, _field_index(pass_, origin, construction.field), applicability)
    elif node.type in ("call_expression", "var_spec", "short_var_declaration"):
        statement = _statement_of(node)
        name = _declared_name(statement)
        if statement is not None and name and relative:
            fix = init_after_statement(home, statement, ".".join([name, *relative]), map_type, applicability)
    return (fix,) if fix is not None else ()


def _elided_literal(node: Node) -> bool:
    """Whether `node` is an element `{...}` of a collection literal whose type is left out
    (`map[string]*T{"b": {name: "e"}}`): the struct literal the field is added to, not the
    collection around it."""
    return node.type == "literal_value" and node.parent is not None and node.parent.type == "literal_element"


def _builds_collection(node: Node) -> bool:
    """Whether a construction's declaration or literal is of an array or slice (of structs
    whose zero elements leave the map nil), not of the struct itself."""
    type_node = node.child_by_field_name("type")
    return type_node is not None and type_node.type in ("array_type", "slice_type", "implicit_length_array_type")


def _relative_target(event: WriteEvent) -> list[str]:
    """The field names from the constructed value down to the written map (`Inner.Attrs`)."""
    steps = event.target_path[1:]
    if any(step[0] != "f" for step in steps):
        return []
    return [step[1] for step in steps]


def _field_index(pass_: Pass, origin: Origin, field_name: str) -> int | None:
    struct = pass_.result_of("flow", analyze).flow.types.for_file(origin.path).struct_of(origin.type_name) if origin.type_name else None
    if struct is None:
        return None
    for i, f in enumerate(struct.fields):
        if f.name == field_name:
            return i
    return None


def _statement_of(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None and current.type not in ("short_var_declaration", "var_declaration", "assignment_statement"):
        current = current.parent
    return current


def _declared_name(statement: Node | None) -> str:
    if statement is None:
        return ""
    if statement.type in ("short_var_declaration", "assignment_statement"):
        left = statement.child_by_field_name("left")
        names = left.named_children if left is not None else []
        return text(names[0]) if len(names) == 1 and names[0].type == "identifier" else ""
    specs = [c for c in statement.named_children if c.type == "var_spec"]
    if len(specs) == 1:
        names = specs[0].children_by_field_name("name")
        return text(names[0]) if len(names) == 1 else ""
    return ""


def _compared_with_nil(pass_: Pass, field_name: str) -> bool:
    pattern = re.compile(rb"\." + name_pattern(field_name) + rb"\s*[!=]=\s*nil\b")
    return any(f.matches(pattern) for f in pass_.package.files.values())


def _constructor_pairs(pass_: Pass, flow) -> list[_Construction]:
    """Constructors whose result leaves a field nil, paired with methods that write it unguarded."""
    pairs = []
    package = pass_.package
    for name in sorted(package.funcs):
        decl = package.funcs[name]
        if not decl.result_types:
            continue
        type_name = flow.types.struct_name(decl.result_types[0])
        if type_name is None:
            continue
        result = flow.function_result(name)
        if result is None or result.val.zero is None or result.val.zero.kind is not OriginKind.CONSTRUCTION:
            continue
        origin = result.val.zero
        for field_name in flow.types.map_fields(type_name):
            child = result.children.get((("f", field_name),))
            if child is not None and not child.bits & NIL:
                continue
            if _assigned_anywhere(pass_, field_name):
                continue
            writes = [w for w in _method_writes(flow, type_name, field_name) if not _ruled_out_by(pass_, w, result.children)]
            if writes:
                pairs.append(_Construction(Origin(origin.kind, origin.path, origin.start, origin.end, origin.description, type_name, field_name), field_name, writes))
    return pairs


def _method_writes(flow, type_name: str, field_name: str) -> list[WriteEvent]:
    writes = []
    for (receiver, method), _decl in sorted(flow.package.methods.items(), key=lambda kv: kv[0]):
        if receiver != type_name:
            continue
        summary = flow.method_summary(pointee(receiver), method)
        if summary is None:
            continue
        write = summary.writes.get((("f", field_name),))
        if write is not None:
            writes.append(write)
    return writes


def _ruled_out_by(pass_: Pass, write: WriteEvent, fields: dict) -> bool:
    """Whether the constructor's value can never reach the method's write: the write needs a
    boolean field of the receiver (`if !s.reload`) to be what the constructor's literal does
    not set it to (`reload: true`), and no code of the package sets that field otherwise
    (`x.reload = ...`, `&x.reload`), so the value keeps what the literal gave it."""
    for when in (write.reached, write.val.when):
        for literal in when.literals if isinstance(when, Condition) else ():
            subject = literal.subject
            if literal.test != "bool" or subject is None or len(subject) != 2 or subject[1][0] != FIELD:
                continue
            built = fields.get(subject[1:])
            if built is None or built.constant is None or built.constant == literal.truth:
                continue
            pattern = field_set_pattern(subject[1][1], literals=False, addresses=True)
            if not any(f.matches(pattern) for f in pass_.package.files.values()):
                return True
    return False


def _assigned_anywhere(pass_: Pass, field_name: str) -> bool:
    """Whether any code of the package sets the field: `x.f = ...`, `&x.f`, or `f: ...` in a literal.

    A constructor that leaves the field nil is paired with a writing method only when the
    package never makes the field at all; otherwise other constructors or an `Init` step
    may be the intended way in (see Known problems).
    """
    return field_name in pass_.result_of("nm003-fields-set", lambda p: fields_set(p.package.files.values()))


RULE = Rule(
    code="NM003",
    name="map-field-not-initialised",
    title="struct built with a nil map field that is written",
    severity=Severity.ERROR,
    since="0.1.0",
    fix_availability="sometimes",
    default_enabled=True,
    doc=__doc__ or "",
    run=run,
)
