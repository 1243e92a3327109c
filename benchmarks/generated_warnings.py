"""Warnings on safe writes of generated programs, judged by running them with other inputs.

A warning says that some path leaves the written map nil; the generated program's one run
took another path, so the driver (`generated_programs.py`) counts the write as safe. This
script runs each such `run` function again with other arguments (`main` keeps the calls
before it as they were, so package state is as in the first run) and sorts the warnings:

- **reached**: some other input makes the warned write panic with `assignment to entry in
  nil map` (the warning is right: a path that leaves the map nil exists);
- **not reached**: none of the inputs tried does (a candidate semantic gap: a path the
  engine takes for possible that no input may take, or one the inputs tried miss).

    python3 benchmarks/generated_warnings.py --seed 600000 --count 2000 --inputs 24

This is a measurement, not a test: it prints figures and never asserts on them.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from dataclasses import replace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tests.generated.evaluate import evaluate  # noqa: E402
from tests.generated.findings import Finding  # noqa: E402
from tests.generated.generator import KEY_SLICES, RAW_INPUTS, generate  # noqa: E402
from tests.generated.program import Node, Program  # noqa: E402
from tests.generated.verdicts import Verdict  # noqa: E402

WARNING = "warning-on-safe-write"
_RUN = re.compile(r"func \S*run\d+\(")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--count", type=int, default=1000, help="programs to generate")
    parser.add_argument("--inputs", type=int, default=24, help="other argument lists tried per warned run function")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    programs = [generate(seed) for seed in range(args.seed, args.seed + args.count)]
    verdicts = evaluate(programs, jobs=args.jobs)
    warned = [(p, d) for p, v in zip(programs, verdicts, strict=True) for d in v.of_kind(WARNING)]
    print(f"{len(warned)} warnings on safe writes in {args.count} programs (seeds {args.seed}..{args.seed + args.count - 1})")
    variants: list[Program] = []
    owners: list[tuple[int, int]] = []  # variant index -> (warning index, write)
    for index, (program, discrepancy) in enumerate(warned):
        for variant in _variants(program, discrepancy.write, args.inputs, random.Random(program.seed)):
            variants.append(variant)
            owners.append((index, discrepancy.write))
    outcomes = evaluate(variants, jobs=args.jobs)
    reached = {index for (index, write), verdict in zip(owners, outcomes, strict=True) if write in _panicked(verdict)}
    by_rule: Counter[tuple[str, bool]] = Counter()
    for index, (_, discrepancy) in enumerate(warned):
        by_rule[(_rule(discrepancy.findings), index in reached)] += 1
    print(f"reached by another input: {len(reached)}; not reached by the {args.inputs} inputs tried: {len(warned) - len(reached)}")
    for rule in sorted({rule for rule, _ in by_rule}):
        print(f"  {rule}: reached {by_rule[(rule, True)]}, not reached {by_rule[(rule, False)]}")
    for index, (program, discrepancy) in enumerate(warned):
        if index not in reached:
            shown = f"{discrepancy.findings[0].code} {discrepancy.findings[0].message}" if discrepancy.findings else ""
            print(f"  not reached: seed {program.seed} line {discrepancy.line}: {shown}")


def _variants(program: Program, write: int, count: int, rng: random.Random) -> list[Program]:
    """The program with the `run` function holding `write` called with other arguments."""
    main = program.decls[-1]
    calls = main.sections[0].body
    position = next((i for i, decl in enumerate(program.decls) if any(n.write == write for n in _nodes(decl))), None)
    runs = [i for i, decl in enumerate(program.decls) if decl.sections and _RUN.match(decl.sections[0].header)]
    if position is None or position not in runs or runs.index(position) >= len(calls):
        return []
    number = runs.index(position)
    name = calls[number].text.split("(", 1)[0]
    found = []
    for _ in range(count):
        a, b = rng.choice(("true", "false")), rng.choice(("true", "false"))
        arguments = f"{a}, {b}, {rng.randrange(4)}, {rng.choice(KEY_SLICES)}, {rng.choice(RAW_INPUTS)}"
        body = [*calls[:number], Node(f"{name}({arguments})")]
        section = replace(main.sections[0], body=body)
        found.append(replace(program, decls=[*program.decls[:-1], replace(main, sections=[section])]))
    return found


def _nodes(node: Node) -> list[Node]:
    found = [node]
    for child in node.children():
        found.extend(_nodes(child))
    return found


def _panicked(verdict: Verdict) -> set[int]:
    return set(verdict.panicked) | set(verdict.through)


def _rule(findings: tuple[Finding, ...]) -> str:
    return findings[0].code if findings else "?"


if __name__ == "__main__":
    main()
