"""Pointer parameters a function's summary can speak for: `p *map[K]V` or `s *T` (T a struct
holding maps) that the function only reaches through (`p.f`, `*p`, `p == nil`, a call handed
`p`), never copies, reassigns, returns or hands to code that runs later.

A pointer copied anywhere else would let that copy change the caller's variable after the
summary was taken; such a parameter gets no summary and a call handing it `&x` leaves `x`
unknown, as before.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from analyzers.flow.types import normalise
from analyzers.parsing import text


def pointer_parameters(node: Node, reaches_maps: Callable[[str], bool]) -> dict[int, tuple[str, str]]:
    """Position -> (name, pointee type) of the parameters typed `*X` where `reaches_maps(X)`
    (X a map, or a struct holding maps); not the receiver, not variadic ones."""
    found: dict[int, tuple[str, str]] = {}
    params = node.child_by_field_name("parameters")
    position = 0
    for decl in params.named_children if params is not None else []:
        if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        type_node = decl.child_by_field_name("type")
        type_text = normalise(text(type_node)) if type_node is not None else ""
        names: list[Node | None] = list(decl.children_by_field_name("name")) or [None]
        for name in names:
            pointee = type_text[1:].strip() if type_text.startswith("*") else ""
            usable = decl.type == "parameter_declaration" and name is not None and text(name) != "_"
            if usable and name is not None and pointee and not pointee.startswith("*") and reaches_maps(pointee):
                found[position] = (text(name), pointee)
            position += 1
    return found


def stays_local(body: Node, name: str) -> bool:
    """Whether every use of parameter `name` in `body` leaves the pointer where it is: reached
    through, dereferenced, compared with nil, or handed to a call that is neither `go` nor
    `defer` (a callee we follow reports what it does; one we do not makes the pointer unknown)."""
    for use in _uses(body, name.encode()):
        if not _keeps_pointer(use):
            return False
    return True


def _uses(node: Node, name: bytes) -> Iterator[Node]:
    if node.type == "identifier" and node.text == name:
        yield node
        return
    for child in node.children:
        yield from _uses(child, name)


def _keeps_pointer(use: Node) -> bool:
    parent = use.parent
    if parent is None:
        return False
    if parent.type == "selector_expression":
        return parent.child_by_field_name("operand") == use  # `p.f`, not `x.p`
    if parent.type == "unary_expression":
        return text(parent).lstrip().startswith("*")  # `*p`; `&p` hands out the variable
    if parent.type == "parenthesized_expression":
        return _keeps_pointer(parent)
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is not None and text(operator) in ("==", "!=")
    if parent.type == "argument_list":
        call = parent.parent
        statement = call.parent if call is not None else None
        return statement is None or statement.type not in ("go_statement", "defer_statement")
    return False  # assigned, returned, stored, sent, captured by `&p`: a copy lives on
