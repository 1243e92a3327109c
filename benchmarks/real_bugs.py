#!/usr/bin/env python3
"""The real-bug development set: how many real, fixed nil-map bugs nilmap finds.

Runs the shared scorer (`real_score.py`, beside `real_bugs.tsv`) on a nilmap command and
prints one row per case: found or missed at the buggy commit, cleared or not at the fixed
commit, and how many findings the package had. The cases and the scorer live outside this
repository (they cite other projects' commits); the repositories are bare git snapshots
that the scorer looks for under its mirror folder (`$MIRROR`, else the nearest `.mirror`
above the scorer). A case whose snapshot is absent is listed with the source to fetch.

    python3 benchmarks/real_bugs.py                            # installed `nilmap`
    python3 benchmarks/real_bugs.py --nilmap '.venv/bin/nilmap'
    python3 benchmarks/real_bugs.py --scorer /path/to/real_score.py --only NM02,NM35
    python3 benchmarks/real_bugs.py --json

This is a script, not a test: it prints figures and never asserts on them.
"""
from __future__ import annotations

import argparse
import csv
import json
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent

# One scorer line per case: "NM02: FOUND cleared (decoded-struct, 1 findings in package)".
_CASE = re.compile(r"^(NM\d+): (.*)$")
_COUNTED = re.compile(r"^(FOUND|missed)( cleared| NOT-cleared)? \(([^,]+), (\d+) findings in package\)$")
_TOTAL = re.compile(r"^real bugs.*: found (\d+)/(\d+) .* cleared after fix (\d+)/(\d+)$")


@dataclass
class Case:
    """One case of the set as the scorer reported it."""

    id: str
    status: str  # found, missed, not-here, failed
    pattern: str = ""
    cleared: bool | None = None  # None when not found or the fix was not checked
    findings: int | None = None
    detail: str = ""
    source: str = ""
    lines: list[str] = field(default_factory=list)


def find_scorer(given: str | None) -> pathlib.Path | None:
    """The scorer named on the command line, else `shared/eval/real_score.py` in the
    nearest folder above this repository that has one (`../shared/eval/` for a clone that
    sits beside `shared/`)."""
    if given:
        return pathlib.Path(given)
    for folder in REPO_ROOT.parents:
        candidate = folder / "shared" / "eval" / "real_score.py"
        if candidate.is_file():
            return candidate
    return None


def read_sources(scorer: pathlib.Path) -> dict[str, str]:
    """Case id -> where its snapshot comes from, from the case file beside the scorer."""
    tsv = scorer.parent / "real_bugs.tsv"
    if not tsv.is_file():
        return {}
    with tsv.open(newline="") as handle:
        return {row["id"]: row.get("fetch_source_for_bare_git", "") for row in csv.DictReader(handle, delimiter="\t")}


def parse_cases(output: str, sources: dict[str, str]) -> tuple[list[Case], str]:
    """Cases from the scorer's output, with the finding lines it prints under each; and
    its totals line."""
    cases: list[Case] = []
    total = ""
    for line in output.splitlines():
        head = _CASE.match(line)
        if head:
            cases.append(_parse_case(head.group(1), head.group(2), sources.get(head.group(1), "")))
        elif line.startswith("    ") and cases:
            cases[-1].lines.append(line.strip())
        elif _TOTAL.match(line):
            total = line
    return cases, total


def _parse_case(case_id: str, rest: str, source: str) -> Case:
    counted = _COUNTED.match(rest)
    if counted:
        verdict, fix, pattern, findings = counted.groups()
        return Case(case_id, "found" if verdict == "FOUND" else "missed", pattern,
                    None if not fix else fix.strip() == "cleared", int(findings), source=source)
    if rest.startswith("not here"):
        return Case(case_id, "not-here", rest.partition("(")[2].rstrip(")"), source=source)
    return Case(case_id, "failed", detail=rest, source=source)


def resolve_command(command: str) -> list[str] | None:
    """The nilmap command as an argument list whose program is an absolute path: the scorer
    runs it from inside each extracted tree, where a relative path would not resolve."""
    words = shlex.split(command)
    if not words:
        return None
    program = pathlib.Path(words[0])
    if "/" in words[0]:
        found = str(program.resolve()) if program.exists() else None
    else:
        found = shutil.which(words[0])
    return [found, *words[1:]] if found else None


def print_table(cases: list[Case], total: str) -> None:
    print(f"{'case':<6} {'pattern':<24} {'buggy':<8} {'fixed':<12} findings")
    for case in cases:
        fixed = {True: "cleared", False: "NOT-cleared", None: "-"}[case.cleared]
        findings = "-" if case.findings is None else str(case.findings)
        note = f"  ({case.detail})" if case.detail else ""
        print(f"{case.id:<6} {case.pattern:<24} {case.status:<8} {fixed:<12} {findings}{note}")
    absent = [case for case in cases if case.status == "not-here"]
    if absent:
        print(f"\n{len(absent)} case(s) without a snapshot here:")
        for case in absent:
            print(f"  {case.id}: {case.source or '(no source listed)'}")
    print()
    print(total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nilmap", default="nilmap", help="the nilmap command to score (default: nilmap)")
    parser.add_argument("--scorer", help="path of real_score.py (default: shared/eval/ above this repository)")
    parser.add_argument("--only", help="comma-separated case ids")
    parser.add_argument("--pattern", help="only the cases of one pattern (e.g. decoded-struct)")
    parser.add_argument("--json", action="store_true", help="print the cases as JSON")
    parser.add_argument("--show-findings", action="store_true", help="print each case's findings under it")
    args = parser.parse_args(argv)

    scorer = find_scorer(args.scorer)
    if scorer is None or not scorer.is_file():
        print(f"real_bugs: no scorer at {scorer or 'shared/eval/real_score.py above ' + str(REPO_ROOT)}; "
              "give its path with --scorer", file=sys.stderr)
        return 2
    command = [sys.executable, str(scorer)]
    for flag in ("only", "pattern"):
        if getattr(args, flag):
            command += [f"--{flag}", getattr(args, flag)]
    nilmap = resolve_command(args.nilmap)
    if nilmap is None:
        print(f"real_bugs: no program for the nilmap command {args.nilmap!r}", file=sys.stderr)
        return 2
    run = subprocess.run(command + nilmap, capture_output=True, text=True)
    cases, total = parse_cases(run.stdout, read_sources(scorer))
    if not total:
        print(run.stdout + run.stderr, file=sys.stderr)
        print("real_bugs: the scorer gave no totals line", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"scorer": str(scorer), "nilmap": args.nilmap, "total": total,
                          "cases": [asdict(case) for case in cases]}, indent=2))
        return 0
    print_table(cases, total)
    if args.show_findings:
        for case in cases:
            if case.lines:
                print(f"\n{case.id}:")
                for line in case.lines:
                    print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
