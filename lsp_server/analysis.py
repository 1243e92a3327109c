"""Running the checker on snapshots, in a worker thread, with a result cache.

`run_job` is the only function here that runs off the event loop: it gets a frozen
`AnalysisJob` (an immutable package view plus the documents to report on) and returns the
model's diagnostics per path. Results are cached by what they depend on: the file's bytes,
the package generation (any change to any file of the package makes a new one) and the
settings, so re-publishing, pulls, hovers and code actions on unchanged text cost a lookup.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from cachetools import LRUCache

from analyzers.checker import RuleFailure, Settings, check_package
from analyzers.flow.cache import FunctionCache
from analyzers.model import Diagnostic
from lsp_server.packages import PackageView

log = logging.getLogger("nilmap.lsp")


@dataclass(frozen=True)
class Target:
    """One document (or disk file) to report on, and the version it was snapshotted at."""

    uri: str
    path: str
    version: int | None
    revision: int
    source: bytes
    analysable: bool  # False when too big or excluded: it gets no findings


@dataclass(frozen=True)
class AnalysisJob:
    package: PackageView | None
    targets: tuple[Target, ...]
    settings: Settings


@dataclass(frozen=True)
class FileResult:
    diagnostics: tuple[Diagnostic, ...]
    failures: tuple[RuleFailure, ...] = ()


EMPTY = FileResult(())


class ResultCache:
    """An LRU cache of per-file results, shared by the loop and the worker threads."""

    def __init__(self, size: int = 2048) -> None:
        self._cache: LRUCache = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(target: Target, job: AnalysisJob) -> tuple:
        generation = job.package.generation if job.package is not None else 0
        return (target.path, hash(target.source), len(target.source), generation, job.settings)

    def get(self, key: tuple) -> FileResult | None:
        with self._lock:
            result = self._cache.get(key)
            if result is None:
                self.misses += 1
            else:
                self.hits += 1
            return result

    def put(self, key: tuple, result: FileResult) -> None:
        with self._lock:
            self._cache[key] = result

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


# Per-function flow results shared by all checks: an edit re-analyses only what depends on it.
FUNCTION_CACHE = FunctionCache()


def run_job(job: AnalysisJob, cache: ResultCache) -> dict[str, FileResult]:
    """Check the job's package for the targets not in the cache (worker thread)."""
    results: dict[str, FileResult] = {}
    missing: list[Target] = []
    for target in job.targets:
        if not target.analysable or job.package is None or target.path not in job.package.index.files:
            results[target.path] = EMPTY
            continue
        cached = cache.get(ResultCache.key(target, job))
        if cached is not None:
            results[target.path] = cached
        else:
            missing.append(target)
    if not missing or job.package is None:
        return results
    report = check_package(job.package.index, [t.path for t in missing], job.settings, cache=FUNCTION_CACHE)
    for failure in report.failures:
        log.error("rule %s failed on %s: %s", failure.rule, failure.path, failure.error)
    by_path: dict[str, list[Diagnostic]] = {t.path: [] for t in missing}
    for diagnostic in report.diagnostics:
        if diagnostic.path in by_path:
            by_path[diagnostic.path].append(diagnostic)
    for target in missing:
        result = FileResult(tuple(by_path[target.path]), tuple(report.failures))
        results[target.path] = result
        cache.put(ResultCache.key(target, job), result)
    return results
