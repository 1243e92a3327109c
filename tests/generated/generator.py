"""A seeded grammar of small Go programs that write maps.

`generate(seed)` returns the same program for the same seed (this module holds the program
and the `run` functions; `holders`, `expressions`, `map_statements` and `flow_statements`
hold what a function body is made of). A program is `package main`
with a `main` that calls one to three `run` functions with constant arguments; each `run`
declares a few map holders (local maps, structs with map fields, collections of structs,
package variables, decoded JSON) and then does random things to them under random control
flow: makes, resets, writes, guards, method and helper calls, closures, goroutines. What
decides the path comes in through the `run` function's parameters, so reading a condition
off the source is never enough to know which way it goes: the runtime says which writes ran
and which panicked.

Every node carries shape tags (`field.new`, `flow.goto`, `nested.key_selector`...); the
program's tags are the union over its nodes, so a shrunk program keeps only the tags of
what is left.
"""
from __future__ import annotations

import random
from dataclasses import replace

from tests.generated.declarations import INIT, Declarations, choose_store, func
from tests.generated.expressions import Expressions
from tests.generated.flow_statements import FlowStatements
from tests.generated.holders import Holders
from tests.generated.map_statements import MapStatements
from tests.generated.program import PREFIX_MARK as P
from tests.generated.program import Node, Program
from tests.generated.scope import Scope, used_in

RUN_PARAMS = "a, b bool, n int, keys []string, raw string"
RAW_INPUTS = (
    '`{"name":"a"}`',
    '`{"labels":{"x":"1"},"counts":{"a":1}}`',
    '`{"labels":null}`',
    "`{}`",
    '`{"counts":{}}`',
    "`null`",
)
KEY_SLICES = ("nil", "[]string{}", '[]string{"a"}', '[]string{"a", "b"}', '[]string{"b", "a", "c"}')
RESERVED = {
    "a", "b", "n", "keys", "raw", "json", "url", "strings", "sync", "len", "make", "new", "nil",
    "println", "append", "delete", "string", "int", "bool", "true", "false", "error", "err", "ok",
    "k", "i", "v", "m", "p", "s", "c", "main", "init",
}


class Generator:
    """Builds one program: its declarations, `run` functions and `main`."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self._next_write = 1
        self.store = choose_store(self.rng)
        self.decls = Declarations(self.rng, self.write, self.store)
        self.init_body: list[Node] = []
        self.package_names: set[str] = set()
        self.uses_json = False
        self.ranges_over_keys = False

    def write(self, text: str, tags: frozenset[str] = frozenset()) -> Node:
        node = Node(text, write=self._next_write, tags=frozenset(tags))
        self._next_write += 1
        return node

    def call_write(self, text: str, tags: frozenset[str] = frozenset()) -> Node:
        """A call of a helper or method that writes a map: marked like a write, so a finding
        placed on the call is judged by whether the call ran and returned."""
        node = self.write(text, tags)
        return replace(node, call=True)

    def fresh_package_name(self, base: str) -> str:
        name, i = base, 2
        while name in self.package_names:
            name, i = f"{base}{i}", i + 1
        self.package_names.add(name)
        return f"{P}{name}"

    def program(self) -> Program:
        runs = [FuncGen(self).run_function(i + 1) for i in range(self.rng.choice((1, 1, 2, 2, 3)))]
        calls = []
        tags: set[str] = set()
        for i in range(len(runs)):
            a, b = self.rng.choice(("true", "false")), self.rng.choice(("true", "false"))
            n = self.rng.randrange(4)
            keys = self.rng.choice(KEY_SLICES)
            raw = self.rng.choice(RAW_INPUTS)
            calls.append(Node(f"{P}run{i + 1}({a}, {b}, {n}, {keys}, {raw})"))
            if self.uses_json:
                tags.add("json.input_with_labels" if '"labels":{' in raw else "json.input_without_labels")
            if self.ranges_over_keys:
                tags.add("flow.range_empty_slice" if keys in ("nil", "[]string{}") else "flow.range_full_slice")
        main = replace(func(f"func {P}main()", calls, f"{P}main"), keep=True, tags=frozenset(tags))
        if self.init_body:
            self.decls.add("func.init", INIT, func(f"func {P}init()", self.init_body, f"{P}init"))
        return Program(self.seed, self.decls.nodes() + runs + [main])


class FuncGen(Holders, Expressions, MapStatements, FlowStatements):
    """Statements of one function body: holders first, then random work on them."""

    def __init__(self, gen: Generator) -> None:
        self.g = gen
        self.rng = gen.rng
        self.decls = gen.decls
        self.taken: set[str] = set(RESERVED)
        self.pending: list[list[str]] = []
        self.budget = 0
        self.inner_keys: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        self.made: set[str] = set()  # places made somewhere already: writes to others get a make first, often

    # --- names and uses --------------------------------------------------------------------

    def fresh(self, base: str) -> str:
        name, i = base, 2
        while name in self.taken:
            name, i = f"{base}{i}", i + 1
        self.taken.add(name)
        return name

    def declare(self, name: str) -> None:
        self.pending[-1].append(name)

    def uses_of(self, names: list[str], nodes: list[Node], scope: Scope) -> list[Node]:
        """`_ = x` (or a call, for a closure) for what a block declared and never read."""
        added = []
        for name in names:
            if not used_in(nodes, name):
                added.append(Node(f"{name}()", tags=frozenset({"closure.call"})) if name in scope.closures else Node(f"_ = {name}"))
        return added

    # --- the run function --------------------------------------------------------------------

    def run_function(self, index: int) -> Node:
        scope = Scope()
        self.budget = self.rng.randint(6, 18)
        self.pending.append([])
        body: list[Node] = []
        for _ in range(self.rng.choice((1, 2, 2, 3))):
            body += self.subject(scope)
        if self.rng.random() < 0.4:
            name = self.fresh("key")
            body.append(Node(f'{name} := "{self.rng.choice("ab")}"', declares=(name,)))
            self.declare(name)
            scope.strs.append(name)
            scope.key_vars.append(name)
        if self.rng.random() < 0.25:
            name = self.fresh("pr")
            body.append(Node(f'{name} := {self.decls.need("type.pair")}{{A: "a", B: "b"}}', declares=(name,)))
            self.declare(name)
            scope.pairs.append(name)
        if self.rng.random() < 0.3:
            name = self.fresh("ready")
            body.append(Node(f"{name} := {self.condition(scope)}", declares=(name,)))
            self.declare(name)
            scope.bools.append(name)
        body += self.statements(scope, 99)
        body += self.uses_of(self.pending.pop(), body, scope)
        name = f"{P}run{index}"
        return func(f"func {name}({RUN_PARAMS})", body, name)


def generate(seed: int) -> Program:
    """The program of `seed`: the same seed always gives the same program."""
    return Generator(seed).program()
