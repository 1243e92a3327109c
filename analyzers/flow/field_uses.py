"""Uses of a struct variable that leave its fields as they are.

Shared by what is known of package structs (a use by any code of the package) and of a
local pointer and its copy (`cp := st`): both hold while every use only reads fields or
stores entries of map fields."""
from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from analyzers.flow.pointer_aliases import second_name_declared
from analyzers.flow.syntax import identifiers_named

# Calls that neither keep nor change what they are handed.
_INERT_CALLS = (b"len", b"cap", b"delete", b"print", b"println")


def handed_to_inert_call(node: Node) -> bool:
    """Whether `node` is an argument of `len`, `cap`, `delete` or `print`: they neither keep
    what they are handed nor set anything it reaches."""
    parent = node.parent
    call = parent.parent if parent is not None and parent.type == "argument_list" else None
    function = call.child_by_field_name("function") if call is not None else None
    return function is not None and function.type == "identifier" and function.text in _INERT_CALLS


def reads_fields_only(use: Node, hands_copy: Callable[[Node], bool] | None = None) -> bool:
    """Whether a use of a package-level struct (`g.f...`) leaves its fields as they are: a
    field read, compared or ranged over, or an entry of a map field read or stored (which
    makes nothing and resets nothing), or, where `hands_copy` says so, a field handed to a
    call that gets a copy that cannot reach the field or a method that only reads them.
    Anything else (an assignment, `&g`, a method call, an argument, a second name) may set
    a field."""
    node = use
    parent = node.parent
    if parent is not None and parent.type != "selector_expression" and _discarded(use):
        return True  # `_ = g`
    if parent is not None and parent.type != "selector_expression":
        return _copy_reads_fields_only(use, hands_copy)
    if parent is None or parent.child_by_field_name("operand") != node:
        return False  # `g` itself: assigned, passed, its address taken
    while parent is not None and parent.type in ("selector_expression", "parenthesized_expression") and parent.child_by_field_name("field") != node:
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "index_expression" and parent.child_by_field_name("operand") == node:
        above = parent.parent
        while above is not None and above.type == "index_expression" and above.child_by_field_name("operand") == parent:
            parent, above = above, above.parent
        return above is None or above.type != "selector_expression"  # `g.m[k]`, `g.m[a][b] = v`
    if parent.type == "binary_expression":
        return True  # `g.m == nil`, `len(g.m) > 0`
    if parent.type == "range_clause" and parent.child_by_field_name("right") == node:
        return True
    if parent.type == "call_expression" and parent.child_by_field_name("function") == node:
        return hands_copy is not None and hands_copy(node)  # `g.Count()`: a method that may set fields
    if parent.type == "argument_list":
        return (hands_copy is not None and hands_copy(node)) or handed_to_inert_call(node)
    if parent.type == "expression_list" and parent.parent is not None and parent.parent.type in ("if_statement", "return_statement"):
        return False
    return parent.type in ("expression_statement",)


def selection_read_as_value(use: Node) -> Node | None:
    """The selection `x.f...` rooted at `use` when it is read as a value: on the right of an
    assignment or declaration (`n := x.name`, `_ = x.f`, `var k = x.key`) or as a key
    (`m[x.name]`), else None."""
    node = use
    while node.parent is not None and node.parent.type in ("selector_expression", "parenthesized_expression") and node.parent.child_by_field_name("field") != node:
        node = node.parent
    if node is use:
        return None
    values = node.parent
    if values is not None and values.type == "index_expression" and values.child_by_field_name("index") == node:
        return node
    holder = values.parent if values is not None and values.type == "expression_list" else None
    if holder is None or values is None:
        return None
    if holder.type in ("assignment_statement", "short_var_declaration") and holder.child_by_field_name("right") == values:
        return node
    if holder.type == "var_spec" and holder.child_by_field_name("value") == values:
        return node
    return None


def _discarded(use: Node) -> bool:
    """Whether `use` is the whole value of an assignment to the blank identifier (`_ = g`)."""
    right = use.parent
    statement = right.parent if right is not None and right.type == "expression_list" else None
    if right is None or statement is None or statement.type != "assignment_statement" or statement.child_by_field_name("right") != right:
        return False
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    return len(right.named_children) == 1 and len(targets) == 1 and targets[0].text == b"_"


def _copy_reads_fields_only(use: Node, hands_copy: Callable[[Node], bool] | None) -> bool:
    """`cp := g`, where every use of `cp` that follows in its block leaves the fields as they
    are: a second name of the pointer that sets nothing (a value copy sets nothing of `g`)."""
    declared = second_name_declared(use)
    block = declared[0].parent if declared is not None else None
    if declared is None or block is None:
        return False
    declaration, name = declared
    uses = [n for n in identifiers_named(block, (name.text or b"").decode()) if n.start_byte >= declaration.end_byte]
    return all(reads_fields_only(n, hands_copy) for n in uses)
