"""Parsing Go with tree-sitter, in full or incrementally after an edit.

This module is the only place that calls the parser. An edit given in byte offsets is
applied to the old tree (`Tree.edit`) before the re-parse, so tree-sitter reuses what did
not change; `changed_ranges` tells callers which part of the file to look at again.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Point, Range, Tree

GO_LANGUAGE = Language(tree_sitter_go.language())

# A Parser is not thread-safe; the server parses on its loop and analyses in threads.
_local = threading.local()


def _parser() -> Parser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = Parser(GO_LANGUAGE)
    return parser


def parse(source: bytes, old_tree: Tree | None = None) -> Tree:
    """Parse `source`; with `old_tree` (already edited) the parse is incremental."""
    if old_tree is None:
        return _parser().parse(source)
    return _parser().parse(source, old_tree)


def parse_parts(source: bytes, parts: list[tuple[int, int]], point: Callable[[int], Point]) -> Tree:
    """Parse only the byte ranges `parts` of `source` (in order, not overlapping), as if the
    bytes between them were not there; nodes keep their offsets in `source`. `point` gives
    the (row, byte column) of an offset. The cost is that of the parts, not of the file.
    """
    parser = _parser()
    parser.included_ranges = [Range(point(start), point(end), start, end) for start, end in parts]
    try:
        return parser.parse(source)
    finally:
        parser.included_ranges = []  # the whole text again, for the next caller


def point_at(source: bytes, offset: int) -> Point:
    """The tree-sitter point (row, byte column) of a byte offset."""
    row = source.count(b"\n", 0, offset)
    return Point(row, offset - (source.rfind(b"\n", 0, offset) + 1))


@dataclass(frozen=True)
class Reparsed:
    source: bytes
    tree: Tree
    changed: tuple[Range, ...]


def apply_edit(source: bytes, tree: Tree, start: int, end: int, new_text: bytes) -> Reparsed:
    """Replace bytes [start, end) of `source` and re-parse incrementally.

    Offsets are clamped into the source: an out-of-range edit from a client is applied at
    the nearest valid place instead of failing.
    """
    size = len(source)
    start = min(max(start, 0), size)
    end = min(max(end, start), size)
    new_source = source[:start] + new_text + source[end:]
    new_end = start + len(new_text)
    tree.edit(
        start_byte=start,
        old_end_byte=end,
        new_end_byte=new_end,
        start_point=point_at(source, start),
        old_end_point=point_at(source, end),
        new_end_point=point_at(new_source, new_end),
    )
    new_tree = parse(new_source, tree)
    return Reparsed(new_source, new_tree, tuple(tree.changed_ranges(new_tree)))


def text(node: Node) -> str:
    """The source text of a node (tree-sitter keeps it; invalid UTF-8 is replaced)."""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""



def descendants(root: Node) -> Iterator[Node]:
    """`root` and every node under it, in document order (a cursor walk: no recursion)."""
    cursor = root.walk()
    while True:
        yield cursor.node  # type: ignore[misc]
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
