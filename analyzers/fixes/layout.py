"""Text layout as gofmt does it: lines, indentation and tabwriter column alignment.

gofmt (go/printer) aligns the values of consecutive one-line key/value pairs of a
multi-line composite literal, and the columns (names, type, `= values`, comment) of the
specs of a `var (...)` group, by writing cells separated by tabs into a
`text/tabwriter.Writer` (minwidth 0, padding 1, spaces, `DiscardEmptyColumns`). An edit
that adds a pair or a value to such a block must re-align the block's lines, so
`align_rows` replays tabwriter's column-block algorithm on the cells of the block.
"""
from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node


@dataclass(frozen=True)
class Row:
    """One line of an aligned block: tab-terminated cells, then the trailing text."""

    cells: tuple[str, ...]
    trailing: str


def _width(text: str) -> int:
    # tabwriter counts a cell's width in runes (utf8.RuneCount), not in bytes.
    return len(text)


def align_rows(rows: list[Row]) -> list[str]:
    """Render rows as tabwriter does for gofmt, without indentation or line ends.

    The rows must be one tabwriter section: consecutive lines at one indentation with no
    flush (blank line, own-line comment, formfeed) between them.
    """
    widths: list[list[int]] = [[0] * len(row.cells) for row in rows]

    def format_columns(line0: int, line1: int, column: int) -> None:
        # Go's tabwriter.format: a column block is a run of consecutive lines that all
        # have a cell in `column`; its width is the widest cell plus the padding, or 0
        # when every cell is empty (DiscardEmptyColumns). Columns to the right are
        # formatted within the block.
        this = line0
        while this < line1:
            if column >= len(rows[this].cells):
                this += 1
                continue
            start = this
            width = 0
            discardable = True
            while this < line1 and column < len(rows[this].cells):
                cell = rows[this].cells[column]
                width = max(width, _width(cell) + 1)
                if cell:
                    discardable = False
                this += 1
            if discardable:
                width = 0
            for line in range(start, this):
                widths[line][column] = width
            format_columns(start, this, column + 1)

    format_columns(0, len(rows), 0)
    out = []
    for row, row_widths in zip(rows, widths, strict=True):
        parts = []
        for cell, width in zip(row.cells, row_widths, strict=True):
            parts.append(cell + " " * max(width - _width(cell), 0))
        parts.append(row.trailing)
        # go/printer's trimmer drops the padding before a line end.
        out.append("".join(parts).rstrip(" \t"))
    return out


def line_start(source: bytes, offset: int) -> int:
    """The byte offset of the start of the line holding `offset`."""
    return source.rfind(b"\n", 0, offset) + 1


def line_end(source: bytes, offset: int) -> int:
    """The byte offset of the line end (the `\\n`, or the end of file) after `offset`."""
    end = source.find(b"\n", offset)
    return len(source) if end == -1 else end


def indentation(source: bytes, offset: int) -> str:
    """The leading whitespace of the line holding `offset`."""
    start = line_start(source, offset)
    end = start
    while end < len(source) and source[end : end + 1] in (b"\t", b" "):
        end += 1
    return source[start:end].decode("utf-8", errors="replace")


def starts_line(source: bytes, node: Node) -> bool:
    """Whether only whitespace precedes `node` on its line."""
    before = source[line_start(source, node.start_byte) : node.start_byte]
    return before.strip(b" \t") == b""


def ends_line(source: bytes, offset: int) -> bool:
    """Whether only whitespace follows `offset` on its line."""
    return source[offset : line_end(source, offset)].strip(b" \t\r") == b""


def node_text(source: bytes, node: Node) -> str:
    """The text of a node, decoded leniently."""
    return source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def is_single_line(source: bytes, node: Node) -> bool:
    """Whether gofmt would measure `node` as fitting on one line.

    go/printer's nodeSize gives up on any text with a byte below a space (a newline, or a
    tab inside a raw string), and such an element never joins an aligned block.
    """
    raw = source[node.start_byte : node.end_byte]
    return not any(b < 0x20 for b in raw)
