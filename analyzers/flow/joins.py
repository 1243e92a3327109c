"""Goroutines joined by a `sync.WaitGroup` before the function goes on.

Go's memory model: `wg.Wait()` returns after every `wg.Done()` of the goroutines it waits for,
and what a goroutine did before its `Done` happens before the `Wait` returns. A goroutine
started right before the `Wait` (nothing of the function runs in between) and whose `Done` is
its last action has therefore run, from start to end, between the `go` statement and the
`Wait`: to the function it is a call made there. Anything weaker (statements between the `go`
and the `Wait`, a `Done` before other work, a `return` that skips it) leaves it escaping.
"""
from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from analyzers.flow.syntax import children, strip

WAIT_GROUP_TYPES = frozenset({"sync.WaitGroup", "*sync.WaitGroup"})


def joined_call(go_statement: Node, text_of: Callable[[Node], str], type_of: Callable[[str], str | None]) -> tuple[Node, Node] | None:
    """The func literal `go_statement` starts and its call, when the next statement waits for
    it to end.

    `type_of` gives the declared type of a local name (None for a name that is not local)."""
    call = _started_call(go_statement)
    literal = strip(call.child_by_field_name("function")) if call is not None else None
    if call is None or literal is None or literal.type != "func_literal":
        return None
    group = _waited_group(go_statement, text_of)
    if group is None or type_of(group) not in WAIT_GROUP_TYPES:
        return None
    body = literal.child_by_field_name("body")
    if body is None or not _done_last(body, group, text_of):
        return None
    return literal, call


def _started_call(go_statement: Node) -> Node | None:
    parts = children(go_statement)
    call = strip(parts[0]) if parts else None
    return call if call is not None and call.type == "call_expression" else None


def _waited_group(go_statement: Node, text_of: Callable[[Node], str]) -> str | None:
    """`wg` when the statement right after `go_statement` is `wg.Wait()`."""
    following = go_statement.next_named_sibling
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    if following is None or following.type != "expression_statement":
        return None
    return _method_call_on(following, "Wait", text_of)


def _method_call_on(statement: Node, method: str, text_of: Callable[[Node], str]) -> str | None:
    """`x` when `statement` is the call `x.<method>()` of a plain name `x`."""
    parts = children(statement)
    call = strip(parts[0]) if parts else None
    if call is None or call.type != "call_expression":
        return None
    arguments = call.child_by_field_name("arguments")
    if arguments is not None and children(arguments):
        return None
    function = strip(call.child_by_field_name("function"))
    if function is None or function.type != "selector_expression":
        return None
    operand, field = function.child_by_field_name("operand"), function.child_by_field_name("field")
    if operand is None or field is None or operand.type != "identifier" or text_of(field) != method:
        return None
    return text_of(operand)


def _done_last(body: Node, group: str, text_of: Callable[[Node], str]) -> bool:
    """Whether `group.Done()` is the goroutine's last action on every path that ends normally:
    deferred first (it then runs after everything else, deferred calls included), or the last
    statement of a body with no `return` (which would end it without the `Done`)."""
    statements = children(body)
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = children(statements[0])
    if not statements:
        return False
    first = statements[0]
    if first.type == "defer_statement" and _method_call_on(first, "Done", text_of) == group:
        return True
    last = statements[-1]
    return last.type == "expression_statement" and _method_call_on(last, "Done", text_of) == group and not _returns(body)


def _returns(node: Node) -> bool:
    """Whether `node` holds a `return` of its own (one inside a nested func literal is not)."""
    for child in node.named_children:
        if child.type == "return_statement":
            return True
        if child.type != "func_literal" and _returns(child):
            return True
    return False
