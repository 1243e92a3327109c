"""`nilmap check PATH...`: the command line for CI and for people.

Exit status: 0 no finding, 1 findings, 2 a named path does not exist, a configuration file
is wrong, nothing could be read, or `--fix` could not write a file back; anything else that
stops a run (Ctrl-C, a full disk, a deleted working directory) is one line on stderr and 2.
A file that cannot be read gets one line on stderr and the run goes on.

Each directory takes its settings from the nearest `nilmap.toml` or `.nilmap.toml` above it
(`analyzers.config`); flags given on the command line win over the file.
"""
from __future__ import annotations

import argparse
import difflib
import errno
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from analyzers import __version__, globs, progress
from analyzers.buildtags import host_platform
from analyzers.checker import RuleFailure, Settings, check_package
from analyzers.config import Config, ConfigError, ConfigResolver, is_rule_selector, known_codes_listing
from analyzers.files import read_regular, write_if_unchanged
from analyzers.fixes.stable import fix_until_stable
from analyzers.flow.cache import forget_declaration_facts
from analyzers.loader import PackageJob, expand, load_packages, read_job
from analyzers.model import Diagnostic, FileError
from analyzers.module import recording_reads
from analyzers.registry import code_of, documented_rules, rule_by_name, rules_document
from analyzers.report import FORMATTERS
from analyzers.report.locations import Notice
from analyzers.result_cache import CachedResult, ResultCache, default_directory, fingerprint
from analyzers.summary import check_summary
from analyzers.text import LineIndex
from analyzers.workers import run_all


@dataclass
class Change:
    """A file `--fix` or `--diff` changes: the bytes it was checked in, and the fixed bytes."""

    before: bytes
    after: bytes
    fixes: int  # fixes applied to it, over every round
    found_before: list[Diagnostic]  # its findings in `before`, should the write be refused


@dataclass
class JobResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
    files: int = 0
    changes: dict[str, Change] = field(default_factory=dict)  # with --fix or --diff
    stored: bool = False  # a new entry went into the result cache
    refused: int = 0  # fixed files not written, because they changed meanwhile or cannot be

    @property
    def fixed(self) -> int:
        return sum(change.fixes for change in self.changes.values())


def run_job(job: PackageJob, settings: Settings, cache_directory: str | None = None) -> JobResult:
    """Check one directory's packages (runs in a worker process for big trees).

    The files are read once: the cache key and the check both use those bytes, so a file
    changing meanwhile can never file one version's findings under another's key.
    """
    contents, errors = read_job(job)
    job = replace(job, contents=contents)
    cache = ResultCache(cache_directory) if cache_directory and not errors else None
    key = cache.key(contents, job.targets, settings, host_platform()) if cache is not None else None
    if cache is not None and key is not None:
        cached = cache.get(key)
        if cached is not None:
            return JobResult(cached.diagnostics, cached.errors, files=cached.files)
    with recording_reads() as read:
        result = _check_job(job, settings)
    if cache is not None and key is not None and not result.failures:
        depends = {path: fingerprint(path) for path in sorted(read)}
        cache.put(key, CachedResult(result.diagnostics, result.errors, result.files, depends))
        result.stored = True
    return result


def fix_job(job: PackageJob, settings: Settings, unsafe: bool) -> JobResult:
    """Check one directory's packages and fix them until stable, in memory (a worker process).

    The files are read once; every round checks and fixes those bytes, never the disk's
    (which someone may be changing): the write-back compares the disk with them first.
    """
    contents, _ = read_job(job)
    last = JobResult()

    def check(sources) -> list[Diagnostic]:
        nonlocal last
        last = _check_job(replace(job, contents=dict(sources)), settings)
        return last.diagnostics

    first = check(contents)
    fixed = fix_until_stable(contents, check, unsafe, diagnostics=first)
    last.diagnostics = fixed.remaining
    # Findings fixed are those gone, not fixes applied: one make can serve two findings (a
    # construction and its write), and the counts must add up to what was listed. A finding
    # whose make goes into another file (NM003 at the write) is counted with the first file
    # changed.
    gone = {path: max(0, sum(d.path == path for d in first) - sum(d.path == path for d in fixed.remaining)) for path in fixed.sources}
    elsewhere = max(0, len(first) - len(fixed.remaining) - sum(gone.values()))
    for path in sorted(fixed.sources):
        found_before = [d for d in first if d.path == path]
        last.changes[path] = Change(contents[path], fixed.sources[path], gone[path] + elsewhere, found_before)
        elsewhere = 0
    return last


def _check_job(job: PackageJob, settings: Settings) -> JobResult:
    result = JobResult()
    packages, result.errors = load_packages(job)
    try:
        for package, targets in packages:
            report = check_package(package, targets, settings)
            result.diagnostics.extend(report.diagnostics)
            result.failures.extend(report.failures)
            result.files += len(targets)
    finally:
        forget_declaration_facts()  # the directory's packages share texts; the next directory's do not
    return result


Work = list[tuple[PackageJob, Settings]]


def run_jobs(
    function: Callable[..., JobResult], tasks: list[tuple], workers: int, bar: progress.ProgressBar | None = None
) -> JobResult:
    """`function(*task)` for every task (a job first), in worker processes when there are
    several; `bar` follows along."""
    total = JobResult()

    def take(r: JobResult) -> None:
        total.diagnostics.extend(r.diagnostics)
        total.errors.extend(r.errors)
        total.failures.extend(r.failures)
        total.files += r.files
        total.changes.update(r.changes)
        total.stored = total.stored or r.stored
        if bar is not None:
            bar.advance(r.files, len(r.diagnostics))

    if workers > 1 and len(tasks) > 1:
        for outcome in run_all(function, tasks, workers):
            if outcome.error is None:
                take(outcome.result)
            else:
                job = outcome.task[0]
                failed = JobResult(files=len(job.targets if job.targets is not None else job.files))
                failed.failures.append(RuleFailure("worker", job.directory, f"{outcome.error}; its files were not checked"))
                take(failed)
    else:
        for task in tasks:
            take(function(*task))
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


def glob_argument(value: str) -> str:
    """`--exclude GLOB`: a pattern that cannot be read is an error now, not at every match."""
    problem = globs.problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"invalid glob `{value}`: {problem}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nilmap", description="Find writes to nil maps in Go code.")
    parser.add_argument("--version", action="version", version=f"nilmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="check Go files and directories (`./...` recurses)",
        epilog="Settings come from the nearest nilmap.toml or .nilmap.toml; flags win. "
        "Exit status: 0 no finding, 1 findings, 2 an error (a missing path, a wrong configuration file, nothing readable, "
        "a file --fix could not write back).",
    )
    check.add_argument("paths", nargs="*", default=["./..."], metavar="PATH", help="files, directories, or dir/... for a tree (default ./...)")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="report format (default text)")
    check.add_argument("--select", action="append", type=rule_selectors, metavar="CODES", help="only these rule codes, prefixes or names (comma-separated)")
    check.add_argument("--ignore", action="append", type=rule_selectors, metavar="CODES", help="skip these rule codes or names (comma-separated)")
    check.add_argument("--exclude", action="append", type=glob_argument, metavar="GLOB", help="skip files matching these globs, instead of the file's `exclude`")
    check.add_argument("--extend-exclude", action="append", type=glob_argument, metavar="GLOB", help="skip these globs too, besides the file's `exclude`")
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


def _lines_of_factory(known: dict[str, bytes] | None = None):
    """Line indexes for reports: of the text the findings were made in when we hold it."""
    cache: dict[str, LineIndex] = {}

    def lines_of(path: str) -> LineIndex:
        if path not in cache:
            if known is not None and path in known:
                cache[path] = LineIndex(known[path])
            else:
                try:
                    cache[path] = LineIndex(read_regular(path))
                except OSError:
                    cache[path] = LineIndex(b"")  # gone since: positions clamp to its start
        return cache[path]

    return lines_of


def _fix_files(work: Work, unsafe: bool, write: bool) -> tuple[JobResult, dict[str, bytes], str]:
    """Fix every job until stable, then write the changed files (`--fix`) or make the diff
    (`--diff`, which leaves the user's files untouched). Returns the findings left, the text
    each reported file was last checked in, and the diff."""
    result = run_jobs(fix_job, [(job, settings, unsafe) for job, settings in work], os.cpu_count() or 1)
    texts: dict[str, bytes] = {}
    diffs: list[str] = []
    for path in sorted(result.changes):
        change = result.changes[path]
        if not write:
            diffs.extend(
                difflib.unified_diff(
                    change.before.decode("utf-8", "replace").splitlines(keepends=True),
                    change.after.decode("utf-8", "replace").splitlines(keepends=True),
                    fromfile=f"a/{path}",
                    tofile=f"b/{path}",
                )
            )
            texts[path] = change.after
            continue
        refused = write_if_unchanged(path, change.before, change.after)
        if refused is None:
            texts[path] = change.after
            continue
        result.errors.append(FileError(refused.path, refused.reason))
        result.refused += 1
        del result.changes[path]
        # Its findings are those of the text it still holds.
        result.diagnostics = [d for d in result.diagnostics if d.path != path] + change.found_before
        texts[path] = change.before
    return result, texts, "".join(diffs)


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
        return f"nilmap: would fix {count(result.fixed, 'finding')} in {count(len(result.changes), 'file')}"
    return f"nilmap: fixed {count(result.fixed, 'finding')} in {count(len(result.changes), 'file')}; {count(len(result.diagnostics), 'finding')} left"


def _bar(work: Work, args: argparse.Namespace) -> progress.ProgressBar | None:
    files = sum(len(job.targets if job.targets is not None else job.files) for job, _ in work)
    if not progress.wanted(sys.stderr, files, enabled=not args.no_progress):
        return None
    return progress.ProgressBar(sys.stderr, files)


def check_command(args: argparse.Namespace) -> int:
    os.getcwd()  # raises if the working directory was deleted (see `main`)
    expansion = expand(args.paths)
    for missing in expansion.missing:
        print(f"nilmap: {missing}: no such file or directory", file=sys.stderr)
    try:
        work = plan(expansion.jobs, args)
    except ConfigError as exc:
        print(f"nilmap: {exc}", file=sys.stderr)
        return 2
    if not expansion.jobs and not expansion.missing:
        hint = "" if any(p.endswith("...") for p in args.paths) else " (`dir/...` checks a tree)"
        print(f"nilmap: warning: no Go files in {' '.join(args.paths)}{hint}", file=sys.stderr)
    texts: dict[str, bytes] = {}
    if args.fix or args.diff:
        result, texts, diff = _fix_files(work, args.unsafe_fixes, write=args.fix and not args.diff)
        if args.diff and not _write_report(diff, None, "diff"):
            return 2
    else:
        cache_directory = None if args.no_cache else default_directory()
        bar = _bar(work, args)
        try:
            tasks = [(job, settings, cache_directory) for job, settings in work]
            result = run_jobs(run_job, tasks, max(1, args.jobs), bar)
        finally:
            if bar is not None:
                bar.close()
        if cache_directory is not None and result.stored:
            ResultCache(cache_directory).prune()
    for error in result.errors:
        print(f"nilmap: {error.path}: {error.message}", file=sys.stderr)
    for failure in result.failures:
        print(f"nilmap: internal error in {failure.rule} on {failure.path}: {failure.error}", file=sys.stderr)
    if args.fix or args.diff:
        print(_fix_summary(result, wrote=not args.diff), file=sys.stderr)
    result.diagnostics.sort(key=lambda d: (d.path, d.span.start, d.rule))
    notices = [Notice(e.path, e.message) for e in result.errors]
    notices += [Notice(f.path, f"internal error in {f.rule}: {f.error}") for f in result.failures]
    report = FORMATTERS[args.format](result.diagnostics, _lines_of_factory(texts), notices=notices)
    if not args.diff and not _write_report(report, args.output_file):
        return 2
    if args.format == "text" and not (args.fix or args.diff or args.output_file) and sys.stderr.isatty():
        print(check_summary(result.diagnostics, result.files), file=sys.stderr)
    if expansion.missing or result.refused or (result.files == 0 and result.errors) or any(f.rule == "worker" for f in result.failures):
        return 2
    if args.diff and result.changes:
        return 1  # as ruff: --diff fails when it would change something
    return 1 if result.diagnostics and not args.exit_zero else 0


def _write_report(report: str, output_file: str | None, what: str = "report") -> bool:
    """Write the report; False (after saying why, in one line) when it cannot be written."""
    if output_file is None:
        try:
            sys.stdout.write(report)
            sys.stdout.flush()
        except OSError as exc:
            _silence_stdout()
            print(f"nilmap: cannot write the {what}: {exc.strerror or exc}", file=sys.stderr)
            return False
        return True
    try:
        with open(output_file, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(report)
    except OSError as exc:
        print(f"nilmap: {output_file}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _silence_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered for it can never be written, and
    must not fail again (with a traceback) when Python flushes it on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


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
        print(f"{rule.code}  {rule.name:32} {rule.title}{'' if rule.default_enabled else ' (opt-in)'}")
    return 0


COMMANDS = {"check": check_command, "rule": rule_command, "rules": rules_command}


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line (`nilmap check: error: ...`) and status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """Run a command; whatever goes wrong outside the checks is one line on stderr and status 2
    (1 means findings)."""
    for stream in (sys.stdout, sys.stderr):
        # A file name that is not UTF-8 is printed as the bytes it is made of.
        stream.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:  # bare `nilmap`: say what it can do
            parser.print_help()
            return 0
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        _say("interrupted")
        # Now, without waiting for the workers' tasks in flight: they end with this process.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(2)
    except OSError as exc:
        _silence_stdout()  # if stdout is what failed, flushing it at exit must not fail again
        if exc.errno == errno.ENOENT and exc.filename is None:
            _say("the working directory no longer exists")
        else:
            where = f"{os.fsdecode(exc.filename)}: " if exc.filename is not None else ""
            _say(f"{where}{exc.strerror or exc}")
        return 2


def _say(message: str) -> None:
    try:
        print(f"nilmap: {message}", file=sys.stderr, flush=True)
    except OSError:
        pass  # stderr is gone too: the exit status is all that is left


if __name__ == "__main__":
    sys.exit(main())
