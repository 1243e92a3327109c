"""Generated programs, judged by the Go runtime and compared with nilmap.

A fixed sample of generated programs (seeds 0-319, `tests/generated/`) is built in batches
and run, each in its own process. No write that runs without panicking may carry an
error-severity finding (precision comes first: none at all). Of the writes that panic with
`assignment to entry in nil map`, nilmap must find at least the share it found when the
floor below was measured: a guard against regression, not a target (the misses left are
printed by the written place's shape). The generator is checked too: its programs build,
run to the end or to a nil-map panic (nothing else), are gofmt- and `go vet`-clean, are the
same for the same seed, and every shape it claims is composed by some program of the sample.

To look at one program of the sample and what nilmap and the runtime say about it:

    python3 benchmarks/generated_programs.py --seed N --count 1 --keep /tmp/generated
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.generated.batch import run_batch, write_batch
from tests.generated.evaluate import evaluate
from tests.generated.generator import generate
from tests.generated.program import Program, render
from tests.generated.shapes import SHAPES
from tests.generated.verdicts import FALSE_ALARM, MISS, Discrepancy, Verdict
from tests.gotool import go_env, gofmt_l, have_go

SAMPLE = range(320)
# Recall floor: the share of the sample's panicking writes that nilmap found when it was last
# measured (FLOOR_MEASURED). It guards against regression: raise it when the engine finds more.
RECALL_FLOOR = 1.0  # 204 of 204 panicking writes found (100%)
FLOOR_MEASURED = "2026-12-04"
RERUN = range(0, 320, 8)  # run again, to check that a run says the same twice
SHOWN = 25  # disagreements printed in full when a test fails

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def programs() -> list[Program]:
    assert have_go(), "the Go toolchain is required (scripts/setup-dev.sh installs it)"
    return [generate(seed) for seed in SAMPLE]


@pytest.fixture(scope="module")
def verdicts(programs: list[Program]) -> list[Verdict]:
    return evaluate(programs, jobs=2)


def describe(program: Program, d: Discrepancy) -> str:
    text = render(program).text.splitlines()
    what = {
        MISS: "panics with `assignment to entry in nil map`; nilmap has no finding on its path",
        FALSE_ALARM: "runs without panicking; nilmap: " + "; ".join(str(f) for f in d.findings),
    }[d.kind]
    return f"seed {program.seed} line {d.line}: `{text[d.line - 1].strip()}` {what}"


def disagreements(programs: list[Program], verdicts: list[Verdict], kind: str) -> list[str]:
    return [describe(p, d) for p, v in zip(programs, verdicts, strict=True) for d in v.of_kind(kind)]


def report(found: list[str], what: str, total: int) -> str:
    shown = "\n".join(found[:SHOWN])
    more = f"\n... and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return f"{len(found)} {what} of {total}:\n{shown}{more}"


def test_every_program_builds_and_runs_to_the_end_or_a_nil_map_panic(verdicts: list[Verdict]) -> None:
    broken = [f"seed {v.seed}: {v.failure}" for v in verdicts if v.failure is not None]
    assert not broken, "\n".join(broken)


def test_the_sample_exercises_both_outcomes(verdicts: list[Verdict]) -> None:
    panicked = sum(len(v.panicked) for v in verdicts)
    safe = sum(len(v.safe) for v in verdicts)
    assert panicked >= 150 and safe >= 300, (panicked, safe)


def misses_by_shape(verdicts: list[Verdict]) -> str:
    """The misses counted by the shape tags of the written place (a miss counts under each)."""
    counts: Counter[str] = Counter()
    for verdict in verdicts:
        for miss in verdict.of_kind(MISS):
            counts.update(verdict.write_tags.get(miss.write, frozenset()) or {"(untagged)"})
    return "\n".join(f"  {count:4d}  {SHAPES.get(tag, tag)}" for tag, count in counts.most_common())


def test_recall_does_not_fall_below_its_floor(programs: list[Program], verdicts: list[Verdict]) -> None:
    panicked = sum(len(v.panicked) for v in verdicts)
    found = sum(len(v.found) for v in verdicts)
    recall = found / panicked
    missed = disagreements(programs, verdicts, MISS)
    listing = report(missed, "writes that panicked were missed", panicked)
    print(f"recall {found}/{panicked} = {recall:.4f} (floor {RECALL_FLOOR}, measured {FLOOR_MEASURED})")
    print("misses by the written place's shape:\n" + misses_by_shape(verdicts))
    print(listing)
    assert recall >= RECALL_FLOOR, (
        f"recall {found}/{panicked} = {recall:.4f} fell below its floor {RECALL_FLOOR}\n"
        f"misses by the written place's shape:\n{misses_by_shape(verdicts)}\n{listing}"
    )


def test_no_error_on_a_write_that_runs_safely(programs: list[Program], verdicts: list[Verdict]) -> None:
    found = disagreements(programs, verdicts, FALSE_ALARM)
    assert not found, report(found, "writes that ran safely have an error", sum(len(v.safe) for v in verdicts))


def test_programs_are_gofmt_clean(programs: list[Program], tmp_path: Path) -> None:
    for program in programs:
        (tmp_path / f"seed{program.seed}.go").write_text(render(program).text)
    assert gofmt_l(tmp_path) == []


def test_programs_are_vet_clean(programs: list[Program], tmp_path: Path) -> None:
    write_batch(programs, tmp_path)
    result = subprocess.run(["go", "vet", "."], cwd=tmp_path, env=go_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_seed_always_gives_the_same_program(programs: list[Program]) -> None:
    again = [render(generate(seed)).text for seed in SAMPLE]
    assert again == [render(p).text for p in programs]
    script = (
        "import hashlib, sys\n"
        "from tests.generated.generator import generate\n"
        "from tests.generated.program import render\n"
        f"for seed in {list(SAMPLE[:40])}:\n"
        "    print(hashlib.sha256(render(generate(seed)).text.encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    elsewhere = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    here = [hashlib.sha256(render(p).text.encode()).hexdigest() for p in programs[:40]]
    assert elsewhere.stdout.split() == here


def test_a_run_says_the_same_twice(programs: list[Program], verdicts: list[Verdict], tmp_path: Path) -> None:
    chosen = [programs[i] for i in RERUN]
    _, outcomes = run_batch(chosen, tmp_path / "again")
    first = {v.seed: v for v in verdicts}
    for index, program in enumerate(chosen):
        before, after = first[program.seed], outcomes[index]
        assert after.failure is None
        assert sorted(after.panicked) == before.panicked, program.seed
        assert sorted(after.executed - after.panicked - after.through) == before.safe, program.seed


def test_every_shape_the_generator_claims_is_composed(verdicts: list[Verdict]) -> None:
    composed = set().union(*(v.tags for v in verdicts))
    assert sorted(set(SHAPES) - composed) == []
    assert sorted(composed - set(SHAPES)) == []
