"""Fixes at a map's declaration: `var m map[K]V` and `m = nil` become a `make`.

A `var` inside a `var (...)` group is rewritten together with the group's other specs,
because gofmt aligns the names, types and `= values` of a group in columns and a new
`= make(...)` can move every column of its section.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from tree_sitter import Node

from analyzers.fixes.layout import (
    Row,
    align_rows,
    ends_line,
    indentation,
    line_start,
    node_text,
    starts_line,
)
from analyzers.model import Applicability, Edit, Fix
from analyzers.source import SourceFile

# Where a `var` declaration is a statement, `:=` declares the same name in the same block.
_STATEMENT_PARENTS = frozenset({"statement_list", "block", "labeled_statement"})


def make_call(map_type: str) -> str:
    """The `make` expression for a map type."""
    return f"make({map_type})"


def _is_nil(node: Node) -> bool:
    """`nil`, or a conversion of `nil` such as `map[K]V(nil)` or `Set(nil)`."""
    if node.type == "nil":
        return True
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _is_nil(node.named_children[0])
    if node.type == "type_conversion_expression":
        operand = node.child_by_field_name("operand")
        return operand is not None and _is_nil(operand)
    if node.type == "call_expression":
        # tree-sitter reads `Set(nil)` with a named type as a call.
        args = node.child_by_field_name("arguments")
        return args is not None and args.named_child_count == 1 and _is_nil(args.named_children[0])
    return False


def make_at_nil_assignment(
    file: SourceFile,
    nil_node: Node,
    map_type: str,
    applicability: Applicability = Applicability.SAFE,
) -> Fix:
    """Replace a `nil` (or `map[K]V(nil)`) that a map is set to with `make(map[K]V)`."""
    old = node_text(file.source, nil_node)
    new = make_call(map_type)
    return Fix(
        title=f"Replace `{old}` with `{new}`",
        edits=(Edit(nil_node.start_byte, nil_node.end_byte, new),),
        applicability=applicability,
    )


def literal_for_new(file: SourceFile, call: Node, applicability: Applicability = Applicability.SAFE) -> Fix | None:
    """Replace `new(M)` of a map type, a pointer to a nil map, with `&M{}`, a pointer to a made one."""
    args = call.child_by_field_name("arguments")
    if args is None or args.named_child_count != 1:
        return None
    type_text = node_text(file.source, args.named_children[0])
    if "\n" in type_text:
        return None
    old = node_text(file.source, call)
    new = f"&{type_text}{{}}"
    return Fix(title=f"Replace `{old}` with `{new}`", edits=(Edit(call.start_byte, call.end_byte, new),), applicability=applicability)


def make_at_var_declaration(
    file: SourceFile,
    var_spec: Node,
    name: str,
    map_type: str,
    applicability: Applicability = Applicability.SAFE,
) -> Fix | None:
    """Initialise the map `name` where `var_spec` declares it.

    `map_type` is the type to `make`; pass the declared type's text (`map[K]V` or a named
    map type such as `Set`) so the variable's type does not change.
    """
    source = file.source
    names = var_spec.children_by_field_name("name")
    index = next((i for i, n in enumerate(names) if node_text(source, n) == name), None)
    if index is None:
        return None
    title = f"Initialize `{name}` with `{make_call(map_type)}`"
    value = var_spec.child_by_field_name("value")
    if value is not None:
        return _replace_nil_value(file, value, len(names), index, title, map_type, applicability)
    type_node = var_spec.child_by_field_name("type")
    if type_node is None or var_spec.has_error:
        return None
    parent = var_spec.parent
    if parent is None:
        return None
    if parent.type == "var_spec_list":
        edit = _rewrite_group(file, parent, var_spec, lambda old, names: _made_specs(old, names, index, map_type))
        return None if edit is None else Fix(title, (edit,), applicability)
    decl = parent
    if decl.type != "var_declaration" or decl.parent is None:
        return None
    in_function = decl.parent.type in _STATEMENT_PARENTS
    if len(names) == 1:
        if in_function:
            # `var m T` and `m := make(T)` declare the same name in the same block.
            new = f"{name} := {make_call(map_type)}"
            return Fix(title, (Edit(decl.start_byte, decl.end_byte, new),), applicability)
        # Package level (or any place that is not a statement): `var g = make(T)`.
        last_name = names[-1]
        return Fix(title, (Edit(last_name.end_byte, type_node.end_byte, f" = {make_call(map_type)}"),), applicability)
    # Several names: give the map its own declaration, keep the others as they were.
    if not starts_line(source, decl):
        return None
    indent = indentation(source, decl.start_byte)
    others = ", ".join(node_text(source, n) for i, n in enumerate(names) if i != index)
    type_text = node_text(source, type_node)
    new = f"var {name} = {make_call(map_type)}\n{indent}var {others} {type_text}"
    return Fix(title, (Edit(decl.start_byte, decl.end_byte, new),), applicability)


def _replace_nil_value(
    file: SourceFile,
    value: Node,
    count: int,
    index: int,
    title: str,
    map_type: str,
    applicability: Applicability,
) -> Fix | None:
    """`var m T = nil`: replace the nil. No fix when the value is anything else, because
    the map is then initialised by something this builder cannot judge."""
    values = value.named_children if value.type == "expression_list" else [value]
    values = [v for v in values if v.type != "comment"]
    if len(values) != count or not _is_nil(values[index]):
        return None
    target = values[index]
    spec = value.parent
    spec_list = spec.parent if spec is not None else None
    if spec is not None and spec_list is not None and spec_list.type == "var_spec_list":
        # In a group a longer value can move the aligned comment column: re-align.
        source = file.source
        new_values = (
            source[value.start_byte : target.start_byte].decode("utf-8", errors="replace")
            + make_call(map_type)
            + source[target.end_byte : value.end_byte].decode("utf-8", errors="replace")
        )
        edit = _rewrite_group(file, spec_list, spec, lambda old, names: [replace(old, values=new_values)])
        return None if edit is None else Fix(title, (edit,), applicability)
    return Fix(title, (Edit(target.start_byte, target.end_byte, make_call(map_type)),), applicability)


@dataclass(frozen=True)
class _Spec:
    names: str
    type: str | None
    values: str | None
    comment: str | None


def _made_specs(spec: _Spec, names: list[str], index: int, map_type: str) -> list[_Spec]:
    """The specs replacing `spec` when its name `index` gets `= make(...)`."""
    made = _Spec(names[index], None, make_call(map_type), None)
    if len(names) == 1:
        # One name: the spec becomes `m = make(T)`; its comment stays on its line.
        return [replace(made, comment=spec.comment)]
    rest = ", ".join(n for i, n in enumerate(names) if i != index)
    return [made, replace(spec, names=rest)]


def _rewrite_group(
    file: SourceFile,
    spec_list: Node,
    target: Node,
    rewrite: Callable[[_Spec, list[str]], list[_Spec]],
) -> Edit | None:
    """Rewrite the lines of a `var (...)` group with `target` replaced by `rewrite`'s specs.

    No fix when a spec spans several lines, shares a line with another spec, or has a
    comment before it on its line, because gofmt's alignment of such groups depends on
    line-break heuristics this module does not model.
    """
    source = file.source
    children = spec_list.children
    if len(children) < 2 or children[0].type != "(" or children[-1].type != ")":
        return None
    open_paren, close_paren = children[0], children[-1]
    if open_paren.end_point.row == close_paren.start_point.row or not starts_line(source, close_paren):
        return None
    first_row = open_paren.end_point.row + 1
    if not ends_line(source, open_paren.end_byte):
        return None
    by_row: dict[int, _Spec] = {}
    spec_rows: list[int] = []
    items = [c for c in children[1:-1] if c.type != "\n"]
    for pos, child in enumerate(items):
        if child.type == "var_spec":
            row = child.start_point.row
            if child.end_point.row != row or row in by_row or not starts_line(source, child):
                return None
            by_row[row] = _spec_of(source, child)
            spec_rows.append(row)
        elif child.type == "comment":
            row = child.start_point.row
            if row in by_row:
                prev = items[pos - 1]
                if prev.type != "var_spec" or by_row[row].comment is not None or child.end_point.row != row:
                    return None
                by_row[row] = replace(by_row[row], comment=node_text(source, child))
        else:
            return None
    target_row = target.start_point.row
    spec = by_row[target_row]
    names = [node_text(source, n) for n in target.children_by_field_name("name")]
    new_specs = rewrite(spec, names)
    # The group's rows in order, with the target row expanded.
    rows: list[list[_Spec] | str] = []
    lines = source.split(b"\n")
    for row in range(first_row, close_paren.start_point.row):
        if row == target_row:
            rows.append(new_specs)
        elif row in by_row:
            rows.append([by_row[row]])
        else:
            rows.append(lines[row].decode("utf-8", errors="replace"))
    all_specs = [s for r in rows if not isinstance(r, str) for s in r]
    indent = indentation(source, close_paren.start_byte) + "\t"
    out: list[str] = []
    if len(all_specs) == 1:
        for r in rows:
            out.extend([indent + _plain(s) for s in r] if not isinstance(r, str) else [r])
    else:
        keep = _keep_type_column(all_specs)
        section: list[Row] = []
        spec_no = 0
        for r in rows:
            if isinstance(r, str):
                # A blank or own-line comment flushes gofmt's tabwriter: a new section.
                out.extend(indent + line for line in align_rows(section))
                section = []
                out.append(r)
                continue
            for s in r:
                section.append(_row(s, keep[spec_no]))
                spec_no += 1
        out.extend(indent + line for line in align_rows(section))
    start = line_start(source, source.find(b"\n", open_paren.end_byte) + 1)
    end = line_start(source, close_paren.start_byte)
    return Edit(start, end, "".join(line + "\n" for line in out))


def _spec_of(source: bytes, spec: Node) -> _Spec:
    names = ", ".join(node_text(source, n) for n in spec.children_by_field_name("name"))
    type_node = spec.child_by_field_name("type")
    value = spec.child_by_field_name("value")
    return _Spec(
        names,
        node_text(source, type_node) if type_node is not None else None,
        node_text(source, value) if value is not None else None,
        None,
    )


def _plain(spec: _Spec) -> str:
    """A spec as gofmt prints it alone (no alignment): go/printer's `spec`."""
    text = spec.names
    if spec.type is not None:
        text += f" {spec.type}"
    if spec.values is not None:
        text += f" = {spec.values}"
    if spec.comment is not None:
        text += f" {spec.comment}"
    return text


def _row(spec: _Spec, keep_type: bool) -> Row:
    """A spec's tabwriter cells as go/printer's `valueSpec` writes them."""
    parts = [spec.names]
    extra_tabs = 3
    if spec.type is not None or keep_type:
        parts.append(spec.type or "")
        extra_tabs -= 1
    if spec.values is not None:
        parts.append(f"= {spec.values}")
        extra_tabs -= 1
    if spec.comment is None:
        return Row(tuple(parts[:-1]), parts[-1])
    # The first of the extra tabs ends the last part; the others make empty cells, so
    # the comment always lands in the fourth column.
    parts.extend([""] * (extra_tabs - 1))
    return Row(tuple(parts), spec.comment)


def _keep_type_column(specs: list[_Spec]) -> list[bool]:
    """go/printer's keepTypeColumn: in a run of specs with values, keep an (empty) type
    column when any spec of the run has a type, so the `=` signs line up."""
    keep = [False] * len(specs)
    start = -1
    keep_type = False
    for i, spec in enumerate(specs):
        if spec.values is not None:
            if start < 0:
                start = i
                keep_type = False
        elif start >= 0:
            if keep_type:
                keep[start:i] = [True] * (i - start)
            start = -1
        if spec.type is not None:
            keep_type = True
    if start >= 0 and keep_type:
        keep[start:] = [True] * (len(specs) - start)
    return keep
