"""What another package's helpers hand the callbacks they are given, read from their syntax.

A test helper of another package of the module often builds an object and hands it to the
func literals its caller passes (`test.BuildTestNode(name, ..., func(n *v1.Node) {
n.Labels[k] = v })`, whose body builds `node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Labels:
map[string]string{}}}` and calls `apply(node)`). The literal's parameter then holds that
object, whatever its type says: a map its literal makes is not nil in the callback.

Read per function of the package: each func-typed parameter called only directly (or through
a variable ranging over it, `calls_of_callback`); at each call, each argument that is a local
the function assigns once, from a composite literal (`x := &T{...}`, `x := T{...}`), and never
stores into (no `x.f = ...`, no `&x` handed out). The map fields such a literal makes (a map
literal or a `make`, also in nested literals, `ObjectMeta: metav1.ObjectMeta{Labels: ...}`,
whose fields are promoted when the key names the literal's own type, as an embedded field's
does) are made for the callback; a field is made only if every call makes it.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from itertools import islice

from tree_sitter import Node

from analyzers.field_stores import new_map
from analyzers.flow.callback_calls import calls_of_callback
from analyzers.flow.syntax import arguments_of, children, strip
from analyzers.gotext import matches_before_name
from analyzers.parsing import text
from analyzers.source import SourceFile

# (function, callback parameter position, whether that parameter is variadic, argument
# position in the callback's call, field names from the argument down to the made map)
CallbackField = tuple[str, int, bool, int, tuple[str, ...]]

MAX_DEPTH = 4  # nested literals followed for made maps


def callback_fields(sources: dict[str, SourceFile]) -> frozenset[CallbackField]:
    """The fields every call of each func-typed parameter of the package's functions passes made."""
    found: set[CallbackField] = set()
    for path in sorted(sources):
        for node in sources[path].tree.root_node.named_children:
            if node.type == "function_declaration":
                found.update(_of_function(node))
    return frozenset(found)


def _of_function(function: Node) -> Iterator[CallbackField]:
    name_node = function.child_by_field_name("name")
    body = function.child_by_field_name("body")
    parameters = function.child_by_field_name("parameters")
    if name_node is None or body is None or parameters is None:
        return
    position = 0
    for decl in children(parameters):
        if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names: list[Node | None] = list(decl.children_by_field_name("name")) or [None]
        type_node = decl.child_by_field_name("type")
        for name in names:
            if name is not None and type_node is not None and type_node.type == "function_type":
                variadic = decl.type == "variadic_parameter_declaration"
                for argument, fields in _made_for_calls(function, body, text(name)).items():
                    for made in fields:
                        yield text(name_node), position, variadic, argument, made
            position += 1


def _made_for_calls(function: Node, body: Node, parameter: str) -> dict[int, set[tuple[str, ...]]]:
    """By argument position: the field paths made in what every call of `parameter` passes."""
    calls = calls_of_callback(body, parameter)
    if not calls:
        return {}
    made: dict[int, set[tuple[str, ...]]] | None = None
    for call in calls:
        here: dict[int, set[tuple[str, ...]]] = {}
        for position, given in enumerate(arguments_of(call)):
            argument = strip(given)
            literal = _built_once(function, text(argument)) if argument is not None and argument.type == "identifier" else None
            if literal is not None:
                here[position] = set(_made_paths(literal, 0))
        made = here if made is None else {p: made[p] & here[p] for p in made.keys() & here.keys()}
    return {p: fields for p, fields in (made or {}).items() if fields}


@functools.lru_cache(maxsize=64)
def _built_once(function: Node, name: str) -> Node | None:
    """The composite literal `name` is assigned from (`name := &T{...}`), when that is its only
    assignment in the function and nothing stores into it or takes its address. (Kept for the
    last few: a long function calls its callback with the same names many times.)"""
    if not assigned_once_unstored(function.text or b"", name):
        return None
    for node in _short_var_declarations(function):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        names = children(left) if left is not None else []
        values = children(right) if right is not None else []
        if len(names) == 1 and len(values) == 1 and text(names[0]) == name:
            value = strip(values[0])
            if value is not None and value.type == "unary_expression" and text(value).startswith("&"):
                value = strip(value.child_by_field_name("operand"))
            return value if value is not None and value.type == "composite_literal" else None
    return None


def assigned_once_unstored(source: bytes, name: str) -> bool:
    """Whether a function's text assigns `name` once (`name :=`, `name =`), stores into it
    nowhere (`name.f = v`) and never takes its address (`&name`)."""
    assigned, stored, addressed = _name_patterns(name)
    # (searched from the name's occurrences followed by `=` or `.`, and from each `&`: a pattern
    # tried at every byte of a long function, once per argument of each callback's calls, cost
    # seconds on a generated package)
    assignments = list(islice(matches_before_name(assigned, source, name, _ASSIGNED_AFTER), 2))
    if len(assignments) != 1 or next(matches_before_name(stored, source, name, _STORED_AFTER), None) is not None:
        return False
    return b"&" not in source or addressed.search(source) is None


@functools.lru_cache(maxsize=256)
def _name_patterns(name: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """An assignment of `name` (`name :=`, `name =`), a store into it (`name.f = v`), and its
    address taken (`&name`)."""
    word = re.escape(name).encode()
    return (
        re.compile(rb"(?<![\w.])" + word + rb"\s*(?::=|=(?!=))"),
        re.compile(rb"(?<![\w.])" + word + rb"\s*(?:\.\s*[\w.\[\]\"]+)\s*=(?!=)"),
        re.compile(rb"&\s*" + word + rb"\b"),
    )


# What follows the name in every match of the first two of `_name_patterns`.
_ASSIGNED_AFTER = re.compile(rb"\s*[:=]")
_STORED_AFTER = re.compile(rb"\s*\.")


@functools.lru_cache(maxsize=8)
def _short_var_declarations(function: Node) -> tuple[Node, ...]:
    """The function's `x := v` statements in the text's order (asked once per argument of each call)."""
    return tuple(_descendants_of_type(function, "short_var_declaration"))


def _made_paths(literal: Node, depth: int) -> Iterator[tuple[str, ...]]:
    """The field paths a struct literal gives a map of its own."""
    body = literal.child_by_field_name("body")
    if body is None or depth > MAX_DEPTH:
        return
    for element in children(body):
        if element.type != "keyed_element":
            continue
        key = element.child_by_field_name("key")
        value = element.child_by_field_name("value")
        field = text(key).strip() if key is not None else ""
        inner = _single(value)
        if not field.isidentifier() or inner is None:
            continue
        if new_map(inner):
            yield (field,)
            continue
        if inner.type == "unary_expression" and text(inner).startswith("&"):
            inner = strip(inner.child_by_field_name("operand"))
        if inner is None or inner.type != "composite_literal":
            continue
        embedded = _type_name(inner) == field  # `ObjectMeta: metav1.ObjectMeta{...}`: promoted fields
        for below in _made_paths(inner, depth + 1):
            yield (field, *below)
            if embedded:
                yield below


def _single(value: Node | None) -> Node | None:
    """The expression of a keyed element's value (`literal_element` wraps it)."""
    while value is not None and value.type == "literal_element" and value.named_child_count == 1:
        value = value.named_children[0]
    return strip(value)


def _type_name(literal: Node) -> str:
    """`ObjectMeta` of `metav1.ObjectMeta{...}` or `ObjectMeta{...}`."""
    type_node = literal.child_by_field_name("type")
    return text(type_node).rsplit(".", 1)[-1] if type_node is not None else ""


def _descendants_of_type(node: Node, kind: str) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == kind:
            yield current
        stack.extend(reversed(current.children))
