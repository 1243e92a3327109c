"""What a method does to a receiver field on each of its ways out, and which way a call takes.

A method that makes `r.Blocks` unless `r.Version >= 8` (`if r.Version >= 8 { ...; return }`)
is, as a whole, a method that makes the field on some paths. But its effect is a function of the
receiver's state at the call: for a value built as `Response{Version: 2}`, the early return
cannot run, so the call made the map. The summary keeps, per field it changes on some paths
only, each way out of the method with the facts that hold on the way there (`REACHED`) and what
the field holds there; a caller drops the ways out whose facts its own values refute, and when
the ways left agree, the effect is decided.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analyzers.flow.frames import Env
from analyzers.flow.paths import REACHED, Local, Path
from analyzers.flow.values import ENTRY, EXTERNAL, NIL, UNKNOWN, Condition, Effect, Literal, Val


@dataclass(frozen=True)
class ExitPath:
    """One way out of a method: the facts that hold on it, and what it leaves in one field
    (None: the field still holds what the caller handed in)."""

    reached: tuple[Literal, ...]
    effect: Effect | None


def exit_paths(
    envs: list[Env],
    receiver: Local,
    fields: list[tuple],
    lookup: Callable[[Env, Path], Val],
    assigned: set[Path],
) -> dict[tuple, tuple[ExitPath, ...]]:
    """For each field (relative path) in `fields`, the method's ways out, when every one of them
    tells its facts and leaves the field either as it came in or with one effect. Facts about
    receiver paths the method assigns are left out: they hold of the value at the test, not at
    the call."""
    found: dict[tuple, tuple[ExitPath, ...]] = {}
    for rel in fields:
        ways = []
        for env in envs:
            reached = env.get(REACHED)
            if reached is None or (reached.when is not None and not isinstance(reached.when, Condition)):
                break
            val = lookup(env, (receiver, *rel))
            if val.bits & ENTRY and val.bits != ENTRY:
                break  # made on some of the paths that meet at this way out: no one effect
            effect = _effect_of(val)
            facts = reached.when.literals if isinstance(reached.when, Condition) else ()
            ways.append(ExitPath(tuple(fact for fact in facts if not _about_assigned(fact, assigned)), effect))
        else:
            if ways:
                found[rel] = tuple(ways)
    return found


def _effect_of(val: Val) -> Effect | None:
    """What a way out leaves in a field: None as it came in, else an effect."""
    if val.bits == ENTRY:
        return None
    if not val.bits & (NIL | UNKNOWN | EXTERNAL):
        return Effect.MADE
    if val.bits == NIL:
        return Effect.NIL
    return Effect.ASSIGNED


def _about_assigned(fact: Literal, assigned: set[Path]) -> bool:
    subject = fact.subject
    return subject is not None and any(subject[:size] in assigned for size in range(1, len(subject) + 1))
