#!/usr/bin/env python3
"""Detection on generated programs: nilmap, staticcheck, nilaway and gopls, judged by the runtime.

The programs are those of `generated_programs.py` (`tests/generated/generator.py`, one per
seed). Each batch of programs is one Go package (every program one file, its top-level names
prefixed, its lines where they are when it stands alone), built once; each program runs in
a process of its own, and the runtime says which writes ran and which panicked with
`assignment to entry in nil map` (`tests/generated/batch.py`). Then:

  nilmap                   every rule, each program checked alone, as `generated_programs.py` does
  staticcheck              `staticcheck -checks SA5000,SA5011 -f json .` on the batch's package
  nilaway (three ways)     `nilaway -json .`, plus `-experimental-struct-init`, and
                           `-experimental-struct-init-v2`
  gopls                    `gopls check FILES` (its default analyzers, nilness among them;
                           only "nil dereference ..." findings count)

Every tool is judged by the same rule (`tests/generated/verdicts.py`): a write that panicked
is found when a finding sits on a line of the panic's stack; a finding on a write that ran
and never panicked is a false alarm. The peers have no severities, so every finding of
theirs counts as an error; nilmap's warnings on safe writes are counted apart, as in
`generated_programs.py`. For each peer, the panicking writes it found and nilmap missed are
counted, with their shape tags: where nilmap is behind. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/peers_generated.py --seed 700000 --count 400
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import peer_tools as pt

from tests.generated.batch import run_batch
from tests.generated.findings import Checked, Finding, check_source
from tests.generated.generator import generate
from tests.generated.program import Program, render
from tests.generated.scores import Tally
from tests.generated.shapes import shape_tags
from tests.generated.verdicts import Verdict, judge

BATCH_SIZE = 200


@dataclass
class ToolTally:
    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    beyond_nilmap: int = 0  # panicking writes this tool found and nilmap missed
    beyond_tags: Counter[str] = field(default_factory=Counter)  # those writes' shape tags


def peer_runs(directory: Path, timeout: float) -> dict[str, tuple[list[pt.Finding], float, str]]:
    """Each installed peer's findings on the batch's package, its wall time and a note."""
    env = pt.go_env()
    runs: dict[str, tuple[list[pt.Finding], float, str]] = {}

    def timed(name: str, argv: list[str], parse) -> None:
        start = time.perf_counter()
        code, out, err = pt.run(argv, directory, env, timeout)
        findings, problems = parse(out)
        note = f"exit {code}: {err.strip()[-160:]}" if code not in (0, 1, 3) else ""
        if problems:
            note += f" {len(problems)} problem(s), first: {problems[0][:160]}"
        runs[name] = (findings, time.perf_counter() - start, note.strip())

    if pt.have("staticcheck"):
        timed("staticcheck", pt.staticcheck_argv(["."]), pt.parse_staticcheck)
    if pt.have("nilaway"):
        for name, flags in pt.NILAWAY_MODES.items():
            timed(name, pt.nilaway_argv(["."], flags, str(directory)), lambda out, n=name: pt.parse_nilaway(out, n))
    if pt.have("gopls"):
        files = sorted(str(p) for p in directory.glob("p*.go"))
        timed("gopls", [pt.tool("gopls"), "check", "-severity=hint", *files], lambda out: (pt.parse_gopls_check(out), []))
    return runs


def as_checked(findings: list[pt.Finding], file: Path) -> Checked:
    """A peer's findings in one program's file, in the form the runtime's judge reads."""
    mine = [f for f in findings if Path(f.path) == file and pt.claims_nil_panic(f)]
    return Checked(tuple(Finding(f.line, f.code or f.tool, "error", f.message, ()) for f in mine), ())


def evaluate_batch(programs: list[Program], directory: Path, timeout: float, tallies: dict[str, ToolTally]) -> None:
    rendered, outcomes = run_batch(programs, directory)
    start = time.perf_counter()
    nilmap = [check_source(render(p).text) for p in programs]
    tallies["nilmap"].seconds += time.perf_counter() - start
    runs = peer_runs(directory, timeout)
    for name, (_, seconds, note) in runs.items():
        tallies[name].seconds += seconds
        if note:
            tallies[name].notes.append(note)
    for index, program in enumerate(programs):
        write_tags = {n.write: n.tags for n in program.nodes() if n.write is not None}
        tags = shape_tags(program)
        verdicts: dict[str, Verdict] = {"nilmap": judge(program.seed, tags, rendered[index], outcomes[index], nilmap[index], write_tags)}
        file = directory / f"p{index}.go"
        for name, (findings, _, _) in runs.items():
            verdicts[name] = judge(program.seed, tags, rendered[index], outcomes[index], as_checked(findings, file), write_tags)
        for name, verdict in verdicts.items():
            if verdict.failure is None:
                tallies[name].tally.add(verdict)
        count_beyond_nilmap(verdicts, tallies)


def count_beyond_nilmap(verdicts: dict[str, Verdict], tallies: dict[str, ToolTally]) -> None:
    """The panicking writes of one program a peer found and nilmap did not, with their shapes:
    where nilmap is behind."""
    mine = verdicts["nilmap"]
    if mine.failure is not None:
        return
    for name, verdict in verdicts.items():
        if name == "nilmap" or verdict.failure is not None:
            continue
        for write in set(verdict.found) - set(mine.found):
            tallies[name].beyond_nilmap += 1
            tallies[name].beyond_tags.update(verdict.write_tags.get(write, frozenset()))


def print_table(tallies: dict[str, ToolTally], seeds: range) -> None:
    print(f"Seeds {seeds.start}..{seeds.stop - 1}: writes judged by the Go runtime")
    print()
    print("| tool | programs | writes that panicked | found | recall | found, nilmap missed | safe writes | false alarms (error) | warnings on safe writes | wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, t in tallies.items():
        if not t.tally.programs:
            continue
        s = t.tally
        print(f"| {name} | {s.programs} | {s.panicked} | {s.found} | {100 * s.recall:.1f}% | {'' if name == 'nilmap' else t.beyond_nilmap} | {s.safe} | {s.false_alarms} | {s.safe_warnings} | {t.seconds:.1f} |")
    for name, t in tallies.items():
        if t.beyond_tags:
            print(f"  {name}, shapes of the writes nilmap missed: " + ", ".join(f"{tag} {n}" for tag, n in t.beyond_tags.most_common(8)))
    for name, t in tallies.items():
        for note in sorted(set(t.notes)):
            print(f"  {name}: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=700000, help="first seed")
    parser.add_argument("--count", type=int, default=400, help="how many programs")
    parser.add_argument("--timeout", type=float, default=900, help="limit for each peer run on a batch, seconds")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    print("versions: " + "; ".join(f"{k} {v}" for k, v in pt.versions().items()), file=sys.stderr)
    seeds = range(args.seed, args.seed + args.count)
    tallies: dict[str, ToolTally] = defaultdict(ToolTally)
    tallies["nilmap"]  # the first row
    root = Path(tempfile.mkdtemp(prefix="nilmap-peers-generated-"))
    try:
        for start in range(seeds.start, seeds.stop, BATCH_SIZE):
            chunk = [generate(seed) for seed in range(start, min(start + BATCH_SIZE, seeds.stop))]
            evaluate_batch(chunk, root / f"batch{start}", args.timeout, tallies)
            print(f"  {start + len(chunk) - seeds.start} of {len(seeds)} programs", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print_table(tallies, seeds)
    if args.json:
        data = {name: {**vars(t.tally), "seconds": t.seconds, "notes": t.notes, "beyond_nilmap": t.beyond_nilmap, "beyond_tags": dict(t.beyond_tags)} for name, t in tallies.items()}
        args.json.write_text(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
