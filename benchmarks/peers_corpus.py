#!/usr/bin/env python3
"""Precision of the peers on real code: staticcheck and nilaway on the corpus' tune split.

For each tune-split repository of `corpus/repos.tsv` (never a held-back one: the script
refuses them), the whole tree at the pinned commit is extracted from its snapshot, its
dependencies are fetched from the module proxy (`go mod download`, time-limited), and
staticcheck (`-checks SA5000`) and nilaway (default flags) run on `./...`, one at a time,
under `nice` and a time limit. Only their findings about writes to nil maps are kept:
SA5000, and nilaway's flows ending in "written to at an index". Each is looked up in
`corpus/peers_ledger.tsv` (columns as `corpus/ledger.tsv`: id, path, line, rule,
severity, verdict, kind, why; rule is the peer's code), and printed with its verdict, or
as `new` for a finding nobody has judged yet; `--new-tsv FILE` writes those as rows to
judge. It also says whether nilmap's own ledger has a finding on the same line.
Prints tables; asserts nothing.

    .venv/bin/python benchmarks/peers_corpus.py --only spf13/cobra,miekg/dns
    .venv/bin/python benchmarks/peers_corpus.py --new-tsv /tmp/new.tsv
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "corpus"))

import peer_tools as pt  # noqa: E402
from entries import read_entries, select  # noqa: E402
from ledger import Judgement, read_ledger, write_rows  # noqa: E402
from peers_real_bugs import GOPATH, extract, last_line  # noqa: E402
from snapshots import default_mirror, git_dir  # noqa: E402

LEDGER = HERE / "corpus" / "peers_ledger.tsv"
NILMAP_LEDGER = HERE / "corpus" / "ledger.tsv"


@dataclass
class RepoRun:
    id: str
    status: str  # "ok" or why not
    findings: list[Judgement]
    seconds: dict[str, float]
    totals: dict[str, int] | None = None  # every finding of each peer, maps or not


def env_for(tree: Path, proxy: str) -> dict[str, str]:
    vendored = (tree / "vendor" / "modules.txt").is_file()
    return pt.go_env({
        "GOPROXY": proxy,
        "GOSUMDB": "off",
        "GOFLAGS": "-mod=vendor" if vendored else "-mod=mod",
        "GOPATH": str(GOPATH),
        "GOCACHE": str(GOPATH.parent / "gocache"),
    })


def as_rows(entry_id: str, tree: Path, findings: list[pt.Finding]) -> list[Judgement]:
    rows = {}
    for f in findings:
        if not pt.about_map_write(f):
            continue
        path = os.path.relpath(f.path, tree)
        rule = "SA5000" if f.tool == "staticcheck" else "nilaway"
        row = Judgement(entry_id, path, f.line, rule, "error", "", "", pt.short_message(f, 200))
        rows[row.key] = row
    return list(rows.values())


def run_repo(entry, mirror: Path, proxy: str, timeout: float) -> RepoRun:
    seconds: dict[str, float] = {}
    gd = git_dir(mirror, entry.source)
    if gd is None:
        return RepoRun(entry.id, "no snapshot", [], seconds)
    with tempfile.TemporaryDirectory(prefix="nilmap-peers-corpus-") as scratch:
        tree = Path(scratch)
        if not extract(gd, entry.commit, tree):
            return RepoRun(entry.id, "pinned commit not in the snapshot", [], seconds)
        if not (tree / "go.mod").is_file():
            return RepoRun(entry.id, "no go.mod at the root", [], seconds)
        env = env_for(tree, proxy)
        if "-mod=mod" in env["GOFLAGS"]:
            start = time.perf_counter()
            code, _, err = pt.run(["go", "mod", "download"], tree, env, timeout)
            seconds["download"] = time.perf_counter() - start
            if code != 0:
                return RepoRun(entry.id, f"go mod download: {last_line(err)}", [], seconds)
        env["GOPROXY"] = "off"
        findings: list[pt.Finding] = []
        totals: dict[str, int] = {}
        notes = []
        for name, argv, parse in (
            ("staticcheck", pt.staticcheck_argv(["./..."], "SA5000"), pt.parse_staticcheck),
            ("nilaway", pt.nilaway_argv(["./..."], [], str(tree)), pt.parse_nilaway),
        ):
            start = time.perf_counter()
            code, out, err = pt.run(argv, tree, env, timeout)
            seconds[name] = time.perf_counter() - start
            found, problems = parse(out)
            findings += found
            totals[name] = len(found)
            if code == 124:
                notes.append(f"{name} timed out")
            elif code not in (0, 1, 3):  # a crash or the memory cap: its silence is no verdict
                why = "out of memory at the cap" if "out of memory" in err else last_line(err)
                notes.append(f"{name} failed (exit {code}: {why})")
            if problems:
                notes.append(f"{name}: {len(problems)} package(s) not analysed")
        return RepoRun(entry.id, "ok" + (f" ({'; '.join(notes)})" if notes else ""), as_rows(entry.id, tree, findings), seconds, totals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated corpus ids (tune split only)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the download and for each peer")
    parser.add_argument("--proxy", default=os.environ.get("GOPROXY", "https://proxy.golang.org,direct"))
    parser.add_argument("--new-tsv", help="write the findings the ledger does not judge yet here")
    args = parser.parse_args(argv)
    entries = [e for e in select(read_entries(HERE / "corpus" / "repos.tsv"), "tune") if e.is_github]
    if args.only:
        wanted = set(args.only.split(","))
        held = [e.id for e in read_entries(HERE / "corpus" / "repos.tsv") if e.id in wanted and e.split != "tune"]
        if held:
            raise SystemExit(f"held-back entries are never run: {', '.join(held)}")
        entries = [e for e in entries if e.id in wanted]
    ledger = read_ledger(LEDGER) if LEDGER.exists() else {}
    nilmap_lines = {(k[0], k[1], k[2]) for k in read_ledger(NILMAP_LEDGER)}
    mirror = default_mirror(HERE)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; " + "; ".join(f"{k} {v}" for k, v in pt.versions().items()))
    runs = []
    for entry in entries:
        run = run_repo(entry, mirror, args.proxy, args.timeout)
        times = ", ".join(f"{k} {v:.0f} s" for k, v in run.seconds.items())
        print(f"  {entry.id}: {run.status}, {len(run.findings)} map-write findings ({times})", file=sys.stderr, flush=True)
        runs.append(run)
    print("\n| repository | status | SA5000 | nilaway map writes (all nilaway findings) |")
    print("|---|---|---|---|")
    for run in runs:
        count = Counter(f.rule for f in run.findings)
        every = (run.totals or {}).get("nilaway", 0)
        print(f"| {run.id} | {run.status} | {count['SA5000']} | {count['nilaway']} ({every}) |")
    verdicts: Counter = Counter()
    new = []
    print()
    for run in runs:
        for row in sorted(run.findings, key=lambda r: r.key):
            judged = ledger.get(row.key)
            verdict = judged.verdict if judged else "new"
            verdicts[(row.rule, verdict)] += 1
            also = " [nilmap too]" if (row.id, row.path, row.line) in nilmap_lines else ""
            print(f"{row.id} {row.path}:{row.line} {row.rule} {verdict}{also}: {(judged.why if judged else row.why)[:160]}")
            if judged is None:
                new.append(row)
    print("\n| peer rule | real | false | unsure | new | precision real/(real+false+unsure) |")
    print("|---|---|---|---|---|---|")
    for rule in ("SA5000", "nilaway"):
        real, false, unsure, fresh = (verdicts[(rule, v)] for v in ("real", "false", "unsure", "new"))
        judged = real + false + unsure
        print(f"| {rule} | {real} | {false} | {unsure} | {fresh} | {f'{real / judged:.0%}' if judged else '–'} |")
    if args.new_tsv:
        write_rows(Path(args.new_tsv), new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
