"""Which code of a `main` package can have run before a function starts, and whether it can
have set a field of a package-level struct.

Go runs a function only where it is called. A function that `main` calls once, from a
statement of its own body (no loop, no closure, no `goto` in `main`), starts after the
statements before that call and nothing else of the package: `init()`, the package
variables' initialisers, and the code those statements can reach. When none of that code
can set field `f` of package-level struct `g`, the function starts with `g.f` as declared
(`var shared Store`: a nil map). What code can reach is over-approximated by name: a
function named anywhere in it, every method of a name it mentions, and every method the
package never names (the standard library calls `String`, `Error`, `MarshalJSON` itself).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from tree_sitter import Node

from analyzers.flow.field_uses import reads_fields_only
from analyzers.flow.syntax import arguments_of, descendants, identifiers_named
from analyzers.gotext import name_positions
from analyzers.index import FuncDecl, PackageIndex, VarDecl
from analyzers.parsing import text


class RunOrder:
    """What may run before a function of a `main` package, and what that code may set."""

    def __init__(self, package: PackageIndex, hands_copy: Callable[[Node], bool], leaves_field: Callable[[Node, str], bool]) -> None:
        """`hands_copy(node)`: a field use handed to code that cannot set the field;
        `leaves_field(argument, field)`: `&g` or `g` handed to a same-package function that
        sets nothing at `field` through it."""
        self.package = package
        self._hands_copy = hands_copy
        self._leaves_field = leaves_field
        self._before: dict[str, frozenset[int] | None] = {}

    # ------------------------------------------------------------------ main and its calls
    @cached_property
    def main(self) -> FuncDecl | None:
        """`func main()` of a `main` package with no `goto` nor label (a jump back would run
        a call twice)."""
        decl = self.package.funcs.get("main")
        if decl is None or decl.body is None or _package_name(decl.node) != "main":
            return None
        if any(n.type in ("goto_statement", "labeled_statement") for n in descendants(decl.body)):
            return None
        return decl

    @cached_property
    def _main_names(self) -> dict[bytes, list[int]]:
        body = self.main.body if self.main is not None else None
        return name_positions(body.text or b"") if body is not None else {}

    def called_once_from_main(self, name: str) -> Node | None:
        """The statement of `main`'s body that calls function `name`, when that call is the
        only mention of `name` in the package and the statement runs it in place."""
        main = self.main
        if main is None or name == "main" or name not in self.package.funcs or name.encode() not in self._main_names:
            return None  # (the call must be in main's body: a name it never mentions is not searched for)
        uses = [node for file in self.package.files.values() for node in file.identifiers(name)]
        declared = self.package.funcs[name].node.child_by_field_name("name")
        uses = [use for use in uses if declared is None or use.start_byte != declared.start_byte or use.end_byte != declared.end_byte]
        if len(uses) != 1:
            return None
        call = uses[0].parent
        statement = call.parent if call is not None else None
        if call is None or statement is None or call.type != "call_expression" or call.child_by_field_name("function") != uses[0]:
            return None
        if statement.type != "expression_statement" or main.body is None or statement not in _statements(main.body):
            return None
        return statement

    # ------------------------------------------------------------------ what ran before
    def ran_before(self, func: Node) -> list[Node] | None:
        """The bodies of code that may have run before `func` starts (None: anything may
        have): `init()`, the package variables' initialisers, and for a function `main` calls
        once, what the statements before that call reach; for `main`, only the first two."""
        name_node = func.child_by_field_name("name")
        if func.type != "function_declaration" or name_node is None:
            return None
        name = text(name_node)
        start: list[Node] = [init.node for init in self.package.inits]
        start.extend(decl.value for decl in _var_decls(self.package) if decl.value is not None)
        if name == "main":
            if self.main is None or self.main.node != func:
                return None
        else:
            statement = self.called_once_from_main(name)
            if statement is None or self.main is None or self.main.body is None:
                return None
            start.extend(s for s in _statements(self.main.body) if s.end_byte <= statement.start_byte)
            start.extend(arguments_of(statement.named_children[0]))
        return self.reach(start)

    def reach(self, start: Iterable[Node]) -> list[Node]:
        """`start` and the declarations of every function and method its code may call, by name."""
        seen: set[int] = set()
        found: list[Node] = []
        queue = list(start) + [decl.node for decl in self._unnamed_methods]
        while queue:
            node = queue.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            found.append(node)
            for mentioned in _names(node):
                decl = self.package.funcs.get(mentioned)
                if decl is not None:
                    queue.append(decl.node)
                queue.extend(method.node for method in self._methods_named.get(mentioned, ()))
        return found

    def reached_by_call(self, call: Node) -> list[Node]:
        """The code `call` may run besides its own text: the declarations it reaches by name,
        and the func literals among its arguments (the flow follows the rest of the call
        itself: a method called on a value, an address handed to a summarised function)."""
        arguments = call.child_by_field_name("arguments")
        literals = [n for n in descendants(arguments) if n.type == "func_literal"] if arguments is not None else []
        function = call.child_by_field_name("function")
        # A literal called in place (`func() {...}()`) is run by the flow statement by statement.
        start = [call] if function is None or function.type != "func_literal" else ([arguments] if arguments is not None else [])
        return [node for node in self.reach(start) if node.id != call.id and (arguments is None or node.id != arguments.id)] + literals

    @cached_property
    def _methods_named(self) -> dict[str, list[FuncDecl]]:
        found: dict[str, list[FuncDecl]] = {}
        for (_, method), decl in self.package.methods.items():
            found.setdefault(method, []).append(decl)
        return found

    @cached_property
    def _unnamed_methods(self) -> list[FuncDecl]:
        """Methods whose name no code of the package spells: other packages call them (`String`)."""
        named: set[str] = set()
        for file in self.package.files.values():
            named |= _names(file.tree.root_node)
        return [decl for (_, method), decl in self.package.methods.items() if method not in named]

    # ------------------------------------------------------------------ what may set a field
    def may_set(self, name: str, field: str, bodies: Iterable[Node], chain: Callable[[str], str]) -> bool:
        """Whether code in `bodies` may set field `field` of package-level `name`: any use of
        `name` but a read, a store into a map entry, a use of another field (`chain` maps a
        promoted field to the embedded one holding it), or `&name` handed to a function that
        sets nothing at `field` through it."""
        return any(not self.leaves(use, field, chain) for body in bodies for use in identifiers_named(body, name))

    def may_change_map(self, name: str, bodies: Iterable[Node]) -> bool:
        """Whether code in `bodies` may assign package-level map `name` or store an entry in
        it (or in a map it holds): any use but a read of an entry, a comparison, `len`, a
        range."""
        return any(not reads_map(use) for body in bodies for use in identifiers_named(body, name))

    def leaves(self, use: Node, field: str, chain: Callable[[str], str]) -> bool:
        """Whether one use of a package-level struct leaves its field `field` as it is."""
        if reads_fields_only(use, self._hands_copy):
            return True
        named = _field_of(use)
        if named is not None:
            return chain(named) != field
        argument: Node = use
        if use.parent is not None and use.parent.type == "unary_expression" and text(use.parent).startswith("&"):
            argument = use.parent
        return argument.parent is not None and argument.parent.type == "argument_list" and self._leaves_field(argument, field)


def reads_map(use: Node) -> bool:
    """Whether a use of a map reads it only: `m[k]` (or `m[a][b]`) read, `m == nil`, `len(m)`,
    `range m`."""
    parent = use.parent
    if parent is None:
        return False
    if parent.type == "binary_expression":
        return True
    if parent.type == "range_clause":
        return parent.child_by_field_name("right") == use
    if parent.type == "argument_list":
        call = parent.parent
        function = call.child_by_field_name("function") if call is not None else None
        return function is not None and function.type == "identifier" and text(function) in ("len", "println", "print")
    if parent.type != "index_expression" or parent.child_by_field_name("operand") != use:
        return False
    node = parent
    while node.parent is not None and node.parent.type == "index_expression" and node.parent.child_by_field_name("operand") == node:
        node = node.parent
    above = node.parent
    if above is None:
        return False
    if above.type == "expression_list" and above.parent is not None and above.parent.type == "assignment_statement":
        return above.parent.child_by_field_name("left") != above
    if above.type in ("inc_dec_statement", "unary_expression", "selector_expression"):
        return False  # `m[k]++`, `&m[k]`, `m[k].f = ...` or a method called on an entry
    if above.type == "argument_list":
        return False  # an inner map handed to a call, which may store into it
    return True


def _statements(block: Node) -> list[Node]:
    """The statements of a block (tree-sitter-go puts them in a `statement_list`)."""
    found = []
    for child in block.named_children:
        found.extend(child.named_children if child.type == "statement_list" else [child])
    return found


def _package_name(node: Node) -> str:
    root = node
    while root.parent is not None:
        root = root.parent
    for child in root.named_children:
        if child.type == "package_clause":
            for part in child.named_children:
                if part.type == "package_identifier":
                    return text(part)
    return ""


def _var_decls(package: PackageIndex) -> list[VarDecl]:
    return [decl for path in sorted(package.files) for decl in package.facts_of(path).vars.values()]


def _names(node: Node) -> set[str]:
    """Every identifier and field name under `node` (a method is named by its field)."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "field_identifier"):
            names.add(text(current))
        stack.extend(current.named_children)
    return names


def _field_of(use: Node) -> str | None:
    """`f` of `g.f...` (whatever is done with it, a method call on `g.f` included); None for
    `g` itself and for a method called on `g`."""
    parent = use.parent
    if parent is None or parent.type != "selector_expression" or parent.child_by_field_name("operand") != use:
        return None
    field = parent.child_by_field_name("field")
    above = parent.parent
    if field is None or (above is not None and above.type == "call_expression" and above.child_by_field_name("function") == parent):
        return None
    return text(field)


