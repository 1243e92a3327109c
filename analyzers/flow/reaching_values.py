"""The value a local holds where it is used, from the assignment every path there takes last.

`key := "b"; ...; key = "c"; m[key][k] = v` writes the inner map under "c": the key is the
value of the last plain assignment of `key` on every path to the use. Walking back from the
use through the statements before it, block by block, the first statement that sets the name
decides: a plain `key = expr` (or the declaration `key := expr`) gives `expr`; anything else
that may set it (a `++`, `&key`, a multi-value call, a nested branch or loop assigning it) leaves
the value unknown. A loop around the use that sets the name anywhere may have set it in an
earlier round, a closure may run at any time, a `goto` may enter a block in the middle: each
leaves the value unknown too. An `if` or `switch` around the use runs only its header before
the branch the use is in (the other branches do not run on the way).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import called_where_written, children, strip
from analyzers.flow.syntax_index import SyntaxIndex
from analyzers.parsing import text

# Statement sequences: the use's statement and the ones run before it, in order.
_SEQUENCES = ("statement_list", "expression_case", "default_case", "type_case", "communication_case", "block")
_LOOPS = ("for_statement",)
_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")
# Statements looked back over in one block: past them, the value is taken to be unknown.
MAX_STATEMENTS_BACK = 64
# Parts of a branching statement that run before the branch holding the use.
_HEADERS = ("initializer", "value", "condition", "communication")


def set_out_of_order(func: Node, name: str, syntax: SyntaxIndex) -> bool:
    """Whether `func` may set `name` out of its statements' order: a closure sets it (it may run
    between any two statements), or a `goto` may enter a block in the middle. Asked once per
    name of a function (`reaching_value` takes it as given)."""
    if syntax.has_goto(func):
        return True
    closures = (node for node in syntax.closures_and_defers(func) if node.type == "func_literal" and node.id != func.id)
    return any(_sets(name, closure) for closure in closures)


def reaching_value(func: Node, use: Node, name: str) -> Node | None:
    """The expression the local `name`, used at `use` in `func`, was last assigned on every
    path to the use; None when that is not one expression the code spells before it. The
    caller has found that `func` sets `name` in order only (`set_out_of_order`)."""
    node = use
    while node.parent is not None and node.parent.type not in _FUNCTIONS:
        parent = node.parent
        if parent.type in _LOOPS and _sets(name, parent):
            return None  # an earlier round may have set it
        if parent.type in _SEQUENCES:
            found, decided = _last_assignment_before(parent, node, name)
            if decided:
                return found
        elif any(_sets(name, part) for part in _header_parts(parent) if part.end_byte <= node.start_byte):
            return None
        node = parent
    # No statement before the use sets it (a parameter), or the use is in a closure, where the
    # enclosing function's locals hold what they hold when it is called.
    return None


def _last_assignment_before(sequence: Node, child: Node, name: str) -> tuple[Node | None, bool]:
    """(the value, True) of the statement of `sequence` before `child` that sets `name` last, when
    one does: its plain value, or None when it sets it otherwise; (None, False) when none does.
    Past `MAX_STATEMENTS_BACK` statements the value is unknown too: the walk stays in proportion
    to the code around the use, not to the function."""
    statement = child.prev_named_sibling
    for _ in range(MAX_STATEMENTS_BACK):
        if statement is None:
            return None, False
        if statement.type != "comment" and _sets(name, statement):
            return _plain_value(_unlabelled(statement), name), True
        statement = statement.prev_named_sibling
    return None, True


def _plain_value(statement: Node, name: str) -> Node | None:
    """`expr` of `name = expr`, `name := expr` or `var name = expr` (one value for each name on
    the left), else None."""
    if statement.type == "var_declaration":
        specs = [spec for spec in statement.named_children if spec.type == "var_spec"]
        spec = next((spec for spec in specs if any(n.text == name.encode() for n in spec.children_by_field_name("name"))), None)
        value = spec.child_by_field_name("value") if spec is not None else None
        names = spec.children_by_field_name("name") if spec is not None else []
        values = children(value) if value is not None else []
        if len(names) != len(values):
            return None  # (`var key string`: its zero value, left to the declaration's own rules)
        return next((v for n, v in zip(names, values, strict=True) if n.text == name.encode()), None)
    if statement.type == "assignment_statement":
        operator = statement.child_by_field_name("operator")
        if operator is None or text(operator) != "=":
            return None
    elif statement.type != "short_var_declaration":
        return None
    left, right = statement.child_by_field_name("left"), statement.child_by_field_name("right")
    targets = children(left) if left is not None else []
    values = children(right) if right is not None else []
    if len(targets) != len(values):
        return None
    for target, value in zip(targets, values, strict=True):
        if (bare := strip(target)) is not None and bare.type == "identifier" and text(bare) == name:
            return value
    return None


# Nodes whose `left` names the variables they set.
_SETTING = ("assignment_statement", "short_var_declaration", "range_clause", "receive_statement")


def _sets(name: str, node: Node) -> bool:
    """Whether anything under `node` may set the variable `name`: an assignment (`op=` too),
    a declaration (one of another scope is taken to be it), `++`, a range or receive clause,
    or `&name`, through which code may set it."""
    wanted = name.encode()
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in _SETTING:
            left = current.child_by_field_name("left")
            targets = children(left) if left is not None and left.type == "expression_list" else [left] if left is not None else []
            if any((bare := strip(t)) is not None and bare.type == "identifier" and bare.text == wanted for t in targets):
                return True
        elif kind in ("inc_statement", "dec_statement"):
            operand = strip(current.named_children[0]) if current.named_children else None
            if operand is not None and operand.type == "identifier" and operand.text == wanted:
                return True
        elif kind == "var_spec":
            if any(n.text == wanted for n in current.children_by_field_name("name")):
                return True
        elif kind == "unary_expression" and (current.text or b"").startswith(b"&"):
            operand = strip(current.child_by_field_name("operand"))
            if operand is not None and operand.type == "identifier" and operand.text == wanted:
                return True
        stack.extend(current.named_children)
    return False


def _unlabelled(statement: Node) -> Node:
    while statement.type == "labeled_statement" and statement.named_children:
        statement = statement.named_children[-1]
    return statement


def _header_parts(statement: Node) -> list[Node]:
    parts = [statement.child_by_field_name(field) for field in _HEADERS]
    return [part for part in parts if part is not None]


def may_run_before(node: Node, at: Node, func: Node, syntax: SyntaxIndex) -> bool:
    """Whether `node` of `func` may run before `at` does: it comes first in the text, or a loop
    around `at` holds it (an earlier round), or the order is not the text's: `at` is in a
    closure (which may run at any time, unless it is called where it is written) or a `goto`
    may jump back."""
    if node.start_byte < at.start_byte or syntax.has_goto(func):
        return True
    around = at.parent
    while around is not None and around.id != func.id:
        if around.type in _FUNCTIONS and not called_where_written(around):
            return True
        if around.type in _LOOPS and around.start_byte <= node.start_byte < around.end_byte:
            return True
        around = around.parent
    return False
