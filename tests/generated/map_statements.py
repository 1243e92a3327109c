"""Statements that act on a map: writes of every form, makes, resets, guards, reads,
method and helper calls, and what can be done to a struct that holds maps."""
from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING

from tests.generated.declarations import Declarations
from tests.generated.program import Node, Section
from tests.generated.scope import Scope, sole
from tests.generated.vocabulary import COUNTS, INTS, Holder, Place

if TYPE_CHECKING:
    from tests.generated.generator import Generator

class MapStatements:
    """Statements on one map or one struct."""

    rng: random.Random
    g: Generator
    decls: Declarations
    made: set[str]

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
            made = self.indirect_make(place, scope) if self.rng.random() < 0.5 else None
            if made is None:
                single = self.make_node(place, scope)
                made = [single] if single is not None else None
            if made is not None:
                return made + (self.write_to(place, scope) or [])
        return self.write_to(place, scope)

    def holder_of(self, place: Place, scope: Scope) -> Holder | None:
        """The struct a field place is read through, when it is one of the program's structs."""
        for holder in scope.holders:
            if holder.stype is self.g.store and place.outer is None and place.expr.startswith(holder.expr + "."):
                return holder
        return None

    def indirect_make(self, place: Place, scope: Scope) -> list[Node] | None:
        """Statements that make `place` other than by assigning it here: through a closure,
        a goroutine, a method or helper of its struct, a pointer alias, a loop over its
        collection. Each is something the runtime follows and an analysis may lose."""
        holder = self.holder_of(place, scope)
        path = place.expr[len(holder.expr) :] if holder is not None else ""
        options = ["iife"]
        if scope.allow_decl:
            options += ["closure", "goroutine"]
        if holder is not None and path == ".items" and holder.can_call_pointer_methods:
            options += ["method", "helper"]
        if holder is not None and holder.pointer and holder.reassignable and scope.allow_decl:
            options.append("alias")
        collection = next((c for c in scope.collections if holder is not None and holder.expr.startswith(c.name + "[")), None)
        if collection is not None:
            options.append("loop")
        choice = self.rng.choice(options)
        self.made.add(place.expr)
        if choice == "method":
            method = self.decls.need(self.rng.choice(("method.Store.Init", "method.Store.Ensure")))
            implicit = set() if holder.pointer else {"recv.implicit_addr"}
            return [Node(f"{holder.expr}.{method}()", tags=holder.tags | implicit | {"recv.pointer_make"})]
        if choice == "helper":
            target = holder.expr if holder.pointer else f"&{holder.expr}"
            return [Node(f"{self.decls.need('func.initStore')}({target})", tags=holder.tags | {"helper.struct_ptr_param"})]
        if choice == "alias":
            alias = self.fresh("alias")
            self.declare(alias)
            made = self.make_node(replace(place, expr=alias + path, root=alias), scope)
            if made is None:
                return None
            return [Node(f"{alias} := {holder.expr}", tags=frozenset({"field.pointer_alias"}), declares=(alias,)), made]
        if choice == "loop":
            i = self.fresh("i")
            element = f"{collection.name}[{i}]"
            made = self.make_node(replace(place, expr=element + path), scope)
            if made is None:
                return None
            return [Node(sections=[Section(f"for {i} := range {collection.name} {{", [made])], tail="}", tags=frozenset({"flow.range_structs"}))]
        made = self.make_node(place, scope)
        if made is None:
            return None
        if choice == "closure":
            name = self.fresh(self.rng.choice(("setup", "prepare")))
            self.declare(name)
            scope.closures.append(name)
            closure = Node(sections=[Section(f"{name} := func() {{", [made])], tail="}", tags=frozenset({"closure.makes"}), declares=(name,))
            return [closure, Node(f"{name}()", tags=frozenset({"closure.call"}))]
        if choice == "goroutine":
            wg = self.fresh("wg")
            header = f"var {wg} sync.WaitGroup\n{wg}.Add(1)\ngo func() {{"
            body = [made, Node(f"{wg}.Done()", keep=True)]
            return [Node(sections=[Section(header, body)], tail=f"}}()\n{wg}.Wait()", tags=frozenset({"goroutine.waitgroup"}), declares=(wg,))]
        return [Node(sections=[Section("func() {", [made])], tail="}()", tags=frozenset({"closure.iife"}))]

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

    # A flag's zero value, a value it is set to beside the make, another set apart from it,
    # and the tests of it that are true only where it was set (for a bool, a string, an int).
    FLAGS = (
        ("false", ("true",), "true", ("{f}",)),
        ('""', ('"on"', "raw"), '"x"', ('{f} != ""', "len({f}) > 0")),
        ("0", ("1", "n"), "2", ("{f} != 0", "{f} > 0")),
    )

    def op_flag(self, scope: Scope) -> list[Node] | None:
        """A flag set beside a make and tested before a write (`mode := ""`, `if a { mode =
        "on"; m = make(...) }`, `if mode != "" { m[k] = 1 }`), sometimes set in a loop's rounds,
        sometimes set apart from the make too: where the flag says the map was made, and where
        another path makes it lie."""
        place = self.place(scope)
        if place is None or not scope.allow_decl:
            return None
        made = self.make_node(place, scope)
        if made is None:
            return None
        zero, values, apart, tests = self.rng.choice(self.FLAGS)
        flag = self.fresh("flag")
        self.declare(flag)
        value = self.rng.choice(values)
        setting: list[Node] = [Node(sections=[Section(f"if {self.condition(scope)} {{", [Node(f"{flag} = {value}"), made])], tail="}")]
        tags = {"flag.set_beside"}
        if self.rng.random() < 0.3:
            setting.append(Node(sections=[Section(f"if {self.condition(scope)} {{", [Node(f"{flag} = {apart}")])], tail="}"))
            tags.add("flag.set_apart")
        if self.rng.random() < 0.4:
            self.rng.shuffle(setting)
            setting = [Node(sections=[Section("for range keys {", setting)], tail="}")]
            tags.add("flag.in_loop")
        test = self.rng.choice(tests).format(f=flag)
        written = Node(sections=[Section(f"if {test} {{", [self.direct_write(place, scope)])], tail="}")
        return [Node(f"{flag} := {zero}", tags=frozenset(tags), declares=(flag,)), *setting, written]

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
        if choice == 9 and holder.reassignable:
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
