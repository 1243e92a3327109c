"""What same-package functions return, kept across checks for the language server.

A function's result (`PackageFlow.function_result`) is computed by interpreting the function,
which reads what the function's own analysis reads: its text, the declarations it reaches by
name, and the package facts in the per-function cache's key. It is kept under the same key and
checked with the same fingerprint (`cache.Dependencies`: the reached declarations' tokens, so
a comment typed anywhere changes nothing; of a struct, what the function observes: `cache.Closure`). A kept result's origins move with the declarations
they lie in, as a cached function's events do. Results a recursion guard reached
(`answer_order`) are never kept: another check could compute them in another order.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import replace

from analyzers.flow.cache import Dependencies, FunctionCache, Relocation, Spans, code_hash
from analyzers.flow.facts import FunctionResult
from analyzers.flow.values import Origin, Val
from analyzers.index import FuncDecl, PackageIndex

PACKAGE_WIDE = ("package-wide",)  # the facts part of a key that depends on every declaration


class ResultStore:
    """Function results of one package check, looked up in and kept to a `FunctionCache`."""

    def __init__(self, cache: FunctionCache, dependencies: Dependencies) -> None:
        self._cache = cache
        self._dependencies = dependencies

    @property
    def package(self) -> PackageIndex:
        return self._dependencies.package

    def key(self, decl: FuncDecl, question: Hashable, facts: Hashable) -> tuple | None:
        """The key of a result: the function's file and text first (the server drops the keys of
        texts gone from their file), then what was asked and the package facts it depends on."""
        file = self.package.files.get(decl.path)
        if file is None:
            return None
        return (decl.path, *file.text_key(decl.node), "function-result", question, facts)

    def get(self, key: tuple, decl: FuncDecl) -> tuple[bool, FunctionResult | None]:
        """(found, the result placed in the current files); (False, None) when none is valid."""
        found, result = self._valid(key, decl)
        if found:
            self._cache.summary_hits += 1
        else:
            self._cache.summary_misses += 1
        return found, result

    def _valid(self, key: tuple, decl: FuncDecl) -> tuple[bool, FunctionResult | None]:
        kept = self._cache.get_summary(key)
        if kept is None:
            return False, None
        closure, fingerprint, then, result = kept
        if self._dependencies.fingerprint(closure, self._own(decl)) != fingerprint:
            return False, None
        if result is None:
            return True, None
        placed = self._placed_again(then, result)
        return (placed is not None), placed

    def put(self, key: tuple, decl: FuncDecl, result: FunctionResult | None, package_wide: bool = False) -> None:
        """Keep a result; `package_wide`: it depends on every declaration of the package (it was
        computed for the package facts of the key, before they were known)."""
        dependencies = self._dependencies
        closure = None if package_wide else dependencies.closure(decl.path, decl.node.start_byte)
        paths = {decl.path} | ({origin.path for origin in _origins(result)} if result is not None else set())
        then = {path: dependencies.spans(path) for path in paths}
        self._cache.put_summary(key, (closure, dependencies.fingerprint(closure, self._own(decl)), then, result))

    def _own(self, decl: FuncDecl) -> tuple[str, int]:
        return (decl.path, code_hash(decl.node, self.package.files[decl.path]))

    def _placed_again(self, then: dict[str, Spans | None], result: FunctionResult) -> FunctionResult | None:
        ours = {path: spans for path, spans in then.items() if spans is not None}  # None: another package's file
        dependencies = self._dependencies
        if all((now := dependencies.spans(path)) is not None and now.digest == spans.digest for path, spans in ours.items()):
            return result
        relocation = dependencies.relocation(ours)
        return _relocated(result, relocation) if relocation is not None else None


def _vals(result: FunctionResult) -> Iterator[Val]:
    yield result.val
    yield from result.children.values()


def _origins(result: FunctionResult) -> Iterator[Origin]:
    for val in _vals(result):
        for origin in (val.origin, val.zero, val.external):
            if origin is not None:
                yield origin


class _Gone(Exception):
    """An origin whose declaration is no longer there, or a value that cannot be moved."""


def _relocated(result: FunctionResult, relocation: Relocation) -> FunctionResult | None:
    """The result with its origins moved with their declarations; None when one cannot be.

    A value carrying a condition or a loop round (offsets and local names of the function it
    came from) or a related value is not moved: the function is interpreted again."""

    def moved_origin(origin: Origin | None) -> Origin | None:
        if origin is None:
            return None
        start = relocation.offset(origin.path, origin.start)
        if start is None:
            raise _Gone
        others = []
        for path, at, end in origin.others:
            moved_at = relocation.offset(path, at)
            if moved_at is None:
                raise _Gone
            others.append((path, moved_at, moved_at + (end - at)))
        return replace(origin, start=start, end=start + (origin.end - origin.start), others=tuple(others))

    def moved(val: Val) -> Val:
        if val.when is not None or val.related is not None:
            raise _Gone
        if val.origin is None and val.zero is None and val.external is None:
            return val
        return replace(val, origin=moved_origin(val.origin), zero=moved_origin(val.zero), external=moved_origin(val.external))

    try:
        return replace(result, val=moved(result.val), children={key: moved(val) for key, val in result.children.items()})
    except _Gone:
        return None
