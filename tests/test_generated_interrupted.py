"""A panic cut short by a later one: a write panics, its function's deferred closure starts a
goroutine that panics on another nil map, and the runtime prints only the goroutine's panic.
The first panic's stack, read from the other goroutine's trace (GOTRACEBACK=all), names the
write that began it and the call that led there, so neither counts as having run safely."""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests.generated.batch import run_one
from tests.generated.program import Rendered
from tests.gotool import go_env, write_module

SOURCE = """package main

import "sync"

type Store struct {
	items map[string]int
}

func (s Store) Put(k string) {
	println("W", 1)
	s.items[k]++
}

func run() {
	var other map[string]int
	defer func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			println("W", 3)
			other["a"] = 1
			wg.Done()
		}()
		wg.Wait()
	}()
	println("W", 2)
	Store{}.Put("b")
}

func main() {
	run()
}
"""

WRITE, CALL, GOROUTINE_WRITE = 1, 2, 3


def test_the_write_and_call_behind_an_interrupted_panic_did_not_run_safely(tmp_path: Path) -> None:
    root = write_module(tmp_path, {"main.go": SOURCE.encode()})
    binary = root / "program.bin"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=root, env=go_env(), check=True, capture_output=True)
    lines = SOURCE.splitlines()
    at = {w: next(i + 2 for i, text in enumerate(lines) if text.strip() == f'println("W", {w})') for w in (1, 2, 3)}
    rendered = Rendered(SOURCE, at, frozenset({CALL}))
    outcome = run_one(binary, 0, rendered, root / "main.go")
    assert outcome.nil_map_panic, outcome.stderr
    assert outcome.panicked == {WRITE, GOROUTINE_WRITE}, outcome.stderr
    assert outcome.through == {CALL}, outcome.stderr
    assert {at[WRITE], at[CALL]} <= outcome.stack_lines
