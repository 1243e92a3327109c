"""The per-file syntax index answers as the walks it replaces do, on every fixture.

`flow.syntax_index` finds assignments, `&x`, calls and closures once per file and answers
questions about a range by looking at those within it; `flow.syntax` walks the nodes under
the range each time. Both are asked the same questions here, about every function, loop and
closure of the rule fixtures (with each closure inside as the part to skip), and must agree:
names as sets, stored targets in the same order.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Node

from analyzers.flow.syntax import address_taken_names, assigned_names, nodes_of_type, stored_targets
from analyzers.flow.syntax_index import SyntaxIndex
from analyzers.parsing import parse

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(FIXTURES.rglob("*.go"))
_ASKED = ("function_declaration", "method_declaration", "func_literal", "for_statement", "block", "if_statement")


def _spans(nodes: list[Node]) -> list[tuple[int, int, str]]:
    return [(n.start_byte, n.end_byte, n.type) for n in nodes]


def test_there_are_fixtures_to_compare_on() -> None:
    assert len(SOURCES) > 100


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_index_answers_as_the_walks_do(source: Path) -> None:
    root = parse(source.read_bytes()).root_node
    index = SyntaxIndex(root)
    for node in nodes_of_type(root, _ASKED):
        literals = nodes_of_type(node, ("func_literal",))
        for skip in [None, *literals]:
            for include_calls in (False, True):
                assert index.assigned_names(node, include_calls, skip) == assigned_names(node, include_calls, skip)
        assert index.address_taken_names(node) == address_taken_names(node)
        assert _spans(index.stored_targets(node)) == _spans(stored_targets(node))
        assert index.has_goto(node) == bool(nodes_of_type(node, ("goto_statement",)))
        assert sorted(_spans(index.closures_and_defers(node))) == sorted(_spans(nodes_of_type(node, ("func_literal", "defer_statement"))))


def test_a_closure_skipped_hides_only_what_it_assigns() -> None:
    source = b"""package p
func f(m map[string]int, p *int) {
	a := 1
	b, c := 2, 3
	go func() {
		b = 4
		g(&c)
	}()
	a = 5
	m["k"] = a
	*p++
	h(c)
}
"""
    root = parse(source).root_node
    index = SyntaxIndex(root)
    function = nodes_of_type(root, ("function_declaration",))[0]
    literal = nodes_of_type(root, ("func_literal",))[0]
    assert index.assigned_names(function, False) == {"a", "b", "c"}
    assert index.assigned_names(function, False, literal) == {"a"}
    assert index.assigned_names(function, True, literal) == {"a", "c"}
    assert [t.text for t in index.stored_targets(function)] == [b"*p", b'm["k"]', b"a", b"b"]
