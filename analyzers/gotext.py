"""Byte patterns for Go names in source text.

Go identifiers may hold any Unicode letter; in UTF-8 those are bytes >= 0x80, which `\\w`
and `\\b` of a bytes pattern do not know. Text tests of names use these instead.
"""
from __future__ import annotations

import re

ID = rb"[\w\x80-\xff]"  # one byte of an identifier
NOT_ID_BEFORE = rb"(?<![\w\x80-\xff])"
NOT_ID_AFTER = rb"(?![\w\x80-\xff])"


def name(identifier: str) -> bytes:
    """A pattern matching `identifier` as a whole name."""
    return NOT_ID_BEFORE + re.escape(identifier.encode()) + NOT_ID_AFTER
