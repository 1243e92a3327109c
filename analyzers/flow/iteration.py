"""What a loop iterates over, when it is not a plain `range x`: the collection whose elements
the loop's body sees, so that a body known to run only for a non-empty collection can rule out
what holds only when it is empty.

Go code walks maps through `reflect` as well as with `range`: `it := v.MapRange(); for
it.Next() { ... }` and `for _, k := range v.MapKeys() { ... }` run their bodies once per entry
of the map `v` holds, and not at all when `v.Len() == 0` (`len_operand` reads `v.Len()` as the
element count, as Go's collections and `reflect.Value` define it).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import arguments_of, strip
from analyzers.parsing import text

# Methods whose result yields one item per element of their receiver (reflect.Value's).
_ONE_PER_ELEMENT = ("MapKeys", "MapRange", "Seq", "Seq2")


def receiver_iterated(call: Node | None) -> Node | None:
    """`v` of `v.MapKeys()`, `v.MapRange()`, `v.Seq()`, `v.Seq2()`; else None."""
    call = strip(call)
    if call is None or call.type != "call_expression" or arguments_of(call):
        return None
    function = call.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return None
    field = function.child_by_field_name("field")
    if field is None or text(field) not in _ONE_PER_ELEMENT:
        return None
    return function.child_by_field_name("operand")


def stepped_iterator(condition: Node | None) -> Node | None:
    """`it` of a loop condition `it.Next()` (an identifier), else None."""
    condition = strip(condition)
    if condition is None or condition.type != "call_expression" or arguments_of(condition):
        return None
    function = condition.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return None
    field, operand = function.child_by_field_name("field"), function.child_by_field_name("operand")
    if field is None or text(field) != "Next" or operand is None or operand.type != "identifier":
        return None
    return operand

