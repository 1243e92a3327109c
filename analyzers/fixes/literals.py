"""Fixes in a composite literal: give a struct's map field a `make(...)`.

A multi-line literal gets a new `field: make(...),` line before its closing brace. gofmt
aligns the values of consecutive one-line key/value lines, so the new line's section is
re-aligned in the same edit (see `layout.align_rows`).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.fixes.declarations import _is_nil, make_call
from analyzers.fixes.layout import (
    Row,
    align_rows,
    ends_line,
    indentation,
    is_single_line,
    line_start,
    node_text,
    starts_line,
)
from analyzers.model import Applicability, Edit, Fix
from analyzers.source import SourceFile

# go/printer stops aligning a key/value line with its neighbours when key sizes differ
# by a large ratio, but only once a key is longer than this; longer keys get no fix.
_SMALL_KEY = 40


def literal_body(node: Node) -> Node | None:
    """The `{...}` of `T{...}`, `&T{...}`, `(&T{...})` or an elided-type `{...}`."""
    while node.type in ("unary_expression", "parenthesized_expression"):
        if node.type == "unary_expression":
            operand = node.child_by_field_name("operand")
        else:
            operand = node.named_children[0] if node.named_child_count == 1 else None
        if operand is None:
            return None
        node = operand
    if node.type == "composite_literal":
        return node.child_by_field_name("body")
    if node.type == "literal_value":
        return node
    return None


def add_field_to_literal(
    file: SourceFile,
    literal: Node,
    field: str,
    map_type: str,
    field_index: int | None = None,
    applicability: Applicability = Applicability.SAFE,
) -> Fix | None:
    """Make the map field `field` in a struct literal (also `&T{...}`).

    A keyed literal gets `field: make(...)` (or its `field: nil` replaced); a positional
    literal gets the `nil` at `field_index` replaced. No fix when the field already has
    another value, or the literal's layout is one gofmt would re-flow in ways not modelled
    here (elements sharing lines, comments before elements, very long keys).
    """
    body = literal_body(literal)
    if body is None or body.has_error:
        return None
    source = file.source
    made = make_call(map_type)
    elements = [c for c in body.named_children if c.type != "comment"]
    if any(e.type not in ("keyed_element", "literal_element") for e in elements):
        return None
    if any(e.type == "literal_element" for e in elements):
        return _replace_positional(file, body, elements, field, made, field_index, applicability)
    for element in elements:
        key = element.child_by_field_name("key")
        if key is not None and node_text(source, key) == field:
            value = element.child_by_field_name("value")
            inner = value.named_children[0] if value is not None and value.named_child_count == 1 else None
            if inner is None or not _is_nil(inner):
                # No fix: the field is set to something this builder cannot judge.
                return None
            title = f"Set `{field}` to `{made}` in the literal"
            edit = _replace_value(file, body, elements, element, inner, made)
            return None if edit is None else Fix(title, (edit,), applicability)
    title = f"Add `{field}: {made}` to the literal"
    open_brace, close_brace = body.children[0], body.children[-1]
    if open_brace.type != "{" or close_brace.type != "}" or close_brace.is_missing:
        return None
    if open_brace.start_point.row == close_brace.start_point.row:
        return _add_on_one_line(body, elements, field, made, title, applicability)
    edit = _add_line(file, body, elements, field, made)
    return None if edit is None else Fix(title, (edit,), applicability)


def _replace_positional(
    file: SourceFile,
    body: Node,
    elements: list[Node],
    field: str,
    made: str,
    field_index: int | None,
    applicability: Applicability,
) -> Fix | None:
    # No fix without the field's position, or when that element is not a plain nil.
    if field_index is None or not 0 <= field_index < len(elements):
        return None
    element = elements[field_index]
    inner = element.named_children[0] if element.named_child_count == 1 else None
    if inner is None or not _is_nil(inner):
        return None
    title = f"Set `{field}` to `{made}` in the literal"
    edit = _replace_value(file, body, elements, element, inner, made)
    return None if edit is None else Fix(title, (edit,), applicability)


def _add_on_one_line(
    body: Node, elements: list[Node], field: str, made: str, title: str, applicability: Applicability
) -> Fix:
    pair = f"{field}: {made}"
    if not elements:
        open_brace = body.children[0]
        return Fix(title, (Edit(open_brace.end_byte, open_brace.end_byte, pair),), applicability)
    last = elements[-1]
    after = last.next_sibling
    if after is not None and after.type == ",":
        # `T{a: 1,}`: the old trailing comma becomes the separator.
        return Fix(title, (Edit(after.end_byte, after.end_byte, f" {pair}"),), applicability)
    return Fix(title, (Edit(last.end_byte, last.end_byte, f", {pair}"),), applicability)


def _layout_ok(source: bytes, body: Node, elements: list[Node]) -> bool:
    """Whether the multi-line literal has the layout whose gofmt alignment is modelled:
    every element starts its own line, is followed by a comma, and has a short key."""
    close_brace = body.children[-1]
    if not starts_line(source, close_brace):
        return False
    if not ends_line(source, body.children[0].end_byte) and not _comment_ends(body):
        return False
    rows_used: set[int] = set()
    for element in elements:
        if element.start_point.row in rows_used or not starts_line(source, element):
            return False
        rows_used.update(range(element.start_point.row, element.end_point.row + 1))
        key = element.child_by_field_name("key")
        size = node_text(source, key if key is not None else element).encode()
        if len(size) > _SMALL_KEY:
            return False
        after = element.next_sibling
        if after is None or after.type != ",":
            return False
    return True


def _section(source: bytes, elements: list[Node], index: int) -> list[Node]:
    """The run of one-line elements on consecutive lines around `elements[index]`: one
    tabwriter section of gofmt (a blank line, an own-line comment or a multi-line element
    ends it)."""
    if not is_single_line(source, elements[index]):
        return [elements[index]]
    first = last = index
    while first > 0:
        prev = elements[first - 1]
        if prev.end_point.row != elements[first].start_point.row - 1 or not is_single_line(source, prev):
            break
        first -= 1
    while last + 1 < len(elements):
        nxt = elements[last + 1]
        if nxt.start_point.row != elements[last].end_point.row + 1 or not is_single_line(source, nxt):
            break
        last += 1
    return elements[first : last + 1]


def _rows(source: bytes, body: Node, section: list[Node], values: dict[int, str]) -> list[Row] | None:
    """The tabwriter rows of a section; `values` overrides element values by start byte."""
    trailing: dict[int, str] = {}
    for comment in (c for c in body.named_children if c.type == "comment"):
        row = comment.start_point.row
        if any(e.start_point.row == row for e in section):
            if row in trailing or comment.end_point.row != row:
                return None
            trailing[row] = node_text(source, comment)
    rows: list[Row] = []
    for element in section:
        key_node = element.child_by_field_name("key")
        value_node = element.child_by_field_name("value") if key_node is not None else element
        value = values.get(element.start_byte, node_text(source, value_node))  # type: ignore[arg-type]
        trailer = trailing.get(element.start_point.row)
        # go/printer puts a key/value pair's value in a column (a vtab after the colon)
        # and a trailing comment in the next one (a tab before it).
        cells: tuple[str, ...] = (f"{node_text(source, key_node)}:",) if key_node is not None else ()
        if trailer is None:
            rows.append(Row(cells, f"{value},"))
        else:
            rows.append(Row((*cells, f"{value},"), trailer))
    return rows


def _add_line(file: SourceFile, body: Node, elements: list[Node], field: str, made: str) -> Edit | None:
    """Insert `field: make(...),` as the last line of a multi-line literal, re-aligning
    the section of one-line key/value lines it joins as gofmt would."""
    source = file.source
    close_brace = body.children[-1]
    if len(field.encode()) > _SMALL_KEY or not _layout_ok(source, body, elements):
        return None
    indent = indentation(source, close_brace.start_byte) + "\t"
    section: list[Node] = []
    if elements and elements[-1].end_point.row == close_brace.start_point.row - 1:
        section = [e for e in _section(source, elements, len(elements) - 1) if is_single_line(source, e)]
    rows = _rows(source, body, section, {})
    if rows is None:
        return None
    rows.append(Row((f"{field}:",), f"{made},"))
    text = "".join(indent + line + "\n" for line in align_rows(rows))
    start = line_start(source, section[0].start_byte) if section else line_start(source, close_brace.start_byte)
    return Edit(start, line_start(source, close_brace.start_byte), text)


def _replace_value(file: SourceFile, body: Node, elements: list[Node], element: Node, inner: Node, made: str) -> Edit | None:
    """Replace a field's `nil` with `made`; in a multi-line literal whose section has
    trailing comments the longer value moves the comment column, so re-align it."""
    source = file.source
    simple = Edit(inner.start_byte, inner.end_byte, made)
    if body.children[0].start_point.row == body.children[-1].start_point.row:
        return simple
    if not _layout_ok(source, body, elements):
        return None
    section = _section(source, elements, elements.index(element))
    if len(section) == 1 and not is_single_line(source, element):
        return simple
    value_node = element.child_by_field_name("value") or element
    new_value = (
        source[value_node.start_byte : inner.start_byte].decode("utf-8", "replace")
        + made
        + source[inner.end_byte : value_node.end_byte].decode("utf-8", "replace")
    )
    rows = _rows(source, body, section, {element.start_byte: new_value})
    if rows is None:
        return None
    section_rows = {e.start_point.row for e in section}
    if not any(c.type == "comment" and c.start_point.row in section_rows for c in body.named_children):
        # No trailing comment to keep aligned: the value column does not depend on values.
        return simple
    indent = indentation(source, section[0].start_byte)
    text = "".join(indent + line + "\n" for line in align_rows(rows))
    end = line_start(source, section[-1].end_byte)
    end = source.find(b"\n", end) + 1
    return Edit(line_start(source, section[0].start_byte), end, text)


def _comment_ends(body: Node) -> bool:
    """`T{ // note`: a comment right after the brace still leaves the elements below."""
    after = body.children[1] if body.child_count > 1 else None
    return after is not None and after.type == "comment" and after.start_point.row == body.start_point.row


def make_in_constructor(
    file: SourceFile,
    node: Node,
    field: str,
    map_type: str,
    field_index: int | None = None,
    applicability: Applicability = Applicability.SAFE,
) -> Fix | None:
    """`return &T{...}` in a constructor: add the field to the returned literal.

    `node` may be the return statement (its only result is used), the `&T{...}`, or the
    literal itself.
    """
    if node.type == "return_statement":
        results = node.named_children[0] if node.named_child_count == 1 else None
        if results is None:
            return None
        values = results.named_children if results.type == "expression_list" else [results]
        literals = [v for v in values if literal_body(v) is not None]
        if len(literals) != 1:
            return None
        node = literals[0]
    return add_field_to_literal(file, node, field, map_type, field_index, applicability)
