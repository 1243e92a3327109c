"""Every `.scm` query compiles against the pinned grammar, and captures what it promises."""
from __future__ import annotations

from tree_sitter import QueryCursor

from analyzers.parsing import parse
from analyzers.queries import load, names


def test_every_query_compiles() -> None:
    assert names() == ["composite_literals", "field_names", "field_stores", "identifiers", "map_field_reset", "map_writes", "names", "syntax_facts"]
    for name in names():
        load(name)


def test_map_writes_captures_each_write_shape() -> None:
    source = b"""package p
func f(m map[string]int, h H) {
	m["a"] = 1
	m["b"] += 2
	m["c"]++
	m["d"]--
	x, m["e"] = 1, 2
	h.Set("k", "v")
	_ = x
}
"""
    captures = QueryCursor(load("map_writes")).captures(parse(source).root_node)
    targets = sorted(n.text.decode() for n in captures["write.target"])
    assert targets == ['m["a"]', 'm["b"]', 'm["c"]', 'm["d"]', 'm["e"]']
    assert [n.text.decode() for n in captures["write.method"]] == ["Set"]


def test_store_queries_capture_assignments_keys_and_steps() -> None:
    source = b"""package p
func f(s *S) {
	s.m = nil
	s.n["k"]++
	s.n["k"]--
	t := T{F: 1}
	x, y := 1, 2
	_, _, _ = t, x, y
}
"""
    root = parse(source).root_node
    stores = QueryCursor(load("field_stores")).captures(root)
    assert sorted(n.text.decode() for n in stores["assignment"]) == ["_, _, _ = t, x, y", "s.m = nil"]
    assert [n.text.decode() for n in stores["keyed"]] == ["F: 1"]
    steps = QueryCursor(load("map_field_reset")).captures(root)
    assert sorted(n.type for n in steps["store"]) == ["assignment_statement", "assignment_statement", "dec_statement", "inc_statement"]
