"""The maps a same-package function hands the func literal it is given.

`patchAnnotation(ctx, c, app, func(m map[string]string) { m[k] = v })`, where patchAnnotation
calls its func parameter as `f(annotations)` with `annotations := a.DeepCopy().Annotations`:
the literal's `m` is that map, nil when the object has no annotations. A literal's map
parameter holds a decoded map when every call of the func parameter the literal is bound to
(see `callbacks`) passes one; anything else leaves it unknown, as any parameter is.
"""
from __future__ import annotations

import weakref
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.callback_calls import calls_of_callback
from analyzers.flow.callbacks import _binding_call, _bound_parameter, _callee
from analyzers.flow.frames import Env
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.syntax import arguments_of, strip
from analyzers.flow.values import EXTERNAL, NIL, Val
from analyzers.parsing import text
from analyzers.source import SourceFile

# Per package analysis: (callee file, callee start, parameter, position) -> what its calls pass.
_HANDED: weakref.WeakKeyDictionary[object, dict[tuple, Val | None]] = weakref.WeakKeyDictionary()
_IN_PROGRESS: set[tuple] = set()


class _ArgumentProbe(Interpreter):
    """A run of a function that notes what some of its calls pass at one position."""

    def __init__(self, flow, file: SourceFile, function: Node, calls: list[Node], position: int) -> None:
        super().__init__(flow, file, function)
        self.calls = {(call.start_byte, call.end_byte) for call in calls}
        self.position = position
        self.seen: list[Val] = []

    def eval_call(self, env: Env, node: Node) -> Val:
        if (node.start_byte, node.end_byte) in self.calls:
            arguments = arguments_of(node)
            argument = strip(arguments[self.position]) if self.position < len(arguments) else None
            path = self.path_of(argument) if argument is not None else None
            self.seen.append(self.lookup(env, path) if path is not None else Val(0))
        return super().eval_call(env, node)


def handed_to_literal(flow, file: SourceFile, literal: Node, position: int) -> Val | None:
    """The decoded map every call of the literal's bound func parameter passes at `position`
    (None: not bound at a same-package call, called where nobody sees, or passed anything else)."""
    binding = _binding_call(literal)
    callee = _callee(flow, file, binding[0]) if binding is not None else None
    if binding is None or callee is None:
        return None
    callee_file, function = callee
    parameter = _bound_parameter(function, binding[1])
    key = (callee_file.path, function.start_byte, parameter, position)
    cache = _HANDED.setdefault(flow, {})
    order = flow.answer_order  # a guard's answer makes the answers computed meanwhile depend on the order
    if key in cache:
        order.reused(("handed", key))
        return cache[key]
    if key in _IN_PROGRESS:
        order.reused(("handed", key))
        return None
    _IN_PROGRESS.add(key)
    try:
        with order.computing(("handed", key)):
            cache[key] = _handed(flow, callee_file, function, parameter, position)
    finally:
        _IN_PROGRESS.discard(key)
    return cache[key]


def _handed(flow, file: SourceFile, function: Node, parameter: str | None, position: int) -> Val | None:
    body = function.child_by_field_name("body")
    calls = calls_of_callback(body, parameter) if parameter is not None and body is not None else None
    if not calls:
        return None
    probe = _ArgumentProbe(flow, file, function, calls, position)
    try:
        probe.run()
    except RecursionError:
        return None
    if not probe.seen or any(not val.bits & EXTERNAL or val.bits & NIL or val.external is None for val in probe.seen):
        return None
    val = probe.seen[0]
    name = function.child_by_field_name("name")
    shown = f"handed to this callback by `{text(name)}`" if name is not None else "handed to this callback"
    assert val.external is not None
    return replace(val, external=replace(val.external, description=f"{val.external.description}, {shown}"))
