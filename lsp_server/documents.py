"""The open documents: their bytes, version, and the edits made to them.

Runs on the event loop only, and only splices text: every `didChange` content change is
turned into a byte edit (positions converted by `convert.py`, which uses
`analyzers.text.LineIndex`) and applied to the document's bytes. Nothing here parses, so a
keystroke costs the loop the same whatever the file holds. Each edit is also logged with
tree-sitter's points, so that the analysis thread can re-parse incrementally from the last
tree it made (`trees.py`). Analysis never sees a `Document`: it gets a `DocumentSnapshot`,
which never changes afterwards.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from lsprotocol import types

from analyzers.parsing import point_at
from analyzers.text import Encoding, LineIndex
from lsp_server import convert

log = logging.getLogger("nilmap.lsp")

# Beyond this size a document is tracked as text only: no hand-written Go file is this big,
# and parsing and analysing 10 MB would hold the analysis up for seconds.
MAX_ANALYSED_BYTES = 2 * 1024 * 1024
# Edits kept for an incremental re-parse; a tree older than the oldest is re-made afresh.
EDIT_LOG = 512

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encode_text(text: str) -> bytes:
    """The UTF-8 bytes of text from the client.

    JSON may carry lone surrogates (`"\\udc80"`), which have no UTF-8 form; each becomes
    U+FFFD, which is one UTF-16 unit like the surrogate it replaces, so the client's
    positions still line up with ours.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


@dataclass(frozen=True)
class TreeEdit:
    """One edit as tree-sitter's `Tree.edit` takes it, and the revision it leads to."""

    revision: int
    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]


@dataclass(frozen=True)
class DocumentSnapshot:
    """One version of a document, frozen for the analysis thread."""

    uri: str
    path: str
    version: int
    revision: int
    source: bytes
    oversized: bool = False  # too big to analyse: tracked as text only
    # The edits from revision `log_start` to this one, for an incremental re-parse.
    log_start: int = 0
    edits: tuple[TreeEdit, ...] = ()

    @cached_property  # writes the instance dict directly, so it works on a frozen dataclass
    def lines(self) -> LineIndex:
        return convert.line_index(self.source)


@dataclass(eq=False)
class Document:
    """An open document as the client last described it."""

    uri: str
    path: str
    language_id: str
    version: int
    source: bytes
    # Bumped on every change, even when a client repeats a version number, so that a
    # result computed for older text is never taken for the current one.
    revision: int = 0
    _lines: LineIndex | None = field(default=None, repr=False)
    _snapshot: DocumentSnapshot | None = field(default=None, repr=False)
    _log: list[TreeEdit] = field(default_factory=list, repr=False)
    _log_start: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if self.oversized:
            self._warn_oversized()

    @property
    def oversized(self) -> bool:
        return len(self.source) > MAX_ANALYSED_BYTES

    def _warn_oversized(self) -> None:
        log.warning("%s is %d bytes, over the %d-byte limit: not analysed", self.uri, len(self.source), MAX_ANALYSED_BYTES)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = convert.line_index(self.source)
        return self._lines

    def apply_changes(
        self, changes: Iterable[types.TextDocumentContentChangeEvent], version: int, encoding: Encoding
    ) -> None:
        """Apply `didChange` content changes in order, each to the text the previous one left."""
        was_oversized = self.oversized
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                self._apply_partial(change, encoding)
            else:
                self.source = encode_text(change.text)
                self._lines = None
                self._log, self._log_start = [], self.revision + 1  # nothing to re-parse from
        if version < self.version:
            log.warning("%s: version went back from %d to %d; keeping %d", self.uri, self.version, version, self.version)
        else:
            self.version = version
        self.revision += 1
        self._snapshot = None
        if self.oversized and not was_oversized:
            self._warn_oversized()

    def _apply_partial(self, change: types.TextDocumentContentChangePartial, encoding: Encoding) -> None:
        old, lines = self.source, self.lines
        start, end, clamped = convert.range_to_offsets(lines, change.range, encoding)
        if clamped:
            log.warning("%s: edit range %s is outside the document; clamped", self.uri, convert.format_range(change.range))
        new_text = encode_text(change.text)
        self.source = new = old[:start] + new_text + old[end:]
        self._lines = lines.edited(start, end, new)  # the lines around the edit, not the file
        new_end = start + len(new_text)
        self._log.append(
            TreeEdit(self.revision + 1, start, end, new_end, point_at(old, start), point_at(old, end), point_at(new, new_end))
        )
        if len(self._log) > EDIT_LOG:
            dropped = self._log[: EDIT_LOG // 2]
            self._log = self._log[EDIT_LOG // 2 :]
            self._log_start = dropped[-1].revision  # trees older than this are parsed afresh

    def snapshot(self) -> DocumentSnapshot:
        """The current version, frozen (cached until the next change)."""
        if self._snapshot is None:
            self._snapshot = DocumentSnapshot(
                self.uri, self.path, self.version, self.revision, self.source, self.oversized, self._log_start, tuple(self._log)
            )
            if self._lines is not None:  # share the index built for the last edit
                self._snapshot.__dict__["lines"] = self._lines
        return self._snapshot


class DocumentStore:
    """The open documents by URI."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}

    def open(self, item: types.TextDocumentItem) -> Document:
        document = Document(item.uri, convert.uri_to_path(item.uri), item.language_id, item.version, encode_text(item.text))
        self._documents[item.uri] = document
        return document

    def close(self, uri: str) -> Document | None:
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self._documents.get(uri)

    def __contains__(self, uri: str) -> bool:
        return uri in self._documents

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._documents.values()))

    def by_path(self, path: str) -> Document | None:
        for document in self._documents.values():
            if document.path == path:
                return document
        return None

    def in_directory(self, directory: str) -> list[Document]:
        return [d for d in self._documents.values() if os.path.dirname(d.path) == directory]
