"""Which of a package's functions and methods may write a map at all, read from their code.

A call `x.m(...)` can write a nil map only if `m`, or something it calls, writes one: a
method that only reads, locks, formats or closes leaves every map as it found it. The
prefilter counts a call of a same-package method as a write only when its name is among
these, so a function calling `t.Len()` or `t.Close()` is not interpreted for that call.

Answered by name, not by type: `x.m(...)` may be any method called `m` (an interface's, a
promoted one), so a name is a writer when any function or method of that name may write.
That over-approximates, which is the safe direction for a prefilter.
"""
from __future__ import annotations

import re

from tree_sitter import Node

from analyzers.flow.cache import code_fact, declaration_fact
from analyzers.flow.decoded import WELL_KNOWN_GETTERS
from analyzers.flow.library import writes_pointee_methods
from analyzers.flow.prefilter import writes_of
from analyzers.index import STDLIB_WRITING_METHODS, PackageIndex
from analyzers.source import SourceFile

# A library map type named as the analysis knows one (`stdlib_writes_receiver` reads a
# value's type text: `http.Header`, never an alias's `h.Header` nor another package's field).
_LIBRARY_MAP_TYPE = re.compile(rb"\b(?:" + b"|".join(re.escape(t.encode()) for t in sorted(STDLIB_WRITING_METHODS)) + rb")\b")


def library_writers(package: PackageIndex) -> frozenset[str]:
    """Names of library methods a call of which may write a map in this package: getters of
    decoded maps, methods writing through the pointer handed to them (`StringMapVar(&m)`), and
    the writing methods of the library's map types (`h.Set(k, v)`) when the package names one
    of those types: without one, no value here is known to be of one, and `wg.Add(1)` writes
    no map."""
    found = {*WELL_KNOWN_GETTERS, *writes_pointee_methods()}
    if any(file.matches(_LIBRARY_MAP_TYPE) for file in package.files.values()):
        found = found.union(*STDLIB_WRITING_METHODS.values())
    return frozenset(found)


# Bytes that cannot be in a name become spaces (parentheses and brackets are kept): the name
# before each `(` is then the last word of the text before it.
_NAMES_ONLY = bytes(b if b >= 0x80 or chr(b).isalnum() or chr(b) in "_()[]" else 0x20 for b in range(256))


def map_writing_names(package: PackageIndex, option_types: re.Pattern[bytes] | None, library: frozenset[str]) -> frozenset[str]:
    """Names of the package's functions and methods that may write a map: directly (an index
    write, a call of a library writer of `library_writers`), by applying a functional option
    that writes (one of `option_types`), or by calling, by name, one that may."""
    declarations = tuple(_declarations(package, path, file, option_types, library) for path, file in sorted(package.files.items()))
    # The server checks again at every keystroke, where most often no file's declarations
    # changed: the same lists (kept with each file's version), or equal ones (the file typed
    # in, its functions' calls as they were), give the same answer.
    global _last
    last = _last
    if last is not None and len(last[0]) == len(declarations) and all(a is b or a == b for a, b in zip(last[0], declarations, strict=True)):
        return last[1]
    writers: set[str] = set()
    pending: list[tuple[str, frozenset[str]]] = []
    for kept in declarations:
        for name, direct, called in kept:
            if direct:
                writers.add(name)
            else:
                pending.append((name, called))
    changed = True
    while changed and pending:
        changed = False
        still = []
        for name, called in pending:
            if name in writers:
                continue
            if not writers.isdisjoint(called):
                writers.add(name)
                changed = True
            else:
                still.append((name, called))
        pending = still
    found = frozenset(writers)
    _last = (declarations, found)  # (holding the lists keeps their identities unique)
    return found


# The last answer with the declaration lists it came from.
_last: tuple[tuple[list[tuple[str, bool, frozenset[str]]], ...], frozenset[str]] | None = None


def _declarations(
    package: PackageIndex, path: str, file: SourceFile, option_types: re.Pattern[bytes] | None, library: frozenset[str]
) -> list[tuple[str, bool, frozenset[str]]]:
    """(name, writes directly, names called) of each function and method declared in the file,
    kept with the file's version (a check asks of every file; after an edit one is new)."""
    memo_key = ("map-writing-declarations", option_types.pattern if option_types is not None else None, library)
    kept = file.memo.get(memo_key)
    if kept is None:
        facts = package.facts_of(path)
        kept = []
        for decl in (*facts.funcs.values(), *facts.methods.values()):
            writes, called = declaration_fact("map-writes-and-calls", decl.node, lambda n: _writes_and_calls(file, n), file)
            applies = option_types is not None and option_types.search(decl.node.text or b"") is not None
            kept.append((decl.name, writes or applies or not library.isdisjoint(called), called))
        file.memo[memo_key] = kept
    return kept


def _writes_and_calls(file: SourceFile, node: Node) -> tuple[bool, frozenset[str]]:
    """Whether the declaration's code writes into an index itself, and the names it calls (read
    from its text: a name in a comment only adds a name)."""
    called = frozenset(_called_names(node.text or b""))
    return any(not method for _, method in code_fact("writes", node, writes_of, file)), called


def _called_names(source: bytes) -> set[str]:
    """The names written before each `(` of a text (`f(`, `x.f(`, `f[T](`; a keyword or a
    conversion too, which only adds names). Read back from each parenthesis: a pattern tried at
    every byte of every declaration cost more than the rest of this module."""
    found: set[bytes] = set()
    for before in source.translate(_NAMES_ONLY).split(b"(")[:-1]:
        tail = before[-80:].rstrip()
        if tail.endswith(b"]"):  # `f[T](`: an explicit instantiation
            tail = tail[: tail.rfind(b"[")].rstrip()
        found.add(tail.rpartition(b" ")[2].rpartition(b"[")[2].rpartition(b"]")[2])
    return {word.decode("utf-8", "replace") for word in found if word and not word[:1].isdigit()}
