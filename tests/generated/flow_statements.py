"""Blocks and control flow of generated functions: which statement comes next, and
`if`, `switch`, loops (labelled, with `break` and `continue`), early returns, forward
`goto`, `defer`, goroutines joined with a WaitGroup, closures and shadowing."""
from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.generated.declarations import Declarations
from tests.generated.program import Node, Section
from tests.generated.scope import Loop, Scope, used_in
from tests.generated.vocabulary import Holder

if TYPE_CHECKING:
    from tests.generated.generator import Generator

MAX_DEPTH = 3


class FlowStatements:
    """Blocks, the choice of the next statement, and control flow."""

    rng: random.Random
    g: Generator
    decls: Declarations
    budget: int
    pending: list[list[str]]

    def block(self, scope: Scope, count: int) -> list[Node]:
        self.pending.append([])
        nodes = self.statements(scope, count)
        return nodes + self.uses_of(self.pending.pop(), nodes, scope)

    def statements(self, scope: Scope, count: int) -> list[Node]:
        nodes: list[Node] = []
        for _ in range(count):
            if self.budget <= 0:
                break
            self.budget -= 1
            for _attempt in range(8):
                made = self.pick(self.operations(scope))(scope)
                if made:
                    nodes.extend(made)
                    break
        return nodes

    def operations(self, scope: Scope):
        ops: list[tuple[float, Callable[[Scope], list[Node] | None]]] = [
            (5, self.op_write),
            (3.5, self.op_make),
            (1.2, self.op_nil),
            (4, self.op_guard),
            (1, self.op_read),
        ]
        if scope.holders:
            ops.append((2.5, self.op_holder))
        if scope.depth < MAX_DEPTH:
            ops += [(2, self.op_if), (1, self.op_if_else), (0.8, self.op_switch), (1.5, self.op_loop), (0.4, self.op_iife)]
            if not scope.in_goroutine:
                ops.append((0.5, self.op_defer))
            if scope.allow_decl:
                ops += [(0.6, self.op_goto), (0.5, self.op_goroutine), (0.4, self.op_labeled_loops)]
        if not scope.in_goroutine:
            ops.append((0.6, self.op_return))
        if scope.loops:
            ops.append((1.5, self.op_branch))
        if scope.allow_decl:
            ops += [(0.8, self.op_closure), (0.5, self.op_declare), (0.3, self.op_copy), (0.3, self.op_shadow), (0.5, self.op_flag)]
        if scope.closures:
            ops.append((1.2, self.op_call_closure))
        if scope.key_vars or scope.pairs:
            ops.append((0.4, self.op_key_change))
        return ops

    def nested(self, scope: Scope, count: int | None = None, **changes) -> list[Node]:
        return self.block(scope.child(**changes), count if count is not None else self.rng.randint(1, 3))


    def op_if(self, scope: Scope) -> list[Node]:
        header = f"if {self.condition(scope)} {{"
        return [Node(sections=[Section(header, self.nested(scope))], tail="}", tags=frozenset({"flow.if"}))]

    def op_if_else(self, scope: Scope) -> list[Node]:
        sections = [Section(f"if {self.condition(scope)} {{", self.nested(scope))]
        if self.rng.random() < 0.25:
            sections.append(Section(f"}} else if {self.condition(scope)} {{", self.nested(scope)))
        sections.append(Section("} else {", self.nested(scope)))
        return [Node(sections=sections, tail="}", tags=frozenset({"flow.if_else"}))]

    def op_switch(self, scope: Scope) -> list[Node]:
        inner = scope.child(loops=scope.loops + [Loop(None, False)])
        inner.depth -= 1  # each case's body is nested once more below: one level in all, as an `if`
        form = self.rng.randrange(3)
        if form == 0:
            subject = self.rng.choice(["n", "len(keys)"] + scope.ints)
            values = self.rng.sample(range(4), self.rng.randint(2, 4))
            groups = [values[:1], values[1:]] if len(values) > 2 and self.rng.random() < 0.3 else [[v] for v in values]
            cases = [f"case {', '.join(str(v) for v in group)}:" for group in groups]
            header = f"switch {subject} {{"
        elif form == 1 and scope.strs:
            subject = self.rng.choice(scope.strs)
            header = f"switch {subject} {{"
            cases = ['case "a":', 'case "b", "c":'][: self.rng.randint(1, 2)]
        else:
            header = "switch {"
            cases = [f"case {self.condition(scope)}:" for _ in range(self.rng.randint(1, 2))]
        default = self.rng.random() < 0.5
        sections = [Section(header, [])]
        for case in cases:
            sections.append(Section(case, self.nested(inner, self.rng.randint(0, 2))))
        if default:
            sections.append(Section("default:", self.nested(inner, self.rng.randint(0, 2))))
        tag = "flow.switch_default" if default else "flow.switch_no_default"
        return [Node(sections=sections, tail="}", tags=frozenset({tag}))]

    def loop_header(self, scope: Scope, inner: Scope) -> tuple[str, Callable[[list[Node]], str], set[str]]:
        """A loop header and a function that finishes it once the body is known (an unused
        loop variable is left out, as the compiler requires)."""
        form = self.rng.randrange(6)
        if form == 0:
            i = self.fresh("i")
            inner.ints.append(i)
            bound = self.rng.choice(("n", "2", "3", "len(keys)"))
            return i, lambda body: f"for {i} := 0; {i} < {bound}; {i}++ {{", {"flow.loop_three_clause"}
        if form == 1:
            i = self.fresh("i")
            inner.ints.append(i)
            bound = self.rng.choice(("n", "2", "3"))
            return i, lambda body: f"for {i} := range {bound} {{" if used_in(body, i) else f"for range {bound} {{", {"flow.range_int"}
        if form in (2, 3):
            k = self.fresh("k")
            inner.strs.append(k)
            self.g.ranges_over_keys |= form == 2
            source = "keys" if form == 2 else self.rng.choice((f"{self.decls.need('var.names')}", '[]string{"a", "b"}'))
            return k, lambda body: f"for _, {k} := range {source} {{" if used_in(body, k) else f"for range {source} {{", {"flow.range_slice"}
        if scope.collections and form == 4:
            collection = self.rng.choice(scope.collections)
            i = self.fresh("i")
            holder = Holder(f"{collection.name}[{i}]", self.g.store, pointer=collection.pointers, root=collection.name, tags=frozenset({"field.in_collection"}))
            inner.holders.append(holder)
            return i, lambda body: f"for {i} := range {collection.name} {{" if used_in(body, i) else f"for range {collection.name} {{", {"flow.range_structs"}
        if scope.collections and form == 5:
            collection = self.rng.choice(scope.collections)
            item = self.fresh("item")
            holder = Holder(item, self.g.store, pointer=collection.pointers, root=item, tags=frozenset({"field.range_copy"}))
            inner.holders.append(holder)
            return item, lambda body: f"for _, {item} := range {collection.name} {{" if used_in(body, item) else f"for range {collection.name} {{", {"flow.range_structs", "field.range_copy"}
        i = self.fresh("i")
        inner.ints.append(i)
        return i, lambda body: f"for {i} := range 2 {{" if used_in(body, i) else "for range 2 {", {"flow.range_int"}

    def op_loop(self, scope: Scope, label: str | None = None, extra: Callable[[Scope], list[Node]] | None = None) -> list[Node]:
        inner = scope.child(loops=scope.loops + [Loop(label, True)])
        _, header, tags = self.loop_header(scope, inner)
        body = self.block(inner, self.rng.randint(1, 3)) if extra is None else extra(inner)
        return [Node(sections=[Section(header(body), body)], tail="}", tags=frozenset(tags))]

    def op_labeled_loops(self, scope: Scope) -> list[Node]:
        label = self.fresh("outer")

        def outer_body(inner: Scope) -> list[Node]:
            self.pending.append([])
            before = self.statements(inner, self.rng.randint(0, 1))

            def inner_body(deeper: Scope) -> list[Node]:
                self.pending.append([])
                nodes = self.statements(deeper, self.rng.randint(0, 1))
                verb = self.rng.choice(("continue", "break"))
                jump = [Node(f"{verb} {label}", tags=frozenset({f"flow.labeled_{verb}"}))]
                nodes.append(Node(sections=[Section(f"if {self.condition(deeper)} {{", self.block(deeper.child(), self.rng.randint(0, 1)) + jump)], tail="}"))
                nodes += self.statements(deeper, self.rng.randint(0, 2))
                return nodes + self.uses_of(self.pending.pop(), nodes, deeper)

            loop = self.op_loop(inner, None, inner_body)
            return before + loop + self.uses_of(self.pending.pop(), before + loop, inner)

        loop = self.op_loop(scope, label, outer_body)
        return [Node(f"{label}:", label=True, declares=(label,), tags=frozenset({"flow.label"}))] + loop

    def op_branch(self, scope: Scope) -> list[Node]:
        options = ["break"]
        if any(loop.is_loop for loop in scope.loops):
            options.append("continue")
        for loop in scope.loops:
            if loop.label:
                options += [f"break {loop.label}", f"continue {loop.label}"]
        verb = self.rng.choice(options)
        body = self.nested(scope, self.rng.randint(0, 1)) + [Node(verb)]
        tag = "flow.loop_" + verb.split()[0] if " " not in verb else f"flow.labeled_{verb.split()[0]}"
        return [Node(sections=[Section(f"if {self.condition(scope)} {{", body)], tail="}", tags=frozenset({tag}))]

    def op_return(self, scope: Scope) -> list[Node]:
        body = self.nested(scope, self.rng.randint(0, 1)) + [Node("return")]
        return [Node(sections=[Section(f"if {self.condition(scope)} {{", body)], tail="}", tags=frozenset({"flow.early_return"}))]

    def op_goto(self, scope: Scope) -> list[Node]:
        label = self.fresh("skip")
        jump = Node(sections=[Section(f"if {self.condition(scope)} {{", [Node(f"goto {label}")])], tail="}", tags=frozenset({"flow.goto"}))
        scope.allow_decl = False
        between = self.statements(scope, self.rng.randint(1, 2))
        after = self.statements(scope, 1) or self.op_write(scope) or [Node("_ = n")]
        scope.allow_decl = True
        return [jump] + between + [Node(f"{label}:", label=True, declares=(label,))] + after

    def op_defer(self, scope: Scope) -> list[Node] | None:
        if self.rng.random() < 0.7:
            body = self.nested(scope, loops=[], in_goroutine=False)
            return [Node(sections=[Section("defer func() {", body)], tail="}()", tags=frozenset({"flow.defer", "closure.deferred"}))]
        place = self.place(scope, inner_ok=False)
        if place is None:
            return None
        key, _ = self.key(scope)
        return [Node(f"defer {self.decls.need('func.put' + place.mtype.short)}({place.expr}, {key})", tags=place.tags | {"flow.defer", "flow.defer_args"})]

    def op_goroutine(self, scope: Scope) -> list[Node]:
        wg = self.fresh("wg")
        # Done at the end, not deferred: a deferred Done (or any defer) would let the waiting
        # goroutine go on while a panic in this one is still unwinding, and the run would
        # depend on timing. A panic before Done leaves the waiter blocked until the process dies.
        body = self.nested(scope, loops=[], in_goroutine=True) + [Node(f"{wg}.Done()", keep=True)]
        header = f"var {wg} sync.WaitGroup\n{wg}.Add(1)\ngo func() {{"
        return [Node(sections=[Section(header, body)], tail=f"}}()\n{wg}.Wait()", tags=frozenset({"goroutine.waitgroup"}), declares=(wg,))]

    def op_iife(self, scope: Scope) -> list[Node]:
        body = self.nested(scope, loops=[], in_goroutine=False)
        return [Node(sections=[Section("func() {", body)], tail="}()", tags=frozenset({"closure.iife"}))]

    def op_closure(self, scope: Scope) -> list[Node] | None:
        name = self.fresh(self.rng.choice(("setup", "fill", "prepare")))
        inner = scope.child(loops=[], in_goroutine=False)
        place = self.place(scope)
        if place is None:
            return None
        first = self.make_node(place, inner) if self.rng.random() < 0.6 else self.direct_write(place, inner)
        if first is None:
            return None
        body = [first] + self.block(inner, self.rng.randint(0, 1))
        kind = "closure.makes" if first.write is None else "closure.writes"
        self.declare(name)
        scope.closures.append(name)
        return [Node(sections=[Section(f"{name} := func() {{", body)], tail="}", tags=frozenset({kind}), declares=(name,))]

    def op_call_closure(self, scope: Scope) -> list[Node]:
        name = self.rng.choice(scope.closures)
        return [Node(f"{name}()", tags=frozenset({"closure.call"}))]

    def op_declare(self, scope: Scope) -> list[Node]:
        return self.local_map(scope) if self.rng.random() < 0.6 else self.struct_holder(scope)

    def op_shadow(self, scope: Scope) -> list[Node] | None:
        if scope.depth == 0:
            return None
        here = self.pending[-1]
        locals_ = [p for p in scope.places if p.is_plain_local and p.root not in here]
        if not locals_:
            return None
        place = self.rng.choice(locals_)
        shadow = f"{place.expr} := {self.rng.choice((place.mtype.make(), place.mtype.nil_conversion()))}"
        self.declare(place.expr)
        return [Node(shadow, tags=frozenset({"local.shadow"}), declares=(place.expr,)), self.direct_write(place, scope)]

    def op_key_change(self, scope: Scope) -> list[Node]:
        if scope.key_vars and (not scope.pairs or self.rng.random() < 0.5):
            return [Node(f'{self.rng.choice(scope.key_vars)} = "{self.rng.choice("abc")}"', tags=frozenset({"nested.key_changed"}))]
        pair = self.rng.choice(scope.pairs)
        return [Node(f'{pair}.{self.rng.choice("AB")} = "{self.rng.choice("abc")}"', tags=frozenset({"nested.key_changed"}))]
