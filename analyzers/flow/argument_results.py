"""Results decided by a boolean argument.

`func maybeInts(ok bool) map[string]int { if ok { return make(...) }; return nil }` returns
nil exactly where `ok` is false: a call returns nil where its argument is false, and a made
map where it is true. Summarised over all its paths the function "may return nil", and every
write into its result is warned about, even under the caller's own test of the argument
(`m := maybeInts(len(keys) > 0)` written under `if len(keys) > 0`). The facts each `return`
is reached under (those a summarising run notes) tell which parameter decides it.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.frames import Env
from analyzers.flow.paths import REACHED
from analyzers.flow.syntax import assigned_names, children
from analyzers.flow.values import NIL, Condition, Val
from analyzers.parsing import text

# The types of the parameters bound to the literal every call passes (`PackageVars.bound_arguments`).
BOUND_TYPES = frozenset({"bool", "string", "int"})


def bool_parameters(decl_node: Node) -> dict[str, int]:
    """The `bool` parameters of a function, by name, with their positions (none when a
    parameter is variadic)."""
    return {name: position for name, (position, _) in basic_parameters(decl_node, frozenset({"bool"})).items()}


def basic_parameters(decl_node: Node, types: frozenset[str]) -> dict[str, tuple[int, str]]:
    """The parameters of a function whose type is one of `types`, by name, with their positions
    and types (none when a parameter is variadic)."""
    parameters = decl_node.child_by_field_name("parameters")
    found: dict[str, tuple[int, str]] = {}
    position = 0
    for declaration in children(parameters) if parameters is not None else []:
        if declaration.type != "parameter_declaration":
            return {}
        type_node = declaration.child_by_field_name("type")
        names: list[Node | None] = list(declaration.children_by_field_name("name")) or [None]
        for name in names:
            if name is not None and type_node is not None and text(type_node) in types:
                found[text(name)] = (position, text(type_node))
            position += 1
    return found


def deciding_parameter(decl_node: Node, returns: list[Env], values: list[Val]) -> tuple[int, bool] | None:
    """(position, truth) of the `bool` parameter whose value `truth` is where every `return`
    of nil is reached, and its other value where every other `return` is; None when there is
    no such parameter (or it is set in the body, where its value is no longer the argument)."""
    if len(returns) != len(values) or not returns:
        return None
    body = decl_node.child_by_field_name("body")
    candidates = bool_parameters(decl_node)
    if body is not None:
        for name in assigned_names(body):
            candidates.pop(name, None)
    for name, position in candidates.items():
        truths: dict[bool, set[bool | None]] = {True: set(), False: set()}
        for env, val in zip(returns, values, strict=True):
            reached = env.get(REACHED)
            facts = reached.when.facts if reached is not None and isinstance(reached.when, Condition) else {}
            if val.bits & NIL and val.bits != NIL:
                break  # a return that may or may not be nil: not decided here
            truths[val.bits == NIL].add(facts.get(name))
        else:
            nil_side, made_side = truths[True], truths[False]
            if len(nil_side) == 1 and len(made_side) == 1 and None not in nil_side | made_side and nil_side != made_side:
                return position, next(iter(nil_side)) is True
    return None
