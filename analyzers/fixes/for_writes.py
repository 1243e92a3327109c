"""Which fixes a flow finding offers: from its write event to the builders' edits.

The alternatives, in order of preference: make the map where the nil came from (its
declaration, the `= nil`, the package-level `var`), then the lazy guard before the write.
A declaration-site make is unsafe when the code compares the variable with nil, since the
make changes what that comparison sees; the guard is always safe.
"""
from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from analyzers.fixes.builders import lazy_guard, make_at_nil_assignment, make_at_var_declaration
from analyzers.fixes.declarations import literal_for_new, make_call
from analyzers.fixes.literals import add_field_to_literal
from analyzers.flow.events import WriteEvent
from analyzers.flow.paths import INDEX
from analyzers.flow.syntax import index_parts
from analyzers.flow.types import strip_parens
from analyzers.flow.values import OriginKind
from analyzers.gotext import name as name_pattern
from analyzers.index import read_facts
from analyzers.model import Applicability, Edit, Fix
from analyzers.module import MODULES
from analyzers.parsing import text
from analyzers.source import SourceFile


def written_expression(event: WriteEvent) -> Node | None:
    """The map expression written into: `m` in `m[k] = v`, `h` in `h.Set(k, v)`."""
    node = event.node
    written = None
    parts = index_parts(node)
    if parts is not None:
        written = parts[0]
    elif node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "selector_expression":
            written = function.child_by_field_name("operand")
    while written is not None and written.type == "parenthesized_expression" and written.named_child_count == 1:
        written = written.named_children[0]
    if written is not None and written.type == "call_expression":
        return None  # `x.GetLabels()[k] = v`: a call's result cannot be assigned a made map
    return written


def usable_type(event: WriteEvent, home: SourceFile | None = None) -> str:
    """The type to make: as declared when it is a type we can name here, else the map type.

    A type read from another package of the module comes in canonical names (`⟦n⟧.Meta`):
    it is written with the import names of `home`, the file the fix goes into, and is
    unusable ("") when that file does not import a package it names."""
    declared = strip_parens(event.type_text)
    chosen = declared if declared and "\n" not in declared and not declared.startswith("*") else event.map_type
    if "⟦" not in chosen:
        return chosen
    return (MODULES.written_in(chosen, read_facts(home).imports) if home is not None else None) or ""


def guard_fix(file: SourceFile, event: WriteEvent) -> Fix | None:
    if event.via_method and event.callee is not None and event.node.type == "call_expression" and event.target_path[1:]:
        return None  # a write inside a method: the guard belongs to the method's own finding
    target = written_expression(event)
    map_type = usable_type(event, file)
    if target is None or not map_type:
        return None
    if event.node.type == "call_expression" and text(target) != event.target:
        return None  # `r.record(nil)`: the map written is an argument, not the receiver
    if not field_assignable(event):
        return None
    return lazy_guard(file, event.statement, text(target), map_type)


def field_assignable(event: WriteEvent) -> bool:
    """Whether the map written can be assigned a made one: not `list["b"].index`, a field of a
    struct held by value in a map (`list["b"]` is no variable); a field of one a map holds
    a pointer to is (`ptrs["b"].index = ...` sets the field of the struct it points to)."""
    through_value = event.through_map_element and len(event.target_path) > 1 and event.target_path[-1][0] != INDEX
    return not (through_value and not event.owner_type.startswith("*"))


def nested_guard_fix(file: SourceFile, event: WriteEvent) -> Fix | None:
    """`m[a][b] = v` where `m` itself may be nil: guards for `m`, then for `m[a]`."""
    target = written_expression(event)
    parts = index_parts(target) if target is not None else None
    map_type = usable_type(event, file)
    outer_type = event.owner_type if "⟦" not in event.owner_type and "\n" not in event.owner_type else ""
    if target is None or parts is None or not map_type or not outer_type or event.through_map_element:
        return None  # (the outer map read from another map: its own guard would write a nil map)
    return lazy_guard(file, event.statement, text(target), map_type, outer=(text(parts[0]), outer_type))


def compared_with_nil(function: Node, name: str) -> bool:
    body = function.text or b""
    pattern = name_pattern(name) + rb"\s*[!=]=\s*nil\b|\bnil\s*[!=]=\s*" + name_pattern(name)
    return re.search(pattern, body) is not None


def source_fix(file: SourceFile, event: WriteEvent, package_files: dict[str, SourceFile]) -> Fix | None:
    """Make the map where its nil comes from, when that is a declaration or `= nil` we can edit."""
    origin = event.val.origin
    home = package_files.get(origin.path) if origin is not None else None
    if origin is None or home is None:
        return None
    node = home.tree.root_node.descendant_for_byte_range(origin.start, origin.end)
    if node is not None and node.type == "call_expression" and _called(node) == "new":
        return literal_for_new(home, node)  # `new(M)`: a pointer to a nil map
    if origin.kind is OriginKind.EMPTY_CHECK:
        return make_in_constructions(package_files, origin.others, origin.field, usable_type(event, file))
    if len(event.target_path) != 1:
        return None
    map_type = usable_type(event, home)
    if node is None or not map_type:
        return None
    function = _enclosing_function(event.node)
    risky = function is not None and compared_with_nil(function, event.target)
    applicability = Applicability.UNSAFE if risky else Applicability.SAFE
    if origin.kind in (OriginKind.DECLARATION, OriginKind.PACKAGE_VAR):
        spec: Node | None = node
        while spec is not None and spec.type != "var_spec":
            spec = spec.parent
        if spec is None:
            return None
        return make_at_var_declaration(home, spec, event.target, map_type, applicability)
    if origin.kind is OriginKind.NIL:
        if node.parent is not None and node.parent.type == "type_conversion_expression":
            node = node.parent
        elif _converted_to(node, map_type):
            call = node.parent.parent if node.parent is not None else None  # `url.Values(nil)`
            node = call if call is not None else node
        elif node.type == "call_expression":
            return None  # set to nil inside the callee (`reset(&m)`): no make at the call
        if node.type not in ("nil", "type_conversion_expression", "call_expression"):
            return None
        return make_at_nil_assignment(home, node, map_type, applicability)
    return None


def make_in_constructions(package_files: dict[str, SourceFile], sites: tuple[tuple[str, int, int], ...], field: str, map_type: str) -> Fix | None:
    """`field: make(...)` added to every literal of the package that leaves the map out (a
    write the code runs when the map is empty then finds it made). None unless every such
    construction is a literal that can take it: a fix of some would leave the others nil.
    Unsafe where the package compares the field with nil: those tests would change."""
    if not sites or not map_type:
        return None
    edits: list[Edit] = []
    compared = re.compile(rb"\." + name_pattern(field) + rb"\s*[!=]=\s*nil\b")
    risky = any(f.matches(compared) for f in package_files.values())
    applicability = Applicability.UNSAFE if risky else Applicability.SAFE
    for path, start, end in sites:
        home = package_files.get(path)
        node = home.tree.root_node.descendant_for_byte_range(start, end) if home is not None else None
        while node is not None and node.type != "composite_literal" and (node.start_byte, node.end_byte) == (start, end):
            node = node.parent
        if home is None or node is None or node.type != "composite_literal":
            return None
        added = add_field_to_literal(home, node, field, map_type, applicability=applicability)
        if added is None:
            return None
        edits.extend(replace(edit, path=path) for edit in added.edits)
    where = f"the {len(sites)} literals that leave it out" if len(sites) > 1 else "the literal that leaves it out"
    return Fix(f"Add `{field}: {make_call(map_type)}` to {where}", tuple(edits), applicability)


def _converted_to(node: Node, type_text: str) -> bool:
    """Whether `node` is the `nil` of `T(nil)`, a conversion written as a call (`url.Values(nil)`)."""
    arguments = node.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    return call is not None and call.type == "call_expression" and arguments.named_child_count == 1 and _called(call) == type_text  # type: ignore[union-attr]


def _called(call: Node) -> str:
    function = call.child_by_field_name("function")
    return text(function) if function is not None else ""


def _enclosing_function(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None and current.type not in ("function_declaration", "method_declaration"):
        current = current.parent
    return current


def write_fixes(file: SourceFile, event: WriteEvent, package_files: dict[str, SourceFile]) -> tuple[Fix, ...]:
    """The alternative fixes of a write finding: the make at the source, then the guard."""
    # In order of preference; editors and `--fix` take the first safe one, `--unsafe-fixes` the first.
    return tuple(f for f in (source_fix(file, event, package_files), guard_fix(file, event)) if f is not None)
