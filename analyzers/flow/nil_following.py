"""Results that are nil exactly where a map argument is.

`func copySpec(spec map[string]any) map[string]any { if spec == nil { return nil }; cp :=
make(...); ...; return cp }` returns nil only when it is handed nil. Summarised over all its
paths it "may return nil", and every write into its result would be warned about, though the
nil comes from the caller's argument, not from the function: a call of it is a source of nil
only where its argument is one. The parameter's value at each `return` (as a summarising run
narrows it) tells whether that return is reached only with the parameter nil.
"""
from __future__ import annotations

from analyzers.flow.frames import Env
from analyzers.flow.paths import REACHED, Local
from analyzers.flow.values import ENTRY, EXTERNAL, MADE, NIL, Condition, Val


def following_parameter(parameter_keys: list[str | None], returns: list[Env], values: list[Val]) -> int | None:
    """The position of the map parameter the result follows: every `return` of nil is reached
    only under the fact that parameter is nil, and every other `return` gives a made map. None
    when there is no such parameter (or it is assigned in the body: its key is given as None)."""
    if len(returns) != len(values) or not returns:
        return None
    if not any(val.bits == NIL for val in values):
        return None
    # The other returns give a map made here: one handed on to other code may have changed
    # contents (MADE | UNKNOWN), but no callee can make the caller's variable nil.
    if any(val.bits != NIL and (val.bits & (NIL | ENTRY | EXTERNAL) or not val.bits & MADE) for val in values):
        return None
    nil_facts = [_nil_tested(env) for env, val in zip(returns, values, strict=True) if val.bits == NIL]
    for position, key in enumerate(parameter_keys):
        if key is not None and all((Local(key),) in facts for facts in nil_facts):
            return position
    return None


def _nil_tested(env: Env) -> set[tuple]:
    """The paths a `return` is reached only where they are nil (`if p == nil { return nil }`)."""
    reached = env.get(REACHED)
    if reached is None or not isinstance(reached.when, Condition):
        return set()
    return {literal.subject for literal in reached.when.literals if literal.test == "nil" and literal.truth and literal.subject is not None}
