"""The nodes of a file that the interpreter's syntactic questions are about, found once.

Closures and loops make the interpreter ask, many times per function, which names a range of
the function assigns (`x = v`, `&x`, or hands to a call), what it stores into, and whether it
holds closures or a `goto`. Walking every node under the range for each question cost more
than the rest of the analysis of many functions; instead one query lists the assignments,
`&` expressions, calls, closures and `goto`s of the file, in order of where they start, and a
question about a range looks only at those within it. The answers are those of the walks in
`syntax` (`assigned_names`, `stored_targets`, ...), which stay for one-off questions.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from tree_sitter import Node, QueryCursor

from analyzers.flow.syntax import arguments_of, children, inert_builtin, root_name, strip
from analyzers.parsing import text
from analyzers.queries import load
from analyzers.source import identifiers_in


class _Kind:
    """The nodes of one capture, by start: with their ends, and what was worked out of them."""

    def __init__(self, nodes: list[Node]) -> None:
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        self.nodes = nodes
        self.starts = [n.start_byte for n in nodes]
        self.ends = [n.end_byte for n in nodes]
        self.names: dict[int, tuple[str, ...]] = {}  # position -> the root names it sets

    def within(self, node: Node, skip: Node | None = None) -> Iterator[int]:
        """Positions of the nodes under `node` (itself included) but not under `skip`."""
        start, end = node.start_byte, node.end_byte
        skipping = skip is not None and start <= skip.start_byte and skip.end_byte <= end
        for position in range(bisect_left(self.starts, start), len(self.starts)):
            if self.starts[position] >= end:
                return
            if self.ends[position] > end:
                continue
            if skipping and skip is not None and skip.start_byte <= self.starts[position] and self.ends[position] <= skip.end_byte:
                continue
            yield position


class SyntaxIndex:
    """What a file assigns, stores, calls and declares, answered by range."""

    def __init__(self, root: Node) -> None:
        captured = QueryCursor(load("syntax_facts")).captures(root)
        self._stores = _Kind(list(captured.get("store", [])))
        self._unary = _Kind(list(captured.get("unary", [])))
        self._calls = _Kind(list(captured.get("call", [])))
        self._deferred = _Kind(list(captured.get("deferred", [])))
        self._gotos = _Kind(list(captured.get("goto", [])))
        self._root = root
        self._identifiers: dict[str, _Kind] = {}

    def assigned_names(self, node: Node, include_calls: bool, skip: Node | None = None) -> set[str]:
        """As `syntax.assigned_names`: root names assigned or address-taken under `node` but
        under `skip`; with `include_calls`, also those handed to calls as receiver or argument."""
        names: set[str] = set()
        for position in self._stores.within(node, skip):
            names.update(self._assigned_roots(position))
        for position in self._unary.within(node, skip):
            names.update(self._address_roots(position))
        if include_calls:
            for position in self._calls.within(node, skip):
                names.update(self._call_roots(position))
        return names

    def address_taken_names(self, node: Node) -> set[str]:
        """As `syntax.address_taken_names`: root names whose address is taken under `node`."""
        names: set[str] = set()
        for position in self._unary.within(node):
            names.update(self._address_roots(position))
        return names

    def stored_targets(self, node: Node) -> list[Node]:
        """As `syntax.stored_targets`, in the same order: the targets of every `x = v`,
        `x op= v`, `x++` under `node`. (That walk visits a node before what it holds and a
        later sibling before an earlier one: latest end first, then earliest start.)"""
        kind = self._stores
        statements = sorted(kind.within(node), key=lambda position: (-kind.ends[position], kind.starts[position]))
        found: list[Node] = []
        for position in statements:
            statement = kind.nodes[position]
            if statement.type == "assignment_statement":
                left = statement.child_by_field_name("left")
                targets = children(left) if left is not None else []
            else:
                targets = children(statement)[:1]
            found.extend(target for target in (strip(t) for t in targets) if target is not None)
        return found

    def closures_and_defers(self, node: Node) -> list[Node]:
        """The function literals and `defer` statements under `node`."""
        return [self._deferred.nodes[position] for position in self._deferred.within(node)]

    def has_goto(self, node: Node) -> bool:
        return next(self._gotos.within(node), None) is not None

    def identifiers_named(self, node: Node, name: str) -> list[Node]:
        """As `syntax.identifiers_named`: every identifier `name` under `node` (in the text's
        order). The file's identifiers of that name are found once, by a search of its text:
        a function's uses of a name are asked for again and again, each a walk of the whole
        function otherwise (thousands of nodes in generated code)."""
        kind = self._identifiers.get(name)
        if kind is None:
            kind = self._identifiers[name] = _Kind(identifiers_in(self._root, name))
        return [kind.nodes[position] for position in kind.within(node)]

    # ------------------------------------------------------------------ per node, once
    def _assigned_roots(self, position: int) -> tuple[str, ...]:
        kind = self._stores
        found = kind.names.get(position)
        if found is None:
            statement = kind.nodes[position]
            left = statement.child_by_field_name("left") if statement.type == "assignment_statement" else None
            roots = (root_name(target, through_index=False) for target in (children(left) if left is not None else []))
            found = kind.names[position] = tuple(root for root in roots if root)
        return found

    def _address_roots(self, position: int) -> tuple[str, ...]:
        kind = self._unary
        found = kind.names.get(position)
        if found is None:
            unary = kind.nodes[position]
            root = root_name(unary.child_by_field_name("operand"), through_index=True) if text(unary).startswith("&") else ""
            found = kind.names[position] = (root,) if root else ()
        return found

    def _call_roots(self, position: int) -> tuple[str, ...]:
        kind = self._calls
        found = kind.names.get(position)
        if found is None:
            found = kind.names[position] = _handed_roots(kind.nodes[position])
        return found


def _handed_roots(call: Node) -> tuple[str, ...]:
    """The roots of a call's receiver and arguments, which the callee may change (none for
    builtins that change nothing)."""
    if inert_builtin(call):
        return ()
    roots: list[str] = []
    function = strip(call.child_by_field_name("function"))
    if function is not None and function.type == "selector_expression":
        roots.append(root_name(function.child_by_field_name("operand"), through_index=True))
    roots.extend(root_name(arg, through_index=True) for arg in arguments_of(call))
    return tuple(root for root in roots if root)
