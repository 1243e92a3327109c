"""The fix builders the rules call: pure functions from tree-sitter nodes to `Fix`es.

Each builder returns a `Fix` of non-overlapping byte-offset edits whose result is
gofmt-clean Go that still compiles (imports are never touched), or None when the fix
cannot be written safely at that place. `map_type` is the text of the map's type as the
code spells it (`map[string]int`, `Set`, `http.Header`); the builders never guess it.
Applicability defaults to SAFE; the rule decides.

- `make_at_var_declaration`: `var m T` -> `m := make(T)` / `var m = make(T)`
- `make_at_nil_assignment`: `m = nil` -> `m = make(T)`
- `add_field_to_literal` / `make_in_constructor`: `T{...}` -> `T{..., f: make(M)}`
- `init_after_statement`: `t := new(T)` -> then `t.f = make(M)`
- `lazy_guard`: `if m == nil { m = make(T) }` before the write
"""
from __future__ import annotations

from analyzers.fixes.declarations import make_at_nil_assignment, make_at_var_declaration, make_call
from analyzers.fixes.literals import add_field_to_literal, literal_body, make_in_constructor
from analyzers.fixes.statements import init_after_statement, lazy_guard

__all__ = [
    "add_field_to_literal",
    "init_after_statement",
    "lazy_guard",
    "literal_body",
    "make_at_nil_assignment",
    "make_at_var_declaration",
    "make_call",
    "make_in_constructor",
]
