"""Collections filled only while ranging over another: `for k := range m { keys = append(keys, k) }`.

Such a collection, empty before the loop and set nowhere else in the function, has elements
only if the ranged collection had some, so wherever it is not empty the ranged map is not
nil. Read from the syntax of the function: pure functions of tree-sitter nodes.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import arguments_of, children, declared_value, declaring_spec, mentioned_names, strip
from analyzers.parsing import text


def filled_names(body: Node) -> set[str]:
    """Names of variables the loop body only adds to (`s = append(s, x)`, `s[k] = v`, `s[k]++`),
    never sets otherwise; closures count as setting what they mention."""
    filled: set[str] = set()
    spoiled: set[str] = set()
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            spoiled.update(mentioned_names(node))
            continue
        if node.type in ("assignment_statement", "short_var_declaration"):
            _classify(node, filled, spoiled)
        elif node.type in ("inc_statement", "dec_statement"):
            target = strip(children(node)[0]) if children(node) else None
            if target is not None and target.type == "index_expression":
                name = _identifier(target.child_by_field_name("operand"))
                if name:
                    filled.add(name)
        elif node.type == "unary_expression" and text(node).startswith("&"):
            spoiled.update(mentioned_names(node))
        stack.extend(node.named_children)
    return filled - spoiled


def _classify(statement: Node, filled: set[str], spoiled: set[str]) -> None:
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    targets = children(left) if left is not None else []
    values = children(right) if right is not None else []
    declares = statement.type == "short_var_declaration"
    for position, target in enumerate(targets):
        target = strip(target)  # type: ignore[assignment]
        if target is None:
            continue
        if target.type == "index_expression" and not declares:
            name = _identifier(target.child_by_field_name("operand"))
            if name:
                filled.add(name)
            continue
        name = _identifier(target)
        if not name:
            continue
        value = strip(values[position]) if len(values) == len(targets) else None
        if not declares and value is not None and _appends_to(value, name):
            filled.add(name)
        else:
            spoiled.add(name)  # set to something else, or a new variable of that name inside the loop


def _appends_to(call: Node, name: str) -> bool:
    """`append(name, ...)`."""
    if call.type != "call_expression" or text(call.child_by_field_name("function") or call) != "append":
        return False
    args = arguments_of(call)
    return bool(args) and _identifier(args[0]) == name


def assigned_outside(func: Node, name: str, inside: Node, declaration: Node) -> bool:
    """Whether `name` is assigned (or its address taken) anywhere in `func` but inside `inside`
    and its own declaration."""
    stack = [func]
    while stack:
        node = stack.pop()
        if node.start_byte >= inside.start_byte and node.end_byte <= inside.end_byte:
            continue
        if node.type in ("assignment_statement", "short_var_declaration", "inc_statement", "dec_statement", "range_clause"):
            if not (node.start_byte <= declaration.start_byte < node.end_byte) and _sets(node, name):
                return True
        if node.type == "unary_expression" and text(node).startswith("&") and name in mentioned_names(node):
            return True
        if node.type == "func_literal" and name in mentioned_names(node):
            return True
        stack.extend(node.named_children)
    return False


def _sets(statement: Node, name: str) -> bool:
    left = statement.child_by_field_name("left")
    if left is None:
        left = children(statement)[0] if children(statement) else None
    targets = children(left) if left is not None and left.type == "expression_list" else [left]
    return any(_identifier(strip(t)) == name for t in targets if t is not None)


def empty_at_declaration(name_node: Node) -> bool:
    """Whether the variable declared at `name_node` starts empty: `var s []T`, `s := []T{}`,
    `make([]T, 0)`, `make(map[K]V)`, `map[K]V{}`."""
    spec = declaring_spec(name_node)
    if spec is not None and spec.type == "var_spec" and spec.child_by_field_name("value") is None:
        return True
    return _is_empty_value(strip(declared_value(name_node)))


def _is_empty_value(value: Node | None) -> bool:
    if value is None:
        return False
    if value.type == "composite_literal":
        body = value.child_by_field_name("body")
        return body is None or not children(body)
    if value.type == "call_expression" and text(value.child_by_field_name("function") or value) == "make":
        args = arguments_of(value)
        return len(args) == 1 or (len(args) >= 2 and text(args[1]) == "0")
    return value.type == "nil"


def _identifier(node: Node | None) -> str:
    node = strip(node)
    return text(node) if node is not None and node.type == "identifier" else ""
