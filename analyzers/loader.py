"""Turning command-line paths into packages to check.

A directory is one package per package clause (`foo` and `foo_test` apart); `dir/...`
recurses, skipping vendor/, testdata/ and hidden or `_`-prefixed directories as the go
tool does. A single file is checked with the rest of its package, so that its findings are
the same as when its directory is checked, but only its own findings are reported.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from analyzers.buildtags import host_platform, matches
from analyzers.files import read_regular
from analyzers.index import PackageIndex
from analyzers.model import FileError
from analyzers.source import SourceFile

SKIPPED_DIRS = frozenset({"vendor", "testdata", "node_modules"})


@dataclass
class PackageJob:
    """One package to check: its directory, clause name, files, and which of them to report."""

    directory: str
    files: list[str]
    targets: list[str] | None = None  # None: every file
    contents: dict[str, bytes] | None = None  # files' bytes to use instead of the disk's (`--diff`)


@dataclass
class Expansion:
    jobs: list[PackageJob] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _skipped(name: str) -> bool:
    return name in SKIPPED_DIRS or name.startswith((".", "_"))


def _go_files(directory: str) -> list[str]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return []
    return [os.path.normpath(e.path) for e in entries if e.name.endswith(".go") and not e.name.startswith((".", "_")) and e.is_file()]


def _walk(root: str) -> list[str]:
    directories = []
    for current, dirs, _files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        directories.append(os.path.normpath(current))
    return directories


def expand(paths: list[str]) -> Expansion:
    """Resolve CLI arguments into package jobs; nonexistent paths are listed in `missing`."""
    expansion = Expansion()
    seen_dirs: set[str] = set()
    single_files: dict[str, list[str]] = {}
    for raw in paths:
        recursive = raw == "..." or raw.endswith("/...")
        path = raw[: -len("...")].rstrip("/") or "." if recursive else raw
        if not os.path.exists(path):
            expansion.missing.append(raw)
            continue
        if os.path.isfile(path):
            path = os.path.normpath(path)
            single_files.setdefault(os.path.dirname(path) or ".", []).append(path)
            continue
        for directory in _walk(path) if recursive else [path]:
            if directory not in seen_dirs:
                seen_dirs.add(directory)
                files = _go_files(directory)
                if files:
                    expansion.jobs.append(PackageJob(directory, files))
    for directory, files in single_files.items():
        if directory in seen_dirs:
            continue
        expansion.jobs.append(PackageJob(directory, _go_files(directory) or files, sorted(set(files))))
    return expansion


def read_source(path: str) -> bytes | FileError:
    """The bytes of a Go file, or why they cannot be used (a FIFO is never waited on)."""
    try:
        data = read_regular(path)
    except OSError as exc:
        return FileError(path, f"cannot read: {exc.strerror or exc}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FileError(path, f"not valid UTF-8 at byte {exc.start}; skipped")
    return data


def read_job(job: PackageJob) -> tuple[dict[str, bytes], list[FileError]]:
    """The bytes of every file of a job (its `contents` where given), read once, and the
    files that could not be read."""
    contents: dict[str, bytes] = {}
    errors: list[FileError] = []
    for path in job.files:
        data = job.contents[path] if job.contents and path in job.contents else read_source(path)
        if isinstance(data, FileError):
            errors.append(data)
        else:
            contents[path] = data
    return contents, errors


def load_packages(job: PackageJob) -> tuple[list[tuple[PackageIndex, list[str]]], list[FileError]]:
    """Read and parse a job's files, split them by package clause.

    Returns each package with the paths to report on, and the files that could not be read.
    """
    errors: list[FileError] = []
    by_clause: dict[str, list[SourceFile]] = {}
    wanted = set(job.targets) if job.targets is not None else None
    goos, goarch = host_platform()
    for path in job.files:
        data = job.contents[path] if job.contents and path in job.contents else read_source(path)
        if isinstance(data, FileError):
            if wanted is None or path in wanted:
                errors.append(data)
            continue
        if not (wanted and path in wanted) and not matches(path, data, goos, goarch):
            continue  # built for another platform (see analyzers.buildtags)
        file = SourceFile(path, data)
        by_clause.setdefault(file.package_name, []).append(file)
    packages = []
    for files in by_clause.values():
        paths = [f.path for f in files]
        targets = paths if wanted is None else [p for p in paths if p in wanted]
        if targets:
            packages.append((PackageIndex(files), targets))
    return packages, errors


def package_directories(root: str) -> list[str]:
    """The directories under `root` that hold Go files, as `go` walks them."""
    return [job.directory for job in expand([os.path.join(root, "...")]).jobs]


def main(argv: list[str]) -> int:
    """`python -m analyzers.loader ROOT`: the package directories under ROOT, each ended by a
    NUL byte (a directory's name may hold a line break). The language server lists its
    workspace through this, in a process of its own (`lsp_server.packages`)."""
    for directory in package_directories(argv[0]):
        sys.stdout.buffer.write(os.fsencode(directory) + b"\0")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
