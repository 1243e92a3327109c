"""A seeded grammar of small Go programs that write maps.

`generate(seed)` returns the same program for the same seed. A program is `package main`
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
import re
from dataclasses import dataclass, field, replace
from typing import Callable

from tests.generated.declarations import CONFIG, INIT, VALUES_, Declarations, choose_store, func
from tests.generated.program import PREFIX_MARK as P
from tests.generated.program import Node, Program, Section
from tests.generated.vocabulary import COUNTS, GROUPS, INTS, LOCAL_MAP_TYPES, VALUES, Holder, MapType, Place

MAX_DEPTH = 3
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
MAP_NAMES = {"Ints": "counts", "Counts": "tally", "Groups": "groups", "Labels": "labels", "Values": "query"}


@dataclass
class Loop:
    label: str | None
    is_loop: bool  # a switch takes `break` but not `continue`


@dataclass
class Collection:
    name: str
    pointers: bool
    indexable: bool  # a slice or array: `for i := range name` gives addressable elements


@dataclass
class Scope:
    places: list[Place] = field(default_factory=list)
    holders: list[Holder] = field(default_factory=list)
    collections: list[Collection] = field(default_factory=list)
    bools: list[str] = field(default_factory=list)
    ints: list[str] = field(default_factory=list)  # loop indexes
    strs: list[str] = field(default_factory=list)  # string locals: loop keys and `key`
    key_vars: list[str] = field(default_factory=list)  # string locals a statement may reassign
    pairs: list[str] = field(default_factory=list)
    closures: list[str] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    depth: int = 0
    allow_decl: bool = True
    can_return: bool = True  # not in a goroutine's body, which must reach its `wg.Done()`

    def visible(self) -> set[str]:
        """The local names this scope can read."""
        names = set(self.strs) | set(self.pairs) | set(self.ints) | set(self.bools)
        names |= {h.root for h in self.holders if h.root} | {p.root for p in self.places if p.root}
        return names

    def child(self, **changes) -> Scope:
        copied = Scope(
            list(self.places), list(self.holders), list(self.collections), list(self.bools), list(self.ints),
            list(self.strs), list(self.key_vars), list(self.pairs), list(self.closures), list(self.loops),
            self.depth + 1, True, self.can_return,
        )
        for name, value in changes.items():
            setattr(copied, name, value)
        return copied


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


class FuncGen:
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

    # --- holders ------------------------------------------------------------------------------

    def subject(self, scope: Scope) -> list[Node]:
        kinds: list[tuple[float, Callable[[Scope], list[Node]]]] = [
            (4, self.local_map),
            (3, self.struct_holder),
            (1.5, self.collection),
            (1, self.package_map),
            (0.7, self.package_holder),
            (0.8, self.decoded_config),
        ]
        return self.pick(kinds)(scope)

    def pick(self, weighted):
        total = sum(w for w, _ in weighted)
        point = self.rng.random() * total
        for weight, item in weighted:
            point -= weight
            if point < 0:
                return item
        return weighted[-1][1]

    def local_map(self, scope: Scope) -> list[Node]:
        mtype = self.rng.choice(LOCAL_MAP_TYPES)
        if mtype is COUNTS:
            self.decls.need("type.Counts")
        name = self.fresh(MAP_NAMES[mtype.short])
        self.declare(name)
        place = Place(name, mtype, root=name)
        form = self.rng.randrange(11)
        t = mtype.go
        tags = {"local.var"}
        declared: tuple[str, ...] = (name,)
        if form == 0:
            text = f"var {name} {t}"
        elif form == 1:
            text, tags = f"{name} := {mtype.make()}", {"local.make"}
        elif form == 2:
            text, tags = f"{name} := {self.rng.choice((mtype.empty(), mtype.literal()))}", {"local.literal"}
        elif form == 3:
            text, tags = f"{name} := {mtype.nil_conversion()}", {"local.conversion"}
        elif form == 4:
            text, tags = f"var {name} {t} = nil", {"local.nil"}
        elif form == 5:
            helper = self.decls.need(f"func.new{mtype.short}")
            text, tags = f"{name} := {helper}()", {"helper.returns_made"}
        elif form == 6:
            helper = self.decls.need(f"func.nil{mtype.short}")
            text, tags = f"{name} := {helper}()", {"helper.returns_nil"}
        elif form == 7:
            helper = self.decls.need(f"func.maybe{mtype.short}")
            text, tags = f"{name} := {helper}({self.condition(scope)})", {"helper.returns_maybe_nil"}
        elif form == 8:
            other = self.fresh(MAP_NAMES[mtype.short])
            self.declare(other)
            pair = self.rng.choice(((mtype.make(), "nil"), ("nil", mtype.make()), (mtype.empty(), mtype.nil_conversion())))
            if self.rng.random() < 0.5 and "nil" not in pair:
                text = f"{name}, {other} := {pair[0]}, {pair[1]}"
            else:
                text = f"var {name}, {other} {t} = {pair[0]}, {pair[1]}"
            other_tags = {"local.multi_assign"} | ({"named.stdlib_type"} if mtype is VALUES else set())
            scope.places.append(Place(other, mtype, root=other, tags=frozenset(other_tags)))
            tags = {"local.multi_assign"}
            declared = (name, other)
        elif form == 9 and mtype is INTS:
            text, tags = f"var {name} {t}\n_ = json.Unmarshal([]byte(raw), &{name})", {"json.decode_map"}
            self.g.uses_json = True
        else:
            text, tags = f"var {name} {t}", {"local.var"}
        if mtype is VALUES:
            tags.add("named.stdlib_type")
        scope.places.append(replace(place, tags=frozenset(tags)))
        if form in (1, 2, 5):
            self.made.add(name)
        return [Node(text, tags=frozenset(tags), declares=declared)]

    def construction(self, scope: Scope, pointer: bool) -> tuple[str, set[str]]:
        """An expression building the program's struct (a pointer to it when `pointer`)."""
        store = self.decls.need("type.Store")
        amp = "&" if pointer else ""
        form = self.rng.randrange(12)
        if form >= 10:
            return self.decls.full_literal(pointer), {"field.keyed_all"}
        if pointer and form == 0:
            return f"new({store})", {"field.new"}
        if pointer and form == 1:
            return f"{self.decls.need('func.newStore')}()", {"ctor.new_func"}
        if pointer and form == 2:
            return f"{self.decls.need('func.newStoreIf')}({self.condition(scope)})", {"ctor.conditional"}
        if not pointer and form == 0:
            return f"{self.decls.need('func.makeStore')}()", {"ctor.value_func"}
        if form == 3:
            return self.decls.store_literal(False, pointer), {"field.keyed_without"}
        if form == 4:
            return self.decls.store_literal(True, pointer), {"field.keyed_with"}
        if form == 5:
            made = self.rng.random() < 0.5
            tag = "field.positional_made" if made else "field.positional_nil"
            return self.decls.store_literal(made, pointer, positional=True), {tag}
        if form == 6:
            return f"{amp}{store}{{items: nil}}", {"field.keyed_nil"}
        if form == 7 and self.g.store.field("meta"):
            meta = self.decls.need("type.Meta")
            return f"{amp}{store}{{meta: {meta}{{tags: {INTS.make()}}}}}", {"field.nested_literal"}
        if form == 8 and any(not f.name for f in self.g.store.fields):
            base = self.decls.need("type.Base")
            return f"{amp}{store}{{{base}: {base}{{attrs: {INTS.make()}}}}}", {"field.embedded_literal"}
        return f"{amp}{store}{{}}", {"field.literal_empty"}

    def struct_holder(self, scope: Scope) -> list[Node]:
        name = self.fresh(self.rng.choice(("st", "store", "reg")))
        self.declare(name)
        pointer = self.rng.random() < 0.5
        if not pointer and self.rng.random() < 0.25:
            text, tags = f"var {name} {self.decls.need('type.Store')}", {"field.var_zero"}
        else:
            built, tags = self.construction(scope, pointer)
            text = f"{name} := {built}"
        holder = Holder(name, self.g.store, pointer=pointer, root=name, reassignable=True, tags=frozenset(tags))
        scope.holders.append(holder)
        self.note_made(holder, tags)
        return [Node(text, tags=frozenset(tags), declares=(name,))]

    def note_made(self, holder: Holder, tags: set[str]) -> None:
        """Remember which of a new struct's maps its construction made."""
        for place in holder.places():
            path = place.expr[len(holder.expr) :]
            if "field.keyed_all" in tags:
                self.made.add(place.expr)
            elif path == ".items" and tags & {"field.keyed_with", "field.positional_made"}:
                self.made.add(place.expr)
            elif path == ".meta.tags" and "field.nested_literal" in tags:
                self.made.add(place.expr)
            elif path.endswith(".attrs") and "field.embedded_literal" in tags:
                self.made.add(place.expr)

    def element(self) -> str:
        """The braces of one element of a composite literal of the struct."""
        items = self.g.store.field("items")
        assert items is not None and items.mtype is not None
        return self.rng.choice(("{}", '{name: "e"}', f"{{items: {items.mtype.make()}}}"))

    def collection(self, scope: Scope) -> list[Node]:
        store = self.decls.need("type.Store")
        name = self.fresh(self.rng.choice(("list", "all", "stores")))
        self.declare(name)
        kind = self.rng.randrange(6)
        holders: list[Holder]
        if kind == 0:
            text, tags = f"{name} := make([]{store}, 2)", {"coll.slice_make"}
        elif kind == 1:
            text, tags = f"{name} := []{store}{{{self.element()}, {self.element()}}}", {"coll.slice_literal"}
        elif kind == 2:
            text, tags = f"var {name} [2]{store}", {"coll.array"}
        elif kind == 3:
            text, tags = f'{name} := map[string]{store}{{"a": {self.element()}}}', {"coll.map_of_structs"}
        elif kind == 4:
            text = f'{name} := map[string]*{store}{{"a": {self.element()}, "b": {self.element()}}}'
            tags = {"coll.map_of_pointers"}
        else:
            text, tags = f"{name} := []*{store}{{{self.element()}, {self.element()}}}", {"coll.slice_of_pointers"}
        frozen = frozenset(tags | {"field.in_collection"})
        if kind in (0, 1, 2):
            holders = [Holder(f"{name}[{i}]", self.g.store, root=name, tags=frozen) for i in (0, 1)]
            scope.collections.append(Collection(name, pointers=False, indexable=True))
        elif kind == 3:
            holders = [Holder(f'{name}["{key}"]', self.g.store, addressable=False, root=name, tags=frozen) for key in ("a", "b")]
        elif kind == 4:
            holders = [Holder(f'{name}["{key}"]', self.g.store, pointer=True, root=name, tags=frozen) for key in ("a", "b")]
        else:
            holders = [Holder(f"{name}[{i}]", self.g.store, pointer=True, root=name, tags=frozen) for i in (0, 1)]
            scope.collections.append(Collection(name, pointers=True, indexable=True))
        scope.holders.extend(holders)
        return [Node(text, tags=frozenset(tags), declares=(name,))]

    def package_map(self, scope: Scope) -> list[Node]:
        mtype = self.rng.choice((INTS, INTS, COUNTS, GROUPS))
        if mtype is COUNTS:
            self.decls.need("type.Counts")
        name = self.g.fresh_package_name(self.rng.choice(("registry", "cache", "seen")))
        form = self.rng.randrange(6)
        tags = {"pkg.var"}
        if form == 0:
            text = f"var {name} {mtype.go}"
        elif form == 1:
            text, tags = f"var {name} = {mtype.make()}", {"pkg.var_made"}
        elif form == 2:
            text, tags = f"var {name} = {mtype.literal()}", {"pkg.var_literal"}
        elif form == 3:
            text, tags = f"var {name} = {self.decls.need('func.new' + mtype.short)}()", {"pkg.var_helper"}
        else:
            text = f"var {name} {mtype.go}"
            tags = self.init_makes(name, mtype)
        self.decls.add(f"pkgvar.{name}", VALUES_, Node(text, tags=frozenset(tags), declares=(name,)))
        scope.places.append(Place(name, mtype, tags=frozenset(tags)))
        if form in (1, 2, 3):
            self.made.add(name)
        return []

    def init_makes(self, name: str, mtype: MapType) -> set[str]:
        """`init()` makes the package map on every path, on some, or writes it."""
        form = self.rng.randrange(4)
        if form == 0:
            self.g.init_body.append(Node(f"{name} = {mtype.make()}"))
            tags = {"pkg.init_make"}
        elif form == 1:
            enabled = self.decls.need("func.enabled")
            self.g.init_body.append(Node(sections=[Section(f"if {enabled}() {{", [Node(f"{name} = {mtype.make()}")])], tail="}"))
            tags = {"pkg.init_some_path"}
        elif form == 2:
            names = self.decls.need("var.names")
            inner = Node(sections=[Section('if name == "b" {', [Node(f"{name} = {mtype.make()}"), Node("break")])], tail="}")
            self.g.init_body.append(Node(sections=[Section(f"for _, name := range {names} {{", [inner])], tail="}"))
            tags = {"pkg.init_some_path", "flow.loop_break"}
        else:
            if self.rng.random() < 0.5:
                self.g.init_body.append(Node(f"{name} = {mtype.make()}"))
            self.g.init_body.append(self.g.write(self.decls.value_write(mtype, name, '"boot"'), frozenset({"pkg.init_write"})))
            tags = {"pkg.init_write"}
        return tags | {"pkg.init"}

    def package_holder(self, scope: Scope) -> list[Node]:
        store = self.decls.need("type.Store")
        name = self.g.fresh_package_name(self.rng.choice(("global", "shared")))
        form = self.rng.randrange(3)
        pointer = form != 0
        if form == 0:
            text, tags = f"var {name} {store}", {"pkg.struct_zero"}
        elif form == 1:
            text, tags = f"var {name} = &{store}{{}}", {"pkg.struct_literal"}
        else:
            text, tags = f"var {name} = {self.decls.need('func.newStore')}()", {"pkg.struct_ctor"}
        self.decls.add(f"pkgvar.{name}", VALUES_, Node(text, tags=frozenset(tags), declares=(name,)))
        scope.holders.append(Holder(name, self.g.store, pointer=pointer, reassignable=True, tags=frozenset(tags)))
        return []

    def decoded_config(self, scope: Scope) -> list[Node]:
        config = self.decls.need("type.Config")
        name = self.fresh("cfg")
        self.declare(name)
        if self.rng.random() < 0.3:
            declared, tags = f"{name} := {config}{{Labels: map[string]string{{}}}}", {"json.decode", "json.prefilled"}
        else:
            declared, tags = f"var {name} {config}", {"json.decode"}
        nodes = [Node(declared, tags=frozenset(tags), declares=(name,))]
        decode = f"json.Unmarshal([]byte(raw), &{name})"
        if self.rng.random() < 0.5:
            nodes.append(Node(f"_ = {decode}"))
        else:
            nodes.append(Node(sections=[Section(f"if err := {decode}; err != nil {{", [Node("return")])], tail="}"))
        scope.holders.append(Holder(name, CONFIG, root=name, reassignable=True, tags=frozenset(tags)))
        self.g.uses_json = True
        return nodes

    # --- expressions ----------------------------------------------------------------------------

    def atoms(self, scope: Scope) -> list[tuple[str, str, str]]:
        """(condition, its negation, what it reads) for the values in scope."""
        found = [
            ("a", "!a", "a"), ("b", "!b", "b"), ("n > 1", "n <= 1", "n"), ("n == 0", "n != 0", "n"),
            ("n%2 == 0", "n%2 != 0", "n"), ("len(keys) > 0", "len(keys) == 0", "keys"),
        ]
        found += [(name, f"!{name}", name) for name in scope.bools]
        for i in scope.ints:
            found += [(f"{i} == 0", f"{i} != 0", i), (f"{i} > 0", f"{i} == 0", i), (f"{i}%2 == 1", f"{i}%2 == 0", i)]
        for k in scope.strs:
            found.append((f'{k} == "a"', f'{k} != "a"', k))
        return found

    def condition(self, scope: Scope) -> str:
        atoms = self.atoms(scope)
        first = self.rng.choice(atoms)
        text = first[1] if self.rng.random() < 0.3 else first[0]
        if self.rng.random() < 0.3:
            others = [a for a in atoms if a[2] != first[2]]
            second = self.rng.choice(others)
            text = f"{text} {self.rng.choice(('||', '&&'))} {second[0]}"
        if self.rng.random() < 0.06:
            text = f"{text} || {self.decls.need('func.enabled')}()"
        return text

    def key(self, scope: Scope) -> tuple[str, str]:
        """A string expression for a map key, and which kind of expression it is."""
        text, kind, _ = self.key_parts(scope)
        return text, kind

    def key_parts(self, scope: Scope) -> tuple[str, str, tuple[str, ...]]:
        """A key expression, its kind, and the local names it reads."""
        kind = self.rng.choice(("literal", "literal", "ident", "selector", "index", "call", "const", "concat"))
        if kind == "ident" and scope.strs:
            name = self.rng.choice(scope.strs)
            return name, "ident", (name,)
        if kind == "selector":
            if scope.pairs and self.rng.random() < 0.6:
                name = self.rng.choice(scope.pairs)
                return f"{name}.{self.rng.choice('AB')}", "selector", (name,)
            holders = [h for h in scope.holders if h.stype is self.g.store]
            if holders and self.rng.random() < 0.4:
                holder = self.rng.choice(holders)
                return f"{holder.expr}.name", "selector", tuple(_LOCAL_NAME.findall(holder.expr))
            return f"{self.decls.need('var.defaults')}.{self.rng.choice('AB')}", "selector", ()
        if kind == "index":
            return f"{self.decls.need('var.names')}[{self.rng.randrange(3)}]", "index", ()
        if kind == "call":
            if self.rng.random() < 0.7:
                argument = self.rng.choice(("0", "1", "n") + tuple(scope.ints))
                names = (argument,) if argument in scope.ints else ()
                return f"{self.decls.need('func.keyOf')}({argument})", "call", names
            return 'strings.ToLower("A")', "call", ()
        if kind == "const":
            return self.decls.need(self.rng.choice(("const.keyA", "const.keyB"))), "const", ()
        if kind == "concat" and scope.strs:
            name = self.rng.choice(scope.strs)
            return f'"a"+{name}', "concat", (name,)
        return self.rng.choice(('"a"', '"b"')), "literal", ()

    # --- places -----------------------------------------------------------------------------

    def all_places(self, scope: Scope) -> list[Place]:
        found = list(scope.places)
        for holder in scope.holders:
            found.extend(holder.places())
        return found

    def inner(self, outer: Place, scope: Scope) -> Place:
        """An entry of a nested map, `groups[key]`, often with a key used before."""
        seen = self.inner_keys.setdefault(outer.expr, [])
        visible = scope.visible()
        reusable = [k for k in seen if all(name in visible for name in k[2])]
        if reusable and self.rng.random() < 0.6:
            key, kind, names = self.rng.choice(reusable)
        else:
            key, kind, names = self.key_parts(scope)
            seen.append((key, kind, names))
        assert outer.mtype.inner is not None
        tags = outer.tags | {"nested.inner", f"nested.key_{kind}"}
        return Place(f"{outer.expr}[{key}]", outer.mtype.inner, assignable=True, addressable=False, root=outer.root, outer=outer, tags=frozenset(tags))

    def place(self, scope: Scope, assignable: bool = False, addressable: bool = False, inner_ok: bool = True) -> Place | None:
        options = [p for p in self.all_places(scope) if (not assignable or p.assignable) and (not addressable or p.addressable)]
        if not options:
            return None
        chosen = self.rng.choice(options)
        if inner_ok and chosen.mtype is GROUPS and self.rng.random() < 0.65:
            return self.inner(chosen, scope)
        return chosen

    # --- statements ---------------------------------------------------------------------------

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
            ops += [(2, self.op_if), (1, self.op_if_else), (0.8, self.op_switch), (1.5, self.op_loop), (0.5, self.op_defer)]
            ops += [(0.4, self.op_iife)]
            if scope.allow_decl:
                ops += [(0.6, self.op_goto), (0.5, self.op_goroutine), (0.4, self.op_labeled_loops)]
        if scope.can_return:
            ops.append((0.6, self.op_return))
        if scope.loops:
            ops.append((1.5, self.op_branch))
        if scope.allow_decl:
            ops += [(0.8, self.op_closure), (0.5, self.op_declare), (0.3, self.op_copy), (0.3, self.op_shadow)]
        if scope.closures:
            ops.append((1.2, self.op_call_closure))
        if scope.key_vars or scope.pairs:
            ops.append((0.4, self.op_key_change))
        return ops

    def nested(self, scope: Scope, count: int | None = None, **changes) -> list[Node]:
        return self.block(scope.child(**changes), count if count is not None else self.rng.randint(1, 3))

    # writes -------------------------------------------------------------------------------------

    def direct_write(self, place: Place, scope: Scope) -> Node:
        key, kind = self.key(scope)
        e, mtype = place.expr, place.mtype
        tags = set(place.tags)
        if mtype.value == "int":
            text, tag = self.rng.choice(
                ((f"{e}[{key}] = {self.rng.choice(('1', '2', 'n'))}", "write.assign"), (f"{e}[{key}]++", "write.inc"),
                 (f"{e}[{key}] += 2", "write.op_assign"), (f"{e}[{key}] = {e}[{key}] + 1", "write.read_modify"))
            )
        elif mtype.value == "string":
            text, tag = self.rng.choice(((f'{e}[{key}] = "v"', "write.assign"), (f'{e}[{key}] += "v"', "write.op_assign")))
        elif mtype.value == "strings":
            text, tag = self.rng.choice(
                ((f'{e}.Set({key}, "x")', "write.stdlib_method"), (f'{e}.Add({key}, "x")', "write.stdlib_method"),
                 (f'{e}[{key}] = []string{{"x"}}', "write.assign"))
            )
        else:
            text, tag = f"{e}[{key}] = {self.rng.choice(('map[string]int{}', INTS.make()))}", "nested.make_inner"
        tags.add(tag)
        if place.outer is not None:
            tags.add("nested.write_inner")
        return self.g.write(text, frozenset(tags))

    def op_write(self, scope: Scope) -> list[Node] | None:
        place = self.place(scope)
        if place is None:
            return None
        if place.expr not in self.made and self.rng.random() < 0.6:
            made = self.make_node(place, scope)
            if made is not None:
                return [made] + (self.write_to(place, scope) or [])
        return self.write_to(place, scope)

    def write_to(self, place: Place, scope: Scope) -> list[Node] | None:
        roll = self.rng.random()
        if place.mtype is COUNTS and roll < 0.35:
            key, _ = self.key(scope)
            if place.addressable and self.rng.random() < 0.5:
                method = self.decls.need("method.Counts.Put")
                return [self.g.call_write(f"{place.expr}.{method}({sole(key)})", place.tags | {"named.method_write", "recv.implicit_addr"})]
            method = self.decls.need("method.Counts.Add")
            return [self.g.call_write(f"{place.expr}.{method}({sole(key)})", place.tags | {"named.method_write"})]
        if roll < 0.15:
            return self.helper_write(place, scope)
        if roll < 0.22 and place.mtype.value in ("int", "string"):
            other = self.place(scope)
            if other is not None and other.mtype.value == place.mtype.value:
                k1, _ = self.key(scope)
                k2, _ = self.key(scope)
                value = "1" if place.mtype.value == "int" else '"v"'
                text = f"{place.expr}[{k1}], {other.expr}[{k2}] = {value}, {value}"
                if place.expr == other.expr and k1 == k2:
                    return None
                return [self.g.write(text, place.tags | other.tags | {"write.multi"})]
        return [self.direct_write(place, scope)]

    def helper_write(self, place: Place, scope: Scope) -> list[Node] | None:
        key, _ = self.key(scope)
        short = place.mtype.short
        choice = self.rng.randrange(4)
        if choice == 0:
            return [self.g.call_write(f"{self.decls.need('func.put' + short)}({place.expr}, {key})", place.tags | {"helper.map_param"})]
        if choice == 1:
            return [self.g.call_write(f"{self.decls.need('func.putSafe' + short)}({place.expr}, {key})", place.tags | {"helper.map_param"})]
        if choice == 2 and place.addressable:
            return [self.g.call_write(f"{self.decls.need('func.fill' + short)}(&{place.expr}, {key})", place.tags | {"helper.ptr_param"})]
        if choice == 3 and place.assignable and place.outer is None:
            helper = self.decls.need("func.add" + short)
            return [Node(f"{place.expr} = {helper}({place.expr}, {key})", tags=place.tags | {"helper.returns_param"})]
        return None

    def make_node(self, place: Place, scope: Scope) -> Node | None:
        """A statement after which `place` holds a made map."""
        mtype, e = place.mtype, place.expr
        self.made.add(e)
        if place.outer is not None:
            return self.g.write(f"{e} = {self.rng.choice((mtype.make(), mtype.empty()))}", place.tags | {"nested.make_inner"})
        choice = self.rng.randrange(9)
        if choice == 0 and mtype is COUNTS and place.addressable:
            return Node(f"{e}.{self.decls.need('method.Counts.Init')}()", tags=place.tags | {"recv.pointer_make", "recv.implicit_addr"})
        if choice == 1 and place.addressable:
            return Node(f"{self.decls.need('func.ensure' + mtype.short)}(&{e})", tags=place.tags | {"helper.ptr_param"})
        if not place.assignable:
            return None
        if choice == 2:
            return Node(f"{e} = {self.decls.need('func.new' + mtype.short)}()", tags=place.tags | {"helper.returns_made"})
        if choice == 3:
            helper = self.decls.need("func.maybe" + mtype.short)
            return Node(f"{e} = {helper}({self.condition(scope)})", tags=place.tags | {"helper.returns_maybe_nil"})
        if choice == 4:
            return Node(f"{e} = {self.decls.need('func.withMade' + mtype.short)}({e})", tags=place.tags | {"helper.returns_param"})
        if choice == 5:
            return Node(f"{e} = {self.rng.choice((mtype.empty(), mtype.literal()))}", tags=place.tags | {"local.literal_assign"})
        return Node(f"{e} = {mtype.make()}", tags=place.tags | {"local.make_assign"})

    def op_make(self, scope: Scope) -> list[Node] | None:
        place = self.place(scope)
        if place is None:
            return None
        made = self.make_node(place, scope)
        return [made] if made else None

    def op_nil(self, scope: Scope) -> list[Node] | None:
        place = self.place(scope)
        if place is None:
            return None
        mtype, e = place.mtype, place.expr
        self.made.discard(e)
        tags = place.tags | {"local.reset"}
        if place.outer is not None:
            return [self.g.write(f"{e} = nil", tags | {"nested.reset_inner"})]
        choice = self.rng.randrange(5)
        if choice == 0 and mtype is COUNTS and place.addressable:
            return [Node(f"{e}.{self.decls.need('method.Counts.Reset')}()", tags=tags | {"recv.pointer_reset", "recv.implicit_addr"})]
        if choice == 1 and place.addressable:
            return [Node(f"{self.decls.need('func.reset' + mtype.short)}(&{e})", tags=tags | {"helper.ptr_param"})]
        if not place.assignable:
            return None
        if choice == 2:
            return [Node(f"{e} = {self.decls.need('func.nil' + mtype.short)}()", tags=tags | {"helper.returns_nil"})]
        if choice == 3:
            return [Node(f"{e} = {mtype.nil_conversion()}", tags=tags | {"local.conversion"})]
        return [Node(f"{e} = nil", tags=tags)]

    def op_guard(self, scope: Scope) -> list[Node] | None:
        place = self.place(scope)
        if place is None:
            return None
        e = place.expr
        form = self.rng.randrange(7)
        if form == 0:
            made = self.make_node(place, scope)
            if made is None:
                return None
            guard = Node(sections=[Section(f"if {e} == nil {{", [made])], tail="}", tags=frozenset({"guard.nil_check"}))
            return [guard, self.direct_write(place, scope)]
        if form == 1:
            body = [self.direct_write(place, scope)] + self.nested(scope, self.rng.randint(0, 1))
            return [Node(sections=[Section(f"if {e} != nil {{", body)], tail="}", tags=frozenset({"guard.nil_check"}))]
        if form == 2:
            body = [self.direct_write(place, scope)]
            return [Node(sections=[Section(f"if len({e}) > 0 {{", body)], tail="}", tags=frozenset({"guard.len"}))]
        if form == 3:
            key, _ = self.key(scope)
            body = [self.direct_write(place, scope)]
            return [Node(sections=[Section(f"if _, ok := {e}[{key}]; ok {{", body)], tail="}", tags=frozenset({"guard.comma_ok"}))]
        if form == 4 and place.outer is not None:
            outer = place.outer
            key = e[len(outer.expr) + 1 : -1]
            made = self.make_node(place, scope)
            guard = Node(sections=[Section(f"if _, ok := {outer.expr}[{key}]; !ok {{", [made])], tail="}", tags=frozenset({"guard.comma_ok"}))
            return [guard, self.direct_write(place, scope)]
        if form == 5 and place.outer is not None and scope.allow_decl:
            outer = place.outer
            key = e[len(outer.expr) + 1 : -1]
            alias, found = self.fresh("inner"), self.fresh("found")
            self.declare(alias)
            alias_place = Place(alias, place.mtype, root=alias, tags=place.tags)
            fill = [Node(f"{alias} = {place.mtype.make()}"), self.g.write(f"{outer.expr}[{key}] = {alias}", place.tags | {"nested.make_inner"})]
            return [
                Node(f"{alias}, {found} := {outer.expr}[{key}]", tags=frozenset({"guard.comma_ok", "nested.alias_inner"}), declares=(alias, found)),
                Node(sections=[Section(f"if !{found} {{", fill)], tail="}"),
                self.direct_write(alias_place, scope),
            ]
        if form == 6 and place.outer is not None:
            alias = self.fresh("inner")
            alias_place = Place(alias, place.mtype, root=alias, tags=place.tags)
            body = [self.direct_write(alias_place, scope)]
            header = f"if {alias} := {e}; {alias} != nil {{"
            return [Node(sections=[Section(header, body)], tail="}", tags=frozenset({"guard.nil_check", "nested.alias_inner"}))]
        made = self.make_node(place, scope)
        if made is None:
            return None
        guard = Node(sections=[Section(f"if len({e}) == 0 {{", [made])], tail="}", tags=frozenset({"guard.len"}))
        return [guard]

    def op_read(self, scope: Scope) -> list[Node] | None:
        place = self.place(scope)
        if place is None:
            return None
        key, _ = self.key(scope)
        e = place.expr
        forms = [f"_ = {e}[{key}]", f"_ = len({e})", f"delete({e}, {key})"]
        if place.mtype.inner is not None:
            forms.append(f'_ = {e}[{key}]["x"]')
        return [Node(self.rng.choice(forms), tags=frozenset({"read.only"}))]

    # struct holders -------------------------------------------------------------------------------

    def op_holder(self, scope: Scope) -> list[Node] | None:
        holder = self.rng.choice(scope.holders)
        if holder.stype is not self.g.store:
            return self.op_config(holder, scope)
        h = holder.expr
        pointer_ok = holder.can_call_pointer_methods
        implicit = set() if holder.pointer else {"recv.implicit_addr"}
        tags = set(holder.tags)
        choice = self.rng.randrange(12)
        key, _ = self.key(scope)
        if choice == 0 and pointer_ok:
            return [Node(f"{h}.{self.decls.need('method.Store.Init')}()", tags=frozenset(tags | implicit | {"recv.pointer_make"}))]
        if choice == 1:
            return [Node(f"{h}.{self.decls.need('method.Store.InitCopy')}()", tags=frozenset(tags | {"recv.value_make"}))]
        if choice == 2 and pointer_ok:
            return [Node(f"{h}.{self.decls.need('method.Store.Reset')}()", tags=frozenset(tags | implicit | {"recv.pointer_reset"}))]
        if choice == 3 and pointer_ok:
            return [self.g.call_write(f"{h}.{self.decls.need('method.Store.Put')}({sole(key)})", frozenset(tags | implicit | {"recv.pointer_write"}))]
        if choice == 4:
            return [self.g.call_write(f"{h}.{self.decls.need('method.Store.PutCopy')}({sole(key)})", frozenset(tags | {"recv.value_write"}))]
        if choice == 5 and pointer_ok:
            return [Node(f"{h}.{self.decls.need('method.Store.Ensure')}()", tags=frozenset(tags | implicit | {"recv.lazy_init"}))]
        if choice == 6 and pointer_ok and self.g.store.field("index"):
            return [self.g.call_write(f"{h}.{self.decls.need('method.Store.Link')}({sole(key)})", frozenset(tags | implicit | {"nested.guarded_method"}))]
        if choice == 7 and pointer_ok and any(not f.name for f in self.g.store.fields):
            method = self.rng.choice(("SetAttr", "InitAttrs"))
            call = f"{h}.{self.decls.need('method.Base.' + method)}({sole(key) if method == 'SetAttr' else ''})"
            if method == "SetAttr":
                return [self.g.call_write(call, frozenset(tags | implicit | {"field.embedded_method"}))]
            return [Node(call, tags=frozenset(tags | implicit | {"field.embedded_method"}))]
        if choice == 8 and (holder.pointer or holder.addressable):
            target = h if holder.pointer else f"&{h}"
            if self.rng.random() < 0.5:
                return [Node(f"{self.decls.need('func.initStore')}({target})", tags=frozenset(tags | {"helper.struct_ptr_param"}))]
            return [self.g.call_write(f"{self.decls.need('func.fillStore')}({target}, {key})", frozenset(tags | {"helper.struct_ptr_param"}))]
        if choice == 9 and holder.reassignable and scope.depth >= 0:
            built, built_tags = self.construction(scope, holder.pointer)
            return [Node(f"{h} = {built}", tags=frozenset(tags | built_tags | {"field.reassigned"}))]
        if choice == 10 and holder.fields_assignable:
            items = self.g.store.field("items")
            assert items is not None
            sources = [p for p in scope.places if p.mtype is items.mtype and p.outer is None]
            if sources:
                source = self.rng.choice(sources)
                return [Node(f"{h}.items = {source.expr}", tags=frozenset(tags | {"field.assigned_from_local"}))]
        return None

    def op_config(self, holder: Holder, scope: Scope) -> list[Node] | None:
        decode = f"json.Unmarshal([]byte(raw), &{holder.expr})"
        if self.rng.random() < 0.5:
            return [Node(f"_ = {decode}", tags=frozenset({"json.decode_again"}))]
        if holder.reassignable:
            return [Node(f"{holder.expr} = {holder.stype.name}{{}}", tags=frozenset({"json.reset"}))]
        return None

    def op_copy(self, scope: Scope) -> list[Node] | None:
        holders = [h for h in scope.holders if h.stype is self.g.store]
        if not holders:
            return None
        holder = self.rng.choice(holders)
        name = self.fresh("cp")
        self.declare(name)
        if holder.pointer and self.rng.random() < 0.5:
            text, pointer, tags = f"{name} := {holder.expr}", True, {"field.pointer_alias"}
        elif holder.pointer:
            text, pointer, tags = f"{name} := *{holder.expr}", False, {"field.value_copy"}
        else:
            text, pointer, tags = f"{name} := {holder.expr}", False, {"field.value_copy"}
        scope.holders.append(Holder(name, self.g.store, pointer=pointer, root=name, reassignable=True, tags=frozenset(tags)))
        return [Node(text, tags=frozenset(tags), declares=(name,))]

    # control flow ----------------------------------------------------------------------------------

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
        inner.depth -= 1
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
            body = self.nested(scope, loops=[], can_return=True)
            return [Node(sections=[Section("defer func() {", body)], tail="}()", tags=frozenset({"flow.defer", "closure.deferred"}))]
        place = self.place(scope, inner_ok=False)
        if place is None:
            return None
        key, _ = self.key(scope)
        return [Node(f"defer {self.decls.need('func.put' + place.mtype.short)}({place.expr}, {key})", tags=place.tags | {"flow.defer", "flow.defer_args"})]

    def op_goroutine(self, scope: Scope) -> list[Node]:
        wg = self.fresh("wg")
        # Done at the end, not deferred: a deferred Done would let the waiting goroutine go on
        # while a panic in this one is still unwinding, and the run would depend on timing.
        body = self.nested(scope, loops=[], can_return=False) + [Node(f"{wg}.Done()", keep=True)]
        header = f"var {wg} sync.WaitGroup\n{wg}.Add(1)\ngo func() {{"
        return [Node(sections=[Section(header, body)], tail=f"}}()\n{wg}.Wait()", tags=frozenset({"goroutine.waitgroup"}), declares=(wg,))]

    def op_iife(self, scope: Scope) -> list[Node]:
        body = self.nested(scope, loops=[], can_return=True)
        return [Node(sections=[Section("func() {", body)], tail="}()", tags=frozenset({"closure.iife"}))]

    def op_closure(self, scope: Scope) -> list[Node] | None:
        name = self.fresh(self.rng.choice(("setup", "fill", "prepare")))
        inner = scope.child(loops=[], can_return=True)
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


_LOCAL_NAME = re.compile(rf"(?<![\w.{P}\"])[a-z]\w*(?![\w\"])")


def sole(expression: str) -> str:
    """An expression as gofmt spaces it when it is a call's only argument: a concatenation
    is written `"a"+k` inside an index or an argument list, `"a" + k` alone."""
    return expression.replace("+", " + ")


_BINDING_BEFORE = re.compile(r"(var )?(\w+, )*")


def _uses_on_line(line: str, name: str) -> bool:
    """Whether `line` reads `name`: any mention but a declaration or the target of `=`."""
    for match in re.finditer(rf"(?<![\w.{P}]){re.escape(name)}(?!\w)", line):
        before, after = line[: match.start()].lstrip("\t"), line[match.end() :]
        if _BINDING_BEFORE.fullmatch(before) and (before.startswith("var ") or re.match(r"(, \w+)* :?= ", after)):
            continue
        return True
    return False


def used_in(nodes: list[Node], name: str, declaring: Node | None = None) -> bool:
    """Whether statements read `name`, stopping inside a block where it is declared again."""
    for node in nodes:
        if declaring is not None and name in node.declares and node is not declaring:
            return False
        if declaring is None and name in node.declares:
            declaring = node
        lines = [node.text] if not node.sections else [s.header for s in node.sections] + [node.tail]
        if any(_uses_on_line(line, name) for text in lines for line in text.split("\n")):
            return True
        for section in node.sections:
            if used_in(section.body, name, declaring or Node()):
                return True
    return False


def generate(seed: int) -> Program:
    """The program of `seed`: the same seed always gives the same program."""
    return Generator(seed).program()

