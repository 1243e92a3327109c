#!/usr/bin/env python3
"""Runs nilmap on the real-code corpus and compares every finding with the ledger.

For each entry of `repos.tsv` in the chosen split: extract its Go files at the pinned commit
(into a cache folder outside this repository, reused), run
`nilmap check --format json --no-progress` on the whole tree, and look every finding up in
`ledger.tsv`. Prints the findings per repository with their verdicts, the precision per rule
and per severity, the ledger rows no longer found, and the NEW findings to judge.

For the held-back split it prints only counts per rule and per severity, never a finding,
unless `--reveal-held-back` is given (done once, at the very end).

    python3 benchmarks/corpus/run.py                            # tune split, installed nilmap
    python3 benchmarks/corpus/run.py --nilmap '.venv/bin/nilmap' --jobs 2
    python3 benchmarks/corpus/run.py --split held-back          # counts only
    python3 benchmarks/corpus/run.py --only cli/cli,go-std --new-tsv /tmp/new.tsv
    python3 benchmarks/corpus/run.py --only openkruise/kruise --select NM   # every rule, opt-in ones too
    python3 benchmarks/corpus/run.py --json > corpus.json

This is a script, not a test: it prints figures and never asserts on them.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from entries import Entry, check_split, read_entries, select  # noqa: E402
from ledger import Judgement, problems, read_ledger, write_rows  # noqa: E402
from snapshots import Absent, default_cache, default_mirror, root_of  # noqa: E402

RUN_TIMEOUT_S = 3600


@dataclass
class Finding:
    """One nilmap finding in one entry, with its verdict from the ledger (`new` if none)."""

    id: str
    path: str
    line: int
    rule: str
    severity: str
    message: str
    verdict: str = "new"
    kind: str = ""

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.id, self.path, self.line, self.rule)


@dataclass
class EntryRun:
    """What one entry's run gave: findings, or why there are none."""

    entry: Entry
    findings: list[Finding] = field(default_factory=list)
    absent: str = ""
    failed: str = ""
    seconds: float = 0.0
    internal_errors: list[str] = field(default_factory=list)  # nilmap's stderr lines for code it could not check


def resolve_command(command: str) -> list[str]:
    """The nilmap command as arguments, its program made absolute (runs happen inside each
    entry's tree, where a relative path would not resolve)."""
    words = shlex.split(command)
    if not words:
        raise SystemExit("run: empty --nilmap command")
    program = pathlib.Path(words[0])
    found = str(program.resolve()) if "/" in words[0] and program.exists() else shutil.which(words[0])
    if not found:
        raise SystemExit(f"run: no program for the nilmap command {command!r}")
    return [found, *words[1:]]


def run_entry(
    entry: Entry, nilmap: list[str], workers: int, mirror: pathlib.Path, cache: pathlib.Path, select: str | None = None
) -> EntryRun:
    """Extracts (or finds) the entry's tree and runs nilmap on all of it (with `select`, the
    rules it names: `NM` for every rule, opt-in ones included)."""
    result = EntryRun(entry)
    try:
        root = root_of(entry, mirror, cache)
    except Absent as reason:
        result.absent = str(reason)
        return result
    command = nilmap + ["check", "--format", "json", "--no-progress", "--exit-zero", "--isolated", "-j", str(workers)]
    if select:
        command += ["--select", select]
    for glob in entry.exclude:
        command += ["--extend-exclude", glob]
    command.append("./...")
    started = time.monotonic()
    try:
        run = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        result.failed = f"no answer in {RUN_TIMEOUT_S} s"
        return result
    result.seconds = time.monotonic() - started
    if run.returncode != 0:
        result.failed = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[-1]
        return result
    result.findings = [
        Finding(entry.id, item["path"].removeprefix("./"), item["line"], item["code"], item["severity"], item["message"])
        for item in json.loads(run.stdout or "[]")
    ]
    # A rule that fails on a package loses that package's findings without changing the exit
    # code, so the count of checked code is only true with these shown.
    result.internal_errors = [line for line in run.stderr.splitlines() if line.startswith("nilmap: internal error")]
    return result


def judge(runs: list[EntryRun], ledger: dict[tuple[str, str, int, str], Judgement]) -> None:
    """Gives each finding its ledger verdict."""
    for entry_run in runs:
        for finding in entry_run.findings:
            row = ledger.get(finding.key)
            if row is not None:
                finding.verdict, finding.kind = row.verdict, row.kind


def gone(runs: list[EntryRun], ledger: dict[tuple[str, str, int, str], Judgement]) -> list[Judgement]:
    """Ledger rows of the entries that ran whose finding is no longer reported."""
    ran = {r.entry.id for r in runs if not r.absent and not r.failed}
    seen = {f.key for r in runs for f in r.findings}
    return sorted((row for key, row in ledger.items() if row.id in ran and key not in seen), key=lambda r: r.key)


def tally(findings: list[Finding], by: str) -> dict[str, dict[str, object]]:
    """Counts of verdicts per rule or per severity, with the precision over judged findings
    (real / (real + false + unsure)); `new` findings are not judged yet."""
    groups: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for finding in findings:
        groups[getattr(finding, by)][finding.verdict] += 1
        groups["all"][finding.verdict] += 1
    table = {}
    for name, counts in sorted(groups.items(), key=lambda item: (item[0] == "all", item[0])):
        judged = counts["real"] + counts["false"] + counts["unsure"]
        table[name] = {"findings": sum(counts.values()), "real": counts["real"], "false": counts["false"],
                       "unsure": counts["unsure"], "new": counts["new"],
                       "precision": round(counts["real"] / judged, 4) if judged else None}
    return table


def counts_only(findings: list[Finding], by: str) -> dict[str, int]:
    counts = collections.Counter(getattr(f, by) for f in findings)
    counts["all"] = len(findings)
    return dict(sorted(counts.items(), key=lambda item: (item[0] == "all", item[0])))


def _print_tally(title: str, table: dict[str, dict[str, object]]) -> None:
    print(f"\n== {title} ==")
    print(f"{'':10} {'findings':>8} {'real':>5} {'false':>6} {'unsure':>6} {'new':>5} {'precision':>10}")
    for name, row in table.items():
        precision = "-" if row["precision"] is None else f"{100 * row['precision']:.1f}%"
        print(f"{name:10} {row['findings']:>8} {row['real']:>5} {row['false']:>6} {row['unsure']:>6} {row['new']:>5} {precision:>10}")


def _print_status(runs: list[EntryRun], split: str, nilmap: list[str]) -> None:
    ran = [r for r in runs if not r.absent and not r.failed]
    print(f"corpus: split {split}, {len(runs)} entries, {len(ran)} checked, "
          f"{sum(bool(r.absent) for r in runs)} absent, {sum(bool(r.failed) for r in runs)} failed; "
          f"nilmap: {shlex.join(nilmap)}")
    for entry_run in runs:
        if entry_run.absent:
            print(f"  absent: {entry_run.entry.id}: {entry_run.entry.split}: {entry_run.absent}")
        elif entry_run.failed:
            print(f"  failed: {entry_run.entry.id}: {entry_run.failed}")
        elif entry_run.internal_errors:
            # Held-back entries show the count only: the message names a file of the code.
            first = "" if entry_run.entry.split == "held-back" else f": {entry_run.internal_errors[0]}"
            print(f"  internal errors: {entry_run.entry.id}: {len(entry_run.internal_errors)}{first}")


def print_revealed(runs: list[EntryRun], lost: list[Judgement], show_all: bool) -> None:
    """Findings per repository with verdicts, the tallies, the gone rows, the new findings."""
    findings = [f for r in runs for f in r.findings]
    print("\n== findings per repository ==")
    for entry_run in runs:
        if entry_run.absent or entry_run.failed:
            continue
        if not entry_run.findings and not show_all:
            continue
        print(f"{entry_run.entry.id} ({entry_run.entry.kind}, {entry_run.entry.split}): "
              f"{len(entry_run.findings)} findings, {entry_run.seconds:.1f} s")
        for f in sorted(entry_run.findings, key=lambda f: f.key):
            kind = f" [{f.kind}]" if f.kind else ""
            print(f"  {f.verdict:<6} {f.path}:{f.line} {f.rule} {f.severity}{kind}: {f.message}")
    _print_tally("per rule", tally(findings, "rule"))
    _print_tally("per severity", tally(findings, "severity"))
    print(f"\n== in the ledger, no longer found: {len(lost)} ==")
    for row in lost:
        print(f"  {row.verdict:<6} {row.id} {row.path}:{row.line} {row.rule}{' [' + row.kind + ']' if row.kind else ''}")
    new = [f for f in findings if f.verdict == "new"]
    print(f"\n== new findings to judge: {len(new)} ==")
    for f in new:
        print(f"  {f.id} {f.path}:{f.line} {f.rule} {f.severity}: {f.message}")


def print_counts(runs: list[EntryRun]) -> None:
    """Held-back entries not revealed: counts per rule and per severity only."""
    findings = [f for r in runs for f in r.findings]
    for by in ("rule", "severity"):
        print(f"\n== held-back findings per {by} (not shown) ==")
        for name, count in counts_only(findings, by).items():
            print(f"  {name:10} {count}")


def as_json(shown: list[EntryRun], hidden: list[EntryRun], lost: list[Judgement], split: str, nilmap: list[str]) -> dict:
    """The report as data: every shown finding with its verdict and the tallies; for hidden
    (held-back, not revealed) entries only counts per rule and per severity."""
    findings = [f for r in shown for f in r.findings]
    secret = [f for r in hidden for f in r.findings]
    shown_ids = {r.entry.id for r in shown}
    entries = [{"id": r.entry.id, "split": r.entry.split, "kind": r.entry.kind, "absent": r.absent,
                "failed": r.failed, "internal_errors": len(r.internal_errors), "seconds": round(r.seconds, 2), **({"findings": len(r.findings)} if r.entry.id in shown_ids else {})}
               for r in shown + hidden]
    report: dict[str, object] = {"split": split, "nilmap": nilmap, "entries": entries}
    if shown:
        report.update(findings=[asdict(f) for f in findings], per_rule=tally(findings, "rule"),
                      per_severity=tally(findings, "severity"), gone=[asdict(row) for row in lost])
    if hidden:
        report.update(held_back_per_rule=counts_only(secret, "rule"), held_back_per_severity=counts_only(secret, "severity"))
    return report


def write_new(path: pathlib.Path, runs: list[EntryRun]) -> int:
    """The new findings as ledger rows to fill in (verdict and kind empty, the message as why)."""
    rows = [Judgement(f.id, f.path, f.line, f.rule, f.severity, "", "", f.message)
            for r in runs for f in r.findings if f.verdict == "new"]
    write_rows(path, rows)
    return len(rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nilmap", default="nilmap", help="the nilmap command (default: nilmap on PATH)")
    parser.add_argument("--split", choices=("tune", "held-back", "all"), default="tune")
    parser.add_argument("--reveal-held-back", action="store_true",
                        help="show held-back findings too (once, at the very end of the work it measures)")
    parser.add_argument("--only", help="comma-separated entry ids (within the split)")
    parser.add_argument("--select", help="the rules to run, as nilmap's --select takes them (NM: every rule, opt-in ones too)")
    parser.add_argument("--jobs", type=int, choices=(1, 2), default=1, help="entries checked at once (at most 2)")
    parser.add_argument("--json", action="store_true", help="machine-readable report on stdout")
    parser.add_argument("--new-tsv", type=pathlib.Path, help="write the new findings as ledger rows to judge")
    parser.add_argument("--show-empty", action="store_true", help="list entries without findings too")
    parser.add_argument("--repos", type=pathlib.Path, default=HERE / "repos.tsv")
    parser.add_argument("--ledger", type=pathlib.Path, default=HERE / "ledger.tsv")
    parser.add_argument("--mirror", type=pathlib.Path, default=None, help="folder of the bare snapshots")
    parser.add_argument("--cache", type=pathlib.Path, default=None, help="folder for the extracted trees")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    entries = read_entries(args.repos)
    wrong = check_split(entries)
    if wrong:
        print("run: repos.tsv breaks its split rule:\n  " + "\n  ".join(wrong), file=sys.stderr)
        return 2
    chosen = select(entries, args.split)
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [e for e in chosen if e.id in wanted]
    nilmap = resolve_command(args.nilmap)
    mirror = args.mirror or default_mirror(HERE)
    cache = args.cache or default_cache()
    # At most two heavy processes: two entries with one nilmap worker each, or one with two.
    workers = max(1, min(os.cpu_count() or 1, 2) // args.jobs)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        runs = list(pool.map(lambda e: run_entry(e, nilmap, workers, mirror, cache, args.select), chosen))
    ledger = read_ledger(args.ledger)
    for problem in problems(ledger, args.ledger):
        print(f"run: ledger: {problem}", file=sys.stderr)
    judge(runs, ledger)
    # Held-back findings stay hidden (counts only) unless revealed; tune ones are always shown.
    shown = [r for r in runs if args.reveal_held_back or r.entry.split != "held-back"]
    hidden = [r for r in runs if not (args.reveal_held_back or r.entry.split != "held-back")]
    lost = gone(shown, ledger)
    if args.new_tsv:
        print(f"run: {write_new(args.new_tsv, shown)} new findings written to {args.new_tsv}", file=sys.stderr)
    if args.json:
        print(json.dumps(as_json(shown, hidden, lost, args.split, nilmap), indent=2))
        return 0
    _print_status(runs, args.split, nilmap)
    if shown:
        print_revealed(shown, lost, args.show_empty)
    if hidden:
        print_counts(hidden)
    return 0


if __name__ == "__main__":
    sys.exit(main())
