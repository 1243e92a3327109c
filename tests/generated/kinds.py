"""Kinds of disagreement: the Go rule the engine got wrong, told from a shrunk program.

A shrunk program keeps little besides the disagreement, so where its write sits (inside a
function literal, after a closure that captures the map), what the written place came from
(its shape tags) and what else the program does to the map say which rule of Go the engine
did not follow. The rules below are tried in order; the first that matches names the kind.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tests.generated.program import PREFIX_MARK, Node, NodePath, node_at, node_paths
from tests.generated.shapes import shape_tags
from tests.generated.shrink import Shrunk
from tests.generated.verdicts import FALSE_ALARM, MISS

_LITERAL = re.compile(r"func\(\) \{$")
_ROOT = re.compile(rf"^(?:\(\*)?([\w{PREFIX_MARK}]+)")
_HELPER_CALL = re.compile(rf"^(?:defer )?{PREFIX_MARK}\w+\(&?([\w{PREFIX_MARK}]+)")


@dataclass(frozen=True)
class Kind:
    name: str  # the fixture directory's stem
    rule: str  # the Go rule, in a sentence or two
    why: str = "runs without panicking"  # the `// OK:` comment of a false-alarm candidate


@dataclass(frozen=True)
class Features:
    """What a shrunk program says about its disagreement."""

    kind: str
    write: frozenset[str]  # the written node's tags: where its map came from, how it is written
    program: frozenset[str]  # every tag left in the program
    root: str  # the variable the written map is reached through
    in_literal: bool  # the write is inside a function literal (closure, goroutine, defer)
    literal_elsewhere: bool  # a function literal that does not hold the write names the root
    assigned_later: bool  # the root's map is assigned again after the write, in the same function
    address_taken: bool  # `&root...` is handed to a function
    via_call: bool  # the write is in a helper or method; the other fields describe the call that led there
    decodes: bool  # the program still calls json.Unmarshal

    def has(self, *tags: str) -> bool:
        return any(t in self.write or t in self.program for t in tags)


def features(shrunk: Shrunk) -> Features:
    program = shrunk.program
    paths = node_paths(program)
    path = _site(shrunk, paths)
    via_call = node_at(program, path).write != shrunk.discrepancy.write
    node = node_at(program, path)
    ancestors = [node_at(program, path[:i]) for i in range(1, len(path), 2)]
    in_literal = any(_LITERAL.search(s.header) for a in ancestors[1:] for s in a.sections)
    root = _root(node.text)
    function = ancestors[0]
    mention = re.compile(r"(?<![\w.])" + re.escape(root) + r"(?![\w])") if root else None
    literal_elsewhere = assigned_later = address_taken = False
    after = False
    for other in _walk(function):
        if other is node:
            after = True
            continue
        if mention is None:
            continue
        literal = other.sections and any(_LITERAL.search(s.header) for s in other.sections)
        if literal and not _contains(other, node) and any(mention.search(_own_text(n)) for n in _walk(other)):
            literal_elsewhere = True
        own = _own_text(other)
        if not mention.search(own):
            continue
        if after and re.search(r"(?<![\w.])" + re.escape(root) + r"[\w.\[\]\"]* = ", own):
            assigned_later = True
        if "&" + root in own:
            address_taken = True
    return Features(
        shrunk.discrepancy.kind, node.tags, shape_tags(program), root, in_literal, literal_elsewhere, assigned_later,
        address_taken, via_call, any("json.Unmarshal" in _own_text(n) for n in program.nodes()),
    )


def _root(statement: str) -> str:
    """The variable a write statement reaches its map through: `m` in `m[k] = v` and in
    `s.items.Add(k)`; for a helper call `put(&s.items, k)`, its first argument's."""
    call = _HELPER_CALL.match(statement)
    if call is not None:
        return call.group(1)
    match = _ROOT.match(statement)
    return match.group(1) if match else ""


def _site(shrunk: Shrunk, paths: list[NodePath]) -> NodePath:
    """Where the disagreement is decided: the write itself, or, for a write inside a helper
    or method, the call in a `run` function that led to it (it is on the panic's stack)."""
    program = shrunk.program
    write = next(p for p in paths if node_at(program, p).write == shrunk.discrepancy.write)
    for call in shrunk.verdict.through:
        path = next((p for p in paths if node_at(program, p).write == call), None)
        if path is not None and program.decls[path[0]].sections[0].header.startswith(f"func {PREFIX_MARK}run"):
            return path
    return write


def _walk(node: Node):
    yield node
    for child in node.children():
        yield from _walk(child)


def _contains(outer: Node, inner: Node) -> bool:
    return any(n is inner for n in _walk(outer))


def _own_text(node: Node) -> str:
    return node.text if not node.sections else "\n".join([s.header for s in node.sections] + [node.tail])


Rule = tuple[Callable[[Features], bool], Kind]

MISS_RULES: list[Rule] = [
    (
        lambda f: f.has("field.in_collection"),
        Kind(
            "miss_struct_element",
            "A struct that is an element of an array, a slice (`make([]T, n)` or a literal whose element "
            "leaves the field out) or a map (`map[string]T{...}`, `map[string]*T{...}`) has nil maps, like any "
            "other zero value or literal without the field; writing them through the element panics.",
        ),
    ),
    (
        lambda f: f.has("pkg.struct_zero", "pkg.struct_literal", "pkg.struct_ctor"),
        Kind(
            "miss_package_struct",
            "A package-level struct variable (`var g T`, `var g = &T{}`, `var g = newT()` whose constructor "
            "leaves the map out) has a nil map field until something makes it; a function that writes it "
            "first panics.",
        ),
    ),
    (
        lambda f: f.has("named.stdlib_type") and f.has("local.conversion", "local.multi_assign", "local.shadow"),
        Kind(
            "miss_stdlib_named_map_nil",
            "`url.Values(nil)` (a conversion of nil to a named map type of another package, alone or in a "
            "multiple assignment) is a nil map: `Set`, `Add` and index writes on it panic.",
        ),
    ),
    (
        lambda f: f.in_literal,
        Kind(
            "miss_write_in_func_literal",
            "A function literal (a closure called later, `go func(){...}()`, `defer func(){...}()`) sees "
            "the captured variable as it is when it runs: a write inside it panics when the map is still nil "
            "at that moment.",
        ),
    ),
    (
        lambda f: f.literal_elsewhere,
        Kind(
            "miss_captured_by_closure",
            "A closure that captures a map (or its struct) but runs after the write, or a goroutine joined "
            "before the write that does not make it, does not make the map nil-safe at the write.",
        ),
    ),
    (
        lambda f: f.assigned_later,
        Kind(
            "miss_made_after_the_write",
            "Statements run in order: a make (or a decode, or a helper's result) assigned after the write "
            "does not protect the write before it.",
        ),
    ),
    (
        lambda f: (f.via_call or not f.write) and f.has("flow.defer_args"),
        Kind(
            "miss_deferred_call_gets_nil",
            "The arguments of a deferred call are evaluated at the `defer` statement: `defer put(m, k)` hands "
            "over the map as it is then, and the callee's write panics when the function returns.",
        ),
    ),
    (
        lambda f: f.via_call and f.has("helper.map_param"),
        Kind(
            "miss_nil_passed_to_writer",
            "A nil map passed to a same-package function that writes its parameter panics in the callee, "
            "whatever the nil's origin: a field, a `url.Values`, a helper's result.",
        ),
    ),
    (
        lambda f: f.via_call and f.has("helper.ptr_param", "helper.struct_ptr_param"),
        Kind(
            "miss_written_through_pointer",
            "A function that writes through its pointer parameter (`(*p)[k]++`, `s.items[k]++` for `s *T`) "
            "panics when the map it points to is nil; taking the address does not make the map.",
        ),
    ),
    (
        lambda f: f.via_call,
        Kind(
            "miss_method_writes_nil_field",
            "A method that writes a field of its receiver panics when the receiver's map is nil: a copy "
            "(`cp := *p`, a range variable) or a value built without it.",
        ),
    ),
    (
        lambda f: f.address_taken,
        Kind(
            "miss_address_taken",
            "A map whose address goes to a same-package function that does not store a made map through it "
            "(`ensure(&m)` with an empty body, `reset(&m)` storing nil) stays nil; the callee's body says so.",
        ),
    ),
    (
        lambda f: f.has("recv.pointer_reset"),
        Kind(
            "miss_reset_by_method",
            "A pointer-receiver method that sets the field to nil (`s.Reset()`) leaves it nil for the caller.",
        ),
    ),
    (
        lambda f: f.has("nested.inner") and f.has("field.direct", "field.nested_struct"),
        Kind(
            "miss_inner_of_nil_map_field",
            "`s.index[a][b] = v` where the struct's nested map field is nil (zero value, literal without it): "
            "reading a nil map gives a nil inner map, and the write into it panics.",
        ),
    ),
    (
        lambda f: f.has("nested.inner") and f.has("pkg.var", "pkg.var_made", "pkg.var_literal", "pkg.var_helper"),
        Kind(
            "miss_inner_of_package_map",
            "A package-level nested map (`var cache = make(map[string]map[string]int)`) has no inner map "
            "for a key nothing set: `cache[k1][k2] = v` panics.",
        ),
    ),
    (
        lambda f: f.has("nested.inner"),
        Kind(
            "miss_inner_of_nil_map",
            "An entry of a nil (or empty) nested map is a nil inner map: `m[a][b] = v` panics when `m` is nil "
            "or has no key `a` (keys that are calls with different arguments are different keys).",
        ),
    ),
    (
        lambda f: f.has("pkg.var", "pkg.init_some_path", "pkg.var_made", "pkg.var_literal"),
        Kind(
            "miss_package_map",
            "A package map that no function made before this one runs is nil when it is written.",
        ),
    ),
    (
        lambda f: f.has("helper.returns_maybe_nil"),
        Kind(
            "miss_helper_may_return_nil",
            "A same-package function that returns nil on some paths (`if ok { return make(...) }; return nil`) "
            "hands nil to its caller when that path is taken; the write then panics.",
        ),
    ),
    (
        lambda f: f.has("json.decode") and not f.decodes,
        Kind(
            "miss_tagged_struct_zero",
            "A struct whose map fields carry `json` tags is still a plain struct: `var c Config` (or `Config{}`) "
            "leaves `c.Counts` nil whether or not anything decodes into it.",
        ),
    ),
    (
        lambda f: f.has("json.decode", "json.decode_map"),
        Kind(
            "miss_decoded",
            "`json.Unmarshal` leaves a map field nil when the input lacks its key or has `null` there (and "
            "sets a prefilled one to nil for `null`).",
        ),
    ),
    (
        lambda f: f.has("flow.range_int", "flow.loop_three_clause", "flow.range_slice"),
        Kind(
            "miss_loop_first_round",
            "In a loop, a write before the statement that makes the map runs first with the map still nil.",
        ),
    ),
]

FALSE_RULES: list[Rule] = [
    (
        lambda f: f.literal_elsewhere,
        Kind(
            "false_made_in_func_literal",
            "A goroutine joined with `wg.Wait()` before the write, or a closure called before it, has run its "
            "statements by then: the make (or the inner map, or the element's map) it stored is there.",
            "a goroutine joined before this line (or a closure called before it) made this map",
        ),
    ),
    (
        lambda f: f.has("recv.implicit_addr") and f.has("recv.pointer_make", "named.method_write"),
        Kind(
            "false_pointer_method_makes",
            "A pointer-receiver method of a named map type called on an addressable map (`s.items.Init()`, "
            "`m.Init()`) takes its address implicitly (`(&s.items).Init()`), so the method's make is the "
            "caller's map.",
            "the pointer-receiver Init() made this map (its address is taken implicitly)",
        ),
    ),
    (
        lambda f: f.has("nested.key_call", "nested.key_index", "nested.key_selector", "nested.key_ident", "nested.key_concat"),
        Kind(
            "false_key_not_known",
            "Two key expressions that yield the same string (`keyOf(1)` and `\"b\"`) name the same entry: an "
            "entry stored under one is there when read under the other, so a key the engine cannot evaluate "
            "may be a key that is present.",
            "the entry under this key was stored before (under an expression with the same value)",
        ),
    ),
    (
        lambda f: f.has("field.pointer_alias"),
        Kind(
            "false_pointer_alias",
            "Two pointers to one struct share its fields: `alias := p; alias.items = make(...)` makes `p.items`.",
            "made through another pointer to the same struct",
        ),
    ),
    (
        lambda f: f.has("field.value_copy"),
        Kind(
            "false_struct_copy",
            "Copying a struct (`cp := s`) copies its map fields: the copy's maps are the made maps of the "
            "original.",
            "a copy of a struct whose maps were all made",
        ),
    ),
    (
        lambda f: f.has("flow.range_structs") and f.has("field.in_collection"),
        Kind(
            "false_element_by_variable_index",
            "`s[i].m = make(...)` in a loop over `s` makes the map of every element it reaches, "
            "`s[1]` included.",
            "the loop made this element's map through a variable index",
        ),
    ),
]


def classify(shrunk: Shrunk) -> Kind:
    f = features(shrunk)
    rules = MISS_RULES if f.kind == MISS else FALSE_RULES if f.kind == FALSE_ALARM else []
    for predicate, kind in rules:
        if predicate(f):
            return kind
    prefix = {MISS: "miss", FALSE_ALARM: "false"}.get(f.kind, "warn")
    tags = sorted(f.write - {"write.assign", "write.inc", "write.op_assign", "write.read_modify"})
    return Kind(f"{prefix}_other", "Not yet told apart: " + ", ".join(tags) + ".")

