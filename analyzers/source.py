"""One parsed Go file: its bytes, tree, line index and package clause."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from tree_sitter import Tree

from analyzers.parsing import parse, text
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

    def with_source(self, source: bytes, tree: Tree | None = None) -> SourceFile:
        """A new version of this file with other contents (re-parsed unless given)."""
        return SourceFile(self.path, source, tree if tree is not None else parse(source))
