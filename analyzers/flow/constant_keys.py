"""Keys computed from values that never change, folded to the literal they equal.

A map's entries are told apart by their keys' values, not by how the keys are spelled:
`groups["a"+key]` with `key := "b"` (never set again) is the entry `"ab"`, and `names[1]` of a
package slice `var names = []string{"a", "b"}` that no code changes is the entry `"b"`. Folding
such keys to literals lets a stored entry and an absent one be told apart, as literal keys are.
A key is folded only when every part of it is a literal, a named constant, a local variable
declared once with a foldable value and never set again, or an element at a literal index of a
package slice that every use only reads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from tree_sitter import Node

from analyzers.flow.paths import is_constant_key
from analyzers.flow.syntax import children, strip
from analyzers.parsing import text

# The kinds of key expressions worth folding (a literal key is already its own text).
FOLDED_KINDS = frozenset({"identifier", "type_identifier", "qualified_type", "binary_expression", "index_expression", "selector_expression"})


def fold(
    node: Node | None,
    name_value: Callable[[str], str | None],
    slice_elements: Callable[[str], tuple[str, ...] | None],
    field_value: Callable[[str, str], str | None] = lambda _name, _field: None,
) -> str | None:
    """The literal `node` always equals (`"ab"`, `3`), or None.

    `name_value` folds an identifier (a constant, a local set once); `slice_elements` gives the
    literal elements of a package slice that never changes; `field_value` the literal a field
    of a struct variable that never changes is declared with (`pr.B` of `pr := pair{B: "b"}`)."""
    node = strip(node)
    if node is None:
        return None
    kind = node.type
    if kind == "interpreted_string_literal":
        spelled = text(node)
        return spelled if "\\" not in spelled else None  # escapes: another spelling of the same key
    if kind == "int_literal":
        spelled = text(node)
        return spelled if spelled.isdigit() and (spelled == "0" or not spelled.startswith("0")) else None
    if kind in ("identifier", "type_identifier"):  # `m[k][x]` may be read as a generic type
        return name_value(text(node))
    if kind == "qualified_type":  # `m[a.B][c.D]` read as a generic type: `a.B` is a field
        parts = children(node)
        return field_value(text(parts[0]), text(parts[1])) if len(parts) == 2 else None
    if kind == "binary_expression" and text(node.child_by_field_name("operator") or node) == "+":
        left = fold(node.child_by_field_name("left"), name_value, slice_elements, field_value)
        right = fold(node.child_by_field_name("right"), name_value, slice_elements, field_value)
        if left is None or right is None or not left.startswith('"') or not right.startswith('"'):
            return None
        return left[:-1] + right[1:]
    if kind == "index_expression":
        operand, index = strip(node.child_by_field_name("operand")), node.child_by_field_name("index")
        if operand is None or operand.type != "identifier":
            return None
        elements = slice_elements(text(operand))
        position = fold(index, name_value, slice_elements, field_value)
        if elements is None or position is None or not position.isdigit() or int(position) >= len(elements):
            return None
        return elements[int(position)]
    if kind == "selector_expression":
        operand, field = strip(node.child_by_field_name("operand")), node.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            return None
        return field_value(text(operand), text(field))
    return None


def literal_fields(value: Node | None) -> dict[str, str]:
    """The fields `T{A: "a", B: "b"}` (or `&T{...}`) sets to a literal, by name."""
    if value is not None and value.type == "unary_expression" and text(value).startswith("&"):
        value = value.child_by_field_name("operand")
    body = value.child_by_field_name("body") if value is not None and value.type == "composite_literal" else None
    found: dict[str, str] = {}
    for element in children(body) if body is not None else []:
        if element.type != "keyed_element":
            continue
        key, held = (_unwrapped(element.child_by_field_name(side)) for side in ("key", "value"))
        spelled = fold(held, lambda _name: None, lambda _name: None)
        if key is not None and key.type in ("field_identifier", "identifier") and spelled is not None:
            found[text(key)] = spelled
    return found


def _unwrapped(node: Node | None) -> Node | None:
    """The expression a `literal_element` holds (a key or value of a composite literal)."""
    if node is not None and node.type == "literal_element":
        inner = children(node)
        return inner[0] if len(inner) == 1 else None
    return node


def local_initialiser(declared: Node) -> Node | None:
    """The value a local is declared with (`key := "b"`, `var key = "b"`), one name to one
    value; None for any other declaration (a range variable, a parameter, `a, b := f()`)."""
    left = declared.parent
    if left is None or left.type != "expression_list":
        holder = left
        names = [declared]
    else:
        holder = left.parent
        names = children(left)
    if holder is None:
        return None
    if holder.type == "short_var_declaration":
        right = holder.child_by_field_name("right")
    elif holder.type == "var_spec":
        right = holder.child_by_field_name("value")
        names = holder.children_by_field_name("name")
    else:
        return None
    values = children(right) if right is not None else []
    if len(values) != len(names):
        return None
    for name, value in zip(names, values, strict=True):
        if name.start_byte == declared.start_byte:
            return value
    return None


def literal_elements(value: Node | None) -> tuple[str, ...] | None:
    """The elements of `[]string{"a", "b"}` (or `[...]T{...}`, `[2]T{...}`) when every one is
    a literal written without a key; None for anything else."""
    if value is None or value.type != "composite_literal":
        return None
    type_node = value.child_by_field_name("type")
    body = value.child_by_field_name("body")
    if type_node is None or body is None or type_node.type not in ("slice_type", "array_type", "implicit_length_array_type"):
        return None
    elements: list[str] = []
    for element in children(body):
        inner = children(element) if element.type == "literal_element" else [element]
        if element.type == "keyed_element" or len(inner) != 1:
            return None
        spelled = fold(inner[0], lambda _name: None, lambda _name: None)
        if spelled is None:
            return None
        elements.append(spelled)
    return tuple(elements)


def fields_only_read(uses: Iterable[Node]) -> bool:
    """Whether every use of a struct variable's name reads a field (`s.f`, not set, not
    addressed, not a method called: a method could set fields through a pointer receiver)."""
    for use in uses:
        parent = use.parent
        if parent is None or parent.type != "selector_expression" or parent.child_by_field_name("operand") != use:
            return False
        above = parent.parent
        if above is not None and above.type == "call_expression" and above.child_by_field_name("function") == parent:
            return False
        if not _read_only_place(parent):
            return False
    return True


def only_read(uses: Iterable[Node]) -> bool:
    """Whether every use of a slice's name reads an element (`s[i]`, not stored into, not
    addressed, not sliced), measures it (`len(s)`) or ranges over it."""
    for use in uses:
        parent = use.parent
        if parent is None:
            return False
        if parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
            if not _read_only_place(parent):
                return False
            continue
        if parent.type == "range_clause" and parent.child_by_field_name("right") == use:
            continue
        call = parent.parent if parent.type == "argument_list" else None
        function = call.child_by_field_name("function") if call is not None else None
        if function is None or text(function) not in ("len", "cap"):
            return False
    return True


def map_only_read(uses: Iterable[Node]) -> bool:
    """Whether every use of a map's name reads an entry (`m[k]`, `m[a][b]`, not stored into,
    addressed or called a method on), measures it (`len(m)`) or ranges over it: the map keeps
    its keys (the maps it holds, read out, may be filled)."""
    for use in uses:
        parent = use.parent
        if parent is None:
            return False
        if parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
            element = parent
            while element.parent is not None and element.parent.type == "index_expression" and element.parent.child_by_field_name("operand") == element:
                element = element.parent
            above = element.parent
            if (above is not None and above.type == "selector_expression") or not _read_only_place(element):
                return False
        elif not only_read([use]):  # ranged over, measured
            return False
    return True


def _read_only_place(element: Node) -> bool:
    """Whether the element `s[i]` is read, not stored into or addressed."""
    node = element
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in ("inc_statement", "dec_statement"):
        return False
    if parent.type == "unary_expression" and text(parent).startswith("&"):
        return False
    if parent.type == "expression_list" and parent.parent is not None and parent.parent.type == "assignment_statement":
        return parent.parent.child_by_field_name("left") != parent
    return True


def map_literal_keys(body: Node | None, key_of: Callable[[Node], str]) -> frozenset[str] | None:
    """The constant keys of a map literal (named constants by their literals), or None when
    any key is not a constant."""
    keys = []
    for element in children(body) if body is not None else []:
        if element.type != "keyed_element":
            return None
        key = element.child_by_field_name("key")
        if key is not None and key.type == "literal_element" and key.named_child_count == 1:
            key = key.named_children[0]
        key_text = key_of(key) if key is not None else ""
        if not is_constant_key(key_text):
            return None
        keys.append(key_text)
    return frozenset(keys)
