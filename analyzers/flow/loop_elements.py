"""What a loop leaves in the elements of a slice or array it stores into.

A round that stores into `s[i]`, `i` an index the flow cannot settle, may have set any
element: past the loop no element is known to be a zero one any more (inside the loop, the
head keeps the zero elements as first-round state, `Control._mark_zero_elements_carried`).

`for i := range X { s[i] = v }` does more: each round sets its own element, so when `s` has
as many elements as the rounds (`X` is `s` itself, or `s` was made with `len(X)`, or with
`n` for `range n`), every element holds what a round leaves at `s[i]`. The loop then lists
one element that stands for all of them, at the index `EVERY_ELEMENT`, and `Core._any_element`
reads any element from it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.elements import EACH_ELEMENT, EVERY_ELEMENT
from analyzers.flow.fills import assigned_outside
from analyzers.flow.frames import Env
from analyzers.flow.paths import IDENTIFIER, INDEX, Local, Path, below, is_constant_key, keys_below, mentions
from analyzers.flow.statements import Statements
from analyzers.flow.syntax import children, make_length, strip
from analyzers.flow.types import normalise
from analyzers.flow.values import LINE, MADE, NIL, UNKNOWN_VAL, FirstRound, Origin, OriginKind, Val
from analyzers.parsing import text


class LoopElements(Statements):
    """Elements of collections past a loop that stored into them."""

    def settle_loop_elements(self, after: Env, loop: Node, back: Env | None, before: Env) -> None:
        """`after`, the environment past `loop`: zero elements kept as first-round state are
        unknown, elements a `range` round sets one each are what a round leaves, and no path
        is indexed by a variable the loop declared (out of scope past it)."""
        marker = FirstRound(loop.start_byte, loop.end_byte)
        index = self._range_index(loop)
        filled = [c for c in self._containers_set_at(back, index) if self._every_element_set(loop, c, index, after)] if index and back is not None else []
        for key, val in list(after.items()):
            if val.zero is not None and val.when == marker and not val.bits & NIL:
                after[key] = replace(val, zero=None, keys=None, when=None)
        self._element_parts_unknown(after)
        for container in filled:
            assert back is not None
            self._list_every_element(after, container, index, back, before, marker, loop)
        for name in _declared_names(loop):
            for stale in [k for k in after if len(k) > 1 and isinstance(k[0], Local) and any(mentions(step, name) for step in k[1:])]:
                del after[stale]

    def _element_parts_unknown(self, after: Env) -> None:
        """A round that stored into `s[i].f`, `i` no constant, may have set `.f` of any element:
        past the loop no element's `.f` is known to be the zero one the loop found (rounds
        may have set them all), though its other fields are (`Core.elements_unknown`). A part
        nil on every path stays nil: no round set it."""
        for container, rest in self.element_parts:
            size = len(container)
            for key in [k for k in keys_below(list(after), container) if k[size][0] == INDEX and is_constant_key(k[size][1]) and k[size + 1 :] == rest]:
                if after[key].bits & NIL and after[key].bits != NIL:
                    after[key] = UNKNOWN_VAL

    def _range_index(self, loop: Node) -> str:
        """The index variable `i` a `for i := range X` (or `for i, v := range X`) declares,
        when the body never sets it, else ""."""
        clause = next((c for c in children(loop) if c.type == "range_clause"), None)
        left = clause.child_by_field_name("left") if clause is not None else None
        if clause is None or left is None or not any(c.type == ":=" for c in clause.children):
            return ""
        names = children(left)
        first = names[0] if names else None
        if first is None or first.type != "identifier" or text(first) == "_":
            return ""
        body = loop.child_by_field_name("body")
        if body is None or text(first) in self.flow.assigned_names(self.file.path, body, False):
            return ""
        return text(first)

    @staticmethod
    def _containers_set_at(back: Env, index: str) -> list[Path]:
        """Collections the round's end lists an element `c[index]` of (the collection's path
        holds no other index that is no constant)."""
        step = (INDEX, index)
        found: set[Path] = set()
        for key in back:
            if not isinstance(key, tuple) or not key or not isinstance(key[0], str):
                continue
            for position in range(1, len(key)):
                if key[position] == step:
                    container = key[:position]
                    if all(s[0] != INDEX or is_constant_key(s[1]) for s in container[1:]):
                        found.add(container)
                    break
        return sorted(found, key=len)

    def _every_element_set(self, loop: Node, container: Path, index: str, after: Env) -> bool:
        """Whether the loop's rounds set each element of `container` once, and only that one:
        the body names the collection only as `c[index]`, runs no closure, and the collection
        has as many elements as the loop has rounds."""
        body = loop.child_by_field_name("body")
        held = self.lookup(after, container)
        if body is None or held.bits & ~(NIL | MADE) or held.external is not None:
            return False
        if not self.type_of_path(container).startswith("["):
            return False  # a map's keys are no elements a round sets one each
        shown = self.display(container)
        body_text = text(body)
        if "func(" in body_text or "func (" in body_text or "goto " in body_text or _may_break(body):
            return False
        spelled = re.compile(r"(?<![\w.])" + re.escape(shown) + r"(?![\w])(\s*\[\s*" + re.escape(index) + r"\s*\])?")
        if any(found.group(1) is None for found in spelled.finditer(body_text)):
            return False
        return self._as_long_as_rounds(loop, container, held)

    def _as_long_as_rounds(self, loop: Node, container: Path, held: Val) -> bool:
        """Whether `container` has one element per round of `loop`: it is what the loop ranges
        over, or it was made with the length of what the loop ranges over."""
        clause = next((c for c in children(loop) if c.type == "range_clause"), None)
        ranged = strip(clause.child_by_field_name("right")) if clause is not None else None
        if ranged is None:
            return False
        if self.path_of(ranged) == container:
            return True
        zero = held.zero
        if zero is None or zero.kind is not OriginKind.ZERO_ELEMENT or zero.path != self.file.path or len(container) != 1:
            return False
        made = self.func.descendant_for_byte_range(zero.start, zero.end)
        length = make_length(made)
        if length is None:
            return False
        length = normalise(length)
        range_text = normalise(text(ranged))
        if length not in (f"len({range_text})", range_text):
            return False
        return self._names_steady(ranged, loop)

    def _names_steady(self, ranged: Node, loop: Node) -> bool:
        """Whether every variable `ranged` names keeps its declared value in the function but
        inside `loop` (`range` evaluates its operand once): the make read the same one."""
        for name in set(IDENTIFIER.findall(text(ranged))):
            var = self.resolve(name)
            if var is None:
                if name in self.flow.package_vars:
                    return False
                continue  # a function or a type: `len`, a conversion
            if var.node is None or assigned_outside(self.func, name, loop, var.node):
                return False
        return True

    def _list_every_element(self, after: Env, container: Path, index: str, back: Env, before: Env, marker: FirstRound, loop: Node) -> None:
        """List one element standing for every element of `container`: what the round's end
        holds at `container[index]` and under it, over the element as it was before the loop.
        Elements listed by a constant index keep what the round did not set."""
        element = container + ((INDEX, index),)
        below_round = {k[len(element) :]: _past_loop(v, marker) for k, v in back.items() if isinstance(k, tuple) and below(k, element)}
        whole = back.get(element)
        first = whole if whole is not None else self.lookup(before, container + ((INDEX, EACH_ELEMENT),))
        size = len(container)
        # A part listed before the loop that no round sets differs, in its element, from the
        # zero one: in what stands for every element it is unknown. Parts every round sets are
        # the round's in every element, whatever they were before, and the element's other
        # fields are as they were (`Writes.copy_of` copies the parts listed under it). An
        # element listed whole before the loop leaves no part of the others known zero.
        uncovered = {key[size + 1 :] for key in keys_below(list(before), container) if not _covered(key[size + 1 :], below_round)}
        if () in uncovered:
            first = replace(first, zero=None, keys=None)
            uncovered = set()
        held = self.lookup(after, container)
        # Each element listed before the loop is as the loop found it, but for what its own
        # round set: no other round names it.
        kept = {k: v for k, v in before.items() if below(k, container) and k[size][0] == INDEX and is_constant_key(k[size][1])}
        listed = {k[size] for k in kept}
        positions = self._every_position(before, container, self.lookup(before, container)) if uncovered and whole is None else None
        if positions is not None:
            # Every position is known (`[2]T`): the ones no statement listed are zero elements
            # but for what their rounds set, not the element standing for all, whose parts
            # listed for another element are unknown.
            listed |= {(INDEX, position) for position in positions}
        if whole is None:
            # An element listed only by its parts is, but for them, what it was before the loop
            # (a zero one whose other fields are still zero): list it whole, as the container
            # past the loop no longer says which of its elements are zero ones.
            for step in listed:
                place = container + (step,)
                if place not in kept:
                    kept[place] = _past_loop(self.lookup(before, place), marker)
        for stale in keys_below(list(after), container):
            del after[stale]
        if whole is None:
            after.update(kept)
        origin = Origin(OriginKind.LISTED, self.file.path, loop.start_byte, loop.end_byte, f"each set by the loop at line {LINE}")
        after[container] = replace(held, zero=origin, keys=frozenset({EVERY_ELEMENT} | {step[1] for step in listed}), when=None)
        for place in [container + ((INDEX, EVERY_ELEMENT),)] + [container + (step,) for step in sorted(listed)]:
            if whole is not None or place[-1][1] == EVERY_ELEMENT:
                after[place] = _past_loop(first, marker)
            if place[-1][1] == EVERY_ELEMENT:
                for rel in uncovered:
                    after[place + rel] = UNKNOWN_VAL
            for rel, val in below_round.items():
                for stale in keys_below(list(after), place + rel):
                    del after[stale]
                after[place + rel] = val


def _covered(part: Path, round_parts: dict) -> bool:
    """Whether a round sets `part` of its element, or a part holding it (`.m` holds `.m[k]`)."""
    return any(part[: len(set_part)] == set_part for set_part in round_parts)


def _past_loop(val: Val, marker: FirstRound) -> Val:
    """A value a round leaves, seen past the loop: no longer first-round state of it."""
    return replace(val, when=None) if val.when == marker else val


_BREAKABLE = ("for_statement", "expression_switch_statement", "type_switch_statement", "select_statement")


def _may_break(body: Node) -> bool:
    """Whether a `break` may leave the loop whose body is `body`: one with a label, or one
    outside every loop, switch and select nested in the body. Rounds after it never run."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "break_statement":
            if children(node):
                return True  # labelled: it may name this loop
            continue
        if node.type in _BREAKABLE:
            stack.extend(c for c in _descendants_breaking_labelled(node))
            continue
        stack.extend(node.named_children)
    return False


def _descendants_breaking_labelled(node: Node) -> list[Node]:
    """The labelled `break` statements under `node` (an unlabelled one leaves `node` only)."""
    found = []
    stack = list(node.named_children)
    while stack:
        current = stack.pop()
        if current.type == "break_statement" and children(current):
            found.append(current)
        stack.extend(current.named_children)
    return found


def _declared_names(loop: Node) -> list[str]:
    """The variables a loop's clause declares (`for i := range`, `for i := 0; ...`)."""
    clause = next((c for c in children(loop) if c.type in ("range_clause", "for_clause")), None)
    if clause is None:
        return []
    declaration = clause if clause.type == "range_clause" else clause.child_by_field_name("initializer")
    if declaration is None or not any(c.type == ":=" for c in declaration.children):
        return []
    left = declaration.child_by_field_name("left")
    return [text(name) for name in (children(left) if left is not None else []) if name.type == "identifier" and text(name) != "_"]
