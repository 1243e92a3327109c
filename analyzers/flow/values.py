"""The abstract values the interpreter tracks for each access path.

A value is a small set of possibilities (bits) with, for the nil possibility, where the nil
came from (`Origin`) and under which branch condition it survives (`when`), so a message
can say "`opts` is nil when `verbose` is false: declared at line 9 without make".

Paths are tuples: a variable key, then ("f", name) for a field and ("i", text) for an
index. A value also says what unlisted children of it are (`zero`): for a struct built as
`T{}` or `new(T)` its map fields are nil; for an empty map of maps or an array of maps its
elements are nil.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

NIL = 1  # nil from a source we can see (a declaration, `= nil`, a zero struct, ...)
MADE = 2  # made, a literal, or otherwise known not nil
UNKNOWN = 4  # could be anything: parameters, calls to unknown code, escaped values
EXTERNAL = 8  # filled by decoding or fetched: nil when the input lacks the key
ENTRY = 16  # a method's receiver field as it was when the method was entered


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a nil came from, for messages and related information."""

    kind: str  # "declaration", "nil", "named-result", "package-var", "function", "construction", "nil-check", "zero-element", "absent-key"
    path: str
    start: int
    end: int
    description: str  # "declared at line 9 without make"
    type_name: str = ""  # for constructions: the struct type
    field: str = ""
    condition: str = ""  # for decoded values: which input leaves the map nil


@dataclass(frozen=True, slots=True)
class Val:
    bits: int
    origin: Origin | None = None
    when: tuple[str, bool] | None = None  # (condition, value under which the nil survives)
    zero: Origin | None = None  # children not listed in the environment are nil from here
    keys: frozenset[str] | None = None  # constant keys a map literal holds (with `zero`)
    external: Origin | None = None  # for EXTERNAL: where the decoded value came from

    @property
    def may_be_nil(self) -> bool:
        return bool(self.bits & NIL)

    @property
    def always_nil(self) -> bool:
        return self.bits == NIL


UNKNOWN_VAL = Val(UNKNOWN)
MADE_VAL = Val(MADE)


def nil_val(origin: Origin) -> Val:
    return Val(NIL, origin)


def join(a: Val | None, b: Val | None) -> Val | None:
    """The value on either of two paths."""
    if a is None:
        return b
    if b is None or a is b or a == b:
        return a
    # A nil known only from a nil check (`if m == nil {...}`) of a value we could not
    # follow is reported inside that branch, never past it: past it the check's own
    # branch has usually dealt with it in a way we cannot see (staticcheck's nilness does
    # the same).
    if a.bits & NIL and not b.bits & NIL and _checked_only(a):
        a = Val(UNKNOWN)
    elif b.bits & NIL and not a.bits & NIL and _checked_only(b):
        b = Val(UNKNOWN)
    bits = a.bits | b.bits
    origin = a.origin if a.bits & NIL else b.origin
    if a.bits & NIL and b.bits & NIL:
        when = a.when if a.when == b.when else None
    else:
        when = a.when if a.bits & NIL else b.when
    zero = a.zero if a.zero == b.zero else None
    keys = a.keys if a.keys == b.keys and zero is not None else None
    external = a.external or b.external
    return Val(bits, origin, when, zero, keys, external)


def _checked_only(v: Val) -> bool:
    return v.origin is not None and v.origin.kind == "nil-check"


def not_nil(v: Val) -> Val:
    """The value once `x != nil` holds."""
    bits = v.bits & ~(NIL | EXTERNAL | ENTRY)
    if not bits:
        bits = MADE
    return replace(v, bits=bits, origin=None, when=None)
