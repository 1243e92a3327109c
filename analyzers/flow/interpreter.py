"""Abstract interpretation of one Go function body over the syntax tree.

The environment maps access paths (`m`, `s.f`, `m[k]`) to abstract values (`values.Val`).
Go's structured control flow is followed directly on the tree (`control`), conditions
narrow what paths hold (`narrowing`), calls apply what is known of their callee (`calls`,
through the package facts of `facts`), closures run where they are called (`closures`).
Each write into a map records a `WriteEvent` with the value the map has there; the rules
decide what to report.

Precision comes before recall: anything we cannot follow becomes UNKNOWN, and UNKNOWN is
never reported.

A run is for one of three things (`Mode`): a check (the findings, and what the function
returns or leaves behind, for the summaries of its callers), a method summary (which
fields of its receiver a method writes as they came in, and what it sets), or a function
summary (which map parameters a function writes as they came in).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.control import Control
from analyzers.flow.core import Mode
from analyzers.flow.events import WriteEvent
from analyzers.flow.facts import PackageFacts
from analyzers.flow.frames import Env, FuncContext
from analyzers.flow.paths import REACHED, Local
from analyzers.flow.syntax import children
from analyzers.flow.values import ENTRY, LINE, NIL, UNKNOWN_VAL, OriginKind, Val
from analyzers.source import SourceFile

MAX_GOTO_ROUNDS = 4  # runs of the whole body until the environments at `goto` labels settle

__all__ = ["Interpreter", "Mode"]


class Interpreter(Control):
    """Runs one function (with the closures it holds) and collects its write events."""

    def __init__(
        self,
        facts: PackageFacts,
        file: SourceFile,
        func: Node,
        mode: Mode = Mode.CHECK,
        nil_at_entry: tuple[int, tuple] | None = None,
        entry_val: Val | None = None,
    ) -> None:
        super().__init__(facts, file, func, mode)
        # (the pointer parameter's position, or -1 for the receiver; a path below it): a place
        # that comes in nil (or holding `entry_val`), when summarising what the function leaves
        # there for such a caller.
        self.nil_at_entry = nil_at_entry
        self.entry_val = entry_val

    def run(self) -> dict[tuple, WriteEvent]:
        """Analyse the function; returns its write events."""
        body = self.func.child_by_field_name("body")
        if body is None:
            return {}
        rounds = 0
        while True:
            self.events = {}
            self.analysed_closures = set()
            self.parameters_at_entry = []
            self.scopes = [{}]
            self.ctx = FuncContext(prev_gotos=self.ctx.gotos if rounds else {})
            end = self.exec_block(self.entry_env(), body)
            self.run_defers(self.join_all([end, *self.ctx.returns]), end)
            rounds += 1
            if not self.ctx.gotos or self.ctx.gotos == self.ctx.prev_gotos or rounds >= MAX_GOTO_ROUNDS:
                break
        self.exit_env = self.join_all([end, *self.ctx.returns])
        self.exit_envs = [] if self.ctx.defers or self.ctx.deferred_writes else [env for env in (end, *self.ctx.returns) if env is not None]
        return self.events

    def entry_env(self) -> Env:
        env: Env = {REACHED: UNKNOWN_VAL} if self.summarising else {}
        receiver = self.func.child_by_field_name("receiver")
        if receiver is not None:
            self.declare_receiver(env, receiver)
        self.declare_parameters(env, self.func.child_by_field_name("parameters"), at_entry=True)
        self.declare_results(env, self.func.child_by_field_name("result"))
        if self.nil_at_entry is not None:
            position, rel = self.nil_at_entry
            keys = self.parameters_at_entry
            key = self.receiver_key if position < 0 else keys[position] if position < len(keys) else None
            if key is not None:
                handed = self.entry_val if self.entry_val is not None else Val(NIL, self.origin(OriginKind.NIL, self.func, f"handed in nil at line {LINE}"))
                env[(Local(key), *rel)] = handed
        return env

    def declare_receiver(self, env: Env, receiver: Node) -> None:
        for decl in children(receiver):
            if decl.type != "parameter_declaration":
                continue
            name = decl.child_by_field_name("name")
            if name is None:
                continue
            var = self.declare(name, self.text_of(decl.child_by_field_name("type")))
            if var is None:
                continue
            if self.summarising:
                # Summarising: the receiver's fields are followed as they came in.
                self.receiver_key = var.key
                env[(Local(var.key),)] = Val(ENTRY)
            else:
                env[(Local(var.key),)] = self.flow.parameter_val(var.type_text, var.node, self.file.path, OriginKind.RECEIVER)
