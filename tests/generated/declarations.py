"""Top-level declarations of generated programs: types, package variables, helpers, methods.

Each is built once per program, on first use, by `Declarations.need(key)`; the key names what
it is (`func.putInts`, `method.Store.Init`). Writes inside helpers and methods get write ids
like any other write, so a panic inside a helper is attributed to the helper's own line.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from tests.generated.program import CELL, Node, Section
from tests.generated.program import PREFIX_MARK as P
from tests.generated.vocabulary import COUNTS, GROUPS, INTS, LABELS, VALUES, Field, MapType, StructType

BASE = StructType(f"{P}Base", (Field("attrs", INTS.go, mtype=INTS),))
META = StructType(f"{P}Meta", (Field("tags", INTS.go, mtype=INTS),))
CONFIG = StructType(
    f"{P}Config",
    (
        Field("Name", "string", tag='`json:"name"`'),
        Field("Labels", LABELS.go, mtype=LABELS, tag='`json:"labels"`'),
        Field("Counts", INTS.go, mtype=INTS, tag='`json:"counts,omitempty"`'),
    ),
)
MAP_TYPES = {t.short: t for t in (INTS, COUNTS, LABELS, VALUES, GROUPS)}

# Category order of declarations in the file: types, values, init, functions, runs, main.
TYPES, VALUES_, INIT, FUNCS, RUNS, MAIN = range(6)


def choose_store(rng: random.Random) -> StructType:
    """The program's own struct with map fields; its shape varies from program to program."""
    fields: list[Field] = []
    if rng.random() < 0.35:
        fields.append(Field("", BASE.name, struct=BASE))
    fields.append(Field("name", "string"))
    items = rng.choice((INTS, INTS, COUNTS))
    fields.append(Field("items", items.go, mtype=items))
    if rng.random() < 0.4:
        fields.append(Field("index", GROUPS.go, mtype=GROUPS))
    if rng.random() < 0.35:
        fields.append(Field("meta", META.name, struct=META))
    return StructType(f"{P}Store", tuple(fields))


def struct_decl(stype: StructType) -> Node:
    fields = []
    for f in stype.fields:
        row = [f.go] if not f.name else [f.name, f.go]
        if f.tag:
            row.append(f.tag)
        fields.append(Node(CELL.join(row)))
    return Node(sections=[Section(f"type {stype.name} struct {{", fields)], tail="}", declares=(stype.name,), aligned=True)


def func(header: str, body: list[Node], name: str, tags: frozenset[str] = frozenset()) -> Node:
    return Node(sections=[Section(header + " {", body)], tail="}", declares=(name,), tags=tags)


class Declarations:
    """The program's top-level declarations, built on demand and kept in file order."""

    def __init__(self, rng: random.Random, write: Callable[[str, frozenset[str]], Node], store: StructType) -> None:
        self.rng = rng
        self.write = write
        self.store = store
        self.built: dict[str, tuple[int, Node]] = {}

    def need(self, key: str) -> str:
        """Declare `key` if it is not yet declared; returns the name to use it by."""
        kind, _, name = key.partition(".")
        if key not in self.built:
            self.built[key] = (0, Node())  # placeholder: a template may need others first
            category, node = getattr(self, "_" + kind)(name)
            self.built[key] = (category, node)
        return f"{P}{name.rsplit('.', 1)[-1]}" if kind != "method" else name.rsplit(".", 1)[-1]

    def nodes(self) -> list[Node]:
        ordered = sorted(self.built.items(), key=lambda item: item[1][0])
        return [node for _, (_, node) in ordered]

    def add(self, key: str, category: int, node: Node) -> None:
        self.built[key] = (category, node)

    # --- types -----------------------------------------------------------------------------

    def _type(self, name: str) -> tuple[int, Node]:
        if name == "Counts":
            return TYPES, Node(f"type {P}Counts map[string]int", declares=(f"{P}Counts",), tags=frozenset({"named.map_type"}))
        if name == "pair":
            return TYPES, Node(f"type {P}pair struct {{\n\tA, B string\n}}", declares=(f"{P}pair",))
        if name == "Store":
            for f in self.store.fields:
                if f.mtype is not None and f.mtype.named and f.mtype is COUNTS:
                    self.need("type.Counts")
                if f.struct is not None:
                    self.need("type." + f.struct.name.replace(P, ""))
            return TYPES, struct_decl(self.store)
        stype = {"Base": BASE, "Meta": META, "Config": CONFIG}[name]
        return TYPES, struct_decl(stype)

    # --- package-level values ----------------------------------------------------------------

    def _const(self, name: str) -> tuple[int, Node]:
        value = {"keyA": '"a"', "keyB": '"b"'}[name]
        return VALUES_, Node(f"const {P}{name} = {value}", declares=(f"{P}{name}",))

    def _var(self, name: str) -> tuple[int, Node]:
        if name == "names":
            return VALUES_, Node(f'var {P}names = []string{{"a", "b", "c"}}', declares=(f"{P}names",))
        if name == "defaults":
            self.need("type.pair")
            return VALUES_, Node(f'var {P}defaults = {P}pair{{A: "a", B: "b"}}', declares=(f"{P}defaults",))
        raise KeyError(name)

    # --- helpers over one map type -------------------------------------------------------------

    def _func(self, name: str) -> tuple[int, Node]:
        if name == "keyOf":
            self.need("var.names")
            body = [Node(f"return {P}names[i%len({P}names)]")]
            return FUNCS, func(f"func {P}keyOf(i int) string", body, f"{P}keyOf")
        if name == "enabled":
            self.need("var.names")
            body = [Node(f"return len({P}names)%2 == 1")]
            return FUNCS, func(f"func {P}enabled() bool", body, f"{P}enabled")
        for role in ("newStoreIf", "newStore", "makeStore", "initStore", "fillStore"):
            if name == role:
                return FUNCS, getattr(self, "_" + role)()
        for role in ("putSafe", "put", "new", "nil", "maybe", "ensure", "reset", "fill", "withMade", "add"):
            if name.startswith(role) and name[len(role) :] in MAP_TYPES:
                mtype = MAP_TYPES[name[len(role) :]]
                if mtype is COUNTS:
                    self.need("type.Counts")
                return FUNCS, getattr(self, "_helper_" + role)(mtype, f"{P}{name}")
        raise KeyError(name)

    def value_write(self, mtype: MapType, target: str, key: str) -> str:
        """A plain write of one entry, as a helper body does it."""
        if mtype.value == "strings":
            return f'{target}.Set({key}, "x")'
        if mtype.value == "map":
            return f"{target}[{key}] = map[string]int{{}}"
        if mtype.value == "string":
            return f'{target}[{key}] = "x"'
        return f"{target}[{key}]++"

    def _helper_put(self, mtype: MapType, name: str) -> Node:
        body = [self.write(self.value_write(mtype, "m", "k"), frozenset())]
        return func(f"func {name}(m {mtype.go}, k string)", body, name, frozenset({"helper.map_param"}))

    def _helper_putSafe(self, mtype: MapType, name: str) -> Node:
        guard = Node(sections=[Section("if m == nil {", [Node("return")])], tail="}")
        body = [guard, self.write(self.value_write(mtype, "m", "k"), frozenset())]
        return func(f"func {name}(m {mtype.go}, k string)", body, name, frozenset({"helper.map_param", "guard.nil_check"}))

    def _helper_new(self, mtype: MapType, name: str) -> Node:
        made = self.rng.choice((mtype.make(), mtype.empty()))
        return func(f"func {name}() {mtype.go}", [Node(f"return {made}")], name, frozenset({"helper.returns_made"}))

    def _helper_nil(self, mtype: MapType, name: str) -> Node:
        if self.rng.random() < 0.5:
            body = [Node("return nil")]
        else:
            body = [Node(f"var m {mtype.go}"), Node("return m")]
        return func(f"func {name}() {mtype.go}", body, name, frozenset({"helper.returns_nil"}))

    def _helper_maybe(self, mtype: MapType, name: str) -> Node:
        made = Node(sections=[Section("if ok {", [Node(f"return {mtype.make()}")])], tail="}")
        body = [made, Node("return nil")]
        return func(f"func {name}(ok bool) {mtype.go}", body, name, frozenset({"helper.returns_maybe_nil"}))

    def _helper_ensure(self, mtype: MapType, name: str) -> Node:
        body = [Node(sections=[Section("if *p == nil {", [Node(f"*p = {mtype.make()}")])], tail="}")]
        return func(f"func {name}(p *{mtype.go})", body, name, frozenset({"helper.ptr_param"}))

    def _helper_reset(self, mtype: MapType, name: str) -> Node:
        return func(f"func {name}(p *{mtype.go})", [Node("*p = nil")], name, frozenset({"helper.ptr_param"}))

    def _helper_fill(self, mtype: MapType, name: str) -> Node:
        body = [self.write(self.value_write(mtype, "(*p)", "k"), frozenset())]
        return func(f"func {name}(p *{mtype.go}, k string)", body, name, frozenset({"helper.ptr_param"}))

    def _helper_withMade(self, mtype: MapType, name: str) -> Node:
        guard = Node(sections=[Section("if m == nil {", [Node(f"m = {mtype.make()}")])], tail="}")
        body = [guard, Node("return m")]
        return func(f"func {name}(m {mtype.go}) {mtype.go}", body, name, frozenset({"helper.returns_param"}))

    def _helper_add(self, mtype: MapType, name: str) -> Node:
        body = [self.write(self.value_write(mtype, "m", "k"), frozenset()), Node("return m")]
        return func(f"func {name}(m {mtype.go}, k string) {mtype.go}", body, name, frozenset({"helper.returns_param"}))

    # --- the struct's constructors and helpers ------------------------------------------------

    def store_literal(self, with_items: bool, pointer: bool, positional: bool = False) -> str:
        """A literal of the program's struct, with its `items` map made or left nil."""
        self.need("type.Store")
        items = self.store.field("items")
        assert items is not None and items.mtype is not None
        made = items.mtype.make()
        amp = "&" if pointer else ""
        if positional:
            values = []
            for f in self.store.fields:
                if f.name == "items":
                    values.append(made if with_items else "nil")
                elif f.name == "name":
                    values.append('"s"')
                elif f.mtype is not None:
                    values.append("nil")
                else:
                    values.append(f"{f.go}{{}}")
            return f"{amp}{self.store.name}{{{', '.join(values)}}}"
        parts = ['name: "s"'] if self.rng.random() < 0.6 else []
        if with_items:
            parts.append(f"items: {made}")
        return f"{amp}{self.store.name}{{{', '.join(parts)}}}"

    def full_literal(self, pointer: bool) -> str:
        """A literal of the program's struct with every map in it made."""
        self.need("type.Store")
        parts = []
        for f in self.store.fields:
            if f.mtype is not None:
                parts.append(f"{f.name}: {f.mtype.make()}")
            elif f.struct is not None:
                self.need("type." + f.struct.name.replace(P, ""))
                inner = ", ".join(f"{g.name}: {g.mtype.make()}" for g in f.struct.fields if g.mtype is not None)
                parts.append(f"{f.selector}: {f.go}{{{inner}}}")
        return f"{'&' if pointer else ''}{self.store.name}{{{', '.join(parts)}}}"

    def make_every_map(self, target: str) -> list[Node]:
        """Statements making every map of the struct `target` points to."""
        nodes = []
        for f in self.store.fields:
            if f.mtype is not None:
                nodes.append(Node(f"{target}.{f.name} = {f.mtype.make()}"))
            elif f.struct is not None:
                for g in f.struct.fields:
                    if g.mtype is not None:
                        path = f"{target}.{f.name}.{g.name}" if f.name else f"{target}.{g.name}"
                        nodes.append(Node(f"{path} = {g.mtype.make()}"))
        return nodes

    def _newStore(self) -> Node:
        name = f"{P}newStore"
        variant = self.rng.randrange(5)
        if variant == 4:
            body = [Node(f"return {self.full_literal(True)}")]
        elif variant == 0:
            body = [Node(f"return {self.store_literal(False, True)}")]
        elif variant == 1:
            body = [Node(f"return {self.store_literal(True, True)}")]
        elif variant == 2:
            items = self.store.field("items")
            assert items is not None and items.mtype is not None
            body = [Node(f"s := {self.store_literal(False, True)}"), Node(f"s.items = {items.mtype.make()}"), Node("return s")]
        else:
            self.need("method.Store.Init")
            body = [Node(f"s := new({self.store.name})"), Node("s.Init()"), Node("return s")]
        return func(f"func {name}() *{self.store.name}", body, name, frozenset({"ctor.new_func"}))

    def _newStoreIf(self) -> Node:
        name = f"{P}newStoreIf"
        items = self.store.field("items")
        assert items is not None and items.mtype is not None
        made = Node(sections=[Section("if ok {", [Node(f"s.items = {items.mtype.make()}")])], tail="}")
        body = [Node(f"s := {self.store_literal(False, True)}"), made, Node("return s")]
        return func(f"func {name}(ok bool) *{self.store.name}", body, name, frozenset({"ctor.conditional"}))

    def _makeStore(self) -> Node:
        name = f"{P}makeStore"
        with_items = self.rng.random() < 0.5
        body = [Node(f"return {self.store_literal(with_items, False)}")]
        return func(f"func {name}() {self.store.name}", body, name, frozenset({"ctor.value_func"}))

    def _initStore(self) -> Node:
        name = f"{P}initStore"
        items = self.store.field("items")
        assert items is not None and items.mtype is not None
        self.need("type.Store")
        body = [Node(f"s.items = {items.mtype.make()}")]
        return func(f"func {name}(s *{self.store.name})", body, name, frozenset({"helper.struct_ptr_param"}))

    def _fillStore(self) -> Node:
        name = f"{P}fillStore"
        items = self.store.field("items")
        assert items is not None and items.mtype is not None
        self.need("type.Store")
        body = [self.write(self.value_write(items.mtype, "s.items", "k"), frozenset())]
        return func(f"func {name}(s *{self.store.name}, k string)", body, name, frozenset({"helper.struct_ptr_param"}))

    # --- methods -----------------------------------------------------------------------------

    def _method(self, name: str) -> tuple[int, Node]:
        owner, method = name.split(".")
        if owner == "Counts":
            self.need("type.Counts")
            return FUNCS, self._counts_method(method)
        if owner == "Base":
            self.need("type.Base")
            return FUNCS, self._base_method(method)
        self.need("type.Store")
        return FUNCS, self._store_method(method)

    def _counts_method(self, method: str) -> Node:
        t = f"{P}Counts"
        if method == "Add":
            body = [self.write("c[k]++", frozenset())]
            return func(f"func (c {t}) Add(k string)", body, ".Add", frozenset({"named.method_write", "recv.value_write"}))
        if method == "Put":
            body = [self.write("(*c)[k] = 1", frozenset())]
            return func(f"func (c *{t}) Put(k string)", body, ".Put", frozenset({"named.method_write", "recv.pointer_write"}))
        if method == "Init":
            return func(f"func (c *{t}) Init()", [Node(f"*c = make({t})")], ".Init", frozenset({"recv.pointer_make"}))
        if method == "Reset":
            return func(f"func (c *{t}) Reset()", [Node("*c = nil")], ".Reset", frozenset({"recv.pointer_reset"}))
        raise KeyError(method)

    def _base_method(self, method: str) -> Node:
        t = BASE.name
        if method == "SetAttr":
            body = [self.write("b.attrs[k] = 1", frozenset())]
            return func(f"func (b *{t}) SetAttr(k string)", body, ".SetAttr", frozenset({"field.embedded_method", "recv.pointer_write"}))
        if method == "InitAttrs":
            body = [Node(f"b.attrs = {INTS.make()}")]
            return func(f"func (b *{t}) InitAttrs()", body, ".InitAttrs", frozenset({"field.embedded_method", "recv.pointer_make"}))
        raise KeyError(method)

    def _store_method(self, method: str) -> Node:
        t = self.store.name
        items = self.store.field("items")
        assert items is not None and items.mtype is not None
        made = items.mtype.make()
        if method == "Init":
            body = [Node(f"s.items = {made}")] if self.rng.random() < 0.5 else self.make_every_map("s")
            return func(f"func (s *{t}) Init()", body, ".Init", frozenset({"recv.pointer_make"}))
        if method == "InitCopy":
            return func(f"func (s {t}) InitCopy()", [Node(f"s.items = {made}")], ".InitCopy", frozenset({"recv.value_make"}))
        if method == "Reset":
            return func(f"func (s *{t}) Reset()", [Node("s.items = nil")], ".Reset", frozenset({"recv.pointer_reset"}))
        if method == "Put":
            body = [self.write(self.value_write(items.mtype, "s.items", "k"), frozenset())]
            return func(f"func (s *{t}) Put(k string)", body, ".Put", frozenset({"recv.pointer_write"}))
        if method == "PutCopy":
            body = [self.write(self.value_write(items.mtype, "s.items", "k"), frozenset())]
            return func(f"func (s {t}) PutCopy(k string)", body, ".PutCopy", frozenset({"recv.value_write"}))
        if method == "Ensure":
            guard = Node(sections=[Section("if s.items == nil {", [Node(f"s.items = {made}")])], tail="}")
            return func(f"func (s *{t}) Ensure()", [guard], ".Ensure", frozenset({"recv.lazy_init"}))
        if method == "Link":
            inner = Node(sections=[Section("if s.index[k] == nil {", [self.write("s.index[k] = map[string]int{}", frozenset())])], tail="}")
            body = [inner, self.write('s.index[k]["n"]++', frozenset())]
            return func(f"func (s *{t}) Link(k string)", body, ".Link", frozenset({"recv.pointer_write", "nested.guarded_method"}))
        raise KeyError(method)
