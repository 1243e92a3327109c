"""The generator's view of a function body while it writes it: what is in scope, and
which names the statements it wrote read (the compiler rejects a local nobody reads)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.generated.program import PREFIX_MARK as P
from tests.generated.program import Node
from tests.generated.vocabulary import Holder, Place


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
    # In a goroutine's own body (not in a literal inside it): it must reach its `wg.Done()`, so
    # no `return`, and no `defer`, which would run after the Done and race with the waiter.
    in_goroutine: bool = False

    def visible(self) -> set[str]:
        """The local names this scope can read."""
        names = set(self.strs) | set(self.pairs) | set(self.ints) | set(self.bools)
        names |= {h.root for h in self.holders if h.root} | {p.root for p in self.places if p.root}
        return names

    def child(self, **changes) -> Scope:
        copied = Scope(
            list(self.places), list(self.holders), list(self.collections), list(self.bools), list(self.ints),
            list(self.strs), list(self.key_vars), list(self.pairs), list(self.closures), list(self.loops),
            self.depth + 1, True, self.in_goroutine,
        )
        for name, value in changes.items():
            setattr(copied, name, value)
        return copied


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
