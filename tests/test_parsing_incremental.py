"""Incremental re-parsing (`analyzers.parsing.apply_edit`) gives the tree a fresh parse gives.

A hypothesis state machine applies random byte edits (Go fragments, non-ASCII, NUL,
invalid UTF-8, offsets past the end or reversed) and after each compares the incremental
tree with `parse(source)`: the same bytes as a plain splice of the source and, whenever
the source parses without errors, the same S-expression and the same byte range for every
node.

When the source has syntax errors the two trees may differ: tree-sitter's error recovery
depends on the reused subtrees (for example `func]string]int[` after two edits recovers
differently from a fresh parse). Then we only require that the incremental tree has errors
too. The language server re-parses from scratch whenever an edit leaves errors, so its
findings never depend on the edit history.
"""
from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from tree_sitter import Node

from analyzers.parsing import apply_edit, parse

START = (
    'package main\n\nimport "fmt"\n\n// 起点 🎯\nfunc main() {\n\tvar m map[string]int\n'
    '\tif len(m) == 0 {\n\t\tm["😀"] = 1\n\t}\n\tfmt.Println(m)\n}\n'
).encode()

FRAGMENTS = st.sampled_from(
    [b"m", b"[", b"]", b" = ", b"{", b"}", b"(", b")", b"\n", b"\r\n", b"\t", b'"', b"`", b"//", b"/*", b"*/",
     "映射".encode(), "😀".encode(), b"\x00", b"\xff", b"\xc3", b"\x80", b"func f() {\n", b"var x map[int]int\n",
     b'x["k"]++\n', b"if x == nil {\n", b"return\n", b"type T struct { M map[string]int }\n", b"package p\n"]
)


def shape(node: Node) -> list[tuple[str, int, int]]:
    """Every node's type and byte range, in document order."""
    out: list[tuple[str, int, int]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append((current.type, current.start_byte, current.end_byte))
        stack.extend(reversed(current.children))
    return out


class IncrementalParse(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.source = START
        self.tree = parse(START)

    @rule(
        start=st.integers(-5, len(START) + 40),
        length=st.integers(-3, 30),
        new_text=st.lists(FRAGMENTS, max_size=5).map(b"".join),
    )
    def edit(self, start: int, length: int, new_text: bytes) -> None:
        end = start + length
        # The expected bytes: apply_edit clamps into [0, size] and empties a reversed range.
        size = len(self.source)
        lo = min(max(start, 0), size)
        hi = min(max(end, lo), size)
        expected = self.source[:lo] + new_text + self.source[hi:]
        reparsed = apply_edit(self.source, self.tree, start, end, new_text)
        assert reparsed.source == expected
        self.source, self.tree = reparsed.source, reparsed.tree

    @invariant()
    def same_as_a_fresh_parse(self) -> None:
        fresh = parse(self.source)
        if fresh.root_node.has_error:
            assert self.tree.root_node.has_error
            return
        assert str(self.tree.root_node) == str(fresh.root_node)
        assert shape(self.tree.root_node) == shape(fresh.root_node)


def test_incremental_tree_equals_fresh_parse() -> None:
    run_state_machine_as_test(
        IncrementalParse,
        settings=settings(max_examples=150, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
    )
