"""Constructions of a package's struct that leave a map field out, so nil.

A composite literal keyed by field names (`value{uids: u}`), or an empty one (`value{}`),
gives every field it does not name its zero value: a map field it leaves out is nil. So does
`new(T)`. The function that builds it may still store the field right after
(`v := &T{}; v.m = make(...)`): a construction assigned to a variable whose field the same
function stores is not counted. A positional literal (`value{u, m}`) names every field and is not counted either.

Asked for a field of a value nilmap cannot follow (a map parameter's element) that the code
finds empty (`len(l.vals) == 0`): a construction that leaves the field nil is where such a
value comes from, and the test says the writer runs exactly when it is empty.
"""
from __future__ import annotations

import re
from functools import lru_cache

from tree_sitter import Node

from analyzers.index import PackageIndex
from analyzers.parsing import text

_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")

# Where a construction starts, located by its text before its tree is read.
Site = tuple[str, int, int]  # (file path, start, end)


def constructions_leaving_out(package: PackageIndex, type_name: str, field: str) -> tuple[Site, ...]:
    """The constructions of the package's struct `type_name` that leave `field` nil, in file
    order (empty when the package declares no such struct or none does)."""
    decl = package.struct_of(type_name)
    if decl is None or decl.field(field) is None:
        return ()
    sites: list[Site] = []
    for path in sorted(package.files):
        file = package.files[path]
        for literal, named in _constructions(file.source, file.tree.root_node, type_name):
            if named is not None and field in named:
                continue
            if _stores_field(literal, field):
                continue
            sites.append((path, literal.start_byte, literal.end_byte))
    return tuple(sites)


def _constructions(source: bytes, root: Node, type_name: str) -> list[tuple[Node, frozenset[str] | None]]:
    """The literals `T{...}` (with the field names they give, None for a positional one) and
    the calls `new(T)` (naming none) of the struct `type_name` in one file."""
    found: list[tuple[Node, frozenset[str] | None]] = []
    for match in _pattern(type_name).finditer(source):
        start = match.start(1)
        node = root.descendant_for_byte_range(start, start + len(match.group(1)))
        parent = node.parent if node is not None else None
        if parent is None or node is None:
            continue
        if parent.type == "composite_literal" and parent.child_by_field_name("type") == node:
            found.append((parent, _named_fields(parent)))
        elif match.group(0).startswith(b"new") and _is_new_call(node):
            call = _enclosing_call(node)
            if call is not None:
                found.append((call, frozenset()))
    return found


@lru_cache(maxsize=256)
def _pattern(type_name: str) -> re.Pattern[bytes]:
    name = re.escape(type_name).encode()
    return re.compile(rb"(?<![\w.])(?:new\(\s*)?(" + name + rb")(?:\s*\{|\s*\))")


def _named_fields(literal: Node) -> frozenset[str] | None:
    """The field names a literal gives values to; None when its elements are positional."""
    body = literal.child_by_field_name("body")
    if body is None:
        return frozenset()
    names: set[str] = set()
    for element in body.named_children:
        if element.type == "comment":
            continue
        if element.type != "keyed_element":
            return None
        key = element.child_by_field_name("key") or (element.named_children[0] if element.named_children else None)
        if key is not None:
            names.add(text(key).strip())
    return frozenset(names)


def _is_new_call(node: Node) -> bool:
    call = _enclosing_call(node)
    function = call.child_by_field_name("function") if call is not None else None
    return function is not None and text(function) == "new"


def _enclosing_call(node: Node) -> Node | None:
    current = node.parent
    for _ in range(3):  # type_identifier -> (type_elem) -> argument_list -> call_expression
        if current is None:
            return None
        if current.type == "call_expression":
            return current
        current = current.parent
    return None


def _stores_field(construction: Node, field: str) -> bool:
    """Whether the variable the construction is assigned to (`v := &T{}`, `var v = T{}`,
    `v = T{}`) has `field` stored by the same function (`v.field = make(...)`). A construction
    stored elsewhere (into a map element, returned, handed on) keeps the field it was built with."""
    name = _assigned_name(construction)
    function = construction.parent
    while function is not None and function.type not in _FUNCTIONS:
        function = function.parent
    if name is None or function is None:
        return False
    stored = rb"(?<![\w.])" + re.escape(name).encode() + rb"\s*\.\s*" + re.escape(field).encode() + rb"\s*=(?!=)"
    return re.search(stored, function.text or b"") is not None


def _assigned_name(construction: Node) -> str | None:
    """`v` of `v := T{}`, `v = &T{}`, `var v = new(T)` (one name, one value), else None."""
    value = construction
    if value.parent is not None and value.parent.type == "unary_expression":
        value = value.parent  # `&T{}`
    values = value.parent
    statement = values.parent if values is not None and values.type == "expression_list" else values
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return None
    if statement.type == "var_spec":
        names = statement.children_by_field_name("name")
    else:
        left = statement.child_by_field_name("left")
        names = left.named_children if left is not None else []
    if len(names) != 1 or names[0].type != "identifier":
        return None
    return text(names[0])
