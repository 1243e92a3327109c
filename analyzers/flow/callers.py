"""What the callers in the package pass to an unexported function's parameter.

An unexported function (or method) can be called only from its own package, so its
parameters hold nothing but what those calls pass. When every call passes a value whose
map field is made (built with it, or guarded before the call), the field is not nil in the
function, whatever decoding could leave in a value of its type. A name used other than as
the callee of a call (handed on as a function value, a method value) has callers we cannot
see: nothing is known of what they pass.

Each call site is checked by running its enclosing function and reading, at the call, the
value the argument's field holds. A call that passes the caller's own parameter is settled
by that caller's callers in turn (to a small depth).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from analyzers.flow.frames import Env
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.paths import Local, Path
from analyzers.flow.syntax import arguments_of, children, is_address_of, strip
from analyzers.flow.values import ENTRY, EXTERNAL, MADE, NIL, UNKNOWN, Val
from analyzers.gotext import name as name_pattern
from analyzers.parsing import text
from analyzers.source import SourceFile

MAX_DEPTH = 4  # callers of callers followed to settle a parameter passed on unchanged
MAX_SITES = 200  # past this many calls of one name, the callers are not run

_FUNCTIONS = ("function_declaration", "method_declaration")


@dataclass(frozen=True)
class CallSite:
    """One call of a name: where it is and the top-level function holding it (None: outside any)."""

    file: SourceFile
    call: Node
    function: Node | None


@dataclass(frozen=True)
class Passed:
    """What one call passes for a parameter's field: made, or the caller's own parameter's field
    (to be settled by its callers), or neither."""

    made: bool
    onward: tuple[SourceFile, Node, int, Path] | None = None  # (file, caller, parameter index, field path)


class CallerIndex:
    """The calls of names in a package, looked up by name when asked.

    A name's whole-word occurrences in the files' text are the candidates (a search of the
    text, not a walk of every tree: the language server asks at every check, and a walk of a
    5,000-line file cost 46 ms an edit); those that are identifiers outside comments and
    strings are its uses."""

    def __init__(self, files: dict[str, SourceFile]) -> None:
        self.files = files
        self._calls: dict[str, list[CallSite] | None] = {}

    def calls_of(self, name: str) -> list[CallSite] | None:
        """Every call of `name` in the package, or None when the name is also used otherwise."""
        if name not in self._calls:
            self._calls[name] = self._search(name)
        return self._calls[name]

    def _search(self, name: str) -> list[CallSite] | None:
        calls: list[CallSite] = []
        for path in sorted(self.files):
            found = _calls_in(self.files[path], name)
            if found is None:
                return None
            calls.extend(found)
        return calls


def _calls_in(file: SourceFile, name: str) -> tuple[CallSite, ...] | None:
    """The calls of `name` in one file, or None when the file uses it otherwise. Kept with the
    file's version: the language server asks at every check, and only the edited file is new."""
    uncalled: set[str] | None = file.memo.get("uncalled")  # (most names: kept as one set a file, not an entry each)
    if uncalled is None:
        uncalled = file.memo["uncalled"] = set()
    if name in uncalled:
        return ()
    key = ("calls-of", name)
    if key in file.memo:
        return file.memo[key]
    found = _search_file(file, name)
    if found == ():
        uncalled.add(name)
    else:
        file.memo[key] = found
    return found


def _search_file(file: SourceFile, name: str) -> tuple[CallSite, ...] | None:
    calls: list[CallSite] = []
    root = file.tree.root_node
    for match in re.finditer(name_pattern(name), file.source):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is None or node.type not in ("identifier", "field_identifier"):
            continue  # in a comment or a string, or part of a longer token
        if node.start_byte != match.start() or node.end_byte != match.end() or _is_declared_name(node):
            continue
        call = _call_of(node)
        if call is None:
            return None  # handed on as a value: its callers are unseen
        calls.append(CallSite(file, call, _enclosing_function(call)))
    return tuple(calls)


def made_by_every_caller(flow, index: CallerIndex, file: SourceFile, function: Node, position: int, field_path: Path, depth: int = 0) -> bool:
    """Whether every call of the unexported `function` passes, as its parameter number
    `position`, a value whose field at `field_path` (steps below the parameter) is made."""
    name = _declared_name(function)
    if not name or not name[0].islower() and name[0] != "_" or depth > MAX_DEPTH:
        return False
    sites = index.calls_of(name)
    if not sites or len(sites) > MAX_SITES or any(site.function is None for site in sites):
        return False  # never called here (an entry point), called from a package-level value, or too often
    by_caller: dict[tuple[str, int], list[CallSite]] = {}
    for site in sites:
        by_caller.setdefault((site.file.path, site.function.start_byte), []).append(site)  # type: ignore[union-attr]
    for calls in by_caller.values():
        for passed in passed_at(flow, calls, position, field_path):
            if passed.made:
                continue
            if passed.onward is None:
                return False
            onward_file, caller, caller_position, onward_path = passed.onward
            if caller is function or not made_by_every_caller(flow, index, onward_file, caller, caller_position, onward_path, depth + 1):
                return False
    return True


def parameter_position(function: Node, name_start: int) -> int | None:
    """The position of the parameter whose name starts at `name_start`, or None."""
    for position, (name, _) in enumerate(parameters_of(function)):
        if name is not None and name.start_byte == name_start:
            return position
    return None


def function_at(file: SourceFile, offset: int) -> Node | None:
    """The top-level function or method declaration holding `offset`."""
    for node in file.tree.root_node.named_children:
        if node.type in _FUNCTIONS and node.start_byte <= offset < node.end_byte:
            return node
    return None


class _Probe(Interpreter):
    """A run of a caller that notes what some of its calls pass for one parameter's field."""

    def __init__(self, flow, file: SourceFile, function: Node, calls: list[Node], argument: int, field_path: Path) -> None:
        super().__init__(flow, file, function)
        self.calls = {(call.start_byte, call.end_byte): call for call in calls}
        self.argument = argument
        self.field_path = field_path
        self.seen: dict[tuple[int, int], list[tuple[Val, Path | None]]] = {}

    def eval_call(self, env: Env, node: Node) -> Val:
        call = self.calls.get((node.start_byte, node.end_byte))
        if call is not None:
            self.seen.setdefault((node.start_byte, node.end_byte), []).append(self._passed(env, call))
        return super().eval_call(env, node)

    def _passed(self, env: Env, call: Node) -> tuple[Val, Path | None]:
        arguments = arguments_of(call)
        argument = strip(arguments[self.argument]) if self.argument < len(arguments) else None
        if is_address_of(argument):
            argument = strip(argument.child_by_field_name("operand"))  # type: ignore[union-attr]
        path = self.path_of(argument)
        if path is None and argument is not None and argument.type == "composite_literal":
            # A literal built in the call (`helper(&corev1.Pod{ObjectMeta: ...})`): what it sets.
            return self.literal_children(dict(env), argument).get(self.field_path, Val(UNKNOWN)), None
        if path is None:
            return Val(UNKNOWN), None
        return self.lookup(env, path + self.field_path), path


def passed_at(flow, sites: list[CallSite], argument: int, field_path: Path) -> list[Passed]:
    """What each of the calls (all in one function) passes."""
    caller = sites[0].function
    assert caller is not None
    probe = _Probe(flow, sites[0].file, caller, [site.call for site in sites], argument, field_path)
    probe.run()
    return [_judged(probe.seen.get((site.call.start_byte, site.call.end_byte), []), sites[0].file, caller, field_path) for site in sites]


def _judged(seen: list[tuple[Val, Path | None]], file: SourceFile, caller: Node, field_path: Path) -> Passed:
    """Made, if every time the call ran it passed the field made; else the caller's own
    parameter handed on, when that is what it passed; else unknown."""
    if not seen:
        return Passed(False)  # never reached by the run: nothing known of it
    if all(not val.bits & (NIL | UNKNOWN | EXTERNAL | ENTRY) and val.bits & MADE for val, _ in seen):
        return Passed(True)
    paths = {path for _, path in seen}
    if len(paths) != 1:
        return Passed(False)
    path = paths.pop()
    if path is None or not isinstance(path[0], Local):
        return Passed(False)
    for position, (name, _) in enumerate(parameters_of(caller)):
        if name is not None and path[0].key == f"{text(name)}@{name.start_byte}":
            return Passed(False, (file, caller, position, path[1:] + field_path))
    return Passed(False)


def parameters_of(function: Node) -> list[tuple[Node | None, Node]]:
    """The function's parameters in order: (name node or None, declaration)."""
    found: list[tuple[Node | None, Node]] = []
    parameters = function.child_by_field_name("parameters")
    for decl in children(parameters) if parameters is not None else ():
        if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names = decl.children_by_field_name("name")
        found.extend((name, decl) for name in names) if names else found.append((None, decl))
    return found


def _declared_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    return text(name) if name is not None else ""


def callee_name(call: Node) -> str:
    function = strip(call.child_by_field_name("function"))
    if function is None:
        return ""
    if function.type == "identifier":
        return text(function)
    if function.type == "selector_expression":
        field = function.child_by_field_name("field")
        return text(field) if field is not None else ""
    return ""


def _call_of(node: Node) -> Node | None:
    """The call whose callee is `node`: `f` of `f(x)` or `m` of `x.m(y)` (through parentheses)."""
    child, parent = node, node.parent
    if parent is not None and parent.type == "selector_expression" and parent.child_by_field_name("field") == node:
        child, parent = parent, parent.parent
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, parent.parent
    if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == child:
        return parent
    return None


def _is_declared_name(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in _FUNCTIONS and parent.child_by_field_name("name") == node


def _enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        parent = parent.parent
    return parent
