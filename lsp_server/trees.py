"""The syntax trees of the open documents, made and kept in the analysis thread.

Each document's last tree is kept with the revision it was made for. A snapshot of a later
revision is parsed incrementally from it, with the edits the event loop logged since
(`Tree.edit`, then a parse that reuses what did not change); when the tree is missing or
older than the log, the text is parsed afresh. A tree with syntax errors is re-made from
scratch when the file is small enough: error recovery after an incremental parse depends on
the subtrees it reused, so the findings could differ from `nilmap check`'s.

Parsing runs once per analysis, never per keystroke: a burst of edits costs one parse.
"""
from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Tree

from analyzers.parsing import parse
from analyzers.source import SourceFile
from lsp_server.documents import DocumentSnapshot

# Up to this size a tree with syntax errors is re-parsed from scratch (about 7 MB/s).
MAX_FRESH_REPARSE_BYTES = 256 * 1024


@dataclass(frozen=True)
class _Parsed:
    revision: int
    file: SourceFile


class Trees:
    """The last parse of each open document (analysis thread only)."""

    def __init__(self) -> None:
        self._parsed: dict[str, _Parsed] = {}

    def file_for(self, snapshot: DocumentSnapshot) -> SourceFile | None:
        """The parsed file of a snapshot, or None when it is too big to analyse."""
        if snapshot.oversized:
            self._parsed.pop(snapshot.uri, None)
            return None
        last = self._parsed.get(snapshot.uri)
        if last is not None and last.revision == snapshot.revision and last.file.path == snapshot.path:
            return last.file
        tree = self._reparsed(last, snapshot) if last is not None else None
        if tree is None or (tree.root_node.has_error and len(snapshot.source) <= MAX_FRESH_REPARSE_BYTES):
            tree = parse(snapshot.source)
        file = SourceFile(snapshot.path, snapshot.source, tree)
        if last is not None:
            file.inherit_recovery(last.file)  # while a syntax error is open, most of it is unchanged
        self._parsed[snapshot.uri] = _Parsed(snapshot.revision, file)
        return file

    @staticmethod
    def _reparsed(last: _Parsed, snapshot: DocumentSnapshot) -> Tree | None:
        """An incremental parse from `last`, or None when the logged edits do not reach it."""
        if not snapshot.log_start <= last.revision < snapshot.revision:
            return None
        tree = last.file.tree.copy()  # the old tree stays as it is: a finished run may hold it
        for edit in snapshot.edits:
            if edit.revision > last.revision:
                tree.edit(
                    start_byte=edit.start_byte,
                    old_end_byte=edit.old_end_byte,
                    new_end_byte=edit.new_end_byte,
                    start_point=edit.start_point,
                    old_end_point=edit.old_end_point,
                    new_end_point=edit.new_end_point,
                )
        return parse(snapshot.source, tree)

    def forget(self, uri: str) -> None:
        self._parsed.pop(uri, None)

    def files(self) -> list[SourceFile]:
        return [parsed.file for parsed in self._parsed.values()]
