"""`nilmap check PATH...`: the command line for CI and for people.

Exit status: 0 no finding, 1 findings, 2 a named path does not exist, a configuration file
is wrong, or nothing could be read. A file that cannot be read gets one line on stderr and
the run goes on.

Each directory takes its settings from the nearest `nilmap.toml` or `.nilmap.toml` above it
(`analyzers.config`); flags given on the command line win over the file.
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
from dataclasses import dataclass, field, replace

from analyzers import __version__
from analyzers import progress
from analyzers.checker import RuleFailure, Settings, check_package
from analyzers.config import Config, ConfigError, ConfigResolver, is_rule_selector, known_codes_listing
from analyzers.fixes.apply import apply_file_fixes, choose_file_fixes
from analyzers.loader import PackageJob, expand, load_packages
from analyzers.model import Diagnostic, FileError
from analyzers.registry import code_of, documented_rules, rule_by_code, rule_by_name, rules_document
from analyzers.buildtags import host_platform
from analyzers.report import FORMATTERS
from analyzers.report.locations import Notice
from analyzers.result_cache import ResultCache, default_directory
from analyzers.summary import check_summary
from analyzers.text import LineIndex
from analyzers.workers import run_all

MAX_FIX_ROUNDS = 5


@dataclass
class JobResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
    files: int = 0
    fixed: int = 0  # with --fix or --diff: findings fixed, over every round
    fixed_files: int = 0


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


Work = list[tuple[PackageJob, Settings]]


def run_jobs(work: Work, workers: int, cache_directory: str | None = None, bar: progress.ProgressBar | None = None) -> JobResult:
    """Check every job, in worker processes when there are several; `bar` follows along."""
    total = JobResult()

    def take(r: JobResult) -> None:
        total.diagnostics.extend(r.diagnostics)
        total.errors.extend(r.errors)
        total.failures.extend(r.failures)
        total.files += r.files
        if bar is not None:
            bar.advance(r.files, len(r.diagnostics))

    if workers > 1 and len(work) > 1:
        for outcome in run_all(run_job, [(job, settings, cache_directory) for job, settings in work], workers):
            if outcome.error is None:
                take(outcome.result)
            else:
                job = outcome.task[0]
                failed = JobResult(files=len(job.targets if job.targets is not None else job.files))
                failed.failures.append(RuleFailure("worker", job.directory, f"{outcome.error}; its files were not checked"))
                take(failed)
    else:
        for job, settings in work:
            take(run_job(job, settings, cache_directory))
    return total


def _codes(values: list[list[str]] | None) -> frozenset[str] | None:
    if not values:
        return None
    return frozenset(code for codes in values for code in codes)


def rule_selectors(value: str) -> list[str]:
    """`--select NM001,NM002`: rule codes or prefixes; a typo is an error, not a silent no-op."""
    codes = [c.strip() for c in value.split(",") if c.strip()]
    for code in codes:
        if not is_rule_selector(code):
            raise argparse.ArgumentTypeError(f"unknown rule code {code.upper()!r}; known codes: {known_codes_listing()}")
    return [code_of(code) for code in codes]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nilmap", description="Find writes to nil maps in Go code.")
    parser.add_argument("--version", action="version", version=f"nilmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="check Go files and directories (`./...` recurses)",
        epilog="Settings come from the nearest nilmap.toml or .nilmap.toml; flags win. "
        "Exit status: 0 no finding, 1 findings, 2 an error (a missing path, a wrong configuration file, nothing readable).",
    )
    check.add_argument("paths", nargs="*", default=["./..."], metavar="PATH", help="files, directories, or dir/... for a tree (default ./...)")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="report format (default text)")
    check.add_argument("--select", action="append", type=rule_selectors, metavar="CODES", help="only these rule codes, prefixes or names (comma-separated)")
    check.add_argument("--ignore", action="append", type=rule_selectors, metavar="CODES", help="skip these rule codes or names (comma-separated)")
    check.add_argument("--exclude", action="append", metavar="GLOB", help="skip files matching these globs, instead of the file's `exclude`")
    check.add_argument("--extend-exclude", action="append", metavar="GLOB", help="skip these globs too, besides the file's `exclude`")
    check.add_argument("--force-exclude", action="store_true", help="apply `exclude` to files named on the command line too (for pre-commit)")
    check.add_argument("--config", metavar="FILE", help="use this configuration file instead of the nearest nilmap.toml")
    check.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    check.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (2 still means an error)")
    check.add_argument("--fix", action="store_true", help="apply the preferred safe fix of each finding")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core, %(default)s here)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    rule = sub.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", nargs="?", help="a rule code or name, e.g. NM001 or nil-map-write")
    rule.add_argument("--all", action="store_true", help="print every rule's documentation")
    rules = sub.add_parser("rules", help="list the rules, one line each")
    rules.add_argument("code", nargs="?", help=argparse.SUPPRESS)  # older spelling of `nilmap rule CODE`
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


def _fix_files(work: Work, unsafe: bool, write: bool, out) -> JobResult:
    """Apply fixes round by round until nothing changes; returns the findings left.

    Without `write` (`--diff`) the fixed text stays in memory, and the later rounds check it
    from there: the user's files are never touched.
    """
    originals: dict[str, bytes] = {}
    current: dict[str, bytes] = {}
    result = JobResult()
    fixed = 0
    found: int | None = None  # the findings the first round listed
    for _ in range(MAX_FIX_ROUNDS):
        jobs = work if write else [(replace(job, contents=current), settings) for job, settings in work]
        result = run_jobs(jobs, (os.cpu_count() or 1) if write else 1)
        if found is None:
            found = len(result.diagnostics)
        # A fix may edit several files (NM003's make where the value is built): fixes are
        # applied across files at once, each file read as this round left it.
        sources: dict[str, bytes] = {}

        def read(path: str) -> bytes:
            if path not in sources:
                if path in current:
                    sources[path] = current[path]
                else:
                    with open(path, "rb") as handle:
                        sources[path] = handle.read()
            return sources[path]

        new_files, applied = apply_file_fixes(choose_file_fixes(result.diagnostics, unsafe), read)
        fixed += applied
        changed = False
        for path, new in sorted(new_files.items()):
            source = read(path)
            if new != source:
                originals.setdefault(path, source)
                current[path] = new
                if write:
                    _write_atomically(path, new)
                changed = True
        if not changed:
            break
    if not write:
        for path in sorted(originals):
            diff = difflib.unified_diff(
                originals[path].decode("utf-8", "replace").splitlines(keepends=True),
                current[path].decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
            out.write("".join(diff))
    # Findings fixed are those gone at the end, not fixes applied: one make can serve two
    # findings (a construction and its write), and the counts must add up to what was listed.
    result.fixed = max(0, (found or 0) - len(result.diagnostics)) if fixed else 0
    result.fixed_files = len(originals)
    return result


def _with_flags(config: Config, args: argparse.Namespace) -> Config:
    """The file's rule selection with the command line's on top (ruff's order)."""
    select, ignore = _codes(args.select), _codes(args.ignore)
    if select is not None:  # an explicit selection starts afresh: the file's ignore list goes too
        return replace(config, select=select, ignore=ignore or frozenset())
    if ignore:
        return replace(config, ignore=config.ignore | ignore)
    return config


def _excluded(path: str, config: Config, flags: Config, args: argparse.Namespace) -> bool:
    return flags.excludes(path) or (not args.exclude and config.excludes(path))


def plan(jobs: list[PackageJob], args: argparse.Namespace) -> Work:
    """Each job with its directory's settings, and its excluded files taken out; raises ConfigError."""
    resolver = ConfigResolver(override=args.config, isolated=args.isolated)
    # Globs given as flags are relative to the working directory; `--exclude` replaces the file's.
    flags = Config(path=os.path.join(os.getcwd(), "<command line>"), exclude=tuple((args.exclude or []) + (args.extend_exclude or [])))
    work: Work = []
    for job in jobs:
        config = resolver.config_for(job.directory)
        if job.targets is not None and not args.force_exclude:
            targets = job.targets  # a file named on the command line is checked, as ruff does
        else:
            targets = [f for f in (job.targets or job.files) if not _excluded(f, config, flags, args)]
            if not targets:
                continue
            if job.targets is None and len(targets) == len(job.files):
                targets = None
        work.append((replace(job, targets=targets), _with_flags(config, args).settings()))
    return work


def _fix_summary(result: JobResult, wrote: bool) -> str:
    """`nilmap: fixed 3 findings in 2 files; 1 left` (ruff says as much after --fix)."""

    def count(n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    if not wrote:
        return f"nilmap: would fix {count(result.fixed, 'finding')} in {count(result.fixed_files, 'file')}"
    return f"nilmap: fixed {count(result.fixed, 'finding')} in {count(result.fixed_files, 'file')}; {count(len(result.diagnostics), 'finding')} left"


def _bar(work: Work, args: argparse.Namespace) -> progress.ProgressBar | None:
    files = sum(len(job.targets if job.targets is not None else job.files) for job, _ in work)
    if not progress.wanted(sys.stderr, files, enabled=not args.no_progress):
        return None
    return progress.ProgressBar(sys.stderr, files)


def check_command(args: argparse.Namespace) -> int:
    expansion = expand(args.paths)
    for missing in expansion.missing:
        print(f"nilmap: {missing}: no such file or directory", file=sys.stderr)
    try:
        work = plan(expansion.jobs, args)
    except ConfigError as error:
        print(f"nilmap: {error}", file=sys.stderr)
        return 2
    if not expansion.jobs and not expansion.missing:
        hint = "" if any(p.endswith("...") for p in args.paths) else " (`dir/...` checks a tree)"
        print(f"nilmap: warning: no Go files in {' '.join(args.paths)}{hint}", file=sys.stderr)
    if args.fix or args.diff:
        result = _fix_files(work, args.unsafe_fixes, write=args.fix and not args.diff, out=sys.stdout)
        print(_fix_summary(result, wrote=not args.diff), file=sys.stderr)
    else:
        cache_directory = None if args.no_cache else default_directory()
        bar = _bar(work, args)
        try:
            result = run_jobs(work, max(1, args.jobs), cache_directory, bar)
        finally:
            if bar is not None:
                bar.close()
    for error in result.errors:
        print(f"nilmap: {error.path}: {error.message}", file=sys.stderr)
    for failure in result.failures:
        print(f"nilmap: internal error in {failure.rule} on {failure.path}: {failure.error}", file=sys.stderr)
    result.diagnostics.sort(key=lambda d: (d.path, d.span.start, d.rule))
    notices = [Notice(e.path, e.message) for e in result.errors]
    notices += [Notice(f.path, f"internal error in {f.rule}: {f.error}") for f in result.failures]
    report = FORMATTERS[args.format](result.diagnostics, _lines_of_factory(), notices=notices)
    if not args.diff and not _write_report(report, args.output_file):
        return 2
    if args.format == "text" and not (args.fix or args.diff or args.output_file) and sys.stderr.isatty():
        print(check_summary(result.diagnostics, result.files), file=sys.stderr)
    if expansion.missing or (result.files == 0 and result.errors) or any(f.rule == "worker" for f in result.failures):
        return 2
    if args.diff and result.fixed_files:
        return 1  # as ruff: --diff fails when it would change something
    return 1 if result.diagnostics and not args.exit_zero else 0


def _write_report(report: str, output_file: str | None) -> bool:
    if output_file is None:
        sys.stdout.write(report)
        return True
    try:
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as exc:
        print(f"nilmap: {output_file}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def rule_command(args: argparse.Namespace) -> int:
    """`nilmap rule NM001`: one rule's documentation; `--all`: every rule's."""

    if args.all:
        print("\n".join(rule.markdown() for rule in documented_rules()), end="")
        return 0
    if args.code is None:
        print("nilmap: name a rule (e.g. `nilmap rule NM001`) or pass --all", file=sys.stderr)
        return 2
    rule = rule_by_name(args.code)
    if rule is None:
        known = ", ".join(r.code for r in documented_rules())
        print(f"nilmap: unknown rule {args.code!r}; known rules: {known}", file=sys.stderr)
        return 2
    print(rule.markdown(), end="")
    return 0


def rules_command(args: argparse.Namespace) -> int:
    """`nilmap rules`: one line a rule; `--markdown`: docs/rules.md."""

    if args.markdown:
        print(rules_document(), end="")
        return 0
    if args.code is not None:
        return rule_command(argparse.Namespace(code=args.code, all=False))
    for rule in documented_rules():
        print(f"{rule.code}  {rule.name:32} {rule.title}")
    return 0


COMMANDS = {"check": check_command, "rule": rule_command, "rules": rules_command}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `nilmap`: say what it can do
        parser.print_help()
        return 0
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
