"""Closures: run where they are called when that is known (against the caller's
environment), else checked on their own, with what they assign made unknown where they
escape (they may run at any time after)."""
from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.frames import Env, FuncContext, Var
from analyzers.flow.paths import INDEX, PANICKED, REACHED, Local, Path
from analyzers.flow.synchronous_callbacks import calls_argument_now
from analyzers.flow.syntax import (
    arguments_of,
    children,
    identifiers_named,
    index_parts,
    is_index,
    mentioned_names,
)
from analyzers.flow.types import normalise
from analyzers.flow.values import NIL, UNKNOWN, UNKNOWN_VAL, Condition, Literal, Val
from analyzers.flow.writes import Writes
from analyzers.gotext import name as name_pattern

MAX_INLINE_DEPTH = 3  # closures calling closures: past this depth they are taken to escape


class Closures(Writes):
    """Func literals, run inline or escaping."""

    _reassigned: set[str] | None = None

    def reassigned(self) -> set[str]:
        """Names assigned anywhere in the function after their declaration (closures too)."""
        if self._reassigned is None:
            self._reassigned = self.flow.assigned_names(self.file.path, self.func, False)
        return self._reassigned

    def bind_handed_maps(self, env: Env, literal: Node) -> None:
        """A literal's map parameters hold the decoded maps the same-package function it is
        handed to passes them (`callback_values`)."""
        parameters = literal.child_by_field_name("parameters")
        position = -1
        for decl in children(parameters) if parameters is not None else ():
            if decl.type != "parameter_declaration":
                position += len(decl.children_by_field_name("name")) or 1
                continue
            is_map = self.types.is_map(self.text_of(decl.child_by_field_name("type")))
            for name in decl.children_by_field_name("name") or (None,):
                position += 1
                path = self.path_of(name) if name is not None and is_map else None
                handed = self.flow.handed_to_literal(self.file.path, literal, position) if path is not None else None
                if path is not None and handed is not None:
                    env[path] = handed

    def run_closure(self, env: Env, literal: Node, call: Node | None = None) -> Val:
        """Run a closure's body where it is called, against the caller's environment.

        A closure that returns `true` on some paths and `false` on others tells, by its result,
        which of them ran: a nil that only its `false` paths leave survives where the call
        (`call`) is false (`if ready() {...}`, `ok := ready()`).
        """
        body = literal.child_by_field_name("body")
        if body is None:
            return UNKNOWN_VAL
        if self.inline_depth >= MAX_INLINE_DEPTH:
            self.escape_closure(env, literal)
            return UNKNOWN_VAL
        self.closure_runs += 1
        result = normalise(self.text_of(call)) if call is not None else ""
        if result:
            self.forget_facts_about_atom(env, result)  # an earlier call's result is not this one's
        outer_ctx = self.ctx
        self.ctx = FuncContext()
        self.inline_depth += 1
        self.push()
        inner = dict(env)
        self.declare_parameters(inner, literal.child_by_field_name("parameters"), arguments=arguments_of(call) if call is not None else [])
        try:
            end = self.exec_block(inner, body)
            exits = self._closure_exits(end, result)
            self.run_defers(exits, end)  # its deferred calls run as it returns
        finally:
            self.pop()
            self.inline_depth -= 1
            self.ctx = outer_ctx
        env.clear()
        if exits is None:
            env[PANICKED] = UNKNOWN_VAL
        else:
            env.update(exits)
        return UNKNOWN_VAL

    def run_defers(self, exit_env: Env | None, end: Env | None) -> None:
        """Deferred calls run at the exit: closures in the scopes they were deferred in, and the
        writes of deferred same-package calls, worked out with their arguments' values at the
        `defer`, are made. `exit_env` is where the function returns (the deferred calls' changes
        are made there), `end` where its body ends.

        A deferred call runs at the exits its `defer` was reached before: not at a `return`
        before it, and also where a write panics after it (the panic runs it on its way out)."""
        defers = self.ctx.defers
        registered = len(defers)
        partial = any(count < registered for count in self.ctx.return_defers)
        if not defers or (not partial and not self.ctx.panics):
            if exit_env is not None:
                self.events.update(self.ctx.deferred_writes)
                for position in range(registered - 1, -1, -1):
                    self._run_registration(exit_env, position)
            return
        if exit_env is not None or self.ctx.panics:
            self.events.update(self.ctx.deferred_writes)
        starts = self._exits_by_defers(end)
        view: Env | None = None
        changed: Env = {}
        for position in range(registered - 1, -1, -1):
            # The exits reached with this call the last one deferred start running here.
            view = self.join_all([view, starts.get(position + 1)])
            if view is not None:
                before = dict(view)
                self._run_registration(view, position)
                changed.update({path: val for path, val in view.items() if path != REACHED and before.get(path) != val})
        if exit_env is not None:
            exit_env.update(changed)  # what the deferred calls set, for whoever goes on from the exit

    def _run_registration(self, exit_env: Env, position: int) -> None:
        """The deferred call registered at `position` of the function's `defer`s, run on `exit_env`.

        A `defer` in a loop is registered once per round it runs, and the engine's rounds of a
        loop are not the program's: a registration the same `defer` statement made before this
        one is its sure one, this one is a round that may not have run (the `defer` skipped by a
        `continue`, the loop left early). Such a call may have run or not: what follows it sees
        both (its changes joined with the state it found), and a nil it writes is a nil where it
        ran, a write that may panic, not one that panics wherever it runs."""
        literal, scopes, branches = self.ctx.defers[position]
        if not any(earlier[0].id == literal.id for earlier in self.ctx.defers[:position]):
            if _deferred_in_loop(literal) and sum(entry[0].id == literal.id for entry in self.ctx.defers) == 1:
                # Registered once, as the loop's rounds were followed; the program's later rounds
                # may register it again, and those calls run before this one.
                self._run_maybe(exit_env, literal, scopes, branches)
            self._run_deferred(exit_env, literal, scopes, branches)
            return
        self._run_maybe(exit_env, literal, scopes, branches)

    def _run_maybe(self, exit_env: Env, literal: Node, scopes: list[dict[str, Var]], branches: tuple[tuple[Node, bool], ...]) -> None:
        """A deferred closure that may run or not, on `exit_env`: what follows sees both, and a
        nil it writes is a write that may panic."""
        before_env = dict(exit_env)
        before_events = dict(self.events)
        self._run_deferred(exit_env, literal, scopes, branches)
        for key, event in self.events.items():
            if before_events.get(key) is not event and event.val.bits == NIL:
                self.events[key] = replace(event, val=Val(NIL | UNKNOWN, event.val.origin))
        joined = self.join_all([before_env, dict(exit_env)])
        exit_env.clear()
        if joined is not None:
            exit_env.update(joined)

    def _exits_by_defers(self, end: Env | None) -> dict[int, Env]:
        """The states the function leaves by (its end, its `return`s, its writes that may panic),
        joined by how many calls were deferred before each."""
        registered = len(self.ctx.defers)
        starts: dict[int, Env] = {}

        def add(count: int, env: Env | None) -> None:
            joined = self.join_all([starts.get(count), env])
            if joined is not None:
                starts[count] = joined

        add(registered, end)
        for env, count in zip(self.ctx.returns, self.ctx.return_defers, strict=True):
            add(count, env)
        for count, env in self.ctx.panics.items():
            add(count, env)
        return starts

    def _run_deferred(self, exit_env: Env, literal: Node, scopes: list[dict[str, Var]], branches: tuple[tuple[Node, bool], ...]) -> None:
        """One deferred closure, run on `exit_env` in the scopes it was deferred in."""
        saved = self.scopes
        self.scopes = scopes
        try:
            # It runs only on the paths that registered it: where the `if`s around its
            # `defer` went the way they did (`if cfg.m != nil { defer func() { cfg.m[k] = v }() }`).
            env: Env | None = exit_env
            for condition, truth in branches:
                env = self.refine(env, condition, truth) if env is not None else None
            if env is exit_env:
                self.run_closure(exit_env, literal)
            elif env is not None:
                before = dict(env)
                self.run_closure(env, literal)
                # What it changed is there for the calls deferred before it, which run
                # after it (`defer` is last in, first out).
                exit_env.update({path: val for path, val in env.items() if path != REACHED and before.get(path) != val})
        finally:
            self.scopes = saved

    def _closure_exits(self, end: Env | None, result: str) -> Env | None:
        """The caller's environment after the closure: its exits joined, by the boolean
        constant they return when every `return` gives one (and none falls off the end)."""
        returned = self.ctx.return_values
        constants = [values[0].val.constant if len(values) == 1 else None for values in returned]
        if end is not None or not result or len(returned) != len(self.ctx.returns) or None in constants or len(set(constants)) < 2:
            return self.join_all([end, *self.ctx.returns])
        arms = {truth: self.join_all([e for e, c in zip(self.ctx.returns, constants, strict=True) if c is truth]) for truth in (True, False)}

        def literals(side: bool) -> tuple[Literal, ...]:
            return (Literal(result, side, result, side),)

        return self.join_arms(arms[True], arms[False], literals)

    def _captured(self, env: Env, literal: Node) -> Env:
        """What an escaping closure sees of the variables it captures that never change.

        Neither they nor their fields are assigned anywhere in the function, so the fields hold
        what they hold here, whenever the closure runs; but entries of maps and elements of
        slices may be stored by the function at any time (`m[k] = v` assigns no variable), so
        what is known of them by key is not carried."""
        # Calls in the closure itself (`oldNs.GetAnnotations()`) run in its own flow, in order;
        # assignments anywhere, and calls elsewhere in the function, may come before it runs.
        assigned = self.flow.assigned_names(self.file.path, self.func, False)
        handed = self.flow.assigned_names(self.file.path, self.func, True, literal) - assigned
        changed_after = self._changed_after(literal)
        start: Env = {}
        for name in mentioned_names(literal):
            var = self.resolve(name)
            if var is None or var.closure is not None:
                continue
            # A variable the function sets only before the closure is made holds, from here
            # on, what it holds here (`m = withMade(m)` then `go func() { m[k] = v }()`).
            settled = changed_after is not None and name not in changed_after
            if name in assigned and not settled:
                continue
            if name in handed and not settled and not self._handed_as_map_only(var.name, var.type_text):
                continue
            path = (Local(var.key),)
            if path not in env:
                continue
            if self._entries_fixed(var):
                start[path] = env[path]  # nor are its entries ever stored: they hold too
                start.update({path + rel: child for rel, child in self.path_children(env, path).items()})
                continue
            start[path] = self._without_entries(path, env[path])
            for rel, child in self.path_children(env, path).items():
                if all(step[0] != INDEX for step in rel):
                    start[path + rel] = self._without_entries(path + rel, child)
        return start

    def _changed_after(self, literal: Node) -> set[str] | None:
        """Names that may be set (assigned, or handed to a call or a method) once `literal` is
        made: in what follows it in every enclosing statement, in a loop around it, in another
        closure or a deferred call (which run at times we do not follow), or through an
        address taken anywhere. None when a `goto` may jump back before it."""
        syntax = self.flow.syntax(self.file.path, self.func)
        if syntax.has_goto(self.func):
            return None
        names = syntax.address_taken_names(self.func)
        node = literal
        while node.parent is not None and node != self.func:
            parent = node.parent
            if parent.type == "for_statement":
                names |= self.flow.assigned_names(self.file.path, parent, True, literal)
            for sibling in parent.named_children:
                if sibling.start_byte >= node.end_byte:
                    names |= self.flow.assigned_names(self.file.path, sibling, True)
            node = parent
        for other in syntax.closures_and_defers(self.func):
            if not _inside(literal, other) and not _inside(other, literal):
                names |= self.flow.assigned_names(self.file.path, other, True)
        # An escaping closure may run many times (a callback, a handler): what it sets itself
        # is there when it runs again (`case "init": readers = map...{}` then `case "get":`).
        names |= self.flow.assigned_names(self.file.path, literal, True)
        return names

    def _entries_fixed(self, var: Var) -> bool:
        """Whether a map variable's entries are as its declaration made them wherever the
        function runs: every other use of its name reads an entry, measures it or ranges over
        it (no store, no delete, no second name for the map, no call handed it)."""
        if var.node is None or not self.types.is_map(var.type_text):
            return False
        stored = {(t.start_byte, t.end_byte) for t in self.flow.syntax(self.file.path, self.func).stored_targets(self.func)}
        for use in identifiers_named(self.func, var.name):
            if use.start_byte == var.node.start_byte:
                continue
            parent = use.parent
            if parent is None:
                return False
            if parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
                if (parent.start_byte, parent.end_byte) in stored:
                    return False
                continue
            if parent.type == "range_clause" and parent.child_by_field_name("right") == use:
                continue
            call = parent.parent if parent.type == "argument_list" else None
            function = call.child_by_field_name("function") if call is not None else None
            if function is None or self.text_of(function) not in ("len", "print", "println"):
                return False
        return True

    def _handed_as_map_only(self, name: str, type_text: str) -> bool:
        """Whether a map variable is only handed to calls (`f(m)`, `f(m[k])`), never has a
        method called on it: a callee gets the map, or an entry, and cannot set the variable."""
        if not self.types.is_map(type_text):
            return False
        return re.search(name_pattern(name) + rb"\s*\.\s*[\w\x80-\xff]+\s*\(", self.func.text or b"") is None

    def _without_entries(self, path: Path, val: Val) -> Val:
        """`val` without what it tells of entries or elements: kept only for a struct's fields."""
        if val.zero is None and val.keys is None or self.types.struct_name(self.type_of_path(path)):
            return val
        return replace(val, zero=None, keys=None)

    def escape_closure(self, env: Env, literal: Node) -> None:
        """A closure handed to other code runs at an unknown time: what it assigns is unknown."""
        body = literal.child_by_field_name("body")
        if body is None:
            return
        if literal.start_byte not in self.analysed_closures:
            self.analysed_closures.add(literal.start_byte)
            self.closure_runs += 1
            # Its body is checked on its own, at an unknown time: a captured variable that the
            # function never changes (not assigned, not handed on, no method called on it)
            # holds what it holds here; others are unknown; parameters are as any caller passes.
            start = self._captured(env, literal)
            if self.summarising:
                # Whether and when it runs is unknown: its writes are no promise of the function's.
                # A standard library call that runs it before returning (`sort.Slice`) does so
                # as its input asks; other code may never run it.
                now = calls_argument_now(literal, self.flow.package.facts_of(self.file.path).imports)
                atom = f"<{self.func.start_byte}:{literal.start_byte} runs>"
                shown = "the call it is handed to runs it" if now else "the closure it is in runs"
                runs = Literal(atom, True, shown, True, test="called" if now else "runs")
                start[REACHED] = Val(UNKNOWN, when=Condition((runs,)))
            outer_ctx = self.ctx
            self.ctx = FuncContext()
            self.push()
            self.declare_parameters(start, literal.child_by_field_name("parameters"), external=True)
            self.bind_handed_maps(start, literal)
            saved_depth, saved_entry = self.inline_depth, self.entered_at
            self.inline_depth = MAX_INLINE_DEPTH  # nested closures escape too
            self.entered_at = literal  # package variables: as at any time, not as the function starts
            try:
                end = self.exec_block(start, body)
                self.run_defers(self.join_all([end, *self.ctx.returns]), end)
            finally:
                self.inline_depth, self.entered_at = saved_depth, saved_entry
                self.pop()
                self.ctx = outer_ctx
        for name in self.flow.assigned_names(self.file.path, literal, True):
            path = self.path_of_name(name)
            if path is not None:
                self.forget(env, path)
        # Storing into a map it reaches (`groups[k] = make(...)`, `st.index[k] = v`) or into a
        # field through an element (`list[0].index = ...`) changes what everyone who shares
        # them sees: once the closure may have run (a goroutine joined, a callback called), what
        # it stores is unknown.
        for target in self.flow.syntax(self.file.path, body).stored_targets(body):
            parts = index_parts(target) if is_index(target) else None
            path = self.path_of(parts[0] if parts is not None else target)
            if path is None:
                continue
            if parts is not None:
                self.forget_entry(env, path, self.key_of(parts[1]))
            elif len(path) > 1:
                self.forget(env, path)


def _inside(inner: Node, outer: Node) -> bool:
    """Whether `inner` lies within `outer` (or is it)."""
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _deferred_in_loop(literal: Node) -> bool:
    """Whether the closure `literal` is deferred inside a loop of its function: its `defer`
    may run in several rounds."""
    node = literal.parent
    while node is not None and node.type not in ("function_declaration", "method_declaration", "func_literal"):
        if node.type == "for_statement":
            return True
        node = node.parent
    return False
