"""The abstract values the interpreter tracks for each access path, and their join.

A value is a small set of possibilities (bits) with, for the nil possibility, where the nil
came from (`Origin`) and under which branch condition it survives (`when`), so a message
can say "`opts` is nil when `verbose` is false: declared at line 9 without make".

A value also says what unlisted children of it are (`zero`): for a struct built as `T{}` or
`new(T)` its map fields are nil; for an empty map of maps or an array of maps its elements
are nil.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace

NIL = 1  # nil from a source we can see (a declaration, `= nil`, a zero struct, ...)
MADE = 2  # made, a literal, or otherwise known not nil
UNKNOWN = 4  # could be anything: parameters, calls to unknown code, escaped values
EXTERNAL = 8  # filled by decoding or fetched: nil when the input lacks the key
ENTRY = 16  # a value as it was when the function being summarised was entered

NILISH = NIL | EXTERNAL | ENTRY  # the possibilities a write into a map cares about


class OriginKind(str, enum.Enum):
    """What made a value nil (or, for decoded values, where the value came from)."""

    DECLARATION = "declaration"  # `var m map[K]V`
    NIL = "nil"  # `m = nil`, a `nil` argument
    NAMED_RESULT = "named-result"  # a named result never assigned
    PACKAGE_VAR = "package-var"  # a package-level variable nothing makes
    FUNCTION = "function"  # a same-package function that returns nil
    CONSTRUCTION = "construction"  # a struct built without the field (`T{}`, `new(T)`)
    NIL_CHECK = "nil-check"  # `if m == nil` of a value we could not follow
    ZERO_ELEMENT = "zero-element"  # elements of an array of maps or of `make([]map..., n)`
    LISTED = "listed"  # a slice or array literal: every element is listed, none is a zero value
    ABSENT_KEY = "absent-key"  # the inner map of a key that a map literal does not hold
    NIL_OUTER = "nil-outer"  # an inner map read from a nil map of maps
    DECODED = "decoded"  # filled by a decoder (`json.Unmarshal(data, &c)`)
    NULL_DOCUMENT = "null-document"  # decoded by a YAML decoder that sets a map to nil for an empty document
    PARAMETER = "parameter"  # a parameter of a decoded type
    RECEIVER = "receiver"  # a receiver of a decoded type
    RECEIVED = "received"  # received from a channel of decoded messages
    # Evidence in the code itself that the map may be nil, where nothing else tells:
    COMPARED_LATER = "compared-later"  # written, then compared with nil with no store between
    POINTER_GUARD = "pointer-guard"  # `if p == nil { *p = ... }`: the guard meant for `*p` tests `p`
    EMPTY_CHECK = "empty-check"  # `len(x.f) == 0` holds, and a construction of x's type leaves f nil


# The end of a decoded value's description once it is deep-copied (`obj.DeepCopy()`): the copy
# holds what the original does, field by field.
DEEP_COPIED = ", deep-copied"

# In a description, the line the origin starts at: "declared at line ⟨line⟩ without make"
# (marked with characters Go code holds only in strings and comments).
LINE = "⟨line⟩"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a nil came from, for messages and related information.

    `description` may hold `LINE`, the line the origin starts at, filled in when a message
    is rendered (`describe`): an origin that moves with its function stays true.
    """

    kind: OriginKind
    path: str
    start: int
    end: int
    description: str  # "declared at line ⟨line⟩ without make"
    type_name: str = ""  # for constructions: the struct type
    field: str = ""
    condition: str = ""  # for decoded values: which input leaves the map nil
    # For a construction: the other constructions of the same type, leaving the same field
    # nil, that reach where this one does on other paths ((path, start, end) of each).
    others: tuple[tuple[str, int, int], ...] = ()

    def describe(self, line: int) -> str:
        """The description with the origin's 1-based line in place of `LINE`."""
        return self.description.replace(LINE, str(line))


@dataclass(frozen=True, slots=True)
class Literal:
    """One fact of a branch condition: an atomic condition and its value there.

    `atom` is the condition's text with `!` and `!=` folded in (`m != nil` is the atom
    `m == nil` being false), so differently written tests of one fact agree; `shown` and
    `shown_truth` are what the code wrote, for messages.
    """

    atom: str
    truth: bool
    shown: str
    shown_truth: bool
    aside: bool = False  # a fact set beside the map (`ok` false, `p == nil`), left out of messages
    # What the atom tests of which access path, when it is one a caller can tell: "nil"
    # (`x == nil`), "bool" (a boolean `x`), "empty" (`len(x) == 0`); "runs" and "called" are
    # no test of a path but whether other code calls a closure handed to it ("called": code
    # that calls it before returning, as its input asks).
    test: str = ""
    subject: tuple | None = None
    # For the test "compare": the operator of the atom and the constant the subject is compared
    # with (`r.Version >= 8` is (">=", 8)), so a caller that knows the subject's value can tell.
    against: tuple[str, int | str] | None = None

    @property
    def equals(self) -> int | str | None:
        """The constant this fact says its subject holds (`mode == ""` true), else None."""
        if self.test == "compare" and self.truth and self.subject is not None and self.against is not None and self.against[0] == "==":
            return self.against[1]
        return None

    def render(self) -> str:
        if self.test in ("runs", "called"):  # no test the code wrote: whether other code calls a closure
            return self.shown if self.shown_truth else f"not ({self.shown})"
        return f"`{self.shown}` is {'true' if self.shown_truth else 'false'}"


@dataclass(frozen=True, slots=True)
class Condition:
    """The facts under which a nil survives: a conjunction of literals (`!a && !b`)."""

    literals: tuple[Literal, ...]

    @property
    def facts(self) -> dict[str, bool]:
        return {literal.atom: literal.truth for literal in self.literals}

    @property
    def values(self) -> dict[tuple, frozenset[int | str]]:
        """The constant each path compared for equality holds under these facts (`mode ==
        ""` true: `mode` is ""), so a test spelt another way (`len(mode) > 0`) can be decided."""
        return {literal.subject: frozenset((held,)) for literal in self.literals if (held := literal.equals) is not None and literal.subject is not None}

    def contradicts(self, facts: dict[str, bool]) -> bool:
        """Whether these literals cannot all hold where `facts` do."""
        return any(facts.get(literal.atom, literal.truth) != literal.truth for literal in self.literals)

    def conjoin(self, more: tuple[Literal, ...]) -> Condition:
        known = self.facts
        return Condition(self.literals + tuple(m for m in more if m.atom not in known))

    def without(self, mentions: Callable[[str], bool]) -> Condition | None:
        """The condition without the literals whose atom `mentions` is true of (None if none is left)."""
        kept = tuple(literal for literal in self.literals if not mentions(literal.atom))
        return Condition(kept) if kept else None

    def render(self) -> str:
        said = [literal for literal in self.literals if not literal.aside] or list(self.literals)
        return " and ".join(literal.render() for literal in said)


@dataclass(frozen=True, slots=True)
class FirstRound:
    """A nil that only the first round of the loop at [start, end) can see.

    `literals` are flag facts that hold wherever it survives (`mode` still "" where no round
    made the map, as before the loop): a test of the flag refutes it, inside the loop and past
    it, as it refutes a `Condition`'s nil."""

    start: int
    end: int
    literals: tuple[Literal, ...] = ()

    def holds(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def without(self, mentions: Callable[[str], bool]) -> FirstRound:
        """The marker without the facts whose atom `mentions` is true of."""
        return FirstRound(self.start, self.end, tuple(literal for literal in self.literals if not mentions(literal.atom)))


When = Condition | FirstRound


def facts_of(when: When | None) -> Condition | None:
    """The facts a nil survives under: a `Condition`, or a first-round marker's flag facts."""
    if isinstance(when, Condition):
        return when
    if isinstance(when, FirstRound) and when.literals:
        return Condition(when.literals)
    return None


@dataclass(frozen=True, slots=True)
class Val:
    bits: int
    origin: Origin | None = None
    when: When | None = None  # the condition under which the nil survives
    zero: Origin | None = None  # children not listed in the environment are nil from here
    keys: frozenset[str] | None = None  # constant keys a map literal holds (with `zero`)
    external: Origin | None = None  # for EXTERNAL: where the decoded value came from
    constant: bool | None = None  # a boolean variable's value, when it is a known constant
    related: object = None  # for a `Relation` key: what the path is related to
    known: frozenset[int | str] | None = None  # the constants an integer or a string may hold, when known
    # The branches and loops (by their statements' offsets) this may-be-nil value has entered
    # since it became nil on some paths only, whose tests the analysis could not relate to it:
    # the nil reaches a write inside them only where both the skipped make and those tests go
    # the same way (see `flow/tests_passed.py`).
    tests: frozenset[int] = frozenset()

    @property
    def may_be_nil(self) -> bool:
        return bool(self.bits & NIL)

    @property
    def always_nil(self) -> bool:
        return self.bits == NIL


UNKNOWN_VAL = Val(UNKNOWN)
MADE_VAL = Val(MADE)


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
    origin = _joined_origin(a.origin, b.origin) if a.bits & NIL and b.bits & NIL else a.origin if a.bits & NIL else b.origin
    if bool(a.bits & NILISH) == bool(b.bits & NILISH):
        when = a.when if a.when == b.when else _either(a.when, b.when)
    else:
        when = a.when if a.bits & NILISH else b.when
    zero = _joined_zero(_nil_map_zero(a, b), _nil_map_zero(b, a))
    keys = _joined_keys(a.keys, b.keys) if zero is not None else None
    external = a.external or b.external
    constant = a.constant if a.constant == b.constant else None
    related = a.related if a.related == b.related else None
    known = _joined_known(a.known, b.known)
    return Val(bits, origin, when, zero, keys, external, constant, related, known, _joined_tests(a, b))


def _joined_tests(a: Val, b: Val) -> frozenset[int]:
    """The tests every nil reaching the join has passed: a nil that came by a path without one
    reaches what follows without it."""
    if a.bits & NIL and b.bits & NIL:
        return a.tests & b.tests
    return a.tests if a.bits & NIL else b.tests if b.bits & NIL else frozenset()


MAX_KNOWN = 32  # constants a value may hold that are kept apart; more is as good as unknown


def _joined_known(a: frozenset[int | str] | None, b: frozenset[int | str] | None) -> frozenset[int | str] | None:
    """The constants a value may hold after two paths meet: those of either, when both know."""
    if a is None or b is None:
        return None
    either = a | b
    return either if len(either) <= MAX_KNOWN else None


def _joined_origin(a: Origin | None, b: Origin | None) -> Origin | None:
    """Where a nil on both of two paths came from: the first path's origin, naming the other
    path's construction too when both are constructions of one type leaving one field nil
    (`st := &T{}; if c { st = &T{} }`): the value is nil on every path, and a fix must make
    the map at both."""
    if a is None or b is None or a == b or not _same_construction_site_kind(a, b):
        return a if a is not None else b
    mine = (a.path, a.start, a.end)
    others = {*a.others, (b.path, b.start, b.end), *b.others} - {mine}
    return replace(a, others=tuple(sorted(others)))


def _same_construction_site_kind(a: Origin, b: Origin) -> bool:
    return (
        a.kind is OriginKind.CONSTRUCTION
        and b.kind is OriginKind.CONSTRUCTION
        and a.type_name == b.type_name
        and a.field == b.field
        and bool(a.type_name)
    )


def _nil_map_zero(v: Val, other: Val) -> Origin | None:
    """Where `v`'s unlisted children come from, as a join with `other` sees them. A nil map holds
    no key, as a map made empty does: joined with one (`ensure(&m)` in a loop that may not have
    run, a helper returning `map{}` or nil), every key absent from the made map is absent on
    both paths, and its inner map is nil on both (reading a nil map gives the zero value)."""
    if v.zero is None and v.bits == NIL and v.keys is None and other.zero is not None and other.zero.kind is OriginKind.ABSENT_KEY:
        return other.zero
    return v.zero


def _joined_zero(a: Origin | None, b: Origin | None) -> Origin | None:
    """Where the unlisted children come from after two paths meet, their listed children
    joined too (`Core.join_env` derives a child listed on one side only from the other's
    zero). Two maps made empty on different lines (`newGroups()` on one path, `make(...)` on
    the other) still hold only the keys either holds: every other key's inner map is nil, the
    first path's origin names it, and a guard of the key fixes both. Two structs of one type
    built on different lines leave every field they do not list zero: the first path's
    origin names the other construction too (`Origin.others`), so that a finding offers the
    make at both."""
    if a == b:
        return a
    if a is None or b is None:
        return None
    if a.kind is OriginKind.ABSENT_KEY and b.kind is OriginKind.ABSENT_KEY:
        return a
    if _same_construction_site_kind(a, b):
        return _joined_origin(a, b)
    return None


def _joined_keys(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The keys a map may hold after two paths meet: those of either path (a key stored on one
    path only may be there). Dropping them would leave the zero value saying it is empty."""
    if a == b:
        return a
    return (a or frozenset()) | (b or frozenset())


def join_known(a: Val, b: Val) -> Val:
    """`join` of two values that are both there."""
    joined = join(a, b)
    assert joined is not None
    return joined


def _either(a: When | None, b: When | None) -> When | None:
    """The condition under which a nil survives on one path or the other: the facts the two
    have in common (a nil under `a && b` on one path and under `a` on the other is one under `a`)."""
    if not isinstance(a, Condition) or not isinstance(b, Condition):
        return None
    theirs = set(b.literals)
    common = tuple(literal for literal in a.literals if literal in theirs)
    return Condition(common) if common else None


def _checked_only(v: Val) -> bool:
    return v.origin is not None and v.origin.kind is OriginKind.NIL_CHECK


def not_nil(v: Val) -> Val:
    """The value once `x != nil` holds: known not nil (MADE), whatever it could have been
    before, so a value found not nil and one made on the other branch join to made (`if x ==
    nil { x = make(...) }` leaves `x` made on every path, an unknown `x` too). A value that was
    never nil keeps its `when`: the round of a loop its zero elements belong to (see
    `Control.mark_loop_carried`)."""
    bits = (v.bits & ~(NILISH | UNKNOWN)) | MADE
    return replace(v, bits=bits, origin=None, when=None if v.bits & NILISH else v.when, tests=frozenset())


class Effect(enum.Enum):
    """What a method does to a field of its receiver, as its callers see it."""

    MADE = "made"  # made (or set to a non-nil value) on every path
    ASSIGNED = "assigned"  # assigned something we cannot follow
    MAYBE = "maybe"  # assigned on some paths only
    NIL = "nil"  # set to nil on every path (`s.items = nil` in a `Reset`)
