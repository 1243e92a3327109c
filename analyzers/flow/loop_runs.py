"""Runs of a loop kept for the rounds of the loops around it.

Each round of an outer loop runs an inner loop to its fixpoint from scratch, so a loop nested
n deep runs up to 3**n times. A run is a function of the environment it starts from and of
the little state of the function's run it reads besides: started again from an environment
equal to one it already ran from (same paths, same values, same order), with that state as it
was then, it does again what it did. Such a run is replayed, not interpreted: the loop's way
out, what it left in the environment it was handed, and what it added to the function's run
(write events, `return`s, `goto`s, `break`s and `continue`s of outer statements, paths
assigned or found not nil). A label inside the loop reads what the `goto`s to it left, and
a nil comparison the writes remembered unguarded: the run is replayed only when those are
still what they were when it began.

A run is kept only when all it did outside the environment can be replayed that way: one that
ran a closure's body (called where it is defined, or analysed the first time it escapes: the
body has a context of its own), registered a deferred call, or set which closure or pointer a
variable stands for, is not kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from analyzers.flow.events import WriteEvent
from analyzers.flow.frames import Env, FuncContext, Returned
from analyzers.flow.paths import Path


@dataclass
class LoopRun:
    """What one run of a loop, from `entry`, did."""

    entry: Env  # the environment it started from (a copy)
    order: list  # its keys in order
    reads: list[tuple[tuple, WriteEvent | None]]  # the remembered unguarded writes it looked up
    gotos: list[tuple[str, Env | None]]  # the labels it read, with what the `goto`s had left there as it began
    jumps: list[tuple[str, Env | None]]  # its log of `goto` reads and joins, in order (see `Core.goto_log`)
    handed: Env  # the environment it was handed, as the run left it
    out: Env | None  # its way out
    events: dict[tuple, WriteEvent]  # write events it set
    unguarded: dict[tuple, WriteEvent]  # unguarded writes it remembered
    returns: list[Env]
    return_values: list[list[Returned]]
    return_defers: list[int]
    assigned: set[Path]
    narrowed: set[Path]
    exits: list[tuple[int, list[Env | None], list[Env | None]]]  # `break`s and `continue`s given to enclosing statements, by frame


class RunState:
    """The state of the function's run a loop run may read or add to, taken as it starts."""

    def __init__(self, run: Any) -> None:
        ctx: FuncContext = run.ctx
        self.events = dict(run.events)
        self.unguarded = dict(run.unguarded_writes)
        self.reads = len(run.unguarded_reads)
        self.jumps = len(run.goto_log)
        self.returns = len(ctx.returns)
        self.return_values = len(ctx.return_values)
        self.return_defers = len(ctx.return_defers)
        self.panics = dict(ctx.panics)
        self.defers = len(ctx.defers)
        self.deferred_writes = dict(ctx.deferred_writes)
        self.frames = [(len(f.breaks), len(f.continues)) for f in ctx.frames]
        self.assigned = set(run.assigned_paths)
        self.narrowed = set(run.narrowed_paths)
        self.closure_runs = run.closure_runs
        self.bindings = run.bindings

    def kept(self, run: Any, entry: Env, handed: Env, out: Env | None) -> LoopRun | None:
        """The run that just ended, when all it did can be replayed; else None."""
        ctx: FuncContext = run.ctx
        if (
            run.closure_runs != self.closure_runs
            or run.bindings != self.bindings
            or len(ctx.defers) != self.defers
            or not _same(ctx.deferred_writes, self.deferred_writes)
            or not _same(ctx.panics, self.panics)
            or len(ctx.frames) != len(self.frames)
        ):
            return None
        jumps = run.goto_log[self.jumps :]
        exits = [
            (i, frame.breaks[breaks:], frame.continues[continues:])
            for i, (frame, (breaks, continues)) in enumerate(zip(ctx.frames, self.frames, strict=True))
            if len(frame.breaks) > breaks or len(frame.continues) > continues
        ]
        return LoopRun(
            entry,
            list(entry),
            run.unguarded_reads[self.reads :],
            _labels_read(jumps),
            jumps,
            dict(handed),
            dict(out) if out is not None else None,
            _changed(run.events, self.events),
            _changed(run.unguarded_writes, self.unguarded),
            [dict(env) for env in ctx.returns[self.returns :]],
            ctx.return_values[self.return_values :],
            ctx.return_defers[self.return_defers :],
            run.assigned_paths - self.assigned,
            run.narrowed_paths - self.narrowed,
            [(i, [_copy(env) for env in breaks], [_copy(env) for env in continues]) for i, breaks, continues in exits],
        )


def run_key(run: Any, node: Node) -> tuple:
    """What besides the environment a loop's run depends on: the loop, how deep in inlined
    closures it runs, the deferred calls registered before it, the variables' closures."""
    return (node.id, run.inline_depth, len(run.ctx.defers), run.bindings, len(run.ctx.frames))


def find(runs: list[LoopRun], run: Any, env: Env) -> LoopRun | None:
    """A kept run from an environment equal to `env` (in order too), whose lookups of
    remembered writes give what they gave it."""
    for kept in runs:
        if (
            kept.entry == env
            and kept.order == list(env)
            and all(run.unguarded_writes.get(key) is event for key, event in kept.reads)
            and all(run.ctx.gotos.get(label) is left for label, left in kept.gotos)
        ):
            return kept
    return None


def replay(run: Any, kept: LoopRun, env: Env) -> Env | None:
    """Do again what `kept` did, to the function's run and to the environment it is handed."""
    env.clear()
    env.update(kept.handed)
    run.events.update(kept.events)
    run.unguarded_writes.update(kept.unguarded)
    run.unguarded_reads.extend(kept.reads)
    for label, joined in kept.jumps:
        if label.startswith(_JOINED):
            run.join_goto(label[len(_JOINED) :], dict(joined) if joined is not None else None)
        else:
            run.goto_log.append((label, joined))  # a label read: for the runs around this one
    for i, breaks, continues in kept.exits:
        run.ctx.frames[i].breaks.extend(_copy(env) for env in breaks)
        run.ctx.frames[i].continues.extend(_copy(env) for env in continues)
    run.ctx.returns.extend(dict(returned) for returned in kept.returns)
    run.ctx.return_values.extend(kept.return_values)
    run.ctx.return_defers.extend(kept.return_defers)
    run.assigned_paths |= kept.assigned
    run.narrowed_paths |= kept.narrowed
    return dict(kept.out) if kept.out is not None else None


_JOINED = "goto "  # the prefix of a `goto`'s join in the log; a read is logged by its label alone


def _labels_read(jumps: list[tuple[str, Env | None]]) -> list[tuple[str, Env | None]]:
    """The labels a run read before any `goto` of the run joined them, with what it read."""
    joined: set[str] = set()
    read: dict[str, Env | None] = {}
    for label, env in jumps:
        if label.startswith(_JOINED):
            joined.add(label[len(_JOINED) :])
        elif label not in joined and label not in read:
            read[label] = env
    return list(read.items())


def _copy(env: Env | None) -> Env | None:
    return dict(env) if env is not None else None


def _same(now: dict, then: dict) -> bool:
    return len(now) == len(then) and all(then.get(key, then) is value for key, value in now.items())


def _changed(now: dict, then: dict) -> dict:
    return {key: value for key, value in now.items() if then.get(key, then) is not value}
