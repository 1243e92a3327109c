"""Scanning for the matches around a name (`gotext.matches_before_name`) finds exactly what
`finditer` over the whole text finds, on random Go-like text and names; a value list splits at its own commas."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers.flow.prefilter import _ASSIGNED_AFTER_NAME
from analyzers.gotext import matches_before_name, split_top_level
from analyzers.gotext import name as name_pattern

# The shapes the prefilter asks about: `var` lists and assignments, with their right sides.
SHAPES = (
    lambda name: rb"\bvar\s+(?:[\w\x80-\xff]+\s*,\s*)*" + name,
    lambda name: rb"(?:^|[\s,(;])(?:[\w\x80-\xff]+\s*,\s*)*" + name + rb"\s*(?:,\s*[\w\x80-\xff]+\s*)*:?=(?!=)\s*([^\n]*)",
)
PIECES = st.sampled_from(
    [b"m", b"mm", b"am", b"m2", b"x", b"var", b" ", b"\t", b"\n", b",", b"(", b";", b":=", b"=", b"==", b"[k]", b"make(map[string]int)",
     b"nil", b"{", b"}", b".", b"\xe6\x98\xa0", b"_", b"0"]
)
NAMES = st.sampled_from(["m", "mm", "x", "var", "a_1", "\u6620"])


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=40), NAMES, st.sampled_from(SHAPES))
def test_same_matches_as_finditer(pieces: list[bytes], identifier: str, shape) -> None:
    source = b"".join(pieces)
    pattern = re.compile(shape(name_pattern(identifier)))
    expected = [(m.span(), m.groups()) for m in pattern.finditer(source)]
    assert [(m.span(), m.groups()) for m in matches_before_name(pattern, source, identifier)] == expected


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=40), NAMES)
def test_same_assignments_when_only_names_followed_by_one_are_tried(pieces: list[bytes], identifier: str) -> None:
    """The prefilter tries only the occurrences followed by `,`, `:` or `=` (`m[k] = v` is no
    assignment of `m`): the matches are still `finditer`'s."""
    source = b"".join(pieces)
    pattern = re.compile(SHAPES[1](name_pattern(identifier)))
    expected = [(m.span(), m.groups()) for m in pattern.finditer(source)]
    assert [(m.span(), m.groups()) for m in matches_before_name(pattern, source, identifier, _ASSIGNED_AFTER_NAME)] == expected


def test_a_long_text_with_many_names() -> None:
    """Hundreds of assignments, each name asked about: every right side is found."""
    source = b"".join(b"\tinner%d := make(map[int]bool)\n\tinner%d[%d] = true\n" % (i, i, i) for i in range(300))
    for i in (0, 150, 299):
        pattern = re.compile(SHAPES[1](name_pattern(f"inner{i}")))
        found = [m.group(1) for m in matches_before_name(pattern, source, f"inner{i}")]
        assert found == [b"make(map[int]bool)"] == [m.group(1) for m in pattern.finditer(source)]


@pytest.mark.parametrize(
    "expressions, parts",
    [
        (b"map[string]int{}, map[string]int(nil)", [b"map[string]int{}", b"map[string]int(nil)"]),
        (b"f(a, b), []int{1, 2}, x[i]", [b"f(a, b)", b"[]int{1, 2}", b"x[i]"]),
        (b"\"a, b\", ',', `c, d`, \"\\\", e\"", [b"\"a, b\"", b"','", b"`c, d`", b"\"\\\", e\""]),
        (b"make(map[string]int)", [b"make(map[string]int)"]),
    ],
)
def test_split_top_level(expressions: bytes, parts: list[bytes]) -> None:
    assert split_top_level(expressions) == parts


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from([b"=", b"nil", b" ", b"\n", b"\t", b"!", b"<", b">", b":", b"x", b"nilx", b"==", b"*p", b"s.m"]), max_size=14))
def test_nil_assignment_found_where_a_byte_then_equals_then_nil_is(pieces: list[bytes]) -> None:
    """`_ASSIGNS_NIL` (searched for at each `=`) finds a match exactly where the plain spelling
    (a byte that is none of `=!<>:`, then `= nil`) does, and it ends at the same place."""
    from analyzers.flow.summaries import _ASSIGNS_NIL

    text = b"".join(pieces)
    plain = re.compile(rb"[^=!<>:]=\s*nil\b").search(text)
    found = _ASSIGNS_NIL.search(text)
    assert (found is None) == (plain is None)
    assert found is None or plain is None or found.end() == plain.end()


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.sampled_from([b"g", b"gg", b"ag", b".", b"=", b"==", b"+=", b"<<=", b",", b"(", b"&", b" ", b"\n", b"[", b"\xe6\x98\xa0", b":="]), max_size=14),
    st.sampled_from(["g", "gg", "\u6620"]),
)
def test_package_variable_assignments_found_where_the_plain_spelling_finds_them(pieces: list[bytes], identifier: str) -> None:
    """`_assignment_of` (each branch starting with a literal) matches the same spans as the
    spelling that tests the byte before the name first."""
    from analyzers.flow.package_vars import _assignment_of

    name = name_pattern(identifier)
    plain = re.compile(
        rb"(?<![.])" + name + rb"\s*(?:,[^=\n]*)?(?:[-+*/%&|^]|<<|>>)?=(?!=)" + rb"|[,(]\s*" + name + rb"\s*(?:,[^=\n]*)?=(?!=)"
        + rb"|&" + name + rb"(?!\s*[.\[])"
    )
    text = b"".join(pieces)
    assert [m.span() for m in _assignment_of(identifier).finditer(text)] == [m.span() for m in plain.finditer(text)]
