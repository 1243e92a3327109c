"""A generated Go program as a tree of statements and declarations.

The tree is what the shrinker edits (it removes nodes or keeps one branch of a compound
statement) and what is rendered to Go source. Every map write is a node of its own with a
write id; rendering puts `println("W", id)` on the line before it, so one run of the program
tells which writes ran. Top-level names are written with `PREFIX_MARK` in front: a program
rendered alone uses them as they are, and many programs rendered into one Go package each
get their own prefix (`p12_`), so they share one build without clashing while every line
keeps its number.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

PREFIX_MARK = "§"
CELL = "\v"  # separates the cells of a row in an aligned block (struct fields)

# Standard-library packages a program may use, found by their selector in the rendered text.
_IMPORTS = {
    "json": "encoding/json",
    "strings": "strings",
    "sync": "sync",
    "url": "net/url",
}
_IMPORT_USE = re.compile(r"(?<![\w.])(" + "|".join(_IMPORTS) + r")\.[A-Z]")


@dataclass
class Section:
    """One header line (`if c {`, `} else {`, `case 1:`) and the statements under it."""

    header: str
    body: list[Node] = field(default_factory=list)


@dataclass
class Node:
    """A statement or declaration.

    A simple node is `text` (one or more lines). A compound node is `sections`, each a
    header with a body indented one level deeper, closed by `tail` (`}`). A label is
    rendered one level out, as gofmt does.
    """

    text: str = ""
    sections: list[Section] = field(default_factory=list)
    tail: str = ""
    write: int | None = None
    call: bool = False  # the write happens inside the function this statement calls
    label: bool = False
    tags: frozenset[str] = frozenset()
    declares: tuple[str, ...] = ()  # names it declares, so the shrinker removes their uses with it
    aligned: bool = False  # children are rows of cells (split by CELL) laid out in columns, as gofmt does
    keep: bool = False  # the shrinker never removes it

    def children(self) -> Iterator[Node]:
        for section in self.sections:
            yield from section.body


@dataclass
class Program:
    """One generated program: its seed, top-level declarations and the write ids it holds."""

    seed: int
    decls: list[Node]

    def nodes(self) -> Iterator[Node]:
        stack = list(reversed(self.decls))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children())))

    def tags(self) -> frozenset[str]:
        found: set[str] = set()
        for node in self.nodes():
            found |= node.tags
        return frozenset(found)

    def has_init(self) -> bool:
        return any(node.sections and node.sections[0].header.startswith(f"func {PREFIX_MARK}init()") for node in self.decls)


@dataclass(frozen=True)
class Rendered:
    """Go source of a program and where its writes landed (1-based lines)."""

    text: str
    write_lines: dict[int, int]
    calls: frozenset[int] = frozenset()  # the write ids that are calls of writing functions

    def write_at(self, line: int) -> int | None:
        for write, at in self.write_lines.items():
            if at == line:
                return write
        return None


def render(program: Program, prefix: str = "", markers: bool = True) -> Rendered:
    """The program as a Go file; `prefix` replaces `PREFIX_MARK` before top-level names."""
    body: list[str] = []
    write_lines: dict[int, int] = {}
    for node in program.decls:
        if body:
            body.append("")
        _emit(node, 0, body, write_lines, markers)
    text = "\n".join(body).replace(PREFIX_MARK, prefix)
    header = ["package main", ""]
    imports = sorted({_IMPORTS[name] for name in _IMPORT_USE.findall(text)})
    if len(imports) == 1:
        header += [f'import "{imports[0]}"', ""]
    elif imports:
        header += ["import ("] + [f'\t"{path}"' for path in imports] + [")", ""]
    offset = len(header)
    lines = {write: line + offset for write, line in write_lines.items()}
    calls = frozenset(node.write for node in program.nodes() if node.call and node.write is not None)
    return Rendered("\n".join(header + [text]) + "\n", lines, calls)


def _emit(node: Node, indent: int, out: list[str], write_lines: dict[int, int], markers: bool) -> None:
    pad = "\t" * indent
    if node.label:
        out.append("\t" * max(indent - 1, 0) + node.text)
        return
    if not node.sections:
        if node.write is not None:
            if markers:
                out.append(f'{pad}println("W", {node.write})')
            write_lines[node.write] = len(out) + 1
        _lines(node.text, pad, out)
        return
    for section in node.sections:
        _lines(section.header, pad, out)
        if node.aligned:
            for row in aligned([child.text.split(CELL) for child in section.body]):
                out.append(pad + "\t" + row)
            continue
        for child in section.body:
            _emit(child, indent + 1, out, write_lines, markers)
    if node.tail:
        _lines(node.tail, pad, out)


def _lines(text: str, pad: str, out: list[str]) -> None:
    for line in text.split("\n"):
        out.append(pad + line if line else "")


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells laid out as gofmt's tabwriter does: each column padded to its block's
    widest cell plus one space, blocks being runs of rows that continue past that column."""
    widths: list[list[int]] = [[0] * len(row) for row in rows]

    def visible(cell: str) -> int:
        return len(cell.replace(PREFIX_MARK, ""))

    def layout(first: int, last: int, column: int) -> None:
        row = first
        while row < last:
            if len(rows[row]) <= column + 1:
                row += 1
                continue
            end = row
            while end < last and len(rows[end]) > column + 1:
                end += 1
            width = max(visible(rows[r][column]) for r in range(row, end))
            for r in range(row, end):
                widths[r][column] = width
            layout(row, end, column + 1)
            row = end

    layout(0, len(rows), 0)
    lines = []
    for r, row in enumerate(rows):
        cells = [cell + " " * (widths[r][c] - visible(cell) + 1) if c < len(row) - 1 else cell for c, cell in enumerate(row)]
        lines.append("".join(cells))
    return lines


# Paths name a node by the indices that lead to it: (decl, section, child, section, child...).
NodePath = tuple[int, ...]


def node_paths(program: Program) -> list[NodePath]:
    """Every node's path, parents before their children."""
    paths: list[NodePath] = []

    def walk(node: Node, path: NodePath) -> None:
        paths.append(path)
        for s, section in enumerate(node.sections):
            for c, child in enumerate(section.body):
                walk(child, path + (s, c))

    for d, decl in enumerate(program.decls):
        walk(decl, (d,))
    return paths


def node_at(program: Program, path: NodePath) -> Node:
    node = program.decls[path[0]]
    for s, c in zip(path[1::2], path[2::2], strict=True):
        node = node.sections[s].body[c]
    return node


def _rebuild(nodes: list[Node], path: NodePath, change: Callable[[Node], list[Node]]) -> list[Node]:
    """A copy of `nodes` where the node at `path` (relative) is replaced by `change(node)`."""
    head, rest = path[0], path[1:]
    node = nodes[head]
    if not rest:
        return nodes[:head] + change(node) + nodes[head + 1 :]
    s, c, deeper = rest[0], rest[1], rest[2:]
    sections = list(node.sections)
    sections[s] = replace(sections[s], body=_rebuild(sections[s].body, (c,) + deeper, change))
    return nodes[:head] + [replace(node, sections=sections)] + nodes[head + 1 :]


def without(program: Program, paths: list[NodePath]) -> Program:
    """The program with the nodes at `paths` removed (deepest first, so paths stay valid)."""
    decls = program.decls
    for path in sorted(paths, reverse=True):
        decls = _rebuild(decls, path, lambda node: [])
    return Program(program.seed, decls)


def hoisted(program: Program, path: NodePath, section: int) -> Program:
    """The program with a compound statement replaced by the body of one of its sections."""
    return Program(program.seed, _rebuild(program.decls, path, lambda node: list(node.sections[section].body)))
