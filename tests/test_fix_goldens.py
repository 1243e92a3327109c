"""Every fixture finding's fixes, applied and judged by the Go toolchain.

For each fixture file with findings: the fixes match the `.go.golden` next to it byte for
byte (one txtar section per alternative), each fixed package is gofmt-clean and passes
`go vet`, and a runnable fixture no longer panics with `assignment to entry in nil map`
once every finding's preferred fix is applied.
"""
from __future__ import annotations

import pathlib
import tempfile

import gotool
import pytest
from fixes.golden import OTHER_FILE, check_golden, fixed_package_problems, preferred_fixed_package

from tests.fixture_support import check_scenario, go_files, is_main, scenarios

WITH_FINDINGS = [s for s in scenarios() if check_scenario(s)]


def _id(path: pathlib.Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("scenario", WITH_FINDINGS, ids=_id)
def test_fixes_match_goldens_and_build(scenario: pathlib.Path) -> None:
    diagnostics = check_scenario(scenario)
    problems = []
    for go_file in go_files(scenario):
        mine = [d for d in diagnostics if pathlib.Path(d.path) == go_file]
        # A fix's sections (its own file, then `=> other.go` ones) replace files together.
        replaced: dict[str, dict[str, bytes]] = {}
        for title, fixed in check_golden(go_file, mine):
            base, _, other = title.partition(OTHER_FILE)
            replaced.setdefault(base, {})[other or go_file.name] = fixed
        for title, files in replaced.items():
            problems += [f"[{title}] {p}" for p in fixed_package_problems(scenario, files)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scenario", [s for s in WITH_FINDINGS if is_main(s)], ids=_id)
def test_preferred_fixes_stop_the_panic(scenario: pathlib.Path) -> None:
    diagnostics = check_scenario(scenario)
    files = preferred_fixed_package(scenario, diagnostics)
    if all(files[f.name] == f.read_bytes() for f in go_files(scenario)):
        pytest.fail("no fix offered for a runnable fixture's findings")
    with tempfile.TemporaryDirectory(prefix="nilmap-fixed-") as tmp:
        gotool.write_module(tmp, files)
        code, stderr = gotool.go_run(tmp)
    assert "assignment to entry in nil map" not in stderr, stderr[-1500:]
    assert code == 0, stderr[-1500:]


def test_goldens_have_fixtures() -> None:
    """A golden whose fixture lost its findings is stale."""
    for golden in pathlib.Path(__file__).parent.glob("fixtures/*/*/*.go.golden"):
        assert golden.with_suffix("").exists(), golden
