"""Where a function calls a func-typed parameter it is given (syntax only).

`calls_of_callback` finds the calls of such a parameter in the function's body: the
parameter called (`modify(d)`), or a variable ranging over it called (`for _, fn := range
funcs { fn(d) }`); None when it is used in any other way (stored, handed on), so that it may
be called where nobody here sees. Shared by the same-package binding of func literals
(`callbacks`) and the summaries of other packages' helpers (`built_for_callbacks`).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import children, identifiers_named
from analyzers.parsing import text


def calls_of_callback(body: Node, name: str) -> list[Node] | None:
    """The calls of the func-typed parameter `name` in the callee's body: the parameter called
    (`modify(d)`), or a variable ranging over it called (`for _, fn := range funcs { fn(d) }`).
    None when the parameter (or that variable) is used otherwise, where it may be called later."""
    calls: list[Node] = []
    for use in identifiers_named(body, name):
        parent = use.parent
        if parent is not None and parent.type == "range_clause" and parent.child_by_field_name("right") == use:
            ranged = _calls_of_range_value(parent)
            if ranged is None:
                return None
            calls.extend(ranged)
        elif not _called_or_compared(use, calls):
            return None
    return calls


def _calls_of_range_value(clause: Node) -> list[Node] | None:
    """The calls of the value variable of `for _, fn := range funcs` in the loop's body."""
    left = clause.child_by_field_name("left")
    loop = clause.parent
    names = children(left) if left is not None else []
    body = loop.child_by_field_name("body") if loop is not None else None
    if len(names) < 2:
        return [] if not names or text(names[0]) == "_" or body is None or not identifiers_named(body, text(names[0])) else None
    if names[1].type != "identifier" or body is None:
        return None
    calls: list[Node] = []
    value = text(names[1])
    if value == "_":
        return []
    for use in identifiers_named(body, value):
        if not _called_or_compared(use, calls):
            return None
    return calls


def _called_or_compared(use: Node, calls: list[Node]) -> bool:
    """Whether `use` is called (the call is added to `calls`) or compared with nil."""
    child, parent = use, use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "call_expression" and parent.child_by_field_name("function") == child:
        calls.append(parent)
        return True
    operator = parent.child_by_field_name("operator") if parent.type == "binary_expression" else None
    if operator is not None and text(operator) in ("==", "!="):
        other = parent.child_by_field_name("right") if parent.child_by_field_name("left") == child else parent.child_by_field_name("left")
        return other is not None and other.type == "nil"
    return False
