#!/usr/bin/env python3
"""Speed and memory of the command line: nilmap against staticcheck and nilaway, one at a time.

Targets: `std` (the Go standard library of the `go` on PATH: nilmap reads
`$(go env GOROOT)/src/...`, the peers analyse the pattern `std` from a scratch module) and
corpus entries of the tune split (`benchmarks/corpus/repos.tsv`; their files come from the
corpus cache that `benchmarks/corpus/run.py` fills, their dependencies from the module proxy
with `go mod download`, not timed). Each tool runs cold, then warm:

  nilmap       `nilmap check --format json ./...`: cold with `--no-cache`, warm with a cache
               folder filled by the cold run
  staticcheck  `staticcheck -checks SA5000,SA5011 -f json PKGS`: cold with fresh GOCACHE and
               STATICCHECK_CACHE, warm with those caches
  nilaway      `nilaway -json PKGS` (default flags): cold with a fresh GOCACHE, warm with it
               (the standalone nilaway keeps no cache of its own)

Columns: wall time, user+sys CPU of the process tree, peak RSS of the largest process and
of the summed tree (see `cli_throughput.py`), findings (all / about nil-map writes). Peers
run under `nice -n 10` with a time limit. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/peers_speed.py --target std
    .venv/bin/python benchmarks/peers_speed.py --target grafana/loki --target traefik/traefik
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "corpus"))
sys.path.insert(0, str(HERE.parent))

import peer_tools as pt  # noqa: E402
from cli_throughput import Measure, run_measured  # noqa: E402


def goroot() -> Path:
    return Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())


def corpus_root(entry_id: str) -> Path:
    from entries import read_entries
    from snapshots import default_cache, default_mirror, root_of

    entries = {e.id: e for e in read_entries(HERE / "corpus" / "repos.tsv")}
    entry = entries[entry_id]
    if entry.split != "tune":
        raise SystemExit(f"{entry_id} is {entry.split}: only the tune split is run")
    return root_of(entry, default_mirror(HERE), default_cache())


def prepare(target: str, work: Path, proxy: str) -> tuple[Path, list[str], list[str], str]:
    """(where the peers run, their package patterns, nilmap's paths, the folder findings are in)."""
    if target == "std":
        module = work / "scratch"
        module.mkdir()
        (module / "go.mod").write_text("module scratch.example\n\ngo 1.23\n")
        src = goroot() / "src"
        return module, ["std"], [f"{src}/..."], str(src)
    root = corpus_root(target)
    copy = work / "tree"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".corpus-extracted"))
    env = pt.go_env({"GOPROXY": proxy, "GOFLAGS": "-mod=mod", "GOPATH": str(work / "gopath")})
    result = subprocess.run(["go", "mod", "download"], cwd=copy, env=env, capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{target}: go mod download failed: {result.stderr.strip()[-400:]}")
    return copy, ["./..."], ["./..."], str(copy)


def count(tool: str, out: bytes, cwd: Path) -> tuple[int, int]:
    text = out.decode("utf-8", "replace")
    try:
        if tool == "nilmap":
            findings = pt.parse_nilmap(text, cwd)
        elif tool == "staticcheck":
            findings = pt.parse_staticcheck(text)[0]
        else:
            findings = pt.parse_nilaway(text)[0]
    except ValueError:
        return -1, -1
    return len(findings), sum(pt.about_map_write(f) for f in findings)


def measure(name: str, tool: str, argv: list[str], cwd: Path, env: dict[str, str], timeout: float, max_gb: float) -> Measure:
    # A cap on the address space stops a run that would exhaust a shared machine's memory
    # (Go reserves little address space beyond what it uses, so the cap acts on the heap).
    limit = ["prlimit", f"--as={int(max_gb * 2**30)}"] if max_gb else []
    argv = ["timeout", str(int(timeout)), *limit, "nice", "-n", "10", *argv]
    m, out = run_measured(name, argv, cwd=str(cwd), env=env)
    if m.exit_code == 124:
        m.note = f"timed out after {timeout:.0f} s"
    elif m.exit_code not in (0, 1, 3) and max_gb:
        m.note = f"stopped (exit {m.exit_code}): memory cap {max_gb:g} GB? " + m.note
    m.findings, m.extra["map_findings"] = count(tool, out, cwd)
    print(f"  {name}: {m.wall_s:.1f} s wall, {m.cpu_s:.1f} s CPU, {m.max_rss_mb:.0f} MB, {m.findings} findings {m.note}", file=sys.stderr, flush=True)
    return m


def run_target(target: str, tools: list[str], timeout: float, proxy: str, max_gb: float) -> list[Measure]:
    work = Path(tempfile.mkdtemp(prefix="nilmap-peers-speed-"))
    try:
        cwd, packages, nilmap_paths, report_root = prepare(target, work, proxy)
        base = {"GOPATH": str(work / "gopath"), "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
        results = []
        for tool in tools:
            caches = work / f"caches-{tool}"
            env = dict(pt.GO_ENV, **base, GOCACHE=str(caches / "go-build"), STATICCHECK_CACHE=str(caches / "staticcheck"), NILMAP_CACHE_DIR=str(caches / "nilmap"))
            if tool == "nilmap":
                cold = pt.nilmap_argv(nilmap_paths, cache=False)
                warm = pt.nilmap_argv(nilmap_paths, cache=True)
                fill = warm
            elif tool == "staticcheck":
                cold = warm = fill = pt.staticcheck_argv(packages)
            else:
                cold = warm = fill = pt.nilaway_argv(packages, [], report_root)
            results.append(measure(f"{tool} cold", tool, cold, cwd, env, timeout, max_gb))
            if tool == "nilmap":  # the cold run skips the cache: fill it first
                subprocess.run(fill, cwd=cwd, env={**os.environ, **env}, capture_output=True, timeout=timeout, check=False)
            results.append(measure(f"{tool} warm", tool, warm, cwd, env, timeout, max_gb))
            shutil.rmtree(caches, ignore_errors=True)
        return results
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(work)], capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)


def print_table(target: str, results: list[Measure]) -> None:
    print(f"\n{target}\n")
    print("| run | wall s | CPU s | max RSS MB | tree RSS MB | findings (nil-map) | note |")
    print("|---|---|---|---|---|---|---|")
    for m in results:
        print(f"| {m.name} | {m.wall_s:.1f} | {m.cpu_s:.1f} | {m.max_rss_mb:,.0f} | {m.tree_rss_mb or 0:,.0f} | {m.findings} ({m.extra.get('map_findings')}) | {m.note} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", action="append", default=[], help="std or a tune-split corpus id (repeatable)")
    parser.add_argument("--tool", action="append", choices=("nilmap", "staticcheck", "nilaway"), help="default: all three")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--proxy", default=os.environ.get("GOPROXY_FOR_BENCH", "https://proxy.golang.org"), help="module proxy for `go mod download`")
    parser.add_argument("--max-gb", type=float, default=12, help="address-space cap per run in GB (0: none)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    tools = args.tool or ["nilmap", "staticcheck", "nilaway"]
    load = os.getloadavg()[0]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores, loadavg {load:.1f} at start; "
          + "; ".join(f"{k} {v}" for k, v in pt.versions().items()))
    report = {}
    for target in args.target or ["std"]:
        results = run_target(target, tools, args.timeout, args.proxy, args.max_gb)
        print_table(target, results)
        report[target] = [m.__dict__ for m in results]
    print(f"\nloadavg at end {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
