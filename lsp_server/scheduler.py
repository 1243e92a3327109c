"""When the open documents are checked, and the latest findings of each.

Runs on the event loop. A change to a directory's documents schedules a run for the
directory; a change while a run is in flight cancels that run (its findings would describe
text that is gone) and one more run follows on the newest text, so bursts of edits cost one
run and the newest text always wins. Findings are kept per document and pushed when they
change; requests ask for them here: `current` waits for the findings of the document's
current text, `latest` settles for the last findings there are when the text changes faster
than a run ends (a pull must never answer with nothing while the user types).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from lsprotocol import types

from lsp_server.analysis import CancelToken, DocumentResult
from lsp_server.collector import Collector
from lsp_server.documents import Document

if TYPE_CHECKING:
    from lsp_server.server import NilmapLanguageServer

log = logging.getLogger("nilmap.lsp")

Analyse = Callable[[str, CancelToken], Awaitable["list[DocumentResult] | None"]]
CURRENT_ATTEMPTS = 5  # runs a request waits through for its document's current text


class Scheduler:
    """Analysis runs per directory (or untitled buffer), and the findings they produced."""

    def __init__(self, server: NilmapLanguageServer, analyse: Analyse) -> None:
        self.server = server
        self._analyse = analyse
        self.results: dict[str, DocumentResult] = {}
        self._published: dict[str, tuple[int, tuple[types.Diagnostic, ...]]] = {}
        self._running: dict[str, asyncio.Task] = {}
        self._dirty: set[str] = set()
        self._tokens: dict[str, CancelToken] = {}
        self._waiters: dict[str, list[asyncio.Future]] = {}
        # Changes per directory: a finding is current only if none came after its snapshot
        # (an edit of one file changes its neighbours' findings too).
        self._changes: dict[str, int] = {}
        self._collector = Collector()

    # -- runs -------------------------------------------------------------------------------
    def schedule(self, key: str) -> None:
        """Something changed in a directory: check its open documents on their newest text, soon."""
        self._changes[key] = self._changes.get(key, 0) + 1
        self._dirty.add(key)
        token = self._tokens.get(key)
        if token is not None:
            token.cancel()  # its results would be stale: the next run starts sooner
        if key not in self._running:
            self._running[key] = self.server.spawn(self._run(key), f"analysis of {key}")

    def changes(self, key: str) -> int:
        return self._changes.get(key, 0)

    def schedule_all(self) -> None:
        for key in {self.server.directory_key(d) for d in self.server.documents}:
            self.schedule(key)

    async def _run(self, key: str) -> None:
        try:
            while key in self._dirty:
                # Let notifications already read from the client land before snapshotting.
                await asyncio.sleep(0)
                self._dirty.discard(key)
                token = self._tokens[key] = CancelToken()
                try:
                    results = await self._analyse(key, token)
                except Exception as error:  # one failed run must not stop the next ones
                    self.server.internal_error(error, f"analysis of {key}")
                    results = None
                finally:
                    self._tokens.pop(key, None)
                if results is not None:
                    self.accept(results, push=True)
                    self.server.files.buffers_checked(key)
                self._wake(key)
        finally:
            self._running.pop(key, None)
            self._wake(key)
            self._collector.check_ended()
        self.server.refresh_pulled_diagnostics()

    def _wake(self, key: str) -> None:
        for waiter in self._waiters.pop(key, []):
            if not waiter.done():
                waiter.set_result(None)

    async def _next_run_end(self, key: str) -> None:
        """Wait for the end of the run in flight, or of one started now."""
        if key not in self._running:
            self.schedule(key)
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(key, []).append(waiter)
        await waiter

    # -- results ----------------------------------------------------------------------------
    def accept(self, results: list[DocumentResult], *, push: bool) -> None:
        """Keep the results that are still current; push those that changed."""
        for result in results:
            document = self.server.documents.get(result.snapshot.uri)
            if document is None or document.revision != result.snapshot.revision:
                continue  # stale: a newer run will cover this document
            self.results[document.uri] = result
            if push and not self.server.pull_mode:
                published = (document.version, result.lsp)
                if self._published.get(document.uri) != published:
                    self._published[document.uri] = published
                    self.server.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(uri=document.uri, diagnostics=list(result.lsp), version=document.version)
                    )

    def is_current(self, result: DocumentResult | None, document: Document) -> bool:
        return result is not None and (result.snapshot.revision, result.settings_epoch, result.disk_epoch, result.change) == (
            document.revision,
            self.server.settings_epoch,
            self.server.disk_epoch,
            self.changes(self.server.directory_key(document)),
        )

    async def current(self, uri: str) -> DocumentResult | None:
        """The findings for the document's current text, waiting for a run if need be; None
        when the text keeps changing (edits for an older text would be wrong)."""
        await self.server.files.disk_settled()
        for _ in range(CURRENT_ATTEMPTS):
            document = self.server.documents.get(uri)
            if document is None or not self.server.is_go(document):
                return None
            result = self.results.get(uri)
            if self.is_current(result, document):
                return result
            await self._next_run_end(self.server.directory_key(document))
        return None

    async def latest(self, uri: str) -> DocumentResult | None:
        """The findings for the current text; or, when the text changed again while a run
        was computing them, the last findings there are (the next run refreshes them)."""
        await self.server.files.disk_settled()
        start: int | None = None
        for _ in range(4 * CURRENT_ATTEMPTS):
            document = self.server.documents.get(uri)
            if document is None or not self.server.is_go(document):
                return None
            start = document.revision if start is None else start
            result = self.results.get(uri)
            if self.is_current(result, document) or (result is not None and document.revision != start):
                return result
            await self._next_run_end(self.server.directory_key(document))
        return self.results.get(uri)

    def forget(self, uri: str) -> None:
        """A document closed: drop its findings and clear what was published for it."""
        self.results.pop(uri, None)
        if self._published.pop(uri, None) is not None:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def republish(self, uri: str) -> None:
        """Publish the document's findings again after the next run, even if unchanged."""
        self._published.pop(uri, None)

    def stop(self) -> None:
        for token in self._tokens.values():
            token.cancel()
