"""Questions about Go syntax trees that the flow analysis asks everywhere.

Pure functions of tree-sitter nodes: no environment, no package facts.
"""
from __future__ import annotations

from typing import TypeGuard

from tree_sitter import Node, QueryCursor

from analyzers.flow.decoded import is_decoder_call
from analyzers.parsing import text
from analyzers.queries import load

STATEMENT_TYPES = frozenset(
    {
        "expression_statement", "assignment_statement", "short_var_declaration", "inc_statement",
        "dec_statement", "send_statement", "return_statement", "go_statement", "defer_statement",
        "var_declaration", "if_statement", "for_statement", "expression_switch_statement",
        "type_switch_statement", "select_statement", "labeled_statement",
    }
)

# Calls after which the statement's path does not go on.
TERMINATING_CALLS = frozenset(
    {
        "panic", "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "t.Fatal", "t.Fatalf",
        "t.FailNow", "t.Skip", "t.Skipf", "b.Fatal", "b.Fatalf", "b.Skip", "b.Skipf", "runtime.Goexit",
    }
)


def children(node: Node) -> list[Node]:
    """Named children without comments."""
    return [c for c in node.named_children if c.type != "comment"]


def strip(node: Node | None) -> Node | None:
    """The expression inside any parentheses."""
    while node is not None and node.type == "parenthesized_expression":
        inner = children(node)
        node = inner[0] if inner else None
    return node


# tree-sitter-go reads `m[a.B][c.D]` (two keys that look like qualified type names) as a generic
# type instantiated with types: `(type_instantiation_expression type: (generic_type m [a.B]) c.D)`.
# These node kinds are the same index expressions to the analysis.
INDEX_KINDS = frozenset({"index_expression", "type_instantiation_expression", "generic_type"})


def is_index(node: Node | None) -> TypeGuard[Node]:
    return node is not None and node.type in INDEX_KINDS and index_parts(node) is not None


def index_parts(node: Node) -> tuple[Node, Node] | None:
    """(operand, key) of `m[k]`, however tree-sitter read it; None when it is no index."""
    if node.type == "index_expression":
        operand, key = node.child_by_field_name("operand"), node.child_by_field_name("index")
    elif node.type == "type_instantiation_expression":
        operand = node.child_by_field_name("type")
        keys = [c for c in children(node) if operand is None or c.id != operand.id]
        key = keys[0] if len(keys) == 1 else None
    elif node.type == "generic_type":
        operand = node.child_by_field_name("type")
        arguments = node.child_by_field_name("type_arguments")
        elements = children(arguments) if arguments is not None else []
        key = children(elements[0])[0] if len(elements) == 1 and children(elements[0]) else None
    else:
        return None
    return (operand, key) if operand is not None and key is not None else None


def is_address_of(node: Node | None) -> bool:
    """`&x`."""
    return node is not None and node.type == "unary_expression" and text(node).startswith("&")


def operand(node: Node) -> Node | None:
    """The operand of a unary, selector or index expression, without parentheses."""
    return strip(node.child_by_field_name("operand"))


def arguments_of(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    return children(arguments) if arguments is not None else []


def statements(block: Node) -> list[Node]:
    """The statements of a block, with its statement list flattened."""
    out = []
    for child in children(block):
        if child.type == "statement_list":
            out.extend(children(child))
        else:
            out.append(child)
    return out


def enclosing_statement(node: Node) -> Node:
    """The statement of a block that holds `node` (where a guard before it would go)."""
    current: Node | None = node
    while current is not None:
        parent = current.parent
        if current.type in STATEMENT_TYPES and parent is not None and parent.type in ("statement_list", "block"):
            return current
        current = parent
    return node


def is_panic_or_exit(statement: Node) -> bool:
    """An expression statement calling `panic`, `os.Exit`, `log.Fatal`, `t.Fatal`, ..."""
    call = strip(children(statement)[0]) if children(statement) else None
    if call is None or call.type != "call_expression":
        return False
    function = call.child_by_field_name("function")
    return function is not None and text(function) in TERMINATING_CALLS


def never_returns(func: Node) -> bool:
    """A function or method none of whose paths comes back: its body holds no `return`
    (its func literals aside) and ends in a `panic`, `os.Exit`, `log.Fatal`, ... statement,
    which every path that does not stop earlier reaches."""
    if func.type not in ("function_declaration", "method_declaration"):
        return False
    body = func.child_by_field_name("body")
    if body is None:
        return False
    listed = statements(body)
    if not listed or listed[-1].type != "expression_statement" or not is_panic_or_exit(listed[-1]):
        return False
    return not any(node.type == "return_statement" for node in _outside_literals(body))


def _outside_literals(node: Node) -> list[Node]:
    """The nodes under `node` that are not inside a func literal."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(c for c in current.named_children if c.type != "func_literal")
    return found


def root_name(node: Node | None, through_index: bool) -> str:
    """The variable at the root of `a.b[c].d` (`a`), or "" (through an index only if asked)."""
    node = strip(node)
    while node is not None and node.type in ("selector_expression", "unary_expression", "qualified_type", *INDEX_KINDS):
        if node.type in INDEX_KINDS:
            if not through_index:
                return ""
            parts = index_parts(node)
            node = strip(parts[0]) if parts is not None else None
        elif node.type == "qualified_type":
            node = node.child_by_field_name("package")
        else:
            node = strip(node.child_by_field_name("operand"))
    if node is not None and node.type in ("identifier", "type_identifier", "package_identifier"):
        return text(node)
    return ""


def assigned_names(node: Node, include_calls: bool = False, skip: Node | None = None) -> set[str]:
    """Root names assigned (or address-taken) anywhere under `node` but under `skip`; with
    `include_calls`, also the roots of method receivers and arguments of calls, which the
    callee may change."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if skip is not None and current.start_byte == skip.start_byte and current.end_byte == skip.end_byte and current.type == skip.type:
            continue
        kind = current.type
        if kind == "assignment_statement":
            left = current.child_by_field_name("left")
            for target in children(left) if left is not None else []:
                root = root_name(target, through_index=False)
                if root:
                    names.add(root)
        elif kind == "unary_expression" and text(current).startswith("&"):
            root = root_name(current.child_by_field_name("operand"), through_index=True)
            if root:
                names.add(root)
        elif kind == "call_expression" and include_calls and not inert_builtin(current):
            function = strip(current.child_by_field_name("function"))
            if function is not None and function.type == "selector_expression":
                root = root_name(function.child_by_field_name("operand"), through_index=True)
                if root:
                    names.add(root)
            for arg in arguments_of(current):
                root = root_name(arg, through_index=True)
                if root:
                    names.add(root)
        stack.extend(current.named_children)
    return names


def stored_targets(node: Node) -> list[Node]:
    """The targets of every `x = v`, `x op= v`, `x++` under `node` (`m[k]`, `s.f`, `*p`, `v`)."""
    found: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        targets: list[Node] = []
        if current.type == "assignment_statement":
            left = current.child_by_field_name("left")
            targets = children(left) if left is not None else []
        elif current.type in ("inc_statement", "dec_statement"):
            targets = children(current)[:1]
        found.extend(target for target in (strip(t) for t in targets) if target is not None)
        stack.extend(current.named_children)
    return found


# Builtins that change neither the variables they are handed nor what those hold.
_INERT_BUILTINS = frozenset({"len", "cap", "print", "println", "min", "max"})


_BUILTINS = frozenset({"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min", "new", "panic", "print", "println", "real", "recover"})


def is_builtin_call(call: Node) -> bool:
    """A call of a builtin (`len`, `make`, `append`, ...), which sets no variable (as written
    here: a local function of the same name is not told apart)."""
    function = call.child_by_field_name("function")
    return function is not None and function.type == "identifier" and text(function) in _BUILTINS


def calls_under(node: Node) -> list[Node]:
    """Every call expression under `node`, closures' bodies included."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.type == "call_expression":
            found.append(current)
        stack.extend(current.named_children)
    return found


def inert_builtin(call: Node) -> bool:
    function = call.child_by_field_name("function")
    return function is not None and function.type == "identifier" and text(function) in _INERT_BUILTINS


def identifiers_named(node: Node, name: str) -> list[Node]:
    """Every identifier `name` under `node`."""
    wanted = name.encode()
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and current.text == wanted:
            found.append(current)
        stack.extend(current.children)
    return found


def mentioned_names(node: Node) -> set[str]:
    """Every identifier under `node` (`node` itself included), found by a query: asked of
    every function's body, a walk of each node in Python cost more than the rest of the
    question."""
    return {text(name) for name in QueryCursor(load("identifiers")).captures(node).get("name", ())}


def len_operand(node: Node | None) -> Node | None:
    """x of `len(x)`, or of `x.Len()`: the element count, as Go's collections (`reflect.Value`,
    `sort.Interface`, `container/list`, `bytes.Buffer`) define the method."""
    if node is None or node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    if function is None or node.child_by_field_name("arguments") is None:
        return None
    args = arguments_of(node)
    if function.type == "selector_expression" and not args:
        field = function.child_by_field_name("field")
        return function.child_by_field_name("operand") if field is not None and text(field) == "Len" else None
    if text(function) != "len":
        return None
    return strip(args[0]) if len(args) == 1 else None


def declaring_spec(name_node: Node) -> Node | None:
    """The `x := ...` or `var x ...` that declares the identifier `name_node`, else None."""
    spec = name_node.parent
    if spec is not None and spec.type == "expression_list":
        spec = spec.parent
    return spec if spec is not None and spec.type in ("short_var_declaration", "var_spec") else None


def declared_value(name_node: Node) -> Node | None:
    """The value given to the variable declared at `name_node` (`x := v`, `var x = v`), else None."""
    spec = declaring_spec(name_node)
    if spec is None:
        return None
    value = spec.child_by_field_name("value") if spec.type == "var_spec" else spec.child_by_field_name("right")
    if value is None:
        return None
    values = children(value) if value.type == "expression_list" else [value]
    left = spec.child_by_field_name("left")
    names = spec.children_by_field_name("name") if spec.type == "var_spec" else (children(left) if left is not None else [])
    index = next((i for i, n in enumerate(names) if n.start_byte == name_node.start_byte), -1)
    return values[index] if 0 <= index < len(values) and len(values) == len(names) else None


def nil_compared(cond: Node | None, operator: str) -> Node | None:
    """`x` of a condition `x op nil` (or `nil op x`), else None."""
    cond = strip(cond)
    if cond is None or cond.type != "binary_expression":
        return None
    found = cond.child_by_field_name("operator")
    if found is None or text(found) != operator:
        return None
    left, right = strip(cond.child_by_field_name("left")), strip(cond.child_by_field_name("right"))
    if right is not None and right.type == "nil":
        return left
    if left is not None and left.type == "nil":
        return right
    return None


def has_named_results(func: Node) -> bool:
    result = func.child_by_field_name("result")
    if result is None or result.type != "parameter_list":
        return False
    return any(d.child_by_field_name("name") is not None for d in result.named_children)


def is_init(func: Node) -> bool:
    name = func.child_by_field_name("name")
    return func.type == "function_declaration" and name is not None and text(name) == "init"


def function_name(node: Node) -> str:
    """`name`, or `(r *T).name` for a method: for logs."""
    name = node.child_by_field_name("name")
    if node.type == "method_declaration":
        receiver = node.child_by_field_name("receiver")
        return f"{text(receiver) if receiver is not None else ''}.{text(name) if name is not None else ''}"
    return text(name) if name is not None else ""


def decode_target_types(func: Node) -> list[str]:
    """The declared types of what a function hands to decoders (`json.Unmarshal(data, &cfg)`,
    `dec.Decode(&x)`, `c.Get(ctx, key, obj)`), as far as its own declarations tell: a local's or
    parameter's type, or `.T.f` for a field `f` of a variable of type `T`."""
    declared = _declared_types(func)
    found = []
    stack = [func]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type != "call_expression":
            continue
        function = strip(node.child_by_field_name("function"))
        if function is None or function.type != "selector_expression":
            continue
        if not is_decoder_call(text(function.child_by_field_name("field") or function)):
            continue
        for arg in arguments_of(node):
            target = strip(arg)
            if is_address_of(target):
                target = strip(target.child_by_field_name("operand"))  # type: ignore[union-attr]
            if target is None:
                continue
            if target.type == "identifier" and text(target) in declared:
                found.append(declared[text(target)])
            elif target.type == "selector_expression":
                owner = strip(target.child_by_field_name("operand"))
                field = target.child_by_field_name("field")
                if owner is not None and owner.type == "identifier" and text(owner) in declared and field is not None:
                    found.append(f".{declared[text(owner)].lstrip('*')}.{text(field)}")
    return found


def _declared_types(func: Node) -> dict[str, str]:
    """Names declared in a function (receiver, parameters, locals) with the type their
    declaration shows: `var x T`, `x := T{}`, `x := &T{}`, `x := new(T)`, `x := make(T)`."""
    types: dict[str, str] = {}
    stack = [func]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type in ("parameter_declaration", "var_spec"):
            type_node = node.child_by_field_name("type")
            if type_node is not None:
                for name in node.children_by_field_name("name"):
                    types[text(name)] = text(type_node)
        elif node.type == "short_var_declaration":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            names = children(left) if left is not None else []
            values = children(right) if right is not None else []
            for name, value in zip(names, values, strict=True) if len(names) == len(values) else []:
                shown = _shown_type(strip(value))
                if name.type == "identifier" and shown:
                    types[text(name)] = shown
    return types


def _shown_type(value: Node | None) -> str:
    if value is None:
        return ""
    if value.type == "composite_literal":
        return text(value.child_by_field_name("type") or value)
    if is_address_of(value):
        inner = _shown_type(strip(value.child_by_field_name("operand")))
        return "*" + inner if inner else ""
    if value.type == "call_expression" and text(value.child_by_field_name("function") or value) in ("new", "make"):
        args = arguments_of(value)
        return ("*" if text(value.child_by_field_name("function") or value) == "new" else "") + text(args[0]) if args else ""
    return ""


def address_taken_names(node: Node) -> set[str]:
    """Root names whose address is taken anywhere under `node` (`&x`, `&x.f`)."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "unary_expression" and text(current).startswith("&"):
            root = root_name(current.child_by_field_name("operand"), through_index=True)
            if root:
                names.add(root)
        stack.extend(current.named_children)
    return names


def descendants(node: Node) -> list[Node]:
    """Every node under `node`, itself included, anonymous ones too."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found


def nodes_of_type(node: Node, kinds: tuple[str, ...]) -> list[Node]:
    """Every node under `node` (itself included) of one of `kinds`."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.type in kinds:
            found.append(current)
        stack.extend(current.named_children)
    return found


# Statements that can end the run of the statements after them (a label: a jump target).
_LEAVING = frozenset({"continue_statement", "break_statement", "goto_statement", "return_statement", "labeled_statement"})


def may_leave(statement: Node) -> bool:
    """Whether running `statement` may skip the statements after it: a jump in it, or a label
    to jump to; jumps inside a function literal are the literal's own."""
    return any(n.type in _LEAVING and not inside_literal(n, statement) for n in descendants(statement))


def selection(node: Node | None) -> tuple[Node | None, list[str]]:
    """`x.f.g` as its operand below the selectors (`x`, parentheses stripped) and the fields
    selected in order (`["f", "g"]`); a node that selects nothing is its own operand."""
    fields: list[str] = []
    while node is not None and node.type == "selector_expression":
        field = node.child_by_field_name("field")
        fields.insert(0, text(field) if field is not None else "")
        node = strip(node.child_by_field_name("operand"))
    return node, fields


def called_where_written(literal: Node) -> bool:
    """Whether a func literal is called where it stands (`func() { ... }()`, not under `go` or
    `defer`): its body runs there, between the statements around it."""
    call = literal.parent
    if literal.type != "func_literal" or call is None or call.type != "call_expression" or call.child_by_field_name("function") != literal:
        return False
    return call.parent is None or call.parent.type not in ("go_statement", "defer_statement")


def inside_literal(node: Node, top: Node) -> bool:
    """Whether `node` is inside a function literal within `top`."""
    current = node.parent
    while current is not None and current != top:
        if current.type == "func_literal":
            return True
        current = current.parent
    return False


def make_length(made: Node | None) -> str | None:
    """The length argument's text of `make([]T, n)`, else None."""
    made = strip(made)
    function = made.child_by_field_name("function") if made is not None and made.type == "call_expression" else None
    if made is None or function is None or text(function) != "make":
        return None
    arguments = arguments_of(made)
    return text(arguments[1]) if len(arguments) >= 2 else None
