"""What a loop may change from one round to the next, and so what its rounds have in common.

A variable the loop never sets (no assignment, no call handed it or its address, no closure
that may set it) holds in every round what it held before the loop, and a branch condition
that tests only such variables goes the same way in every round: a map made under it is made
in every round or in none, and a write under it runs in every round or in none.
"""
from __future__ import annotations

import functools
import re

from tree_sitter import Node

from analyzers.flow.expressions import Expressions
from analyzers.flow.paths import FIELD, IDENTIFIER, Global, Path
from analyzers.flow.syntax import (
    arguments_of,
    calls_under,
    children,
    descendants,
    is_builtin_call,
    may_leave,
    root_name,
    selection,
    statements,
    stored_targets,
    strip,
    text,
)
from analyzers.flow.types import normalise
from analyzers.flow.values import Literal
from analyzers.gotext import name as name_pattern

# In a condition's text: string literals (whose words are no names), calls, and the fields a
# selector names (which belong to what the selector's operand holds).
_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')
_CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_SELECTED = re.compile(r"\.\s*[A-Za-z_][A-Za-z0-9_]*")
_NOT_NAMES = frozenset({"nil", "true", "false"})

# Where statements follow one another: a block, and the statements of a `case`.
_SEQUENCES = frozenset({"block", "statement_list", "expression_case", "default_case"})


@functools.lru_cache(maxsize=1024)
def _address_of(name: str) -> re.Pattern[bytes]:
    """`&x`, not the `&&` of `a && x`: the test of the byte before the `&` is written after
    it, so the pattern starts with `&` and is searched for as a byte (one that starts with the
    test is tried at every byte of the function, for every name every loop asks about);
    compiled once per name."""
    return re.compile(rb"&(?<!&&)\s*" + name_pattern(name))


class LoopChanges(Expressions):
    """Which variables and conditions a loop may change between rounds."""

    def set_by_closures(self) -> set[str]:
        """Names a closure of the function may assign (a call naming none of them may run it):
        every name the function assigns or hands to a call, when it holds a closure at all."""
        source = (self.func.text or b"")[4:]
        if b"func(" not in source and b"func (" not in source:
            return set()
        return self.flow.assigned_names(self.file.path, self.func, True)

    def may_change_in(self, loop: Node, path: Path) -> bool:
        """Whether the loop may set the variable `path` starts from (or what it holds): an
        assignment, a call handed it or called on it, a closure it runs, `&` of it anywhere
        (a pointer may set it), or, for a package variable, any call. A loop that does none of
        these leaves it as it found it: not nil in a later round only where a write or a check
        of the first round said so, and then it was not nil in the first round either."""
        root = path[0]
        var = self.var_of(root)
        name = root.name if isinstance(root, Global) else var.name if var is not None else ""
        selected: list[str] = []
        for step in path[1:]:
            if step[0] != FIELD:
                break
            selected.append(step[1])
        return not name or self._may_set(loop, name, isinstance(root, Global), selected=tuple(selected))

    def name_may_change_in(self, loop: Node, name: str) -> bool:
        """`may_change_in` of the variable, constant or package variable `name` as seen here. A
        function literal the loop calls where it is written (`func() {...}()`) sets only what
        its body, which lies in the loop, assigns."""
        if self.resolve(name) is not None:
            return self._may_set(loop, name, False, literals_read=True)
        if name in self.flow.package.consts or name in self.flow.package.funcs:
            return False
        return self._may_set(loop, name, True, literals_read=True)

    def _may_set(self, loop: Node, name: str, package_level: bool, literals_read: bool = False, selected: tuple[str, ...] = ()) -> bool:
        """`selected`: the fields of `name` the question is about (`s.items`); a call handed
        another field, or that field's value itself, cannot set it."""
        if name in self.flow.assigned_names(self.file.path, loop, not selected) or name in _declared_or_stepped(loop):
            return True
        calls = calls_under(loop)
        if selected and any(self._call_may_set(call, name, selected) for call in calls):
            return True
        if _address_of(name).search(self.func.text or b"") is not None or name in self.set_by_closures():
            return True
        for call in calls:
            function = strip(call.child_by_field_name("function"))
            if function is not None and function.type == "func_literal" and literals_read:
                continue
            if function is None or function.type == "func_literal" or package_level and not is_builtin_call(call):
                return True
            if function.type == "identifier" and not is_builtin_call(call) and self.text_of(function) not in self.flow.package.funcs:
                return True  # a function value or a closure, which may set what it captures
        return False

    def _call_may_set(self, call: Node, name: str, selected: tuple[str, ...]) -> bool:
        """Whether `call` may set field `selected` of `name`: a method called on anything of
        `name` (a pointer receiver gets its address), or an argument of `name` other than a
        selection of a field apart from `selected` or of `selected` itself (`put(s.items, k)`
        hands the map, whose entries it may store, never the field; `f(s)` or `f(s.inner)`
        may hand a pointer it lies under)."""
        if is_builtin_call(call):
            return False
        function = strip(call.child_by_field_name("function"))
        if function is not None and function.type == "selector_expression" and root_name(function.child_by_field_name("operand"), through_index=True) == name:
            return not self._value_receivers_only(text(function.child_by_field_name("field") or function))
        for argument in arguments_of(call):
            if root_name(argument, through_index=True) != name:
                continue
            fields = _selected_fields(strip(argument), name)
            if fields is None or (len(fields) < len(selected) and selected[: len(fields)] == fields):
                return True
        return False

    def _value_receivers_only(self, method: str) -> bool:
        """Whether every same-package method called `method` has a value receiver (it gets a
        copy, and sets nothing of what it is called on); False when the package has none."""
        declared = [decl for (_, name), decl in self.flow.package.methods.items() if name == method]
        return bool(declared) and not any(decl.pointer_receiver for decl in declared)

    def holds_every_round(self, literal: Literal, loop: Node) -> bool:
        """Whether a branch fact has the same truth in every round of the loop."""
        return literal.test not in ("runs", "called") and self.steady_text(literal.atom, loop)

    def steady_text(self, text: str, loop: Node) -> bool:
        """Whether an expression has the same value in every round of the loop: it calls
        nothing (but `len`) and names nothing the loop may set."""
        text = _STRING_LITERAL.sub('""', text)
        if any(call != "len" for call in _CALLED.findall(text)):
            return False
        names = set(IDENTIFIER.findall(_SELECTED.sub("", text))) - _NOT_NAMES
        return all(not self.name_may_change_in(loop, name) for name in names)

    def reached_every_round(self, node: Node, loop: Node) -> bool:
        """Whether `node` runs in a round of the loop whenever it runs in some round: every
        branch around it inside the loop tests what holds in every round, no inner loop or
        closure holds it, and nothing before it on the way can end the round."""
        way = _way_up(node, loop)
        return way is not None and all(
            self._enters_steadily(parent, child, loop) and not any(may_leave(earlier) for earlier in _before(parent, child))
            for parent, child in way
        )

    def reached_first_round_only(self, node: Node, loop: Node) -> bool:
        """Whether `node` runs in the loop's first round whenever it runs at all, and in no
        other: it lies in the branch of `if i == 0` (the loop's counter at its first value,
        which the body never sets), every other branch on the way tests what holds in every
        round, and nothing before it on the way can end the round. What it sees is then what
        the loop was entered with, not state a later round carries."""
        first = self.first_round_test(loop)
        way = _way_up(node, loop)
        if first is None or way is None:
            return False
        tested = False
        for parent, child in way:
            if any(may_leave(earlier) for earlier in _before(parent, child)):
                return False
            if parent.type == "if_statement" and child == parent.child_by_field_name("consequence"):
                condition = parent.child_by_field_name("condition")
                shown = normalise(self.text_of(condition)) if condition is not None else ""
                if shown == first:
                    tested = True
                    continue
            if not self._enters_steadily(parent, child, loop):
                return False
        return tested

    def first_round_test(self, loop: Node) -> str | None:
        """`i == 0` of a loop counting with `i` from 0 (`for i := 0; ...; i++`, `for i := range
        n`), true in its first round alone, when the body never sets `i`; else None."""
        body = loop.child_by_field_name("body")
        for name, first, counted in self.counters:
            if counted == loop and body is not None and name not in self.flow.assigned_names(self.file.path, body, False):
                return f"{name} == {first}"
        return None

    def stored_before_in_round(self, path: Path, node: Node, loop: Node) -> bool:
        """Whether every run of `node` in a round of the loop follows a store to `path` in that
        same round (`m = pick(i == 0)` before `m[k]++` in the loop's body): what `path` holds
        there is what the round stored, not what an earlier round left."""
        way = _way_up(node, loop, through_loops=True)  # a store before it in an inner round is as near
        return way is not None and any(self._stores(earlier, path) for parent, child in way for earlier in _before(parent, child))

    def set_unsteadily_before_in_round(self, path: Path, node: Node, loop: Node) -> bool:
        """Whether a statement of the round that runs before `node` may set the variable
        `path` starts from other than by assignments that run in every round or in none (a
        `switch` on what the loop never changes picks the same case each round): a call
        handed it or its address, a declaration, an assignment under a test that may go
        another way in another round. True when a closure or an inner loop holds `node`."""
        root = path[0]
        var = self.var_of(root)
        name = root.name if isinstance(root, Global) else var.name if var is not None else ""
        way = _way_up(node, loop)
        if not name or way is None:
            return True
        earlier = [statement for parent, child in way for statement in _before(parent, child)]
        return any(name in self.flow.assigned_names(self.file.path, statement, True) and not self._set_steadily(statement, name, loop) for statement in earlier)

    def _set_steadily(self, statement: Node, name: str, loop: Node) -> bool:
        """Whether `statement` sets the variable `name` only by plain assignments (`name = v`)
        each of which runs in every round of the loop or in none."""
        if re.search(rb"(?<!&)&\s*" + name_pattern(name), self.func.text or b"") is not None or name in self.set_by_closures():
            return False
        if any(name in IDENTIFIER.findall(self.text_of(call)) for call in calls_under(statement) if not is_builtin_call(call)):
            return False  # handed to a call, or a method called on it
        if any(node.type in ("short_var_declaration", "var_spec", "range_clause") and name in IDENTIFIER.findall(self.text_of(node)) for node in descendants(statement)):
            return False
        targets = [target for target in stored_targets(statement) if root_name(target, through_index=False) == name]
        return all(target.type == "identifier" and self._assigned_every_round_or_none(target, loop) for target in targets)

    def _assigned_every_round_or_none(self, target: Node, loop: Node) -> bool:
        way = _way_up(target, loop)
        return way is not None and all(self._enters_steadily(parent, child, loop) for parent, child in way)

    def _stores(self, statement: Node, path: Path) -> bool:
        """Whether the statement is an assignment to `path` itself, or runs a closure
        (`func() { m = pick(i == 0) }()`, or `reset()` of `reset := func() {...}`) whose every
        run makes one: its body runs, whole, right there, so what it stores is the round's own
        store."""
        literal = self._closure_run_by(statement)
        if literal is not None:
            return self._closure_stores(literal, path)
        if statement.type not in ("assignment_statement", "short_var_declaration"):
            return False
        left = statement.child_by_field_name("left")
        return any(self.path_of(target) == path for target in (children(left) if left is not None else []))

    def _closure_run_by(self, statement: Node) -> Node | None:
        """The func literal an expression statement calls: one written in place (`func() {
        ... }()`), or the one a variable is bound to (`reset()` of `reset := func() {...}`)."""
        if statement.type != "expression_statement" or not children(statement):
            return None
        call = strip(children(statement)[0])
        function = strip(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
        if function is not None and function.type == "identifier":
            name = self.text_of(function)
            var = self.resolve(name)
            # The literal the name was declared with, as the call runs it: not if reassigned.
            return var.closure if var is not None and name not in self.reassigned() else None
        return function if function is not None and function.type == "func_literal" else None

    def _closure_stores(self, literal: Node, path: Path) -> bool:
        """Whether every run of the func literal assigns `path` in a statement of its body itself,
        before any statement that can end the run, the literal declaring no name of its own
        that `path`'s variable could be (a parameter or local of that name is another one)."""
        body = literal.child_by_field_name("body")
        if body is None:
            return False
        root = path[0]
        var = self.var_of(root)
        name = root.name if isinstance(root, Global) else var.name if var is not None else ""
        if not name or name in _declared_in(literal):
            return False
        for statement in statements(body):
            if self._stores(statement, path):
                return True
            if may_leave(statement):
                return False
        return False

    def _enters_steadily(self, parent: Node, child: Node, loop: Node) -> bool:
        """Whether `child` of `parent` runs in every round or in none, as far as `parent` decides."""
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if child in (parent.child_by_field_name("consequence"), parent.child_by_field_name("alternative")):
                return condition is not None and self.steady_text(normalise(self.text_of(condition)), loop)
            return True
        if parent.type in ("expression_case", "default_case"):
            switch = parent.parent
            if switch is None or switch.type != "expression_switch_statement" or switch.child_by_field_name("initializer") is not None:
                return False
            tested = [switch.child_by_field_name("value")]
            tested += [case.child_by_field_name("value") for case in children(switch) if case.type == "expression_case"]
            return all(part is None or self.steady_text(normalise(self.text_of(part)), loop) for part in tested)
        return parent.type not in ("type_switch_statement", "type_case", "select_statement", "communication_case")


def _selected_fields(node: Node | None, name: str) -> tuple[str, ...] | None:
    """The fields of `name.f.g` (a plain selection chain), or None for anything else (`name`
    itself, an index, a call, an address)."""
    root, fields = selection(node)
    if root is None or root.type != "identifier" or text(root) != name or not fields:
        return None
    return tuple(fields)


def _declared_or_stepped(loop: Node) -> set[str]:
    """Names the loop declares afresh each round (`:=`, `var`, its `range` variables) or steps
    (`i++`), which `assigned_names` leaves out."""
    names: set[str] = set()
    for node in descendants(loop):
        if node.type in ("short_var_declaration", "range_clause"):
            left = node.child_by_field_name("left")
            names.update(text(n) for n in (children(left) if left is not None else []) if n.type == "identifier")
        elif node.type == "var_spec":
            names.update(text(n) for n in node.children_by_field_name("name"))
    names.update(filter(None, (root_name(target, through_index=False) for target in stored_targets(loop))))
    return names


def _declared_in(literal: Node) -> set[str]:
    """The names a func literal declares: its parameters and results, its locals."""
    names: set[str] = set()
    for node in descendants(literal):
        if node.type in ("parameter_declaration", "variadic_parameter_declaration", "var_spec", "const_spec"):
            names.update(text(n) for n in node.children_by_field_name("name"))
        elif node.type in ("short_var_declaration", "range_clause"):
            left = node.child_by_field_name("left")
            names.update(text(n) for n in (children(left) if left is not None else []) if n.type == "identifier")
    return names


def _way_up(node: Node, loop: Node, through_loops: bool = False) -> list[tuple[Node, Node]] | None:
    """Each (parent, child) from `node` up to the loop's body; None when a function literal
    holds `node`, or (unless `through_loops`) an inner loop: their runs are not the round's."""
    body = loop.child_by_field_name("body")
    way = []
    current = node
    while current != body:
        parent = current.parent
        if parent is None or parent.type == "func_literal" or parent.type == "for_statement" and not through_loops:
            return None
        way.append((parent, current))
        current = parent
    return way


def _before(sequence: Node, child: Node) -> list[Node]:
    """The statements of `sequence` (a block, a case) before `child`; none for other nodes."""
    if sequence.type not in _SEQUENCES:
        return []
    found = []
    for earlier in children(sequence):
        if earlier == child:
            break
        found.append(earlier)
    return found
