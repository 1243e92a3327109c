"""Half-typed and broken Go: findings of intact functions survive; nothing ever raises."""
from __future__ import annotations

import pathlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzers.checker import check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

HALF_TYPED = b"""package main

func typing() {
	x := map[string]int{
	if x[
}

func intact() {
	var m map[string]int
	m["a"] = 1
}

func alsoBroken( {
"""

FIXTURE_SOURCES = [p.read_bytes() for p in sorted(pathlib.Path(__file__).parent.glob("fixtures/*/*/*.go"))]


def test_intact_function_in_a_broken_file_is_still_checked() -> None:
    file = SourceFile("main.go", HALF_TYPED)
    assert file.tree.root_node.has_error
    report = check_package(PackageIndex([file]))
    assert not report.failures
    lines = [file.lines.line_of(d.span.start) + 1 for d in report.diagnostics]
    assert lines == [10]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURE_SOURCES), st.integers(min_value=0), st.integers(min_value=0, max_value=40), st.binary(max_size=12))
def test_mangled_sources_never_raise(source: bytes, at: int, cut: int, insert: bytes) -> None:
    at %= len(source) + 1
    mangled = source[:at] + insert + source[at + cut :]
    report = check_package(PackageIndex([SourceFile("main.go", mangled)]))
    assert not report.failures, report.failures
