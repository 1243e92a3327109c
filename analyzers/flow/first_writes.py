"""What a function or method writes before anything else: the maps its first statement
writes an entry of. A call of it panics there when such a map is nil as it comes in, before
the callee or the caller can set anything (`shared.Put(k)` whose `Put` starts with
`s.items[k]++`, `fillInts(&shared.items, k)` whose `fillInts` starts with `(*p)[k]++`)."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from analyzers.flow.syntax import arguments_of, children, descendants, statements, strip
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
    """The maps the first statement of `body` writes an entry of (every run writes them first),
    past the `print`/`println` calls before it (which change nothing)."""
    for statement in statements(body) if body is not None else []:
        if not _prints(statement):
            return written_maps(statement)
    return []


def in_order(body: Node, bound: Callable[[Node], Node | None] = lambda _call: None) -> Iterator[tuple[Node, bool]]:
    """The statements of `body` as they run, a func literal called in place (`func() {...}()`,
    or `v()` of one that `bound` gives for the call) giving its own statements there; each
    with whether it is one of those (where a `return` ends the literal only, and the
    statements after it still run)."""
    for statement in statements(body):
        literal = _called_literal(statement, bound)
        inner = literal.child_by_field_name("body") if literal is not None else None
        if inner is None:
            yield statement, False
            continue
        for nested, _ in in_order(inner, bound):
            yield nested, True


def _called_literal(statement: Node, bound: Callable[[Node], Node | None]) -> Node | None:
    parts = children(statement) if statement.type == "expression_statement" else []
    call = strip(parts[0]) if parts else None
    if call is None or call.type != "call_expression" or arguments_of(call):
        return None
    function = strip(call.child_by_field_name("function"))
    if function is not None and function.type == "identifier":
        return bound(call)
    return function if function is not None and function.type == "func_literal" else None


def _prints(statement: Node) -> bool:
    """`println(...)` or `print(...)` of arguments without calls."""
    parts = children(statement) if statement.type == "expression_statement" else []
    call = strip(parts[0]) if parts else None
    if call is None or call.type != "call_expression":
        return False
    function = call.child_by_field_name("function")
    if function is None or text(function) not in ("print", "println"):
        return False
    return not any(n.type == "call_expression" for a in arguments_of(call) for n in descendants(a))



def pointer_parameters_written(decl_node: Node) -> dict[int, list[str]]:
    """By parameter position, how the first statement of a function writes through it: "*" for
    `(*p)[k] = v` (a pointer to a map), "" for `m[k] = v` (a map), ".items" for `s.items[k] = v`
    (a map field of a struct or of a pointer to one; ".meta.tags" for `s.meta.tags[k]`). Empty
    for a variadic function."""
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
        fields: list[str] = []
        while not deref and operand is not None and operand.type == "selector_expression":
            field = operand.child_by_field_name("field")
            fields.insert(0, text(field) if field is not None else "")
            operand = strip(operand.child_by_field_name("operand"))
        if operand is None or operand.type != "identifier" or text(operand) not in names:
            continue
        kind = "*" if deref else "".join("." + field for field in fields)
        found.setdefault(names.index(text(operand)), []).append(kind)
    return found
