"""The values of const declarations, iota included, as Go gives them."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from tree_sitter import Node

from analyzers.const_values import const_types, const_values
from analyzers.parsing import parse


def _read(source: str, read: Callable[[Node], dict[str, str]]) -> dict[str, str]:
    """What `read` gives of each const declaration of `source`, merged."""
    tree = parse(f"package p\n\n{source}\n".encode())
    found: dict[str, str] = {}
    for node in tree.root_node.named_children:
        if node.type == "const_declaration":
            found.update(read(node))
    return found


def _values(source: str) -> dict[str, str]:
    return _read(source, const_values)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Each spec of a group is its index as iota; a spec without values repeats the last list.
        ("const (\n\tA Kind = iota\n\tB\n\tC\n)", {"A": "0", "B": "1", "C": "2"}),
        ("const (\n\t_ = iota\n\tKB = 1 << (10 * iota)\n\tMB\n)", {"KB": "1024", "MB": "1048576"}),
        ("const (\n\tA = iota + 1\n\t_\n\tC\n)", {"A": "1", "C": "3"}),
        ("const (\n\tA = 5\n\tB\n)", {"A": "5", "B": "5"}),
        ("const (\n\tX = -(iota + 1)\n\tY\n)", {"X": "-1", "Y": "-2"}),
        ("const (\n\tA = 2\n\tB = A * 3\n)", {"A": "2", "B": "6"}),
        # Several names in one spec; a raw string with nothing to escape is spelt as interpreted.
        ('const G, H = "x", `y`', {"G": '"x"', "H": '"y"'}),
        ("const R = 'r'", {"R": "'r'"}),
        # What does not fold is left out: calls, floats, other packages' names, a list that does
        # not match the names.
        ("const (\n\tA = float64(2)\n\tB = time.Second\n\tC, D = 1\n)", {}),
        ("const A = 1 / iota", {}),
    ],
)
def test_const_values(source: str, expected: dict[str, str]) -> None:
    assert _values(source) == expected


def _types(source: str) -> dict[str, str]:
    return _read(source, const_types)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # A spec without values repeats the type of the last spec with values, as its list.
        ("const (\n\tA Kind = iota\n\tB\n\t_\n\tC\n)", {"A": "Kind", "B": "Kind", "C": "Kind"}),
        # A spec with values and no type starts an untyped run.
        ("const (\n\tA Kind = iota\n\tB = 7\n\tC\n)", {"A": "Kind"}),
        ('const (\n\tX, Y Mode = "x", "y"\n)', {"X": "Mode", "Y": "Mode"}),
        ("const Z = 1", {}),
    ],
)
def test_const_types(source: str, expected: dict[str, str]) -> None:
    assert _types(source) == expected


@pytest.mark.parametrize("operand", ["1", '"x"'])
def test_a_long_chain_folds_without_recursing_its_length(operand: str) -> None:
    # Binary operators group to the left: 5,000 terms nest 5,000 deep (generated code has such
    # constants), past Python's recursion limit if the chain were walked by recursion.
    chain = " + ".join([operand] * 5000)
    expected = {"N": "5000"} if operand == "1" else {}
    assert _values(f"const N = {chain}") == expected
