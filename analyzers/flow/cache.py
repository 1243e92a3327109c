"""Per-function results kept across checks, for the language server.

An edit usually changes one function. The flow analysis of another function F depends on
F's own text and position, and on the declarations it can reach by name: the functions and
methods it calls (whose summaries it uses), the types and package variables it mentions,
transitively, and `init()` when it mentions a package variable. A result is reused only
when all of those are unchanged, so an edit re-analyses just the functions that depend on
what changed. Over-approximating by name (every method called `Add`, whatever its
receiver) keeps this sound without a type checker.

Of a struct type, F depends on what it can observe (`Closure`): the fields its code names
(`x.f`, `T{f: v}`), every field's type and tag (whether the struct holds a map, is decoded,
embeds another), the embedded fields whole (promotion goes through them by their type's
name), and the type's name and parameters; not the names of the fields no code it reaches
names, so renaming one of those re-analyses nothing. A struct it builds with a composite
literal it observes whole: a positional literal sets the fields by their place.

What a declaration reaches is compared by text, not by place: typing in one function moves
every declaration below it, and that must not invalidate the functions that reach them.
The offsets a cached result holds (its nodes, the origins of its nils, the writes of its
callees) are moved with the declarations they lie in (`Relocation`); a result whose offsets
cannot all be placed again is analysed afresh.
"""
from __future__ import annotations

import itertools
import sys
import threading
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from cachetools import LRUCache
from tree_sitter import Node, QueryCursor

from analyzers.gotext import without_comments
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
        self.stale = 0  # hits whose result no longer held (what it reaches changed) and was computed again
        self.summary_hits = 0
        self.summary_misses = 0
        # Each package's last check, to check cached results again cheaply (a
        # `rechecks.LastChecks`, which reads this module's types: made by the analysis).
        self.checks: Any = None
        # The results each file's functions were served at its package's last check
        # (`file_results.FileResults`), by path: a file that did not change is served whole.
        self._files: dict[str, Any] = {}

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

    def file_results(self, path: str) -> Any:
        """The results `path`'s functions were last served together (None: none kept)."""
        return self._files.get(path)

    def keep_file_results(self, path: str, results: Any) -> None:
        self._files[path] = results

    def forget_file_results(self, path: str | None = None) -> None:
        """Drop the results kept together for `path`, or for every file: they are served
        without a lookup, so whatever drops the functions' entries drops them too."""
        if path is None:
            self._files.clear()
        else:
            self._files.pop(path, None)

    def served_together(self, count: int) -> None:
        """Count functions served with their file's results as hits (no lookup was made; a
        statistic, counted without the lock as `stale` is)."""
        self.hits += count

    def get_summary(self, key: Hashable):
        """A package-level answer kept by the same kind of key (`result_store`), which counts
        its own hits (`summary_hits`: served, `summary_misses`: computed)."""
        with self._lock:
            return self._cache.get(key)

    def put_summary(self, key: Hashable, value) -> None:
        self.put(key, value)


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
    return _fact((kind, *(file.text_key(node) if file is not None else _text_key(node))), node, compute)


def code_fact(kind: str, node: Node, compute: Callable[[Node], _Fact], file: SourceFile | None = None) -> _Fact:
    """A fact about a declaration's code, not its comments, cached by its code
    (`SourceFile.code_key`): `compute` must read nothing a comment holds (the tree's nodes
    other than comments, or `SourceFile.code`)."""
    return _fact((kind, *(file.code_key(node) if file is not None else _code_key(node))), node, compute)


def _fact(key: tuple, node: Node, compute: Callable[[Node], _Fact]) -> _Fact:
    found = _DECLARATION_FACTS.get(key)
    if found is None:
        found = compute(node)
        _store(key, found)
    return found  # type: ignore[return-value]


def known_code_fact(kind: str, node: Node, file: SourceFile) -> object | None:
    """The code fact if it is already known, else None (nothing is computed)."""
    return _DECLARATION_FACTS.get((kind, *file.code_key(node)))


def has_code_fact(kind: str, node: Node, file: SourceFile) -> bool:
    return (kind, *file.code_key(node)) in _DECLARATION_FACTS


def put_code_fact(kind: str, node: Node, value: object, file: SourceFile) -> None:
    _store((kind, *file.code_key(node)), value)


def _code_key(node: Node) -> tuple[int, int]:
    code = without_comments(node.text or b"")
    return hash(code), len(code)


def forget_declaration_facts() -> None:
    """Drop every declaration fact: the command line checks each package once, and facts kept
    by text would otherwise outlive their package for the rest of the run."""
    with _FACTS_LOCK:
        _DECLARATION_FACTS.clear()


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


def _leaves(node: Node) -> Iterator[tuple[Node, str | None]]:
    """A declaration's tokens in order, comments left out, each with its field name in its parent."""
    cursor = node.walk()
    while True:
        current = cursor.node
        if current is not None and current.type == "comment":
            pass
        elif current is not None and current.child_count == 0:
            yield current, cursor.field_name
        elif cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


def _code_hash(node: Node) -> int:
    """A hash of a declaration's tokens, without its comments and the spaces between tokens:
    what a function reaching it by name depends on (a comment or a blank line typed in a
    callee changes nothing a caller's analysis reads)."""
    return hash(tuple(leaf.text or b"" for leaf, _ in _leaves(node)))


def code_hash(node: Node, file: SourceFile) -> int:
    return declaration_fact("code-hash", node, _code_hash, file)


def _names_in(node: Node) -> frozenset[str]:
    captured = QueryCursor(load("names")).captures(node).get("name", [])
    return frozenset(text(n) for n in captured)


def _field_names_in(node: Node) -> frozenset[str]:
    """The field names a type declaration's struct types declare (none for other declarations)."""
    if node.type != "type_declaration":
        return frozenset()
    return frozenset(text(n) for n in QueryCursor(load("field_names")).captures(node).get("field", []))


def _literal_types_in(node: Node) -> frozenset[str]:
    """The names in the types of a declaration's composite literals (`T` of `&T{...}`, of
    `[]T{...}`, of `map[K]T{...}`): the types it builds."""
    found: set[str] = set()
    for type_node in QueryCursor(load("composite_literals")).captures(node).get("literal.type", []):
        if type_node.type == "type_identifier":
            found.add(text(type_node))
        else:
            found |= _names_in(type_node)
    return frozenset(found)


def _struct_tokens(node: Node) -> tuple[tuple[bytes, ...], tuple[tuple[int, str], ...]]:
    """A type declaration's tokens (as `_code_hash` reads them) and, for each field name among
    them, (its place in the tokens, the name)."""
    tokens: list[bytes] = []
    names: list[tuple[int, str]] = []
    for leaf, field in _leaves(node):
        raw = leaf.text or b""
        if leaf.type == "field_identifier" and field == "name" and leaf.parent is not None and leaf.parent.type == "field_declaration":
            names.append((len(tokens), raw.decode("utf-8", "replace")))
        tokens.append(raw)
    return tuple(tokens), tuple(names)


def _struct_view(node: Node, file: SourceFile, seen: frozenset[str]) -> int:
    """A hash of a type declaration's tokens with the field names not in `seen` left out (each
    one's place kept: a field added or removed still counts)."""
    tokens, names = declaration_fact("struct-tokens", node, _struct_tokens, file)
    shown = list(tokens)
    for at, name in names:
        if name not in seen:
            shown[at] = b""
    return hash(tuple(shown))


def shape_hash(node: Node, file: SourceFile) -> int:
    """A declaration's tokens with the names of its struct fields left out: what a question
    about the package's types that names no field (is this a map, does this struct hold one,
    is it decoded) reads of a type declaration."""
    if node.type != "type_declaration":
        return code_hash(node, file)
    return declaration_fact("shape-hash", node, lambda n: _struct_view(n, file, frozenset()), file)


def type_shapes(file: SourceFile) -> frozenset[tuple[str, int]]:
    """(kind, `shape_hash`) of a file's type and import declarations, kept with its version:
    every check reads them for every file of the package."""
    found = file.memo.get("type-shapes")
    if found is None:
        found = file.memo["type-shapes"] = frozenset(
            (node.type, shape_hash(node, file)) for node in file.tree.root_node.named_children if node.type in ("type_declaration", "import_declaration")
        )
    return found


def placed_fact(kind: str, node: Node, compute: Callable[[Node], _Fact], file: SourceFile | None, by_text: bool = True) -> _Fact:
    """`declaration_fact`, looked up first among the answers kept with the file's version by
    the declaration's place: a check asks of every declaration of the package, and after an
    edit only the edited file is new. Without `by_text`, a fact cheaper to compute than to
    look up by text is computed when its place is new."""
    if file is None:
        return declaration_fact(kind, node, compute, file) if by_text else compute(node)
    table = file.memo.get(("placed", kind))
    if table is None:
        table = file.memo[("placed", kind)] = {}
    place = (node.start_byte, node.end_byte)  # (one text in this version of the file)
    found = table.get(place)
    if found is None:
        found = table[place] = declaration_fact(kind, node, compute, file) if by_text else compute(node)
    return found


def placed_keys(package: PackageIndex, kind: str, attribute: str, compute: Callable[[Any], bool], by_text: bool = True) -> set:
    """The keys of the package's `attribute` (`funcs` or `methods`) whose declaration `compute`
    holds for (`declaration_fact` of `kind`, or computed without `by_text`). Gathered per file and kept with each file's version: a
    check asks of every declaration of the package, and after an edit only the edited file is
    new, so the other files' keys are read, not their declarations asked one by one."""
    merged = getattr(package, attribute)
    found: set = set()
    memo_key = ("placed-keys", kind, attribute)
    for path, file in package.files.items():
        keys = file.memo.get(memo_key)
        if keys is None:
            keys = file.memo[memo_key] = _keys_holding(kind, getattr(package.facts_of(path), attribute), compute, file, by_text)
        if keys:  # (most files hold none of a kind)
            declared = getattr(package.facts_of(path), attribute)
            # (a name declared again in a later file is that file's declaration: `PackageIndex._merge`)
            found.update([key for key in keys if merged.get(key) is declared[key]])
    return found


def _keys_holding(kind: str, declared: dict, compute: Callable[[Any], bool], file: SourceFile, by_text: bool) -> frozenset:
    """The keys of `declared` (of one file version) whose declaration `compute` holds for, by
    text (`declaration_fact`) or computed. Not through `placed_fact`: the keys are kept with
    the file's version, so its table by place would be read once, for nothing; and every
    declaration of an edited file is asked here at every check (four kinds of answers)."""
    found = []
    for key, decl in declared.items():
        if compute(decl) if not by_text else declaration_fact(kind, decl.node, lambda _: compute(decl), file):  # noqa: B023  (called at once)
            found.append(key)
    return frozenset(found)


def _declarations_at(file: SourceFile) -> dict[int, list[Node]]:
    """Start byte -> the top-level declarations starting there (a function recovered from an
    ERROR node after that node), kept with the file version."""
    found = file.memo.get("declarations-at")
    if found is None:
        found = file.memo["declarations-at"] = {}
        for node in (*file.tree.root_node.named_children, *file.functions):
            found.setdefault(node.start_byte, []).append(node)
    return found


@dataclass(frozen=True)
class Closure:
    """What a function's analysis can read of the package: the declarations of `names`, and of
    the struct types among them the fields it can observe."""

    names: frozenset[str]  # the names whose declarations it reaches, transitively
    unseen: frozenset[str]  # names of `names` that only struct declarations mention (as field names, or types):
    # it observes a struct's field when the field's name is in `names` and not in `unseen`
    built: frozenset[str]  # types it builds with a composite literal: every field of theirs is observed


class Dependencies:
    """Which declarations each function can reach by name, for one package version."""

    def __init__(self, package: PackageIndex) -> None:
        self.package = package
        self.previous: Dependencies | None = None  # the package's last check, when known: `declarations` starts from its
        self._spans: dict[str, Spans] = {}
        self._moves: dict[tuple[str, int, int], Moves] = {}
        self._views: dict[tuple[str, int, frozenset[str]], int] = {}
        self._by_name: dict[str, tuple[frozenset[tuple[str, int]], int, tuple[tuple[str, int, int, frozenset[str]], ...]]] = {}
        self._struct_digests: dict[tuple[str, int, bool, frozenset[str]], int] = {}
        self._mentions: dict[tuple[str, int], frozenset[str]] = {}
        self._literal_types: dict[tuple[str, int], frozenset[str]] = {}

    @cached_property
    def declarations(self) -> dict[str, list[tuple[str, int, int]]]:
        """Name -> (path, start byte, text hash) of the declarations with that name (in the order
        of the paths, then of the text)."""
        before, self.previous = self.previous, None
        if before is not None and "declarations" in before.__dict__:
            return self._declarations_after(before)
        table: dict[str, list[tuple[str, int, int]]] = {}
        for path in sorted(self.package.files):
            for name, entry in _declarations_of(self.package.files[path]):
                table.setdefault(name, []).append(entry)
        return table

    def _declarations_after(self, before: Dependencies) -> dict[str, list[tuple[str, int, int]]]:
        """`declarations` from those of an earlier version of the package, with the names the
        changed files declare (then or now) listed again: after an edit, one file's."""
        now, then = self.package.files, before.package.files
        changed = {path for path in now.keys() | then.keys() if now.get(path) is not then.get(path)}
        if not changed:
            return before.declarations
        table = dict(before.declarations)  # (its lists are replaced, never changed)
        declared: dict[str, list[tuple[str, int, int]]] = {}
        for path in sorted(changed):
            for name, _ in _declarations_of(then[path]) if path in then else ():
                declared.setdefault(name, [])
            for name, entry in _declarations_of(now[path]) if path in now else ():
                declared.setdefault(name, []).append(entry)
        for name, entries in declared.items():
            kept = [entry for entry in table.get(name, ()) if entry[0] not in changed]
            # (`entries` are in the order of the paths already: a name only the changed files
            # declare, as every name of a one-file package, is not sorted again)
            listed = sorted(kept + entries, key=lambda entry: entry[0]) if kept else entries
            if listed:
                table[name] = listed
            else:
                table.pop(name, None)
        return table

    def mentions(self, key: tuple[str, int]) -> frozenset[str]:
        """The names the declaration at (path, start) mentions: asked only of the declarations a
        closure reaches (the last one starting there, as a recovered function after its ERROR node)."""
        found = self._mentions.get(key)
        if found is None:
            file = self.package.files.get(key[0])
            nodes = _declarations_at(file).get(key[1]) if file is not None else None
            found = self._mentions[key] = declaration_fact("names", nodes[-1], _names_in, file) if nodes else frozenset()
        return found

    @cached_property
    def struct_fields(self) -> dict[tuple[str, int], frozenset[str]]:
        """(path, start) of each type declaration declaring struct fields -> their names."""
        found: dict[tuple[str, int], frozenset[str]] = {}
        for file in self.package.files.values():
            declared = _struct_fields_of(file)
            if declared:
                found.update(declared)
        return found

    def literal_types(self, key: tuple[str, int]) -> frozenset[str]:
        """The names in the types of the composite literals of the declaration at (path, start)
        (of the last one starting there that builds any)."""
        found = self._literal_types.get(key)
        if found is None:
            found = frozenset()
            file = self.package.files.get(key[0])
            for node in (_declarations_at(file).get(key[1]) or ()) if file is not None else ():
                found = declaration_fact("literal-types", node, _literal_types_in, file) or found
            self._literal_types[key] = found
        return found


    @cached_property
    def everything(self) -> frozenset:
        return frozenset(entry for entries in self.declarations.values() for entry in entries)

    def closure(self, path: str, start: int) -> Closure | None:
        """What the declaration at (path, start) reaches, transitively (None: too many names to
        track, depend on everything)."""
        key = (path, start)
        names: set[str] = set()
        observed: set[str] = set()  # mentioned by a declaration as something else than a field name
        built: set[str] = set()
        queue = deque([key])
        visited = {key}
        while queue:
            current = queue.popleft()
            mentioned = self.mentions(current)
            fields = self.struct_fields.get(current)
            observed |= mentioned - fields if fields is not None else mentioned
            built |= self.literal_types(current)
            for name in mentioned:
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
        return Closure(frozenset(names), frozenset(names - observed), self._built(built) & names)

    def _built(self, literal_types: set[str]) -> frozenset[str]:
        """The types built by literals of `literal_types`: with the types named in the declarations
        of the non-struct ones, whose literals' elements may be structs with their types left
        out (`Items{{"a", m}}` of `type Items []Item`)."""
        found = set(literal_types)
        queue = [name for name in found if name in self.package.named_types and name not in self.package.structs]
        while queue:
            for entry in self.declarations.get(queue.pop(), ()):
                for name in self.mentions(entry[:2]):
                    if name not in found:
                        found.add(name)
                        if name in self.package.named_types and name not in self.package.structs:
                            queue.append(name)
        return frozenset(found)

    @cached_property
    def texts(self) -> frozenset[tuple[str, int]]:
        return frozenset((entry[0], entry[2]) for entries in self.declarations.values() for entry in entries)

    def fingerprint(self, closure: Closure | None, own: tuple[str, int]) -> int:
        """A hash of the current declarations a closure reaches: each one's file and tokens, not
        its place (the offsets of a result move with them), without the function's own; of a
        struct it does not build, what it can observe (`Closure`). Made of one digest per name,
        computed once per check: a check asks for the same names for every function."""
        if closure is None:
            return hash(self.texts)
        return hash(frozenset(self.name_digest(name, closure, own) for name in closure.names))

    def name_digest(self, name: str, closure: Closure, own: tuple[str, int]) -> int:
        """The part of `fingerprint` that the declarations of one name make."""
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = self._entries_named(name)
        plain, digest, structs = found
        if own in plain:
            digest = hash(plain - {own})
        if structs:
            digest = self._struct_digest(name, digest, structs, closure)
        return digest

    def declared(self, name: str) -> tuple[frozenset[tuple[str, int]], frozenset[str]]:
        """The declarations of `name` that declare no struct fields, as (path, tokens hash), and
        the field names of those that do."""
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = self._entries_named(name)
        return found[0], frozenset(field for _, _, _, fields in found[2] for field in fields)

    def _struct_digest(self, name: str, digest: int, structs: tuple[tuple[str, int, int, frozenset[str]], ...], closure: Closure) -> int:
        """`digest` with what the closure observes of the struct declarations of `name`: each one
        whole when it builds the type, else with the fields it does not observe left out. Kept
        by what it observes: every method of a type observes much the same of it."""
        built = name in closure.built
        observed = frozenset() if built else (frozenset().union(*(fields for _, _, _, fields in structs)) & closure.names) - closure.unseen
        key = (name, digest, built, observed)
        found = self._struct_digests.get(key)
        if found is None:
            views = frozenset((path, tokens if built else self._view(path, start, fields & observed)) for path, start, tokens, fields in structs)
            found = self._struct_digests[key] = hash((digest, views))
        return found

    def changed_since(self, before: Dependencies) -> frozenset[str]:
        """The names whose declarations differ in text from those of `before` (an earlier version
        of the package; those whose tokens differ are among them): a fingerprint that held then
        and reaches none of them holds now. Only the files that changed are read: a name's
        declarations elsewhere are the same."""
        now, then = self.package.files, before.package.files
        differ: set[str] = set()
        for path in now.keys() | then.keys():
            new, old = now.get(path), then.get(path)
            if new is old:
                continue
            declared_now = _declared_texts(new) if new is not None else Counter()
            declared_then = _declared_texts(old) if old is not None else Counter()
            if declared_now != declared_then:
                differ.update(name for name, _ in declared_now.keys() ^ declared_then.keys())
                differ.update(name for name, digest in declared_now.keys() & declared_then.keys() if declared_now[(name, digest)] != declared_then[(name, digest)])
        return frozenset(differ)

    def _entries_named(self, name: str) -> tuple[frozenset[tuple[str, int]], int, tuple[tuple[str, int, int, frozenset[str]], ...]]:
        """The declarations of `name` as (path, tokens hash) and their digest, and apart those
        declaring struct fields, (path, start, tokens hash, field names)."""
        plain = set()
        structs = []
        for path, start, digest in self.declarations.get(name, ()):
            fields = self.struct_fields.get((path, start))
            if fields is None:
                plain.add((path, digest))
            else:
                structs.append((path, start, digest, fields))
        return frozenset(plain), hash(frozenset(plain)), tuple(structs)

    def _view(self, path: str, start: int, seen: frozenset[str]) -> int:
        key = (path, start, seen)
        found = self._views.get(key)
        if found is None:
            file = self.package.files[path]
            node = next(node for node in _declarations_at(file)[start] if node.type == "type_declaration")
            found = self._views[key] = _struct_view(node, file, seen)
        return found

    def spans(self, path: str) -> Spans | None:
        """Where the top-level declarations of a file of the package are now (None: no such file)."""
        found = self._spans.get(path)
        if found is None and path in self.package.files:
            file = self.package.files[path]
            found = self._spans[path] = Spans.of(file)
        return found

    def relocation(self, then: dict[str, Spans]) -> Relocation | None:
        """How offsets of the files in `then` (as they were) map to the files now; None when a
        declaration they lie in is gone or cannot be told apart."""
        moves: dict[str, Moves] = {}
        for path, old in then.items():
            now = self.spans(path)
            if now is None:
                return None
            found = self._moves.get((path, old.digest, now.digest))
            if found is None:
                found = self._moves[(path, old.digest, now.digest)] = old.moves_to(now)
            moves[path] = found
        return Relocation(moves)


class Spans:
    """A file's top-level declarations as (start, end, text hash), in order."""

    __slots__ = ("entries", "digest")

    def __init__(self, entries: tuple[tuple[int, int, int], ...]) -> None:
        self.entries = entries
        self.digest = hash(entries)

    @classmethod
    def of(cls, file: SourceFile) -> Spans:
        """The spans of a file version, kept with it: every check asks of every file of the package."""
        found = file.memo.get("spans")
        if found is None:
            found = file.memo["spans"] = cls(tuple((node.start_byte, node.end_byte, file.text_key(node)[0]) for node in file.tree.root_node.named_children))
        return found

    def moves_to(self, now: Spans) -> Moves:
        """(old start, old end, delta) for each declaration that is in both, found by its text:
        the n-th declaration of a text then is the n-th of that text now."""
        places: dict[int, list[int]] = {}
        for start, _, digest in now.entries:
            places.setdefault(digest, []).append(start)
        seen: dict[int, int] = {}
        moves = []
        unmoved_until: int | None = None
        for start, end, digest in self.entries:
            index = seen.get(digest, 0)
            seen[digest] = index + 1
            candidates = places.get(digest, [])
            if index < len(candidates):
                moves.append((start, end, candidates[index] - start))
            if unmoved_until is None and (index >= len(candidates) or candidates[index] != start):
                unmoved_until = start
        return Moves(moves, unmoved_until if unmoved_until is not None else sys.maxsize)


class Moves:
    """How a file's declarations moved: (old start, old end, delta), by old start."""

    __slots__ = ("entries", "starts", "unmoved_until")

    def __init__(self, entries: list[tuple[int, int, int]], unmoved_until: int = sys.maxsize) -> None:
        self.entries = entries
        self.starts = [start for start, _, _ in entries]
        self.unmoved_until = unmoved_until  # every declaration starting before this one is where it was


class Relocation:
    """Offsets of cached results, moved with the declarations they lie in."""

    def __init__(self, moves: dict[str, Moves]) -> None:
        self._moves = moves

    def moves(self, path: str) -> Moves | None:
        """How the declarations of `path` moved (None: a file of another package)."""
        return self._moves.get(path)

    def unmoved_below(self, extent: dict[str, int]) -> bool:
        """Whether every offset up to `extent` (path -> the largest) lies where it was."""
        for path, largest in extent.items():
            moves = self._moves.get(path)
            if moves is not None and largest >= moves.unmoved_until:
                return False
        return True

    def offset(self, path: str, offset: int) -> int | None:
        """Where `offset` of `path` is now; None when its declaration is gone. A file of another
        package is not followed here: its offsets stay, as they did before places were followed."""
        moves = self._moves.get(path)
        if moves is None:
            return offset
        at = bisect_right(moves.starts, offset) - 1
        if at < 0:
            return None
        start, end, delta = moves.entries[at]
        return offset + delta if start <= offset < end else None


def _struct_fields_of(file: SourceFile) -> dict[tuple[str, int], frozenset[str]]:
    """(path, start) of each type declaration of a file version declaring struct fields -> their
    names, kept with it: every check reads them for every file of the package."""
    found = file.memo.get("struct-fields")
    if found is None:
        found = file.memo["struct-fields"] = {}
        for node in file.tree.root_node.named_children:
            if node.type == "type_declaration":
                fields = declaration_fact("field-names", node, _field_names_in, file)
                if fields:
                    found[(file.path, node.start_byte)] = fields
    return found


def _declarations_of(file: SourceFile) -> list[tuple[str, tuple[str, int, int]]]:
    """(name, (path, start byte, tokens hash)) of each top-level declaration of a file version,
    kept with it: every check reads them for every file of the package."""
    found = file.memo.get("declarations")
    if found is None:
        found = file.memo["declarations"] = [
            (name, (file.path, node.start_byte, code_hash(node, file))) for node, names in _named_declarations(file) for name in names
        ]
    return found


def _declared_texts(file: SourceFile) -> Counter[tuple[str, int]]:
    """How many top-level declarations of a file version declare each (name, text hash), kept
    with it: what `Dependencies.changed_since` compares of a file that changed. By text, not by
    tokens (`code_hash`): hashing the tokens of a long function typed in costs more than the
    digests a comment typed makes compared again."""
    found = file.memo.get("declared-texts")
    if found is None:
        found = file.memo["declared-texts"] = Counter((name, file.text_key(node)[0]) for node, names in _named_declarations(file) for name in names)
    return found


def _named_declarations(file: SourceFile) -> list[tuple[Node, list[str]]]:
    """Each top-level declaration of a file version with the names it declares, kept with it:
    both tables above read them, once per version of an edited file."""
    found = file.memo.get("named-declarations")
    if found is None:
        found = file.memo["named-declarations"] = [(node, _declared_names(node)) for node in file.tree.root_node.named_children]
    return found


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
