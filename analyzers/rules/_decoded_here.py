"""Whether a decoded value is one the writing function built and decoded itself.

NM004 leaves a field the package makes somewhere to that code, because a defaults or
validation step may run on a value before the function that writes it. No such step can
run on a variable the function declares itself (`var cfg Config`, `cfg := &Config{}`) and
decodes into: between its declaration and the write, only the function's own statements
touch it, which the flow follows (a make on some path, a guard), or code it hands the
value to, which leaves the value unknown. A store elsewhere in the package says nothing
of it.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.paths import Local
from analyzers.flow.values import Origin, OriginKind
from analyzers.source import SourceFile

_CONSTRUCTIONS = ("composite_literal",)


def decoded_into_own_variable(file: SourceFile, root: object, origin: Origin | None) -> bool:
    """Whether `root` is a variable of the function, declared empty or built by a composite
    literal or `new`, and `origin` a decode in this file (`json.Unmarshal(data, &root)`)."""
    if origin is None or origin.kind is not OriginKind.DECODED or origin.path != file.path:
        return False
    if not isinstance(root, Local):
        return False
    name, _, offset = root.key.rpartition("@")
    if not offset.isdigit():
        return False
    start = int(offset)
    node = file.tree.root_node.descendant_for_byte_range(start, start)
    if node is None or node.type != "identifier" or file.source[node.start_byte : node.end_byte].decode() != name:
        return False
    if not _decode_target_is(file, origin, name):
        return False
    return _declared_fresh(node)


def _decode_target_is(file: SourceFile, origin: Origin, name: str) -> bool:
    """The decoder's argument is `&name` or `name` itself, not another value's."""
    spelled = file.source[origin.start : origin.end].decode().replace(" ", "")
    return spelled in (name, "&" + name)


def _declared_fresh(identifier: Node) -> bool:
    """`var x T`, `var x = T{}`, `x := &T{}`, `x := new(T)`: a value no other code holds."""
    parent = identifier.parent
    if parent is None:
        return False
    if parent.type == "var_spec":
        names = parent.children_by_field_name("name")
        value = parent.child_by_field_name("value")
        if value is None:
            return True
        return _construction_at(value.named_children, names.index(identifier) if identifier in names else -1)
    declaration = parent.parent
    if parent.type != "expression_list" or declaration is None or declaration.type != "short_var_declaration":
        return False
    if declaration.child_by_field_name("left") != parent:
        return False
    right = declaration.child_by_field_name("right")
    names = parent.named_children
    position = names.index(identifier) if identifier in names else -1
    values = right.named_children if right is not None else []
    return len(values) == len(names) and _construction_at(values, position)


def _construction_at(values: list[Node], position: int) -> bool:
    if position < 0 or position >= len(values):
        return False
    value = values[position]
    if value.type == "unary_expression":
        operand = value.child_by_field_name("operand")
        return value.text is not None and value.text.startswith(b"&") and operand is not None and operand.type in _CONSTRUCTIONS
    if value.type == "call_expression":
        function = value.child_by_field_name("function")
        return function is not None and function.type == "identifier" and function.text == b"new"
    return value.type in _CONSTRUCTIONS
