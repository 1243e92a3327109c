"""Every `.scm` query compiles against the pinned grammar, and captures what it promises."""
from __future__ import annotations

from tree_sitter import QueryCursor

from analyzers.parsing import parse
from analyzers.queries import load, names


def test_every_query_compiles() -> None:
    assert names() == ["composite_literals", "field_names", "field_stores", "map_writes", "names", "syntax_facts"]
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

