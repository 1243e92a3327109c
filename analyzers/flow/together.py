"""Values set together with a map: where a map is nil (or made), what a flag set beside it says.

The error a call returns beside a map is one too: `m, err := parse(s)`, where `parse` returns
a made map with every nil error and `nil, err` otherwise, leaves `m` nil exactly where `err` is
not nil, so past `if err != nil { return err }` it is made. Where the error is dropped
(`m, _ := parse(s)`, or a field), nothing tells, and the map is unknown, as any call's result.

`if c { cfg.All = true; cfg.Named = nil }` leaves `cfg.Named` nil only where `cfg.All` is
true, and a later `if !cfg.All { cfg.Named[k] = v }` never meets that nil. Where paths meet
(the arms of an `if`, the cases of a `switch`, the ends of a loop's round), a nil that
survives on some of them only is noted with the constants every one of those paths leaves in
a flag (in its `when`, as facts set aside): a boolean, or a string or integer holding one
constant (`code` still "" where no section built the map, `level` still 0); a later test of
the flag (`code != ""`, `len(code) > 0`, `level > 0`) then refutes it as it would a test of
the branch's own condition, through loop rounds and `continue` too, until the flag (or what
holds it) is assigned again. A nil a loop was entered with keeps, in its first-round marker,
the facts that hold at the loop's entry and at the end of every round where it survives
(`Control.mark_loop_carried`), so a test of the flag refutes it in later rounds, in closures
the loop calls, and past the loop.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.frames import Env
from analyzers.flow.known_values import Known
from analyzers.flow.narrowing import Narrowing, call_outcome_atom, equality_fact, single_constant, with_when
from analyzers.flow.paths import FIELD, Path
from analyzers.flow.syntax import strip
from analyzers.flow.types import normalise
from analyzers.flow.values import ENTRY, LINE, NIL, NILISH, UNKNOWN_VAL, Condition, FirstRound, Literal, OriginKind, Val, facts_of


class SetTogether(Narrowing):
    """Facts on flags stored on the same paths as a nil map."""

    def flag_name(self, path: Path) -> str | None:
        """How the code spells a boolean flag path (`ok`, `cfg.All`), or None when `path` is no
        variable of the function or field of one (an element, a package variable, a deref)."""
        var = self.var_of(path[0])
        if var is None or any(step[0] != FIELD for step in path[1:]):
            return None
        return self.display(path)

    def flags_beside(self, kept: Iterable[Env], others: Iterable[Env]) -> tuple[Literal, ...]:
        """Flags that hold the same constant on every path of `kept` and not on every one of
        `others`: where only the `kept` paths lead, each flag has that value."""
        kept = list(kept)
        others = list(others)
        if not kept or not others:
            return ()
        found = []
        for path, val in kept[0].items():
            value = _flag_value(val)
            if value is None or any(_flag_value(self.lookup(env, path)) != value for env in kept[1:]):
                continue
            if all(_flag_value(self.lookup(env, path)) == value for env in others):
                continue  # set alike everywhere: it tells nothing of which path ran
            shown = self.flag_name(path)
            if shown is None:
                continue
            if val.constant is not None:
                found.append(Literal(shown, val.constant, shown, val.constant, aside=True, test="bool", subject=path))
            else:  # a string or an integer (`mode` still "" where the map was not made)
                found.append(equality_fact(shown, path, value[1]))
        return tuple(sorted(found, key=lambda literal: literal.atom))

    def _facts_apart(self, then_env: Env, else_env: Env, side: bool) -> tuple[Literal, ...]:
        """What the arm on `side` leaves true that the other does not, fields' flags included
        (`if c { cfg.All = true; cfg.Named = nil }`)."""
        found = super()._facts_apart(then_env, else_env, side)
        kept, other = (then_env, else_env) if side else (else_env, then_env)
        known = {literal.atom for literal in found}
        fields = tuple(literal for literal in self.flags_beside([kept], [other]) if literal.atom not in known)
        return tuple(sorted(found + fields, key=lambda literal: literal.atom)) if fields else found

    def join_cases(self, ends: Iterable[Env | None]) -> Env | None:
        """Join the ends of a `switch` or `select`, noting for a nil that survives on some of
        them only the flags those ends set alike (`case "all": all = true; m = nil`)."""
        present = [env for env in ends if env is not None]
        joined = self.join_all(present)
        if joined is None or len(present) < 2:
            return joined
        for path, val in joined.items():
            if not val.bits & (NIL | ENTRY) or isinstance(val.when, FirstRound):
                continue
            nil_ends = [env for env in present if self.lookup(env, path).bits & NILISH]
            facts = self.flags_beside(nil_ends, [env for env in present if not self.lookup(env, path).bits & NILISH])
            facts += self.carried_facts(path, nil_ends, facts)
            if facts:
                joined[path] = _with_facts(val, facts)
        return joined

    def join_arms(
        self,
        then_env: Env | None,
        else_env: Env | None,
        arm_literals: Callable[[bool], tuple[Literal, ...]],
        group_guard: Path | None = None,
    ) -> Env | None:
        """As `Narrowing.join_arms`; a nil on both arms keeps the facts it survives under on one
        arm that the other arm's flags make true as well."""
        joined = super().join_arms(then_env, else_env, arm_literals, group_guard)
        if joined is None or then_env is None or else_env is None:
            return joined
        for path, val in joined.items():
            if not val.bits & (NIL | ENTRY) or isinstance(val.when, FirstRound):
                continue
            if self.lookup(then_env, path).bits & NILISH and self.lookup(else_env, path).bits & NILISH:
                facts = self.carried_facts(path, [then_env, else_env], ())
                if facts:
                    joined[path] = _with_facts(val, facts)
        return joined

    def carried_facts(self, path: Path, nil_ends: list[Env], known: tuple[Literal, ...]) -> tuple[Literal, ...]:
        """Flag facts a nil at `path` survives under on some of the ends where it is nil that
        hold on every one of them: carried in its condition there, or the flag set to that value
        (a later round's `case "cpu":` carries the nil a reset left with `All` true, beside the
        reset's own `case "all": all = true; m = nil`)."""
        candidates = {
            literal
            for env in nil_ends
            if (when := facts_of(self.lookup(env, path).when)) is not None
            for literal in when.literals
            if (literal.test == "bool" and literal.subject is not None or literal.equals is not None) and literal not in known
        }
        found = [literal for literal in candidates if all(self._flag_fact_holds(env, path, literal) for env in nil_ends)]
        return tuple(sorted(found, key=lambda literal: literal.atom))

    def _flag_fact_holds(self, env: Env, path: Path, literal: Literal) -> bool:
        when = facts_of(self.lookup(env, path).when)
        if when is not None and literal in when.literals:
            return True
        assert literal.subject is not None
        if literal.equals is not None:  # `mode == ""`, true (see `carried_facts`)
            return self.lookup(env, literal.subject).known == frozenset((literal.equals,))
        return self.lookup(env, literal.subject).constant is literal.truth

    def forget_facts_about_flag(self, env: Env, path: Path) -> None:
        """`cfg.All = ...`: facts on the field no longer hold where nils survive."""
        shown = self.flag_name(path)
        if shown is None or not any(isinstance(val.when, (Condition, FirstRound)) for val in env.values()):
            return
        mention = _mention(shown)
        for key, val in with_when(env):
            if isinstance(val.when, (Condition, FirstRound)) and any(mention.search(lit.atom) for lit in val.when.literals):
                env[key] = replace(val, when=val.when.without(lambda atom: mention.search(atom) is not None))

    # ------------------------------------------------------------------ an error beside a map
    def nil_beside_error(self, call: Node) -> Val:
        """The map result of `call`, made wherever its error is nil and nil wherever it is not."""
        atom = call_outcome_atom(normalise(self.text_of(call)))
        function = call.child_by_field_name("function")
        origin = self.origin(OriginKind.FUNCTION, call, f"`{self.text_of(function)}()` at line {LINE} returns nil with its error")
        return Val(NIL, origin, Condition((Literal(atom, False, atom, False),)))

    def note_error_beside(self, env: Env, left: list[Node], right: list[Node]) -> None:
        """`m, err := f()` (or `=`): a nil that survives only where the call's error is not nil
        now survives where `err` is not nil; with the error dropped (`_`, or stored in a field),
        nothing will tell, so the map is unknown."""
        call = strip(right[0]) if len(right) == 1 and len(left) > 1 else None
        if call is None or call.type != "call_expression":
            return
        shown = normalise(self.text_of(call))
        atoms = (call_outcome_atom(shown), f"{shown} == nil")  # ours, and a method's that makes on success
        error = strip(left[-1])
        path = self.path_of(error) if error is not None and error.type == "identifier" else None
        var = self.var_of(path[0]) if path is not None and len(path) == 1 else None
        renamed = f"{var.name} == nil" if var is not None else ""
        for key, val in with_when(env):
            if not isinstance(val.when, Condition) or all(literal.atom not in atoms for literal in val.when.literals):
                continue
            if var is None:
                env[key] = UNKNOWN_VAL
                continue
            literals = tuple(
                replace(literal, atom=renamed, shown=f"{var.name} != nil", shown_truth=True, test="nil", subject=path) if literal.atom in atoms else literal
                for literal in val.when.literals
            )
            env[key] = replace(val, when=Condition(literals))




def _flag_value(val: Val) -> tuple[str, Known] | None:
    """What a flag holds on a path, when one constant: a boolean, or a string or an integer."""
    if val.constant is not None:
        return ("bool", val.constant)
    held = single_constant(val)
    return ("known", held) if held is not None else None


def _with_facts(val: Val, facts: tuple[Literal, ...]) -> Val:
    before = val.when if isinstance(val.when, Condition) else None
    return replace(val, when=before.conjoin(facts) if before is not None else Condition(facts))


@functools.lru_cache(maxsize=1024)
def _mention(shown: str) -> re.Pattern[str]:
    """`shown` (a flag's name, `cfg.All`) as a whole name in a condition's atom: compiled
    once per name, not at every assignment to it (more names than `re` keeps compiled)."""
    return re.compile(r"(?<![\w.])" + re.escape(shown) + r"(?![\w])")
