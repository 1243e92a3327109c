"""`nilmap check PATH...`: the command line for CI and for people.

Exit status: 0 no finding, 1 findings, 2 a named path does not exist or nothing could be
read. A file that cannot be read gets one line on stderr and the run goes on.
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from analyzers import __version__
from analyzers.checker import RuleFailure, Settings, check_package
from analyzers.fixes.apply import apply_fixes, choose_fixes
from analyzers.loader import PackageJob, expand, load_packages
from analyzers.model import Diagnostic, FileError
from analyzers.buildtags import host_platform
from analyzers.report import FORMATTERS
from analyzers.result_cache import ResultCache, default_directory
from analyzers.text import LineIndex

MAX_FIX_ROUNDS = 5


@dataclass
class JobResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
    files: int = 0


def run_job(job: PackageJob, settings: Settings, cache_directory: str | None = None) -> JobResult:
    """Check one directory's packages (runs in a worker process for big trees)."""
    cache = ResultCache(cache_directory) if cache_directory else None
    key = cache.key(job.files, job.targets, settings, host_platform()) if cache is not None else None
    if cache is not None and key is not None:
        cached = cache.get(key)
        if isinstance(cached, JobResult):
            return cached
    result = _check_job(job, settings)
    if cache is not None and key is not None and not result.failures:
        cache.put(key, result)
    return result


def _check_job(job: PackageJob, settings: Settings) -> JobResult:
    result = JobResult()
    packages, result.errors = load_packages(job)
    for package, targets in packages:
        report = check_package(package, targets, settings)
        result.diagnostics.extend(report.diagnostics)
        result.failures.extend(report.failures)
        result.files += len(targets)
    return result


def _run_job_star(args: tuple[PackageJob, Settings, str | None]) -> JobResult:
    return run_job(*args)


def run_jobs(jobs: list[PackageJob], settings: Settings, workers: int, cache_directory: str | None = None) -> JobResult:
    total = JobResult()
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_run_job_star, [(job, settings, cache_directory) for job in jobs], chunksize=4))
    else:
        results = [run_job(job, settings, cache_directory) for job in jobs]
    for r in results:
        total.diagnostics.extend(r.diagnostics)
        total.errors.extend(r.errors)
        total.failures.extend(r.failures)
        total.files += r.files
    return total


def _codes(values: list[str] | None) -> frozenset[str] | None:
    if not values:
        return None
    return frozenset(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nilmap", description="Find writes to nil maps in Go code.")
    parser.add_argument("--version", action="version", version=f"nilmap {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check Go files and directories (`./...` recurses)")
    check.add_argument("paths", nargs="*", default=["./..."], metavar="PATH")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    check.add_argument("--select", action="append", help="only these rule codes (comma-separated)")
    check.add_argument("--ignore", action="append", help="skip these rule codes (comma-separated)")
    check.add_argument("--fix", action="store_true", help="apply the preferred safe fix of each finding")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    rules = sub.add_parser("rules", help="list the rules, or print one rule's documentation")
    rules.add_argument("code", nargs="?")
    rules.add_argument("--markdown", action="store_true", help="print every rule's documentation (docs/rules.md)")
    return parser


def _lines_of_factory():
    cache: dict[str, LineIndex] = {}

    def lines_of(path: str) -> LineIndex:
        if path not in cache:
            with open(path, "rb") as handle:
                cache[path] = LineIndex(handle.read())
        return cache[path]

    return lines_of


def _write_atomically(path: str, data: bytes) -> None:
    """Write through a temporary file and a rename, keeping the file's permissions."""
    mode = os.stat(path).st_mode
    tmp = f"{path}.nilmap-tmp-{os.getpid()}"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, mode & 0o7777)
    os.replace(tmp, path)


def _fix_files(jobs: list[PackageJob], settings: Settings, unsafe: bool, write: bool, out) -> JobResult:
    """Apply fixes round by round until nothing changes; returns the findings left."""
    originals: dict[str, bytes] = {}
    current: dict[str, bytes] = {}
    result = JobResult()
    for _ in range(MAX_FIX_ROUNDS):
        result = run_jobs(jobs, settings, 1) if not write else run_jobs(jobs, settings, os.cpu_count() or 1)
        by_path: dict[str, list[Diagnostic]] = {}
        for d in result.diagnostics:
            by_path.setdefault(d.path, []).append(d)
        changed = False
        for path, diagnostics in by_path.items():
            fixes = choose_fixes(diagnostics, unsafe)
            if not fixes:
                continue
            with open(path, "rb") as handle:
                source = handle.read()
            new, applied = apply_fixes(source, fixes)
            if applied and new != source:
                originals.setdefault(path, source)
                current[path] = new
                _write_atomically(path, new)
                changed = True
        if not changed:
            break
    if not write:
        for path in sorted(originals):
            _write_atomically(path, originals[path])
            diff = difflib.unified_diff(
                originals[path].decode("utf-8", "replace").splitlines(keepends=True),
                current[path].decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
            out.write("".join(diff))
    return result


def check_command(args: argparse.Namespace) -> int:
    settings = Settings(select=_codes(args.select), ignore=_codes(args.ignore) or frozenset())
    expansion = expand(args.paths)
    for missing in expansion.missing:
        print(f"nilmap: {missing}: no such file or directory", file=sys.stderr)
    if args.fix or args.diff:
        result = _fix_files(expansion.jobs, settings, args.unsafe_fixes, write=args.fix and not args.diff, out=sys.stdout)
    else:
        cache_directory = None if args.no_cache else default_directory()
        result = run_jobs(expansion.jobs, settings, max(1, args.jobs), cache_directory)
    for error in result.errors:
        print(f"nilmap: {error.path}: {error.message}", file=sys.stderr)
    for failure in result.failures:
        print(f"nilmap: internal error in {failure.rule} on {failure.path}: {failure.error}", file=sys.stderr)
    result.diagnostics.sort(key=lambda d: (d.path, d.span.start, d.rule))
    if not args.diff:
        sys.stdout.write(FORMATTERS[args.format](result.diagnostics, _lines_of_factory()))
    if expansion.missing or (result.files == 0 and result.errors):
        return 2
    return 1 if result.diagnostics else 0


def rules_command(args: argparse.Namespace) -> int:
    from analyzers.registry import rules_document
    from analyzers.rules import RULES

    if args.markdown:
        print(rules_document(), end="")
        return 0
    for rule in RULES:
        if args.code is None:
            print(f"{rule.code}  {rule.name:32} {rule.title}")
        elif rule.code == args.code.upper():
            print(rule.markdown())
            return 0
    return 0 if args.code is None else 2


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return check_command(args)
    return rules_command(args)


if __name__ == "__main__":
    sys.exit(main())
