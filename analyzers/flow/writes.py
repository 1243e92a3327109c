"""Writes and stores: a write into a map records a `WriteEvent` with the value the map has
there; a store (`x = v`, `x.f = v`, `m[k] = v`) replaces what a path and those under it hold."""
from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.constant_keys import map_only_read
from analyzers.flow.events import WriteEvent
from analyzers.flow.expressions import MAX_COPIED_CHILDREN, MAX_COPIED_DEPTH
from analyzers.flow.frames import Env
from analyzers.flow.known_values import zero_of
from analyzers.flow.library import callee_name
from analyzers.flow.loop_changes import LoopChanges
from analyzers.flow.paths import (
    ALIAS,
    CHECKED,
    CLONE_OF,
    FIELD,
    HOLDS,
    IDENTIFIER,
    INDEX,
    PANICKED,
    RANGE_COPY,
    REACHED,
    READ_FROM,
    WRITTEN,
    Global,
    Local,
    Path,
    is_constant_key,
    keys_below,
    mentions,
)
from analyzers.flow.syntax import arguments_of, enclosing_statement, index_parts, is_index, root_name, strip
from analyzers.flow.types import normalise
from analyzers.flow.unread_fields import unread_decoded_map
from analyzers.flow.values import (
    ENTRY,
    EXTERNAL,
    NIL,
    NILISH,
    UNKNOWN,
    UNKNOWN_VAL,
    Condition,
    FirstRound,
    Literal,
    OriginKind,
    Val,
    When,
    not_nil,
)


class Writes(LoopChanges):
    """Writes into maps, and stores into paths."""

    def record_write(
        self,
        env: Env,
        path: Path,
        node: Node,
        map_node: Node | None,
        via_method: str = "",
        callee_write: WriteEvent | None = None,
        needs: tuple[Literal, ...] = (),
        by_option: bool = False,
        open_conditions: Condition | None = None,
    ) -> None:
        """A write into the map at `path` (by `node`: an index, or a call that writes it); `needs`
        are a callee's conditions for its write that this call leaves open."""
        val = self.first_round_only(self.lookup(env, path), node, path)
        reached = env[REACHED].when if REACHED in env else None
        if needs:
            reached = reached.conjoin(needs) if isinstance(reached, Condition) else Condition(needs)
        if val.bits & NILISH and self.ctx.defers and not self.summarising:
            self.note_panic_exit(env)
        if val.bits & NILISH:
            written = path
            if self.summarising and val.bits & ENTRY:
                # Summarising: a clone of a parameter is nil where the caller's map is, so writing
                # it writes the parameter, as far as a caller handing in nil can tell.
                original = self.related(env, CLONE_OF, path)
                written = original if original is not None and len(original) == 1 else path
            event = self.write_event(written, node, val, via_method, callee_write, reached)
            if by_option or open_conditions is not None:
                event = replace(event, by_option=by_option, open_conditions=open_conditions)
            key = (node.start_byte, node.end_byte, written, via_method)
            earlier = self.events.get(key)
            if earlier is None or not self.first_round_tells(earlier.val, val, node, path):
                self.events[key] = event
        elif val.bits == UNKNOWN and callee_write is None and not self.summarising and self.related(env, CHECKED, path) is None:
            if _steady(path) and self.types.is_map(self.type_of_path(path)):
                self.note_unguarded_write(env, path, self.write_event(path, node, val, via_method, None, reached))
        # Past the write the map is not nil: a nil one would have panicked, and where it
        # is nil on every path, nothing runs past the write at all.
        if open_conditions is not None:
            return  # the callee may not write it: the map stays nil, and the call returns
        if val.bits == NIL:
            env[PANICKED] = UNKNOWN_VAL
            return
        if val.bits & NILISH:
            if self.summarising and val.bits & ENTRY:
                self.narrowed_paths.add(path)
            env[path] = not_nil(val)
        if not self.summarising:
            self.outer_maps_not_nil(env, path)

    def outer_maps_not_nil(self, env: Env, path: Path) -> None:
        """Past a write into `m[k]`'s inner map, `m` is not nil either: an entry read from a nil
        map is the zero value, a nil inner map, and the write would have panicked."""
        while len(path) > 1 and path[-1][0] == INDEX:
            path = path[:-1]
            if not self.types.is_map(self.type_of_path(path)):
                return
            outer = self.lookup(env, path)
            if outer.bits & NIL and outer.bits != NIL:
                env[path] = not_nil(outer)

    def note_panic_exit(self, env: Env) -> None:
        """A write that may panic is an exit for the calls deferred before it: they run from here."""
        registered = len(self.ctx.defers)
        joined = self.join_all([self.ctx.panics.get(registered), env])
        assert joined is not None
        self.ctx.panics[registered] = joined

    def write_event(self, path: Path, node: Node, val: Val, via_method: str, callee_write: WriteEvent | None, reached: When | None) -> WriteEvent:
        """The event of a write into the map at `path` while it holds `val`."""
        map_type = self.type_of_path(path)
        if val.zero is not None and val.zero.kind is OriginKind.ABSENT_KEY:
            # Which keys the map holds tells of its inner maps, not of this write: the event
            # keeps no offset of the code that made it (a callee's `make`, often).
            val = replace(val, zero=None, keys=None)
        return WriteEvent(
            self.file.path,
            node,
            enclosing_statement(node),
            self.spelled(path, node),
            path,
            self.types.map_type(map_type) or "",
            map_type,
            val,
            nested=len(path) > 1 and path[-1][0] == INDEX and self.types.is_map(self.type_of_path(path[:-1])),
            via_method=via_method,
            owner_type=self.type_of_path(path[:-1]) if len(path) > 1 else "",
            root_type=self.type_of_path(path[:1]),
            through_map_element=any(
                step[0] == INDEX and self.types.is_map(self.type_of_path(path[:i])) for i, step in enumerate(path[:-1]) if i > 0
            ),
            callee=callee_write,
            reached=reached,
        )

    def spelled(self, path: Path, node: Node) -> str:
        """The map written at `node`, as the code spells it there: through a second name of a
        pointer (`cp.items` where `cp := all[1]`) the path is the original's, the name the
        code used is the one a reader looks for."""
        operand = strip(node.child_by_field_name("operand")) if node.type == "index_expression" else None
        var = self.resolve(root_name(operand, through_index=True)) if operand is not None else None
        if operand is None or var is None or var.same_as is None or self.path_of(operand) != path:
            return self.display(path)
        return " ".join(self.text_of(operand).split())

    def note_unguarded_write(self, env: Env, path: Path, event: WriteEvent) -> None:
        """A write into a map nothing is known of: remembered until a store to it, so that a nil
        comparison it reaches can tell the write may panic (see `Narrowing.compared_after_write`)."""
        if event.nested:
            return
        key = (event.node.start_byte, event.node.end_byte, path, event.via_method)
        self.unguarded_writes[key] = event
        self.relate(env, WRITTEN, path, key)

    def clone_source(self, value: Node) -> Path | None:
        """The path of `m` in `maps.Clone(m)`, or in a call of a same-package function that
        returns nil only when handed nil (`copyOf(m)`), else None: a copy nil only where `m` is."""
        call = strip(value)
        if call is not None and call.type == "selector_expression":
            return self._deep_copied_field(call)
        if call is None or call.type != "call_expression":
            return None
        function = call.child_by_field_name("function")
        args = arguments_of(call)
        if function is None:
            return None
        if function.type == "identifier" and self.resolve(self.text_of(function)) is None and self.text_of(function) in self.flow.package.funcs:
            followed = self.flow.result_following_argument(self.text_of(function))
            return self.path_of(args[followed]) if followed is not None and followed < len(args) else None
        if callee_name(call) != "Clone" or self.resolve("maps") is not None:
            return None
        if normalise(self.text_of(function)) != "maps.Clone" or len(args) != 1:
            return None
        return self.path_of(args[0])

    def _deep_copied_field(self, selector: Node) -> Path | None:
        """The path of `x.f` in `x.DeepCopy().f`: a generated deep copy makes a map only where
        the original has one (as NM004 takes it: the copy's field is as nil as the field)."""
        call = strip(selector.child_by_field_name("operand"))
        field = selector.child_by_field_name("field")
        if call is None or field is None or call.type != "call_expression" or arguments_of(call):
            return None
        method = call.child_by_field_name("function")
        if method is None or method.type != "selector_expression" or self.text_of(method.child_by_field_name("field")) != "DeepCopy":
            return None
        base = self.path_of(method.child_by_field_name("operand"))
        if base is None:
            return None
        name = self.text_of(field)
        chain = self.types.promotion_chain(self.type_of_path(base), name)
        return base + tuple((FIELD, step) for step in chain) + ((FIELD, name),)

    def first_round_tells(self, first: Val, later: Val, node: Node, path: Path) -> bool:
        """Whether the write's value in the loop's first round (`first`), not the one of a later
        round that only the first round's state leaves nil (`later`, see
        `Control.mark_loop_carried`), says where the write panics. It does when the write runs
        in the first round whenever it runs at all and the first round's nil depends on nothing
        that changes between rounds: nil on every path, or under conditions that hold in every
        round or in none (`if verbose { m = make(...) }` before it, `verbose` set before the
        loop), or on paths the code took before the loop (a `goto` past the make) when the round
        sets the map before the write only where it does so in every round or in none: the
        first round's nil is then the same in every round that has not made the map yet. Then the write panics in the first round exactly where the value says."""
        when = later.when
        if not isinstance(when, FirstRound) or not when.holds(node.start_byte) or not first.bits & NIL:
            return False
        loop = _enclosing_loop(node, when)
        if loop is None or not (self.reached_every_round(node, loop) or self.reached_first_round_only(node, loop)):
            return False
        if first.bits == NIL and not isinstance(first.when, FirstRound):
            return True
        if first.when is None and not self.set_unsteadily_before_in_round(path, node, loop):
            return True
        return isinstance(first.when, Condition) and all(self.holds_every_round(literal, loop) for literal in first.when.literals)

    def first_round_only(self, val: Val, node: Node, path: Path) -> Val:
        """A nil that survives only past a counted loop's first round (`if i == 0 { m[k] = make(...) }`
        in `for i := 0; ...; i++`) is state the first round leaves for the later ones: taken, as a
        map made by a later round is, for loop-carried state the analysis does not follow. A nil
        the round itself stores (`m = pick(i == 0)` in the loop) is no such state: every later
        round stores it again."""
        if not isinstance(val.when, Condition) or not val.bits & NIL:
            return val
        for name, first, loop in self.counters:
            if any(lit.atom == f"{name} == {first}" and not lit.truth for lit in val.when.literals) and not self.stored_before_in_round(path, node, loop):
                return replace(val, when=FirstRound(loop.start_byte, loop.end_byte))
        return val

    def write_index(self, env: Env, target: Node, value: Val | None, value_node: Node | None = None) -> None:
        """`m[k] = v` (value given) or `m[k] op= v` / `m[k]++` (None): a write into `m`."""
        parts = index_parts(target)
        operand, index = parts if parts is not None else (None, None)
        self.eval_subexpressions(env, target)
        map_path = self.path_of(operand)
        if map_path is None:
            return
        operand_type = self.type_of_path(map_path)
        if not operand_type and index is not None and len(map_path) > 1 and map_path not in env and self.lookup(env, map_path).external is None:
            # `msg.Metadata["k"] = v` of a decoded value whose type is not read: a map (a field,
            # so the path has a parent; a variable of an unread type has none).
            parent = map_path[:-1]
            inferred = unread_decoded_map(self.types, map_path, self.key_of(index), self.lookup(env, parent), self.type_of_path(parent), operand_type)
            if inferred is not None:
                env[map_path] = inferred
        if not operand_type or self.types.is_map(operand_type):
            self.record_write(env, map_path, target, operand)
        # else: an array or slice element; `arr[i] = ...` stores into the container itself.
        if index is None:
            return
        key = self.key_of(index)
        element = map_path + ((INDEX, key),)
        container = self.lookup(env, map_path)
        if container.zero is not None:
            keys = container.keys if container.keys is not None else frozenset()
            possible = frozenset({key}) if is_constant_key(key) else self.possible_keys(env, key)
            if possible is not None:
                env[map_path] = replace(container, keys=keys | possible)  # (`assign_path` forgets those entries)
            else:
                env[map_path] = replace(container, zero=None, keys=None)
        if value is not None:
            self.assign_path(env, element, value, value_node)
            self.collect_decoded(env, map_path, value)
        else:
            env.pop(element, None)

    def collect_decoded(self, env: Env, collection: Path, value: Val) -> None:
        """A decoded value stored into a local collection (`byTime[t] = append(byTime[t], tc)`)
        is decoded again where it is read back out by another key or ranged over."""
        if value.external is None or len(collection) != 1 or not isinstance(collection[0], Local):
            return
        held = self.lookup(env, collection)
        if held.external is None:
            env[collection] = replace(held, external=value.external)

    def assign_path(self, env: Env, path: Path, val: Val, value_node: Node | None) -> None:
        """Store `val` (the value of `value_node`, whose fields are copied too) into `path`."""
        size = len(path)
        if self.summarising:
            self.assigned_paths.add(path)
        source = self.path_of(value_node) if value_node is not None else None
        copied: dict[tuple, Val] | None = None
        if source is not None and source != path:
            val, copied = self.copy_of(env, source, val, copy=path)
        # Facts about what was here, or what it was read from, no longer hold; nor does a
        # boolean's condition that tests it (`need := v.m == nil`, then `v.m = make(...)`).
        self.unrelate(env, lambda kind, subject, payload: subject[:size] == path or _names(payload, path))
        self.drop_range_copies(env, path)
        if size > 1:
            self.forget_facts_about_flag(env, path)
        if size > 1 and self.conditions:
            shown = re.compile(r"(?<![\w.])" + re.escape(self.display(path)) + r"(?![\w])")
            self.unrelate(env, lambda kind, subject, payload: kind == HOLDS and shown.search(self.text_of(self.conditions.get(payload))) is not None, frozenset({HOLDS}))
        var = self.var_of(path[0]) if size == 1 else None
        if value_node is not None and var is not None and _is_condition(value_node) and var.name not in IDENTIFIER.findall(self.text_of(value_node)):
            # (`ok = ok && x` holds no condition of its own: it names the old `ok`)
            self.conditions[value_node.id] = value_node
            self.relate(env, HOLDS, path, value_node.id)
        self.elements_unknown(env, path, val)
        if size > 1:
            self.touch_partners(env, path)
        for key in keys_below(env, path):
            del env[key]
        children = copied if copied is not None else self.literal_children(env, value_node) if value_node is not None else None
        if size == 1 and val == UNKNOWN_VAL and not children and not isinstance(path[0], Global):
            env.pop(path, None)  # an unlisted variable is unknown: keep environments small
        else:
            env[path] = val
        if children:
            for rel, child in children.items():
                env[path + rel] = child
        self.invalidate_keys(env, path)
        self.note_read_from(env, path, value_node)

    def note_read_from(self, env: Env, path: Path, value_node: Node | None) -> None:
        """`v := m[k]`: a non-zero `v` later tells that `m` held the key, so it is not nil
        (`Narrowing`: as for `v, ok := m[k]`)."""
        value = strip(value_node)
        if len(path) != 1 or value is None or not is_index(value):
            return
        element = self.path_of(value)
        # (of a map whose type is not known too, another package's field: an element read from
        # a slice was there, so the slice is no nil one either)
        if element is not None and len(element) > 1 and element[-1][0] == INDEX:
            self.relate(env, READ_FROM, path, element[:-1])

    def copy_of(self, env: Env, source: Path, val: Val, copy: Path | None = None) -> tuple[Val, dict[tuple, Val]]:
        """The value `val` of `source` and what it holds below it, as a copy of it holds them
        (`cp := reg`: a struct copied field by field). A map is shared by the copy and the
        original, so neither knows any longer what the other stores in it by key; when the
        copy (at `copy`) stores none (`_copy_reads_maps_only`), the original still does."""
        children = self.path_children(env, source)
        standing = self.standing_element(env, source) if not children else None
        if standing is not None:
            children = self.path_children(env, standing)  # an element a loop set as every other
        if len(source) == 1 and isinstance(source[0], Global):
            children.update(self._declared_map_fields(env, source, children))
        if len(children) > MAX_COPIED_CHILDREN or any(len(rel) > MAX_COPIED_DEPTH for rel in children):
            return replace(val, bits=val.bits | UNKNOWN, zero=None, keys=None), {}
        shared = [rel for rel, child in [((), val), *children.items()] if self.types.is_map(self.type_of_path(source + rel))]
        keeps_keys: bool | None = None
        for rel in shared:
            size = len(rel)
            for below_rel in [r for r in children if len(r) > size and r[:size] == rel and r[size][0] == INDEX and children[r].bits & NIL]:
                del children[below_rel]
                env.pop(source + below_rel, None)
            held = val if not rel else children.get(rel)
            if held is None or (held.zero is None and held.keys is None):
                continue
            held = replace(held, zero=None, keys=None)
            if keeps_keys is None:  # (asked once, and only of a copy that shares a map with known keys)
                keeps_keys = copy is not None and self._copy_reads_maps_only(copy, source)
            if not keeps_keys:
                env[source + rel] = held
            if rel:
                children[rel] = held
            else:
                val = held
        return val, children

    def _copy_reads_maps_only(self, copy: Path, source: Path) -> bool:
        """Whether `cp := store`, a local struct copied by value, stores no key into the maps
        the two share: every later use of `cp` selects a map field whose entries it reads
        (compared, measured, ranged over) or a string, number or boolean field; it is never
        set again whole, addressed, handed on or called a method on."""
        var = self.var_of(copy[0]) if len(copy) == 1 else None
        type_text = self.type_of_path(source)
        if var is None or var.node is None or self.func is None or type_text.startswith("*") or not self.types.struct_name(type_text):
            return False
        syntax = self.flow.syntax(self.file.path, self.func)
        for use in syntax.identifiers_named(self.func, var.name):
            if use.start_byte <= var.node.start_byte:
                continue
            selection = use.parent
            if selection is None or selection.type != "selector_expression" or selection.child_by_field_name("operand") != use:
                return False
            field = selection.child_by_field_name("field")
            field_type = self.types.field_type(type_text, self.text_of(field)) if field is not None else ""
            if self.types.is_map(field_type):
                if not map_only_read([selection]):
                    return False
            elif not (field_type == "bool" or zero_of(field_type) is not None):
                return False  # (a string, number or boolean, read or set, reaches no map)
        return True

    def _declared_map_fields(self, env: Env, package_var: Path, listed: dict[tuple, Val]) -> dict[tuple, Val]:
        """The map fields of a package-level struct (or pointer to one) where a copy of it is
        made, made or nil, though nothing lists them: a function may start with them as
        declared (`Core.lookup` derives them when asked, see `flow/run_order.py`), and
        `cp := *shared` copies them with the rest; so are the maps of the structs it holds by
        value (`cp.meta.tags` is `shared.meta.tags`, embedded ones included)."""
        found: dict[tuple, Val] = {}
        for fields in self.types.maps_held(self.type_of_path(package_var), MAX_COPIED_DEPTH):
            rel = tuple((FIELD, name) for name in fields)
            if any(rel[:size] in listed for size in range(1, len(rel) + 1)):
                continue
            # Listed made or not: the copy derives an unlisted one from the struct's zero, which
            # a constructor that made it does not leave nil.
            found[rel] = self.lookup(env, package_var + rel)
        return found

    def invalidate_keys(self, env: Env, path: Path) -> None:
        """Paths indexed by an expression that mentions a variable just assigned no longer hold,
        nor do the conditions on it that nils survive under."""
        if len(path) != 1:
            return
        var = self.var_of(path[0])
        if var is None:
            return
        name = var.name
        stale = []
        for key in env:  # (a loop, not `any` of a generator per key: every key is asked)
            for step in key[1:]:
                if name in step[1] and mentions(step, name):
                    stale.append(key)
                    break
        for key in stale:
            del env[key]
        self.forget_facts_about(env, var.name)
        # `i = j` in `for i, v := range X`: `X[i]` is another element now. A boolean holding a
        # condition on this variable no longer tells what it tested.
        self.unrelate(
            env,
            lambda kind, subject, payload: kind == RANGE_COPY and payload is not None and any(mentions(step, var.name) for step in payload[1:])
            or kind == HOLDS and subject != path and var.name in IDENTIFIER.findall(self.text_of(self.conditions.get(payload))),
            frozenset({RANGE_COPY, HOLDS}),
        )

    def note_origin_of(self, env: Env, path: Path, value: Node) -> None:
        """Remember `m := t.m` (an alias of a map) and `list := m[k]` (a value read from m)."""
        clone_source = self.clone_source(value)
        if clone_source is not None:
            self.relate(env, CLONE_OF, path, clone_source)
        source = self.path_of(value)
        if source is None:
            return
        if len(source) > 1 and self.types.is_map(self.type_of_path(source)):
            self.relate(env, ALIAS, path, source)
        stripped = strip(value)
        parts = index_parts(stripped) if stripped is not None else None
        if parts is not None:
            container = self.path_of(parts[0])
            # A decoded object's well-known map (`cm.Data` of another package's ConfigMap) is a
            # map whatever its type says here.
            if container is not None and (self.types.is_map(self.type_of_path(container)) or self.lookup(env, container).bits & EXTERNAL):
                self.relate(env, READ_FROM, path, container)


_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "&&", "||")


def _is_condition(value: Node) -> bool:
    """`m != nil`, `a && b`, `!ok`: an expression whose value is a condition worth remembering."""
    value = strip(value)  # type: ignore[assignment]
    if value is None:
        return False
    if value.type == "unary_expression":
        return (value.text or b"").startswith(b"!")
    operator = value.child_by_field_name("operator") if value.type == "binary_expression" else None
    return operator is not None and (operator.text or b"").decode() in _COMPARISONS


def _steady(path: Path) -> bool:
    """Whether a path names the same place wherever it is written (no index by a variable)."""
    return all(step[0] != INDEX or is_constant_key(step[1]) for step in path[1:])


def _names(payload: object, path: Path) -> bool:
    """Whether a relation's payload names `path` (or a path under it)."""
    size = len(path)
    if isinstance(payload, tuple) and payload and isinstance(payload[0], tuple):
        return any(p is not None and p[:size] == path for p in payload)  # (value path, element)
    return isinstance(payload, tuple) and payload[:size] == path


def _enclosing_loop(node: Node, marker: FirstRound) -> Node | None:
    """The `for` statement around `node` that `marker` marks the first round of."""
    current = node.parent
    while current is not None:
        if current.type == "for_statement" and current.start_byte == marker.start and current.end_byte == marker.end:
            return current
        current = current.parent
    return None
