"""Per-function results kept across checks, for the language server.

An edit usually changes one function. The flow analysis of another function F depends on
F's own text and position, and on the declarations it can reach by name: the functions and
methods it calls (whose summaries it uses), the types and package variables it mentions,
transitively, and `init()` when it mentions a package variable. A result is reused only
when all of those are unchanged, so an edit re-analyses just the functions that depend on
what changed. Over-approximating by name (every method called `Add`, whatever its
receiver) keeps this sound without a type checker.
"""
from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import replace
from functools import cached_property
from typing import TypeVar

from cachetools import LRUCache
from tree_sitter import Node, QueryCursor

from analyzers.flow.events import WriteEvent
from analyzers.flow.values import FirstRound, Origin, When
from analyzers.index import PackageIndex
from analyzers.parsing import text
from analyzers.queries import load
from analyzers.source import SourceFile

MAX_CLOSURE = 400  # past this many declarations, depend on the whole package


class FunctionCache:
    """An LRU map from a function's dependency key to its write events (thread-safe)."""

    def __init__(self, maxsize: int = 50_000) -> None:
        self._cache: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable):
        with self._lock:
            value = self._cache.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._cache[key] = value


# Facts of one top-level declaration depend on its text alone: kept by text across files
# and versions, so after an edit only the changed declaration is queried again. A re-check
# looks up a few facts for every function of the package, so a lookup is a plain dict read
# (atomic under the GIL); writes take the lock, and past `MAX_FACTS` entries the older half
# (in insertion order) is dropped.
MAX_FACTS = 200_000
_DECLARATION_FACTS: dict[tuple, object] = {}
_FACTS_LOCK = threading.Lock()
_Fact = TypeVar("_Fact")


def _store(key: tuple, value: object) -> None:
    with _FACTS_LOCK:
        if len(_DECLARATION_FACTS) >= MAX_FACTS:
            for old in list(itertools.islice(_DECLARATION_FACTS, MAX_FACTS // 2)):
                del _DECLARATION_FACTS[old]
        _DECLARATION_FACTS[key] = value


def declaration_fact(kind: str, node: Node, compute: Callable[[Node], _Fact], file: SourceFile | None = None) -> _Fact:
    """A fact about a top-level declaration (`kind` names it), cached by the declaration's text."""
    key = (kind, *(file.text_key(node) if file is not None else _text_key(node)))
    found = _DECLARATION_FACTS.get(key)
    if found is None:
        found = compute(node)
        _store(key, found)
    return found  # type: ignore[return-value]


def known_declaration_fact(kind: str, node, file: SourceFile) -> object | None:
    """The fact if it is already known, else None (nothing is computed)."""
    return _DECLARATION_FACTS.get((kind, *file.text_key(node)))


def has_declaration_fact(kind: str, node, file: SourceFile) -> bool:
    return (kind, *file.text_key(node)) in _DECLARATION_FACTS


def put_declaration_fact(kind: str, node, value, file: SourceFile) -> None:
    _store((kind, *file.text_key(node)), value)


def _text_key(node) -> tuple[int, int]:
    raw = node.text or b""
    return hash(raw), len(raw)


def _names_in(node: Node) -> frozenset[str]:
    captured = QueryCursor(load("names")).captures(node).get("name", [])
    return frozenset(text(n) for n in captured)


def _mentions(file: SourceFile) -> dict[int, frozenset[str]]:
    """Top-level declaration start byte -> the names it mentions."""
    nodes = [*file.tree.root_node.named_children, *file.functions]
    return {node.start_byte: declaration_fact("names", node, _names_in, file) for node in nodes}


class Dependencies:
    """Which declarations each function can reach by name, for one package version."""

    def __init__(self, package: PackageIndex) -> None:
        self.package = package

    @cached_property
    def declarations(self) -> dict[str, list[tuple[str, int, int]]]:
        """Name -> (path, start byte, text hash) of the declarations with that name."""
        table: dict[str, list[tuple[str, int, int]]] = {}
        for path in sorted(self.package.files):
            file = self.package.files[path]
            for node in file.tree.root_node.named_children:
                entry = (path, node.start_byte, file.text_key(node)[0])
                for name in _declared_names(node):
                    table.setdefault(name, []).append(entry)
        return table

    @cached_property
    def mentions(self) -> dict[tuple[str, int], frozenset[str]]:
        found: dict[tuple[str, int], frozenset[str]] = {}
        for path, file in self.package.files.items():
            for start, names in _mentions(file).items():
                found[(path, start)] = names
        return found

    @cached_property
    def everything(self) -> frozenset:
        return frozenset(entry for entries in self.declarations.values() for entry in entries)

    def closure_names(self, path: str, start: int) -> frozenset[str] | None:
        """The names whose declarations the one at (path, start) reaches, transitively
        (None: too many to track, depend on everything)."""
        key = (path, start)
        names: set[str] = set()
        queue = deque([key])
        visited = {key}
        while queue:
            current = queue.popleft()
            for name in self.mentions.get(current, ()):
                if name in names:
                    continue
                names.add(name)  # even with no declaration yet: adding one later must count
                entries = self.declarations.get(name)
                if not entries:
                    continue
                if name in self.package.vars:
                    names.add("init")
                    queue.extend(e[:2] for e in self.declarations.get("init", ()) if e[:2] not in visited)
                    visited.update(e[:2] for e in self.declarations.get("init", ()))
                for entry in entries:
                    if entry[:2] not in visited:
                        visited.add(entry[:2])
                        queue.append(entry[:2])
            if len(names) > MAX_CLOSURE:
                return None
        return frozenset(names)

    def fingerprint(self, names: frozenset[str] | None, own: tuple[str, int]) -> int:
        """A hash of the current declarations behind `names` (each text and place), without
        the function's own (path, text hash), which moves with it."""
        if names is None:
            return hash(self.everything)
        entries = frozenset(
            entry for name in names for entry in self.declarations.get(name, ()) if (entry[0], entry[2]) != own
        )
        return hash(entries)


def _declared_names(node) -> list[str]:
    kind = node.type
    if kind in ("function_declaration", "method_declaration"):
        name = node.child_by_field_name("name")
        return [name.text.decode("utf-8", "replace")] if name is not None else []
    names = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("type_spec", "type_alias", "var_spec", "const_spec"):
            for child in current.children_by_field_name("name"):
                names.append(child.text.decode("utf-8", "replace"))
            continue
        stack.extend(current.named_children)
    return names


def rebase_events(events: list[WriteEvent], delta: int, old_start: int, old_end: int, root: Node) -> list[WriteEvent] | None:
    """Events cached for a function that has since moved by `delta` bytes, moved with it.

    Nodes are found again in the new tree by their shifted ranges; offsets that lay inside
    the function move, those elsewhere (other declarations, which the cache key pins in
    place) stay. Descriptions name lines only through the origin's own offset (`Origin.describe`),
    so nothing else changes. None when a node cannot be found again (then the function is
    re-analysed).
    """

    def inside(offset: int) -> bool:
        return old_start <= offset < old_end

    def moved_node(node: Node) -> Node | None:
        found = root.descendant_for_byte_range(node.start_byte + delta, node.end_byte + delta)
        while found is not None and (found.type != node.type or found.start_byte != node.start_byte + delta or found.end_byte != node.end_byte + delta):
            found = found.parent if found.parent is not None and found.parent.start_byte == node.start_byte + delta else None
        return found

    def moved_origin(origin: Origin | None) -> Origin | None:
        if origin is None or not inside(origin.start):
            return origin
        return replace(origin, start=origin.start + delta, end=origin.end + delta)

    def moved_when(when: When | None) -> When | None:
        if isinstance(when, FirstRound):
            return FirstRound(when.start + delta, when.end + delta)
        return when

    rebased = []
    for event in events:
        node = moved_node(event.node)
        statement = moved_node(event.statement)
        if node is None or statement is None:
            return None
        val = replace(
            event.val,
            origin=moved_origin(event.val.origin),
            zero=moved_origin(event.val.zero),
            external=moved_origin(event.val.external),
            when=moved_when(event.val.when),
        )
        rebased.append(replace(event, node=node, statement=statement, val=val))
    return rebased
