"""What a method without arguments does with its receiver, read from its declaration.

Other packages of the module are read for their types only (`analyzers.module`); for their
methods without arguments (`GetLabels()`, `String()`), what a caller needs is whether the call
changes the receiver: a getter that returns one of its fields (`return c.Labels`, or the
protocol-buffer form `if x != nil { return x.F }; return nil`) is that field; a method that
stores nothing into the receiver only reads it; one that stores into it (a lazy
`if c.m == nil { c.m = make(...) }`) may make, or reset, its maps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from analyzers.flow.syntax import children, root_name, stored_targets, strip
from analyzers.index import FuncDecl
from analyzers.parsing import text

_FIELD_RETURN = re.compile(r"^return\s+(\w+)\.(\w+(?:\.\w+)*)$")
_NOT_NIL = re.compile(r"^(\w+)\s*!=\s*nil$")


@dataclass(frozen=True)
class ReceiverUse:
    """A method's use of its receiver: the field path it returns, if it is a getter of one, and
    whether it stores into the receiver (its fields, their entries) or takes its address."""

    getter: tuple[str, ...] | None
    stores: bool


def receiver_use(decl: FuncDecl) -> ReceiverUse | None:
    """How the argument-less method `decl` uses its receiver (None: it takes arguments, or has
    no named receiver or no body)."""
    parameters = decl.node.child_by_field_name("parameters")
    body = decl.body
    if parameters is None or children(parameters) or body is None or not decl.receiver_name or decl.receiver_name == "_":
        return None
    return ReceiverUse(_returned_field(decl.receiver_name, _statements(body)), _stores_into(body, decl.receiver_name))


def _statements(body: Node) -> list[Node]:
    lists = [c for c in body.named_children if c.type == "statement_list"]
    return [c for c in lists[0].named_children if c.type != "comment"] if lists else []


def _returned_field(receiver: str, statements: list[Node]) -> tuple[str, ...] | None:
    """`("Labels",)` of `return c.Labels`, or of `if c != nil { return c.Labels }; return nil`."""
    if len(statements) == 1:
        return _field_of_return(receiver, statements[0])
    if len(statements) != 2 or statements[0].type != "if_statement" or " ".join(text(statements[1]).split()) != "return nil":
        return None
    guard = statements[0]
    condition = strip(guard.child_by_field_name("condition"))
    consequence = guard.child_by_field_name("consequence")
    match = _NOT_NIL.match(" ".join(text(condition).split())) if condition is not None else None
    if match is None or match.group(1) != receiver or guard.child_by_field_name("alternative") is not None or consequence is None:
        return None
    inner = _statements(consequence)
    return _field_of_return(receiver, inner[0]) if len(inner) == 1 else None


def _field_of_return(receiver: str, statement: Node) -> tuple[str, ...] | None:
    if statement.type != "return_statement":
        return None
    match = _FIELD_RETURN.match(" ".join(text(statement).split()))
    if match is None or match.group(1) != receiver:
        return None
    return tuple(match.group(2).split("."))


def _stores_into(body: Node, receiver: str) -> bool:
    """Whether the body stores into the receiver (`c.m = ...`, `c.m[k] = v`, `*c = ...`) or
    takes the address of it or of a part of it (where other code could store), or calls a
    method of it."""
    if any(root_name(target, through_index=True) == receiver for target in stored_targets(body)):
        return True
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "unary_expression" and text(node).startswith("&") and root_name(node.child_by_field_name("operand"), through_index=True) == receiver:
            return True
        if node.type == "call_expression" and _calls_receiver_method(node, receiver):
            return True  # another method of the receiver (an initialiser) may store into it
        stack.extend(node.named_children)
    return False


def _calls_receiver_method(call: Node, receiver: str) -> bool:
    function = strip(call.child_by_field_name("function"))
    if function is None or function.type != "selector_expression":
        return False
    operand = strip(function.child_by_field_name("operand"))
    return operand is not None and operand.type == "identifier" and text(operand) == receiver
