#!/usr/bin/env python3
"""Generated Go programs, run by the Go runtime and compared with nilmap.

Each seed gives one program (`tests/generated/generator.py`). Programs are built in
batches (one Go package per batch, one binary) and each is run in its own process; a
`println("W", id)` before every map write says which writes ran, the panic's stack says
which one panicked. nilmap checks each program as it stands alone. Per write:

  miss          it panicked with `assignment to entry in nil map` and no finding sits on a
                line of the panic's stack nor points there (an NM003 finding at the
                construction names the write as related)
  false alarm   it ran and never panicked, and an error-severity finding is on it
  warning       it ran and never panicked, and a warning is on it (counted apart)
  never ran     findings on writes that did not run (counted apart)

Figures are printed overall and by shape (the tags each program's generator composed).

    python3 benchmarks/generated_programs.py --seed 0 --count 1000
    python3 benchmarks/generated_programs.py --seed 100000 --count 10000 --json figures.json
    python3 benchmarks/generated_programs.py --count 2000 --keep /tmp/disagreements
    python3 benchmarks/generated_programs.py --count 2000 --shrink 60 \\
        --fixtures tests/fixtures_pending/generated --markdown benchmarks/generated_programs.md

`--shrink N` reduces up to N disagreements (every false alarm, then a uniform sample of the
misses) to small programs, groups them by kind, and writes up to `--per-kind` fixture
candidates per kind.
This is a script, not a test: nothing asserts on the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tests.generated.evaluate import evaluate  # noqa: E402
from tests.generated.generator import generate  # noqa: E402
from tests.generated.kinds import classify  # noqa: E402
from tests.generated.pending import GENERATED_HEADER, Candidate, fixture_source, verify, write_candidate  # noqa: E402
from tests.generated.program import render  # noqa: E402
from tests.generated.report import markdown  # noqa: E402
from tests.generated.scores import format_summary, summarise  # noqa: E402
from tests.generated.shrink import Shrunk, shrink  # noqa: E402
from tests.generated.verdicts import FALSE_ALARM, MISS, Discrepancy, Verdict  # noqa: E402

SAMPLE_SEED = 20261201  # which misses are shrunk: a fixed draw, so a run can be repeated


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--count", type=int, default=1000, help="programs to generate and run (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for nilmap and the runs (default 2)")
    parser.add_argument("--json", metavar="FILE", help="write figures and every disagreement as JSON")
    parser.add_argument("--keep", metavar="DIR", help="keep each program with a disagreement in DIR/seed<N>/main.go")
    parser.add_argument("--shrink", type=int, default=0, metavar="N", help="shrink up to N disagreements")
    parser.add_argument(
        "--shrink-kinds", default=f"{MISS},{FALSE_ALARM}", help=f"which disagreements to shrink (default {MISS},{FALSE_ALARM})"
    )
    parser.add_argument("--per-kind", type=int, default=2, help="fixture candidates written per kind (default 2)")
    parser.add_argument("--fixtures", metavar="DIR", help="write the shrunk candidates under DIR/<kind>_<n>/main.go")
    parser.add_argument("--markdown", metavar="FILE", help="write the figures and kinds as a markdown report")
    parser.add_argument(
        "--shrunk",
        metavar="FILE",
        help="keep the shrunk programs in FILE (a pickle); when FILE exists, reuse them instead of shrinking "
        "again (to classify again and rewrite the report and the candidates)",
    )
    return parser.parse_args(argv)


def keep(directory: Path, verdicts: list[Verdict]) -> int:
    kept = 0
    for verdict in verdicts:
        if not verdict.discrepancies:
            continue
        target = directory / f"seed{verdict.seed}"
        target.mkdir(parents=True, exist_ok=True)
        (target / "main.go").write_text(render(generate(verdict.seed)).text)
        notes = [f"{d.kind} at line {d.line} (write {d.write}): " + "; ".join(str(f) for f in d.findings) for d in verdict.discrepancies]
        (target / "disagreements.txt").write_text("\n".join(notes) + "\n")
        kept += 1
    return kept


def pick_for_shrinking(verdicts: list[Verdict], limit: int, kinds: set[str]) -> list[tuple[Verdict, Discrepancy]]:
    """Up to `limit` disagreements: every false alarm first (they are few, and each is a
    claim the engine gets wrong), then a uniform sample of the misses, so the kinds found
    among them estimate the kinds among all misses."""
    found = [(v, d) for v in verdicts for d in v.discrepancies if d.kind in kinds]
    alarms = [item for item in found if item[1].kind == FALSE_ALARM][:limit]
    others = [item for item in found if item[1].kind != FALSE_ALARM]
    sample = random.Random(SAMPLE_SEED).sample(others, min(len(others), limit - len(alarms)))
    return alarms + sorted(sample, key=lambda item: (item[0].seed, item[1].write))


def shrink_all(chosen: list[tuple[Verdict, Discrepancy]], jobs: int) -> list[Shrunk]:
    shrunk = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for number, (verdict, d) in enumerate(chosen, 1):
            started = time.monotonic()
            try:
                result = shrink(generate(verdict.seed), d, jobs, pool=pool)
            except ValueError as exc:
                print(f"  [{number}/{len(chosen)}] seed {verdict.seed}: {exc}", file=sys.stderr)
                continue
            shrunk.append(result)
            print(
                f"  [{number}/{len(chosen)}] seed {verdict.seed} {d.kind}: {result.lines_before} -> {result.lines_after} lines "
                f"in {result.rounds} rounds, {time.monotonic() - started:.0f} s",
                file=sys.stderr,
            )
    return shrunk


def write_fixtures(root: Path, shrunk: list[Shrunk], per_kind: int) -> dict[str, list[Candidate]]:
    """Verified candidates, smallest first, up to `per_kind` per kind (the candidates an
    earlier run wrote there are replaced; nothing else in `root` is touched)."""
    for old in root.glob("*/main.go"):
        if old.read_text().startswith(GENERATED_HEADER):
            old.unlink()
            if not any(old.parent.iterdir()):
                old.parent.rmdir()
    written: dict[str, list[Candidate]] = defaultdict(list)
    for result in sorted(shrunk, key=lambda s: s.lines_after):
        kind = classify(result)
        if len(written[kind.name]) >= per_kind:
            continue
        source, line = fixture_source(result, kind.why)
        problem = verify(source, line, result.discrepancy.kind)
        if problem is not None:
            print(f"  seed {result.program.seed}: candidate dropped: {problem}", file=sys.stderr)
            continue
        candidate = Candidate(f"{kind.name}_{len(written[kind.name]) + 1}", source, line)
        write_candidate(root, candidate)
        written[kind.name].append(candidate)
    return written


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seeds = list(range(args.seed, args.seed + args.count))
    started = time.monotonic()
    verdicts = evaluate([generate(seed) for seed in seeds], args.jobs)
    elapsed = time.monotonic() - started
    summary = summarise(verdicts)
    print(format_summary(summary))
    print(f"\n{len(seeds)} programs (seeds {seeds[0]}..{seeds[-1]}) in {elapsed:.0f} s")
    if args.keep:
        print(f"kept {keep(Path(args.keep), verdicts)} programs with disagreements in {args.keep}")
    saved = Path(args.shrunk) if args.shrunk else None
    shrunk: list[Shrunk] = pickle.loads(saved.read_bytes()) if saved is not None and saved.exists() else []
    if shrunk:
        print(f"reusing {len(shrunk)} shrunk programs from {saved}")
    elif args.shrink:
        chosen = pick_for_shrinking(verdicts, args.shrink, set(args.shrink_kinds.split(",")))
        print(f"shrinking {len(chosen)} disagreements", file=sys.stderr)
        shrink_started = time.monotonic()
        shrunk = shrink_all(chosen, args.jobs)
        print(f"shrunk {len(shrunk)} in {time.monotonic() - shrink_started:.0f} s")
        if saved is not None:
            saved.write_bytes(pickle.dumps(shrunk))
    written = write_fixtures(Path(args.fixtures), shrunk, args.per_kind) if args.fixtures and shrunk else {}
    for kind, candidates in sorted(written.items()):
        print(f"{kind}: {', '.join(c.directory for c in candidates)}")
    if args.json:
        data = {
            "seeds": [seeds[0], seeds[-1]],
            "seconds": round(elapsed, 1),
            "summary": summary.to_json(),
            "disagreements": [
                {"seed": v.seed, "kind": d.kind, "write": d.write, "line": d.line, "findings": [str(f) for f in d.findings]}
                for v in verdicts
                for d in v.discrepancies
            ],
            "shrunk": [
                {"seed": s.program.seed, "kind": classify(s).name, "lines": s.lines_after, "write": s.discrepancy.write}
                for s in shrunk
            ],
        }
        Path(args.json).write_text(json.dumps(data, indent=1) + "\n")
    if args.markdown:
        Path(args.markdown).write_text(markdown(summary, seeds, elapsed, shrunk, written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
