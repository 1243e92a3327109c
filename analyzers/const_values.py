"""The values of a `const` declaration's names, as the literals they equal.

Go gives each spec of a parenthesised group the index of the spec as `iota`, and a spec
without values repeats the expression list of the last spec that had one
(`const ( opened Kind = iota; resized; closed )` is 0, 1, 2). An enum of kinds declared so
is how Go code names the cases of a switch, so what a case compares with is known only when
`iota` is. Integer expressions of `iota`, integer literals and names declared earlier in the
group are folded; anything else (a call, a float, another package's name) leaves its name out.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.known_values import constant_of
from analyzers.parsing import text

_STRINGS = frozenset({"interpreted_string_literal", "raw_string_literal"})
_LITERALS = _STRINGS | {"int_literal", "rune_literal"}
_MAX_SHIFT = 64  # `1 << iota` past a uint64 is no value any map key or switch will hold


def const_values(node: Node) -> dict[str, str]:
    """Each name of a `const_declaration` whose value folds, with the literal it equals: a
    string or rune as written (a raw string with nothing to escape spelled as the interpreted
    one it equals), an integer expression as its decimal value."""
    found: dict[str, str] = {}
    repeated: list[Node] = []
    specs = [spec for spec in node.named_children if spec.type == "const_spec"]
    for iota, spec in enumerate(specs):
        names = [name for name in spec.children_by_field_name("name") if name.type == "identifier"]
        value = spec.child_by_field_name("value")
        if value is not None:
            repeated = list(value.named_children)
        if len(names) != len(repeated):
            continue
        for name, expression in zip(names, repeated, strict=True):
            spelled = _spelled(expression, iota, found)
            if spelled is not None and text(name) != "_":
                found[text(name)] = spelled
    return found


def const_types(node: Node) -> dict[str, str]:
    """Each name of a `const_declaration` declared with a type, with the type's text: a spec
    without values repeats the type of the last spec that had values, as it repeats its
    expressions (`const ( opened Kind = iota; resized )` makes `resized` a `Kind`)."""
    typed: dict[str, str] = {}
    declared = ""
    for spec in node.named_children:
        if spec.type != "const_spec":
            continue
        if spec.child_by_field_name("value") is not None:
            type_node = spec.child_by_field_name("type")
            declared = text(type_node) if type_node is not None else ""
        if declared:
            for name in spec.children_by_field_name("name"):
                if name.type == "identifier" and text(name) != "_":
                    typed[text(name)] = declared
    return typed


def _spelled(expression: Node, iota: int, earlier: dict[str, str]) -> str | None:
    if expression.type in _LITERALS:
        spelled = text(expression)
        if expression.type == "raw_string_literal" and not any(c in spelled[1:-1] for c in '"\\\n'):
            spelled = f'"{spelled[1:-1]}"'
        return spelled
    value = _integer(expression, iota, earlier)
    return str(value) if value is not None else None


def _integer(node: Node | None, iota: int, earlier: dict[str, str]) -> int | None:
    """An integer constant expression of `iota`, literals and earlier names, else None; the
    leaves (literals, names, conversions) are read as `known_values.constant_of` reads them."""
    if node is None:
        return None
    if node.type == "iota":
        return iota
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _integer(node.named_children[0], iota, earlier)
    if node.type == "unary_expression" and node.children and node.children[0].type in ("-", "+"):
        operand = _integer(node.child_by_field_name("operand"), iota, earlier)
        return None if operand is None else -operand if node.children[0].type == "-" else operand
    if node.type == "binary_expression":
        return _chain(node, iota, earlier)
    value = constant_of(node, earlier.get)
    return value if isinstance(value, int) else None


def _chain(node: Node, iota: int, earlier: dict[str, str]) -> int | None:
    """`a | b | c | ...`: binary operators group to the left, so a long chain (generated flag
    sets, thousands of terms) nests as deep as it is long; its left spine is walked in a loop,
    not by recursion, and only the right operands recurse."""
    rights: list[tuple[Node | None, Node | None]] = []
    while node.type == "binary_expression":
        rights.append((node.child_by_field_name("operator"), node.child_by_field_name("right")))
        left = node.child_by_field_name("left")
        if left is None:
            return None
        node = left
    value = _integer(node, iota, earlier)
    for operator_node, right_node in reversed(rights):
        right = _integer(right_node, iota, earlier)
        if value is None or right is None or operator_node is None:
            return None
        value = _apply(operator_node.type, value, right)
    return value


def _apply(operator: str, left: int, right: int) -> int | None:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if operator == "<<" and 0 <= right < _MAX_SHIFT:
        return left << right
    if operator == ">>" and right >= 0:
        return left >> right
    if operator == "|":
        return left | right
    if operator == "&":
        return left & right
    return None  # division and the rest: rare in enums, and Go's truncation rules are not worth it here
