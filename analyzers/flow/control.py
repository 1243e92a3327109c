"""Statements and control flow: blocks, `if`/`else`, `for` (to a fixpoint) and `range`,
`switch` and type switches (with `fallthrough`), `select`, labels, `break`, `continue` and
`goto`. Go's control flow is structured, so it is followed on the tree, without a CFG."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.channels import element_type as channel_element
from analyzers.flow.elements import EACH_ELEMENT, listed_positions
from analyzers.flow.exhaustive import lists_every_constant
from analyzers.flow.fills import assigned_outside, empty_at_declaration, filled_names
from analyzers.flow.frames import Env, Frame
from analyzers.flow.iteration import receiver_iterated, stepped_iterator
from analyzers.flow.known_values import INTEGER_TYPES, Known, counted, holds, literal_value, runs_first_round
from analyzers.flow.loop_elements import LoopElements
from analyzers.flow.loop_runs import RunState, run_key
from analyzers.flow.loop_runs import find as find_run
from analyzers.flow.loop_runs import replay as replay_run
from analyzers.flow.paths import CHECKED, CLONE_OF, DEREF, FIELD, INDEX, PANICKED, RANGE_COPY, READ_FROM, Local, Path, keys_below
from analyzers.flow.syntax import (
    children,
    declared_value,
    nil_compared,
    statements,
    stored_targets,
    strip,
)
from analyzers.flow.tests_passed import enter_test, leave_test, leave_tests_within
from analyzers.flow.types import normalise, pointee
from analyzers.flow.values import (
    ENTRY,
    LINE,
    MADE,
    MAX_KNOWN,
    NIL,
    NILISH,
    UNKNOWN,
    UNKNOWN_VAL,
    FirstRound,
    Literal,
    OriginKind,
    Val,
    join_known,
    not_nil,
)

_LIST_TYPES = ("slice_type", "array_type", "implicit_length_array_type")
MAX_LOOP_ROUNDS = 3  # rounds of a loop body before its head is widened to unknown

_LABELLED = ("for_statement", "expression_switch_statement", "type_switch_statement", "select_statement")


class Control(LoopElements):
    """Statements that direct the control flow."""

    def exec_block(self, env: Env | None, block: Node) -> Env | None:
        self.push()
        try:
            return self.exec_statements(env, statements(block))
        finally:
            self.pop()

    def exec_statements(self, env: Env | None, nodes: Iterable[Node]) -> Env | None:
        for statement in nodes:
            if env is None and statement.type != "labeled_statement":
                continue  # unreachable, unless a `goto` lands on a label further on
            env = self.exec(env, statement)
        return env

    def exec(self, env: Env | None, node: Node, label: str | None = None) -> Env | None:
        """Run one statement; None when no path leaves it."""
        if env is None and node.type != "labeled_statement":
            return None
        handler = getattr(self, "exec_" + node.type, None)
        if handler is None:
            if node.type != "ERROR":
                self.eval_subexpressions(env, node)  # type: ignore[arg-type]
            return env
        env = handler(env, node, label) if node.type in _LABELLED else handler(env, node)
        if env is not None and PANICKED in env:
            return None  # the statement panics on every path through it
        return env

    def exec_statement_list(self, env: Env, node: Node) -> Env | None:
        return self.exec_statements(env, children(node))

    # ------------------------------------------------------------------ jumps
    def exec_labeled_statement(self, env: Env | None, node: Node) -> Env | None:
        label = self.text_of(node.child_by_field_name("label"))
        # A `goto` earlier in this run (forward) lands here now; one further on (backward)
        # landed in the previous run of the body (see `Interpreter.run`). A closure's body is
        # run once, so its forward jumps must be joined here.
        left = self.ctx.gotos.get(label)
        self.goto_log.append((label, left))
        env = self.join_all([env, left, self.ctx.prev_gotos.get(label)])
        inner = [c for c in children(node) if c.type != "label_name"]
        if env is None or not inner:
            return env
        return self.exec(env, inner[0], label=label)

    def exec_goto_statement(self, env: Env, node: Node) -> None:
        self.join_goto(self.text_of(children(node)[0]) if children(node) else "", env)
        return None

    def join_goto(self, label: str, env: Env | None) -> None:
        """The environment a `goto` takes to its label, joined into what others took there."""
        self.goto_log.append((f"goto {label}", dict(env) if env is not None else None))
        self.ctx.gotos[label] = self.join_all([self.ctx.gotos.get(label), env])

    def exec_break_statement(self, env: Env, node: Node) -> None:
        frame = self.frame_for(node, kinds=("loop", "switch", "select"))
        if frame is not None:
            frame.breaks.append(env)
        return None

    def exec_continue_statement(self, env: Env, node: Node) -> None:
        frame = self.frame_for(node, kinds=("loop",))
        if frame is not None:
            frame.continues.append(env)
        return None

    def exec_fallthrough_statement(self, env: Env, node: Node) -> Env:
        return env  # the switch handler joins it into the next case

    def frame_for(self, node: Node, kinds: tuple[str, ...]) -> Frame | None:
        label_nodes = [c for c in children(node) if c.type == "label_name"]
        label = self.text_of(label_nodes[0]) if label_nodes else None
        for frame in reversed(self.ctx.frames):
            if label is not None:
                if frame.label == label:
                    return frame
            elif frame.kind in kinds:
                return frame
        return None

    # ------------------------------------------------------------------ if
    def exec_initializer(self, env: Env, node: Node) -> Env | None:
        """The `x := ...;` of an `if` or `switch`, run in the statement's own scope."""
        initializer = node.child_by_field_name("initializer")
        return self.exec(env, initializer) if initializer is not None else env

    def exec_if_statement(self, env: Env, node: Node) -> Env | None:
        self.push()
        try:
            entry = self.exec_initializer(env, node)
            if entry is None:
                return None
            condition = node.child_by_field_name("condition")
            if condition is not None:
                self.eval(entry, condition)  # `if ready()` runs ready
            then_env = self.refine(entry, condition, True)
            else_env = self.refine(entry, condition, False)
            if then_env is not None and else_env is not None and not self.summarising:
                then_env = enter_test(then_env, node.start_byte)
                else_env = enter_test(else_env, node.start_byte)
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if then_env is not None and consequence is not None:
                then_env = self.exec_block(then_env, consequence)
                if else_env is not None and condition is not None and not self.summarising:
                    self.note_pointer_guard(else_env, condition, consequence)
            if else_env is not None and alternative is not None:
                else_env = self.exec(else_env, alternative)
            return leave_test(self.join_branches(then_env, else_env, condition), node.start_byte)
        finally:
            self.pop()

    def note_pointer_guard(self, else_env: Env, condition: Node, consequence: Node) -> None:
        """`if p == nil { *p = make(...) }`: a lazy guard of the map `*p` that tests the pointer
        instead. Its branch can only panic (it stores through a nil pointer), and it shows the
        code expects the map may be nil: where the guard lets the code through (`p` not nil),
        the map it meant to make is still nil whenever it was nil."""
        subject = nil_compared(condition, "==")
        pointer = self.path_of(subject) if subject is not None else None
        if pointer is None or not self.type_of_path(pointer).startswith("*"):
            return
        pointed = pointer + (DEREF,)
        if not self.types.is_map(self.type_of_path(pointed)) or self.lookup(else_env, pointed) != UNKNOWN_VAL:
            return
        if not any(self.path_of(target) == pointed for target in stored_targets(consequence)):
            return
        shown = normalise(self.text_of(subject))
        origin = self.origin(
            OriginKind.POINTER_GUARD, condition, f"the nil check at line {LINE} tests the pointer `{shown}`, not the map `*{shown}` it guards"
        )
        else_env[pointed] = Val(NIL | UNKNOWN, origin)

    # ------------------------------------------------------------------ loops
    def exec_for_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        # A loop inside another runs again in each of the outer one's rounds, often from the
        # same environment: such a run is replayed (see `loop_runs`).
        runs = self.ctx.loop_runs.setdefault(run_key(self, node), [])
        kept = find_run(runs, self, env)
        if kept is not None:
            return replay_run(self, kept, env)
        entry, state = dict(env), RunState(self)
        out = self._exec_scoped_loop(env, node, label)
        kept = state.kept(self, entry, env, out)
        if kept is not None:
            runs.append(kept)
        return out

    def _exec_scoped_loop(self, env: Env, node: Node, label: str | None) -> Env | None:
        self.push()
        try:
            return self._exec_loop(env, node, label)
        finally:
            self.pop()

    def _exec_loop(self, env: Env, node: Node, label: str | None) -> Env | None:
        clause = next((c for c in children(node) if c.type in ("for_clause", "range_clause")), None)
        condition = None
        update = None
        ranged = None
        body = node.child_by_field_name("body")
        range_vars: list[Node] = []
        range_text = ""
        if clause is not None and clause.type == "for_clause":
            initializer = clause.child_by_field_name("initializer")
            if initializer is not None:
                entered = self.exec(env, initializer)
                if entered is None:
                    return None
                env = entered
            condition = clause.child_by_field_name("condition")
            update = clause.child_by_field_name("update")
        elif clause is not None:
            ranged = clause.child_by_field_name("right")
            self.eval(env, ranged)
            range_text = normalise(self.text_of(ranged))
            left = clause.child_by_field_name("left")
            range_vars = children(left) if left is not None else []
            declares = any(c.type == ":=" for c in clause.children)
            ranged_path = self.path_of(ranged)
            ranged_type = self.type_of_path(ranged_path) if ranged_path is not None else ""
            received = channel_element(ranged_type)
            element_type = self.types.index_type(ranged_type) if ranged_type else ""
            for position, name in enumerate(range_vars):
                if declares and name.type == "identifier":
                    self.declare(name, element_type if position == 1 else received if position == 0 else "")
            if ranged_path is not None and len(range_vars) == 2 and element_type.startswith("*") and not self.elements_only_read(range_vars[1], strip(ranged)):
                # `for _, s := range list` of pointers: s reaches each element, which the body
                # may change through it, unless neither s nor the list is used so (then s names
                # each element's struct in turn, which keeps what its literal built).
                self.forget_entry(env, ranged_path, "")
        else:
            condition = next((c for c in children(node) if c != body), None)
        walked = self._walked_by_iterator(condition, node)
        counter = _counter(clause) if clause is not None and clause.type == "for_clause" else None
        if clause is not None and clause.type == "range_clause" and range_vars and self._counts_from_zero(ranged):
            counter = _range_counter(clause, range_vars[0])
        if counter is not None:
            self.counters.append((*counter, node))
        try:
            return self._run_rounds(env, node, label, clause, condition, update, ranged, body, range_vars, range_text, walked)
        finally:
            if counter is not None:
                self.counters.pop()

    def _run_rounds(
        self, env: Env, node: Node, label: str | None, clause: Node | None, condition: Node | None, update: Node | None,
        ranged: Node | None, body: Node | None, range_vars: list[Node], range_text: str, walked: str,
    ) -> Env | None:
        """A loop's rounds to a fixpoint, then its exit. `walked` is the collection a
        `for it.Next()` loop walks (see `_walked_by_iterator`), or ""."""
        head = env
        frame = Frame("loop", label)
        back: Env | None = None
        settled = False
        # Whether the body runs at all is a test: not for `for {`, a range over what surely
        # has elements, or `for i := 0; i < 2; i++`, whose first round surely runs.
        first_round = self.surely_runs_first_round(clause, ranged)
        tested = not self.summarising and (condition is not None or ranged is not None) and not first_round
        for _round in range(MAX_LOOP_ROUNDS):
            frame = Frame("loop", label)
            self.ctx.frames.append(frame)
            try:
                entry = self.refine(head, condition, True) if condition is not None else dict(head)
                if entry is not None and clause is not None and clause.type == "for_clause" and body is not None:
                    self.note_counter_values(entry, clause, body)
                if entry is not None and range_text:
                    entry = self._enter_range(entry, ranged, range_text)
                if entry is not None and walked:
                    entry = self.refine_nonempty(entry, walked)
                if entry is not None and tested:
                    entry = enter_test(entry, node.start_byte, before=env, ranged=self.path_of(ranged) if ranged is not None else None)
                if entry is not None:
                    # The value is the second variable, or the only one of a channel's range.
                    taken = len(range_vars) - 1 if len(range_vars) == 2 or self.ranges_channel(ranged) else -1
                    element = self.range_element(entry, ranged, range_vars[taken] if taken >= 0 else None) if range_vars else UNKNOWN_VAL
                    if element == UNKNOWN_VAL and (listed := self._listed_constants(ranged)) is not None:
                        element = Val(UNKNOWN, known=listed)  # `for _, k := range []string{"a", "b"}`: k is one of them
                    for position, name in enumerate(range_vars):
                        path = self.path_of(name)
                        if path is not None:
                            value = element if position == taken else UNKNOWN_VAL
                            self.assign_path(entry, path, value, None)
                            if position == taken and ranged is not None:
                                self._copy_listed_children(entry, path, ranged)
                    self.note_range_copy(entry, ranged, range_vars)
                out = self.exec_block(entry, body) if entry is not None and body is not None else entry
                # (a nil that survives on some ends of the round only notes the flags those ends
                # set alike, as a `switch` does: `continue` after `m = make(...); ok = true`)
                back = self.join_cases([out, *frame.continues])
                if back is not None and update is not None:
                    back = self.exec(back, update)
            finally:
                self.ctx.frames.pop()
            new_head = self.mark_loop_carried(head, back, node, env) if back is not None else head
            if new_head == head:
                settled = True
                break
            head = new_head
        else:
            head = {k: join_known(v, UNKNOWN_VAL) for k, v in head.items()}  # widen
        infinite = clause is None and condition is None or (clause is not None and clause.type == "for_clause" and condition is None)
        if settled and ranged is not None and first_round:
            # `for i := range all` over a `[2]T` array (or `range 3`, or a literal with
            # elements) runs its body at least once: it ends where a round ends.
            exit_env = dict(back) if back is not None else None
        elif settled and condition is not None and first_round:
            # `for i := 0; i < 2; i++` too, where a round's end fails the condition.
            exit_env = self.refine(back, condition, False) if back is not None else None
        else:
            exit_env = None if infinite else (self.refine(head, condition, False) if condition is not None else dict(head))
        after = leave_tests_within(self.join_all([exit_env, *frame.breaks]), node.start_byte, node.end_byte)
        if after is not None:
            self.settle_loop_elements(after, node, back, env)
        if after is not None and ranged is not None and body is not None:
            self._note_fills(after, node, body, ranged)
        return after

    def note_counter_values(self, entry: Env, clause: Node, body: Node) -> None:
        """In the body of `for i := 0; i <= 1; i++` that never sets i itself, i is 0 or 1: a
        callee's test of a field set from it (`Version: int16(i)`) is then decided."""
        found = counted(clause, self.known_constant, MAX_KNOWN)
        if found is None or found[0] in self.flow.assigned_names(self.file.path, body, False):
            return
        path = self.path_of_name(found[0])
        if path is not None:
            entry[path] = replace(self.lookup(entry, path), known=found[1])

    def _counts_from_zero(self, ranged: Node | None) -> bool:
        """Whether the first variable of a `range` over `ranged` is an index that is 0 in the
        first round: a range over an integer, an array, a slice or a string (not a map's key,
        a channel's element or an iterator's value)."""
        ranged = strip(ranged)
        if ranged is None:
            return False
        if ranged.type == "int_literal":
            return True
        path = self.path_of(ranged)
        type_text = pointee(self.type_of_path(path)) if path is not None else ""
        return type_text.startswith("[") or type_text in _COUNTABLE

    def surely_runs_first_round(self, clause: Node | None, ranged: Node | None) -> bool:
        """Whether the loop's body runs at least once whatever the run: a range over what surely
        has elements, a counted loop whose first value meets its condition."""
        if ranged is not None:
            return self.surely_has_elements(ranged)
        return clause is not None and clause.type == "for_clause" and runs_first_round(clause, self.known_constant)

    def surely_has_elements(self, ranged: Node) -> bool:
        """Whether what a `range` ranges over has elements whatever the run: a positive integer
        constant, an array of positive length, a composite literal with elements."""
        ranged = strip(ranged)  # type: ignore[assignment]
        if ranged is None:
            return False
        if ranged.type == "int_literal":
            return _positive(self.text_of(ranged))
        if ranged.type == "composite_literal":
            body = ranged.child_by_field_name("body")
            return body is not None and bool(children(body))
        path = self.path_of(ranged)
        if path is None:
            return False
        array = _ARRAY.match(pointee(self.type_of_path(path)))
        return array is not None and _positive(array.group(1))

    def _note_fills(self, env: Env, loop: Node, body: Node, ranged: Node) -> None:
        """Collections this range loop alone fills from a map have elements only if the map had:
        where they are not empty, the map is not nil (`for k := range m { keys = append(keys, k) }`)."""
        ranged_path = self.path_of(ranged)
        if ranged_path is None or not self.types.is_map(self.type_of_path(ranged_path)):
            return
        for name in sorted(filled_names(body)):
            var = self.resolve(name)
            if var is None or var.node is None or var.node.start_byte >= loop.start_byte:
                continue
            if empty_at_declaration(var.node) and not assigned_outside(self.func, name, loop, var.node):
                self.relate(env, READ_FROM, (Local(var.key),), ranged_path)

    def _walked_by_iterator(self, condition: Node | None, loop: Node) -> str:
        """The collection `v` of a loop `for it.Next()` whose iterator was declared
        `it := v.MapRange()` and is not set again outside the loop, else ""."""
        iterator = stepped_iterator(condition)
        var = self.resolve(self.text_of(iterator)) if iterator is not None else None
        if var is None or var.node is None or assigned_outside(self.func, self.text_of(iterator), loop, var.node):
            return ""
        walked = receiver_iterated(declared_value(var.node))
        return normalise(self.text_of(walked)) if walked is not None else ""

    def _enter_range(self, entry: Env, ranged: Node | None, range_text: str) -> Env | None:
        """The body of `for ... range x` runs only when x has elements; of `range v.MapKeys()`,
        only when v has (None: it never runs)."""
        entry = self.refine_nonempty(entry, range_text)
        walked = receiver_iterated(ranged)
        if walked is not None:
            entry = self.refine_nonempty(entry, normalise(self.text_of(walked)))
        ranged_path = self.path_of(ranged)
        if ranged_path is not None and _no_rounds(self.lookup(entry, ranged_path).known):
            return None  # `for range n` of an `n` known to be 0 here: no round runs
        if ranged_path is not None and self._never_set(ranged_path):
            return None  # a map or slice field no code of the package sets is nil in every value
        container = self.related(entry, READ_FROM, ranged_path) if ranged_path is not None else None
        if isinstance(container, tuple):
            entry[container] = not_nil(self.lookup(entry, container))
        if ranged_path is not None and self.measures_a_map(entry, ranged_path):
            # The body runs only for entries of the map, so the map is not nil there; a map
            # nil on every path has no entries, so the body never runs.
            if self.lookup(entry, ranged_path).bits == NIL:
                return None
            if self.summarising and self.lookup(entry, ranged_path).bits & ENTRY:
                self.narrowed_paths.add(ranged_path)  # found not nil, not assigned: the caller's map is kept
            entry[ranged_path] = not_nil(self.lookup(entry, ranged_path))
            if not self.summarising:
                self.relate(entry, CHECKED, ranged_path, True)  # a write into it here is guarded
            for clone, original in self.relations(entry, CLONE_OF):
                # A clone (`maps.Clone(x)`, a helper returning nil only for nil) is nil only
                # where the map it copies is.
                if original == ranged_path:
                    entry[clone] = not_nil(self.lookup(entry, clone))
                    if not self.summarising:
                        self.relate(entry, CHECKED, clone, True)
        return entry

    def _listed_constants(self, ranged: Node | None) -> frozenset[Known] | None:
        """The constants a range's value takes over a slice or array that lists them: a
        literal (`[]string{"a", "b"}`) or a package slice no code changes (None: not only
        constants, or too many to keep)."""
        ranged = strip(ranged)
        if ranged is None:
            return None
        elements: list[Node] | None = None
        written = ranged.child_by_field_name("type") if ranged.type == "composite_literal" else None
        if written is not None and written.type in _LIST_TYPES:
            body = ranged.child_by_field_name("body")
            elements = [e.named_children[0] for e in body.named_children if e.type == "literal_element" and e.named_children] if body is not None else None
            if elements is not None and body is not None and len(elements) != len(body.named_children):
                return None  # a keyed element (`[]string{2: "c"}`) leaves the ones before it zero
        values: list[Known | None]
        if elements is not None:
            values = [self.known_constant(e) for e in elements]
        elif ranged.type == "identifier" and (spelled := self._constant_slice(self.text_of(ranged))) is not None:
            values = [literal_value(s) for s in spelled]
        else:
            return None
        if not values or len(values) > MAX_KNOWN or any(v is None or isinstance(v, bool) for v in values):
            return None
        return frozenset(v for v in values if v is not None)

    def _never_set(self, path: Path) -> bool:
        """Whether `path` is a map or slice field of a package struct that no code of the
        package sets (`x.f` of an `x` whose type is known: its value may be any of the type's)."""
        if len(path) < 2 or path[-1][0] != FIELD:
            return False
        owner = self.type_of_path(path[:-1])
        declaring = self.types.declaring_struct(owner, path[-1][1]) if owner else None
        if declaring is None or self.flow.package.struct_of(declaring.name) is not declaring:
            return False
        return (declaring.name, path[-1][1]) in self.flow.never_set_ranged

    def range_element(self, env: Env, ranged: Node | None, value: Node | None = None) -> Val:
        """The value variable of `range` over a decoded collection is decoded too."""
        path = self.path_of(ranged)
        if path is None:
            return UNKNOWN_VAL
        if ranged is not None and self.ranges_channel(ranged):
            return self.received(env, ranged, ranged)
        val = self.lookup(env, path)
        if val.external is None:
            return self._zero_element(env, path, val, ranged, value)
        description = f"{val.external.description}, ranged over in `{normalise(self.text_of(ranged))}`"
        return Val(UNKNOWN, external=replace(val.external, description=description))

    def _zero_element(self, env: Env, path: Path, val: Val, ranged: Node | None, value: Node | None) -> Val:
        """The value variable of `range` over a slice or array of structs whose elements are
        known (zero ones, or each listed): a copy of any of them, as `all[i]` is. Over element
        pointers it is a second name of any element's struct, which is what `all[i]` holds
        while neither name sets a field of it."""
        type_text = self.type_of_path(path)
        if val.zero is None or val.bits & ~(NIL | MADE) or not type_text.startswith("["):
            return UNKNOWN_VAL
        element_type = self.types.index_type(type_text)
        if not self.types.struct_name(element_type):
            return UNKNOWN_VAL
        if element_type.startswith("*") and not (ranged is not None and value is not None and self.elements_only_read(value, strip(ranged))):
            return UNKNOWN_VAL  # a pointer is no copy: writes through it reach the element
        return self.lookup(env, path + ((INDEX, EACH_ELEMENT),))

    def note_range_copy(self, entry: Env, ranged: Node | None, range_vars: list[Node]) -> None:
        """`for i, v := range X`: v is a copy of X[i] taken as the round begins, so until the
        body stores either, a nil test of `v.m` is one of `X[i].m` (and of `X[i]` itself for
        `v`). Not for a range over an array value, which Go copies before the first round: a
        round may store an element the copy still holds the old value of."""
        if len(range_vars) != 2 or any(v.type != "identifier" or self.text_of(v) == "_" for v in range_vars):
            return
        ranged_path = self.path_of(ranged)
        if ranged_path is None or self.ranges_channel(ranged):
            return
        ranged_type = self.type_of_path(ranged_path)
        if ranged_type.startswith("[") and not ranged_type.startswith("[]"):
            return
        value = self.path_of(range_vars[1])
        if value is not None and len(value) == 1:
            self.relate(entry, RANGE_COPY, value, ranged_path + ((INDEX, self.key_of(range_vars[0])),))
            self.range_copies = True

    def _copy_listed_children(self, env: Env, copy: Path, ranged: Node) -> None:
        """`for _, s := range all` over structs whose elements are known: s is a copy of one of
        them, so below s lies what the environment lists below the elements (`all[0].m`
        made), joined over every element s may be (a zero one among them when the collection
        may hold one no statement listed), not the zero value alone."""
        container = self.path_of(ranged)
        if container is None or self.lookup(env, copy).zero is None:
            return
        held = self.lookup(env, container)
        if held.zero is None or held.bits & ~(NIL | MADE):
            return
        listed = listed_positions(env, container, held.keys)
        size = len(container)
        below = {key[size + 1 :] for key in keys_below(env, container) if len(key) > size + 1 and key[size][0] == INDEX and key[size][1] in listed}
        if not below:
            return
        for rel in sorted(below, key=len):
            # (`Core.lookup` joins an element of no constant position over those it may be)
            env[copy + rel] = self.lookup(env, (*container, (INDEX, EACH_ELEMENT), *rel))

    def ranges_channel(self, ranged: Node | None) -> bool:
        path = self.path_of(ranged)
        return path is not None and bool(channel_element(self.type_of_path(path)))

    def mark_loop_carried(self, head: Env, back: Env, loop: Node, before: Env) -> Env:
        """Join a loop's back edge into its head, marking nils that only the first round has.

        A map nil on entry and made by a later round (`if first { m = make(...) }` in a loop
        over input lines) is nil at a write in the loop only on inputs the loop's own logic
        usually rules out; such writes are not reported (see Known problems). Only a nil the
        loop was entered with (`before`, the environment ahead of its first round) is such
        state: a nil a round stores (`m = nilCounts()` after the write) reaches the next
        round's write whatever the first round did.
        """
        joined = self.join_env(head, back)
        assert joined is not None
        marker = FirstRound(loop.start_byte, loop.end_byte)
        self._mark_zero_elements_carried(head, joined, loop, marker)
        for key, val in joined.items():
            if not val.bits & NIL or val.bits == NIL or val.when is not None:
                continue
            origin = val.origin
            if origin is not None and origin.path == self.file.path and marker.holds(origin.start):
                continue  # a nil made inside the loop (`m = nil` each round) is no first-round artefact
            if self.lookup(before, key).bits & NIL and self.may_change_in(loop, key):
                nil_ends = [env for env in (head, back) if self.lookup(env, key).bits & NILISH]
                joined[key] = replace(val, when=replace(marker, literals=self.carried_facts(key, nil_ends, ())))
        return joined

    def _mark_zero_elements_carried(self, head: Env, joined: Env, loop: Node, marker: FirstRound) -> None:
        """A collection of zero values whose elements a round sets (`list[i].m = make(...)`: the
        join lost what was known of them) holds zero elements in a later round only where the
        first round left them: its elements' nil maps are first-round state, as a nil a later
        round makes is. A `range` over the collection itself is left alone: each of its rounds
        reaches an element no earlier round of that run set. A map's absent keys are not
        elements: which round stores them is told by the loop's conditions."""
        ranged = self._ranged_path(loop)
        for key, val in list(joined.items()):
            before = head.get(key)
            if before is None or before.zero is None or before.zero.kind is OriginKind.ABSENT_KEY or val.zero is not None or key == ranged:
                continue
            if val.bits & NIL:
                continue
            joined[key] = replace(val, zero=before.zero, keys=before.keys, when=marker)

    def _ranged_path(self, loop: Node) -> Path | None:
        """The path of what `for ... range x` ranges over, else None."""
        clause = next((c for c in children(loop) if c.type == "range_clause"), None)
        ranged = clause.child_by_field_name("right") if clause is not None else None
        return self.path_of(ranged) if ranged is not None else None

    # ------------------------------------------------------------------ switch and select
    def exec_expression_switch_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        return self.exec_switch(env, node, label)

    def exec_type_switch_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        return self.exec_switch(env, node, label)

    def exec_switch(self, env: Env, node: Node, label: str | None) -> Env | None:
        self.push()
        try:
            entered = self.exec_initializer(env, node)
            if entered is None:
                return None
            return self._exec_cases(entered, node, label)
        finally:
            self.pop()

    def _exec_cases(self, env: Env, node: Node, label: str | None) -> Env | None:
        value = node.child_by_field_name("value")
        if value is not None:
            self.eval(env, value)
        frame = Frame("switch", label)
        self.ctx.frames.append(frame)
        ends: list[Env | None] = []
        remaining: Env | None = env
        has_default = False
        carried: Env | None = None  # from a `fallthrough`
        aliases = node.children_by_field_name("alias")
        # Cases of a value known to hold constants: which cannot run, and the first that must.
        outcomes = {case.id: self._case_matches(env, value, case) for case in children(node) if case.type == "expression_case" and value is not None}
        first_match = next((case.start_byte for case in children(node) if outcomes.get(case.id) is True), None)
        try:
            for case in children(node):
                if case.type not in ("expression_case", "default_case", "type_case"):
                    continue
                entry = remaining
                if outcomes.get(case.id) is False or (first_match is not None and (case.start_byte > first_match or case.type == "default_case")):
                    entry = None  # no known value matches it, or an earlier case matches every one
                if case.type == "default_case":
                    has_default = True
                elif case.type == "expression_case" and value is None and remaining is not None:
                    conditions = case.child_by_field_name("value")
                    cond = children(conditions)[0] if conditions is not None and len(children(conditions)) == 1 else None
                    if cond is not None:
                        entry = self.refine(remaining, cond, True)
                        remaining = self.refine(remaining, cond, False)
                elif case.type in ("expression_case", "type_case") and entry is not None:
                    entry = self.note_reached(dict(entry), self._case_literal(value, case))
                entry = self.join_all([entry, carried]) if carried is not None else (dict(entry) if entry is not None else None)
                carried = None
                if entry is not None and not self.summarising:
                    entry = enter_test(entry, node.start_byte)
                self.push()
                try:
                    for alias in aliases:
                        for name in children(alias) if alias.type == "expression_list" else [alias]:
                            var = self.declare(name, "")
                            if var is not None and entry is not None:
                                entry[(Local(var.key),)] = UNKNOWN_VAL
                    lists = [c for c in children(case) if c.type == "statement_list"]
                    body = children(lists[0]) if lists else []
                    end = self.exec_statements(entry, body)
                finally:
                    self.pop()
                if body and body[-1].type == "fallthrough_statement":
                    carried = end
                else:
                    ends.append(end)
        finally:
            self.ctx.frames.pop()
        if not has_default and first_match is None and not self._lists_every_constant(value, node):
            ends.append(remaining)
        return leave_test(self.join_cases([*ends, *frame.breaks]), node.start_byte)

    def _case_matches(self, env: Env, value: Node | None, case: Node) -> bool | None:
        """Whether `case` of `switch value` matches, when every constant the value is known to
        hold here tells: True when each matches one of the case's constants, False when none
        does, None otherwise (a value or a listed expression not known)."""
        known = self.known_values(env, value)  # (`switch len(keys)` of a length every call fixes, too)
        if known is None and value is not None and (subject := self.path_of(strip(value))) is not None:
            known = self.lookup(env, subject).known  # (an element, `switch kinds[0]`)
        listed = case.child_by_field_name("value")
        constants = [self.known_constant(expression) for expression in children(listed)] if listed is not None else []
        if known is None or not constants or None in constants:
            return None
        matched = {any(holds("==", frozenset((held,)), constant) for constant in constants if constant is not None) for held in known}
        if any(holds("==", frozenset((held,)), constant) is None for held in known for constant in constants if constant is not None):
            return None  # (an integer compared with a string: nothing told)
        return matched.pop() if len(matched) == 1 else None

    def _lists_every_constant(self, value: Node | None, node: Node) -> bool:
        """A switch on a value of a package enum type whose cases name each of its constants
        (see `flow/exhaustive.py`): no path leaves it without running a case."""
        path = self.path_of(value) if value is not None and node.type == "expression_switch_statement" else None
        if path is None:
            return False
        cases = [case for case in children(node) if case.type == "expression_case"]
        return lists_every_constant(self.flow.package, self.type_of_path(path), cases)

    def _case_literal(self, value: Node | None, case: Node) -> Literal:
        """The fact a case stands for; `switch v { case 2:` is `v == 2` as an `if` spells it, so
        a caller that knows `v` can tell whether the case runs."""
        fact = _case_fact(value, case)
        values = case.child_by_field_name("value") if case.type == "expression_case" else None
        listed = children(values) if values is not None else []
        subject = strip(value)
        if len(listed) != 1 or subject is None:
            return fact
        compared = self._compared_with_constant(subject, "==", strip(listed[0]))
        if compared is None:
            return fact
        return replace(fact, test="compare", subject=compared[0], against=compared[1])

    def exec_select_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        frame = Frame("select", label)
        self.ctx.frames.append(frame)
        ends: list[Env | None] = []
        try:
            for case in children(node):
                if case.type not in ("communication_case", "default_case"):
                    continue
                self.push()
                try:
                    ends.append(self._exec_select_case(env, case))
                finally:
                    self.pop()
        finally:
            self.ctx.frames.pop()
        if not ends:
            return None  # `select {}` blocks forever
        return leave_test(self.join_cases([*ends, *frame.breaks]), node.start_byte)

    def _exec_select_case(self, env: Env, case: Node) -> Env | None:
        entry: Env | None = enter_test(dict(env), case.parent.start_byte) if case.parent is not None and not self.summarising else dict(env)
        communication = case.child_by_field_name("communication")
        if communication is not None and entry is not None:
            if communication.type == "receive_statement":
                right = communication.child_by_field_name("right")
                value = self.eval(entry, right)
                operand = strip(right).child_by_field_name("operand") if strip(right) is not None else None  # type: ignore[union-attr]
                channel = self.path_of(operand) if operand is not None else None
                received_type = channel_element(self.type_of_path(channel)) if channel is not None else ""
                left = communication.child_by_field_name("left")
                declares = any(c.type == ":=" for c in communication.children)
                for position, name in enumerate(children(left) if left is not None else []):
                    received = value if position == 0 else UNKNOWN_VAL
                    if not declares:
                        path = self.path_of(name)
                        if path is not None:
                            self.assign_path(entry, path, received, None)
                    elif name.type == "identifier":
                        var = self.declare(name, received_type if position == 0 else "")
                        if var is not None:
                            entry[(Local(var.key),)] = received
            else:
                entry = self.exec(entry, communication)
        nodes: list[Node] = []
        for c in children(case):
            if c != communication:
                nodes.extend(children(c) if c.type == "statement_list" else [c])
        return self.exec_statements(entry, nodes)


# Types whose `range` counts from 0: integers and strings (whose index is a byte offset).
_COUNTABLE = INTEGER_TYPES | {"string"}

_ARRAY = re.compile(r"^\[\s*([0-9][0-9_xXa-fA-F]*)\s*\]")


def _positive(literal: str) -> bool:
    try:
        return int(literal.replace("_", ""), 0) > 0
    except ValueError:
        return False


def _case_fact(value: Node | None, case: Node) -> Literal:
    """`switch v { case a, b:` as the fact its case stands for (`v == a`, or the whole list)."""
    values = case.child_by_field_name("value") or case.child_by_field_name("type")
    listed = normalise((values.text or b"").decode("utf-8", "replace")) if values is not None else ""
    subject = normalise((value.text or b"").decode("utf-8", "replace")) if value is not None else ""
    atom = f"{subject} == {listed}" if "," not in listed else f"{subject} in ({listed})"
    return Literal(atom, True, atom, True)


def _counter(clause: Node) -> tuple[str, str] | None:
    """(`i`, `0`) of `for i := 0; ...; i++`: a counter whose first round is the one where it is 0."""
    initializer = clause.child_by_field_name("initializer")
    update = clause.child_by_field_name("update")
    if initializer is None or update is None or initializer.type != "short_var_declaration" or update.type != "inc_statement":
        return None
    left, right = initializer.child_by_field_name("left"), initializer.child_by_field_name("right")
    names = children(left) if left is not None else []
    values = children(right) if right is not None else []
    stepped = children(update)
    if len(names) != 1 or len(values) != 1 or not stepped or (stepped[0].text or b"") != (names[0].text or b""):
        return None
    return (names[0].text or b"").decode(), normalise((values[0].text or b"").decode())


def _no_rounds(known: frozenset[int | str] | None) -> bool:
    """Whether an integer a loop ranges over holds no value above 0 (a string's bytes are no
    rounds of it: only integers are)."""
    return bool(known) and all(isinstance(value, int) and value <= 0 for value in known or ())


def _range_counter(clause: Node, index: Node) -> tuple[str, str] | None:
    """(`i`, `0`) of `for i := range x` (x counted from 0), else None."""
    if index.type != "identifier" or (index.text or b"") == b"_" or not any(c.type == ":=" for c in clause.children):
        return None
    return (index.text or b"").decode(), "0"
