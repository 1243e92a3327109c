"""The tree-sitter-go node shapes nilmap relies on (corpus style): an upgrade that changes
one fails here, loudly, rather than silently in a rule."""
from __future__ import annotations

import pytest

from analyzers.parsing import parse

CASES = {
    "var_spec": (
        "var m map[string]int",
        "(var_declaration (var_spec name: (identifier) type: (map_type key: (type_identifier) value: (type_identifier))))",
    ),
    "short_var_declaration": (
        "m := make(map[string]int)",
        "(short_var_declaration left: (expression_list (identifier)) right: (expression_list (call_expression "
        "function: (identifier) arguments: (argument_list (map_type key: (type_identifier) value: (type_identifier))))))",
    ),
    "assignment_statement": (
        'm["k"] = 1',
        "(assignment_statement left: (expression_list (index_expression operand: (identifier) "
        "index: (interpreted_string_literal (interpreted_string_literal_content)))) right: (expression_list (int_literal)))",
    ),
    "if_statement initializer": (
        'if _, ok := m["k"]; !ok {\n\t}',
        "(if_statement initializer: (short_var_declaration left: (expression_list (identifier) (identifier)) "
        "right: (expression_list (index_expression operand: (identifier) index: (interpreted_string_literal "
        "(interpreted_string_literal_content))))) condition: (unary_expression operand: (identifier)) consequence: (block))",
    ),
    "range_clause": (
        "for k, v := range m {\n\t}",
        "(for_statement (range_clause left: (expression_list (identifier) (identifier)) right: (identifier)) body: (block))",
    ),
    "labeled_statement": (
        "L:\n\tfor {\n\t\tbreak L\n\t}",
        "(labeled_statement label: (label_name) (for_statement body: (block (statement_list (break_statement (label_name))))))",
    ),
    # Two keys that look like qualified type names: read as a generic type, handled as an index.
    "index with selector keys": (
        "m[a.B][c.D] = 1",
        "(assignment_statement left: (expression_list (type_instantiation_expression type: (generic_type "
        "type: (type_identifier) type_arguments: (type_arguments (type_elem (qualified_type package: (package_identifier) "
        "name: (type_identifier))))) (qualified_type package: (package_identifier) name: (type_identifier)))) "
        "right: (expression_list (int_literal)))",
    ),
    "inc_statement": ('m["k"]++', "(inc_statement (index_expression operand: (identifier) index: (interpreted_string_literal (interpreted_string_literal_content))))"),
    "composite_literal": (
        "r := &R{name: n}",
        "(short_var_declaration left: (expression_list (identifier)) right: (expression_list (unary_expression "
        "operand: (composite_literal type: (type_identifier) body: (literal_value (keyed_element key: (literal_element "
        "(identifier)) value: (literal_element (identifier))))))))",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape(name: str) -> None:
    statement, expected = CASES[name]
    tree = parse(f"package p\n\nfunc f() {{\n\t{statement}\n}}\n".encode())
    body = tree.root_node.named_children[1].child_by_field_name("body")
    statement_list = body.named_children[0]
    assert str(statement_list.named_children[0]) == expected
