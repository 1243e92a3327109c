"""The tests a map that is nil on some paths only has passed since it became so.

`if ready { m = make(...) }` leaves `m` nil where `ready` is false. A write that follows
whatever the path panics whenever `ready` is false: the code itself says that happens, or it
would not test it. A write that runs only inside another branch or loop entered since
(`for it.Next() { m[k] = v }`, `if layer.IsDonor { m[k] = v }`) panics only where `ready` is
false *and* that other test holds. Nothing in the code says both can hold at once, and the
author who made the map under one test and writes it under another has usually made them
agree by design (the map is made exactly when the loop will have rounds). Tests the analysis
can relate to the nil (the same condition, `len(x) > 0` before `range x`, a flag set beside
the make) already decide the nil one way or the other; this module records the others on the
value (`Val.tests`, by the statement's offset) while the value is inside them, so the rules
can tell the two kinds of write apart.

Only the tests entered *after* the value became nil on some paths count: a branch that
leaves a map nil inside a loop (`for ... { if c { m = make(...) }; m[k] = v }`) makes a nil
whose own condition is the one the write depends on.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import compress, repeat
from operator import and_, attrgetter

from analyzers.flow.frames import Env
from analyzers.flow.paths import Path
from analyzers.flow.values import NIL, OriginKind, Val

_TESTS = attrgetter("tests")
_BITS = attrgetter("bits")

# Nils the code itself says it expects where it writes (a nil check of a value the analysis
# cannot follow, a comparison with nil after the write, a guard that tests the pointer, a
# test that the map is empty): they are evidence about this very write, not a make the
# author chose to skip.
_EXPECTED_HERE = frozenset({OriginKind.NIL_CHECK, OriginKind.COMPARED_LATER, OriginKind.POINTER_GUARD, OriginKind.EMPTY_CHECK})


def nil_on_some_paths(val: Val) -> bool:
    """Nil on some paths and something else on others."""
    return bool(val.bits & NIL) and val.bits != NIL


def enter_test(env: Env, statement: int, before: Env | None = None, ranged: Path | None = None) -> Env:
    """`env` inside the branch or loop at offset `statement`: each value nil on some paths
    (and, with `before`, already so there) has passed its test. A loop ranging over `ranged`
    tests nothing of the values it holds: an element nil on some paths is there only when the
    collection has elements. A new environment when anything changed."""
    entered: Env | None = None
    # (the values that may be nil are few: picked by C code, not a Python step per entry;
    # every branch and loop asks)
    for path, val in compress(env.items(), map(and_, map(_BITS, env.values()), repeat(NIL))):
        if not nil_on_some_paths(val) or statement in val.tests:
            continue
        if ranged is not None and path[: len(ranged)] == ranged:
            continue
        if before is not None:
            earlier = before.get(path)
            if earlier is None or not nil_on_some_paths(earlier):
                continue
        if entered is None:
            entered = dict(env)
        entered[path] = replace(val, tests=val.tests | {statement})
    return entered if entered is not None else env


def leave_test(env: Env | None, statement: int) -> Env | None:
    """`env` past the branch or loop at offset `statement`: its test no longer gates what follows."""
    if env is None:
        return None
    # (the values inside a test are few: they are picked by C code, not a Python step per entry)
    for path, val in list(compress(env.items(), map(_TESTS, env.values()))):
        if statement in val.tests:
            env[path] = replace(val, tests=val.tests - {statement})
    return env


def leave_tests_within(env: Env | None, start: int, end: int) -> Env | None:
    """`env` past the loop at [start, end): the loop's own test and those of the branches in
    it a `break` was taken from no longer gate what follows."""
    if env is None:
        return None
    for path, val in list(compress(env.items(), map(_TESTS, env.values()))):
        inside = frozenset(test for test in val.tests if start <= test < end)
        if inside:
            env[path] = replace(val, tests=val.tests - inside)
    return env


def past_other_tests(val: Val) -> bool:
    """Whether a value nil on some paths reaches here only inside tests entered since."""
    if val.origin is not None and val.origin.kind in _EXPECTED_HERE:
        return False
    return nil_on_some_paths(val) and bool(val.tests)
