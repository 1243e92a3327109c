"""Every shape tag the generator emits, with what it stands for.

The test suite checks that each of them is emitted by some program of its fixed sample, so
a tag listed here is a shape the generator really composes. Most tags sit on the nodes that
make the shape; `shape_tags` adds those that only the whole program shows.
"""
from __future__ import annotations

import re

from tests.generated.program import Node, Program

_CONDITION = re.compile(r"^(?:\} else )?(?:if|switch|case) (.*?)(?: \{|:)$")
_LOCAL = re.compile(r"(?<![\w.§\"])[a-z]\w*(?![\w(\"])")
_NOT_SUBJECTS = {"len", "nil", "true", "false", "ok", "err", "found", "inner"}


def shape_tags(program: Program) -> frozenset[str]:
    """The program's tags: its nodes' own, and `cond.correlated` when some function reads
    one input in two or more conditions."""
    tags = set(program.tags())
    for decl in program.decls:
        seen: dict[str, int] = {}
        for header in _headers(decl):
            match = _CONDITION.match(header)
            if match is None:
                continue
            for subject in set(_LOCAL.findall(match.group(1))) - _NOT_SUBJECTS:
                seen[subject] = seen.get(subject, 0) + 1
        if any(count > 1 for count in seen.values()):
            tags.add("cond.correlated")
    return frozenset(tags)


def _headers(node: Node) -> list[str]:
    found = [section.header for section in node.sections]
    for child in node.children():
        found += _headers(child)
    return found

SHAPES: dict[str, str] = {
    # local maps
    "local.var": "`var m map[K]V`",
    "local.make": "`m := make(map[K]V)`",
    "local.literal": "`m := map[K]V{...}`",
    "local.nil": "`var m map[K]V = nil`",
    "local.conversion": "`map[K]V(nil)`",
    "local.multi_assign": "two maps declared or assigned in one statement",
    "local.make_assign": "`m = make(...)` after the declaration",
    "local.literal_assign": "`m = map[K]V{...}` after the declaration",
    "local.reset": "`m = nil` (or a helper or method that resets)",
    "local.shadow": "`m := ...` in an inner block shadows the outer map",
    # struct fields
    "field.direct": "a map field written as `s.items[k]`",
    "field.nested_struct": "a map in a nested struct field, `s.meta.tags[k]`",
    "field.embedded": "a map of an embedded struct through its name, `s.Base.attrs[k]`",
    "field.embedded_promoted": "a promoted map field of an embedded struct, `s.attrs[k]`",
    "field.embedded_method": "a method of the embedded struct, promoted (`s.SetAttr(k)`)",
    "field.embedded_literal": "a literal that makes the embedded struct's map",
    "field.literal_empty": "`T{}` / `&T{}`",
    "field.keyed_without": "a keyed literal without the map field",
    "field.keyed_with": "a keyed literal that makes the map field",
    "field.keyed_all": "a keyed literal that makes every map field",
    "field.keyed_nil": "a keyed literal with the field explicitly `nil`",
    "field.positional_nil": "a positional literal with `nil` for the map",
    "field.positional_made": "a positional literal with `make(...)` for the map",
    "field.nested_literal": "a literal that makes a nested struct's map",
    "field.new": "`new(T)`",
    "field.var_zero": "`var t T`",
    "field.reassigned": "the struct variable assigned a new value",
    "field.value_copy": "`cp := s` / `cp := *p`: a copy of the struct",
    "field.pointer_alias": "`q := p`: a second pointer to the same struct",
    "field.assigned_from_local": "`s.items = m` from a local map",
    "field.in_collection": "a struct in a slice, array or map",
    "field.range_copy": "`for _, s := range structs`: the loop's copy",
    "coll.slice_make": "`make([]T, 2)`",
    "coll.slice_literal": "`[]T{{...}, {...}}`",
    "coll.array": "`var a [2]T`",
    "coll.map_of_structs": "`map[string]T{...}`, including keys it lacks",
    "coll.map_of_pointers": "`map[string]*T{...}`",
    "coll.slice_of_pointers": "`[]*T{{...}, ...}`",
    "ctor.new_func": "a constructor `newStore()` returning `*T`",
    "ctor.conditional": "a constructor that makes the map under a parameter",
    "ctor.value_func": "a function returning a `T` value",
    # named map types and methods
    "named.map_type": "`type Counts map[string]int`",
    "named.stdlib_type": "a local `url.Values`, a named map type of another package",
    "named.method_write": "a method of a named map type that writes (`c.Add(k)`)",
    "recv.pointer_make": "a pointer-receiver method that makes the map",
    "recv.value_make": "a value-receiver method that makes the map (of its copy)",
    "recv.pointer_reset": "a pointer-receiver method that sets the map to nil",
    "recv.pointer_write": "a pointer-receiver method that writes the map",
    "recv.value_write": "a value-receiver method that writes the map",
    "recv.lazy_init": "a pointer-receiver method with `if s.m == nil { s.m = make(...) }`",
    "recv.implicit_addr": "a pointer method called on an addressable value (`x.M()` takes `&x`)",
    # package level
    "pkg.var": "a package map declared without a value",
    "pkg.var_made": "a package map initialised with `make`",
    "pkg.var_literal": "a package map initialised with a literal",
    "pkg.var_helper": "a package map initialised by a helper call",
    "pkg.init": "`init()` deals with the package map",
    "pkg.init_make": "`init()` makes it on every path",
    "pkg.init_some_path": "`init()` makes it on some paths only",
    "pkg.init_write": "`init()` writes it",
    "pkg.struct_zero": "a package struct variable left zero",
    "pkg.struct_literal": "a package `&T{}`",
    "pkg.struct_ctor": "a package struct built by the constructor",
    # helpers
    "helper.returns_made": "a helper returning a made map",
    "helper.returns_nil": "a helper returning nil",
    "helper.returns_maybe_nil": "a helper returning a made map or nil by its parameter",
    "helper.returns_param": "a helper returning the map it was given (made or written)",
    "helper.map_param": "a helper taking the map and writing it",
    "helper.ptr_param": "a helper taking `*map` (makes, resets or writes through it)",
    "helper.struct_ptr_param": "a helper taking `*T` (makes or writes its field)",
    # closures
    "closure.makes": "a closure that makes the map, called before or after writes",
    "closure.writes": "a closure that writes the map",
    "closure.call": "a call of such a closure",
    "closure.iife": "`func() { ... }()`",
    "closure.deferred": "`defer func() { ... }()`",
    # control flow
    "flow.if": "`if`",
    "flow.if_else": "`if` / `else if` / `else`",
    "flow.switch_default": "`switch` with `default`",
    "flow.switch_no_default": "`switch` without `default`",
    "flow.loop_three_clause": "`for i := 0; i < n; i++`",
    "flow.range_int": "`for i := range n`",
    "flow.range_slice": "`for _, k := range keys`",
    "flow.range_structs": "`for i := range structs` / `for _, s := range structs`",
    "flow.range_empty_slice": "ranging over a slice that is empty at run time",
    "flow.range_full_slice": "ranging over a slice that is not",
    "flow.loop_break": "`break` under a condition",
    "flow.loop_continue": "`continue` under a condition",
    "flow.label": "a labelled loop",
    "flow.labeled_break": "`break outer`",
    "flow.labeled_continue": "`continue outer`",
    "flow.early_return": "`if cond { return }`",
    "flow.goto": "a forward `goto` over statements",
    "flow.defer": "`defer`",
    "flow.defer_args": "`defer put(m, k)`: the map is evaluated at the defer",
    "goroutine.waitgroup": "a goroutine joined with a `sync.WaitGroup`",
    "cond.correlated": "one input read by several conditions of a function",
    # nested maps
    "nested.inner": "an inner map of a nested map, `m[k1]`",
    "nested.write_inner": "a write into an inner map, `m[k1][k2] = v`",
    "nested.make_inner": "`m[k1] = make(...)`",
    "nested.reset_inner": "`m[k1] = nil`",
    "nested.alias_inner": "the inner map read into a local (`inner, ok := m[k]`)",
    "nested.guarded_method": "a method that makes the inner map if missing, then writes it",
    "nested.key_literal": "inner map keyed by a literal",
    "nested.key_ident": "... by a local variable",
    "nested.key_selector": "... by a selector (`p.A`, `s.name`)",
    "nested.key_index": "... by an index expression (`names[1]`)",
    "nested.key_call": "... by a call (`keyOf(i)`)",
    "nested.key_const": "... by a constant",
    "nested.key_concat": "... by a concatenation (`\"a\"+k`)",
    "nested.key_changed": "the key variable reassigned between writes",
    # guards
    "guard.nil_check": "`if m == nil` / `if m != nil`",
    "guard.comma_ok": "`if _, ok := m[k]; ok` / `!ok`",
    "guard.len": "`if len(m) > 0` / `== 0`",
    "flag.set_beside": "a flag (bool, string or int) set beside a make and tested before a write",
    "flag.set_apart": "the flag also set on a path that makes no map",
    "flag.in_loop": "the flag and the make set in a loop's rounds",
    # writes
    "write.assign": "`m[k] = v`",
    "write.inc": "`m[k]++`",
    "write.op_assign": "`m[k] += v`",
    "write.read_modify": "`m[k] = m[k] + 1`",
    "write.multi": "`m[a], n[b] = 1, 2`",
    "write.stdlib_method": "`url.Values.Set` / `Add` on a nil `url.Values`",
    "read.only": "reads, `len` and `delete` on the map",
    # decoding
    "json.decode": "`json.Unmarshal` into a struct with a tagged map field",
    "json.prefilled": "the struct's map made before decoding (`null` in the input resets it)",
    "json.decode_again": "decoded a second time",
    "json.reset": "the decoded struct replaced by `T{}`",
    "json.decode_map": "`json.Unmarshal` into a local map",
    "json.input_with_labels": "an input that has the map's key",
    "json.input_without_labels": "an input without it (or `null`)",
}
