"""The Go packages the open documents belong to: disk files, open buffers on top.

A package is the `.go` files of one directory with the same package clause. Files on disk
are read and parsed in the I/O threads (`load_file`, `index_directory`): only regular files,
never waiting on a FIFO. `PackageStore` is used by the analysis thread alone (the event loop
asks it through that thread), so it needs no locks. An analysis run gets a `PackageIndex`
that is never changed again: when a file changes, its package's index is forked (a shallow
copy of the per-file facts, then `update` of that one file), so a finished run's results
keep pointing at a consistent package. Each fork gets a new generation number, which keys
cached results.
"""
from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
from collections import OrderedDict
from dataclasses import dataclass, field

from analyzers.index import PackageIndex
from analyzers.loader import expand, package_directories, read_source
from analyzers.model import FileError
from analyzers.source import SourceFile
from lsp_server.documents import MAX_ANALYSED_BYTES

log = logging.getLogger("nilmap.lsp")

_generations = itertools.count(1)


@dataclass(frozen=True)
class PackageView:
    """One package as an analysis run sees it."""

    index: PackageIndex
    generation: int


# -- I/O threads -------------------------------------------------------------------------------
def load_file(path: str) -> SourceFile | None:
    """Read and parse one Go file; None if it is unreadable, not a regular file, not UTF-8 or
    too big."""
    try:
        if os.path.getsize(path) > MAX_ANALYSED_BYTES:
            log.info("%s is over %d bytes: not indexed", path, MAX_ANALYSED_BYTES)
            return None
    except OSError:
        return None
    data = read_source(path)
    if isinstance(data, FileError):
        log.info("%s: %s", data.path, data.message)
        return None
    return SourceFile(path, data)


def load_directory(directory: str) -> dict[str, SourceFile]:
    """The parsed `.go` files of one directory (not recursive)."""
    files: dict[str, SourceFile] = {}
    for job in expand([directory]).jobs:
        for path in job.files:
            file = load_file(path)
            if file is not None:
                files[path] = file
    return files


def index_directory(directory: str) -> DirectoryState:
    """Read, parse and index one directory; its state is installed by the analysis thread."""
    state = DirectoryState(load_directory(directory))
    _reconcile(state, {})
    return state


def list_package_directories(root: str) -> list[str]:
    """The directories under `root` that hold Go files, as `go` walks them: listed by a process
    of its own (`python -m analyzers.loader`), here when that process cannot run.

    A walk makes system calls one after another, and each hands the interpreter lock over
    and waits to get it back: beside the analysis thread, which holds it while it checks,
    each wait is a switch interval (5 ms). Listing a 15,900-file workspace took 0.1 s alone
    and 4 s beside the first check of its open file, and an edit typed meanwhile waited
    behind the walk's hand-overs (88 to 149 ms instead of 20 to 30)."""
    command = [sys.executable, "-P", "-m", "analyzers.loader", root]
    # (the child imports what this process imports: its own path, whatever put nilmap on it)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        listed = subprocess.run(command, capture_output=True, check=True, env=environment, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as error:
        log.info("listing %s in a process of its own failed (%s); listed here", root, error)
        return package_directories(root)
    return [os.fsdecode(name) for name in listed.stdout.split(b"\0") if name]


# -- analysis thread -------------------------------------------------------------------------------
@dataclass
class DirectoryState:
    """The files of one directory: as on disk, and as currently indexed (buffers on top)."""

    disk: dict[str, SourceFile]
    members: dict[str, SourceFile] = field(default_factory=dict)  # what the indexes hold now
    views: dict[str, PackageView] = field(default_factory=dict)  # package clause -> view


Buffers = dict[str, "SourceFile | None"]  # open documents by path; None: too big to analyse


class PackageStore:
    """The directories known to hold Go packages, and the parsed state of recent ones.

    Parsed trees cost about 20 times the source in memory (the Go standard library held
    whole is 1.4 GB), so at most `resident` directories stay parsed, plus those with open
    documents (`pinned`); the least recently used others are dropped and read again from
    disk when next needed.
    """

    def __init__(self, resident: int = 16) -> None:
        self._directories: OrderedDict[str, DirectoryState] = OrderedDict()
        self.resident = resident

    def loaded(self, directory: str) -> bool:
        if directory in self._directories:
            self._directories.move_to_end(directory)
            return True
        return False

    def install(self, directory: str, state: DirectoryState, pinned: set[str]) -> list[str]:
        """Install a directory indexed in an I/O thread, unless it was loaded meanwhile;
        returns the directories dropped to make room."""
        self._directories.setdefault(directory, state)
        self._directories.move_to_end(directory)
        unpinned = [d for d in self._directories if d not in pinned]
        victims = unpinned[: max(0, len(unpinned) - self.resident)]
        for victim in victims:
            del self._directories[victim]
        return victims

    def set_disk_file(self, path: str, file: SourceFile | None) -> bool:
        """A file changed, appeared or vanished on disk; False when its directory is not loaded."""
        state = self._directories.get(os.path.dirname(path))
        if state is None:
            return False
        if file is None:
            state.disk.pop(path, None)
        else:
            state.disk[path] = file
        return True

    def forget(self, directory: str) -> None:
        self._directories.pop(directory, None)

    def files(self) -> list[SourceFile]:
        """Every file held, on disk or as indexed (open buffers included)."""
        return [f for state in self._directories.values() for f in {id(f): f for f in (*state.disk.values(), *state.members.values())}.values()]

    def view_for(self, path: str, buffers: Buffers) -> PackageView | None:
        """The package of `path`, with `buffers` (the directory's open documents) over disk."""
        directory = os.path.dirname(path)
        state = self._directories.get(directory)
        if state is None or not os.path.isabs(path):
            # Not a file on disk (an untitled buffer): a package of the buffer alone.
            own = buffers.get(path)
            return PackageView(PackageIndex([own]), next(_generations)) if own is not None else None
        self._directories.move_to_end(directory)  # recently used: the last to be dropped
        _reconcile(state, buffers)
        member = state.members.get(path)
        return state.views.get(member.package_name) if member is not None else None

    def views_of(self, directory: str, buffers: Buffers) -> dict[str, PackageView]:
        """All packages of a loaded directory, keyed by package clause."""
        state = self._directories.get(directory)
        if state is None:
            return {}
        self._directories.move_to_end(directory)
        _reconcile(state, buffers)
        return dict(state.views)


def _reconcile(state: DirectoryState, buffers: Buffers) -> None:
    """Bring the directory's indexes in line with disk and buffers; fork only what changed."""
    wanted: dict[str, SourceFile] = dict(state.disk)
    for path, file in buffers.items():
        if file is not None:
            wanted[path] = file
        else:  # an oversized buffer hides its disk version too: it is not analysed
            wanted.pop(path, None)
    touched: dict[str, PackageIndex] = {}

    def writable(clause: str) -> PackageIndex:
        if clause not in touched:
            view = state.views.get(clause)
            touched[clause] = view.index.fork() if view is not None else PackageIndex()
        return touched[clause]

    for path, old in list(state.members.items()):
        new = wanted.get(path)
        if new is None or new.package_name != old.package_name:
            writable(old.package_name).remove(path)
            del state.members[path]
    for path, new in wanted.items():
        if state.members.get(path) is not new:
            writable(new.package_name).update(new)
            state.members[path] = new
    for clause, index in touched.items():
        if index.files:
            state.views[clause] = PackageView(index, next(_generations))
        else:
            state.views.pop(clause, None)
