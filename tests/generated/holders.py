"""What a generated function works on: local maps, structs with map fields (built every
way Go allows), collections of structs, package variables made (or not) by `init()`, and
structs decoded from JSON. Each is declared at the top of a `run` function or mid-block."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from tests.generated.declarations import CONFIG, VALUES_, Declarations
from tests.generated.program import Node, Section
from tests.generated.scope import Collection, Scope
from tests.generated.vocabulary import COUNTS, GROUPS, INTS, LOCAL_MAP_TYPES, VALUES, Holder, MapType, Place

if TYPE_CHECKING:
    from tests.generated.generator import Generator

MAP_NAMES = {"Ints": "counts", "Counts": "tally", "Groups": "groups", "Labels": "labels", "Values": "query"}


class Holders:
    """Declarations of the maps and structs a function works on."""

    rng: random.Random
    g: Generator
    decls: Declarations
    made: set[str]

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
