"""Replayed loop runs (`flow/loop_runs.py`): a check that replays the runs of inner loops
finds what one that interprets every run finds."""
from __future__ import annotations

import pathlib

import pytest

from analyzers.checker import check_package
from analyzers.flow import control
from analyzers.index import PackageIndex
from analyzers.rule import Settings
from analyzers.source import SourceFile
from tests.fixture_support import go_files, scenarios

EVERY_RULE = Settings(select=frozenset({"NM"}))


def _found(package: PackageIndex) -> list[tuple]:
    return [(d.path, d.span, d.rule, d.message, d.fixes, d.related) for d in check_package(package, settings=EVERY_RULE).diagnostics]


def _counted_replays(monkeypatch: pytest.MonkeyPatch, replay: bool) -> list[int]:
    """Turns replays off (`replay` False) or counts them; the count is the list's length."""
    replays: list[int] = []
    find = control.find_run

    def found(runs, run, env):  # type: ignore[no-untyped-def]
        kept = find(runs, run, env) if replay else None
        if kept is not None:
            replays.append(1)
        return kept

    monkeypatch.setattr(control, "find_run", found)
    return replays


def _package(files: dict[str, bytes]) -> PackageIndex:
    return PackageIndex(SourceFile(path, source) for path, source in files.items())


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_replayed_runs_find_what_interpreted_ones_find(scenario: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {str(p): p.read_bytes() for p in go_files(scenario)}
    replayed = _found(_package(files))
    _counted_replays(monkeypatch, replay=False)
    assert _found(_package(files)) == replayed


# Inner loops entered again, from the same environment, in each round of the loops around
# them: with a write that panics, a `return`, a labelled `continue` and a `goto` out of them,
# and a nil comparison after an unguarded write (which reads what the write left remembered).
NESTED = b"""package main

type grid struct{ cells map[int]int }

func fill(rows [][]int, g *grid, seen map[int]bool) int {
	var counts map[int]int
	total := 0
outer:
	for _, row := range rows {
		for _, c := range row {
			if c == 3 {
				continue outer
			}
			if c > 10 {
				return total
			}
			for k := range seen {
				g.cells[k] = c
				if g.cells == nil {
					total++
				}
			}
			if c > 100 {
				goto done
			}
		}
		for _, c := range row {
			counts[c] = total
		}
	}
done:
	return total + len(counts)
}

func main() {
	g := &grid{}
	println(fill(nil, g, nil))
}
"""


def test_nested_loops_are_replayed_and_find_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"nested/main.go": NESTED}
    replays = _counted_replays(monkeypatch, replay=True)
    replayed = _found(_package(files))
    assert replays, "no inner loop run was replayed"
    assert any(rule == "NM001" for _, _, rule, *_ in replayed)
    _counted_replays(monkeypatch, replay=False)
    assert _found(_package(files)) == replayed
