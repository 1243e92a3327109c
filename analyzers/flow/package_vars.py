"""Package-level variables: what a map (or a struct holding maps) declared at package level
holds when a function other than `init` starts — never made, made on every path of
`init()`, on some paths, or assigned elsewhere (then unknown)."""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import cast

from tree_sitter import Node

from analyzers.flow.argument_results import BOUND_TYPES, basic_parameters
from analyzers.flow.cache import declaration_fact
from analyzers.flow.callers import CallerIndex
from analyzers.flow.constant_keys import (
    fields_only_read,
    keys_kept,
    literal_elements,
    literal_fields,
    map_literal_keys,
    only_read,
)
from analyzers.flow.facts import MethodSummary, PackageFacts
from analyzers.flow.field_uses import reads_fields_only
from analyzers.flow.first_writes import first_written, in_order, pointer_parameters_written, written_maps
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.joins import joined_call
from analyzers.flow.known_values import Known, constant_of
from analyzers.flow.paths import DEREF, FIELD, Global, Path, below
from analyzers.flow.pointer_aliases import second_name_declared, stays_same_pointer
from analyzers.flow.run_order import RunOrder, reads_map
from analyzers.flow.syntax import (
    arguments_of,
    assigned_names,
    called_where_written,
    children,
    descendants,
    is_init,
    mentioned_names,
    selection,
    strip,
)
from analyzers.flow.types import normalise, receiver_name
from analyzers.flow.values import LINE, MADE, MADE_VAL, NIL, UNKNOWN_VAL, Origin, OriginKind, Val
from analyzers.gotext import name as name_pattern
from analyzers.index import FuncDecl, VarDecl
from analyzers.parsing import text
from analyzers.source import SourceFile


def _basic_literal(call: Node, position: int) -> Known | None:
    """The integer or string literal a call passes at `position` (a literal, not a named
    constant: a local may shadow a constant's name at the call), else None."""
    passed = arguments_of(call)
    argument = strip(passed[position]) if position < len(passed) else None
    if argument is None or argument.type not in ("int_literal", "raw_string_literal", "interpreted_string_literal"):
        return None
    return constant_of(argument, lambda _: None)


def _bool_literal(call: Node, position: int) -> bool | None:
    """The `true` or `false` a call passes at `position`, else None."""
    passed = arguments_of(call)
    argument = strip(passed[position]) if position < len(passed) else None
    return None if argument is None or argument.type not in ("true", "false") else argument.type == "true"


def _slice_length(call: Node, position: int) -> int | None:
    """The length of the slice a call passes at `position`: `nil` (0) or a `[]T{...}` literal
    listing its elements (no index keys), else None."""
    passed = arguments_of(call)
    argument = strip(passed[position]) if position < len(passed) else None
    if argument is not None and argument.type == "nil":
        return 0
    kind = argument.child_by_field_name("type") if argument is not None and argument.type == "composite_literal" else None
    body = argument.child_by_field_name("body") if argument is not None else None
    if kind is None or kind.type != "slice_type" or body is None:
        return None
    elements = children(body)
    return None if any(element.type == "keyed_element" for element in elements) else len(elements)


def _parameter_types(decl_node: Node, prefix: str) -> set[str]:
    """The parameter types of a function that start with `prefix`."""
    parameters = decl_node.child_by_field_name("parameters")
    types = (declaration.child_by_field_name("type") for declaration in children(parameters)) if parameters is not None else ()
    return {text(type_node) for type_node in types if type_node is not None and text(type_node).startswith(prefix)}


class PackageVars:
    """Entry values of a package's variables (one per package check)."""

    def __init__(self, facts: PackageFacts) -> None:
        # (a weak reference: the facts own this object, and a cycle between them would leave
        # every answer of a check to the cyclic collector, a pause inside a later check)
        self.facts = cast(PackageFacts, weakref.proxy(facts))
        self.package = facts.package
        self.types = facts.types
        self._entry: dict[str, Val | None] = {}
        self._made_fields: dict[str, dict[str, Val]] = {}  # `var g = newT()` -> the map fields newT sets
        self._kept: dict[int, frozenset[tuple[str, str]]] = {}
        self._kept_maps: dict[int, frozenset[str]] = {}
        self._keyed_entry: dict[str, Val] = {}  # maps whose keys init() left, which another function may store first
        self._candidates: dict[str, tuple[str, ...]] = {}

    def entry(self, name: str, func: Node) -> Val | None:
        """The value of package-level `name` when `func` starts."""
        decl = self.facts.package_vars.get(name)
        if decl is None:
            return None
        if is_init(func):
            return self._declared_value(decl)
        if name in self.kept_maps(func):
            # Kept only when init() leaves it nil: its loops' rounds are not counted, so "made on
            # some paths of init()" is mostly a path no run takes. A made map's keys are not
            # carried in this way: a loop storing under a computed key in one round and
            # writing an inner map in a later one was reported against the first round's
            # empty map (seed 971314, a false error).
            after = self._after_inits(decl, self._declared_value(decl))
            if after.bits == NIL:
                return after
        if name not in self._entry:
            self._entry[name] = None  # cycle guard
            self._entry[name] = self._entry_after_init(decl)
        if name in self._keyed_entry and self._stored_only_by(name, func):
            return self._keyed_entry[name]
        return self._entry[name] or UNKNOWN_VAL

    def field_entry(self, name: str, field: str, func: Node) -> Val | None:
        """What map field `field` of package-level struct `name` holds when `func` starts, when
        that is known apart from the struct: set by its constructor (`var g = newT()` whose
        `newT` makes it), or set by no code while other fields are. None: it is what the
        struct's own entry value gives."""
        decl = self.facts.package_vars.get(name)
        if decl is None:
            return None
        declared = self._declared_value(decl)
        if declared.zero is None:
            return None
        made = self._made_fields.get(name, {})
        entry = self.entry(name, func)
        if entry is not None and entry.zero is not None:
            return made.get(field)  # the declared struct: what the constructor set, or its zero
        if field not in self.untouched_fields.get(name, frozenset()) and (name, field) not in self.kept_fields(func):
            return None
        if field in made:
            return made[field]
        if not self.types.is_map(self.types.field_type(self.facts.package_var_type(name), field)):
            return Val(MADE, zero=declared.zero)  # a struct held by value: its maps are nil too
        return Val(NIL, replace(declared.zero, field=field))

    @cached_property
    def run_order(self) -> RunOrder:
        return RunOrder(self.package, self._map_value, self._leaves_field)

    def kept_fields(self, func: Node) -> frozenset[tuple[str, str]]:
        """The fields of unexported package-level structs that `func` starts with as declared
        because no code that can have run before it sets them (`main`, or a function `main`
        calls once: `RunOrder`), and that its own code changes only where the flow follows
        it (a field assigned, a method called, `&g` handed to a function whose effects
        through the pointer are known; calls that may set one make it unknown, see
        `fields_set_by`)."""
        kept = self._kept.get(func.id)
        if kept is None:
            kept = self._kept[func.id] = self._kept_fields(func)
        return kept

    def _kept_fields(self, func: Node) -> frozenset[tuple[str, str]]:
        body = func.child_by_field_name("body")
        if body is None:
            return frozenset()
        candidates = self._order_candidates(mentioned_names(body))
        before = self.run_order.ran_before(func) if candidates else None
        if before is None:
            return frozenset()
        kept = set()
        for name, field in candidates:
            chain = self._chain_of(name)
            if self.run_order.may_set(name, field, before, chain) or not self._followed_in(func, name, field, chain):
                continue
            kept.add((name, field))
        return frozenset(kept)

    def _order_candidates(self, mentioned: set[str]) -> list[tuple[str, str]]:
        """(variable, field) of the unexported package-level structs among `mentioned` that are
        declared with their maps nil: their map fields and the structs they hold by value.

        Asked of the variables a function names only: how a variable is declared may take the
        result of its constructor, whose own analysis asks this of the constructor's body (a
        constructor that does not name the variable asks nothing of it). An answer a recursion
        guard reached is not kept: asked again later, it is computed again (`answer_order`)."""
        found: list[tuple[str, str]] = []
        for name in sorted(mentioned & self.facts.package_vars.keys()):
            fields = self._candidates.get(name)
            if fields is None:
                with self.facts.answer_order.computing(("candidates", name)):
                    fields = self._candidate_fields(name)
                if not self.facts.answer_order.depends_on_order(("candidates", name)):
                    self._candidates[name] = fields
            found.extend((name, field) for field in fields)
        return found

    def _candidate_fields(self, name: str) -> tuple[str, ...]:
        decl = self.facts.package_vars[name]
        if name[:1].isupper() or name == "_" or self._declared_value(decl).zero is None:
            return ()
        struct = self.types.struct_of(self.facts.package_var_type(name))
        fields = []
        for field in struct.fields if struct is not None else []:
            type_text = field.type_text.strip()
            if self.types.is_map(type_text) or (self.types.struct_name(type_text) and not type_text.startswith("*")):
                fields.append(field.name)
        return tuple(fields)

    def _chain_of(self, name: str) -> Callable[[str], str]:
        owner = self.facts.package_var_type(name)

        def first(field: str) -> str:
            chain = self.types.promotion_chain(owner, field)
            return chain[0] if chain else field

        return first

    def _followed_in(self, func: Node, name: str, field: str, chain: Callable[[str], str]) -> bool:
        """Whether the flow of `func` follows every change its code can make to `name.field`:
        each use of `name` reads, names a field, calls a method on it or hands its address
        to a function whose effects through it are known; no goroutine or deferred call and
        no closure the flow does not run in place may set the field."""
        pointer = self.facts.package_var_type(name).lstrip().startswith("*")
        if not self._uses_followed(func, name, pointer, name):
            return False
        return not any(self.run_order.may_set(name, field, self.run_order.reach([node]), chain) for node in _run_apart(func))

    def _uses_followed(self, func: Node, name: str, pointer: bool, package_name: str, depth: int = 0, declared: Node | None = None) -> bool:
        """Whether every use of `name` in `func` (the package variable, or a second name of it,
        `declared` there) is one whose effect on the fields the flow follows."""
        for use in _identifiers_named(func, name):
            if declared is not None and use.id == declared.id:
                continue
            if reads_fields_only(use, self._map_value) or _field_named(use) is not None or _method_called_on(use) or _assigned_whole(use):
                continue
            if _copied_whole(use, pointer):
                continue  # `cp := g` (`cp := *g`): a copy, through which no field of g changes
            if pointer and depth < 3 and self._second_name_followed(func, use, package_name, depth):
                continue
            if not self._pointer_followed(use):
                return False
        return True

    def _second_name_followed(self, func: Node, use: Node, package_name: str, depth: int) -> bool:
        """`cp := g` of a package pointer that stays the one pointer: the flow follows `cp` as
        `g` itself (`pointer_aliases`), so the fields change only through uses of `cp` it follows."""
        declared = second_name_declared(use)
        if declared is None or not self.pointer_fixed(package_name):
            return False
        declaration, copy = declared
        if not stays_same_pointer(func, declaration, copy, use):
            return False
        return self._uses_followed(func, text(copy), True, package_name, depth + 1, copy)

    def pointer_fixed(self, name: str) -> bool:
        """Whether package-level pointer `name` points to one struct once init() has run: unexported,
        and no other code assigns it or takes its address (then `cp := g` is a second name of it
        in any function)."""
        return not name[:1].isupper() and name in self.facts.package_vars and not self.assigned_outside_init(name)

    def _pointer_followed(self, use: Node) -> bool:
        """`&g` or `g` handed to a same-package function that summarises what it does through it."""
        argument = use.parent if use.parent is not None and use.parent.type == "unary_expression" and text(use.parent).startswith("&") else use
        return self._argument_summary(argument) is not None

    def _argument_summary(self, argument: Node) -> MethodSummary | None:
        arguments = argument.parent
        call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
        function = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if arguments is None or function is None or function.type != "identifier" or text(function) not in self.package.funcs:
            return None
        position = [c for c in arguments.named_children if c.type != "comment"].index(argument)
        return self.facts.pointer_summaries("", text(function)).get(position)

    def _leaves_field(self, argument: Node, field: str) -> bool:
        """Whether `&g` (or `g`) handed to a call reaches a same-package function that sets
        nothing at `field` through it."""
        summary = self._argument_summary(argument)
        if summary is None:
            return False
        for rel in list(summary.effects) + list(summary.success_effects):
            fields = [step[1] for step in rel if step[0] == FIELD]
            if not fields or fields[0] == field:
                return False
        return True

    def paths_set_by(self, call: Node, func: Node) -> list[Path]:
        """The kept fields and maps of `func` (`kept_fields`, `kept_maps`) that code `call`
        reaches may set (or, a map, store an entry into)."""
        fields, maps = self.kept_fields(func), self.kept_maps(func)
        if not fields and not maps:
            return []
        reached = self.run_order.reached_by_call(call)
        found: list[Path] = [(Global(name),) for name in sorted(maps) if self.run_order.may_change_map(name, reached)]
        found.extend((Global(name), (FIELD, field)) for name, field in sorted(fields) if self.run_order.may_set(name, field, reached, self._chain_of(name)))
        return found

    def kept_maps(self, func: Node) -> frozenset[str]:
        """Unexported package-level maps that `func` starts with as `init()` left them, keys
        included, because no code that can have run before it assigns them or stores an
        entry (`RunOrder`), and that its own code uses only in ways the flow follows (an
        entry read or stored, the map assigned, compared, measured, ranged over or handed
        to a call; no second name)."""
        kept = self._kept_maps.get(func.id)
        if kept is None:
            kept = self._kept_maps[func.id] = self._find_kept_maps(func)
        return kept

    def _find_kept_maps(self, func: Node) -> frozenset[str]:
        body = func.child_by_field_name("body")
        if body is None or self.run_order.main is None:
            return frozenset()
        mentioned = mentioned_names(body)
        candidates = [
            name
            for name, decl in self.facts.package_vars.items()
            if name in mentioned and not name[:1].isupper() and name != "_" and self.types.is_map(self.facts.package_var_type(name))
        ]
        before = self.run_order.ran_before(func) if candidates else None
        if before is None:
            return frozenset()
        inits = {init.node.id for init in self.package.inits}
        before = [node for node in before if node.id not in inits]  # what init() leaves is the entry (`_after_inits`)
        kept = set()
        for name in candidates:
            if self.run_order.may_change_map(name, before) or not self._map_followed_in(func, name):
                continue
            kept.add(name)
        return frozenset(kept)

    def _map_followed_in(self, func: Node, name: str) -> bool:
        """Whether the flow of `func` follows every change its code can make to package map
        `name` (see `kept_maps`), with no goroutine, deferred call or closure it does not run
        in place that may change it."""
        if not all(_map_use_followed(use) for use in _identifiers_named(func, name)):
            return False
        return not any(self.run_order.may_change_map(name, self.run_order.reach([node])) for node in _run_apart(func))

    @cached_property
    def untouched_fields(self) -> dict[str, frozenset[str]]:
        """Unexported package-level structs' map fields that no code sets while it may set
        others: every use of the variable reads or sets a field by its name (`g.items = ...`,
        `&g.index`, `g.meta.M()` set only that field), or leaves all of them as they are."""
        found: dict[str, frozenset[str]] = {}
        for name, decl in self.facts.package_vars.items():
            if name[:1].isupper() or name == "_" or self._declared_value(decl).zero is None:
                continue
            owner = self.facts.package_var_type(name)
            struct = self.types.struct_of(owner)
            if struct is None:
                continue
            touched: set[str] | None = set()
            for use in self._uses(name, decl):
                if reads_fields_only(use, self._map_value):
                    continue
                field = _field_named(use)
                if field is not None and self._value_method_called(use, owner, field):
                    continue  # `g.items.Add(k)` of a method taking its receiver by value: a copy
                handed = self._fields_set_by_callee(use) if field is None and touched is not None else None
                if handed is not None:
                    touched |= handed  # type: ignore[operator]
                    continue
                if touched is None or field is None or (struct.field(field) is None and not self.types.promotion_chain(owner, field)):
                    touched = None  # `g` itself (assigned, passed, `&g`) or a method: any field
                    break
                chain = self.types.promotion_chain(owner, field)
                touched.add(chain[0] if chain else field)
            if touched is not None:
                maps = {f.name for f in struct.fields if not f.embedded and self.types.is_map(f.type_text)}
                found[name] = frozenset(maps - touched)
        return found

    def _fields_set_by_callee(self, use: Node) -> set[str] | None:
        """The fields a same-package function handed `g` (or `&g`) may set through it, by its
        pointer summary (`initStore(g)` of an `initStore` that sets none: the empty set);
        None when the callee is not followed or may re-point or replace the whole struct."""
        argument = use.parent if use.parent is not None and use.parent.type == "unary_expression" and text(use.parent).startswith("&") else use
        summary = self._argument_summary(argument)
        if summary is None:
            return None
        fields = set()
        for rel in list(summary.effects) + list(summary.success_effects):
            named = [step[1] for step in rel if step[0] == FIELD]
            if not named:
                return None
            fields.add(named[0])
        return fields

    def _value_method_called(self, use: Node, owner: str, field: str) -> bool:
        """Whether `g.f` is the receiver of a same-package method that takes it by value."""
        selector = use.parent
        method = selector.parent if selector is not None else None
        call = method.parent if method is not None else None
        if method is None or call is None or method.type != "selector_expression" or call.type != "call_expression":
            return False
        if call.child_by_field_name("function") != method or method.child_by_field_name("operand") != selector:
            return False
        name = method.child_by_field_name("field")
        decl = self.package.methods.get((normalise(self.types.field_type(owner, field)).lstrip("*"), text(name) if name is not None else ""))
        return decl is not None and not decl.pointer_receiver

    def _declared_value(self, decl: VarDecl) -> Val:
        if decl.value is not None:
            value = decl.value
            if value.type == "nil":
                return Val(NIL, Origin(OriginKind.PACKAGE_VAR, decl.path, decl.start, decl.end, "set to nil in its declaration"))
            literal = value.child_by_field_name("operand") if value.type == "unary_expression" and (value.text or b"").startswith(b"&") else value
            built = self._built_without_maps(literal) if literal is not None else None
            if built is not None:
                where = f"built at line {LINE}"
                return Val(MADE, zero=Origin(OriginKind.CONSTRUCTION, decl.path, literal.start_byte, literal.end_byte, where, built))  # type: ignore[union-attr]
            if value.type == "composite_literal":
                return self._map_literal(decl, value) or MADE_VAL
            if (value.text or b"").startswith(b"make("):
                return self._made_empty(decl, value) or MADE_VAL
            return self._built_by_constructor(decl, value) or UNKNOWN_VAL
        if self.types.is_map(decl.type_text):
            return Val(NIL, Origin(OriginKind.PACKAGE_VAR, decl.path, decl.start, decl.end, f"declared at line {LINE} without make"))
        struct = self.types.struct_name(decl.type_text)
        if struct is not None and not decl.type_text.strip().startswith("*"):
            where = f"package-level zero value declared at line {LINE}"
            return Val(MADE, zero=Origin(OriginKind.CONSTRUCTION, decl.path, decl.start, decl.end, where, struct))
        return UNKNOWN_VAL

    def _map_literal(self, decl: VarDecl, literal: Node) -> Val | None:
        """`var cache = map[string]map[string]int{"a": {}}`: a made map holding the literal's
        constant keys only, as a local literal does (None when a key is not a constant)."""
        if not self.types.is_map(decl.type_text or normalise(text(literal.child_by_field_name("type") or literal))):
            return None
        keys = map_literal_keys(literal.child_by_field_name("body"), self._key_of)
        if keys is None:
            return None
        return Val(MADE, zero=Origin(OriginKind.ABSENT_KEY, decl.path, literal.start_byte, literal.end_byte, f"made at line {LINE}"), keys=keys)

    def _made_empty(self, decl: VarDecl, call: Node) -> Val | None:
        """`var cache = make(map[string]map[string]int)`: a made map holding no key, as the
        empty literal does (None when `make` makes no map)."""
        arguments = arguments_of(call)
        made_type = normalise(text(arguments[0])) if arguments else ""
        if not self.types.is_map(decl.type_text or made_type):
            return None
        return Val(MADE, zero=Origin(OriginKind.ABSENT_KEY, decl.path, call.start_byte, call.end_byte, f"made at line {LINE}"), keys=frozenset())

    def _key_of(self, key: Node) -> str:
        """A package-level literal's key as a path step: a named constant of the package by
        the literal it stands for (no local can shadow it there)."""
        shown = normalise(text(key))
        return self.package.consts.get(shown, shown) if key.type == "identifier" else shown

    def _built_by_constructor(self, decl: VarDecl, value: Node) -> Val | None:
        """`var g = newStore()` of a same-package constructor that returns a struct (or a
        pointer to one) it built setting no field that holds maps: they are all nil."""
        function = value.child_by_field_name("function") if value.type == "call_expression" else None
        if function is None or function.type != "identifier" or text(function) not in self.package.funcs:
            return None
        result = self.facts.function_result(text(function))
        if result is None or result.val.bits != MADE or result.val.zero is None:
            return None
        owner = self.facts.package_var_type(decl.name)
        made: dict[str, Val] = {}
        for rel, child in result.children.items():
            fields = [step[1] for step in rel if step[0] == FIELD]
            if not fields or len(fields) != len([step for step in rel if step != DEREF]):
                return None
            field_type = self.types.field_type(owner, fields[0])
            declared_in_owner = self.types.find_field(owner, fields[0])
            direct = declared_in_owner in self._direct_fields(owner)
            if (direct or declared_in_owner in self._embedded_fields(owner)) and self.types.struct_name(field_type) and not field_type.lstrip().startswith("*"):
                # A struct held by value (embedded or not) that the constructor set (a part of).
                made[fields[0]] = UNKNOWN_VAL
                continue
            if len(fields) > 1:
                return None
            if field_type and self.types.is_map(field_type) and direct:
                # Set by the constructor: what it holds then; its entries too when no code stores one.
                kept = (decl.name, fields[0]) in self.entries_never_stored
                made[fields[0]] = replace(child, when=None) if kept else replace(child, zero=None, keys=None, when=None)
                continue
            if not field_type or self.types.is_map(field_type) or self.types.struct_name(field_type) or field_type.lstrip().startswith("["):
                return None
        self._made_fields[decl.name] = made
        where = f"built by `{text(function)}()` at line {LINE}"
        return Val(MADE, zero=replace(result.val.zero, path=decl.path, start=value.start_byte, end=value.end_byte, description=where))

    @cached_property
    def entries_never_stored(self) -> frozenset[tuple[str, str]]:
        """(variable, field) of unexported package-level structs whose map field no code of the
        package (init() included) stores an entry into, assigns, or hands on: every use of the
        variable reads that map's entries, measures it or ranges over it, or selects another
        field. Such a map holds the keys it was built with."""
        found = set()
        for name, decl in self.facts.package_vars.items():
            struct = self.types.struct_of(self.facts.package_var_type(name))
            if name[:1].isupper() or name == "_" or struct is None:
                continue
            uses = [use for use in self._uses(name, decl) if not self._rebuilds(use, decl)]
            selected = [_field_named(use) for use in uses]
            methods = {_method_name(use) for use, chosen in zip(uses, selected, strict=True) if chosen is None}
            owner_type = self.facts.package_var_type(name)
            if None in methods or any(self.types.find_field(owner_type, f) is None for f in selected if f is not None):
                continue  # `g` itself: it may be handed to code that stores into any of them
            owner = receiver_name(self.facts.package_var_type(name))
            for f in struct.fields:
                if not self.types.is_map(f.type_text) or f.embedded:
                    continue
                if not all(self._method_keeps_entries(owner, method, f.name, frozenset()) for method in methods if method is not None):
                    continue
                if keys_kept(use.parent for use, chosen in zip(uses, selected, strict=True) if chosen == f.name and use.parent is not None):
                    found.add((name, f.name))
        return frozenset(found)

    def _method_keeps_entries(self, owner: str, method: str, field: str, asked: frozenset[str]) -> bool:
        """Whether method `method` of type `owner` leaves its receiver's map field `field` with
        the keys it had: its receiver is used only to read or store fields, to read that map's
        entries (`keys_kept`), or to call methods that leave them too (`asked`: the methods
        asked of above, which a recursion cannot change). A receiver handed on, or a method we
        cannot read, may store anything."""
        decl = self.package.methods.get((owner, method))
        if decl is None or decl.body is None:
            return False
        receiver = decl.receiver_name
        if not receiver or receiver == "_":
            return True  # (no name: the body cannot reach the receiver)
        for use in _identifiers_named(decl.body, receiver):
            chosen = _field_named(use)
            if chosen is None:
                called = _method_name(use)
                if called is None:
                    return False
                if called not in asked and called != method and not self._method_keeps_entries(owner, called, field, asked | {method}):
                    return False
            elif chosen == field and not keys_kept([use.parent] if use.parent is not None else []):
                return False
        return True

    def _direct_fields(self, owner: str) -> list:
        struct = self.types.struct_of(owner)
        return [f for f in struct.fields if not f.embedded] if struct is not None else []

    def _embedded_fields(self, owner: str) -> list:
        struct = self.types.struct_of(owner)
        return [f for f in struct.fields if f.embedded] if struct is not None else []

    def _built_without_maps(self, literal: Node) -> str | None:
        """The struct a literal `T{...}` builds when it sets none of the fields that hold maps
        (`T{}`, `T{name: "a"}`): all those are nil, as in the zero value."""
        if literal.type != "composite_literal":
            return None
        type_node = literal.child_by_field_name("type")
        struct = self.types.struct_of(normalise(text(type_node))) if type_node is not None else None
        body = literal.child_by_field_name("body")
        if struct is None or body is None:
            return None
        for element in body.named_children:
            if element.type == "comment":
                continue
            key = element.child_by_field_name("key") if element.type == "keyed_element" else None
            field = struct.field(text(key)) if key is not None else None
            if field is None or self.types.is_map(field.type_text) or self.types.struct_name(field.type_text) or field.type_text.lstrip().startswith("["):
                return None
        return struct.name

    def _entry_after_init(self, decl: VarDecl) -> Val:
        declared = self._declared_value(decl)
        if declared.zero is not None and declared.zero.kind is not OriginKind.ABSENT_KEY:
            # Any function may have set the fields of a package-level struct first, unless
            # no code sets them: then they hold what the declaration gave them.
            return declared if decl.name in self.untouched_structs or decl.name in self.set_only_after_panic else UNKNOWN_VAL
        keyed = declared.zero is not None  # a literal's keys: what init() and others store changes them
        if not keyed and (not declared.bits & NIL or decl.name in self.set_only_after_panic):
            return declared
        # Exported variables may be set by other packages; anything assigned outside
        # init() may run before the function we look at.
        if decl.name[:1].isupper():
            # A literal is taken for made, as any made map is, its keys unknown.
            return MADE_VAL if keyed else UNKNOWN_VAL
        if self.assigned_outside_init(decl.name):
            # The one function that assigns it and stores into it, run once, starts with what
            # init() left (a literal's keys, the empty map init() made, or nil): it assigns the
            # map itself, later, and the flow follows that.
            after = self._after_inits(decl, declared)
            if after.keys is not None or after.zero is not None or after.bits == NIL:
                self._keyed_entry[decl.name] = after
            return MADE_VAL if keyed else UNKNOWN_VAL
        val = self._after_inits(decl, declared)
        if (val.keys is not None or val.zero is not None) and self._entry_storers(decl):
            # Another function may have stored entries first: which keys it holds is unknown.
            self._keyed_entry[decl.name] = val
            val = replace(val, keys=None, zero=None)
        return val

    def _entry_storers(self, decl: VarDecl) -> set[int]:
        """The top-level declarations, `init()` left out, that may store an entry into package
        map `decl` (or into a map it holds), or hand it to a call."""
        return {top.id for top in self._storer_nodes(decl)}

    def _storer_nodes(self, decl: VarDecl) -> list[Node]:
        inits = {init.node.id for init in self.package.inits}
        return [top for use in self._uses(decl.name, decl) if not reads_map(use) and (top := _top_level(use)).id not in inits]

    def _stored_only_by(self, name: str, func: Node) -> bool:
        """Whether `func`, run once (`main`, or a function `main` calls once), is the only code
        outside `init()` that stores entries into package map `name`: its own stores come
        after it starts, so it starts with the keys `init()` left."""
        decl = self.facts.package_vars.get(name)
        if decl is None or self._entry_storers(decl) != {func.id}:
            return False
        name_node = func.child_by_field_name("name")
        if func.type != "function_declaration" or name_node is None or self.run_order.main is None:
            return False
        return text(name_node) == "main" or self.run_order.called_once_from_main(text(name_node)) is not None

    def _after_inits(self, decl: VarDecl, declared: Val) -> Val:
        """What package-level map `decl` holds once every `init()` has run."""
        val = declared
        key = (Global(decl.name),)
        for init in self.package.inits:
            if decl.name not in mentioned_names(init.node):
                continue
            interpreter = Interpreter(self.facts, self.package.files[init.path], init.node)
            interpreter.run()
            exit_env = interpreter.exit_env
            if exit_env is None:
                continue
            after = exit_env.get(key)
            if after is None:
                # Fields set by init on a package-level struct stay unknown here: too rare to model.
                if any(below(k, key) for k in exit_env):
                    return UNKNOWN_VAL
                continue
            if after.bits & NIL and val.origin is not None:
                note = val.origin.description
                if after.bits != NIL:
                    note += " and made only on some paths of init()"
                # (what it holds where init() made it stays: its keys, and that no other is there)
                after = replace(after, origin=Origin(OriginKind.PACKAGE_VAR, decl.path, decl.start, decl.end, note), external=None, tests=frozenset())
            val = after
        return val

    @cached_property
    def untouched_structs(self) -> frozenset[str]:
        """Unexported package-level structs (or pointers to struct literals) whose fields no
        code sets: every use reads a field, or reads or stores an entry of a map field."""
        found = set()
        for name, decl in self.facts.package_vars.items():
            if name[:1].isupper() or name == "_":
                continue
            if not self._declared_value(decl).zero is not None:
                continue
            if all(reads_fields_only(use, self._map_value) or self._rebuilds(use, decl) for use in self._uses(name, decl)):
                found.add(name)
        return frozenset(found)

    def _rebuilds(self, use: Node, decl: VarDecl) -> bool:
        """`g = newStore()` with the very value `g`'s declaration gives it, built the same way
        whatever runs before (a call of a same-package function without arguments, or a literal
        without calls): every value `g` holds is then one so built, as far as its fields and
        their entries go, whichever order the code runs in."""
        value = decl.value
        if value is None or not _assigned_whole(use) or use.parent is None or use.parent.named_child_count != 1:
            return False
        right = use.parent.parent.child_by_field_name("right") if use.parent.parent is not None else None
        if right is None or right.named_child_count != 1 or normalise(text(right.named_children[0])) != normalise(text(value)):
            return False
        if value.type == "call_expression":
            function = value.child_by_field_name("function")
            return function is not None and text(function) in self.package.funcs and not arguments_of(value)
        literal = value.child_by_field_name("operand") if value.type == "unary_expression" else value
        return literal is not None and literal.type == "composite_literal" and not any(n.type == "call_expression" for n in descendants(literal))

    @cached_property
    def set_only_after_panic(self) -> frozenset[str]:
        """Unexported package-level maps and structs that keep their declared value because
        the one function holding every statement that may set them first runs a write that
        panics while they hold it: no run gets past that write before one of them has run,
        and none runs before it (`global.items[k]++` then `global.items = make(...)`)."""
        found = set()
        for name, decl in self.facts.package_vars.items():
            if name[:1].isupper() or name == "_":
                continue
            declared = self._declared_value(decl)
            if declared.bits != NIL and declared.zero is None:
                continue
            if any(name in self._mentioned_in(init) for init in self.package.inits):
                continue
            if declared.zero is not None:
                setters = [use for use in self._uses(name, decl) if not reads_fields_only(use, self._map_value)]
            else:
                setters = [use for use in self._uses(name, decl) if not _reads_map_only(use)]
            func = _enclosing_function(setters[0]) if setters else None
            if func is None or is_init(func) or any(_enclosing_function(use) != func for use in setters[1:]):
                continue
            if self._panics_first(name, func, setters):
                found.add(name)
        return frozenset(found)

    def _mentioned_in(self, decl: FuncDecl) -> frozenset[str]:
        """The identifiers of a declaration, kept by its text (asked of every `init` for every variable)."""
        return declaration_fact("mentioned-names", decl.node, lambda node: frozenset(mentioned_names(node)), self.package.files.get(decl.path))

    def _map_value(self, node: Node) -> bool:
        """Whether `g.f...` is a map field (handed to a call, the callee gets the map and can
        write its entries, but cannot set the field), or, called, a method of its struct
        that only reads the fields of its receiver."""
        parent = node.parent
        if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node:
            return self._reads_receiver_only(node)
        return self._field_map_of(node) is not None

    def _reads_receiver_only(self, selector: Node) -> bool:
        """`g.Put` of a same-package method that leaves its receiver's fields as they are: a
        value receiver (a copy), or a pointer one whose every use reads fields or stores
        entries of its maps."""
        operand = strip(selector.child_by_field_name("operand"))
        method = selector.child_by_field_name("field")
        if operand is None or operand.type != "identifier" or method is None:
            return False
        struct = self.types.struct_name(self.facts.package_var_type(text(operand)))
        decl = self.package.methods.get((struct, text(method))) if struct is not None else None
        if decl is None or decl.body is None:
            return False
        if not decl.pointer_receiver:
            return True
        receiver = decl.receiver_name.encode()
        uses = [n for n in descendants(decl.body) if n.type == "identifier" and n.text == receiver]
        return all(reads_fields_only(use, self._map_value_only) for use in uses)

    def _map_value_only(self, node: Node) -> bool:
        parent = node.parent
        calls = parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node
        return not calls and self._field_map_of(node) is not None

    def _panics_first(self, name: str, func: Node, setters: list[Node]) -> bool:
        """Whether a statement of `func`'s body before any that holds a setter (so one every
        run of `func` reaching a setter has run) writes a map that the declared value of
        `name` leaves nil. A `goto` before it could jump past it, and one after it back to a
        label before it: a goto or a label before the write makes it not count. A setter in a
        closure bound to a variable that is only called sets where it is called."""
        body = func.child_by_field_name("body")
        if body is None:
            return False
        positions = [where for use in setters for where in _runs_at(use, func)]
        return self._block_panics_first(name, body, func, positions, setters)

    def _block_panics_first(self, name: str, body: Node, func: Node, positions: list[Node], setters: list[Node]) -> bool:
        """`_panics_first` over the statements of one block. A statement that holds every
        setter in one block of its own (an `if`'s branch, a loop's body), with none in its
        header, is gone into: the run reaching any setter has gone that way, past what comes
        before it there (`if ok { g[k]++; g = make(...) }`)."""
        for statement, in_literal in in_order(body, lambda call: _bound_literal(call, func)):
            if self._call_panics_first(name, statement):
                return True  # the callee writes the nil map before anything else
            # In a literal run in place, a setter there sets there.
            checked = positions + setters if in_literal else positions
            if any(statement.start_byte <= where.start_byte < statement.end_byte for where in checked):
                branch = None if in_literal else _block_holding_all(statement, checked)
                return branch is not None and self._block_panics_first(name, branch, func, positions, setters)
            if _has_jump(statement) or in_literal and _returns(statement):
                return False  # a `return` in `func() {...}()` goes on after the literal
            if any(self._nil_under_declared(name, target) for target in written_maps(statement)):
                return True
        return False

    def _call_panics_first(self, name: str, statement: Node) -> bool:
        """Whether `statement` calls a same-package method or function whose first statement
        writes a map that the declared value of `name` leaves nil: `g.Put(k)` whose `Put`
        starts with `s.items[k]++`, `fill(&g.items, k)` whose `fill` starts with `(*p)[k]++`.
        Arguments holding calls may set `g` before the call: such calls do not count."""
        call = _call_run_first(statement)
        if call is None or call.type != "call_expression" or call.child_by_field_name("arguments") is None:
            return False
        arguments = arguments_of(call)
        if any(n.type == "call_expression" for a in arguments for n in descendants(a)):
            return False
        function = strip(call.child_by_field_name("function"))
        if function is not None and function.type == "selector_expression":
            return self._method_panics_first(name, function)
        decl = self.package.funcs.get(text(function)) if function is not None and function.type == "identifier" else None
        if decl is None:
            return False
        for position, kinds in pointer_parameters_written(decl.node).items():
            argument = strip(arguments[position]) if position < len(arguments) else None
            for kind in kinds:
                if kind.startswith(".") and argument is not None:
                    if self._struct_field_handed(name, argument, kind[1:].split(".")):
                        return True
                    continue
                if kind == "*" and argument is not None and argument.type == "unary_expression" and text(argument).startswith("&"):
                    handed = argument.child_by_field_name("operand")
                else:
                    handed = argument if kind == "" else None
                if handed is not None and self._nil_under_declared(name, handed):
                    return True
        return False

    def _struct_field_handed(self, name: str, argument: Node, fields: list[str]) -> bool:
        """Whether `argument` (`g`, `&g`, `g.inner`, `&g.inner`) hands the callee a struct, or a
        pointer to one, whose field `fields` is a map that the declared value of `name` leaves
        nil: a zero struct's, not a nil pointer's (that panics on its own)."""
        if argument.type == "unary_expression" and text(argument).startswith("&"):
            argument = strip(argument.child_by_field_name("operand"))  # type: ignore[assignment]
        if argument is None or self._root_of(argument) != name:
            return False
        if self._declared_value(self.facts.package_vars[name]).zero is None:
            return False
        return self._map_field_of(name, self._fields_of(argument) + fields)

    def _method_panics_first(self, name: str, selector: Node) -> bool:
        """`g.f.M` of a method whose first statement writes `recv.items[k]`, with `g.f.items`
        nil while `name` holds its declared value."""
        operand, method = strip(selector.child_by_field_name("operand")), selector.child_by_field_name("field")
        if operand is None or method is None or self._root_of(operand) != name:
            return False
        owner = self._type_of_selection(operand).removeprefix("*").strip()
        decl = self.package.methods.get((owner, text(method)))
        if decl is None or not decl.receiver_name:
            return False
        for target in first_written(decl.body):
            fields = _fields_below(target, decl.receiver_name)
            if fields is not None and self._map_field_of(name, self._fields_of(operand) + fields):
                return True
        return False

    def _root_of(self, node: Node) -> str | None:
        while node.type == "selector_expression":
            inner = strip(node.child_by_field_name("operand"))
            if inner is None:
                return None
            node = inner
        return text(node) if node.type == "identifier" else None

    def _fields_of(self, node: Node) -> list[str]:
        return selection(node)[1]

    def _type_of_selection(self, node: Node) -> str:
        root = self._root_of(node)
        type_text = self.facts.package_var_type(root) if root else ""
        for field_name in self._fields_of(node):
            type_text = self.types.field_type(type_text, field_name)
        return type_text

    def _map_field_of(self, name: str, fields: list[str]) -> bool:
        """Whether `name.fields...` is a map (nil while `name` holds its declared value)."""
        type_text = self.facts.package_var_type(name)
        for field_name in fields:
            type_text = self.types.field_type(type_text, field_name)
        return self.types.is_map(type_text)

    def _nil_under_declared(self, name: str, target: Node) -> bool:
        """Whether the map `target` (`g`, `g.f.items`) is nil while package-level `name` holds
        its declared value (a nil map, or a struct whose map fields are all nil)."""
        return self._field_map_of(target) == name

    def _field_map_of(self, target: Node) -> str | None:
        """The package-level variable `g` when `target` is `g` or `g.f.items` and a map."""
        node, fields = selection(strip(target))
        if node is None or node.type != "identifier":
            return None
        name = text(node)
        type_text = self.facts.package_var_type(name)
        for field_name in fields:
            type_text = self.types.field_type(type_text, field_name)
        return name if self.types.is_map(type_text) else None

    def _uses(self, name: str, decl: VarDecl) -> list[Node]:
        """Every identifier `name` of the package but the declaration's own."""
        uses: list[Node] = []
        for path, file in self.package.files.items():
            uses.extend(node for node in file.identifiers(name) if not (path == decl.path and decl.start <= node.start_byte < decl.end))
        return uses

    @cached_property
    def constant_slices(self) -> dict[str, tuple[str, ...]]:
        """Package slices declared with literal elements that every use only reads (keys
        computed from them are folded to those literals)."""
        found: dict[str, tuple[str, ...]] = {}
        for name, decl in self.facts.package_vars.items():
            elements = literal_elements(decl.value)
            if elements is not None and only_read(self._uses(name, decl)):
                found[name] = elements
        return found

    @cached_property
    def bound_arguments(self) -> dict[tuple[str, int], bool | Known]:
        """(function, position) of the `bool`, `string` and `int` parameters of unexported
        functions without results that every call in the package passes the same literal
        (`run1(false, 2, `null`)`) and the body never sets: such a parameter holds that value, as
        no code outside the package can call the function and a name used other than as a
        callee is left out (its callers are unseen)."""
        index = CallerIndex(self.package.files)
        found: dict[tuple[str, int], bool | Known] = {}
        for name, decl in self.package.funcs.items():
            if decl.receiver_type or decl.result_types or not name[:1].islower() or decl.body is None:
                continue  # (a result is decided at each call for its own arguments: `result_by_argument`)
            parameters = basic_parameters(decl.node, BOUND_TYPES)
            sites = index.calls_of(name) if parameters else []  # (the calls are searched for only when there is something to bind)
            if not sites or any(site.function is None or "..." in text(site.call.child_by_field_name("arguments") or site.call) for site in sites):
                continue
            assigned = assigned_names(decl.body)
            for parameter, (position, type_text) in parameters.items():
                literal = _bool_literal if type_text == "bool" else _basic_literal
                passed = {literal(site.call, position) for site in sites}
                if parameter not in assigned and len(passed) == 1 and None not in passed:
                    found[(name, position)] = passed.pop()  # type: ignore[assignment]
        return found

    @cached_property
    def bound_lengths(self) -> dict[tuple[str, int], int]:
        """(function, position) of the slice parameters of unexported functions without results
        that every call in the package passes a literal of the same length (or nil), and the
        body never sets: `len` of such a parameter is that length (as `bound_arguments`)."""
        index = CallerIndex(self.package.files)
        found: dict[tuple[str, int], int] = {}
        for name, decl in self.package.funcs.items():
            if decl.receiver_type or decl.result_types or not name[:1].islower() or decl.body is None:
                continue
            slices = basic_parameters(decl.node, frozenset(_parameter_types(decl.node, "[]")))
            sites = index.calls_of(name) if slices else []
            if not sites or any(site.function is None or "..." in text(site.call.child_by_field_name("arguments") or site.call) for site in sites):
                continue
            assigned = assigned_names(decl.body)
            for parameter, (position, _) in slices.items():
                passed = {_slice_length(site.call, position) for site in sites}
                if parameter not in assigned and len(passed) == 1 and None not in passed:
                    found[(name, position)] = passed.pop()  # type: ignore[assignment]
        return found

    @cached_property
    def constant_fields(self) -> dict[str, dict[str, str]]:
        """Package structs declared with literal fields (`var defaults = pair{A: "a"}`) that
        every use only reads fields of: by name, the fields' literals."""
        found: dict[str, dict[str, str]] = {}
        for name, decl in self.facts.package_vars.items():
            fields = literal_fields(decl.value)
            if fields and fields_only_read(self._uses(name, decl)):
                found[name] = fields
        return found

    @cached_property
    def nil_names(self) -> frozenset[str]:
        """Package-level maps and structs declared without a value that nothing but init() assigns.

        Part of every cached function's key: whether such a variable is assigned elsewhere
        decides what functions see of it, wherever the assignment is (and so do the fields
        each function starts with as declared, which `main` decides).
        """
        return frozenset(
            name
            for name, decl in self.facts.package_vars.items()
            if decl.value is None
            and (self.types.is_map(decl.type_text) or self.types.struct_name(decl.type_text))
            and not self.assigned_outside_init(name)
        ) | {f"{name}.*" for name in self.untouched_structs} | {f"{name}!" for name in self.set_only_after_panic} | {
            f"{name}.{field}" for name, fields in self.untouched_fields.items() for field in fields
        } | {f"{name}[]{','.join(elements)}" for name, elements in self.constant_slices.items()} | {
            f"{name}{{}}{sorted(fields.items())}" for name, fields in self.constant_fields.items()
        } | {f"{func}>{name}.{field}" for func, name, field in self._kept_by_function()} | self._storer_names() | {
            f"{func}({position})={value!r}" for (func, position), value in self.bound_arguments.items()
        } | {f"{func}({position})#{length}" for (func, position), length in self.bound_lengths.items()} | {
            f"{name}.{field}[]" for name, field in self.entries_never_stored
        }

    def _storer_names(self) -> set[str]:
        """`m#f,g`: package map `m` and where its entries are stored outside `init()` (which
        decides whether a function starts with the keys `init()` left)."""
        found = set()
        for name, decl in self.facts.package_vars.items():
            if not self.types.is_map(self.facts.package_var_type(name)):
                continue
            storers = sorted(_declared_name(top) for top in self._storer_nodes(decl))
            if storers:
                found.add(f"{name}#{','.join(storers)}")
        return found

    def _kept_by_function(self) -> list[tuple[str, str, str]]:
        """Every function's kept fields (`kept_fields`), by the function's name."""
        if self.run_order.main is None:
            return []
        found: list[tuple[str, str, str]] = []
        for func_name, decl in sorted(self.package.funcs.items()):
            if func_name == "main" or self.run_order.called_once_from_main(func_name) is not None:
                found.extend((func_name, name, field) for name, field in sorted(self.kept_fields(decl.node)))
                found.extend((func_name, name, "") for name in sorted(self.kept_maps(decl.node)))
        return found

    def assigned_outside_init(self, name: str) -> bool:
        """Whether any code but `init()` may assign package-level `name` (by its text).

        A textual test is enough: a local variable of the same name only makes us treat
        the package variable as unknown, which never causes a report. `&g.f` and `&g[i]`
        are not `&g`: through them code sets that part (as `g.f = v` does), never `g` whole.
        """
        pattern = _assignment_of(name)
        for path, file in self.package.files.items():
            source = file.source
            if name.encode() not in source:
                continue
            for init in self.package.facts_of(path).inits:
                source = source[: init.node.start_byte] + b" " * (init.node.end_byte - init.node.start_byte) + source[init.node.end_byte :]
            for match in pattern.finditer(source):
                if not _in_declaration(file, match.start()) and not self._handed_to_reader(file, match.start(), name):
                    return True
        return False

    def _handed_to_reader(self, file: SourceFile, offset: int, name: str) -> bool:
        """Whether the text at `offset` is `&g` handed to a same-package function that sets
        nothing through that parameter (it reads, or writes entries of the map): the call
        leaves `g` as it was."""
        node = file.tree.root_node.descendant_for_byte_range(offset, offset + 1)
        if node is not None and node.type == "&":
            node = node.parent
        if node is None or node.type != "unary_expression" or text(node.child_by_field_name("operand") or node) != name:
            return False
        arguments = node.parent
        call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
        function = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if arguments is None or function is None or function.type != "identifier" or text(function) not in self.package.funcs:
            return False
        position = [c for c in arguments.named_children if c.type != "comment"].index(node)
        summary = self.facts.pointer_summaries("", text(function)).get(position)
        return summary is not None and not summary.effects and not summary.success_effects


def _assignment_of(name: str) -> re.Pattern[bytes]:
    """`g = v`, `g += v`, `a, g = ...` (as `(a, g)` or after a comma) and `&g` (not `&g.f`,
    `&g[i]`), not `x.g = v`. Each branch starts with a literal (the test of the byte before the
    name comes after it, `gotext.after_no`): a pattern starting with a test of what comes before
    has no first bytes to skip to, and was tried at every byte of every file naming `g`."""
    escaped = re.escape(name.encode())
    own = escaped + rb"(?<![.\w\x80-\xff]" + escaped + rb")(?![\w\x80-\xff])"  # not `x.g`, not part of a longer name
    return re.compile(
        own + rb"\s*(?:,[^=\n]*)?(?:[-+*/%&|^]|<<|>>)?=(?!=)"
        + rb"|[,(]\s*" + name_pattern(name) + rb"\s*(?:,[^=\n]*)?=(?!=)"
        + rb"|&" + name_pattern(name) + rb"(?!\s*[.\[])"
    )


def _run_apart(func: Node) -> list[Node]:
    """The code of `func` that the flow does not run where it stands: goroutines not waited
    for right after they start, closures not run in place, and deferred calls. A deferred
    call of a named function changes what it changes at the exit, after every statement:
    only deferred closures, which run after it and read package variables by name, could
    see that (its arguments are evaluated in place, and followed), so it counts only in a
    function that also defers closures. A deferred func literal the flow runs at the exit
    itself, after every statement and in the order Go runs the deferred calls."""
    joined = [node for node in descendants(func) if node.type == "go_statement" and joined_call(node, text, lambda n: _declared_type(func, n))]
    deferred_closures = any(node.type == "defer_statement" and _defers_literal(node) for node in descendants(func))
    apart = []
    for node in descendants(func):
        if any(go.start_byte <= node.start_byte < go.end_byte for go in joined):
            continue  # a goroutine waited for right after it starts: the flow runs it there
        if node.type == "defer_statement" and (not deferred_closures or _deferred_literal_followed(node, func)):
            continue
        if node.type == "func_literal" and node.parent is not None and node.parent.parent is not None and _deferred_literal_followed(node.parent.parent, func):
            continue
        if node.type in ("go_statement", "defer_statement") or (node.type == "func_literal" and not _run_in_place(node, func)):
            apart.append(node)
    return apart


def _deferred_literal_followed(statement: Node, func: Node) -> bool:
    """`defer func() {...}()` in no other func literal of `func`: run by the flow at the exit
    (`Closures.run_defers`), after every statement of the body (in a loop, each round's call
    does the same there)."""
    if statement.type != "defer_statement":
        return False
    call = strip(children(statement)[0]) if children(statement) else None
    function = strip(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
    if function is None or function.type != "func_literal":
        return False
    outer = statement.parent
    while outer is not None and outer != func:
        if outer.type == "func_literal":
            return False
        outer = outer.parent
    return outer == func


def _defers_literal(statement: Node) -> bool:
    """Whether a `defer` statement defers a func literal (or a call it makes), not a named function."""
    return any(node.type == "func_literal" for node in descendants(statement))


def _in_declaration(file: SourceFile, offset: int) -> bool:
    """Whether `offset` lies in a package-level `var` declaration (its own initialiser)."""
    node = file.tree.root_node.descendant_for_byte_range(offset, offset + 1)
    while node is not None and node.parent is not None and node.parent.type != "source_file":
        node = node.parent
    return node is not None and node.type in ("var_declaration", "const_declaration")


_FUNCTIONS = ("function_declaration", "method_declaration")


def _enclosing_function(node: Node) -> Node | None:
    """The function or method declaration whose body holds `node` (None at package level)."""
    current = node.parent
    while current is not None and current.type not in _FUNCTIONS:
        current = current.parent
    return current


def _call_run_first(statement: Node) -> Node | None:
    """The call a statement runs before anything else: `f(...)` of an expression statement, or
    the one call on the right of `x = f(...)` / `x := f(...)` whose left side calls nothing
    (the right side is evaluated before the assignment sets anything)."""
    parts = children(statement)
    if statement.type == "expression_statement":
        return strip(parts[0]) if parts else None
    if statement.type not in ("assignment_statement", "short_var_declaration"):
        return None
    left, right = statement.child_by_field_name("left"), statement.child_by_field_name("right")
    values = children(right) if right is not None else []
    if left is None or len(values) != 1 or any(n.type == "call_expression" for n in descendants(left)):
        return None
    return strip(values[0])


def _block_holding_all(statement: Node, positions: list[Node]) -> Node | None:
    """The block of an `if` (a branch) or of a loop (its body) that holds every one of
    `positions`, else None."""
    if statement.type == "if_statement":
        blocks = [statement.child_by_field_name("consequence"), statement.child_by_field_name("alternative")]
    elif statement.type == "for_statement":
        blocks = [statement.child_by_field_name("body")]
    else:
        return None
    for block in blocks:
        if block is not None and block.type == "block" and all(block.start_byte <= where.start_byte < block.end_byte for where in positions):
            return block
    return None


def _has_jump(node: Node) -> bool:
    """Whether `node` holds a `goto` or a label of its own function: one inside a func literal
    it holds jumps within that literal only."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("goto_statement", "labeled_statement"):
            return True
        stack.extend(child for child in current.named_children if child.type != "func_literal")
    return False


def _returns(node: Node) -> bool:
    return any(n.type == "return_statement" for n in descendants(node))


def _runs_at(use: Node, func: Node) -> list[Node]:
    """Where the code holding `use` runs: the calls of the closure `v := func() {...}` that
    holds it when `v` is only ever called (`v()`), else `use` itself."""
    literal = use.parent
    while literal is not None and literal != func and literal.type != "func_literal":
        literal = literal.parent
    if literal is None or literal == func:
        return [use]
    calls = _only_called(literal, func)
    return calls if calls is not None else [use]


def _only_called(literal: Node, func: Node) -> list[Node] | None:
    """The calls of `v` when `literal` is bound by `v := func() {...}` and `v` is only ever
    called; None otherwise."""
    name = _bound_name(literal)
    if name is None:
        return None
    calls = []
    for other in descendants(func):
        if other.type != "identifier" or other.text != name.text or other.start_byte == name.start_byte:
            continue
        call = other.parent
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != other:
            return None
        calls.append(call)
    return calls


def _bound_name(literal: Node) -> Node | None:
    """`v` of `v := func() {...}` binding `literal`."""
    right = literal.parent
    declaration = right.parent if right is not None and right.type == "expression_list" else None
    if right is None or declaration is None or declaration.type != "short_var_declaration" or len(children(right)) != 1:
        return None
    left = declaration.child_by_field_name("left")
    names = children(left) if left is not None else []
    return names[0] if len(names) == 1 and names[0].type == "identifier" else None


def _bound_literal(call: Node, func: Node) -> Node | None:
    """The func literal a call `v()` runs: the one `v := func() {...}` binds, when it is the
    only binding of that name in `func` and `v` is only ever called."""
    function = call.child_by_field_name("function")
    if function is None:
        return None
    literals = [n for n in descendants(func) if n.type == "func_literal" and (bound := _bound_name(n)) is not None and bound.text == function.text]
    if len(literals) != 1 or _only_called(literals[0], func) is None:
        return None
    return literals[0]



def _fields_below(target: Node, receiver: str) -> list[str] | None:
    """`["items"]` for `s.items` of receiver `s` (`["meta", "tags"]` for `s.meta.tags`, [] for
    `s` itself, a map); None for anything else."""
    node, fields = selection(strip(target))
    return fields if node is not None and node.type == "identifier" and text(node) == receiver else None


def _field_named(use: Node) -> str | None:
    """`f` of a use `g.f...` of package-level `g`, whatever is done with it; None for `g` itself."""
    parent = use.parent
    if parent is None or parent.type != "selector_expression" or parent.child_by_field_name("operand") != use:
        return None
    field = parent.child_by_field_name("field")
    above = parent.parent
    if field is None or (above is not None and above.type == "call_expression" and above.child_by_field_name("function") == parent):
        return None  # `g.M()`: a method, which may set any field
    return text(field)


def _copied_whole(use: Node, pointer: bool) -> bool:
    """Whether a use of a package-level struct is the whole right-hand side of a declaration or
    an assignment that copies it: `cp := g` of a struct value, `cp := *g` of a pointer to one
    (the pointer itself, `p := g`, is a second name)."""
    node = use
    if pointer:
        parent = node.parent
        if parent is None or parent.type != "unary_expression" or not text(parent).startswith("*"):
            return False
        node = parent
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    values = node.parent
    statement = values.parent if values is not None and values.type == "expression_list" else None
    if statement is None or values is None:
        return False
    if statement.type in ("short_var_declaration", "assignment_statement"):
        return statement.child_by_field_name("right") == values
    return statement.type == "var_spec" and statement.child_by_field_name("value") == values


def _assigned_whole(use: Node) -> bool:
    """`g = T{...}`: the variable itself assigned with `=`, which the flow follows as it does a
    local's (its fields are then the value's)."""
    targets = use.parent
    statement = targets.parent if targets is not None else None
    if targets is None or statement is None or targets.type != "expression_list" or statement.type != "assignment_statement":
        return False
    operator = statement.child_by_field_name("operator")
    return statement.child_by_field_name("left") == targets and operator is not None and text(operator) == "="


def _reads_map_only(use: Node) -> bool:
    """Whether a use of a package-level map leaves the variable as it is: an entry read or
    stored, the map compared, measured, ranged over or handed to a call (which gets the
    map, not the variable). An assignment, `&m`, a method call or anything else may not."""
    parent = use.parent
    if parent is None:
        return False
    if parent.type == "index_expression":
        return parent.child_by_field_name("operand") == use
    if parent.type in ("argument_list", "binary_expression"):
        return True
    return parent.type == "range_clause" and parent.child_by_field_name("right") == use


def _identifiers_named(node: Node, name: str) -> list[Node]:
    encoded = name.encode()
    return [n for n in descendants(node) if n.type == "identifier" and n.text == encoded]


def _method_name(use: Node) -> str | None:
    """`M` of a use `g.M(...)` calling a method on `g`, else None."""
    if not _method_called_on(use):
        return None
    selector = use.parent
    field = selector.child_by_field_name("field") if selector is not None else None
    return text(field) if field is not None else None


def _method_called_on(use: Node) -> bool:
    """`g.M(...)`: the flow applies what the method does to its receiver, or forgets it."""
    parent = use.parent
    above = parent.parent if parent is not None else None
    return (
        parent is not None
        and above is not None
        and parent.type == "selector_expression"
        and parent.child_by_field_name("operand") == use
        and above.type == "call_expression"
        and above.child_by_field_name("function") == parent
    )


def _run_in_place(literal: Node, func: Node) -> bool:
    """A func literal called where it stands, or bound to a variable that is only called:
    the flow runs its body at the call."""
    if called_where_written(literal):
        return True
    call = literal.parent
    if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == literal:
        return False  # under `go` or `defer`
    return _bound_name(literal) is not None and _only_called(literal, func) is not None


def _declared_type(func: Node, name: str) -> str | None:
    """The type `var name T` declares in `func`, when every such declaration there agrees."""
    types = set()
    for spec in descendants(func):
        if spec.type != "var_spec":
            continue
        names = [text(n) for n in spec.children_by_field_name("name")]
        type_node = spec.child_by_field_name("type")
        if name in names:
            types.add(text(type_node) if type_node is not None else None)
    return types.pop() if len(types) == 1 else None


def _map_use_followed(use: Node) -> bool:
    """A use of a package-level map whose effect the flow follows: an entry read or stored
    (`m[k]`, `m[a][b] = v`), the map assigned (`m = ...`), compared, measured, ranged over,
    handed to a call (which drops what is known of its entries), a method of it called, or
    its address taken; not a second name (`alias := m`), which stores would reach unseen."""
    parent = use.parent
    if parent is None:
        return False
    if parent.type == "index_expression":
        return parent.child_by_field_name("operand") == use
    if parent.type in ("argument_list", "binary_expression"):
        return True
    if parent.type == "range_clause":
        return parent.child_by_field_name("right") == use
    if parent.type == "selector_expression" and parent.child_by_field_name("operand") == use:
        # `m.Put(k)`: a method of its named map type, which the flow applies (its summary, or
        # nothing known of the map after it), as it does a call the map is handed to.
        call = parent.parent
        return call is not None and call.type == "call_expression" and call.child_by_field_name("function") == parent
    if parent.type == "unary_expression" and text(parent).startswith("&"):
        return parent.parent is not None and parent.parent.type == "argument_list"
    if parent.type == "expression_list" and parent.parent is not None and parent.parent.type == "assignment_statement":
        return parent.parent.child_by_field_name("left") == parent
    return False


def _top_level(node: Node) -> Node:
    """The top-level declaration holding `node`."""
    while node.parent is not None and node.parent.type != "source_file":
        node = node.parent
    return node


def _declared_name(node: Node) -> str:
    """A top-level declaration's name (`T.M` for a method), or its text's start."""
    name = node.child_by_field_name("name")
    receiver = node.child_by_field_name("receiver")
    shown = text(name) if name is not None else text(node)[:40]
    return f"{text(receiver)}.{shown}" if receiver is not None else shown
