"""One parsed Go file: its bytes, tree, line index and package clause."""
from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tree_sitter import Node, Point, Tree

from analyzers.gotext import name as name_pattern
from analyzers.gotext import without_comments
from analyzers.parsing import parse, parse_parts, text
from analyzers.text import LineIndex


@dataclass(eq=False)
class SourceFile:
    """A Go file as the analyses see it. `path` is whatever the caller named it by."""

    path: str
    source: bytes
    tree: Tree = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.tree is None:
            self.tree = parse(self.source)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.source)

    @cached_property
    def package_name(self) -> str:
        """The name in the package clause, or "" when the clause is missing or broken."""
        for child in self.tree.root_node.named_children:
            if child.type == "package_clause":
                for part in child.named_children:
                    if part.type == "package_identifier":
                        return text(part)
                return ""
        return ""

    def text_key(self, node: Node) -> tuple[int, int]:
        """(hash, length) of a node's text, computed once per node of this file version."""
        # (kept as (end, key) by start, the key returned as it is: every check asks for the keys
        # of every declaration of an edited file a dozen times)
        start, end = node.start_byte, node.end_byte
        found = self._text_keys.get(start)
        if found is None or found[0] != end:
            raw = self.source[start:end]
            found = self._text_keys[start] = (end, (hash(raw), len(raw)))
        return found[1]

    @cached_property
    def _text_keys(self) -> dict[int, tuple[int, tuple[int, int]]]:
        return {}

    def code_key(self, node: Node) -> tuple[int, int]:
        """(hash, length) of a node's code (`code`), computed once per node of this file
        version. What is found of a function's code alone is kept by this key: typing in a
        comment of a long function asks nothing again."""
        start, end = node.start_byte, node.end_byte
        found = self._code_keys.get(start)
        if found is None or found[0] != end:
            code = self.code(node)
            found = self._code_keys[start] = (end, (hash(code), len(code)))
        return found[1]

    def code(self, node: Node) -> bytes:
        """A node's text without its comments (`without_comments`), found once per node of this
        file version: the prefilter's questions about a function all read it."""
        start, end = node.start_byte, node.end_byte
        found = self._codes.get(start)
        if found is None or found[0] != end:
            found = self._codes[start] = (end, without_comments(self.source[start:end]))
        return found[1]

    @cached_property
    def _code_keys(self) -> dict[int, tuple[int, tuple[int, int]]]:
        return {}

    @cached_property
    def _codes(self) -> dict[int, tuple[int, bytes]]:
        return {}

    @cached_property
    def memo(self) -> dict[Hashable, Any]:
        """What analyses derived from this version of the file alone, by what they call it:
        kept with the file, so a file unchanged since the last check is not asked again."""
        return {}

    def matches(self, pattern: re.Pattern[bytes]) -> bool:
        """Whether the file's text holds a match of `pattern`. Kept with this version: questions
        asked of every file of a package (does any code set field `f`?) are asked again at every
        check, and after an edit only the edited file's answer is new."""
        key = ("matches", pattern.pattern, pattern.flags)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = pattern.search(self.source) is not None
        return found

    def identifiers(self, name: str) -> list[Node]:
        """The identifier nodes spelt `name` in this version of the file, in the text's order."""
        key = ("identifiers", name)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = identifiers_in(self.tree.root_node, name, self.source)
        return found

    @cached_property
    def functions(self) -> list[Node]:
        """The top-level functions and methods, including those buried in an ERROR node.

        While the user types, one unbalanced brace makes tree-sitter fold the rest of the
        file into an ERROR node. The functions inside it are recovered by parsing each
        stretch that starts with `func` at the beginning of a line on its own (with the
        package clause), so byte offsets stay those of the file.
        """
        found: list[Node] = []
        for node in self.tree.root_node.named_children:
            if node.type in ("function_declaration", "method_declaration"):
                found.append(node)
            elif node.type == "ERROR":
                found.extend(self._recover(node.start_byte, node.end_byte))
        return found

    def _recover(self, start: int, end: int) -> list[Node]:
        source = self.source
        starts = [m.start() for m in _FUNC_AT_LINE_START.finditer(source, start, end)]
        keep: list[tuple[int, int]] = []
        clause = _PACKAGE_CLAUSE.search(source)
        line_end = source.find(b"\n", clause.end()) if clause is not None else -1
        if clause is not None and line_end != -1 and starts and line_end < starts[0]:
            # The clause, and its line's end as the separator before the function's text.
            keep = [(clause.start(), clause.end()), (line_end, line_end + 1)]
        clause_key = tuple((a, b, source[a:b]) for a, b in keep)
        recovered = []
        for i, chunk_start in enumerate(starts):
            chunk_end = starts[i + 1] if i + 1 < len(starts) else end
            key = (chunk_start, chunk_end, hash(source[chunk_start:chunk_end]), clause_key)
            found = self._inherited.get(key)
            if found is None:
                # Only the clause and this stretch are parsed: linear in the file over all stretches.
                tree = parse_parts(source, [*keep, (chunk_start, chunk_end)], self._point)
                nodes = [
                    node
                    for node in tree.root_node.named_children
                    if node.type in ("function_declaration", "method_declaration") and not node.has_error
                ]
                found = (tree, nodes)
            self._recovered[key] = found
            recovered.extend(found[1])
        self._inherited = {}
        return recovered

    def inherit_recovery(self, previous: SourceFile) -> None:
        """Take over the stretches `previous` (an earlier version of this file) recovered, for
        those that are still the same bytes at the same place: their nodes are valid here
        as they are, so an edit re-parses only the stretch it touched."""
        if "functions" not in self.__dict__:
            self._inherited = previous._recovered

    def _point(self, offset: int) -> Point:
        line = self.lines.line_of(offset)
        return Point(line, offset - self.lines.line_starts[line])

    @cached_property
    def _recovered(self) -> dict[tuple, tuple[Tree, list[Node]]]:
        return {}  # each stretch's tree (kept alive with the file) and functions, by place and text

    @cached_property
    def _inherited(self) -> dict[tuple, tuple[Tree, list[Node]]]:
        return {}

    def with_source(self, source: bytes, tree: Tree | None = None) -> SourceFile:
        """A new version of this file with other contents (re-parsed unless given)."""
        return SourceFile(self.path, source, tree if tree is not None else parse(source))


_FUNC_AT_LINE_START = re.compile(rb"^func[ (]", re.M)
_PACKAGE_CLAUSE = re.compile(rb"^package\s+\w+", re.M)


def identifiers_in(root: Node, name: str, source: bytes | None = None) -> list[Node]:
    """The identifiers spelt `name` under `root` (the text `source` is the root's, from its
    first byte), found at the name's whole-word occurrences in the text (a walk of the whole
    tree costs more than a search of its text)."""
    base = 0
    if source is None:
        source, base = root.text or b"", root.start_byte
    found = []
    for match in re.finditer(name_pattern(name), source):
        start, end = base + match.start(), base + match.end()
        node = root.descendant_for_byte_range(start, end)
        if node is not None and node.type == "identifier" and node.start_byte == start and node.end_byte == end:
            found.append(node)
    return found
