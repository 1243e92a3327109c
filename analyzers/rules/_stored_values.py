"""What a store into a field puts there, as the flow analysis of its function sees it.

NM006 reads stores by their text; a copy of another value's field (`cs.data = cm.Data`) tells
nothing by its text, but the function's flow may know the copied map is one decoding leaves
nil (`cm` fetched by a client-go typed client, a decoded struct's tagged field).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.frames import Env
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.paths import Path
from analyzers.flow.syntax import children
from analyzers.flow.values import EXTERNAL, NIL, Origin, Val
from analyzers.source import SourceFile


class _StoreProbe(Interpreter):
    """A run of a function that notes the values assigned from one expression."""

    def __init__(self, flow, file: SourceFile, function: Node, value: Node) -> None:
        super().__init__(flow, file, function)
        self.value = (value.start_byte, value.end_byte)
        self.seen: list[Val] = []

    def assign_path(self, env: Env, path: Path, val: Val, value_node: Node | None) -> None:
        if value_node is not None and (value_node.start_byte, value_node.end_byte) == self.value:
            self.seen.append(val)
        super().assign_path(env, path, val, value_node)


def decoded_copy(flow, file: SourceFile, offset: int) -> Origin | None:
    """Where the value stored by the assignment at `offset` comes from, when on every run of its
    function it is a map decoding may leave nil (`cs.data = cm.Data`, `cm` fetched); else None."""
    statement = _enclosing(file.tree.root_node.descendant_for_byte_range(offset, offset + 1), ("assignment_statement",))
    function = _enclosing(statement, ("function_declaration", "method_declaration"))
    right = statement.child_by_field_name("right") if statement is not None else None
    values = children(right) if right is not None else []
    if function is None or len(values) != 1:
        return None
    probe = _StoreProbe(flow, file, function, values[0])
    try:
        probe.run()
    except RecursionError:
        return None
    if not probe.seen or any(not val.bits & EXTERNAL or val.bits & NIL or val.external is None for val in probe.seen):
        return None
    return probe.seen[0].external


def _enclosing(node: Node | None, kinds: tuple[str, ...]) -> Node | None:
    while node is not None and node.type not in kinds:
        node = node.parent
    return node
