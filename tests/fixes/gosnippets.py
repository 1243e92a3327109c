"""Helpers for fix tests on Go snippets: find nodes by a marker, apply one fix."""
from __future__ import annotations

from tree_sitter import Node

from analyzers.fixes.apply import apply_fixes
from analyzers.model import Fix
from analyzers.source import SourceFile


def node_at(file: SourceFile, marker: str, node_type: str, occurrence: int = 0) -> Node:
    """The innermost `node_type` node around the `occurrence`-th match of `marker`."""
    source = file.source
    needle = marker.encode()
    offset = -1
    for _ in range(occurrence + 1):
        offset = source.find(needle, offset + 1)
        assert offset >= 0, f"marker {marker!r} not found"
    node: Node | None = file.tree.root_node.descendant_for_byte_range(offset, offset + len(needle))
    while node is not None and node.type != node_type:
        node = node.parent
    assert node is not None, f"no {node_type} around {marker!r}"
    return node


def apply_one(source: bytes, fix: Fix) -> bytes:
    """The source with `fix` applied, checking that every edit was taken."""
    out, applied = apply_fixes(source, [fix])
    assert applied == 1
    return out
