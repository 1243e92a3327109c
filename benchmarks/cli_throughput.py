#!/usr/bin/env python3
"""Throughput of `nilmap check` on the Go standard library, against its floor and a peer.

One run measures:

  parse        a bare tree-sitter parse of the files nilmap parses (after its build-
               constraint filter for the host platform), in this process
               (read the bytes, `analyzers.parsing.parse` each, drop the tree): the floor
               for a design that parses every file in Python;
  nilmap -jN   `nilmap check GOROOT/src/...` as a subprocess, default jobs (all cores);
  nilmap -j1   the same with one process;
  staticcheck  `go-staticcheck -checks SA5000` on a set of std packages, run from a
               temporary module, first with fresh STATICCHECK_CACHE and GOCACHE (cold),
               then again with those caches (warm);
  nilmap on the same packages (their directories, not recursive), for a like-for-like ratio.

For each: wall time, user+sys CPU, peak RSS of the largest process (`ru_maxrss` from
wait4, as `/usr/bin/time -v` reports it) and, for subprocess trees, the peak of the
summed RSS of the whole tree sampled from /proc every 50 ms (nilmap -jN runs one process
per core; staticcheck starts `go list`).

This is a script, not a test: nothing asserts on the figures.

    python3 benchmarks/cli_throughput.py                       # sample of std for staticcheck
    python3 benchmarks/cli_throughput.py --staticcheck-scope std   # all of std (5+ minutes)
    python3 benchmarks/cli_throughput.py --json > figures.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from analyzers.loader import expand  # noqa: E402
from analyzers.parsing import parse  # noqa: E402

# Big, varied std packages; `go-staticcheck` loads and analyses their dependencies too.
SAMPLE_PACKAGES = (
    "net/http",
    "encoding/json",
    "go/types",
    "cmd/compile/internal/ssa",
    "runtime",
    "crypto/tls",
)

GO_ENV = {"GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOWORK": "off"}


@dataclass
class Measure:
    name: str
    wall_s: float
    cpu_s: float  # user + sys
    max_rss_mb: float  # largest single process
    tree_rss_mb: float | None = None  # peak of the sum over the process tree (sampled)
    files: int | None = None
    exit_code: int | None = None
    findings: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


# -- process-tree RSS sampling -------------------------------------------------------------
def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses.
        rest = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(rest[1]), []).append(int(entry))
    return children


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            children = _children_map()
            todo, total = [self.pid], 0
            while todo:
                pid = todo.pop()
                total += _rss_kb(pid)
                todo.extend(children.get(pid, ()))
            self.peak_kb = max(self.peak_kb, total)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_measured(name: str, argv: list[str], cwd: str | None = None, env: dict | None = None) -> tuple[Measure, bytes]:
    """Run `argv`; wall, CPU and peak RSS of the process tree (wait4 rusage + /proc sampling)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    sampler.stop()
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = b"".join(err_chunks)
    measure = Measure(
        name=name,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux; covers waited-for descendants
        tree_rss_mb=max(sampler.peak_kb, usage.ru_maxrss) / 1024,
        exit_code=proc.returncode,
    )
    internal = [line for line in stderr.decode("utf-8", "replace").splitlines() if "internal error" in line]
    if internal:
        measure.note = f"{len(internal)} internal error line(s) on stderr"
    if proc.returncode not in (0, 1):
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        measure.note = (measure.note + " " if measure.note else "") + f"exit {proc.returncode}: {' | '.join(tail)}"
    return measure, b"".join(out_chunks)


# -- the measurements --------------------------------------------------------------------------
def goroot() -> str:
    return subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()


def nilmap_files(paths: list[str]) -> list[str]:
    """The files `nilmap check PATHS` parses: same expansion (testdata/vendor skipped) and,
    when the loader filters by build constraints, only the host platform's files."""
    files = [f for job in expand(paths).jobs for f in job.files]
    try:
        from analyzers.buildtags import host_platform, matches
    except ImportError:  # a loader without build-constraint filtering parses every file
        return files
    goos, goarch = host_platform()
    kept = []
    for path in files:
        with open(path, "rb") as handle:
            if matches(path, handle.read(), goos, goarch):
                kept.append(path)
    return kept


def measure_parse(files: list[str]) -> Measure:
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    total_bytes = 0
    error_trees = 0
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        total_bytes += len(data)
        tree = parse(data)
        error_trees += tree.root_node.has_error
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return Measure(
        name="tree-sitter parse (in-process)",
        wall_s=wall,
        cpu_s=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        max_rss_mb=after.ru_maxrss / 1024,
        files=len(files),
        extra={"bytes": total_bytes, "mb_per_s": total_bytes / wall / 1e6, "error_trees": error_trees},
    )


def nilmap_argv(paths: list[str], jobs: int | None, cache: str | None = None) -> list[str]:
    argv = [sys.executable, "-m", "analyzers.cli", "check", "--format", "json"]
    if cache is None:
        argv.append("--no-cache")  # cold figures: parse and analyse everything
    if jobs is not None:
        argv += ["-j", str(jobs)]
    return argv + paths


def measure_nilmap(name: str, paths: list[str], jobs: int | None, cache: str | None = None) -> Measure:
    env_cache = {"NILMAP_CACHE_DIR": cache} if cache is not None else {}
    old = {k: os.environ.get(k) for k in env_cache}
    os.environ.update(env_cache)
    try:
        measure, out = run_measured(name, nilmap_argv(paths, jobs, cache), cwd=os.path.dirname(HERE))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        measure.findings = len(json.loads(out or b"[]"))
    except ValueError:
        measure.note += " (unreadable JSON output)"
    measure.files = len(nilmap_files(paths))
    return measure


def measure_staticcheck(packages: list[str], root: str, keep_caches: bool) -> list[Measure]:
    binary = shutil.which("go-staticcheck") or shutil.which("staticcheck")
    if binary is None:
        return [Measure("staticcheck", 0, 0, 0, note="go-staticcheck not found")]
    moddir = tempfile.mkdtemp(prefix="nilmap-bench-mod-")
    caches = tempfile.mkdtemp(prefix="nilmap-bench-cache-")
    try:
        with open(os.path.join(moddir, "go.mod"), "w") as handle:
            handle.write("module nilmapbench\n\ngo 1.19\n")
        with open(os.path.join(moddir, "main.go"), "w") as handle:
            handle.write("package main\n\nfunc main() {}\n")
        env = dict(GO_ENV)
        env["STATICCHECK_CACHE"] = os.path.join(caches, "staticcheck")
        env["GOCACHE"] = os.path.join(caches, "go-build")
        argv = [binary, "-checks", "SA5000", *packages]
        results = []
        for label in ("cold", "warm"):
            measure, out = run_measured(f"staticcheck SA5000 ({label})", argv, cwd=moddir, env=env)
            measure.findings = sum(1 for line in out.decode("utf-8", "replace").splitlines() if "SA5000" in line)
            measure.extra["packages"] = list(packages)
            results.append(measure)
        return results
    finally:
        if not keep_caches:
            shutil.rmtree(caches, ignore_errors=True)
        shutil.rmtree(moddir, ignore_errors=True)


# -- report -----------------------------------------------------------------------------------------
def ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def build_report(args: argparse.Namespace) -> dict:
    root = os.path.join(goroot(), "src")
    std_paths = [root + "/..."]
    files = nilmap_files(std_paths)
    measures: dict[str, Measure] = {}
    # The parse runs first, so this process's maxrss is the parse's (plus imports).
    measures["parse"] = measure_parse(files)
    measures["nilmap"] = measure_nilmap(f"nilmap check std/... (-j {os.cpu_count()})", std_paths, None)
    measures["nilmap_j1"] = measure_nilmap("nilmap check std/... (-j 1)", std_paths, 1)
    # Warm: a second run over the unchanged tree reads each directory's stored result.
    warm_cache = tempfile.mkdtemp(prefix="nilmap-bench-results-")
    measure_nilmap("nilmap check std/... (fills the result cache)", std_paths, None, warm_cache)
    measures["nilmap_warm"] = measure_nilmap("nilmap check std/... (warm result cache)", std_paths, None, warm_cache)
    shutil.rmtree(warm_cache, ignore_errors=True)

    if args.staticcheck_scope == "std":
        packages = ["std"]
        sample_paths = std_paths
    else:
        packages = list(args.packages or SAMPLE_PACKAGES)
        sample_paths = [os.path.join(root, p) for p in packages]
    if not args.no_staticcheck:
        cold, warm = measure_staticcheck(packages, root, args.keep_caches)
        measures["staticcheck_cold"] = cold
        measures["staticcheck_warm"] = warm
    if args.staticcheck_scope == "std":
        measures["nilmap_sample"] = measures["nilmap"]
    else:
        measures["nilmap_sample"] = measure_nilmap(
            f"nilmap check {len(packages)} std packages (-j {os.cpu_count()})", sample_paths, None
        )
        measures["nilmap_sample_j1"] = measure_nilmap(f"nilmap check {len(packages)} std packages (-j 1)", sample_paths, 1)

    p, n, n1 = measures["parse"], measures["nilmap"], measures["nilmap_j1"]
    ratios = {
        "nilmap_jN_wall / parse_wall": ratio(n.wall_s, p.wall_s),
        "nilmap_j1_wall / parse_wall": ratio(n1.wall_s, p.wall_s),
        "nilmap_j1_cpu / parse_cpu": ratio(n1.cpu_s, p.cpu_s),
        "nilmap_jN_cpu / parse_cpu": ratio(n.cpu_s, p.cpu_s),
        "nilmap_warm_wall / parse_wall": ratio(measures["nilmap_warm"].wall_s, p.wall_s),
    }
    if "staticcheck_cold" in measures:
        s = measures["nilmap_sample"]
        for label in ("cold", "warm"):
            sc = measures[f"staticcheck_{label}"]
            ratios[f"staticcheck_{label}_wall / nilmap_sample_wall"] = ratio(sc.wall_s, s.wall_s)
            ratios[f"staticcheck_{label}_cpu / nilmap_sample_cpu"] = ratio(sc.cpu_s, s.cpu_s)
            ratios[f"staticcheck_{label}_rss / nilmap_sample_rss"] = ratio(sc.max_rss_mb, s.max_rss_mb)
        if "nilmap_sample_j1" in measures:
            sc = measures["staticcheck_cold"]
            ratios["staticcheck_cold_wall / nilmap_sample_j1_wall"] = ratio(sc.wall_s, measures["nilmap_sample_j1"].wall_s)
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_at_end": os.getloadavg(),
        },
        "goroot_src": root,
        "staticcheck_scope": args.staticcheck_scope,
        "staticcheck_packages": packages,
        "measures": {k: asdict(v) for k, v in measures.items()},
        "ratios": ratios,
    }


def print_table(report: dict, out=sys.stdout) -> None:
    m = report["measures"]
    print(f"cpus={report['machine']['cpus']}  python {report['machine']['python']}  "
          f"std src: {report['goroot_src']}", file=out)
    head = f"{'what':44} {'files':>6} {'wall s':>8} {'cpu s':>8} {'maxRSS MB':>10} {'treeRSS MB':>10} {'exit':>4} {'finds':>5}"
    print(head, file=out)
    print("-" * len(head), file=out)
    for v in m.values():
        tree = f"{v['tree_rss_mb']:.0f}" if v["tree_rss_mb"] is not None else "-"
        files = str(v["files"]) if v["files"] is not None else "-"
        code = str(v["exit_code"]) if v["exit_code"] is not None else "-"
        finds = str(v["findings"]) if v["findings"] is not None else "-"
        print(f"{v['name'][:44]:44} {files:>6} {v['wall_s']:8.2f} {v['cpu_s']:8.2f} {v['max_rss_mb']:10.0f} "
              f"{tree:>10} {code:>4} {finds:>5}" + (f"  {v['note']}" if v["note"] else ""), file=out)
    p = m["parse"]["extra"]
    print(f"\nparse: {p['bytes'] / 1e6:.1f} MB, {p['mb_per_s']:.1f} MB/s, {p['error_trees']} trees with ERROR", file=out)
    if "staticcheck_cold" in m:
        print("staticcheck packages: " + " ".join(report["staticcheck_packages"]), file=out)
    print("\nratios:", file=out)
    for k, v in report["ratios"].items():
        print(f"  {k:50} {v:7.2f}" if v is not None else f"  {k:50}       -", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staticcheck-scope", choices=("sample", "std"), default="sample",
                        help="sample: a few big std packages (default); std: all of std (5+ minutes)")
    parser.add_argument("--packages", nargs="+", help="override the sample package list")
    parser.add_argument("--no-staticcheck", action="store_true", help="skip the peer")
    parser.add_argument("--keep-caches", action="store_true", help="keep the temporary staticcheck/go caches")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    report = build_report(args)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
