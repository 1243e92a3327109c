"""Where a package stores a struct field, and whether the store gives it a map of its own.

NM004 leaves a decoded field to the package when the package itself makes it somewhere (a
defaults or validation step may run before the write). Not every store is such a step:
- a copy of the same field (`Users: copyMap(pl.Users)`, `x.Labels = maps.Clone(y.Labels)`)
  is as nil as what it copies;
- `nil` makes nothing;
- a make into a value the storing function builds itself (`out := new(T); out.F = make(...)`)
  fills that value only, not the decoded ones (unless the write is in a method of the type,
  whose constructors count: see `FieldStores.manages`).
A lazy guard (`if x.F == nil { x.F = make(...) }`) always counts: it is written for values
that arrive without the map.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from tree_sitter import Node, QueryCursor

from analyzers.parsing import text
from analyzers.queries import load
from analyzers.source import SourceFile

_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")


@dataclass(frozen=True)
class Store:
    """One store of a field: in a composite literal (`F: v`) or an assignment (`x.F = v`)."""

    in_literal: bool
    makes: bool  # gives the field a value that is not a copy of the same field, nor nil
    fresh: bool  # an assignment into a value built in the same function
    guarded: bool  # under `if x.F == nil` (or `len(x.F) == 0`): a lazy guard
    explicit: bool = False  # the value is a new map itself (`make(map[K]V)`, `map[K]V{}`), not one computed elsewhere


class FieldStores:
    """The stores of every field name in a package's files."""

    def __init__(self, files: dict[str, SourceFile]) -> None:
        self.files = files

    @cached_property
    def _stores(self) -> dict[str, list[Store]]:
        found: dict[str, list[Store]] = {}
        for path in sorted(self.files):
            for field, store in _stores_in(self.files[path].tree.root_node):
                found.setdefault(field, []).append(store)
        return found

    def field_names(self) -> list[str]:
        """Every field name the package stores into."""
        return list(self._stores)

    def makes_on_handed_values(self, field: str) -> bool:
        """Whether the package stores a new map (`make(...)`, a map literal) into `field` of a
        value it did not build there (`tables[i].Columns = make(...)` over what it is handed),
        or lazily: a step that gives every value it sees the map. A computed map stored
        (`it.Vals = mp`) may itself be nil and says nothing of the kind."""
        return any(s.explicit and not s.in_literal and (s.guarded or not s.fresh) for s in self._stores.get(field, ()))

    def manages(self, field: str, constructors: bool) -> bool:
        """Whether the package gives `field` a map of its own somewhere: a lazy guard, or a
        make into a value it did not build; with `constructors` (a write in a method of the
        type), also a value it builds with the map (a literal or a make into a fresh value)."""
        for store in self._stores.get(field, ()):
            if not store.makes:
                continue
            if store.guarded or (not store.in_literal and not store.fresh) or constructors:
                return True
        return False


def _stores_in(root: Node) -> Iterator[tuple[str, Store]]:
    # A query finds the two kinds of node in C; a Python step per node of the file cost more
    # than the rest of reading an imported package. In document order, as a walk would.
    captured = QueryCursor(load("field_stores")).captures(root)
    nodes = sorted([*captured.get("assignment", ()), *captured.get("keyed", ())], key=lambda n: (n.start_byte, -n.end_byte))
    built: dict[int, frozenset[str]] = {}  # a function's start -> `_built_names` of it
    for node in nodes:
        if node.type == "assignment_statement":
            if _operator(node) == "=":
                yield from _assigned_fields(node, built)
        else:
            key = node.child_by_field_name("key")
            value = node.child_by_field_name("value")
            name = text(key).strip() if key is not None else ""
            if name.isidentifier() and value is not None:
                yield name, Store(True, _makes(name, value), True, False)


def _assigned_fields(statement: Node, built: dict[int, frozenset[str]]) -> Iterator[tuple[str, Store]]:
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    targets = left.named_children if left is not None else []
    values = right.named_children if right is not None else []
    for position, target in enumerate(targets):
        if target.type != "selector_expression":
            continue
        field_node = target.child_by_field_name("field")
        operand = target.child_by_field_name("operand")
        if field_node is None or operand is None:
            continue
        field = text(field_node)
        value = values[position] if len(values) == len(targets) else None
        makes = value is None or _makes(field, value)
        explicit = value is not None and new_map(value)
        yield field, Store(False, makes, _built_here(operand, statement, built), _under_nil_guard(field, statement), explicit)


def new_map(value: Node) -> bool:
    """`make(map[K]V...)` or `map[K]V{...}`."""
    if value.type == "composite_literal":
        type_node = value.child_by_field_name("type")
        return type_node is not None and type_node.type == "map_type"
    function = value.child_by_field_name("function") if value.type == "call_expression" else None
    return function is not None and text(function) == "make" and text(value)[4:].lstrip("( \t").startswith("map[")


def _makes(field: str, value: Node) -> bool:
    """Whether a stored value is the field's own map: not `nil`, not a copy of the same field."""
    return text(value).strip() != "nil" and not _copy_of(field, value)


def _copy_of(field: str, value: Node) -> bool:
    """`x.F`, `x.GetF()`, or a one-argument call of one (`copyMap(x.F)`, `maps.Clone(x.F)`),
    which copies nil as nil. A call given more (`merge(x.F, defaults)`) may make the map."""
    while value.type in ("parenthesized_expression", "literal_element") and value.named_child_count == 1:
        value = value.named_children[0]
    if value.type == "selector_expression":
        name = value.child_by_field_name("field")
        return name is not None and text(name) == field
    if value.type != "call_expression":
        return False
    function = value.child_by_field_name("function")
    arguments = value.child_by_field_name("arguments")
    arguments_given = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
    if not arguments_given and function is not None and function.type == "selector_expression":
        name = function.child_by_field_name("field")
        return name is not None and text(name) == f"Get{field}"
    return len(arguments_given) == 1 and _copy_of(field, arguments_given[0])


def _built_here(operand: Node, statement: Node, built: dict[int, frozenset[str]]) -> bool:
    """Whether `x` of `x.F = v` is a value the enclosing function built (`x := &T{}`, `new(T)`,
    `var x T`), not one it was handed. The names are found once per function (in `built`):
    a function storing many fields would otherwise be walked again for each."""
    if operand.type != "identifier":
        return False
    function = _enclosing_function(statement)
    if function is None:
        return False
    names = built.get(function.start_byte)
    if names is None:
        names = built[function.start_byte] = _built_names(function)
    return text(operand) in names


def _built_names(function: Node) -> frozenset[str]:
    """The names a function (with the closures in it) declares as values it builds:
    `x := &T{}`, `x := T{}`, `x := new(T)`, or `var x T` without a value."""
    names: set[str] = set()
    # (found by a query, in C: a Python step per node of every function storing a field cost
    # more than the rest of reading an imported package)
    captured = QueryCursor(load("built_names")).captures(function)
    for node in captured.get("declaration", ()):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        declared = [text(n) for n in left.named_children] if left is not None else []
        values = right.named_children if right is not None else []
        if len(values) != len(declared):
            continue
        # The first of a repeated name is the one asked about (`names.index`).
        names.update(name for position, name in enumerate(declared) if declared.index(name) == position and _is_construction(values[position]))
    for node in captured.get("spec", ()):
        if node.child_by_field_name("value") is None:
            names.update(text(n) for n in node.children_by_field_name("name"))
    return frozenset(names)


def _is_construction(value: Node) -> bool:
    if value.type == "unary_expression" and text(value).startswith("&"):
        inner = value.child_by_field_name("operand")
        return inner is not None and inner.type == "composite_literal"
    if value.type == "composite_literal":
        return True
    if value.type == "call_expression":
        function = value.child_by_field_name("function")
        return function is not None and text(function) == "new"
    return False


def _under_nil_guard(field: str, statement: Node) -> bool:
    selected = "." + field  # (in every match: a condition without it needs no pattern compiled)
    parent = statement.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            shown = text(condition) if condition is not None else ""
            if selected in shown and _nil_guard(field).search(shown):
                return True
        parent = parent.parent
    return False


@lru_cache(maxsize=4096)
def _nil_guard(field: str) -> re.Pattern[str]:
    """`x.F == nil` or `len(x.F) == 0`, compiled once per field name (one a store asked)."""
    return re.compile(rf"\.{re.escape(field)}\s*==\s*nil\b|len\([^()]*\.{re.escape(field)}\)\s*==\s*0")


def _operator(statement: Node) -> str:
    operator = statement.child_by_field_name("operator")
    return text(operator) if operator is not None else ""


def _enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        parent = parent.parent
    return parent
