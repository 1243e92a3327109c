"""Functional options: the package's own option values, and how to run one.

An option type is a function of one pointer to a struct (`type Option func(*book) error`, or
the type `func(*book)` itself). The package's option constructors return func literals of
it (`func Runner(name, dsn string) Option { return func(b *book) error { b.Runners[name] =
dsn; return nil } }`), and a constructor of the struct applies them to the value it built
(`for _, opt := range opts { opt(b) }`). Applying an option runs one of those literals, the
caller picks which: each is a method of the struct for what it writes and sets, with its
parameter as the receiver.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from analyzers.flow.frames import Env
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.paths import REACHED, Local
from analyzers.flow.syntax import children, strip
from analyzers.flow.types import normalise
from analyzers.flow.values import ENTRY, UNKNOWN_VAL, Val
from analyzers.index import PackageIndex

# `func(*T) error`, `func(b *T)`: a function of one pointer to a struct, and that struct.
_OPTION_SIGNATURE = re.compile(r"^func\(\s*(?:\w+\s+)?\*\s*(\w+)\s*\)")


@dataclass(frozen=True)
class OptionLiteral:
    """A func literal an option constructor returns (`Runner`'s `func(b *book) error {...}`)."""

    constructor: str
    path: str
    node: Node


def option_struct(type_text: str, named_types: dict[str, str]) -> str | None:
    """The struct an option type applies to: `book` of `Option` (`type Option func(*book)
    error`) or of `func(*book) error`; None for any other type."""
    type_text = normalise(type_text)
    underlying = named_types.get(type_text, type_text)
    match = _OPTION_SIGNATURE.match(normalise(underlying))
    return match.group(1) if match is not None else None


def option_literals(package: PackageIndex, type_text: str) -> list[OptionLiteral]:
    """The func literals returned by the package's functions and methods whose first result
    is the option type `type_text`."""
    found: list[OptionLiteral] = []
    for decl in [*package.funcs.values(), *package.methods.values()]:
        if not decl.result_types or normalise(decl.result_types[0]) != type_text or decl.body is None:
            continue
        found.extend(OptionLiteral(decl.name, decl.path, literal) for literal in _returned_literals(decl.body))
    return found


def _returned_literals(body: Node) -> list[Node]:
    """The func literals a body returns as they are (`return func(b *T) {...}`), not those of
    the literals it holds."""
    found: list[Node] = []
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            continue
        if node.type == "return_statement":
            for value in children(node):
                values = children(value) if value.type == "expression_list" else [value]
                found.extend(v for v in (strip(x) for x in values) if v is not None and v.type == "func_literal")
            continue
        stack.extend(node.named_children)
    return found


class OptionInterpreter(Interpreter):
    """Runs an option's func literal as a method summary: its one parameter is the receiver,
    as it came in."""

    def entry_env(self) -> Env:
        env: Env = {REACHED: UNKNOWN_VAL}
        parameters = self.func.child_by_field_name("parameters")
        declared = [d for d in children(parameters) if d.type == "parameter_declaration"] if parameters is not None else []
        name = declared[0].child_by_field_name("name") if len(declared) == 1 else None
        if name is not None and self.text_of(name) != "_":
            var = self.declare(name, self.text_of(declared[0].child_by_field_name("type")))
            if var is not None:
                self.receiver_key = var.key
                env[(Local(var.key),)] = Val(ENTRY)
        self.declare_results(env, self.func.child_by_field_name("result"))
        return env
