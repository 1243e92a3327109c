"""The open documents: their bytes, version, syntax tree and line index.

Runs on the event loop only. Every `didChange` content change is turned into a byte edit
(positions converted by `convert.py`, which uses `analyzers.text.LineIndex`) and applied
with `analyzers.parsing.apply_edit`, so tree-sitter re-parses incrementally. Analysis never
sees a `Document`: it gets a `DocumentSnapshot`, whose bytes and tree (a private copy,
because `Tree.edit` mutates a tree in place) never change afterwards.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Iterator

from lsprotocol import types
from tree_sitter import Tree

from analyzers.parsing import apply_edit, parse
from analyzers.source import SourceFile
from analyzers.text import Encoding, LineIndex
from lsp_server import convert

log = logging.getLogger("nilmap.lsp")

# Beyond this size a document is tracked as text only: parsing 10 MB on the event loop
# would stall every other request for over a second, and no hand-written Go file is this big.
MAX_ANALYSED_BYTES = 2 * 1024 * 1024
# Up to this size a tree with syntax errors is re-parsed from scratch (about 7 MB/s).
MAX_FRESH_REPARSE_BYTES = 256 * 1024

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
class DocumentSnapshot:
    """One version of a document, frozen for an analysis run in another thread."""

    uri: str
    path: str
    version: int
    revision: int
    source: bytes
    file: SourceFile | None  # None when the document is too big to analyse

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
    tree: Tree | None = None
    # Bumped on every change, even when a client repeats a version number, so that a
    # result computed for older text is never taken for the current one.
    revision: int = 0
    _lines: LineIndex | None = field(default=None, repr=False)
    _snapshot: DocumentSnapshot | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._reparse()

    @property
    def oversized(self) -> bool:
        return len(self.source) > MAX_ANALYSED_BYTES

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = convert.line_index(self.source)
        return self._lines

    def _reparse(self) -> None:
        if self.oversized:
            if self.tree is not None or self.revision == 0:
                log.warning(
                    "%s is %d bytes, over the %d-byte limit: not analysed", self.uri, len(self.source), MAX_ANALYSED_BYTES
                )
            self.tree = None
        else:
            self.tree = parse(self.source)

    def apply_changes(
        self, changes: Iterable[types.TextDocumentContentChangeEvent], version: int, encoding: Encoding
    ) -> None:
        """Apply `didChange` content changes in order, each to the text the previous one left."""
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                self._apply_partial(change, encoding)
            else:
                self.source = encode_text(change.text)
                self._lines = None
                self._reparse()
        if version < self.version:
            log.warning("%s: version went back from %d to %d; keeping %d", self.uri, self.version, version, self.version)
        else:
            self.version = version
        self.revision += 1
        self._snapshot = None

    def _apply_partial(self, change: types.TextDocumentContentChangePartial, encoding: Encoding) -> None:
        lines = self.lines
        start, end, clamped = convert.range_to_offsets(lines, change.range, encoding)
        if clamped:
            log.warning("%s: edit range %s is outside the document; clamped", self.uri, convert.format_range(change.range))
        new_text = encode_text(change.text)
        was_oversized = self.oversized
        if self.tree is not None and len(self.source) - (end - start) + len(new_text) <= MAX_ANALYSED_BYTES:
            reparsed = apply_edit(self.source, self.tree, start, end, new_text)
            self.source, self.tree = reparsed.source, reparsed.tree
            if self.tree.root_node.has_error and len(self.source) <= MAX_FRESH_REPARSE_BYTES:
                # Error recovery after an incremental parse depends on the reused subtrees,
                # so a half-typed file could get other findings here than from `nilmap
                # check`. A fresh parse makes them agree (a few ms at this size).
                self.tree = parse(self.source)
        else:
            self.source = self.source[:start] + new_text + self.source[end:]
            if was_oversized != self.oversized or self.tree is not None:
                self._reparse()
        self._lines = None

    def snapshot(self) -> DocumentSnapshot:
        """The current version, frozen (cached until the next change)."""
        if self._snapshot is None:
            file = SourceFile(self.path, self.source, self.tree.copy()) if self.tree is not None else None
            self._snapshot = DocumentSnapshot(self.uri, self.path, self.version, self.revision, self.source, file)
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
