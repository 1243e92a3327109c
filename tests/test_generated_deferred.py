"""The `defer` line of a deferred call that panicked, read from a real run's stack."""
from __future__ import annotations

from pathlib import Path

from tests.generated.deferred import deferred_call_lines
from tests.gotool import NIL_MAP_PANIC, go_run, write_module

DEFERRED = """package main

type Store struct {
	items map[string]int
}

func putInts(m map[string]int, k string) {
	m[k]++
}

func (s *Store) Put(k string) {
	s.items[k]++
}

func run(s *Store, byMethod bool) {
	if byMethod {
		defer s.Put("a")
	} else {
		defer putInts(s.items, "a")
	}
	println("running")
}

func main() {
	run(&Store{}, %s)
}
"""

PLAIN = """package main

func putInts(m map[string]int, k string) {
	m[k]++
}

func run(m map[string]int) {
	defer putInts(map[string]int{}, "b")
	putInts(m, "a")
}

func main() {
	run(nil)
}
"""


def _lines(tmp_path: Path, source: str) -> set[int]:
    root = write_module(tmp_path, {"main.go": source.encode()})
    code, stderr = go_run(root)
    assert code != 0 and NIL_MAP_PANIC in stderr, stderr
    return deferred_call_lines(stderr, str((root / "main.go").resolve()), source)


def test_a_deferred_function_names_its_defer_line(tmp_path: Path) -> None:
    assert _lines(tmp_path, DEFERRED % "false") == {19}


def test_a_deferred_method_names_its_defer_line(tmp_path: Path) -> None:
    assert _lines(tmp_path, DEFERRED % "true") == {17}


def test_a_plain_call_names_no_defer_line(tmp_path: Path) -> None:
    assert _lines(tmp_path, PLAIN) == set()
