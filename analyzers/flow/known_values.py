"""Constant integers and strings a path is known to hold, and comparisons with them.

A caller that built a value as `Response{Version: 2}` (or left `Version` out, so it is 0)
knows what a callee's test `r.Version >= 8` gives for this call. The interpreter keeps such
constants on values (`Val.known`); this module reads them from the source and compares them.
"""
from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable

from tree_sitter import Node

from analyzers.parsing import text

Known = int | str

INTEGER_TYPES = frozenset({
    "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune",
})
_CONVERTIBLE = INTEGER_TYPES | {"string"}  # the types `conversion` looks through
_ORDER: dict[str, Callable[[Known, Known], bool]] = {
    "==": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
# `8 <= x` is `x >= 8`: the operator seen from the other side.
_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def constant_of(node: Node | None, named: Callable[[str], str | None]) -> Known | None:
    """The value of an integer or string literal (`8`, `0x10`, `-1`, `"v2"`), or of a named
    constant `named` gives the literal of, else None."""
    if node is None:
        return None
    if node.type == "identifier":
        spelled = named(text(node))
        return literal_value(spelled) if spelled is not None else None
    if node.type == "unary_expression" and text(node).startswith("-"):
        inner = constant_of(node.child_by_field_name("operand"), named)
        return -inner if isinstance(inner, int) else None
    if node.type in ("int_literal", "raw_string_literal", "interpreted_string_literal"):
        return literal_value(text(node))
    if node.type in ("call_expression", "type_conversion_expression"):
        return _converted(node, named)
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return constant_of(node.named_children[0], named)
    return None


def _converted(node: Node, named: Callable[[str], str | None]) -> Known | None:
    """`int16(2)`, `string("v")`: a constant converted to a basic type keeps its value."""
    found = conversion(node)
    if found is None:
        return None
    value = constant_of(found[1], named)
    if isinstance(value, int):
        return value if fits(found[0], frozenset((value,))) else None
    return value if found[0] == "string" else None


def conversion(node: Node) -> tuple[str, Node] | None:
    """(`int16`, `v`) of a conversion `int16(v)` to a basic integer or string type."""
    function = node.child_by_field_name("function") or node.child_by_field_name("type")
    if function is None or text(function) not in _CONVERTIBLE:
        return None
    arguments = node.child_by_field_name("arguments")
    operands = arguments.named_children if arguments is not None else [node.child_by_field_name("operand")]
    return (text(function), operands[0]) if len(operands) == 1 and operands[0] is not None else None


def fits(type_name: str, values: frozenset[Known]) -> bool:
    """Whether integer `values` converted to `type_name` keep their value (`int8(300)` does not)."""
    bits = _WIDTHS.get(type_name)
    if bits is None or not all(isinstance(value, int) for value in values):
        return False
    low, high = (0, 2**bits - 1) if type_name.startswith(("u", "byte")) else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    return all(low <= value <= high for value in values)  # type: ignore[operator]


_WIDTHS = {
    "int": 64, "int8": 8, "int16": 16, "int32": 32, "int64": 64, "rune": 32,
    "uint": 64, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64, "uintptr": 64, "byte": 8,
}


@functools.lru_cache(maxsize=4096)
def literal_value(spelled: str) -> Known | None:
    """The value a Go integer or string literal spells, else None. Kept per spelling: a
    string literal is read by `ast.literal_eval`, a parse of Python, and the interpreter
    asks for the same literals round after round."""
    if spelled[:1] == "`":
        return spelled[1:-1] if spelled.endswith("`") and len(spelled) > 1 else None
    if spelled[:1] == '"':
        try:
            value = ast.literal_eval(spelled)
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str) else None
    digits = spelled.replace("_", "")
    try:
        return int(digits, 0)
    except ValueError:
        return int(digits, 8) if digits.isdigit() else None  # `017` is octal


def zero_of(type_text: str) -> Known | None:
    """The zero value of a basic integer or string type, the value of a field left out of a literal."""
    if type_text in INTEGER_TYPES:
        return 0
    if type_text == "string":
        return ""
    return None


def mirrored(op: str) -> str:
    """The operator with its operands swapped."""
    return _MIRRORED[op]


def holds(op: str, values: frozenset[Known], against: Known) -> bool | None:
    """`value op against` for each value a path may hold: True or False when all agree, None
    when they do not (or a value is not of the constant's kind: an integer and a string)."""
    compare = _ORDER.get(op)
    if compare is None or not values or any(isinstance(value, int) != isinstance(against, int) for value in values):
        return None
    outcomes = {compare(value, against) for value in values}
    return outcomes.pop() if len(outcomes) == 1 else None


# At most this many pairs of operand values are combined (each operand is a small set).
_MAX_COMBINED = 16


def _go_quotient(a: int, b: int) -> int:
    """Go's integer division truncates toward zero (Python's `//` floors)."""
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


_ARITHMETIC: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _go_quotient,
    "%": lambda a, b: a - b * _go_quotient(a, b),  # the remainder takes the dividend's sign
}


def combined(op: str, left: frozenset[Known], right: frozenset[Known]) -> frozenset[Known] | None:
    """Every value `l op r` may have for the integers `left` and `right` may hold (`n%2` of an
    `n` known to be 3 is 1); None for another operator, a string, a division by zero or too
    many pairs."""
    compute = _ARITHMETIC.get(op)
    if compute is None or len(left) * len(right) > _MAX_COMBINED:
        return None
    if not all(isinstance(value, int) for value in left | right) or (op in ("/", "%") and 0 in right):
        return None
    values = frozenset(compute(a, b) for a in left for b in right)  # type: ignore[arg-type]
    return values if fits("int64", values) else None  # an overflow wraps: not followed


def counted(clause: Node, constant: Callable[[Node | None], Known | None], limit: int) -> tuple[str, frozenset[Known]] | None:
    """The counter and the values it takes in the body of `for i := A; i < B; i++` (or `<=`,
    or `B > i`) with constant bounds, at most `limit` of them; None for any other loop."""
    initializer = clause.child_by_field_name("initializer")
    update = clause.child_by_field_name("update")
    condition = clause.child_by_field_name("condition")
    if initializer is None or update is None or condition is None or initializer.type != "short_var_declaration":
        return None
    names, values = initializer.child_by_field_name("left"), initializer.child_by_field_name("right")
    if names is None or values is None or names.named_child_count != 1 or values.named_child_count != 1:
        return None
    name = text(names.named_children[0])
    first = constant(values.named_children[0])
    if update.type != "inc_statement" or text(update).replace(" ", "") != f"{name}++" or not isinstance(first, int):
        return None
    last = _last_value(condition, name, constant)
    if last is None or last < first or last - first >= limit:
        return None
    return name, frozenset(range(first, last + 1))


def runs_first_round(clause: Node, constant: Callable[[Node | None], Known | None]) -> bool:
    """Whether `for i := A; i < B; ...` (or `<=`, or `B > i`) with constant bounds has a first
    round whatever the run: A already meets the condition, which is tested before any body."""
    initializer = clause.child_by_field_name("initializer")
    condition = clause.child_by_field_name("condition")
    if initializer is None or condition is None or initializer.type != "short_var_declaration":
        return False
    names, values = initializer.child_by_field_name("left"), initializer.child_by_field_name("right")
    if names is None or values is None or names.named_child_count != 1 or values.named_child_count != 1:
        return False
    first = constant(values.named_children[0])
    last = _last_value(condition, text(names.named_children[0]), constant)
    return isinstance(first, int) and last is not None and last >= first


def _last_value(condition: Node, name: str, constant: Callable[[Node | None], Known | None]) -> int | None:
    """The largest value `i` takes under `i < B`, `i <= B`, `B > i` or `B >= i`."""
    if condition.type != "binary_expression":
        return None
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    operator_node = condition.child_by_field_name("operator")
    op = text(operator_node) if operator_node is not None else ""
    if right is not None and text(right) == name and op in _MIRRORED:
        left, right, op = right, left, mirrored(op)
    if left is None or text(left) != name:
        return None
    bound = constant(right)
    if not isinstance(bound, int):
        return None
    return bound - 1 if op == "<" else bound if op == "<=" else None
