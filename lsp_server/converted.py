"""Findings converted to LSP diagnostics, kept by everything the conversion reads.

A keystroke re-checks the package, and most findings come back the same, perhaps moved to
other offsets by the edit. Building an LSP diagnostic (ranges, code description, related
locations) costs more than finding where it lands, so the positions are computed afresh
each time and the diagnostic itself is reused when rule, message, severity, positions and
related locations are those of one converted before. Used by the analysis thread only.
"""
from __future__ import annotations

from collections.abc import Callable

from cachetools import LRUCache
from lsprotocol import types

from analyzers.model import Diagnostic
from analyzers.text import Encoding, LineIndex
from lsp_server import convert

MAX_CONVERTED = 5_000  # diagnostics kept, up to a kilobyte each

Place = tuple[int, int, int, int]  # start line, start column, end line, end column


def _place(lines: LineIndex, start: int, end: int, encoding: Encoding) -> Place:
    return (*lines.position(start, encoding), *lines.position(end, encoding))


class ConvertedDiagnostics:
    """An LRU cache of LSP diagnostics by what they were converted from."""

    def __init__(self, maxsize: int = MAX_CONVERTED) -> None:
        self._cache: LRUCache = LRUCache(maxsize=maxsize)
        self.hits = 0
        self.misses = 0

    def convert(
        self,
        diagnostics: tuple[Diagnostic, ...],
        lines: LineIndex,
        encoding: Encoding,
        lines_of: Callable[[str], LineIndex | None],
    ) -> tuple[types.Diagnostic, ...]:
        """`convert.to_lsp_diagnostic` of each finding (`lines_of` gives other files' lines)."""
        return tuple(self._one(d, lines, encoding, lines_of) for d in diagnostics)

    def _one(
        self, diagnostic: Diagnostic, lines: LineIndex, encoding: Encoding, lines_of: Callable[[str], LineIndex | None]
    ) -> types.Diagnostic:
        related = []
        for item in diagnostic.related:
            other = lines if item.path == diagnostic.path else lines_of(item.path)
            place = _place(other, item.span.start, item.span.end, encoding) if other is not None else None
            related.append((item.path, place, item.message))
        key = (
            diagnostic.rule,
            diagnostic.message,
            diagnostic.severity,
            diagnostic.path,
            _place(lines, diagnostic.span.start, diagnostic.span.end, encoding),
            tuple(related),
            encoding,
        )
        found = self._cache.get(key)
        if found is None:
            self.misses += 1
            found = self._cache[key] = convert.to_lsp_diagnostic(diagnostic, lines, encoding, lines_of)
        else:
            self.hits += 1
        return found

    def clear(self) -> None:
        self._cache.clear()
