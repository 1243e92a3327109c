"""Expressions of generated programs: conditions over the run's inputs, map keys of every
kind (literals, locals, selectors, index expressions, calls, constants, concatenations), and
the choice of which map a statement works on."""
from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from tests.generated.declarations import Declarations
from tests.generated.program import PREFIX_MARK as P
from tests.generated.scope import Scope
from tests.generated.vocabulary import GROUPS, Place

if TYPE_CHECKING:
    from tests.generated.generator import Generator

_LOCAL_NAME = re.compile(rf"(?<![\w.{P}\"])[a-z]\w*(?![\w\"])")


class Expressions:
    """Conditions, keys and the choice of places."""

    rng: random.Random
    decls: Declarations
    g: Generator
    inner_keys: dict[str, list[tuple[str, str, tuple[str, ...]]]]

    def pick(self, weighted):
        """One item of [(weight, item), ...], chosen in proportion to the weights."""
        total = sum(w for w, _ in weighted)
        point = self.rng.random() * total
        for weight, item in weighted:
            point -= weight
            if point < 0:
                return item
        return weighted[-1][1]

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
