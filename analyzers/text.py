"""Source bytes and the one place that turns byte offsets into lines and columns.

Everything in `analyzers` works in byte offsets. `LineIndex` converts them to
(line, column) in the encoding a consumer wants: UTF-8 bytes, UTF-16 code units (the LSP
default and SARIF's), or UTF-32 code points (the CLI's 1-based columns count characters
as go vet does not, so the CLI uses UTF-8 bytes like go vet). Out-of-range input is
clamped, never raised on: an editor may send a position past the end while the user types.
"""
from __future__ import annotations

import bisect
import re
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]


def decode(source: bytes) -> str:
    """Decode Go source leniently: invalid bytes become U+FFFD instead of failing."""
    return source.decode("utf-8", errors="replace")


def _units(text: str, encoding: Encoding) -> int:
    """Code units of `text` (decoded with surrogateescape: one unit per invalid byte)."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogateescape"))
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text)


def _byte_length(ch: str) -> int:
    if 0xDC80 <= ord(ch) <= 0xDCFF:
        return 1  # an invalid byte, escaped by the decoder
    return len(ch.encode("utf-8", errors="surrogatepass"))


_ANY_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_LINE_FEED = re.compile(rb"\n")


class LineIndex:
    """Maps byte offsets of one source to (line, column) and back, 0-based.

    Lines end at `\n` (and `\r\n`), as Go counts them; with `lone_cr_breaks`, a `\r`
    alone ends a line too, as the LSP specification says editors count them.
    """

    def __init__(
        self,
        source: bytes,
        *,
        lone_cr_breaks: bool = False,
        _starts: list[int] | None = None,
        _breaks: re.Pattern[bytes] | None = None,
        _ascii: bool | None = None,
    ) -> None:
        self.source = source
        self._breaks = _breaks or (_ANY_LINE_BREAK if lone_cr_breaks else _LINE_FEED)
        self.line_starts = _starts if _starts is not None else [0, *(m.end() for m in self._breaks.finditer(source))]
        self._ascii = source.isascii() if _ascii is None else _ascii

    def edited(self, start: int, end: int, new_source: bytes) -> LineIndex:
        """The index of `new_source`: this source with bytes [start, end) replaced.

        Only the lines around the edit are searched again, and the line starts after them
        moved, so a keystroke costs little even in a long file.
        """
        starts = self.line_starts
        delta = len(new_source) - len(self.source)
        # From the line before the edit to the second line after it: the line breaks at
        # either end of that stretch are untouched (a lone CR just before the edit could
        # pair with a line feed it brings, hence the line before).
        first = max(bisect.bisect_right(starts, start) - 2, 0)
        last = bisect.bisect_right(starts, end) + 1
        search = self._breaks.finditer
        if last < len(starts):
            region_end = starts[last] + delta
            middle = [m.end() for m in search(new_source, starts[first], region_end) if m.end() < region_end]
            after = starts[last:] if delta == 0 else list(map(delta.__add__, starts[last:]))
        else:
            middle = [m.end() for m in search(new_source, starts[first])]
            after = []
        inserted = new_source[start : end + delta]
        return LineIndex(new_source, _starts=[*starts[: first + 1], *middle, *after], _breaks=self._breaks, _ascii=self._ascii and inserted.isascii())

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_end(self, line: int) -> int:
        """The offset of the end of `line`'s content, before its \\r\\n, \\n or lone \\r."""
        if line + 1 < len(self.line_starts):
            end = self.line_starts[line + 1] - 1  # at the \n, or at a lone \r that ends the line
            if self.source[end : end + 1] == b"\n" and end > self.line_starts[line] and self.source[end - 1 : end] == b"\r":
                end -= 1
            return end
        return len(self.source)

    def line_of(self, offset: int) -> int:
        offset = min(max(offset, 0), len(self.source))
        return bisect.bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int, encoding: Encoding = "utf-16") -> tuple[int, int]:
        """The 0-based (line, column) of a byte offset, the column in `encoding` units."""
        offset = min(max(offset, 0), len(self.source))
        line = self.line_of(offset)
        start = self.line_starts[line]
        if self._ascii or encoding == "utf-8":
            return line, offset - start
        return line, _units(self.source[start:offset].decode("utf-8", errors="surrogateescape"), encoding)

    def offset(self, line: int, column: int, encoding: Encoding = "utf-16") -> int:
        """The byte offset of a 0-based (line, column); both are clamped into the source."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.source)
        start = self.line_starts[line]
        end = self.line_end(line)
        column = max(column, 0)
        if self._ascii:
            return min(start + column, end)
        if encoding == "utf-8":
            offset = min(start + column, end)
            while offset < end and self.source[offset] & 0xC0 == 0x80:
                offset += 1  # never inside a character (splitting it would make invalid UTF-8)
            return offset
        text = self.source[start:end].decode("utf-8", errors="surrogateescape")
        units = 0
        consumed = 0
        for ch in text:
            if units >= column:
                break
            units += 2 if encoding == "utf-16" and ord(ch) > 0xFFFF else 1
            consumed += _byte_length(ch)
        return min(start + consumed, end)
