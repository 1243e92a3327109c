"""Keys computed from values that never change, folded to the literal they equal.

A map's entries are told apart by their keys' values, not by how the keys are spelled:
`groups["a"+key]` with `key := "b"` (never set again) is the entry `"ab"`, and `names[1]` of a
package slice `var names = []string{"a", "b"}` that no code changes is the entry `"b"`. Folding
such keys to literals lets a stored entry and an absent one be told apart, as literal keys are.
A key is folded only when every part of it is a literal, a named constant, a local variable
declared once with a foldable value and never set again, or an element at a literal index of a
package slice that every use only reads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from tree_sitter import Node

from analyzers.flow.known_values import zero_of
from analyzers.flow.paths import is_constant_key
from analyzers.flow.syntax import children, strip
from analyzers.flow.types import normalise
from analyzers.index import FieldDecl
from analyzers.parsing import text

# The kinds of key expressions worth folding (a literal key is already its own text).
FOLDED_KINDS = frozenset(
    {"identifier", "type_identifier", "qualified_type", "binary_expression", "index_expression", "selector_expression", "call_expression"}
)

MAX_CALL_DEPTH = 4  # calls of calls folded, at most (a recursion folds nothing)

# The integer operators folded, on the non-negative integers keys are written with.
_INTEGER_OPERATORS: dict[str, Callable[[int, int], int | None]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b if b else None,
    "%": lambda a, b: a % b if b else None,
}


def fold(
    node: Node | None,
    name_value: Callable[[str], str | None],
    slice_elements: Callable[[str], tuple[str, ...] | None],
    field_value: Callable[[str, str], str | None] = lambda _name, _field: None,
    call_value: Callable[[str, tuple[str, ...]], str | None] = lambda _name, _args: None,
) -> str | None:
    """The literal `node` always equals (`"ab"`, `3`), or None.

    `name_value` folds an identifier (a constant, a local set once); `slice_elements` gives the
    literal elements of a package slice that never changes; `field_value` the literal a field
    of a struct variable that never changes is declared with (`pr.B` of `pr := pair{B: "b"}`);
    `call_value` the literal a function of the package returns for literal arguments
    (`keyOf(1)`, see `returned_constant`)."""
    def again(part: Node | None) -> str | None:
        return fold(part, name_value, slice_elements, field_value, call_value)

    node = strip(node)
    if node is None:
        return None
    kind = node.type
    if kind == "interpreted_string_literal":
        spelled = text(node)
        return spelled if "\\" not in spelled else None  # escapes: another spelling of the same key
    if kind == "int_literal":
        spelled = text(node)
        return spelled if spelled.isdigit() and (spelled == "0" or not spelled.startswith("0")) else None
    if kind in ("identifier", "type_identifier"):  # `m[k][x]` may be read as a generic type
        return name_value(text(node))
    if kind == "qualified_type":  # `m[a.B][c.D]` read as a generic type: `a.B` is a field
        parts = children(node)
        return field_value(text(parts[0]), text(parts[1])) if len(parts) == 2 else None
    if kind == "binary_expression":
        operator = text(node.child_by_field_name("operator") or node)
        left = again(node.child_by_field_name("left"))
        right = again(node.child_by_field_name("right"))
        if left is None or right is None:
            return None
        if operator == "+" and left.startswith('"') and right.startswith('"'):
            return left[:-1] + right[1:]
        if operator in _INTEGER_OPERATORS and left.isdigit() and right.isdigit():
            value = _INTEGER_OPERATORS[operator](int(left), int(right))
            return str(value) if value is not None and value >= 0 else None
        return None
    if kind == "call_expression":
        return _fold_call(node, again, slice_elements, call_value)
    if kind == "index_expression":
        operand, index = strip(node.child_by_field_name("operand")), node.child_by_field_name("index")
        if operand is None or operand.type != "identifier":
            return None
        elements = slice_elements(text(operand))
        position = again(index)
        if elements is None or position is None or not position.isdigit() or int(position) >= len(elements):
            return None
        return elements[int(position)]
    if kind == "selector_expression":
        operand, field = strip(node.child_by_field_name("operand")), node.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            return None
        return field_value(text(operand), text(field))
    return None


def _fold_call(
    call: Node,
    again: Callable[[Node | None], str | None],
    slice_elements: Callable[[str], tuple[str, ...] | None],
    call_value: Callable[[str, tuple[str, ...]], str | None],
) -> str | None:
    """`len(names)` of a package slice that never changes, or a call of a function of the
    package with arguments that fold (`keyOf(1)`)."""
    function = strip(call.child_by_field_name("function"))
    arguments = call.child_by_field_name("arguments")
    if function is not None and function.type == "selector_expression" and arguments is not None and arguments.type == "argument_list":
        package, name = strip(function.child_by_field_name("operand")), function.child_by_field_name("field")
        if package is None or name is None or package.type != "identifier" or any(a.type == "..." for a in arguments.children):
            return None
        folded_arguments = tuple(again(a) for a in children(arguments))
        if any(value is None for value in folded_arguments):
            return None
        # `strings.ToLower("A")`: `call_value` tells whether the name is the library's function
        return call_value(f"{text(package)}.{text(name)}", tuple(v for v in folded_arguments if v is not None))
    if function is None or function.type != "identifier" or arguments is None or arguments.type != "argument_list":
        return None
    passed = children(arguments)
    if text(function) == "len":
        only = strip(passed[0]) if len(passed) == 1 else None
        elements = slice_elements(text(only)) if only is not None and only.type == "identifier" else None
        return str(len(elements)) if elements is not None else None
    if any(a.type == "..." for a in arguments.children):
        return None
    folded = tuple(again(a) for a in passed)
    if any(value is None for value in folded):
        return None
    return call_value(text(function), tuple(v for v in folded if v is not None))


def _string(literal: str) -> str | None:
    """The value of a folded string literal (`"ab"`), when it is one of plain ASCII."""
    if len(literal) < 2 or not literal.startswith('"') or not literal.endswith('"') or not literal.isascii():
        return None
    return literal[1:-1]


def _spelled(value: str) -> str | None:
    """A string value as the folded literal that spells it (plain ASCII, nothing to escape)."""
    return f'"{value}"' if value.isascii() and '"' not in value and "\\" not in value and value.isprintable() else None


def spelled_key(value: bool | int | str) -> str | None:
    """A known integer or string value as the literal a key step spells it with (None for a
    boolean, or a string with anything to escape)."""
    if isinstance(value, bool):
        return None
    return str(value) if isinstance(value, int) else _spelled(value)


def _sprint(arguments: tuple[str, ...]) -> str | None:
    """`fmt.Sprint` of folded literals: operands side by side, a space between two operands
    when neither is a string."""
    out = ""
    for position, argument in enumerate(arguments):
        value = _string(argument)
        if value is None and not argument.isdigit():
            return None
        if position and value is None and _string(arguments[position - 1]) is None:
            out += " "
        out += value if value is not None else argument
    return _spelled(out)


MAX_REPEATED = 64  # the longest `strings.Repeat` result folded


def _repeat(arguments: tuple[str, ...]) -> str | None:
    value = _string(arguments[0])
    count = arguments[1]
    if value is None or not count.isdigit() or len(value) * int(count) > MAX_REPEATED:
        return None
    return _spelled(value * int(count))


def _one_string(function: Callable[[str], str]) -> Callable[[tuple[str, ...]], str | None]:
    def folded(arguments: tuple[str, ...]) -> str | None:
        value = _string(arguments[0]) if len(arguments) == 1 else None
        return _spelled(function(value)) if value is not None else None

    return folded


# Pure functions of the standard library that keys are built with, by import path and name,
# and their value for literal arguments (ASCII strings and non-negative integers, as folded):
# `strings.ToLower("A")` is the key `"a"`.
LIBRARY_FUNCTIONS: dict[tuple[str, str], Callable[[tuple[str, ...]], str | None]] = {
    ("strings", "ToLower"): _one_string(str.lower),
    ("strings", "ToUpper"): _one_string(str.upper),
    ("strings", "TrimSpace"): _one_string(lambda value: value.strip(" \t\n\r\v\f")),
    ("strings", "Repeat"): lambda arguments: _repeat(arguments) if len(arguments) == 2 else None,
    ("fmt", "Sprint"): _sprint,
    ("strconv", "Itoa"): lambda arguments: _spelled(arguments[0]) if len(arguments) == 1 and arguments[0].isdigit() else None,
}


def library_constant(import_path: str, name: str, arguments: tuple[str, ...]) -> str | None:
    """The literal a pure function of the standard library returns for literal arguments."""
    function = LIBRARY_FUNCTIONS.get((import_path, name))
    return function(arguments) if function is not None else None


def returned_constant(
    function: Node,
    arguments: tuple[str, ...],
    name_value: Callable[[str], str | None],
    slice_elements: Callable[[str], tuple[str, ...] | None],
    field_value: Callable[[str, str], str | None],
    call_value: Callable[[str, tuple[str, ...]], str | None],
) -> str | None:
    """The literal a function whose body is one `return <expression>` returns for the literal
    `arguments`: the expression folded with each parameter standing for its argument (the
    other names are the package's, as `name_value`, `slice_elements` and `field_value` give
    them). A function that does anything else before returning folds to nothing."""
    parameters = _parameter_names(function)
    body = function.child_by_field_name("body")
    statements = children(body) if body is not None else []
    if statements and statements[0].type == "statement_list":
        statements = children(statements[0])
    if parameters is None or len(parameters) != len(arguments) or len(statements) != 1 or statements[0].type != "return_statement":
        return None
    returned = children(statements[0])
    values = children(returned[0]) if len(returned) == 1 and returned[0].type == "expression_list" else returned
    if len(values) != 1:
        return None
    bound = dict(zip(parameters, arguments, strict=True))
    return fold(
        values[0],
        lambda name: bound[name] if name in bound else name_value(name),
        lambda name: None if name in bound else slice_elements(name),
        lambda name, field: None if name in bound else field_value(name, field),
        call_value,
    )


def _parameter_names(function: Node) -> list[str] | None:
    """The names of a function's parameters in order; None when one is unnamed or variadic."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return None
    names: list[str] = []
    for declaration in children(parameters):
        if declaration.type != "parameter_declaration":
            return None
        declared = declaration.children_by_field_name("name")
        if not declared:
            return None
        names.extend(text(name) for name in declared)
    return names


def literal_fields(value: Node | None) -> dict[str, str]:
    """The fields `T{A: "a", B: "b"}` (or `&T{...}`) sets to a literal, by name."""
    if value is not None and value.type == "unary_expression" and text(value).startswith("&"):
        value = value.child_by_field_name("operand")
    body = value.child_by_field_name("body") if value is not None and value.type == "composite_literal" else None
    found: dict[str, str] = {}
    for element in children(body) if body is not None else []:
        if element.type != "keyed_element":
            continue
        key, held = (_unwrapped(element.child_by_field_name(side)) for side in ("key", "value"))
        spelled = fold(held, lambda _name: None, lambda _name: None)
        if key is not None and key.type in ("field_identifier", "identifier") and spelled is not None:
            found[text(key)] = spelled
    return found


def _unwrapped(node: Node | None) -> Node | None:
    """The expression a `literal_element` holds (a key or value of a composite literal)."""
    if node is not None and node.type == "literal_element":
        inner = children(node)
        return inner[0] if len(inner) == 1 else None
    return node


def local_initialiser(declared: Node) -> Node | None:
    """The value a local is declared with (`key := "b"`, `var key = "b"`), one name to one
    value; None for any other declaration (a range variable, a parameter, `a, b := f()`)."""
    left = declared.parent
    if left is None or left.type != "expression_list":
        holder = left
        names = [declared]
    else:
        holder = left.parent
        names = children(left)
    if holder is None:
        return None
    if holder.type == "short_var_declaration":
        right = holder.child_by_field_name("right")
    elif holder.type == "var_spec":
        right = holder.child_by_field_name("value")
        names = holder.children_by_field_name("name")
    else:
        return None
    values = children(right) if right is not None else []
    if len(values) != len(names):
        return None
    for name, value in zip(names, values, strict=True):
        if name.start_byte == declared.start_byte:
            return value
    return None


def literal_elements(value: Node | None) -> tuple[str, ...] | None:
    """The elements of `[]string{"a", "b"}` (or `[...]T{...}`, `[2]T{...}`) when every one is
    a literal written without a key; None for anything else."""
    if value is None or value.type != "composite_literal":
        return None
    type_node = value.child_by_field_name("type")
    body = value.child_by_field_name("body")
    if type_node is None or body is None or type_node.type not in ("slice_type", "array_type", "implicit_length_array_type"):
        return None
    elements: list[str] = []
    for element in children(body):
        inner = children(element) if element.type == "literal_element" else [element]
        if element.type == "keyed_element" or len(inner) != 1:
            return None
        spelled = fold(inner[0], lambda _name: None, lambda _name: None)
        if spelled is None:
            return None
        elements.append(spelled)
    return tuple(elements)


def fields_only_read(uses: Iterable[Node]) -> bool:
    """Whether every use of a struct variable's name reads a field (`s.f`, not set, not
    addressed, not a method called: a method could set fields through a pointer receiver)."""
    return field_unchanged(uses, None)


def field_unchanged(uses: Iterable[Node], field: str | None) -> bool:
    """Whether no use of a struct variable's name can change its field `field` (every field,
    for None): every use selects a field (not set as a whole, not addressed, not handed on,
    no method called: a method could set fields through a pointer receiver) and `field`
    itself is only read."""
    for use in uses:
        parent = use.parent
        if parent is None or parent.type != "selector_expression" or parent.child_by_field_name("operand") != use:
            return False
        above = parent.parent
        if above is not None and above.type == "call_expression" and above.child_by_field_name("function") == parent:
            return False
        selected = parent.child_by_field_name("field")
        if (field is None or (selected is not None and text(selected) == field)) and not _read_only_place(parent):
            return False
    return True


def constructed_field(value: Node | None, field: str, own_fields: Callable[[str], tuple[FieldDecl, ...] | None]) -> str | None:
    """The literal field `field` holds in the struct `new(T)`, `&T{...}` or `T{...}` builds:
    the literal a keyed literal sets it to, or the zero value (`""`, `0`) of a field it leaves
    out; the element in the field's place of a positional literal. `own_fields` gives the
    fields struct `T` declares itself, in order (None when `T` is no struct of the package)."""
    value = strip(value)
    if value is not None and value.type == "unary_expression" and text(value).startswith("&"):
        value = strip(value.child_by_field_name("operand"))
    if value is None:
        return None
    if value.type == "call_expression":
        function, arguments = value.child_by_field_name("function"), value.child_by_field_name("arguments")
        built = children(arguments) if function is not None and text(function) == "new" and arguments is not None else []
        return _zero_literal(_own_type(own_fields(text(built[0])), field)) if len(built) == 1 else None
    type_node, body = value.child_by_field_name("type"), value.child_by_field_name("body")
    if value.type != "composite_literal" or type_node is None or body is None:
        return None
    fields = own_fields(text(type_node))
    elements = children(body)
    if elements and all(element.type != "keyed_element" for element in elements):
        # Positional: every field, in the order the struct declares them.
        names = [f.name for f in fields] if fields is not None else []
        if len(names) != len(elements) or field not in names:
            return None
        return fold(_unwrapped(elements[names.index(field)]), lambda _name: None, lambda _name: None)
    if any(element.type != "keyed_element" for element in elements):
        return None
    listed = {text(key) for key in (_unwrapped(e.child_by_field_name("key")) for e in elements) if key is not None}
    if field in listed:
        return literal_fields(value).get(field)
    return _zero_literal(_own_type(fields, field))


def declared_zero_field(declared: Node, field: str, own_fields: Callable[[str], tuple[FieldDecl, ...] | None]) -> str | None:
    """The zero value (`""`, `0`) field `field` holds in a struct variable declared without a
    value (`var s T`), as `T{}` would give it."""
    holder = declared.parent
    if holder is None or holder.type != "var_spec" or holder.child_by_field_name("value") is not None:
        return None
    type_node = holder.child_by_field_name("type")
    return _zero_literal(_own_type(own_fields(text(type_node)), field)) if type_node is not None else None


def _own_type(fields: tuple[FieldDecl, ...] | None, field: str) -> str | None:
    """The type of `field` among a struct's own fields (None when it is not one of them)."""
    return next((normalise(f.type_text) for f in fields or () if f.name == field), None)


def _zero_literal(type_text: str | None) -> str | None:
    """The zero value of a string or integer type, spelled as a key is."""
    zero = zero_of(type_text) if type_text else None
    return '""' if zero == "" else None if zero is None else str(zero)


def only_read(uses: Iterable[Node]) -> bool:
    """Whether every use of a slice's name reads an element (`s[i]`, not stored into, not
    addressed, not sliced), measures it (`len(s)`), ranges over it or compares it with nil
    (the only comparison a slice or a map has)."""
    for use in uses:
        parent = use.parent
        if parent is None:
            return False
        if parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
            if not _read_only_place(parent):
                return False
            continue
        if parent.type == "range_clause" and parent.child_by_field_name("right") == use:
            continue
        if parent.type == "binary_expression":
            continue
        call = parent.parent if parent.type == "argument_list" else None
        function = call.child_by_field_name("function") if call is not None else None
        if function is None or text(function) not in ("len", "cap"):
            return False
    return True


def map_only_read(uses: Iterable[Node]) -> bool:
    """Whether every use of a map's name reads an entry (`m[k]`, `m[a][b]`, not stored into,
    addressed or called a method on), measures it (`len(m)`), ranges over it or compares it
    with nil: the map keeps its keys (the maps it holds, read out, may be filled)."""
    for use in uses:
        parent = use.parent
        if parent is None:
            return False
        if parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
            element = parent
            while element.parent is not None and element.parent.type == "index_expression" and element.parent.child_by_field_name("operand") == element:
                element = element.parent
            above = element.parent
            if (above is not None and above.type == "selector_expression") or not _read_only_place(element):
                return False
        elif not only_read([use]):  # ranged over, measured
            return False
    return True


def keyed_stores(uses: Iterable[Node]) -> list[Node] | None:
    """The keys `k` of the entries `m[k] = v` (`m[k]++`, `m[k] += v`) that the uses of a map's
    name store, when every other use only reads (`map_only_read`); None when some use does
    more (hands the map on, sets the name, stores by a key of an entry's entry)."""
    keys: list[Node] = []
    for use in uses:
        parent = use.parent
        if parent is not None and parent.type == "index_expression" and parent.child_by_field_name("operand") == use and not _read_only_place(parent):
            index = strip(parent.child_by_field_name("index"))
            if index is None or _addressed(parent):
                return None
            keys.append(index)
        elif not map_only_read([use]):
            return None
    return keys


def _addressed(element: Node) -> bool:
    """Whether `&m[k]` (which does not compile for a map, but is no store either)."""
    parent = element.parent
    return parent is not None and parent.type == "unary_expression" and text(parent).startswith("&")


def keys_kept(uses: Iterable[Node]) -> bool:
    """Whether no use of a map (`m`, `g.f`) stores a key into it: each reads an entry (`m[k]`;
    `m[a][b] = v` stores into the inner map, not into `m`), measures it, ranges over it or
    compares it with nil."""
    for use in uses:
        parent = use.parent
        if parent is not None and parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
            above = parent.parent
            if above is not None and above.type == "index_expression" and above.child_by_field_name("operand") == parent:
                continue
            if not _read_only_place(parent):
                return False
        elif parent is None or (parent.type != "binary_expression" and not only_read([use])):
            return False
    return True


def is_returned(use: Node) -> bool:
    """Whether the name `use` is a value a `return` statement gives back (`return m`)."""
    parent = use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is not None and parent.type == "expression_list":
        parent = parent.parent
    return parent is not None and parent.type == "return_statement"


def _read_only_place(element: Node) -> bool:
    """Whether the element `s[i]` is read, not stored into or addressed."""
    node = element
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in ("inc_statement", "dec_statement"):
        return False
    if parent.type == "unary_expression" and text(parent).startswith("&"):
        return False
    if parent.type == "expression_list" and parent.parent is not None and parent.parent.type == "assignment_statement":
        return parent.parent.child_by_field_name("left") != parent
    return True


def map_literal_keys(body: Node | None, key_of: Callable[[Node], str]) -> frozenset[str] | None:
    """The constant keys of a map literal (named constants by their literals), or None when
    any key is not a constant."""
    keys = []
    for element in children(body) if body is not None else []:
        if element.type != "keyed_element":
            return None
        key = element.child_by_field_name("key")
        if key is not None and key.type == "literal_element" and key.named_child_count == 1:
            key = key.named_children[0]
        key_text = key_of(key) if key is not None else ""
        if not is_constant_key(key_text):
            return None
        keys.append(key_text)
    return frozenset(keys)
