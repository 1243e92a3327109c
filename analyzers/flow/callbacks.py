"""What a same-package function hands the callbacks it is given.

A func literal passed as an argument of a call to a function (or method) of the package is
bound to that function's func-typed parameter: the literal runs only where the function
calls the parameter (`modify(d)`, or `fn(d)` for each `fn` ranged over a variadic
`...func(*T)`), and its parameters hold what those calls pass. When each such call passes a
value whose map field is made (an object the function built with it), the literal's
parameter is no decoded value, whatever its type; when a call passes the function's own
parameter, the binding call's argument (and, past it, that caller's callers) decides. A
callback handed a collection (`fn(ingresses)`) whose elements it ranges over gets what the
function stored into it: each element stored (`ingresses[i] = &T{...}`, `append`, the
literal's own elements) built with the field made.

A callee that does anything else with the parameter (stores it, hands it on, returns it)
calls it where nobody here sees: nothing is known, and the literal's parameter stays as
external as any function's.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.callback_calls import calls_of_callback
from analyzers.flow.callers import CallerIndex, CallSite, function_at, made_by_every_caller, parameters_of, passed_at
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.paths import FIELD, Path
from analyzers.flow.syntax import arguments_of, children, identifiers_named, stored_targets, strip
from analyzers.flow.values import MADE
from analyzers.parsing import text
from analyzers.source import SourceFile

_FUNCTIONS = ("function_declaration", "method_declaration")


def callback_made(flow, index: CallerIndex, file: SourceFile, name_start: int, field_path: Path, elements: bool = False) -> bool:
    """Whether the func literal whose parameter name starts at `name_start` is bound at a call
    of a same-package function that hands it, for that parameter, values whose field at
    `field_path` is made (`elements`: collections whose every element's field is)."""
    found = _literal_parameter(file, name_start)
    if found is None:
        return False
    literal, position = found
    binding = _binding_call(literal)
    if binding is None:
        return False
    call, argument = binding
    callee = _callee(flow, file, call)
    if callee is None:
        return not elements and _made_by_other_package(flow, file, call, argument, position, field_path)
    callee_file, function = callee
    parameter = _bound_parameter(function, argument)
    body = function.child_by_field_name("body")
    if parameter is None or body is None:
        return False
    variadic = _variadic(function, parameter)
    forwards: list[Node] = []
    calls = calls_of_callback(body, parameter, variadic, None if elements else forwards)
    handed_on = _forwarded_sites(flow, callee_file, forwards, 0) if calls is not None else None
    if calls is None or handed_on is None or not (calls or handed_on):
        return False  # never called, or called where we cannot see
    if elements:
        return all(_elements_built(flow, callee_file, function, c, position, field_path) for c in calls)
    for sites in _by_function(handed_on):
        # A callee the list was handed on to (`build(t, opts...)`): only what it builds itself counts.
        if not all(passed.made for passed in passed_at(flow, sites, position, field_path)):
            return False
    if not calls:
        return True
    caller = function_at(file, call.start_byte)
    for passed in passed_at(flow, [CallSite(callee_file, c, function) for c in calls], position, field_path):
        if passed.made:
            continue
        if passed.onward is None or caller is None:
            return False
        # The callee hands on its own parameter: what the binding call passes for it decides.
        _, _, callee_position, onward_path = passed.onward
        at_binding = passed_at(flow, [CallSite(file, call, caller)], callee_position, onward_path)[0]
        if at_binding.made:
            continue
        if at_binding.onward is None or not made_by_every_caller(flow, index, *at_binding.onward):
            return False
    return True


MAX_FORWARDS = 2  # functions a variadic list of callbacks is followed through when handed on whole


def _variadic(function: Node, parameter: str) -> bool:
    """Whether the function's parameter `parameter` is its variadic one (`opts ...func(*T)`)."""
    return any(name is not None and text(name) == parameter and decl.type == "variadic_parameter_declaration" for name, decl in parameters_of(function))


def _forwarded_sites(flow, file: SourceFile, forwards: list[Node], depth: int) -> list[CallSite] | None:
    """The calls of the callbacks in the functions of the package a variadic list is handed on
    to whole (`build(t, opts...)` binding `build`'s own variadic parameter); None when one of
    them is not such a function, or uses the list where nobody here sees."""
    sites: list[CallSite] = []
    for forward in forwards:
        callee = _callee(flow, file, forward)
        if callee is None or depth >= MAX_FORWARDS:
            return None
        callee_file, function = callee
        parameter = _bound_parameter(function, len(arguments_of(forward)) - 1)
        body = function.child_by_field_name("body")
        if parameter is None or body is None or not _variadic(function, parameter):
            return None
        onward: list[Node] = []
        calls = calls_of_callback(body, parameter, True, onward)
        deeper = _forwarded_sites(flow, callee_file, onward, depth + 1) if calls is not None else None
        if calls is None or deeper is None:
            return None
        sites.extend(CallSite(callee_file, c, function) for c in calls)
        sites.extend(deeper)
    return sites


def _by_function(sites: list[CallSite]) -> list[list[CallSite]]:
    """The call sites grouped by the function holding them (what `passed_at` runs once)."""
    groups: dict[tuple[str, int], list[CallSite]] = {}
    for site in sites:
        assert site.function is not None
        groups.setdefault((site.file.path, site.function.start_byte), []).append(site)
    return list(groups.values())


def _made_by_other_package(flow, file: SourceFile, call: Node, argument: int, position: int, field_path: Path) -> bool:
    """Whether `pkg.F(..., literal)` calls a function of another package of the module that
    hands the literal's parameter at `position` only objects it built with the map at
    `field_path` made (`built_for_callbacks`)."""
    function = strip(call.child_by_field_name("function"))
    operand = strip(function.child_by_field_name("operand")) if function is not None and function.type == "selector_expression" else None
    if function is None or operand is None or operand.type != "identifier":
        return False
    qualifier = text(operand)
    if qualifier not in flow.package.facts_of(file.path).imports or any(step[0] != FIELD for step in field_path):
        return False
    package = flow.types.for_file(file.path).foreign(qualifier)
    if package is None:
        return False
    name_node = function.child_by_field_name("field")
    if name_node is None:
        return False
    name = text(name_node)
    fields = tuple(step[1] for step in field_path)
    for made_name, parameter, variadic, made_position, made_fields in package.callback_fields:
        bound = parameter == argument or (variadic and argument >= parameter)
        if made_name == name and made_position == position and made_fields == fields and bound:
            return True
    return False


def _literal_parameter(file: SourceFile, name_start: int) -> tuple[Node, int] | None:
    """The func literal declaring the parameter whose name starts at `name_start`, and its position."""
    node = file.tree.root_node.descendant_for_byte_range(name_start, name_start)
    while node is not None and node.type != "func_literal":
        if node.type in _FUNCTIONS:
            return None
        node = node.parent
    if node is None:
        return None
    for position, (name, _) in enumerate(parameters_of(node)):
        if name is not None and name.start_byte == name_start:
            return node, position
    return None


def _binding_call(literal: Node) -> tuple[Node, int] | None:
    """The call the literal is an argument of, and the argument's position."""
    child, parent = literal, literal.parent
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, parent.parent
    if parent is None or parent.type != "argument_list" or parent.parent is None or parent.parent.type != "call_expression":
        return None
    arguments = children(parent)
    for position, argument in enumerate(arguments):
        if argument == child:
            return parent.parent, position
    return None


def _callee(flow, file: SourceFile, call: Node) -> tuple[SourceFile, Node] | None:
    """The one declaration of the package the call calls: a function for `f(...)`, a method
    for `x.m(...)` (by name; two methods of that name leave it unknown), never another
    package's function (`pkg.F(...)`)."""
    function = strip(call.child_by_field_name("function"))
    if function is None:
        return None
    if function.type == "identifier":
        kind = "function_declaration"
    elif function.type == "selector_expression":
        operand = strip(function.child_by_field_name("operand"))
        if operand is None or operand.type == "identifier" and text(operand) in flow.package.facts_of(file.path).imports:
            return None
        kind = "method_declaration"
    else:
        return None
    name_node = function if kind == "function_declaration" else function.child_by_field_name("field")
    if name_node is None:
        return None
    name = text(name_node)
    found = [
        (source, node)
        for _, source in sorted(flow.package.files.items())
        for node in source.tree.root_node.named_children
        if node.type == kind and (declared := node.child_by_field_name("name")) is not None and text(declared) == name
    ]
    return found[0] if len(found) == 1 else None


def _bound_parameter(function: Node, argument: int) -> str | None:
    """The name of the callee's parameter that receives argument number `argument` (the
    variadic one receives every argument from its position on)."""
    parameters = parameters_of(function)
    if not parameters:
        return None
    if argument >= len(parameters):
        name, decl = parameters[-1]
        if decl.type != "variadic_parameter_declaration":
            return None
    else:
        name, decl = parameters[argument]
    return text(name) if name is not None and text(name) != "_" else None


def _elements_built(flow, file: SourceFile, function: Node, call: Node, position: int, field_path: Path) -> bool:
    """Whether the collection a callback call passes is a local of the function whose every
    element stored in it is built with the field at `field_path` made."""
    arguments = arguments_of(call)
    argument = strip(arguments[position]) if position < len(arguments) else None
    body = function.child_by_field_name("body")
    if argument is None or argument.type != "identifier" or body is None:
        return False
    stored = _stored_elements(body, text(argument), call)
    if not stored:
        return False  # not a local the function fills, or filled where we cannot follow
    interpreter = Interpreter(flow, file, function)
    interpreter.run()
    for element in stored:
        # Read with nothing known of the function's variables: only what the literal itself
        # makes (a map literal, a `make`, a constructor of the package that makes it) counts.
        val = interpreter.literal_children({}, element).get(field_path)
        if val is None or val.bits != MADE:
            return False
    return True


def _stored_elements(body: Node, name: str, call: Node) -> list[Node] | None:
    """The elements stored in the local collection `name`: its literal's, those assigned to an
    index of it, those appended to it. None when it is used otherwise than read, ranged over,
    measured, returned or handed to the callback `call` (other code could store into it)."""
    targets = {(t.start_byte, t.end_byte) for t in stored_targets(body)}
    stored: list[Node] = []
    for use in identifiers_named(body, name):
        parent = use.parent
        if parent is None:
            return None
        if parent.type == "expression_list" and parent.parent is not None and parent.parent.type in ("short_var_declaration", "assignment_statement"):
            value = _assigned_value(parent.parent, parent, use)
            if parent == parent.parent.child_by_field_name("right"):
                if not _appended_to_itself(parent.parent, name):
                    return None
                continue
            found = _values_stored(value, name)
            if found is None:
                return None
            stored.extend(found)
        elif parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
            if any(start <= parent.start_byte and parent.end_byte <= end and (start, end) != (parent.start_byte, parent.end_byte) for start, end in targets):
                return None  # a field of an element stored (`list[0].f = nil`)
            if (parent.start_byte, parent.end_byte) in targets:
                statement = parent.parent.parent if parent.parent is not None else None
                value = _assigned_value(statement, parent.parent, parent) if statement is not None else None
                if value is None:
                    return None
                stored.append(value)
        elif parent.type == "argument_list" and parent.parent != call and not _read_by_call(parent, name):
            return None
        elif parent.type not in ("argument_list", "range_clause", "expression_list", "index_expression"):
            return None
    return stored


def _assigned_value(statement: Node | None, left: Node | None, target: Node) -> Node | None:
    """The value assigned to `target`, the nth of `left` in the assignment `statement`."""
    if statement is None or left is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    if statement.type == "assignment_statement" and text(statement.child_by_field_name("operator") or statement) != "=":
        return None
    right = statement.child_by_field_name("right")
    targets, values = children(left), children(right) if right is not None else []
    if len(targets) != len(values) or target not in targets:
        return None
    return values[targets.index(target)]


def _values_stored(value: Node | None, name: str) -> list[Node] | None:
    """What assigning `value` to the collection `name` stores: the elements of a literal, none
    for a `make`, the appended values of `append(name, ...)`."""
    value = strip(value)
    if value is None or value.type != "call_expression" and value.type != "composite_literal":
        return None
    if value.type == "composite_literal":
        body = value.child_by_field_name("body")
        elements = children(body) if body is not None else []
        return [children(e)[-1] if e.type == "keyed_element" else e for e in elements]
    function = value.child_by_field_name("function")
    arguments = arguments_of(value)
    if function is not None and text(function) == "make":
        return []
    if function is not None and text(function) == "append" and arguments and text(arguments[0]) == name:
        if text(value).rstrip(") \n\t").endswith("..."):
            return None
        return arguments[1:]
    return None


def _appended_to_itself(statement: Node, name: str) -> bool:
    """Whether the use on the right of `statement` is the `name` of `name = append(name, ...)`."""
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    targets = children(left) if left is not None else []
    values = children(right) if right is not None else []
    return len(targets) == 1 == len(values) and text(targets[0]) == name and _values_stored(values[0], name) is not None


def _read_by_call(arguments: Node, name: str) -> bool:
    """Whether the collection is only measured by a builtin (`len(name)`) or is `append`'s first
    argument (the statement that stores is checked on its own)."""
    call = arguments.parent
    function = call.child_by_field_name("function") if call is not None else None
    if function is None:
        return False
    if text(function) in ("len", "cap"):
        return True
    return text(function) == "append" and text(children(arguments)[0]) == name
