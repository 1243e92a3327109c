"""The analysis thread: parsing, package state and checker runs, off the event loop.

Everything here runs in one thread (`AnalysisState` is owned by it, so it needs no locks),
one request at a time. A request gets frozen snapshots of the open documents; it parses them
(`trees.py`), brings their packages up to date (`packages.py`), runs the checker, and turns
the findings into LSP diagnostics, so the event loop only sends them.

A run is cancellable: the loop sets its `CancelToken` when newer text arrives, and the run
stops at the next checkpoint (between documents, and before each function the flow
analysis looks at) by raising `RunCancelled`, so the newest text always wins.

Caches are bounded by memory and hold no syntax trees of old versions: per-file results
(`ResultCache`) are plain diagnostics, sized by their text; per-function flow results
(`FunctionCache`) are dropped as soon as the function's text is gone from its file.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from cachetools import LRUCache
from lsprotocol import types

from analyzers.checker import RuleFailure, Settings, check_package
from analyzers.fixes.stable import fix_until_stable
from analyzers.flow import cache as flow_cache
from analyzers.flow.cache import FunctionCache
from analyzers.model import Diagnostic
from analyzers.module import MODULES, recording_reads
from analyzers.source import SourceFile
from analyzers.text import Encoding, LineIndex
from lsp_server import convert
from lsp_server.converted import ConvertedDiagnostics
from lsp_server.documents import DocumentSnapshot
from lsp_server.packages import Buffers, DirectoryState, PackageStore, PackageView
from lsp_server.trees import Trees

log = logging.getLogger("nilmap.lsp")

RESULT_CACHE_BYTES = 2 * 1024 * 1024
# The flow analysis' declaration facts are pruned to the live declarations once they are
# twice what was live at the last pruning plus this many (most about 1 KB): a pruning walks
# every fact and every declaration held, so it must not come every few keystrokes on a
# big package, whose every re-check after a type edit adds a fact per function.
FACTS_SLACK = 5_000


class RunCancelled(BaseException):
    """A run whose results nobody will use any more (newer text arrived).

    A BaseException, so the checker's per-rule and per-function `except Exception` guards
    let it through.
    """


class CancelToken:
    """Set by the event loop, checked by the analysis thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise RunCancelled


NEVER = CancelToken()  # for runs nobody cancels


@dataclass(frozen=True)
class Target:
    """One document (or disk file) to report on, and the version it was snapshotted at."""

    uri: str
    path: str
    version: int | None
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


@dataclass(frozen=True)
class DocumentResult:
    """The findings of one snapshot, in model and LSP form."""

    snapshot: DocumentSnapshot
    generation: int  # of the package view the findings were computed on (0: none)
    result: FileResult
    lsp: tuple[types.Diagnostic, ...]
    settings_epoch: int
    disk_epoch: int = 0  # the server's count of disk changes read when the run started
    change: int = 0  # the scheduler's count of changes to the document's directory, then

    @property
    def result_id(self) -> str:
        return f"{self.snapshot.revision}.{self.generation}.{self.settings_epoch}"


def _result_size(result: FileResult) -> int:
    """About the bytes a result holds with its key: the tuples, then messages and fix texts."""
    size = 500
    for d in result.diagnostics:
        size += 300 + len(d.message) + sum(len(f.title) + sum(len(e.new_text) + 80 for e in f.edits) for f in d.fixes)
    return size


class ResultCache:
    """An LRU cache of per-file results, bounded by the bytes they hold."""

    def __init__(self, max_bytes: int = RESULT_CACHE_BYTES) -> None:
        self._cache: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=_result_size)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(target: Target, job: AnalysisJob) -> tuple:
        generation = job.package.generation if job.package is not None else 0
        return (target.path, hash(target.source), len(target.source), generation, job.settings)

    def get(self, key: tuple) -> FileResult | None:
        result = self._cache.get(key)
        if result is None:
            self.misses += 1
        else:
            self.hits += 1
        return result

    def put(self, key: tuple, result: FileResult) -> None:
        self._cache[key] = result

    def forget_directories(self, directories: set[str]) -> None:
        for key in [k for k in self._cache if os.path.dirname(k[0]) in directories]:
            self._cache.pop(key, None)

    def clear(self) -> None:
        self._cache.clear()


class CheckpointedFunctionCache(FunctionCache):
    """The flow analysis' per-function cache, doubling as a cancellation checkpoint.

    The flow analysis asks it for every function it is about to interpret, which is where
    the time goes; a cancelled run stops there. Its entries hold the write events of a
    function's last analysis, and those hold nodes of that version's syntax tree, so
    `keep_current` drops the entries of function texts that are gone from their file: old
    trees are released as the user types instead of piling up with every keystroke.
    """

    def __init__(self) -> None:
        super().__init__()
        self.token = NEVER
        self._by_path: dict[str, set[Hashable]] = {}

    def get(self, key: Hashable):
        self.token.check()
        return super().get(key)

    def file_results(self, path: str):
        self.token.check()  # (a file served whole makes no lookup of its functions)
        return super().file_results(path)

    def put(self, key: Hashable, value) -> None:
        super().put(key, value)
        path = _key_path(key)
        if path is not None:
            self._by_path.setdefault(path, set()).add(key)

    def keep_current(self, files: list[SourceFile]) -> None:
        """Drop the entries of functions whose text is no longer in these files."""
        for file in files:
            kept = super().file_results(file.path)
            if kept is not None and kept.files.get(file.path) is not file:
                self.forget_file_results(file.path)  # (it holds an older tree)
            keys = self._by_path.get(file.path)
            if not keys:
                continue
            current = {file.text_key(node) for node in file.functions}
            stale = {key for key in keys if key[1:3] not in current}  # type: ignore[index]
            if stale:
                keys -= stale
                with self._lock:
                    for key in stale:
                        self._cache.pop(key, None)

    def forget_path(self, path: str) -> None:
        self.forget_file_results(path)
        for key in self._by_path.pop(path, ()):
            with self._lock:
                self._cache.pop(key, None)

    def forget_directories(self, directories: set[str]) -> None:
        for path in [p for p in self._by_path.keys() | self._files.keys() if os.path.dirname(p) in directories]:
            self.forget_path(path)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
        self._by_path.clear()
        self.forget_file_results()
        if self.checks is not None:
            self.checks.clear()  # (and the trees of the packages' last checks)


def _key_path(key: Hashable) -> str | None:
    """The file a function's key names: (path, text hash, text length, ...)."""
    if isinstance(key, tuple) and len(key) >= 3 and isinstance(key[0], str):
        return key[0]
    return None


def run_job(
    job: AnalysisJob, cache: ResultCache, functions: CheckpointedFunctionCache, reads: dict[str, dict[str, int | None]] | None = None
) -> dict[str, FileResult]:
    """Check the job's package for the targets not in the cache; what the check read of other
    packages of the module goes into `reads`, by the package's directory."""
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
    with recording_reads() as read:
        report = check_package(job.package.index, [t.path for t in missing], job.settings, cache=functions)
    if reads is not None:
        reads[os.path.dirname(missing[0].path)] = {path: MODULES.meaning(path) for path in read}
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
    functions.keep_current([job.package.index.files[t.path] for t in missing])
    return results


def to_lsp(
    diagnostics: tuple[Diagnostic, ...],
    lines: LineIndex,
    view: PackageView | None,
    encoding: Encoding,
    converted: ConvertedDiagnostics | None = None,
) -> tuple[types.Diagnostic, ...]:
    indexes: dict[str, LineIndex | None] = {}

    def lines_of(path: str) -> LineIndex | None:  # of another file, for related information
        if path not in indexes:
            file = view.index.files.get(path) if view is not None else None
            indexes[path] = convert.line_index(file.source) if file is not None else None
        return indexes[path]

    if converted is not None:
        return converted.convert(diagnostics, lines, encoding, lines_of)
    return tuple(convert.to_lsp_diagnostic(d, lines, encoding, lines_of) for d in diagnostics)


@dataclass(frozen=True)
class DirectoryRequest:
    """Check the open documents of one directory (or one untitled buffer)."""

    snapshots: tuple[DocumentSnapshot, ...]  # every open Go document of the directory
    excluded: frozenset[str]  # paths that get no findings
    settings: Settings
    encoding: Encoding
    settings_epoch: int
    disk_epoch: int
    change: int  # the scheduler's count of changes to the directory when it was snapshotted


@dataclass
class AnalysisState:
    """What the analysis thread keeps between requests."""

    trees: Trees = field(default_factory=Trees)
    packages: PackageStore = field(default_factory=PackageStore)
    results: ResultCache = field(default_factory=ResultCache)
    functions: CheckpointedFunctionCache = field(default_factory=CheckpointedFunctionCache)
    converted: ConvertedDiagnostics = field(default_factory=ConvertedDiagnostics)
    # What each package directory's last check read of other packages of the module (their
    # directories, with what it saw of each (`ModuleTypes.meaning`), and the go.mod that
    # placed them): its findings depend on them.
    reads: dict[str, dict[str, int | None]] = field(default_factory=dict)

    facts_after_prune: int = 0

    def buffers(self, snapshots: tuple[DocumentSnapshot, ...], token: CancelToken = NEVER) -> Buffers:
        buffers: Buffers = {}
        for snapshot in snapshots:
            token.check()
            buffers[snapshot.path] = self.trees.file_for(snapshot)
        return buffers

    # -- requests ---------------------------------------------------------------------------
    def analyse(self, request: DirectoryRequest, token: CancelToken) -> list[DocumentResult]:
        """The findings of each snapshot; raises `RunCancelled` when the token is set."""
        self.functions.token = token
        try:
            buffers = self.buffers(request.snapshots, token)
            for snapshot in request.snapshots:
                # (what the checks of other packages read of this one: the text being typed)
                MODULES.set_buffer(snapshot.path, snapshot.source)
            groups: dict[int, tuple[PackageView | None, list[DocumentSnapshot]]] = {}
            for snapshot in request.snapshots:
                view = self.packages.view_for(snapshot.path, buffers)
                groups.setdefault(id(view.index) if view else id(snapshot), (view, []))[1].append(snapshot)
            results: list[DocumentResult] = []
            for view, members in groups.values():
                targets = tuple(
                    Target(s.uri, s.path, s.version, s.source, buffers.get(s.path) is not None and s.path not in request.excluded)
                    for s in members
                )
                found = run_job(AnalysisJob(view, targets, request.settings), self.results, self.functions, self.reads)
                for snapshot in members:
                    result = found.get(snapshot.path, EMPTY)
                    lsp = to_lsp(result.diagnostics, snapshot.lines, view, request.encoding, self.converted)
                    generation = view.generation if view is not None else 0
                    results.append(
                        DocumentResult(
                            snapshot, generation, result, lsp, request.settings_epoch, request.disk_epoch, request.change
                        )
                    )
            self.prune_declaration_facts()
            return results
        finally:
            self.functions.token = NEVER

    def prune_declaration_facts(self) -> None:
        """Drop the flow analysis' facts about declarations whose text is gone.

        `analyzers.flow.cache` keeps a fact per declaration text (what names it mentions,
        what it writes), bounded by count only: every edited version of a function adds a
        few, about a kilobyte, for good. Facts about texts no file holds now are dropped
        here, once they doubled since the last time (so the cost of a pruning is spread
        over as many additions as it keeps); they are recomputed if a text comes back. Done from outside because the cache offers no bound of its own.
        """
        facts, lock = getattr(flow_cache, "_DECLARATION_FACTS", None), getattr(flow_cache, "_FACTS_LOCK", None)
        if facts is None or lock is None or len(facts) < 2 * self.facts_after_prune + FACTS_SLACK:
            return
        live: set[tuple[int, int]] = set()
        for file in [*self.packages.files(), *self.trees.files()]:
            for node in (*file.tree.root_node.named_children, *file.functions):
                live.add(file.text_key(node))
                live.add(file.code_key(node))  # (the facts of code alone: `flow_cache.code_fact`)
        with lock:
            for key in [k for k in facts.keys() if isinstance(k, tuple) and len(k) == 3 and k[1:] not in live]:
                facts.pop(key, None)
            self.facts_after_prune = len(facts)

    def workspace_reports(
        self,
        directory: str,
        snapshots: tuple[DocumentSnapshot, ...],
        excluded: Callable[[str], bool],
        settings: Settings,
        encoding: Encoding,
    ) -> list[tuple[str, str, int | None, str, tuple[types.Diagnostic, ...]]]:
        """(path, uri, version, result id, diagnostics) of every file of a loaded directory."""
        buffers = self.buffers(snapshots)
        by_path = {s.path: s for s in snapshots}
        reports = []
        for view in self.packages.views_of(directory, buffers).values():
            targets = []
            for path, file in view.index.files.items():
                snapshot = by_path.get(path)
                uri = snapshot.uri if snapshot else convert.path_to_uri(path)
                targets.append(Target(uri, path, snapshot.version if snapshot else None, file.source, not excluded(path)))
            found = run_job(AnalysisJob(view, tuple(targets), settings), self.results, self.functions, self.reads)
            for target in targets:
                lines = convert.line_index(view.index.files[target.path].source)
                lsp = to_lsp(found.get(target.path, EMPTY).diagnostics, lines, view, encoding, self.converted)
                reports.append((target.path, target.uri, target.version, str(view.generation), lsp))
        return reports

    def fix_all(self, result: DocumentResult, snapshots: tuple[DocumentSnapshot, ...], settings: Settings) -> bytes:
        """The document's text with every safe fix applied, re-checked until stable (the
        same loop as `nilmap check --fix`)."""
        snapshot = result.snapshot
        buffers = self.buffers(snapshots)
        view = self.packages.view_for(snapshot.path, buffers)
        if view is None or snapshot.path not in view.index.files:
            return snapshot.source
        base = view.index.files[snapshot.path]

        def check(sources) -> list[Diagnostic]:
            index = view.index.fork()
            index.update(base.with_source(sources[snapshot.path]))
            return check_package(index, [snapshot.path], settings, cache=self.functions).diagnostics

        fixed = fix_until_stable({snapshot.path: snapshot.source}, check, diagnostics=list(result.result.diagnostics))
        return fixed.sources.get(snapshot.path, snapshot.source)

    def package_sources(self, path: str, snapshots: tuple[DocumentSnapshot, ...], wanted: set[str]) -> dict[str, bytes]:
        """The texts of `wanted` files in the package view of `path` (open buffers over disk)."""
        view = self.packages.view_for(path, self.buffers(snapshots))
        if view is None:
            return {}
        return {p: view.index.files[p].source for p in wanted if p in view.index.files}

    # -- state changes the event loop asks for ---------------------------------------------
    def install(self, directory: str, state: DirectoryState, pinned: set[str]) -> list[str]:
        return self.packages.install(directory, state, pinned)

    def set_disk_file(self, path: str, file: SourceFile | None) -> bool:
        return self.packages.set_disk_file(path, file)

    def forget_directory(self, directory: str) -> None:
        self.packages.forget(directory)

    def read_elsewhere_changed(self, paths: list[str]) -> list[str]:
        """The package directories whose last check read one of these changed files (a file of
        another package it looked up, a go.mod): their results no longer hold. The kept
        results and per-function analyses are dropped (they are keyed by the package's own
        texts, which did not change), and so are declaration facts."""
        changed = {os.path.dirname(p) for p in paths} | set(paths)
        dependents = sorted(d for d, read in self.reads.items() if read.keys() & changed)
        if dependents:
            self.results.clear()
            self.functions.clear()
            flow_cache.forget_declaration_facts()
            for directory in dependents:
                del self.reads[directory]
        return dependents

    def buffers_read_elsewhere(self, directory: str) -> list[str]:
        """The package directories whose last check read the package in `directory` as it no
        longer reads with the editor's text of its open files (a field typed, a method
        removed, unsaved): their results no longer hold. Their kept results and per-function
        analyses are dropped (keyed by their own texts, which did not change), and so are
        declaration facts."""
        readers = [d for d, read in self.reads.items() if d != directory and directory in read]
        if not readers:
            return []
        now = MODULES.meaning_now(directory)
        stale = {d for d in readers if self.reads[d][directory] != now}
        if stale:
            self.results.forget_directories(stale)
            self.functions.forget_directories(stale)
            flow_cache.forget_declaration_facts()
            for reader in stale:
                del self.reads[reader]
        return sorted(stale)

    def close(self, uri: str, path: str) -> None:
        self.trees.forget(uri)
        self.functions.forget_path(path)
        MODULES.set_buffer(path, None)  # other packages read the disk's text again

    def clear_results(self) -> None:
        self.results.clear()
