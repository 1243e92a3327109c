"""Access paths: what the environment maps to values (`m`, `s.f`, `m[k]`, `pkgVar.f`).

A path is a tuple: a root, then steps. The root is a `Local` (a variable of the function,
keyed by its name and where it is declared, so shadowed names stay apart) or a `Global` (a
package-level variable). A step is `("f", name)` for a field, `("i", text)` for an index,
the index expression's text normalised, and `DEREF` for what a pointer to a map (or to any
other non-struct) points to: `p` and `*p` are different values, and `p == nil` says nothing
of `*p`. A pointer to a struct needs no such step: Go reaches `p.f` through it implicitly,
and `(*p).f` is the same path as `p.f`.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, is_, itemgetter
from typing import TypeVar

FIELD = "f"
INDEX = "i"
DEREF_KIND = "*"

Step = tuple[str, str]


class Local(str):
    """A variable of the function being run: `name@offset` of its declaration.

    Roots are strings so that a path, a tuple of strings and string pairs, is hashed and
    compared without a call into Python: the environment is a dict keyed by paths, and the
    interpreter looks paths up millions of times. A local's key holds an `@`, a package
    variable's name never does, so the two are never equal."""

    __slots__ = ()

    @property
    def key(self) -> str:
        return str(self[:])

    def __repr__(self) -> str:
        return f"Local(key={str.__repr__(self)})"


class Global(str):
    """A package-level variable (a string, as `Local` is)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return str(self[:])

    def __repr__(self) -> str:
        return f"Global(name={str.__repr__(self)})"


@dataclass(frozen=True, slots=True)
class Panicked:
    """The environment's marker for a path that has certainly panicked."""


@dataclass(frozen=True, slots=True)
class Reached:
    """The environment's record, when summarising, of the conditions under which this point
    of the function is reached (its value's `when`)."""


class Relation(tuple):
    """The environment's key for a fact relating a path to others (kept in the value's
    `related`), so facts are as path-sensitive as values: an alias (`m := t.m`), the map a value
    was read from, what a comma-ok's `ok` tells, the condition a boolean holds.

    A tuple (kind, of), as roots are strings: a dataclass's `__hash__` and `__eq__` are Python
    calls, made at every lookup of a fact's key and for each fact at every join of two
    environments. A root is never a plain tuple, so no path's root equals one by accident."""

    __slots__ = ()

    def __new__(cls, kind: str, of: tuple) -> Relation:
        return tuple.__new__(cls, (kind, of))

    # (read by the environment's scans for every fact: a C getter, not a Python property)
    kind: str = property(itemgetter(0))  # type: ignore[assignment]
    of: tuple = property(itemgetter(1))  # type: ignore[assignment]

    def __getnewargs__(self) -> tuple[str, tuple]:
        return (self[0], self[1])

    def __repr__(self) -> str:
        return f"Relation(kind={self[0]!r}, of={self[1]!r})"


ALIAS = "alias"  # a local copy of a map field -> the field
READ_FROM = "read-from"  # a local holding a value read from a map (or filled from one) -> that map
FOUND = "found"  # the `ok` of `v, ok := m[k]` -> (v, m[k])
HOLDS = "holds"  # a boolean local -> the id of the condition it was set to
# A map written while nothing was known of it -> the key of that write's event. Unlike the
# others this fact is kept where paths meet if it holds on either: the write ran on some
# path, and a nil comparison reached from it shows the code expects the map may be nil.
WRITTEN = "written"
# A map compared with nil (or with its length) -> True. Kept, as WRITTEN is, where it holds on
# either path: a later write follows a check, and the check's own branches say what they know.
CHECKED = "checked"
# A struct pointer copied to a name the flow does not follow as the same pointer (`cp :=
# reg`) -> the original's path: a field set through either is unknown through the other.
PARTNER = "partner"
CLONE_OF = "clone-of"  # `c := maps.Clone(m)` -> m: c is nil exactly when m is
# A range value -> the element it copies (`for i, v := range X`: v is X[i] as the round
# began), until either is stored: a nil test of `v.f` is then one of `X[i].f`.
RANGE_COPY = "range-copy"
RANGE_DIVERGED = "range-diverged"  # a path under a range value stored since: no longer the element's
# A pointer to a struct whose field was read (`p.f`) on every path since it was last
# assigned -> True: it is not nil there, or that read would have panicked.
DEREFERENCED = "dereferenced"
MAY_FACTS = frozenset({WRITTEN, CHECKED})  # facts kept where paths meet if either path holds them

Root = Local | Global | Panicked | Reached | Relation
_ROOT = itemgetter(0)  # a path's root
_V = TypeVar("_V")
Path = tuple  # (Root, *Step)

PANICKED: Path = (Panicked(),)
REACHED: Path = (Reached(),)
DEREF: Step = (DEREF_KIND, "")

_CONSTANT = re.compile(r'^(?:"(?:[^"\\]|\\.)*"|`[^`]*`|-?[0-9][0-9_xXa-fA-F.]*|\'(?:[^\'\\]|\\.)+\')$')
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_constant_key(key: str) -> bool:
    """Whether an index's text is a literal (`"a"`, `3`, `'x'`), the same key wherever it is."""
    return bool(_CONSTANT.match(key))


def field_step(name: str) -> Step:
    return (FIELD, name)


def index_step(key: str) -> Step:
    return (INDEX, key)


def is_global(path: Path) -> bool:
    return isinstance(path[0], Global)


def below(path: Path, prefix: Path) -> bool:
    """Whether `path` lies strictly under `prefix` (`s.f.g` under `s.f`)."""
    return len(path) > len(prefix) and path[: len(prefix)] == prefix


def keys_below(keys: Collection[Path], prefix: Path) -> list[Path]:
    """The paths of `keys` that lie strictly under `prefix`, as `below` tells, in one pass:
    the interpreter scans the environment for them on most assignments and calls. The keys
    of the prefix's root are picked by C code (a Python step per key of the environment was
    most of the scan's time), and only those few are tested in full."""
    size = len(prefix)
    same_root = compress(keys, map(eq, map(_ROOT, keys), repeat(prefix[0])))
    return [k for k in same_root if len(k) > size and k[:size] == prefix]


def with_root_kind(env: dict[Path, _V], kind: type) -> Iterator[tuple[Path, _V]]:
    """The entries of `env` whose path's root is of class `kind` (`Relation`, `Global`),
    picked by C code: the environment's scans for facts run at most stores and every join,
    and a Python step per entry cost more than the rest of each scan (facts are few)."""
    return compress(env.items(), map(is_, map(type, map(_ROOT, env)), repeat(kind)))


def within(path: Path, prefix: Path) -> bool:
    """Whether `path` is `prefix` or lies under it."""
    return len(path) >= len(prefix) and path[: len(prefix)] == prefix


def mentions(step: Step, name: str) -> bool:
    """Whether an index step's key expression names the variable `name` (the text is only
    split into names when it holds the name at all: most keys do not)."""
    return step[0] == INDEX and name in step[1] and name in IDENTIFIER.findall(step[1])
