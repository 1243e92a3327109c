"""What a function or method writes before anything else: the maps its first statement
writes an entry of. A call of it panics there when such a map is nil as it comes in, before
the callee or the caller can set anything (`shared.Put(k)` whose `Put` starts with
`s.items[k]++`, `fillInts(&shared.items, k)` whose `fillInts` starts with `(*p)[k]++`)."""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import children, statements, strip
from analyzers.parsing import text


def written_maps(statement: Node) -> list[Node]:
    """The maps a simple statement writes an entry of: `m` in `m[k] = v`, `m[k] += v`,
    `m[k]++`, and the outermost map of `m[a][b] = v` (reading a nil map gives a nil inner map)."""
    if statement.type == "assignment_statement":
        left = statement.child_by_field_name("left")
        targets = children(left) if left is not None else []
    elif statement.type in ("inc_statement", "dec_statement"):
        targets = children(statement)[:1]
    else:
        return []
    maps = []
    for target in targets:
        node = strip(target)
        if node is None or node.type != "index_expression":
            continue
        while node is not None and node.type == "index_expression":
            node = strip(node.child_by_field_name("operand"))
        if node is not None:
            maps.append(node)
    return maps


def first_written(body: Node | None) -> list[Node]:
    """The maps the first statement of `body` writes an entry of (every run writes them first)."""
    first = statements(body)[:1] if body is not None else []
    return written_maps(first[0]) if first else []


def pointer_parameters_written(decl_node: Node) -> dict[int, list[str]]:
    """By parameter position, how the first statement of a function writes through it: "*" for
    `(*p)[k] = v` (a pointer to a map), "" for `m[k] = v` (a map). Empty for a variadic function."""
    parameters = decl_node.child_by_field_name("parameters")
    names: list[str] = []
    for declaration in children(parameters) if parameters is not None else []:
        if declaration.type != "parameter_declaration":
            return {}
        declared = declaration.children_by_field_name("name")
        names.extend([text(n) for n in declared] or [""])
    found: dict[int, list[str]] = {}
    for target in first_written(decl_node.child_by_field_name("body")):
        deref = target.type == "unary_expression" and text(target).startswith("*")
        operand = strip(target.child_by_field_name("operand")) if deref else target
        if operand is None or operand.type != "identifier" or text(operand) not in names:
            continue
        found.setdefault(names.index(text(operand)), []).append("*" if deref else "")
    return found
