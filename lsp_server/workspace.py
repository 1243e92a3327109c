"""The Go packages on disk: indexing the workspace folders, loading a directory on demand,
following changes on disk.

Indexing a folder lists its package directories; it reads no Go file. A directory's files
are read and parsed when something needs them (an open document of it, a workspace
diagnostics request), and only the most recently used directories stay parsed
(`PackageStore`): parsing a whole workspace up front would cost minutes of CPU on a large
tree, hold the analysis thread back (the parser keeps the interpreter lock for a whole
file), and all but the last few packages would be dropped again anyway.

Runs on the event loop; files are read in the I/O threads (with a timeout, so a file that
never answers costs a log line, not a hung server) and the parsed state is installed by the
analysis thread, which owns it. A directory counts as loaded only once it is installed
there, so an analysis never sees a package before all of its files are indexed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from typing import TYPE_CHECKING

from lsprotocol import types

from analyzers.config import CONFIG_NAMES
from lsp_server import convert
from lsp_server.packages import index_directory, list_package_directories, load_file

if TYPE_CHECKING:
    from lsp_server.server import NilmapLanguageServer

log = logging.getLogger("nilmap.lsp")

FILE_TIMEOUT = 10.0  # seconds to read one file
DIRECTORY_TIMEOUT = 120.0  # seconds to read and parse one directory
# Typing paused this long in a package before the packages whose checks read it are checked
# again: what they read (its types, unsaved) changes with most keystrokes of a declaration,
# and each such check starts afresh.
BUFFERS_SETTLE_SECONDS = 0.3


class WorkspaceFiles:
    """The package directories the server knows of and which of them are loaded."""

    def __init__(self, server: NilmapLanguageServer) -> None:
        self.server = server
        self.known: dict[str, None] = {}  # every package directory found under the roots, in order
        self.loaded: set[str] = set()  # installed in the analysis thread
        self._loading: dict[str, asyncio.Task] = {}
        self._listing: set[asyncio.Task] = set()  # roots being listed
        self._disk_reads: set[asyncio.Task] = set()  # watched-file changes being read
        self._settling: dict[str, asyncio.Task] = {}  # edited directories, until the typing pauses

    # -- directories --------------------------------------------------------------------------
    async def ensure_directory(self, directory: str) -> None:
        """Read and index a directory's disk files once; return when it can be used."""
        if not os.path.isabs(directory) or directory in self.loaded:
            return
        task = self._loading.get(directory)
        if task is None:
            task = self._loading[directory] = asyncio.ensure_future(self._load(directory))
            task.add_done_callback(lambda _: self._loading.pop(directory, None))
        await asyncio.shield(task)

    async def _load(self, directory: str) -> None:
        server = self.server
        try:
            state = await server.in_io(index_directory, directory, timeout=DIRECTORY_TIMEOUT)
        except TimeoutError:
            log.warning("%s: reading its Go files took over %.0f s; checked without them", directory, DIRECTORY_TIMEOUT)
            return
        pinned = {os.path.dirname(d.path) for d in server.documents}
        evicted = await server.in_analysis(server.state.install, directory, state, pinned)
        self.known[directory] = None
        self.loaded.add(directory)
        self.loaded.difference_update(evicted)

    async def directories(self) -> list[str]:
        """Every package directory under the roots, once the roots being listed are (the excluded
        ones too: whoever reads them leaves those out, by the settings of the time)."""
        if self._listing:
            await asyncio.wait(list(self._listing))
        return list(self.known) or sorted(self.loaded)

    async def index_roots(self, roots: list[str]) -> None:
        """List the Go package directories under `roots`, reporting work-done progress."""
        roots = [r for r in roots if os.path.isdir(r)]
        if not roots:
            return
        listing = asyncio.ensure_future(self._list(roots))
        self._listing.add(listing)
        listing.add_done_callback(self._listing.discard)
        server = self.server
        token = f"nilmap-indexing-{uuid.uuid4()}"
        progress = bool(server.capability("window.work_done_progress", False))
        if progress:
            try:
                await server.work_done_progress.create_async(token)
            except Exception as error:
                log.warning("window/workDoneProgress/create failed: %s", error)
                progress = False
        if progress:
            server.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title="nilmap: indexing Go packages", percentage=0, cancellable=False)
            )
        started = time.monotonic()
        directories: list[str] = []
        try:
            directories = await listing
            if progress:
                server.work_done_progress.report(
                    token, types.WorkDoneProgressReport(message=f"{len(directories)} packages", percentage=100)
                )
        finally:
            if progress:
                server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"indexed {len(directories)} directories"))
        log.info("indexed %d directories in %.2f s", len(directories), time.monotonic() - started)

    async def _list(self, roots: list[str]) -> list[str]:
        directories: list[str] = []
        for root in roots:
            # (the excluded ones are left out where they are used: finding each one's
            # configuration file here is a few system calls a directory, made while the first
            # check holds the interpreter lock, and the event loop waited behind them)
            directories.extend(await self.server.in_io(list_package_directories, root, timeout=None))
        for directory in directories:
            self.known[directory] = None
        return directories

    def forget_root(self, root: str) -> None:
        """A workspace folder was removed: drop its directories, except those with open files."""
        open_directories = {os.path.dirname(d.path) for d in self.server.documents}
        prefix = root.rstrip(os.sep) + os.sep
        for directory in [*self.known, *self.loaded]:
            if (directory == root or directory.startswith(prefix)) and directory not in open_directories:
                self.known.pop(directory, None)
                self.loaded.discard(directory)
                self.server.spawn(self.server.in_analysis(self.server.state.forget_directory, directory), "forgetting a folder")

    # -- disk changes ---------------------------------------------------------------------------
    def files_changed(self, changes: list[types.FileEvent]) -> None:
        """Configuration files now (so that requests after this see them), Go files soon."""
        if any(os.path.basename(convert.uri_to_path(c.uri)) in CONFIG_NAMES for c in changes):
            self.server.config_files_changed()
        task = self.server.spawn(self._disk_changed(changes), "watched files")
        self._disk_reads.add(task)
        task.add_done_callback(self._disk_reads.discard)

    async def _disk_changed(self, changes: list[types.FileEvent]) -> None:
        server = self.server
        touched: set[str] = set()
        # Packages whose last check read a changed file of another package (or a go.mod) are
        # checked again: their findings may rest on a function or type that changed.
        elsewhere = [
            p for p in (convert.uri_to_path(c.uri) for c in changes) if p.endswith(".go") or os.path.basename(p) == "go.mod"
        ]
        if elsewhere:
            touched.update(await server.in_analysis(server.state.read_elsewhere_changed, elsewhere))
        for change in changes:
            path = convert.uri_to_path(change.uri)
            directory = os.path.dirname(path)
            if not path.endswith(".go") or directory not in self.loaded:
                continue
            file = None
            if change.type != types.FileChangeType.Deleted:
                try:
                    file = await server.in_io(load_file, path, timeout=FILE_TIMEOUT)
                except TimeoutError:
                    log.warning("%s: reading it took over %.0f s; keeping what was read before", path, FILE_TIMEOUT)
                    continue
            if await server.in_analysis(server.state.set_disk_file, path, file):
                touched.add(directory)
        if touched:
            server.disk_epoch += 1  # results computed before are not current
        for directory in touched:
            server.scheduler.schedule(directory)

    # -- open buffers ---------------------------------------------------------------------------
    def buffers_checked(self, directory: str) -> None:
        """A check of a package's open files ended: once the typing there pauses, the other
        packages whose last check read it as it no longer is are checked again."""
        if not os.path.isabs(directory):
            return
        previous = self._settling.pop(directory, None)
        if previous is not None:
            previous.cancel()
        changes = self.server.scheduler.changes(directory)
        self._settling[directory] = self.server.spawn(self._buffers_settled(directory, changes), "packages reading an edited one")

    async def _buffers_settled(self, directory: str, changes: int) -> None:
        await asyncio.sleep(BUFFERS_SETTLE_SECONDS)
        if self.server.scheduler.changes(directory) != changes:
            return  # typed again: the check that follows asks again
        self._settling.pop(directory, None)
        for reader in await self.server.in_analysis(self.server.state.buffers_read_elsewhere, directory):
            if self.server.documents_of(reader):
                self.server.scheduler.schedule(reader)

    async def disk_settled(self) -> None:
        """Wait for the watched-file changes already notified, so a request after them sees them."""
        if self._disk_reads:
            await asyncio.wait(list(self._disk_reads))
