"""Fixes that end their lines as the file does.

Fix builders write `\n`. In a file whose lines end in `\r\n` (Windows checkouts, some
generated code), each edit's new lines get the ending of the line the edit is made in, so
a fixed file never mixes the two.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from analyzers.model import Edit, Fix

_BARE_NEWLINE = re.compile(r"(?<!\r)\n")


def with_line_endings(source: bytes, fix: Fix) -> Fix:
    """`fix`, its new lines ending in `\\r\\n` where the lines it edits do."""
    if not any("\n" in e.new_text for e in fix.edits) or not _has_crlf(source):
        return fix
    return replace(fix, edits=tuple(_edit_with_line_endings(source, e) for e in fix.edits))


@functools.lru_cache(maxsize=4)
def _has_crlf(source: bytes) -> bool:
    """Whether any line ends in `\\r\\n`: asked for every fix of every finding of a file, and
    the answer takes a scan of the whole text (kept for the last few texts)."""
    return b"\r\n" in source


def _edit_with_line_endings(source: bytes, edit: Edit) -> Edit:
    if "\n" not in edit.new_text or not _ends_in_crlf(source, edit.start):
        return edit
    return replace(edit, new_text=_BARE_NEWLINE.sub("\r\n", edit.new_text))


def _ends_in_crlf(source: bytes, offset: int) -> bool:
    """Whether the line holding `offset` ends in `\\r\\n` (the last line, without an ending
    of its own, goes by the line before it)."""
    end = source.find(b"\n", offset)
    if end == -1:
        end = source.rfind(b"\n", 0, offset)
    return end > 0 and source[end - 1 : end] == b"\r"
