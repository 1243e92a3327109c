#!/usr/bin/env python3
"""Cost of the package index: a full index of a big package, and one-file updates.

1. Finds the largest real package directory (most `.go` files with one package clause,
   test files included as nilmap reads them; testdata/vendor skipped) under the roots
   (default: the Debian sources in /usr/share/gocode/src), and measures, in a fresh child
   process, the time and memory of building its index: parse every file
   (`SourceFile(path, bytes)`) + `PackageIndex(files)` + the merged views
   (`structs`, `funcs`, `methods`, `vars`, `named_types`, `inits`) that the rules read.
   Memory is the child's RSS after reading the bytes (baseline) and its peak afterwards.
2. On a 200-file package (the largest real one cut to 200 files if it has that many;
   otherwise a synthetic one: its files copied under distinct names, then files of the
   next-largest packages, all with one package clause), times
   `PackageIndex.update(SourceFile(one file))` (re-parse of that file included) followed
   by the merged views being rebuilt, against a full re-index `PackageIndex(all files)`
   (all files re-parsed, views built). The medians and their ratio are printed.

This is a script, not a test: nothing asserts on the figures.

    python3 benchmarks/index_update.py [--root DIR ...] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from analyzers.index import PackageIndex  # noqa: E402
from analyzers.loader import expand  # noqa: E402
from analyzers.source import SourceFile  # noqa: E402

DEFAULT_ROOTS = ["/usr/share/gocode/src"]
VIEWS = ("structs", "funcs", "methods", "vars", "named_types", "inits")
PACKAGE_SIZE = 200


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _clause(data: bytes) -> str:
    """The package clause name, read cheaply (first `package X` line)."""
    for line in data.splitlines():
        stripped = line.strip()
        if stripped.startswith(b"package "):
            return stripped.split()[1].decode("utf-8", "replace")
    return ""


def packages_under(roots: list[str]) -> list[tuple[int, str, str, list[str]]]:
    """(file count, directory, clause, files) for every package, biggest first."""
    found = []
    for job in expand([r.rstrip("/") + "/..." for r in roots]).jobs:
        by_clause: dict[str, list[str]] = {}
        for path in job.files:
            try:
                with open(path, "rb") as handle:
                    head = handle.read(4096)
            except OSError:
                continue
            by_clause.setdefault(_clause(head), []).append(path)
        for clause, files in by_clause.items():
            found.append((len(files), job.directory, clause, files))
    found.sort(key=lambda t: (-t[0], t[1]))
    return found


def build_index(blobs: list[tuple[str, bytes]]) -> PackageIndex:
    index = PackageIndex(SourceFile(path, data) for path, data in blobs)
    for view in VIEWS:
        getattr(index, view)
    return index


def read_all(files: list[str]) -> list[tuple[str, bytes]]:
    blobs = []
    for path in files:
        with open(path, "rb") as handle:
            blobs.append((path, handle.read()))
    return blobs


# -- part 1: in a child process, so its peak RSS is the index's own ---------------------------
def child_full_index(files: list[str]) -> dict:
    blobs = read_all(files)
    baseline = _rss_mb()
    start_cpu = time.process_time()
    start = time.perf_counter()
    index = build_index(blobs)
    wall = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    held = _rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "files": len(files),
        "bytes": sum(len(d) for _, d in blobs),
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_baseline_mb": baseline,
        "rss_with_index_mb": held,
        "rss_peak_mb": peak,
        "index_mb": held - baseline,
        "structs": len(index.structs),
        "funcs": len(index.funcs),
        "methods": len(index.methods),
    }


def measure_full_index(files: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(files, handle)
        listing = handle.name
    try:
        out = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--_child-full-index", listing],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(listing)
    return json.loads(out)


# -- part 2: update vs re-index on a 200-file package ------------------------------------------------
def make_package(packages: list[tuple[int, str, str, list[str]]], size: int, workdir: str) -> tuple[list[str], str]:
    """`size` files of one package: a real one cut to size, or a synthetic one."""
    count, directory, clause, files = packages[0]
    if count >= size:
        return sorted(files)[:size], f"real: {directory} (package {clause}, first {size} of {count} files)"
    out: list[str] = []
    sources: list[str] = []
    for _, _, _, fs in packages:
        for f in sorted(fs):
            sources.append(f)
        if len(sources) >= size:
            break
    i = 0
    while len(out) < size:
        src = sources[i % len(sources)]
        with open(src, "rb") as handle:
            data = handle.read()
        # Same clause for all files: rewrite the first package line.
        lines = data.split(b"\n")
        for n, line in enumerate(lines):
            if line.strip().startswith(b"package "):
                lines[n] = b"package " + clause.encode()
                break
        dst = os.path.join(workdir, f"f{len(out):03d}_{os.path.basename(src)}")
        with open(dst, "wb") as handle:
            handle.write(b"\n".join(lines))
        out.append(dst)
        i += 1
    note = (f"synthetic: {size} files in {workdir} copied from {len(set(sources))} real files "
            f"(largest package {directory}, {count} files, then the next largest), clause `{clause}`")
    return out, note


def measure_update(files: list[str], repeats: int, full_repeats: int) -> dict:
    blobs = read_all(files)
    index = build_index(blobs)
    sizes = sorted(range(len(blobs)), key=lambda i: len(blobs[i][1]))
    target_path, target_data = blobs[sizes[len(sizes) // 2]]  # a median-sized file

    def one_update() -> tuple[float, float]:
        start = time.perf_counter()
        index.update(SourceFile(target_path, target_data))
        mid = time.perf_counter()
        for view in VIEWS:
            getattr(index, view)
        return mid - start, time.perf_counter() - start

    update_only, update_views = [], []
    for _ in range(repeats):
        a, b = one_update()
        update_only.append(a)
        update_views.append(b)
    full = []
    for _ in range(full_repeats):
        start = time.perf_counter()
        build_index(blobs)
        full.append(time.perf_counter() - start)
    med_full = statistics.median(full)
    med_upd = statistics.median(update_only)
    med_upd_views = statistics.median(update_views)
    return {
        "files": len(blobs),
        "bytes": sum(len(d) for _, d in blobs),
        "updated_file": target_path,
        "updated_file_bytes": len(target_data),
        "update_median_ms": med_upd * 1000,
        "update_plus_views_median_ms": med_upd_views * 1000,
        "full_reindex_median_ms": med_full * 1000,
        "full_reindex_min_ms": min(full) * 1000,
        "ratio_update_to_full": med_upd / med_full,
        "ratio_update_plus_views_to_full": med_upd_views / med_full,
        "repeats": repeats,
        "full_repeats": full_repeats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", action="append", help="directories to search for packages (repeatable)")
    parser.add_argument("--repeats", type=int, default=30, help="one-file updates to time")
    parser.add_argument("--full-repeats", type=int, default=5, help="full re-indexes to time")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--_child-full-index", dest="child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        with open(args.child) as handle:
            print(json.dumps(child_full_index(json.load(handle))))
        return 0

    roots = args.root or DEFAULT_ROOTS
    packages = packages_under(roots)
    if not packages:
        print("no Go packages under " + ", ".join(roots), file=sys.stderr)
        return 2
    count, directory, clause, files = packages[0]
    report: dict = {"roots": roots, "largest_package": {"dir": directory, "clause": clause, "files": count}}
    report["full_index"] = measure_full_index(files)
    workdir = tempfile.mkdtemp(prefix="nilmap-bench-pkg-")
    try:
        pkg_files, note = make_package(packages, PACKAGE_SIZE, workdir)
        report["update_package"] = note
        report["update"] = measure_update(pkg_files, args.repeats, args.full_repeats)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    f, u = report["full_index"], report["update"]
    print(f"largest package: {directory} (package {clause}, {count} .go files, {f['bytes'] / 1e6:.2f} MB)")
    print(f"  full index (parse + PackageIndex + views): {f['wall_s']:.3f} s wall, {f['cpu_s']:.3f} s CPU")
    print(f"  RSS: {f['rss_baseline_mb']:.0f} MB after reading bytes -> {f['rss_with_index_mb']:.0f} MB with the index "
          f"(+{f['index_mb']:.0f} MB), peak {f['rss_peak_mb']:.0f} MB")
    print(f"update on a {u['files']}-file package: {report['update_package']}")
    print(f"  file updated: {u['updated_file']} ({u['updated_file_bytes']} bytes)")
    print(f"  update(one SourceFile), parse included: median {u['update_median_ms']:.2f} ms; "
          f"with merged views rebuilt: {u['update_plus_views_median_ms']:.2f} ms")
    print(f"  full re-index PackageIndex(all {u['files']}), parse included: median {u['full_reindex_median_ms']:.0f} ms")
    print(f"  ratio update/full: {u['ratio_update_to_full']:.4f} (1/{1 / u['ratio_update_to_full']:.0f}); "
          f"with views: {u['ratio_update_plus_views_to_full']:.4f} (1/{1 / u['ratio_update_plus_views_to_full']:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
