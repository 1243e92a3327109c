"""Every `.scm` query compiles against the pinned grammar, and captures what it promises."""
from __future__ import annotations

from tree_sitter import QueryCursor

from analyzers.parsing import parse
from analyzers.queries import load, names


def test_every_query_compiles() -> None:
    assert names() == ["built_names", "composite_literals", "field_names", "field_stores", "identifiers", "map_field_reset", "map_writes", "names", "syntax_facts"]
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


def test_built_names_found_by_query_are_those_a_walk_finds() -> None:
    """`_built_names` reads its declarations from a query; on every function of the rule
    fixtures it finds what a walk over every node found."""
    import pathlib

    from analyzers.field_stores import _built_names, _is_construction
    from analyzers.parsing import descendants, text

    def walked(function) -> frozenset[str]:
        names: set[str] = set()
        for node in descendants(function):
            if node.type == "short_var_declaration":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                declared = [text(n) for n in left.named_children] if left is not None else []
                values = right.named_children if right is not None else []
                if len(values) == len(declared):
                    names.update(n for i, n in enumerate(declared) if declared.index(n) == i and _is_construction(values[i]))
            elif node.type == "var_spec" and node.child_by_field_name("value") is None:
                names.update(text(n) for n in node.children_by_field_name("name"))
        return frozenset(names)

    checked = 0
    for path in sorted(pathlib.Path(__file__).parent.glob("fixtures/*/*/*.go")):
        for node in parse(path.read_bytes()).root_node.named_children:
            if node.type in ("function_declaration", "method_declaration"):
                assert _built_names(node) == walked(node), (path, node.start_point)
                checked += 1
    assert checked > 1000


def test_a_name_assigned_once_is_found_as_the_plain_patterns_find_it() -> None:
    """`assigned_once_unstored` searches from the name's occurrences; on every function of the
    rule fixtures and every (ASCII) name in it, it answers as the patterns tried at every byte did."""
    import pathlib
    import re

    from analyzers.flow.built_for_callbacks import assigned_once_unstored

    def plain(source: bytes, name: str) -> bool:
        word = re.escape(name).encode()
        assignments = re.findall(rb"(?<![\w.])" + word + rb"\s*(?::=|=(?!=))", source)
        stores = re.search(rb"(?<![\w.])" + word + rb"\s*(?:\.\s*[\w.\[\]\"]+)\s*=(?!=)|&\s*" + word + rb"\b", source)
        return len(assignments) == 1 and stores is None

    once = 0
    for path in sorted(pathlib.Path(__file__).parent.glob("fixtures/*/*/*.go")):
        for node in parse(path.read_bytes()).root_node.named_children:
            if node.type not in ("function_declaration", "method_declaration"):
                continue
            source = node.text or b""
            for name in sorted(set(re.findall(r"\b[A-Za-z_]\w*\b", source.decode("ascii", "replace")))):
                found = assigned_once_unstored(source, name)
                assert found == plain(source, name), (path, node.start_point, name)
                once += found
    assert once > 1000
