"""Half-typed and broken Go: findings of intact functions survive; nothing ever raises."""
from __future__ import annotations

import logging
import pathlib
from collections.abc import Iterator
from contextlib import contextmanager

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


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _warnings() -> Iterator[list[logging.LogRecord]]:
    """What the analysis logs at WARNING or above: a function it gave up on (nested too deeply
    for the interpreter's recursion) is logged, not reported as a failure."""
    kept = _Kept()
    logger = logging.getLogger("nilmap")
    logger.addHandler(kept)
    try:
        yield kept.records
    finally:
        logger.removeHandler(kept)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURE_SOURCES), st.integers(min_value=0), st.integers(min_value=0, max_value=40), st.binary(max_size=12))
def test_mangled_sources_never_raise(source: bytes, at: int, cut: int, insert: bytes) -> None:
    at %= len(source) + 1
    mangled = source[:at] + insert + source[at + cut :]
    with _warnings() as warned:
        report = check_package(PackageIndex([SourceFile("main.go", mangled)]))
    assert not report.failures, report.failures
    assert [r.getMessage() for r in warned] == []  # a RecursionError is logged, never raised


def test_a_value_that_holds_itself_keeps_the_analysis_small() -> None:
    """`c.s = &service{client: c}`, sixteen times: copying what each literal holds would double
    the tracked paths at every step (go-tfe's NewClient ran out of memory that way)."""
    from analyzers.flow.interpreter import Interpreter
    from analyzers.flow.summaries import PackageFlow

    path = pathlib.Path(__file__).parent / "fixtures/nil_map_field/self_referencing_services_ok/main.go"
    file = SourceFile(str(path), path.read_bytes())
    flow = PackageFlow(PackageIndex([file]))
    constructor = next(n for n in file.functions if n.child_by_field_name("name").text == b"NewClient")
    interpreter = Interpreter(flow, file, constructor)
    interpreter.run()
    assert interpreter.exit_env is not None and len(interpreter.exit_env) < 2000


def test_a_variable_of_no_known_type_indexed_with_a_string_is_no_failure() -> None:
    # `m` has no type nilmap can tell (a clone of another module's method result) and is
    # written with a string key: a variable, not a field, so no struct's field is inferred a map.
    source = b"""package p

import (
	"maps"

	"example.com/unread/raft"
)

func stats(nodes []*raft.Node) []map[string]string {
	var all []map[string]string
	for _, n := range nodes {
		m := maps.Clone(n.Stats())
		m["leader"] = n.Leader()
		all = append(all, m)
	}
	return all
}
"""
    report = check_package(PackageIndex([SourceFile("p/stats.go", source)]))
    assert report.failures == []


def test_a_copy_of_a_loop_variable_under_its_own_name_is_no_failure() -> None:
    # `idx, b := idx, b` copies the range variables: the names on the right are the outer
    # ones, since a variable's scope begins after its declaration. Folding the key `idx` of
    # the write in the closure, while NM003 followed the constructor, took it for the new
    # variable itself and recursed without end.
    source = b"""package p

import "golang.org/x/sync/errgroup"

type Tracker struct {
	m     map[string]int
	roots []string
}

func NewStore(xs []string) (*Tracker, error) {
	roots := make([]string, len(xs))
	var eg errgroup.Group
	for idx, b := range xs {
		idx, b := idx, b
		eg.Go(func() error {
			switch b {
			case "a":
				roots[idx] = b
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return NewTrackerFromRoots(roots...)
}

func NewTrackerFromRoots(roots ...string) (*Tracker, error) {
	return &Tracker{roots: roots}, nil
}

func (t *Tracker) Add(k string) { t.m[k]++ }
"""
    report = check_package(PackageIndex([SourceFile("p/store.go", source)]))
    assert report.failures == []


def test_an_import_path_no_directory_can_hold_is_no_failure(tmp_path: pathlib.Path) -> None:
    """A NUL byte typed into an import path (or pasted there, as a mangled source of the test
    above once did): the module index looks for no directory of it, where `os.stat` of such a
    path raises."""
    from analyzers.module import ModuleTypes

    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    importer = str(tmp_path / "main.go")
    for import_path in ("example.com/m/a\x00b", "example.com/m/c d", "vendored\x00", ""):
        assert ModuleTypes().directory(importer, import_path) is None
