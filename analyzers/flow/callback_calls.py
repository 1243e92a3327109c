"""Where a function calls a func-typed parameter it is given (syntax only).

`calls_of_callback` finds the calls of such a parameter in the function's body: the
parameter called (`modify(d)`), or a variable ranging over it called (`for _, fn := range
funcs { fn(d) }`); None when it is used in any other way (stored, handed on), so that it may
be called where nobody here sees. Shared by the same-package binding of func literals
(`callbacks`) and the summaries of other packages' helpers (`built_for_callbacks`).
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import children, identifiers_named
from analyzers.parsing import text


def calls_of_callback(body: Node, name: str, variadic: bool = False, forwards: list[Node] | None = None) -> list[Node] | None:
    """The calls of the func-typed parameter `name` in the callee's body: the parameter called
    (`modify(d)`), or a variable ranging over it called (`for _, fn := range funcs { fn(d) }`);
    for a variadic one (`opts ...func(*T)`), also an element called by its index (`for i :=
    range opts { opts[i](cm, s) }`) and its length taken. With `forwards`, the calls that hand
    the whole variadic list on (`build(t, opts...)`) are added there (their callee's calls
    decide). None when the parameter (or that variable) is used otherwise, where it may be
    called later."""
    if variadic and _misread_index_call(body, name):
        return None
    calls: list[Node] = []
    for use in identifiers_named(body, name):
        parent = use.parent
        if parent is not None and parent.type == "range_clause" and parent.child_by_field_name("right") == use:
            ranged = _calls_of_range_value(parent, variadic)
            if ranged is None:
                return None
            calls.extend(ranged)
        elif variadic and _indexed_call_or_length(use, calls):
            continue
        elif variadic and forwards is not None and _spread_argument(use, forwards):
            continue
        elif not _called_or_compared(use, calls):
            return None
    return calls


def _misread_index_call(body: Node, name: str) -> bool:
    """Whether `name[i](x)` occurs read as a conversion to the generic type `name[i]` (how
    tree-sitter reads an indexed call with one argument): a call nobody here would see."""
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "generic_type":
            head = node.named_children[0] if node.named_children else None
            if head is not None and text(head) == name:
                return True
        stack.extend(node.children)
    return False


def _indexed_call_or_length(use: Node, calls: list[Node]) -> bool:
    """`opts[i](cm, s)` (the call is added to `calls`) or `len(opts)`."""
    parent = use.parent
    if parent is None:
        return False
    if parent.type == "index_expression" and parent.child_by_field_name("operand") == use:
        call = parent.parent
        if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == parent:
            calls.append(call)
            return True
        return False
    call = parent.parent if parent.type == "argument_list" else None
    function = call.child_by_field_name("function") if call is not None else None
    return function is not None and text(function) == "len" and len(children(parent)) == 1


def _spread_argument(use: Node, forwards: list[Node]) -> bool:
    """`f(a, opts...)`: the list handed on whole, as the call's last argument (the call is added)."""
    spread = use.parent
    arguments = spread.parent if spread is not None and spread.type == "variadic_argument" else None
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    if call is None or arguments is None or call.type != "call_expression" or children(arguments)[-1] != spread:
        return False
    forwards.append(call)
    return True


def _calls_of_range_value(clause: Node, variadic: bool = False) -> list[Node] | None:
    """The calls of the value variable of `for _, fn := range funcs` in the loop's body. Over
    a variadic list a lone key is an index, whatever the body does with it (its indexed
    calls are found as uses of the list); over a func (an iterator, `for v := range seq`) it
    is what the func yields, and its uses are not known."""
    left = clause.child_by_field_name("left")
    loop = clause.parent
    names = children(left) if left is not None else []
    body = loop.child_by_field_name("body") if loop is not None else None
    if len(names) < 2:
        if variadic:
            return []
        return [] if not names or text(names[0]) == "_" or body is None or not identifiers_named(body, text(names[0])) else None
    if names[1].type != "identifier" or body is None:
        return None
    calls: list[Node] = []
    value = text(names[1])
    if value == "_":
        return []
    for use in identifiers_named(body, value):
        if not _called_or_compared(use, calls):
            return None
    return calls


def _called_or_compared(use: Node, calls: list[Node]) -> bool:
    """Whether `use` is called (the call is added to `calls`) or compared with nil."""
    child, parent = use, use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "call_expression" and parent.child_by_field_name("function") == child:
        calls.append(parent)
        return True
    operator = parent.child_by_field_name("operator") if parent.type == "binary_expression" else None
    if operator is not None and text(operator) in ("==", "!="):
        other = parent.child_by_field_name("right") if parent.child_by_field_name("left") == child else parent.child_by_field_name("left")
        return other is not None and other.type == "nil"
    return False
