"""Standard library functions that call the function they are handed before they return.

A closure handed to other code runs whenever that code decides: an HTTP handler when a
request comes, a goroutine's body later, a stored callback perhaps never. The functions below
are documented to call their function argument during the call itself (zero or more times,
as their input asks): `sort.Slice(xs, less)` compares while it sorts, `strings.Map` maps each
rune, `filepath.WalkDir` visits each entry. A map the closure writes is written by the call
that hands the closure over, as far as the input lets it run.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.syntax import strip
from analyzers.parsing import text

_FUNC_SUFFIXED = ("IndexFunc", "LastIndexFunc", "ContainsFunc", "FieldsFunc", "TrimFunc", "TrimLeftFunc", "TrimRightFunc")

_CALLS_NOW: dict[str, frozenset[str]] = {
    "sort": frozenset({"Slice", "SliceStable", "Search", "Find"}),
    "slices": frozenset(
        {
            "SortFunc", "SortStableFunc", "IndexFunc", "ContainsFunc", "DeleteFunc", "EqualFunc",
            "CompactFunc", "BinarySearchFunc", "MaxFunc", "MinFunc", "IsSortedFunc", "CompareFunc",
        }
    ),
    "maps": frozenset({"DeleteFunc", "EqualFunc"}),
    "strings": frozenset({"Map", *_FUNC_SUFFIXED}),
    "bytes": frozenset({"Map", *_FUNC_SUFFIXED}),
    "path/filepath": frozenset({"Walk", "WalkDir"}),
    "io/fs": frozenset({"WalkDir"}),
}


def calls_argument_now(literal: Node, imports: dict[str, str]) -> bool:
    """Whether the func literal `literal` is an argument of a standard library call that runs
    it before returning (`sort.Slice(xs, func(i, j int) bool {...})`), given the file's
    imports (local name to import path)."""
    arguments = literal.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    function = strip(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
    if function is None or function.type != "selector_expression":
        return False
    package = function.child_by_field_name("operand")
    name = function.child_by_field_name("field")
    if package is None or name is None or package.type != "identifier":
        return False
    return text(name) in _CALLS_NOW.get(imports.get(text(package), ""), frozenset())
