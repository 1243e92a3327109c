"""Second names of one pointer: `cp := store`, where neither name is ever pointed elsewhere.

`cp := store` copies a pointer: both names reach the same struct, so a field set through one
is set through the other. When neither name is given another pointer after the copy (no
assignment to the bare name, no `&cp` or `&store` that code could assign through), the two
stay the same pointer for as long as `cp` exists: every `cp.f` is `store.f`. A plain `cp = v`
or `store = v` later in the same block ends this: from there on `cp` is a pointer of its own
(to the struct both named until then, when `store` is the one pointed elsewhere). The engine then
follows `cp` as `store` itself, instead of forgetting what it knew of the fields (which a
second name that may be re-pointed requires). The same holds of `cp := g` for a package
pointer `g` that no code but init() assigns: every `cp.f` is `g.f`. And of `cp := all[1]`, an
element of a local collection at a constant key, when from there on no element of `all` is
set, nor `all` itself, and `all` is handed to nothing but `len`, `cap` and `range`: every
`cp.f` is `all[1].f`.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.constant_keys import only_read
from analyzers.flow.syntax import children, identifiers_named, strip
from analyzers.parsing import text

# Statements that give a bare name a new value.
_SETTERS = ("assignment_statement", "short_var_declaration", "range_clause", "inc_statement", "dec_statement")


def stays_same_pointer(func: Node, declaration: Node, copy: Node, original: Node) -> bool:
    """Whether `copy := original` (in `declaration`) makes two names of one pointer for the
    rest of `copy`'s life: `original` is a name, and neither name is set again, or has its
    address taken, anywhere in `func` after the declaration (a name set before it is set
    before the copy is made: a loop around both makes the copy again each round)."""
    original = strip(original)  # type: ignore[assignment]
    if original is None or original.type != "identifier" or copy.type != "identifier":
        return False
    names = {text(copy), text(original)}
    if len(names) != 2:
        return False
    ends = _repointings(declaration, text(copy), text(original))
    if _set_or_taken(func, names, declaration, declaration.end_byte, ends):
        return False
    if ends and _captured_or_jumped(func, names):
        return False
    # The copy is declared here: a setter of its name anywhere else (before too) is another variable's
    # only when shadowed, which a textual test cannot tell; it then keeps the copy unaliased.
    return not _set_or_taken(func, {text(copy)}, declaration, 0, ends)


def stays_same_element(func: Node, declaration: Node, copy: Node, element: Node) -> bool:
    """Whether `copy := X[k]` (in `declaration`) makes a second name of the pointer the element
    holds, for the rest of `copy`'s life: `X` is a name, `copy` is never set again nor has its
    address taken (as for `stays_same_pointer`), and from the declaration on no element of `X`
    is set, no `X` itself, and `X` is used only through its elements, `len`, `cap` and `range`
    (handed to other code, `X[k]` could be pointed elsewhere there)."""
    element = strip(element)  # type: ignore[assignment]
    collection = strip(element.child_by_field_name("operand")) if element is not None and element.type == "index_expression" else None
    if collection is None or collection.type != "identifier" or copy.type != "identifier" or text(copy) == text(collection):
        return False
    ends = _repointings(declaration, text(copy), text(collection))
    if ends and _captured_or_jumped(func, {text(copy)}):
        return False
    if _set_or_taken(func, {text(copy)}, declaration, 0, ends) or _set_or_taken(func, {text(collection)}, declaration, declaration.end_byte):
        return False
    # (elements read, `X[k].f = v` setting a field of what one points to, not the element)
    return only_read([use for use in identifiers_named(func, text(collection)) if use.start_byte >= declaration.end_byte])


def _repointings(declaration: Node, copy: str, original: str) -> frozenset[int]:
    """The statements (by id) after `declaration`, in its own block, that point `copy` or
    `original` (not both) elsewhere with a plain `=`: the copy is the original's second name
    until the first of them runs, and a pointer of its own from there on. In the same block,
    every path from the declaration reaches them in order, and a loop around them runs the
    declaration again each round."""
    found: set[int] = set()
    sibling = declaration.next_named_sibling
    while sibling is not None:
        operator = sibling.child_by_field_name("operator") if sibling.type == "assignment_statement" else None
        if operator is not None and text(operator) == "=" and _sets_bare(sibling, {copy}) != _sets_bare(sibling, {original}):
            found.add(sibling.id)
        sibling = sibling.next_named_sibling
    return frozenset(found)


def _captured_or_jumped(func: Node, names: set[str]) -> bool:
    """Whether a func literal of `func` names one of `names`, or `func` has a `goto`: either
    may use them out of the block's order (a closure called after the copy is pointed elsewhere)."""
    stack = [func]
    while stack:
        node = stack.pop()
        if node.type == "goto_statement":
            return True
        if node.type == "func_literal" and node.id != func.id and any(identifiers_named(node, name) for name in names):
            return True
        stack.extend(node.named_children)
    return False


def _set_or_taken(func: Node, names: set[str], declaration: Node, after: int, ends: frozenset[int] = frozenset()) -> bool:
    """Whether any of `names` is set as a bare name, or has its address taken, in `func` at or
    after the byte `after` (the declaration itself, and the statements `ends` that end the
    second name, aside)."""
    stack = [func]
    while stack:
        node = stack.pop()
        if node.end_byte <= after or node.id == declaration.id:
            continue
        if node.type in _SETTERS and node.start_byte >= after and node.id not in ends and _sets_bare(node, names):
            return True
        if node.type == "unary_expression" and text(node).startswith("&") and node.start_byte >= after:
            operand = strip(node.child_by_field_name("operand"))
            if operand is not None and operand.type == "identifier" and text(operand) in names:
                return True
        stack.extend(node.named_children)
    return False


def _sets_bare(statement: Node, names: set[str]) -> bool:
    """Whether a statement assigns one of `names` itself (`p = q`, `p, err := f()`, `for _, p = range`)."""
    left = statement.child_by_field_name("left")
    if left is None:
        left = children(statement)[0] if children(statement) else None
    if left is None:
        return False
    targets = children(left) if left.type == "expression_list" else [left]
    return any((target := strip(t)) is not None and target.type == "identifier" and text(target) in names for t in targets)


def second_name_declared(use: Node) -> tuple[Node, Node] | None:
    """(the declaration, the new name) when `use` is the whole right side of `cp := use` that
    declares one name."""
    right = use.parent
    declaration = right.parent if right is not None and right.type == "expression_list" else None
    if right is None or declaration is None or declaration.type != "short_var_declaration" or len(children(right)) != 1:
        return None
    if declaration.child_by_field_name("right") != right:
        return None
    left = declaration.child_by_field_name("left")
    names = children(left) if left is not None else []
    return (declaration, names[0]) if len(names) == 1 and names[0].type == "identifier" else None
