"""The nilmap language server: the one server instance and its LSP features.

Threads: every handler here runs on the asyncio event loop, which owns all state
(documents, packages, settings, published results). The checker runs in a small thread pool
on frozen snapshots (`analysis.run_job`); its results come back to the loop, which publishes
them only if the document is still open at the same revision. Runs are coalesced per
directory: while one is in flight, further changes only mark the directory dirty, and one
more run starts when it ends, on the newest text. Directories are read and indexed in the
same pool. A daemon thread watches the client's process id.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Generator

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from analyzers.config import CONFIG_NAMES, ConfigError
from analyzers.model import Diagnostic
from analyzers.registry import rule_by_code
from analyzers.text import LineIndex
from analyzers.fixes.apply import apply_fixes, choose_fixes
from lsp_server import __version__, convert, encoding
from lsp_server.analysis import EMPTY, AnalysisJob, FileResult, ResultCache, Target, run_job
from lsp_server.documents import Document, DocumentSnapshot, DocumentStore
from lsp_server.packages import PackageStore, PackageView, index_directory, list_package_directories, load_file
from lsp_server.project import ProjectConfigs, Scope
from lsp_server.settings import SECTION, ServerSettings, parse_settings

log = logging.getLogger("nilmap.lsp")

INTERNAL_ERROR_MESSAGE = "nilmap hit an internal error; see the output log"
DEBUG_DOCUMENT_STATE = "nilmap/documentState"
PARENT_POLL_SECONDS = 3.0
WATCHED_GLOBS = ("**/*.go", *(f"**/{name}" for name in CONFIG_NAMES))


class NilmapProtocol(LanguageServerProtocol):
    """pygls' protocol, minus its own copies of document text (documents.py keeps ours)."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        # UTF-8 whenever the client offers it, or the encoding the user forces (encoding.py).
        encoding.offer(params, getattr(self._server, "forced_encoding", None))
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


@dataclass(frozen=True)
class DocumentResult:
    """The findings of one snapshot, in model and LSP form."""

    snapshot: DocumentSnapshot
    view: PackageView | None
    result: FileResult
    lsp: tuple[types.Diagnostic, ...]
    settings_epoch: int
    disk_epoch: int = 0  # the server's count of disk changes read when the run started

    @property
    def result_id(self) -> str:
        generation = self.view.generation if self.view is not None else 0
        return f"{self.snapshot.revision}.{generation}.{self.settings_epoch}"


class NilmapLanguageServer(LanguageServer):
    """The server's state and the work its handlers delegate to."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(
            name, version, text_document_sync_kind=types.TextDocumentSyncKind.Incremental, protocol_cls=NilmapProtocol
        )
        self.documents = DocumentStore()
        self.packages = PackageStore()
        self.cache = ResultCache()
        self.settings = ServerSettings()
        self.configs = ProjectConfigs(self.config_error, self.config_cleared)
        # Bumped whenever the editor's settings or a configuration file change: results
        # computed before are not current, even for unchanged text.
        self.settings_epoch = 0
        self.encoding: convert.Encoding = "utf-16"  # type: ignore[name-defined]
        self.forced_encoding: str | None = None  # `nilmap-lsp --position-encoding`
        self.roots: list[str] = []
        self.pull_mode = False
        self.ready = False  # `initialized` came: requests to the client may be sent
        self.loop: asyncio.AbstractEventLoop | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._running: dict[str, asyncio.Task] = {}
        self._dirty: set[str] = set()
        self._loading: dict[str, asyncio.Future] = {}
        self._disk_reads: set[asyncio.Task] = set()  # watched-file changes being read
        self.disk_epoch = 0
        self._results: dict[str, DocumentResult] = {}
        self._published: dict[str, tuple[int, tuple[types.Diagnostic, ...]]] = {}
        self._tasks: set[asyncio.Task] = set()
        self._error_shown = False
        self._settings_message: str | None = None

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def pool(self) -> ThreadPoolExecutor:
        # Our own pool: pygls' pool also reads stdin, which a long analysis must not starve.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="nilmap-analysis")
        return self._pool

    def spawn(self, coroutine: Any, what: str) -> asyncio.Task:
        """Run a background coroutine whose failure is logged, never lost or fatal."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                self.internal_error(t.exception(), what)

        task.add_done_callback(done)
        return task

    async def in_thread(self, function: Callable, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    def internal_error(self, error: BaseException | None, what: str) -> None:
        log.error("%s failed", what, exc_info=(type(error), error, error.__traceback__) if error else None)
        self.show_internal_error()

    def show_internal_error(self) -> None:
        if not self._error_shown:
            self._error_shown = True
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=INTERNAL_ERROR_MESSAGE)
            )

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls calls this for a failed handler: log it, tell the user once."""
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error, exc_info=error)
        if "MethodNotFound" not in type(error).__name__:
            self.show_internal_error()

    def capability(self, path: str, default: Any = None) -> Any:
        value: Any = self.client_capabilities
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return default
        return value

    # -- settings ---------------------------------------------------------------------------
    def apply_settings(self, raw: Any, *, announce: bool) -> None:
        settings, problems = parse_settings(raw)
        if problems:
            log.warning("invalid nilmap settings, using the defaults: %s", "; ".join(problems))
            message = f"nilmap: invalid settings ({problems[0]}); using the defaults"
            if announce:
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
            else:  # before `initialized`: said then
                self._settings_message = message
        if settings != self.settings:
            excludes_changed = settings.exclude != self.settings.exclude
            self.settings = settings
            self.settings_changed(reindex=excludes_changed)

    def settings_changed(self, *, reindex: bool) -> None:
        """Re-check the open documents under new settings; re-index if `exclude` may have
        let in directories indexing skipped."""
        self.settings_epoch += 1
        self.reanalyse_all()
        if reindex and self.ready and self.roots:
            self.spawn(self.index_roots(list(self.roots)), "workspace indexing")

    def config_error(self, error: ConfigError) -> None:
        """A configuration file cannot be used (said once per distinct error), and its line is
        marked in the file itself, so an editor shows the error where it is."""
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=f"{error}; using the defaults")
        )
        try:
            with open(error.path, "rb") as handle:
                lines = convert.line_index(handle.read())
        except OSError:
            return
        line = min(max((error.line or 1) - 1, 0), lines.line_count - 1)
        start, end = lines.line_starts[line], lines.line_end(line)
        diagnostic = types.Diagnostic(
            range=convert.offsets_to_range(lines, start, end, self.encoding),
            message=f"{error.message}; nilmap uses the defaults until this is fixed",
            severity=types.DiagnosticSeverity.Error,
            source="nilmap",
        )
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=convert.path_to_uri(error.path), diagnostics=[diagnostic]))

    def config_cleared(self, path: str) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=convert.path_to_uri(path), diagnostics=[]))

    def config_files_changed(self) -> None:
        self.configs.forget()
        self.settings_changed(reindex=True)

    def scope_for(self, directory: str) -> Scope:
        """How `directory` (or an untitled buffer's URI) is checked."""
        return self.configs.scope(directory, self.settings, self.roots)

    async def register_watcher(self, registration: types.Registration) -> None:
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:  # the client said no: we just do without file events
            log.warning("client refused to watch %s: %s", ", ".join(WATCHED_GLOBS), error)

    async def pull_settings(self) -> None:
        """Ask the client for the `nilmap` section, where it keeps settings that way."""
        if not self.capability("workspace.configuration", False):
            return
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
            )
        except Exception as error:
            log.warning("workspace/configuration failed: %s", error)
            return
        if result and isinstance(result[0], dict):
            self.apply_settings(result[0], announce=True)

    # -- documents and packages ------------------------------------------------------------
    @staticmethod
    def directory_key(document: Document) -> str:
        return os.path.dirname(document.path) if os.path.isabs(document.path) else document.uri

    @staticmethod
    def is_go(document: Document) -> bool:
        return document.language_id == "go" or document.path.endswith(".go")

    async def ensure_directory(self, directory: str) -> None:
        """Read and index a directory's disk files once (in a thread)."""
        if not os.path.isabs(directory) or self.packages.loaded(directory):
            return
        pending = self._loading.get(directory)
        if pending is None:
            pending = self._loading[directory] = asyncio.ensure_future(self.in_thread(index_directory, directory))
            try:
                pinned = {os.path.dirname(d.path) for d in self.documents}
                self.packages.install(directory, await pending, pinned)
            finally:
                self._loading.pop(directory, None)
        else:
            await asyncio.shield(pending)

    # -- analysis -----------------------------------------------------------------------------
    async def analyse_directory(self, key: str) -> list[DocumentResult]:
        """Check every open Go document of one directory on its current snapshot."""
        documents = [d for d in self._documents_of(key) if self.is_go(d)]
        if not documents:
            return []
        if os.path.isabs(key):
            await self.ensure_directory(key)
        snapshots = [d.snapshot() for d in documents]
        groups: dict[int, tuple[PackageView | None, list[DocumentSnapshot]]] = {}
        for snapshot in snapshots:
            view = self.packages.view_for(snapshot.path, snapshots)
            groups.setdefault(id(view.index) if view else id(snapshot), (view, []))[1].append(snapshot)
        results: list[DocumentResult] = []
        epoch, disk_epoch, scope = self.settings_epoch, self.disk_epoch, self.scope_for(key)
        for view, members in groups.values():
            targets = tuple(
                Target(s.uri, s.path, s.version, s.revision, s.source, s.file is not None and not scope.excluded(s.path))
                for s in members
            )
            found = await self.in_thread(run_job, AnalysisJob(view, targets, scope.checker), self.cache)
            if any(r.failures for r in found.values()):
                self.show_internal_error()
            for snapshot in members:
                result = found.get(snapshot.path, EMPTY)
                lsp = self.to_lsp(result.diagnostics, snapshot.lines, view)
                results.append(DocumentResult(snapshot, view, result, lsp, epoch, disk_epoch))
        return results

    def _documents_of(self, key: str) -> list[Document]:
        if os.path.isabs(key):
            return self.documents.in_directory(key)
        document = self.documents.get(key)
        return [document] if document is not None else []

    def to_lsp(self, diagnostics: tuple[Diagnostic, ...], lines: LineIndex, view: PackageView | None) -> tuple[types.Diagnostic, ...]:
        def lines_of(path: str) -> LineIndex | None:
            file = view.index.files.get(path) if view is not None else None
            return file.lines if file is not None else None

        return tuple(convert.to_lsp_diagnostic(d, lines, self.encoding, lines_of) for d in diagnostics)

    def accept(self, results: list[DocumentResult], *, push: bool) -> None:
        """Keep the results that are still current; push those that changed."""
        for result in results:
            document = self.documents.get(result.snapshot.uri)
            if document is None or document.revision != result.snapshot.revision:
                continue  # stale: a newer run will cover this document
            self._results[document.uri] = result
            if push and not self.pull_mode:
                published = (document.version, result.lsp)
                if self._published.get(document.uri) != published:
                    self._published[document.uri] = published
                    self.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(uri=document.uri, diagnostics=list(result.lsp), version=document.version)
                    )

    def schedule(self, key: str) -> None:
        """Re-check a directory's open documents soon; bursts coalesce into one more run."""
        if key in self._running:
            self._dirty.add(key)
            return
        self._running[key] = self.spawn(self._run(key), f"analysis of {key}")

    async def _run(self, key: str) -> None:
        try:
            while True:
                self._dirty.discard(key)
                # Let notifications already read from the client land before snapshotting.
                await asyncio.sleep(0)
                self.accept(await self.analyse_directory(key), push=True)
                if key not in self._dirty:
                    break
        finally:
            self._running.pop(key, None)
        if self.pull_mode and self.capability("workspace.diagnostics.refresh_support", False):
            self.workspace_diagnostic_refresh(None)

    def reanalyse_all(self) -> None:
        for key in {self.directory_key(d) for d in self.documents}:
            self.schedule(key)

    async def disk_settled(self) -> None:
        """Wait for the watched-file changes already notified, so a request after them sees them."""
        if self._disk_reads:
            await asyncio.wait(list(self._disk_reads))

    async def current(self, uri: str) -> DocumentResult | None:
        """The findings for the document's current text, computed now if need be."""
        await self.disk_settled()
        for _ in range(5):
            document = self.documents.get(uri)
            if document is None:
                return None
            result = self._results.get(uri)
            if result is not None and (result.snapshot.revision, result.settings_epoch, result.disk_epoch) == (
                document.revision,
                self.settings_epoch,
                self.disk_epoch,
            ):
                return result
            self.accept(await self.analyse_directory(self.directory_key(document)), push=False)
        return None  # the text kept changing under us; answer nothing rather than stale

    # -- requests ---------------------------------------------------------------------------
    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        result = await self.current(params.text_document.uri)
        if result is None:
            return []
        only = params.context.only
        snapshot, lines = result.snapshot, result.snapshot.lines
        document_changes = bool(self.capability("workspace.workspace_edit.document_changes", False))
        actions: list[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix, only):
            for diagnostic, lsp_diagnostic in zip(result.result.diagnostics, result.lsp):
                if not convert.ranges_overlap(lsp_diagnostic.range, params.range):
                    continue
                linked = _client_diagnostic(lsp_diagnostic, params.context.diagnostics)
                for fix in diagnostic.fixes:
                    action = convert.quick_fix(
                        fix, diagnostic, linked, snapshot.uri, snapshot.version, lines, self.encoding, document_changes,
                        lambda path: self.edit_target(path, result.view),
                    )
                    if action is not None:
                        actions.append(action)
        if _wanted(convert.FIX_ALL_KIND, only):
            # This document only: a fix that also edits another file is left to its quick fix.
            fixes = [f for f in choose_fixes(list(result.result.diagnostics), unsafe=False) if f.is_local()]
            fixed, applied = apply_fixes(snapshot.source, fixes) if fixes else (snapshot.source, 0)
            edit = convert.minimal_edit(snapshot.source, fixed) if applied else None
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title="Fix all nilmap findings that have a safe fix",
                        kind=convert.FIX_ALL_KIND,
                        edit=convert.workspace_edit(
                            snapshot.uri, snapshot.version, convert.text_edits([edit], lines, self.encoding), document_changes
                        ),
                    )
                )
        document = self.documents.get(snapshot.uri)
        if document is None or document.revision != snapshot.revision:
            return []  # the text changed while we computed: these edits would be stale
        return actions

    def edit_target(self, path: str, view: PackageView | None) -> convert.EditTarget | None:
        """Where a fix's edit of another package file goes: the text the analysis saw (an open
        buffer or the disk), versioned when the file is open."""
        file = view.index.files.get(path) if view is not None else None
        if file is None:
            return None
        document = next((d for d in self.documents.in_directory(os.path.dirname(path)) if d.path == path), None)
        if document is not None:
            if document.source != file.source:
                return None  # edited since the analysis: offsets into the old text would be wrong
            return document.uri, document.version, file.lines
        return convert.path_to_uri(path), None, file.lines

    async def hover(self, params: types.HoverParams) -> types.Hover | None:
        result = await self.current(params.text_document.uri)
        if result is None:
            return None
        lines = result.snapshot.lines
        offset, _ = convert.position_to_offset(lines, params.position, self.encoding)
        texts: list[str] = []
        span = None
        for diagnostic in result.result.diagnostics:
            rule = rule_by_code(diagnostic.rule)
            if rule is None or not diagnostic.span.start <= offset <= diagnostic.span.end:
                continue
            if rule.markdown() not in texts:
                texts.append(rule.markdown())
            span = span or diagnostic.span
        if not texts or span is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n---\n\n".join(texts)),
            range=convert.offsets_to_range(lines, span.start, span.end, self.encoding),
        )

    async def document_diagnostic(self, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        result = await self.current(params.text_document.uri)
        if result is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if params.previous_result_id == result.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=list(result.lsp), result_id=result.result_id)

    async def workspace_diagnostics(self, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
        """Reports for every indexed file, open buffers taking the place of disk."""
        previous = {p.uri: p.value for p in params.previous_result_ids or []}
        await self.disk_settled()
        items: list[Any] = []
        for directory in list(self.packages.known) or self.packages.directories():
            await self.ensure_directory(directory)  # evicted ones are read again
            snapshots = [d.snapshot() for d in self.documents.in_directory(directory) if self.is_go(d)]
            by_path = {s.path: s for s in snapshots}
            scope = self.scope_for(directory)
            for view in self.packages.views_of(directory, snapshots).values():
                targets = []
                for path, file in view.index.files.items():
                    snapshot = by_path.get(path)
                    uri = snapshot.uri if snapshot else convert.path_to_uri(path)
                    version = snapshot.version if snapshot else None
                    targets.append(Target(uri, path, version, 0, file.source, not scope.excluded(path)))
                found = await self.in_thread(run_job, AnalysisJob(view, tuple(targets), scope.checker), self.cache)
                for target in targets:
                    result_id = f"{view.generation}.{self.settings_epoch}"
                    if previous.get(target.uri) == result_id:
                        items.append(types.WorkspaceUnchangedDocumentDiagnosticReport(uri=target.uri, result_id=result_id, version=target.version))
                        continue
                    lines = view.index.files[target.path].lines
                    diagnostics = self.to_lsp(found.get(target.path, EMPTY).diagnostics, lines, view)
                    items.append(
                        types.WorkspaceFullDocumentDiagnosticReport(
                            uri=target.uri, items=list(diagnostics), version=target.version, result_id=result_id
                        )
                    )
        return types.WorkspaceDiagnosticReport(items=items)

    # -- workspace ----------------------------------------------------------------------------
    async def index_roots(self, roots: list[str]) -> None:
        """Read and index every Go package under `roots`, reporting work-done progress."""
        roots = [r for r in roots if os.path.isdir(r)]
        if not roots:
            return
        token = f"nilmap-indexing-{uuid.uuid4()}"
        progress = bool(self.capability("window.work_done_progress", False))
        if progress:
            try:
                await self.work_done_progress.create_async(token)
            except Exception as error:
                log.warning("window/workDoneProgress/create failed: %s", error)
                progress = False
        if progress:
            self.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title="nilmap: indexing Go packages", percentage=0, cancellable=False)
            )
        started = time.monotonic()
        directories: list[str] = []
        try:
            for root in roots:
                found = await self.in_thread(list_package_directories, root)
                directories.extend(d for d in found if not self.scope_for(d).excluded(d))
            last_report = 0.0
            for done, directory in enumerate(directories, 1):
                await self.ensure_directory(directory)
                if progress and (time.monotonic() - last_report > 0.2 or done == len(directories)):
                    last_report = time.monotonic()
                    self.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{done}/{len(directories)} packages", percentage=done * 100 // len(directories)
                        ),
                    )
        finally:
            if progress:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"indexed {len(directories)} directories"))
        log.info("indexed %d directories in %.2f s", len(directories), time.monotonic() - started)

    def files_changed(self, changes: list[types.FileEvent]) -> None:
        """Configuration files now (so that requests after this see them), Go files soon."""
        if any(os.path.basename(convert.uri_to_path(c.uri)) in CONFIG_NAMES for c in changes):
            self.config_files_changed()
        task = self.spawn(self.disk_changed(changes), "watched files")
        self._disk_reads.add(task)
        task.add_done_callback(self._disk_reads.discard)

    async def disk_changed(self, changes: list[types.FileEvent]) -> None:
        touched: set[str] = set()
        for change in changes:
            path = convert.uri_to_path(change.uri)
            directory = os.path.dirname(path)
            if not path.endswith(".go") or not self.packages.loaded(directory):
                continue
            file = None if change.type == types.FileChangeType.Deleted else await self.in_thread(load_file, path)
            self.packages.set_disk_file(path, file)
            touched.add(directory)
        if touched:
            self.disk_epoch += 1  # results computed before are not current
        for directory in touched:
            self.schedule(directory)

    def forget_root(self, root: str) -> None:
        self.roots = [r for r in self.roots if r != root]
        open_directories = {os.path.dirname(d.path) for d in self.documents}
        for directory in list(self.packages.known) + self.packages.directories():
            if (directory == root or directory.startswith(root.rstrip(os.sep) + os.sep)) and directory not in open_directories:
                self.packages.forget(directory)

    def watch_parent(self, pid: int) -> None:
        """Exit when the client process dies without telling us (a daemon thread)."""

        def watch() -> None:
            while True:
                time.sleep(PARENT_POLL_SECONDS)
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    log.warning("client process %d is gone; exiting", pid)
                    os._exit(1)
                except PermissionError:
                    pass  # alive, just not ours to signal

        threading.Thread(target=watch, name="nilmap-parent-watch", daemon=True).start()

    def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _wanted(kind: str, only: Any) -> bool:
    """Whether an action of `kind` was asked for (`only` lists kinds or their prefixes)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def _client_diagnostic(ours: types.Diagnostic, theirs: Any) -> types.Diagnostic:
    """The client's copy of our diagnostic, if it sent one, so the action links to it."""
    for diagnostic in theirs or []:
        if diagnostic.range == ours.range and diagnostic.code == ours.code and diagnostic.source == ours.source:
            return diagnostic
    return ours


def _root_paths(params: types.InitializeParams) -> list[str]:
    if params.workspace_folders:
        return [convert.uri_to_path(f.uri) for f in params.workspace_folders]
    if params.root_uri:
        return [convert.uri_to_path(params.root_uri)]
    return [params.root_path] if params.root_path else []


server = NilmapLanguageServer("nilmap", __version__)


@server.feature(types.INITIALIZE)
def initialize(ls: NilmapLanguageServer, params: types.InitializeParams) -> None:
    """Take the negotiated encoding, settings, roots and client pid."""
    ls.loop = asyncio.get_running_loop()
    ls.encoding = convert.encoding_of(ls.workspace.position_encoding)
    ls.pull_mode = ls.capability("text_document.diagnostic") is not None
    ls.roots = _root_paths(params)
    ls.apply_settings(params.initialization_options, announce=False)
    if params.process_id:
        ls.watch_parent(params.process_id)
    log.info("nilmap %s: encoding %s, %s diagnostics", __version__, ls.encoding, "pull" if ls.pull_mode else "push")


@server.feature(types.INITIALIZED)
async def initialized(ls: NilmapLanguageServer, params: types.InitializedParams) -> None:
    """Register file watching, read settings, and index the workspace in the background."""
    ls.ready = True
    if ls._settings_message is not None:
        message, ls._settings_message = ls._settings_message, None
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
    if ls.capability("workspace.did_change_watched_files.dynamic_registration", False):
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED_GLOBS]
        registration = types.Registration(
            id="nilmap-watch-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        ls.spawn(ls.register_watcher(registration), "watch registration")
    ls.spawn(ls.pull_settings(), "workspace/configuration")
    ls.spawn(ls.index_roots(list(ls.roots)), "workspace indexing")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: NilmapLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    """Track the document and check it."""
    document = ls.documents.open(params.text_document)
    if ls.is_go(document):
        ls.schedule(ls.directory_key(document))


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: NilmapLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    """Apply the edits (incremental re-parse) and re-check the document's package."""
    document = ls.documents.get(params.text_document.uri)
    if document is None:
        log.warning("didChange for %s, which is not open; ignored", params.text_document.uri)
        return
    document.apply_changes(params.content_changes, params.text_document.version, ls.encoding)
    if ls.is_go(document):
        ls.schedule(ls.directory_key(document))


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: NilmapLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    """Re-publish (a cache hit unless something changed)."""
    document = ls.documents.get(params.text_document.uri)
    if document is not None and ls.is_go(document):
        ls._published.pop(document.uri, None)
        ls.schedule(ls.directory_key(document))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: NilmapLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    """Forget the buffer, clear its diagnostics, re-check its neighbours against disk."""
    document = ls.documents.close(params.text_document.uri)
    ls._results.pop(params.text_document.uri, None)
    if ls._published.pop(params.text_document.uri, None) is not None:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))
    if document is not None and os.path.isabs(document.path):
        ls.schedule(os.path.dirname(document.path))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND], resolve_provider=False),
)
async def code_action(ls: NilmapLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Each finding's fixes as quick fixes, and `source.fixAll.nilmap`."""
    return await ls.code_actions(params)


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: NilmapLanguageServer, params: types.HoverParams) -> types.Hover | None:
    """The rule's documentation over a finding."""
    return await ls.hover(params)


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(identifier="nilmap", inter_file_dependencies=True, workspace_diagnostics=True),
)
async def text_document_diagnostic(ls: NilmapLanguageServer, params: types.DocumentDiagnosticParams) -> Any:
    """Pull diagnostics for one document."""
    return await ls.document_diagnostic(params)


@server.feature(types.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(ls: NilmapLanguageServer, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """Pull diagnostics for every indexed file."""
    return await ls.workspace_diagnostics(params)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: NilmapLanguageServer, params: types.DidChangeConfigurationParams) -> None:
    """Take pushed settings, or pull them when the client only signals a change."""
    settings = params.settings
    if isinstance(settings, dict) and settings.get(SECTION) is not None:
        ls.apply_settings(settings[SECTION], announce=True)
    else:
        ls.spawn(ls.pull_settings(), "workspace/configuration")


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: NilmapLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Re-read changed Go files of loaded packages and changed configuration files; re-check
    the open documents they affect."""
    ls.files_changed(list(params.changes))


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_workspace_folders(ls: NilmapLanguageServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    """Index added folders; drop removed ones (except directories with open files)."""
    for folder in params.event.removed or []:
        ls.forget_root(convert.uri_to_path(folder.uri))
    added = [convert.uri_to_path(f.uri) for f in params.event.added or []]
    ls.roots.extend(added)
    ls.spawn(ls.index_roots(added), "workspace indexing")


@server.feature(types.SHUTDOWN)
def shutdown(ls: NilmapLanguageServer, params: Any) -> None:
    """Stop background work; `exit` follows."""
    ls.stop()


@server.feature(DEBUG_DOCUMENT_STATE)
def document_state(ls: NilmapLanguageServer, params: Any) -> dict[str, Any] | None:
    """The server's view of a document (text, version), for tests and bug reports."""
    uri = params["uri"] if isinstance(params, dict) else getattr(params, "uri", None)
    document = ls.documents.get(uri) if uri else None
    if document is None:
        return None
    return {
        "uri": document.uri,
        "version": document.version,
        "text": document.source.decode("utf-8", errors="replace"),
        "parsed": document.tree is not None,
    }
