"""Cached results placed in the current trees: their offsets moved with the declarations they
lie in, their nodes found again.

A re-parse makes every node of the edited file new, so at every check each cached result of a
function of an edited file is placed again; on a file of 450 functions that was half of the
check. What the placing of every result kept under the same state of the files shares is found
once per check (`Placements`): which of the files its offsets point into changed, how their
declarations moved, and the movers, whose memos (the declaration the last offset lay in, the
locals' moved keys, each file's tree) serve every result placed with them.
"""
from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Callable
from typing import TypeVar

from tree_sitter import Node

from analyzers.flow.cache import Dependencies, Relocation
from analyzers.flow.events import WriteEvent
from analyzers.flow.paths import Local
from analyzers.flow.rechecks import Variant
from analyzers.flow.values import Condition, FirstRound, Literal, Origin, Val, When


class Placements:
    """The cached results of one check placed in the package's current trees."""

    def __init__(self, dependencies: Dependencies) -> None:
        self._dependencies = dependencies
        self._states: dict[tuple, _State] = {}

    def events(self, variant: Variant) -> list[WriteEvent] | None:
        """A variant's events where the declarations they lie in are now: as they are when no
        file they point into has changed, or when only files their origins point into changed,
        past every offset they hold; moved when declarations moved; None when one cannot be
        placed."""
        state = self._states.get(variant.then_key)
        if state is None:
            state = self._states[variant.then_key] = _State(self._dependencies, variant.then)
        if not state.changed:
            return variant.events
        relocation = state.relocation
        if relocation is None:
            return None
        if variant.extent is None:  # (found when first needed: a function typed in is analysed again at every check)
            variant.extent, variant.node_paths = offsets_held(variant.events)
        unmoved = relocation.unmoved_below(variant.extent)
        if unmoved and state.changed.isdisjoint(variant.node_paths):
            return variant.events
        mover = state.node_mover() if unmoved else state.event_mover()
        try:
            return [mover.event(event) for event in variant.events]
        except _Gone:
            return None


class _State:
    """How the files a group of results point into (as they were when the results were kept)
    changed since: the same for every result kept at the same check."""

    __slots__ = ("changed", "relocation", "_root_of", "_movers")

    def __init__(self, dependencies: Dependencies, then: dict) -> None:
        ours = {path: spans for path, spans in then.items() if spans is not None}  # None: another package's file
        self.changed = frozenset(path for path, spans in ours.items() if (now := dependencies.spans(path)) is None or now.digest != spans.digest)
        self.relocation = dependencies.relocation(ours) if self.changed else None
        files = dependencies.package.files
        self._root_of: Callable[[str], Node | None] = lambda path: files[path].tree.root_node if path in files else None
        self._movers: dict[type, _EventMover] = {}

    def node_mover(self) -> _EventMover:
        return self._mover(_NodeMover)

    def event_mover(self) -> _EventMover:
        return self._mover(_EventMover)

    def _mover(self, kind: type[_EventMover]) -> _EventMover:
        found = self._movers.get(kind)
        if found is None:
            assert self.relocation is not None
            found = self._movers[kind] = kind(self.relocation, self._root_of)
        return found


class _Gone(Exception):
    """An offset of a cached result whose declaration is no longer there."""


def offsets_held(events: list[WriteEvent]) -> tuple[dict[str, int], frozenset[str]]:
    """The largest offset cached events hold in each file (as `relocate_events` reads them), and
    the files their nodes lie in: when nothing up to those offsets moved, only their nodes are
    found again, and not even those when no file they lie in changed."""
    recorder = _OffsetRecorder()
    for event in events:
        recorder.event(event)
    return recorder.largest, frozenset(recorder.node_paths)


class _EventMover:
    """Moves the offsets of cached events with the declarations they lie in.

    Nodes are found again in the current trees by their moved ranges; origins, the writes of
    callees (in other declarations, maybe other files), first-round spans and the offsets in
    locals' keys (`name@offset`, the written path's root and conditions' subjects, which rules
    compare with the origins) move by the delta of the declaration they lie in. Descriptions
    name lines only through the origin's own offset (`Origin.describe`), so nothing else
    changes. An offset that cannot be placed again raises `_Gone` (then the function is
    analysed afresh). One mover serves every result placed under the same relocation at a
    check: what it remembers depends on the relocation alone.

    A class, not nested closures:
    closures that call each other form reference cycles, and every cached function of an
    edited file is moved at every check, so their cycles were most of the garbage a check
    left for the cyclic collector (about 20,000 objects an edit on a file of 450 findings).

    Every cached event of an edited file is moved at every check (a re-parse makes every
    node new), so the common cases are kept short: the declaration an offset lies in is
    usually the one the last offset of that file lay in, a local's key recurs in the
    function's conditions, and values are copied slot by slot, not through
    `dataclasses.replace`."""

    def __init__(self, relocation: Relocation, root_of: Callable[[str], Node | None]) -> None:
        self._relocation = relocation
        self._root_of = root_of
        self._roots: dict[str, Node | None] = {}
        self._last: dict[str, tuple[int, int, int]] = {}  # path -> (start, end, delta) of the last declaration used
        self._locals: dict[tuple[str, str], str] = {}

    def offset(self, path: str, offset: int) -> int:
        last = self._last.get(path)
        if last is not None and last[0] <= offset < last[1]:
            return offset + last[2]
        moves = self._relocation.moves(path)
        if moves is None:  # (a file of another package: its offsets stay)
            return offset
        at = bisect_right(moves.starts, offset) - 1
        if at < 0:
            raise _Gone
        entry = moves.entries[at]
        if not entry[0] <= offset < entry[1]:
            raise _Gone
        self._last[path] = entry
        return offset + entry[2]

    def node(self, path: str, node: Node) -> Node:
        start = self.offset(path, node.start_byte)
        end = start + (node.end_byte - node.start_byte)
        root = self._roots.get(path, self)
        if root is self:
            root = self._roots[path] = self._root_of(path)
        found = root.descendant_for_byte_range(start, end) if isinstance(root, Node) else None
        kind = node.kind_id  # (one grammar: the same kind has the same id in every tree, and an id is cheaper to read than a name)
        while found is not None and (found.kind_id != kind or found.start_byte != start or found.end_byte != end):
            found = found.parent if found.parent is not None and found.parent.start_byte == start else None
        if found is None:
            raise _Gone
        return found

    def origin(self, origin: Origin | None) -> Origin | None:
        if origin is None:
            return None
        start = self.offset(origin.path, origin.start)
        if not origin.others:
            return origin if start == origin.start else _copy(origin, start=start, end=start + (origin.end - origin.start))
        others = tuple((path, self.offset(path, at), self.offset(path, at) + (end - at)) for path, at, end in origin.others)
        if start == origin.start and others == origin.others:
            return origin
        return _copy(origin, start=start, end=start + (origin.end - origin.start), others=others)

    def root(self, path: str, access: tuple) -> tuple:
        """An access path whose root is a local (`name@offset` of its declaration): rules
        compare that offset with the origins', so it moves with them."""
        if not access or not isinstance(access[0], Local):
            return access
        local = access[0]
        moved = self._locals.get((path, local))
        if moved is None:
            name, _, offset = local.rpartition("@")
            if not offset.isdigit():
                moved = local
            else:
                now = self.offset(path, int(offset))
                moved = local if now == int(offset) else Local(f"{name}@{now}")
            self._locals[(path, local)] = moved
        return access if moved is local else (moved, *access[1:])

    def literal(self, path: str, literal: Literal) -> Literal:
        if not literal.subject:
            return literal
        subject = self.root(path, literal.subject)
        return literal if subject is literal.subject else _copy(literal, subject=subject)

    def condition(self, path: str, condition: Condition) -> Condition:
        literals = [self.literal(path, literal) for literal in condition.literals]
        for new, old in zip(literals, condition.literals, strict=True):
            if new is not old:
                return Condition(tuple(literals))
        return condition

    def when(self, path: str, when: When | None) -> When | None:
        if when is None:
            return None
        if isinstance(when, FirstRound):
            start = self.offset(path, when.start)
            literals = tuple(self.literal(path, literal) for literal in when.literals)
            if start == when.start and all(new is old for new, old in zip(literals, when.literals, strict=True)):
                return when
            return FirstRound(start, start + (when.end - when.start), literals)
        if isinstance(when, Condition):
            return self.condition(path, when)
        return when

    def val(self, path: str, val: Val) -> Val:
        """The value with its offsets moved; itself when none moved (the declarations above an
        edit stay where they were)."""
        # (each part looked at before a call: most are None, and every value below an edit is moved at every check)
        origin, zero, external, when, tests = val.origin, val.zero, val.external, val.when, val.tests
        if origin is not None:
            origin = self.origin(origin)
        if zero is not None:
            zero = self.origin(zero)
        if external is not None:
            external = self.origin(external)
        if when is not None:
            when = self.when(path, when)
        if tests:
            tests = frozenset([self.offset(path, test) for test in tests])
        if origin is val.origin and zero is val.zero and external is val.external and when is val.when and tests == val.tests:
            return val
        return _copy(val, origin=origin, zero=zero, external=external, when=when, tests=tests)

    def event(self, event: WriteEvent) -> WriteEvent:
        # (a copy of the event's fields, not `dataclasses.replace`, each part looked at before a
        # call: every cached event of an edited file is moved at every check, and its nodes
        # always are, into the new tree)
        path = event.path
        fields = event.__dict__.copy()
        fields["node"] = self.node(path, event.node)
        fields["statement"] = self.node(path, event.statement)
        fields["val"] = self.val(path, event.val)
        if event.target_path and isinstance(event.target_path[0], Local):
            fields["target_path"] = self.root(path, event.target_path)
        callee = event.callee
        if callee is not None:
            fields["callee"] = self.event(callee)
        if event.reached is not None:
            fields["reached"] = self.when(path, event.reached)
        if event.open_conditions is not None:  # (the callee's conditions: its locals lie in the callee's file)
            fields["open_conditions"] = self.condition(callee.path if callee is not None else path, event.open_conditions)
        return _event_of(fields)


class _NodeMover(_EventMover):
    """Places events none of whose offsets moved (the function lies above the edit): only their
    nodes are found again, in the new tree."""

    def offset(self, path: str, offset: int) -> int:
        return offset

    def event(self, event: WriteEvent) -> WriteEvent:
        path = event.path
        fields = event.__dict__.copy()
        fields["node"] = self.node(path, event.node)
        fields["statement"] = self.node(path, event.statement)
        if event.callee is not None:
            fields["callee"] = self.event(event.callee)
        return _event_of(fields)


def _event_of(fields: dict[str, object]) -> WriteEvent:
    """A write event of these fields, without `__init__` (it is frozen: each field would be set
    through `object.__setattr__`)."""
    event = object.__new__(WriteEvent)
    object.__setattr__(event, "__dict__", fields)
    return event


class _OffsetRecorder(_EventMover):
    """Walks events as `_EventMover` does, moving nothing, and notes the largest offset read in
    each file (`offsets_held`)."""

    def __init__(self) -> None:
        super().__init__(Relocation({}), lambda path: None)
        self.largest: dict[str, int] = {}
        self.node_paths: set[str] = set()

    def offset(self, path: str, offset: int) -> int:
        if offset > self.largest.get(path, -1):
            self.largest[path] = offset
        return offset

    def node(self, path: str, node: Node) -> Node:
        self.offset(path, node.start_byte)
        self.node_paths.add(path)
        return node


_Slotted = TypeVar("_Slotted", Origin, Literal, Val)


def _copy(value: _Slotted, **changes: object) -> _Slotted:
    """A frozen slotted dataclass with some fields changed: `dataclasses.replace` without its
    checks, by position (their fields are all set by `__init__`, in the order of `__slots__`)."""
    kind = type(value)
    read, index = _LAYOUTS.get(kind) or _layout(kind)
    values = list(read(value))
    for name, new in changes.items():
        values[index[name]] = new
    return kind(*values)


_LAYOUTS: dict[type, tuple[Callable[[object], tuple], dict[str, int]]] = {}


def _layout(kind: type) -> tuple[Callable[[object], tuple], dict[str, int]]:
    """A slotted class's reader of every field, and each field's place."""
    found = _LAYOUTS.get(kind)
    if found is None:
        slots = kind.__slots__  # type: ignore[attr-defined]
        found = _LAYOUTS[kind] = (operator.attrgetter(*slots), {name: at for at, name in enumerate(slots)})
    return found


def referenced_paths(events: list[WriteEvent]) -> set[str]:
    """The files whose offsets cached events hold: their own, their origins', their callees'."""
    paths: set[str] = set()
    stack = list(events)
    while stack:
        event = stack.pop()
        paths.add(event.path)
        for origin in (event.val.origin, event.val.zero, event.val.external):
            if origin is not None:
                paths.add(origin.path)
                paths.update(path for path, _, _ in origin.others)
        if event.callee is not None:
            stack.append(event.callee)
    return paths
