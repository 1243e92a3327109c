"""Guards and narrowing: what a condition tells on each of its branches.

`refine(env, cond, truth)` is the environment on the branch where `cond` has the value
`truth`, or None when that branch cannot run. Understood: `m == nil` / `m != nil` (also on
a local copy of a field, and on a value read from a map), `len(m) > 0` and its spellings,
a lookup that found a non-zero value, the `ok` of `v, ok := m[k]`, methods whose body is
`return r.f != nil`, `!`, `&&`, `||`, and conditions correlated by their text with the one
a nil survives under (`if c { m = make(...) }` then `if c { m[k] = v }`).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from itertools import compress
from operator import attrgetter

from tree_sitter import Node

from analyzers.flow.argument_results import basic_parameters
from analyzers.flow.core import Core
from analyzers.flow.frames import Env
from analyzers.flow.known_values import Known, combined, holds, mirrored
from analyzers.flow.paths import (
    ALIAS,
    CHECKED,
    DEREFERENCED,
    FIELD,
    FOUND,
    HOLDS,
    IDENTIFIER,
    REACHED,
    READ_FROM,
    WRITTEN,
    Path,
    keys_below,
)
from analyzers.flow.syntax import arguments_of, index_parts, is_index, len_operand, nil_compared, strip
from analyzers.flow.types import normalise, pointee
from analyzers.flow.values import (
    ENTRY,
    EXTERNAL,
    LINE,
    MADE,
    MADE_VAL,
    NIL,
    NILISH,
    UNKNOWN,
    Condition,
    FirstRound,
    Literal,
    OriginKind,
    Val,
    facts_of,
    not_nil,
)
from analyzers.parsing import text

_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_LITERALS = ("int_literal", "float_literal", "interpreted_string_literal", "raw_string_literal", "true", "false", "nil", "rune_literal")


class Narrowing(Core):
    """What conditions tell about the paths they test."""

    def refine(self, env: Env | None, cond: Node | None, truth: bool) -> Env | None:
        """The environment on the branch where `cond` is `truth` (None: that branch cannot run).

        When summarising, the branch's facts are added to the conditions under which what
        follows is reached (`REACHED`), so a caller can tell whether a write runs for it."""
        reached = env.get(REACHED) if env is not None else None
        if reached is not None and isinstance(reached.when, Condition) and self.truth_under(cond, reached.when.facts) is (not truth):
            return None  # the branch contradicts what holds wherever this point is reached
        refined = self._refine(env, cond, truth)
        if refined is not None and reached is not None and cond is not None:
            reached = refined.get(REACHED, reached)
            facts = self.literals_of(self._held(env, cond), truth)
            before = reached.when if isinstance(reached.when, Condition) else Condition(())
            refined[REACHED] = replace(reached, when=before.conjoin(facts) if facts else reached.when)
        return refined

    def note_reached(self, env: Env, *facts: Literal) -> Env:
        """When summarising, `facts` hold wherever what follows is reached."""
        reached = env.get(REACHED)
        if reached is not None and facts:
            before = reached.when if isinstance(reached.when, Condition) else Condition(())
            env[REACHED] = replace(reached, when=before.conjoin(facts))
        return env

    def _held(self, env: Env | None, cond: Node) -> Node:
        """The condition a boolean variable holds (`ok` of `ok := m != nil`), else `cond` itself."""
        stripped = strip(cond)
        if env is not None and stripped is not None and stripped.type == "identifier":
            path = self.path_of(stripped)
            held = self.related(env, HOLDS, path) if path is not None else None
            if held is not None and held in self.conditions:
                return self.conditions[held]
        return cond

    def _refine(self, env: Env | None, cond: Node | None, truth: bool) -> Env | None:
        if env is None:
            return None
        env = dict(env)
        cond = strip(cond)
        if cond is None:
            return env
        env = self.refine_correlated(env, cond, truth)
        kind = cond.type
        if kind == "unary_expression" and text(cond).startswith("!"):
            return self._refine(env, cond.child_by_field_name("operand"), not truth)
        if kind == "true":
            return env if truth else None
        if kind == "false":
            return None if truth else env
        if kind == "binary_expression":
            refined = self._refine_binary(env, cond, truth)
            if refined is not _UNCHANGED:
                return refined  # type: ignore[return-value]
        if kind == "call_expression":
            predicate = self.predicate_of(cond)
            if predicate is not None:
                nil_path, is_nil_when_true = predicate
                return self.refine_nil_path(env, nil_path, is_nil_when_true == truth, cond)
        if kind == "identifier":
            path = self.path_of(cond)
            constant = self.lookup(env, path).constant if path is not None else None
            if constant is not None:
                return env if constant == truth else None  # a boolean known here (`ok` bound to `false`)
            if path is not None and self.related(env, FOUND, path) is not None:
                return self._refine_ok(env, path, cond, truth)
            held = self.related(env, HOLDS, path) if path is not None else None
            if held is not None and held in self.conditions:
                return self._refine(env, self.conditions[held], truth)  # `ok := m != nil; if ok`
        self.refine_nonempty_read(env, cond, truth)
        return self.refine_correlated(env, cond, truth)

    def _refine_binary(self, env: Env, cond: Node, truth: bool) -> Env | None | object:
        """`a && b`, `a || b`, `x == nil`, `len(m) > 0`, `m[k] != nil`; `_UNCHANGED` otherwise."""
        operator = cond.child_by_field_name("operator")
        op = text(operator) if operator is not None else ""
        left = cond.child_by_field_name("left")
        right = cond.child_by_field_name("right")
        if op == "&&":
            if truth:
                return self._refine(self._refine(env, left, True), right, True)
            return self.join_env(self._refine(env, left, False), self._refine(self._refine(env, left, True), right, False))
        if op == "||":
            if truth:
                return self.join_env(self._refine(env, left, True), self._refine(self._refine(env, left, False), right, True))
            return self._refine(self._refine(env, left, False), right, False)
        if op in ("==", "!="):
            subject = nil_compared(cond, op)
            if subject is not None:
                return self.refine_nil(env, subject, (op == "==") == truth, cond)
        decided = self._decided_comparison(env, left, op, right)
        if decided is not None:
            return env if decided == truth else None  # `n > 1` of an `n` known to hold 0 here
        if op == "!=" and _is_zero_literal(strip(right)) and not _is_nil_node(strip(right)):
            known = self.path_of(left)
            if known is not None and truth:
                env[known] = MADE_VAL  # `s != ""`: s holds a non-zero value
        measured = len_operand(strip(left))
        if measured is not None and _nonempty_when(op, strip(right), truth):
            # `len(m) > 0`, or `len(m) == 0` false: m has entries, so it is not nil.
            path = self.path_of(measured)
            if path is not None and self.measures_a_map(env, path):
                refined = self.refine_nil_path(env, path, False, cond)
                if refined is None:
                    return None  # a map nil on every path has no entries: this branch cannot run
                env = refined
        elif measured is not None and _empty_when(op, strip(right), truth) and not self.summarising:
            path = self.path_of(measured)
            if path is not None:
                self.refine_empty(env, path, cond, truth)
        looked_up, other = strip(left), strip(right)
        if is_index(other) and not is_index(looked_up):
            looked_up, other = other, looked_up  # `v == m[k]`
        parts = index_parts(looked_up) if op in ("==", "!=", ">", ">=") and looked_up is not None else None
        if parts is not None:
            if _nonzero_when(op, other, truth) or (op == "==" and truth and self._known_nonzero(env, other)):
                # A lookup that found a non-zero value: the map holds entries, so it is not nil.
                container = self.path_of(parts[0])
                if container is not None:
                    return self.refine_nil_path(env, container, False, cond)  # a nil map has no entries
                return env
        elif looked_up is not None and _nonzero_when(op, other, truth):
            # `v := m[k]` (or `v, ok := m[k]`, or a range value) found to be non-zero: a nil map
            # reads only zero values, so m is not nil here.
            read = self.path_of(looked_up)
            container = self.related(env, READ_FROM, read) if read is not None else None
            if container is not None:
                return self.refine_nil_path(env, container, False, cond)
        return _UNCHANGED

    def refine_empty(self, env: Env, path: Path, cond: Node, truth: bool) -> None:
        """`len(x.f) == 0` holds of a map field nothing is known of: it is nil or a made empty
        map. Where the field is a same-package struct's, whose constructions may leave it out
        (the rule asks which do, `PackageFacts.constructions_leaving_out`), a write on this
        branch is one the code runs exactly when the map is empty, nil included. The same holds
        of the element the value was copied from (`l, ok := m[k]`, a range value) and of the
        field a local copy of the map was read from (`vals := l.vals`)."""
        field_path = self.related(env, ALIAS, path) if len(path) == 1 else path
        if field_path is None or len(field_path) < 2 or field_path[-1][0] != FIELD:
            return
        type_name = self.types.struct_name(self.type_of_path(field_path[:-1]))
        if type_name is None or self.flow.package.struct_of(type_name) is None or not self.types.is_map(self.type_of_path(field_path)):
            return
        field = field_path[-1][1]
        shown = f"`{normalise(text(cond))}` is {'true' if truth else 'false'} here (line {LINE})"
        origin = replace(
            self.origin(OriginKind.EMPTY_CHECK, cond, f"{shown}, so it is empty, and `{type_name}` values built without `{field}` hold a nil one"),
            type_name=type_name,
            field=field,
        )
        for target in {path, field_path, self.range_copied(env, path), *self._found_elements(env, path)}:
            if target is not None and _unknown_or_found_empty(self.lookup(env, target)):
                env[target] = Val(NIL | UNKNOWN, origin)

    def _found_elements(self, env: Env, path: Path) -> list[Path]:
        """`m[k].f` for `l.f` where `l, ok := m[k]` (the element `l` is a copy of)."""
        return [
            element + path[1:]
            for _, (value_path, element) in self.relations(env, FOUND)
            if element is not None and value_path is not None and value_path == path[:1]
        ]

    def measures_a_map(self, env: Env, path: Path) -> bool:
        """Whether `len(x)` (or `range x`) measures a map: x's type says so, or x has no type
        nilmap can read (a field of another module's decoded object) and holds a value that
        may be a nil map."""
        type_text = self.type_of_path(path)
        if type_text:
            return self.types.is_map(type_text)
        return bool(self.lookup(env, path).bits & NILISH)

    def _known_nonzero(self, env: Env, node: Node | None) -> bool:
        """Whether an expression holds a value known not to be its type's zero (`s` after `s != ""`)."""
        path = self.path_of(node)
        return path is not None and not self.types.is_map(self.type_of_path(path)) and self.lookup(env, path).bits == MADE

    def _refine_ok(self, env: Env, ok: Path, cond: Node, truth: bool) -> Env | None:
        """`if ok` after `v, ok := m[k]`: v (and m[k]) were found, or were absent."""
        value_path, element = self.related(env, FOUND, ok)
        if truth and element is not None and len(element) > 1:
            # The key is present, so the map holding it is not nil (and where it is nil on
            # every path, it holds no key: this branch cannot run).
            refined = self.refine_nil_path(env, element[:-1], False, cond)
            if refined is None:
                return None
            env = refined
        # `m[k] = nil` stored the key with a nil value: found, it is that nil.
        stored = env.get(element) if element is not None else None
        stored_nil = stored is not None and stored.bits == NIL and stored.origin is not None and stored.origin.kind is OriginKind.NIL
        for target in (value_path, element):
            if target is None:
                continue
            val = self.lookup(env, target)
            if truth and stored_nil:
                continue
            if truth:
                # Found in the map: a stored value, not the zero value of an absent key.
                env[target] = replace(not_nil(val), zero=None, keys=None)
            else:
                env[target] = Val(NIL, self.origin(OriginKind.ABSENT_KEY, cond, f"absent when `{text(cond)}` is false"))
        return env

    def predicate_of(self, call: Node) -> tuple[Path, bool] | None:
        """`x.IsDir()` where `IsDir` is `return r.Children != nil`: (path of x.Children, nil when true)."""
        function = call.child_by_field_name("function")
        if function is None or function.type != "selector_expression" or arguments_of(call):
            return None
        name = function.child_by_field_name("field")
        path = self.path_of(function.child_by_field_name("operand"))
        if path is None or name is None:
            return None
        predicate = self.flow.nil_predicate(pointee(self.type_of_path(path)), text(name))
        if predicate is None:
            return None
        return path + tuple((FIELD, f) for f in predicate.fields), predicate.nil_when_true

    def refine_nil(self, env: Env, subject: Node, is_nil: bool, cond: Node) -> Env | None:
        path = self.path_of(subject)
        if path is None:
            return env
        self.compared_after_write(env, path, cond)
        alias = self.related(env, ALIAS, path)
        if alias is not None:
            # `m := t.m; if m == nil {...}` tells as much about t.m.
            self.refine_nil_path(env, alias, is_nil, cond)
        element = self.range_copied(env, path)
        if element is not None:
            # `for i, v := range X { if v.m == nil {...} }`: v.m is X[i].m until either is stored.
            self.refine_nil_path(env, element, is_nil, cond)
        return self.refine_nil_path(env, path, is_nil, cond)

    def compared_after_write(self, env: Env, path: Path, cond: Node) -> None:
        """`m[k] = v` then, with no store to `m` between, `m == nil`: the code expects `m` may be
        nil where it writes it unguarded. Either the comparison is dead or the write may panic
        (staticcheck's SA5011 for pointers); the write is reported with the comparison as the
        reason, unless the map is known made there."""
        key = self.related(env, WRITTEN, path)
        event = self.unguarded_writes.get(key) if key is not None else None
        if key is not None:
            self.unguarded_reads.append((key, event))
        if event is None or self.lookup(env, path) != event.val:
            return
        if _function_of(cond) != _function_of(event.node):
            return  # a closure (a deferred one, a goroutine) compares at another time, when others may have reset it
        origin = self.origin(OriginKind.COMPARED_LATER, cond, f"the code compares it with nil after this write (`{normalise(text(cond))}` at line {LINE})")
        self.events[key] = replace(event, val=Val(NIL | UNKNOWN, origin))

    def refine_nil_path(self, env: Env, path: Path, is_nil: bool, cond: Node) -> Env | None:
        if is_nil and self.related(env, DEREFERENCED, path):
            return None  # `p.f` ran on every path here: `p == nil` cannot hold
        if not self.summarising:
            self.relate(env, CHECKED, path, True)
        container = self.related(env, READ_FROM, path)
        if container is not None and not is_nil:
            # A non-nil value was read from the map, so the map is not nil either.
            env[container] = not_nil(self.lookup(env, container))
        val = self.lookup(env, path)
        if is_nil and val.bits & ENTRY:
            # Summarising: still as it came in, nil only where the caller's value is; the branch's
            # condition, in `REACHED`, lets each caller tell.
            return env
        if is_nil:
            if not val.bits & (NIL | UNKNOWN | EXTERNAL | ENTRY):
                return None  # `x == nil` cannot hold: x was made on every path
            origin = val.origin if val.bits & NIL and val.origin is not None else self.origin(
                OriginKind.NIL_CHECK, cond, f"checked `{normalise(text(cond))}` at line {LINE}"
            )
            for key in keys_below(env, path):
                del env[key]
            env[path] = Val(NIL, origin, val.when if val.bits & NIL else None)
        else:
            if val.bits == NIL:
                return None  # `x != nil` cannot hold: x is nil on every path
            if self.summarising and val.bits & ENTRY:
                self.narrowed_paths.add(path)
            env[path] = not_nil(val)
        return env

    def refine_nonempty_read(self, env: Env, cond: Node, truth: bool) -> None:
        """`list := m[k]; if len(list) > 0 {...}`: a non-empty value came from a non-nil map."""
        read = self.relations(env, READ_FROM)
        if not read:
            return
        cond_text = normalise(text(cond))
        for local, container in read:
            var = self.var_of(local[0])
            if var is None or len(local) != 1:
                continue
            name = var.name
            nonempty = {f"len({name}) > 0": True, f"len({name}) != 0": True, f"len({name}) == 0": False, f"{name} != nil": True, f"{name} == nil": False}
            expected = nonempty.get(cond_text)
            if expected is not None and expected == truth:
                env[container] = not_nil(self.lookup(env, container))

    def refine_nonempty(self, env: Env, ranged: str) -> Env:
        """Inside `for ... range X` X is not empty: nils that survive only when it is are gone.
        X may be an integer (`for i := range n`), whose body runs only when n > 0; those facts
        are spelt on X itself and only a numeric X can have been compared with 0."""
        return self.refute(env, {f"len({ranged}) == 0": False, f"{ranged} == nil": False, **_positive_facts(ranged)})

    def refine_correlated(self, env: Env, cond: Node, truth: bool) -> Env:
        """A nil that survives only under facts `cond` being `truth` contradicts is gone here."""
        for path, val in with_when(env):
            facts = facts_of(val.when)
            if facts is not None and _conditional(val):
                if self.truth_under(cond, facts.facts, facts.values) is (not truth):
                    env[path] = not_nil(val)
        return env

    def refute(self, env: Env, facts: dict[str, bool]) -> Env:
        """Nils that survive only under conditions contradicting `facts` are gone (and so are
        decoded values that are nil only under them: a YAML `null` where the decoder succeeded)."""
        for path, val in with_when(env):
            held = facts_of(val.when)
            if held is not None and _conditional(val) and held.contradicts(facts):
                env[path] = not_nil(val)
        return env

    def join_branches(self, then_env: Env | None, else_env: Env | None, condition: Node | None) -> Env | None:
        """Join the two arms of an `if`, noting under which facts a nil survives on one arm only."""
        if condition is None:
            return self.join_env(then_env, else_env)
        return self.join_arms(
            then_env, else_env, lambda side: self.literals_of(condition, side), self.nil_checked_path(condition)
        )

    def join_arms(
        self,
        then_env: Env | None,
        else_env: Env | None,
        arm_literals: Callable[[bool], tuple[Literal, ...]],
        group_guard: Path | None = None,
    ) -> Env | None:
        """Join two arms, noting under which facts a nil survives on one arm only: the arm's
        own facts (`arm_literals(True)` for the first arm), and what the arm leaves true of the
        function's variables that the other does not (`if c { m = make(...); ok = true }`:
        where m is nil, ok is false)."""
        joined = self.join_env(then_env, else_env)
        if joined is None or then_env is None or else_env is None:
            return joined
        arms: dict[bool, tuple[Literal, ...]] = {}
        for path, val in joined.items():
            if not val.bits & NILISH:
                continue
            in_then = self.lookup(then_env, path).bits & NILISH
            in_else = self.lookup(else_env, path).bits & NILISH
            if in_else and not in_then and group_guard is not None and group_guard != path:
                if not self.lookup(then_env, group_guard).bits & NILISH:
                    # `if a == nil { a = make(...); b = make(...) }`: maps made together are
                    # taken to be nil together, so where `a` is not nil neither is `b`.
                    joined[path] = not_nil(val)
                    continue
            if not val.bits & (NIL | ENTRY) or isinstance(val.when, FirstRound) or bool(in_then) == bool(in_else):
                continue
            side = bool(in_then)
            if side not in arms:
                arms[side] = arm_literals(side) + self._facts_apart(then_env, else_env, side)
            survived = (then_env if side else else_env).get(path)
            before = survived.when if survived is not None and isinstance(survived.when, Condition) else None
            joined[path] = replace(val, when=before.conjoin(arms[side]) if before is not None else Condition(arms[side]))
        return joined

    def _facts_apart(self, then_env: Env, else_env: Env, side: bool) -> tuple[Literal, ...]:
        """What the arm on `side` leaves true of the function's variables that the other arm
        does not: a boolean set to another constant (`ok` false), a pointer still nil (`p == nil`).
        Facts set together with a map tell, later, where the map was made."""
        found = []
        kept, other = (then_env, else_env) if side else (else_env, then_env)
        for path in then_env.keys() & else_env.keys():
            var = self.var_of(path[0]) if len(path) == 1 else None
            if var is None:
                continue
            here, there = kept[path], other[path]
            if here.constant is not None and there.constant is not None and here.constant != there.constant:
                found.append(Literal(var.name, here.constant, var.name, here.constant, aside=True))
            elif (held := single_constant(here)) is not None and there.known != here.known:
                found.append(equality_fact(var.name, path, held))
            elif here.bits == NIL and there.bits != NIL and not self.types.is_map(var.type_text):
                atom = f"{var.name} == nil"
                found.append(Literal(atom, True, atom, True, aside=True))
        return tuple(sorted(found, key=lambda literal: literal.atom))

    # ------------------------------------------------------------------ conditions as facts
    def literals_of(self, cond: Node | None, truth: bool) -> tuple[Literal, ...]:
        """The facts that hold where `cond` is `truth`: a conjunction (`a && b` true, `a || b`
        false), else the whole condition as one fact."""
        found = self._conjunction(cond, truth)
        if found is not None:
            return found
        return (self.literal_of(cond, truth),) if strip(cond) is not None else ()

    def _conjunction(self, cond: Node | None, truth: bool) -> tuple[Literal, ...] | None:
        cond = strip(cond)
        if cond is None:
            return None
        if cond.type == "unary_expression" and text(cond).startswith("!"):
            return self._conjunction(cond.child_by_field_name("operand"), not truth)
        if cond.type == "binary_expression":
            op = self.text_of(cond.child_by_field_name("operator"))
            if (op == "&&" and truth) or (op == "||" and not truth):
                left = self._conjunction(cond.child_by_field_name("left"), truth)
                right = self._conjunction(cond.child_by_field_name("right"), truth)
                return None if left is None or right is None else left + right
            if op in ("&&", "||"):
                return None  # a disjunction of facts is no conjunction
        return (self.literal_of(cond, truth),)

    def literal_of(self, cond: Node | None, truth: bool) -> Literal:
        """`cond` being `truth` as a fact, spelt one way for what is one test: `x != y` is the
        atom `x == y` being `not truth`; `len(x) > 0`, `!= 0` and `>= 1` are `len(x) == 0`.

        Worked out once per condition and truth, as `path_of` is: a condition is asked about
        for every value whose nil survives under facts, at every branch, round after round."""
        if cond is None:
            return self._literal_of(cond, truth)
        key = (cond.id, truth)
        found = self._literals.get(key)
        if found is None:
            found = self._literals[key] = self._literal_of(cond, truth)
        return found

    def _literal_of(self, cond: Node | None, truth: bool) -> Literal:
        shown = normalise(self.text_of(cond))
        cond = strip(cond)
        if cond is None:
            return Literal(shown, truth, shown, truth)
        if cond.type == "binary_expression":
            op = self.text_of(cond.child_by_field_name("operator"))
            left, right = strip(cond.child_by_field_name("left")), strip(cond.child_by_field_name("right"))
            measured = len_operand(left)
            if measured is not None and right is not None and (op, self.text_of(right)) in _LEN_EMPTY:
                atom = f"len({normalise(self.text_of(measured))}) == 0"
                empty = _LEN_EMPTY[(op, self.text_of(right))] == truth
                return Literal(atom, empty, shown, truth, test="empty", subject=self.path_of(measured))
            if op in ("==", "!="):
                equal = (op == "==") == truth
                subject = nil_compared(cond, op)
                if subject is not None:
                    atom = f"{normalise(self.text_of(subject))} == nil"
                    return Literal(atom, equal, shown, truth, test="nil", subject=self.path_of(subject))
                atom = f"{normalise(self.text_of(left))} == {normalise(self.text_of(right))}"
                compared = self._compared_with_constant(left, "==", right)
                if compared is not None:
                    return Literal(atom, equal, shown, truth, test="compare", subject=compared[0], against=compared[1])
                return Literal(atom, equal, shown, truth)
            if op in ("<", "<=", ">", ">="):
                compared = self._compared_with_constant(left, op, right)
                if compared is not None:
                    return Literal(shown, truth, shown, truth, test="compare", subject=compared[0], against=compared[1])
        if cond.type in ("identifier", "selector_expression"):
            return Literal(shown, truth, shown, truth, test="bool", subject=self.path_of(cond))
        return Literal(shown, truth, shown, truth)

    def _decided_comparison(self, env: Env, left: Node | None, op: str, right: Node | None) -> bool | None:
        """The outcome of `x op C` (C a constant) when every constant x may hold here gives the
        same one (`Val.known`: a parameter every call passes `0`, a field a literal set), else None."""
        if op not in ("==", "!=", "<", "<=", ">", ">="):
            return None
        compared = self._compared_with_constant(strip(left), "==" if op == "!=" else op, strip(right))
        if compared is None:
            return self._decided_by_values(env, left, op, right)
        path, (seen, value) = compared
        known = self.lookup(env, path).known
        outcome = holds(seen, known, value) if known is not None else None
        return None if outcome is None else outcome != (op == "!=")

    def _decided_by_values(self, env: Env, left: Node | None, op: str, right: Node | None) -> bool | None:
        """The outcome of `l op r` when every pair of values both sides may hold here gives the
        same one (`n%2 == 0` of an `n` every call passes 3 is false)."""
        lefts, rights = self.known_values(env, left), self.known_values(env, right)
        if lefts is None or rights is None:
            return None
        outcomes = {holds("==" if op == "!=" else op, lefts, value) for value in rights}
        if len(outcomes) != 1 or None in outcomes:
            return None
        return outcomes.pop() != (op == "!=")

    def known_values(self, env: Env, node: Node | None) -> frozenset[Known] | None:
        """The integers or strings an expression may have here: a constant, a path holding known
        values (`Val.known`), or arithmetic on such (`n % 2`); None when any of it is unknown."""
        node = strip(node)
        if node is None:
            return None
        constant = self.known_constant(node)
        if constant is not None:
            return frozenset((constant,))
        if node.type in ("identifier", "selector_expression"):
            path = self.path_of(node)
            return self.lookup(env, path).known if path is not None else None
        measured = len_operand(node)
        if measured is not None:
            length = self._bound_length(strip(measured))
            return frozenset((length,)) if length is not None else None
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            lefts = self.known_values(env, node.child_by_field_name("left"))
            rights = self.known_values(env, node.child_by_field_name("right"))
            if operator is None or lefts is None or rights is None:
                return None
            return combined(text(operator), lefts, rights)
        return None

    def _bound_length(self, operand: Node | None) -> int | None:
        """`len(keys)` of a slice parameter of this function whose length every call fixes
        (`PackageVars.bound_lengths`)."""
        var = self.resolve(self.text_of(operand)) if operand is not None and operand.type == "identifier" else None
        declaration = var.node.parent if var is not None and var.node is not None else None
        if declaration is None or declaration.type != "parameter_declaration" or declaration.parent != self.func.child_by_field_name("parameters"):
            return None
        type_node = declaration.child_by_field_name("type")
        name = self.func.child_by_field_name("name")
        if type_node is None or name is None or self.func.type != "function_declaration":
            return None
        found = basic_parameters(self.func, frozenset((text(type_node),))).get(var.name)  # type: ignore[union-attr]
        return self.flow.bound_length(text(name), found[0]) if found is not None else None

    def _compared_with_constant(self, left: Node | None, op: str, right: Node | None) -> tuple[Path, tuple[str, Known]] | None:
        """`x op 8` (or `8 op x`) of a path x and a constant: x's path and the comparison as
        seen from x, so a caller that knows x's value can tell the test's outcome."""
        for subject, other, seen in ((left, right, op), (right, left, mirrored(op))):
            value = self.known_constant(other)
            path = self.path_of(subject) if value is not None and subject is not None and subject.type in ("identifier", "selector_expression") else None
            if path is not None and value is not None:
                return path, (seen, value)
        return None

    def truth_under(self, cond: Node | None, facts: dict[str, bool], values: dict[Path, frozenset[Known]] | None = None) -> bool | None:
        """The value `cond` has wherever `facts` hold, or None when they do not tell. `values`
        are the constants paths hold there (`Condition.values`): `len(mode) > 0` is false
        where `mode == ""` is a fact."""
        cond = strip(cond)
        if cond is None or not facts:
            return None
        whole = self.literal_of(cond, True)
        if whole.atom in facts:
            return facts[whole.atom] == whole.truth
        if values and whole.subject in values:
            decided = _decided_by_value(whole, values[whole.subject])
            if decided is not None:
                return decided
        if cond.type in ("true", "false"):
            return cond.type == "true"
        if cond.type == "unary_expression" and text(cond).startswith("!"):
            inner = self.truth_under(cond.child_by_field_name("operand"), facts, values)
            return None if inner is None else not inner
        if cond.type == "binary_expression":
            op = self.text_of(cond.child_by_field_name("operator"))
            if op in ("&&", "||"):
                left = self.truth_under(cond.child_by_field_name("left"), facts, values)
                right = self.truth_under(cond.child_by_field_name("right"), facts, values)
                decisive = op == "||"  # the value that settles the whole: true for ||, false for &&
                if left is decisive or right is decisive:
                    return decisive
                if left is not None and right is not None:
                    return not decisive
        return None

    def forget_facts_about_atom(self, env: Env, atom: str) -> None:
        """Facts about `atom` (a call's result) no longer hold."""
        for path, val in with_when(env):
            if isinstance(val.when, Condition) and any(lit.atom == atom for lit in val.when.literals):
                env[path] = replace(val, when=val.when.without(lambda a: a == atom))

    def rename_facts(self, env: Env, call: str, name: str) -> None:
        """`name := <call>`: what was known of the call's result (`<call>`, or `<call> == nil` for
        an error) is now known of the variable."""
        renames = {call: name, f"{call} == nil": f"{name} == nil"}
        for path, val in with_when(env):
            if isinstance(val.when, Condition) and any(lit.atom in renames for lit in val.when.literals):
                renamed = tuple(
                    replace(lit, atom=renames[lit.atom], shown=renames[lit.atom]) if lit.atom in renames else lit for lit in val.when.literals
                )
                env[path] = replace(val, when=Condition(renamed))

    def forget_facts_about(self, env: Env, name: str) -> None:
        """`name` was assigned: facts that mention it no longer hold where nils survive. A
        call's outcome (`error of f(x) == nil`) names what that call returned, not what `x`
        holds now, so `m, err = f(m)` keeps it until `err` takes its name."""
        def stale(atom: str) -> bool:
            return not is_call_outcome(atom) and name in IDENTIFIER.findall(atom)

        for path, val in with_when(env):
            if isinstance(val.when, (Condition, FirstRound)) and any(stale(lit.atom) for lit in val.when.literals):
                env[path] = replace(val, when=val.when.without(stale))

    def nil_checked_path(self, condition: Node) -> Path | None:
        """The path `p` of a condition `p == nil`, else None."""
        subject = nil_compared(condition, "==")
        return self.path_of(subject) if subject is not None else None


_UNCHANGED = object()


def _function_of(node: Node) -> Node | None:
    """The function or func literal whose body holds `node`."""
    current = node.parent
    while current is not None and current.type not in ("function_declaration", "method_declaration", "func_literal"):
        current = current.parent
    return current

# `len(x) op n` tests that say whether x is empty: (op, n) -> the value that means empty.
_LEN_EMPTY = {("==", "0"): True, ("!=", "0"): False, (">", "0"): False, (">=", "1"): False, ("<", "1"): True, ("<=", "0"): True}


def _nonzero_when(op: str, other: Node | None, truth: bool) -> bool:
    """Whether `x op other` having value `truth` means x is not its type's zero value."""
    if other is None or other.type not in _LITERALS:
        return False
    literal = text(other)
    is_zero = other.type in ("nil", "false") or literal in ("0", '""', "``", "0.0")
    if op == "!=":
        return truth and is_zero
    if op == "==":
        return truth and not is_zero
    if op == ">":
        return truth and literal.isdigit()
    if op == ">=":
        return truth and literal.isdigit() and literal != "0"
    return False


def _is_zero_literal(node: Node | None) -> bool:
    return node is not None and (node.type in ("nil", "false") or text(node) in ("0", '""', "``", "0.0"))


def _is_nil_node(node: Node | None) -> bool:
    return node is not None and node.type == "nil"


def _unknown_or_found_empty(val: Val) -> bool:
    """Nothing is known of the value, or only that an earlier test may have found it empty
    (`a && len(x.f) != 0` false): a test that says it is empty tells more."""
    return val.bits == UNKNOWN or (val.bits == NIL | UNKNOWN and val.origin is not None and val.origin.kind is OriginKind.EMPTY_CHECK)


def _empty_when(op: str, other: Node | None, truth: bool) -> bool:
    """Whether `len(x) op other` having value `truth` means len(x) == 0."""
    return other is not None and _LEN_EMPTY.get((op, text(other))) is truth


def _nonempty_when(op: str, other: Node | None, truth: bool) -> bool:
    """Whether `len(x) op other` having value `truth` means len(x) > 0."""
    return _nonzero_when(op if truth else _NEGATED.get(op, ""), other, True)


_WHEN = attrgetter("when")


def single_constant(val: Val) -> Known | None:
    """The one integer or string constant `val` holds on every path, else None."""
    if val.known is None or len(val.known) != 1:
        return None
    return next(iter(val.known))


def equality_fact(shown: str, path: Path, value: Known) -> Literal:
    """`shown == value` as a fact set beside a map (`mode` still "" where the map was not made),
    spelt as a test of it is (`mode != ""` is the atom `mode == ""` being false)."""
    atom = f"{shown} == {value if isinstance(value, int) else json.dumps(value)}"
    return Literal(atom, True, atom, True, aside=True, test="compare", subject=path, against=("==", value))


def _decided_by_value(literal: Literal, held: frozenset[Known]) -> bool | None:
    """Whether the test `literal` stands for holds of a path holding one of `held`, when all
    agree: `x > 0` (a comparison) or `len(x) == 0` (an emptiness test of a string)."""
    if literal.test == "compare" and literal.against is not None:
        outcome = holds(literal.against[0], held, literal.against[1])
    elif literal.test == "empty" and all(isinstance(value, str) for value in held):
        empties = {value == "" for value in held}
        outcome = empties.pop() if len(empties) == 1 else None
    else:
        return None
    return None if outcome is None else outcome == literal.truth


def with_when(env: Env) -> list[tuple[Path, Val]]:
    """The entries whose value holds a `when`, few among many: picked by C code, without a step
    of Python per entry (every condition asks)."""
    return list(compress(env.items(), map(_WHEN, env.values())))


def _conditional(val: Val) -> bool:
    """Whether a value is nil only under its `when`: a nil, a map a YAML decoder set to a
    document's `null` where it succeeded (`err == nil`), or a decoded map that a call handed it
    proves made where it succeeds (`if _, err := read(obj); err != nil { return err }`)."""
    return bool(val.bits & (NIL | EXTERNAL)) or (val.external is not None and val.external.kind is OriginKind.NULL_DOCUMENT)


def _positive_facts(number: str) -> dict[str, bool]:
    """What `number > 0` says, in each spelling a condition may have used."""
    return {
        f"{number} > 0": True, f"{number} >= 1": True, f"0 < {number}": True,
        f"{number} <= 0": False, f"{number} < 1": False, f"{number} == 0": False,
    }


CALL_OUTCOME = "error of "


def call_outcome_atom(call: str) -> str:
    """The atom of a multi-value call's error being nil, until the error's variable names it;
    spelt unlike any Go expression (`f(x) == nil` is a single-value call's result)."""
    return f"{CALL_OUTCOME}{call} == nil"


def is_call_outcome(atom: str) -> bool:
    return atom.startswith(CALL_OUTCOME)
