"""The nilmap language server: the one server instance, its state, and the registration of
its LSP features.

Threads: every handler runs on the asyncio event loop, which owns the documents, settings
and published results, and does nothing slow: a keystroke is a splice of bytes. Parsing,
package indexes and checker runs belong to one analysis thread (`analysis.py`), which gets
frozen snapshots; files are read in short-lived I/O threads with a timeout
(`workspace.py`). When runs start, and which results are current, is `scheduler.py`'s job;
the requests live in `features/`. A daemon thread watches the client's process id.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.lsp.server import LanguageServer

from analyzers.config import CONFIG_NAMES, ConfigError
from analyzers.files import read_regular
from lsp_server import __version__, convert
from lsp_server.analysis import AnalysisState, CancelToken, DirectoryRequest, DocumentResult, RunCancelled
from lsp_server.documents import Document, DocumentStore
from lsp_server.features import code_actions, diagnostics, hover
from lsp_server.project import ProjectConfigs, Scope
from lsp_server.protocol import NilmapProtocol
from lsp_server.scheduler import Scheduler
from lsp_server.settings import SECTION, ServerSettings, parse_settings
from lsp_server.transport import serve_stream, serve_tcp
from lsp_server.workspace import WorkspaceFiles

log = logging.getLogger("nilmap.lsp")

INTERNAL_ERROR_MESSAGE = "nilmap hit an internal error; see the output log"
DEBUG_DOCUMENT_STATE = "nilmap/documentState"
PARENT_POLL_SECONDS = 3.0
WATCHED_GLOBS = ("**/*.go", *(f"**/{name}" for name in CONFIG_NAMES))


class NilmapLanguageServer(LanguageServer):
    """The server's state and the plumbing its features share."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(
            name, version, text_document_sync_kind=types.TextDocumentSyncKind.Incremental, protocol_cls=NilmapProtocol
        )
        self.documents = DocumentStore()
        self.state = AnalysisState()  # the analysis thread's; never touched on the loop
        self.scheduler = Scheduler(self, self.analyse_directory)
        self.files = WorkspaceFiles(self)  # not `workspace`: pygls has one
        self.settings = ServerSettings()
        self.configs = ProjectConfigs(self.config_error, self.config_cleared)
        # Bumped whenever the editor's settings or a configuration file change: results
        # computed before are not current, even for unchanged text.
        self.settings_epoch = 0
        self.disk_epoch = 0  # bumped when watched files change the indexed packages
        self.encoding: convert.Encoding = "utf-16"
        self.forced_encoding: str | None = None  # `nilmap-lsp --position-encoding`
        self.roots: list[str] = []
        self.pull_mode = False
        self.ready = False  # `initialized` came: requests to the client may be sent
        self.loop: asyncio.AbstractEventLoop | None = None
        self._analysis: ThreadPoolExecutor | None = None
        self._tasks: set[asyncio.Task] = set()
        self._error_shown = False
        self._settings_message: str | None = None

    # -- transport -------------------------------------------------------------------------
    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        """Serve over stdio, with framing that survives a mis-framed message."""
        import sys

        serve_stream(self, stdin or sys.stdin.buffer, stdout or sys.stdout.buffer)

    def start_tcp(self, host: str, port: int) -> None:
        serve_tcp(self, host, port)

    # -- threads ---------------------------------------------------------------------------
    async def in_analysis(self, function: Callable, *args: Any) -> Any:
        """Run `function` in the analysis thread, the only one that touches `self.state`."""
        if self._analysis is None:
            self._analysis = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nilmap-analysis")
        return await asyncio.get_running_loop().run_in_executor(self._analysis, function, *args)

    async def in_io(self, function: Callable, *args: Any, timeout: float | None) -> Any:
        """Run a read in a thread of its own; raises TimeoutError after `timeout` seconds.

        The thread is a daemon: a read that never returns (a hung network mount) is left
        behind without holding up the server, nor its exit.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def deliver(set_: Callable[[Any], None], value: Any) -> None:
            if not future.done():
                set_(value)

        def run() -> None:
            try:
                result = function(*args)
            except BaseException as error:  # handed to the awaiting coroutine
                loop.call_soon_threadsafe(deliver, future.set_exception, error)
            else:
                loop.call_soon_threadsafe(deliver, future.set_result, result)

        threading.Thread(target=run, name="nilmap-io", daemon=True).start()
        return await asyncio.wait_for(future, timeout)

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

    # -- errors ----------------------------------------------------------------------------
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
        """pygls calls this for a failed handler: log it, tell the user once. Errors the
        client caused (a bad request) are answered and logged, never shown as ours."""
        if isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError):
            log.warning("request error: %s", error)  # a method or params the client got wrong
            return
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error, exc_info=error)
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
        self.scheduler.schedule_all()
        if reindex and self.ready and self.roots:
            self.spawn(self.files.index_roots(list(self.roots)), "workspace indexing")

    def config_error(self, error: ConfigError) -> None:
        """A configuration file cannot be used (said once per distinct error), and its line is
        marked in the file itself, so an editor shows the error where it is."""
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=f"{error}; using the defaults")
        )
        try:
            lines = convert.line_index(read_regular(error.path))
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

    # -- documents and analysis --------------------------------------------------------------
    @staticmethod
    def directory_key(document: Document) -> str:
        return os.path.dirname(document.path) if os.path.isabs(document.path) else document.uri

    @staticmethod
    def is_go(document: Document) -> bool:
        return document.language_id == "go" or document.path.endswith(".go")

    def documents_of(self, key: str) -> list[Document]:
        if os.path.isabs(key):
            return self.documents.in_directory(key)
        document = self.documents.get(key)
        return [document] if document is not None else []

    async def analyse_directory(self, key: str, token: CancelToken) -> list[DocumentResult] | None:
        """Check every open Go document of one directory on its current text; None when the
        run was cancelled by newer text."""
        documents = [d for d in self.documents_of(key) if self.is_go(d)]
        if not documents:
            return []
        if os.path.isabs(key):
            await self.files.ensure_directory(key)
        change = self.scheduler.changes(key)
        snapshots = tuple(d.snapshot() for d in documents)
        scope = self.scope_for(key)
        excluded = frozenset(s.path for s in snapshots if scope.excluded(s.path))
        request = DirectoryRequest(snapshots, excluded, scope.checker, self.encoding, self.settings_epoch, self.disk_epoch, change)
        results = await self.in_analysis(_analyse, self.state, request, token)
        if results is not None and any(r.result.failures for r in results):
            self.show_internal_error()
        return results

    def refresh_pulled_diagnostics(self) -> None:
        """Tell a pulling client that findings changed, so it asks again."""
        if self.pull_mode and self.capability("workspace.diagnostics.refresh_support", False):
            self.workspace_diagnostic_refresh(None)

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
        self.scheduler.stop()
        for task in list(self._tasks):
            task.cancel()
        if self._analysis is not None:
            self._analysis.shutdown(wait=False, cancel_futures=True)


def _analyse(state: AnalysisState, request: DirectoryRequest, token: CancelToken) -> list[DocumentResult] | None:
    """The analysis thread's side of `analyse_directory`."""
    try:
        return state.analyse(request, token)
    except RunCancelled:
        return None


def _root_paths(params: types.InitializeParams) -> list[str]:
    if params.workspace_folders:
        return [convert.uri_to_path(f.uri) for f in params.workspace_folders]
    if params.root_uri:
        return [convert.uri_to_path(params.root_uri)]
    return [params.root_path] if params.root_path else []


server = NilmapLanguageServer("nilmap", __version__)


# -- lifecycle ---------------------------------------------------------------------------------
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
    ls.spawn(ls.files.index_roots(list(ls.roots)), "workspace indexing")


@server.feature(types.SHUTDOWN)
def shutdown(ls: NilmapLanguageServer, params: Any) -> None:
    """Stop background work; `exit` follows."""
    ls.stop()


# -- document sync -------------------------------------------------------------------------------
@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: NilmapLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    """Track the document and check it."""
    document = ls.documents.open(params.text_document)
    if ls.is_go(document):
        ls.scheduler.schedule(ls.directory_key(document))


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: NilmapLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    """Apply the edits to the text and re-check the document's package (soon, once)."""
    document = ls.documents.get(params.text_document.uri)
    if document is None:
        log.warning("didChange for %s, which is not open; ignored", params.text_document.uri)
        return
    document.apply_changes(params.content_changes, params.text_document.version, ls.encoding)
    if ls.is_go(document):
        ls.scheduler.schedule(ls.directory_key(document))


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: NilmapLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    """Re-publish (a cache hit unless something changed)."""
    document = ls.documents.get(params.text_document.uri)
    if document is not None and ls.is_go(document):
        ls.scheduler.republish(document.uri)
        ls.scheduler.schedule(ls.directory_key(document))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: NilmapLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    """Forget the buffer, clear its diagnostics, re-check its neighbours against disk."""
    document = ls.documents.close(params.text_document.uri)
    ls.scheduler.forget(params.text_document.uri)
    if document is None:
        return
    ls.spawn(ls.in_analysis(ls.state.close, document.uri, document.path), "closing a document")
    if os.path.isabs(document.path):
        ls.scheduler.schedule(os.path.dirname(document.path))


# -- requests ----------------------------------------------------------------------------------
@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND], resolve_provider=False),
)
async def code_action(ls: NilmapLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Each finding's fixes as quick fixes, and `source.fixAll.nilmap`."""
    return await code_actions.code_actions(ls, params)


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def text_document_hover(ls: NilmapLanguageServer, params: types.HoverParams) -> types.Hover | None:
    """The rule's documentation over a finding."""
    return await hover.hover(ls, params)


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(identifier="nilmap", inter_file_dependencies=True, workspace_diagnostics=True),
)
async def text_document_diagnostic(ls: NilmapLanguageServer, params: types.DocumentDiagnosticParams) -> Any:
    """Pull diagnostics for one document."""
    return await diagnostics.document_diagnostic(ls, params)


@server.feature(types.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(ls: NilmapLanguageServer, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """Pull diagnostics for every indexed file."""
    return await diagnostics.workspace_diagnostics(ls, params)


@server.feature(DEBUG_DOCUMENT_STATE)
def document_state(ls: NilmapLanguageServer, params: Any) -> dict[str, Any] | None:
    """The server's view of a document (text, version), for tests and bug reports."""
    uri = params["uri"] if isinstance(params, dict) else getattr(params, "uri", None)
    document = ls.documents.get(uri) if isinstance(uri, str) else None
    if document is None:
        return None
    return {
        "uri": document.uri,
        "version": document.version,
        "text": document.source.decode("utf-8", errors="replace"),
        "parsed": not document.oversized,
    }


# -- workspace ----------------------------------------------------------------------------------
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
    ls.files.files_changed(list(params.changes))


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_workspace_folders(ls: NilmapLanguageServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    """Index added folders; drop removed ones (except directories with open files)."""
    for folder in params.event.removed or []:
        root = convert.uri_to_path(folder.uri)
        ls.roots = [r for r in ls.roots if r != root]
        ls.files.forget_root(root)
    added = [convert.uri_to_path(f.uri) for f in params.event.added or []]
    ls.roots.extend(added)
    ls.spawn(ls.files.index_roots(added), "workspace indexing")
