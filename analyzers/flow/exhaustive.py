"""Switches that list every constant of their tag's type: no value is left for "no case".

`switch jsx { case JSXImportJSX: ... case JSXImportFragment: ... }` over a `JSXImport`,
whose package declares exactly those constants, is how Go code spells an enum's cases. A
value of the type that is none of its constants can be made (a conversion of any integer),
but code that lists every constant has said it handles every value the package makes, and a
map left nil on the path where no case matched is nil on a path the code does not have. The
zero value must be one of the constants too: a field or variable never set holds it, and a
switch that does not list it does leave it to "no case" (`const ( A Kind = iota + 1; B )`).

Only named types of the package, whose constants all fold to literals, are read: the zero
value of another package's type, or a constant whose value is a call, cannot be told.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.index import PackageIndex
from analyzers.parsing import text

_STRINGS = ("string",)


def lists_every_constant(package: PackageIndex, type_name: str, cases: list[Node]) -> bool:
    """Whether the values of `cases` (the `expression_case` nodes of a switch on a value of
    `type_name`) name every constant the package declares of that type, the zero value's
    among them."""
    if not type_name.isidentifier():
        return False
    constants = package.constants_of_type(type_name)
    if not constants or any(value is None for value in constants.values()):
        return False
    zero = '""' if package.named_types.get(type_name, "").strip() in _STRINGS else "0"
    if zero not in constants.values():
        return False
    listed: set[str] = set()
    for case in cases:
        values = case.child_by_field_name("value")
        for value in values.named_children if values is not None else []:
            listed.add(text(value))
    return set(constants) <= listed
