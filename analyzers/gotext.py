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


def field_set_pattern(field: str, literals: bool, addresses: bool) -> re.Pattern[bytes]:
    """Text that sets struct field `field`: `x.f = ...` (also `x.f, y = ...`), and with
    `literals` a `f: value` key of a composite literal, with `addresses` an `&x.f`."""
    field_name = name(field)
    pattern = rb"\." + field_name + rb"\s*(?:,[^=\n]*)?=[^=]"
    if addresses:
        pattern += rb"|&[\w\x80-\xff.]+\." + field_name
    if literals:
        pattern += rb"|[{,\s]" + field_name + rb"\s*:\s*[^\s/]"
    return re.compile(pattern)
