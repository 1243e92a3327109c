"""Byte spans to the 1-based line and column numbers that reports print."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analyzers.model import Span
from analyzers.text import Encoding, LineIndex

LineIndexOf = Callable[[str], LineIndex]


@dataclass(frozen=True)
class Notice:
    """Something that went wrong in the run itself: a file not read, a rule that failed."""

    path: str
    message: str


def one_based(lines: LineIndex, span: Span, encoding: Encoding = "utf-8") -> tuple[int, int, int, int]:
    """(start line, start column, end line, end column), all 1-based."""
    start_line, start_col = lines.position(span.start, encoding)
    end_line, end_col = lines.position(span.end, encoding)
    return start_line + 1, start_col + 1, end_line + 1, end_col + 1
