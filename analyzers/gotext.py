"""Byte patterns for Go names in source text.

Go identifiers may hold any Unicode letter; in UTF-8 those are bytes >= 0x80, which `\\w`
and `\\b` of a bytes pattern do not know. Text tests of names use these instead.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

ID = rb"[\w\x80-\xff]"  # one byte of an identifier
NOT_ID_BEFORE = rb"(?<![\w\x80-\xff])"
NOT_ID_AFTER = rb"(?![\w\x80-\xff])"


@functools.lru_cache(maxsize=4096)
def name(identifier: str) -> bytes:
    """A pattern matching `identifier` as a whole name (kept per name: the prefilter asks for
    the same few names for every function of a package)."""
    return after_no(ID, re.escape(identifier.encode())) + NOT_ID_AFTER


def after_no(before: bytes, literal: bytes) -> bytes:
    """A pattern matching the escaped `literal` where the byte before it is none of the class
    `before`: `(?<!before)literal`, spelt with the test after the literal. A pattern that
    starts with a test of the text before it has no first bytes the search can skip to, and
    is tried at every byte; one that starts with a literal is searched for as a word.
    `literal` must match a text of one length (the test looks back over it)."""
    return literal + rb"(?<!" + before + literal + rb")"


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


# Bytes an identifier list may hold between a match's start and the name it is about:
# identifier bytes, whitespace (what `\s` of a bytes pattern matches) and commas.
_LIST_BYTES = frozenset(b"_, \t\n\r\f\v" + bytes(range(ord("0"), ord("9") + 1)) + bytes(range(ord("a"), ord("z") + 1))
                        + bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(0x80, 0x100)))
_NAME = re.compile(ID + rb"+")


@functools.lru_cache(maxsize=16)
def name_positions(source: bytes) -> dict[bytes, list[int]]:
    """Where each whole name occurs in `source` (a function's text is asked about many names;
    the last few texts are kept)."""
    positions: dict[bytes, list[int]] = {}
    for match in _NAME.finditer(source):
        positions.setdefault(match.group(), []).append(match.start())
    return positions


def matches_before_name(
    pattern: re.Pattern[bytes], source: bytes, identifier: str, followed_by: re.Pattern[bytes] | None = None
) -> Iterator[re.Match[bytes]]:
    """The matches `pattern.finditer(source)` gives (none of them empty), found near the name.

    For a pattern each of whose matches holds `identifier` as a whole name, with nothing
    between the match's start and it but one leading byte and an identifier list (identifier
    bytes, whitespace, commas): `finditer` tries a match at every byte, so a function asked
    about each name it writes costs the square of its length; here only the starts that can
    reach an occurrence of the name are tried, each at most once. `followed_by`, when every
    match holds the name followed by what it matches: occurrences not followed so are not
    tried (a name written 500 times, `m[k] = v`, is assigned once).
    """
    pos = 0  # where the next match may start
    tried = 0  # starts below this were tried and matched nothing
    encoded = identifier.encode()
    for found in name_positions(source).get(encoded, ()):
        if found < pos:
            continue  # inside the last match
        if followed_by is not None and followed_by.match(source, found + len(encoded)) is None:
            continue
        start = found
        while start > pos and source[start - 1] in _LIST_BYTES:
            start -= 1
        match = None
        for candidate in range(max(pos, start - 1, tried), found + 1):
            match = pattern.match(source, candidate)
            if match is not None:
                break
        if match is None:
            tried = pos = found + 1
            continue
        yield match
        tried = pos = max(match.end(), match.start() + 1)


_OPENERS = frozenset(b"([{")
_CLOSERS = frozenset(b")]}")
_QUOTES = frozenset(b"\"'`")


def split_top_level(expressions: bytes) -> list[bytes]:
    """The expressions of a comma-separated list on one line (`x, map[K]V(nil), f(a, b)`),
    split at the commas outside brackets and string or rune literals, each stripped."""
    parts: list[bytes] = []
    depth = 0
    quote = 0
    start = 0
    index = 0
    while index < len(expressions):
        byte = expressions[index]
        if quote:
            if byte == ord("\\") and quote != ord("`"):
                index += 1  # the escaped byte, a quote too, is the literal's
            elif byte == quote:
                quote = 0
        elif byte in _QUOTES:
            quote = byte
        elif byte in _OPENERS:
            depth += 1
        elif byte in _CLOSERS:
            depth -= 1
        elif byte == ord(",") and depth == 0:
            parts.append(expressions[start:index].strip())
            start = index + 1
        index += 1
    parts.append(expressions[start:].strip())
    return parts


# A Go string, raw string or rune literal, or a comment: comments are found by scanning
# literals too, so that a `//` inside a string is not taken for one.
_LITERAL_OR_COMMENT = re.compile(rb'"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*[\s\S]*?\*/')


def without_comments(text: bytes) -> bytes:
    """Go source with each comment replaced by one blank, or one line break when it spans lines
    (which is what the language makes of a comment: it may end a statement): what the code
    means, whatever the comments say. The text itself when it holds no comment."""
    if b"/" not in text:
        return text
    parts: list[bytes] = []
    at = 0
    for match in _LITERAL_OR_COMMENT.finditer(text):
        start = match.start()
        if text[start] == 0x2F:  # '/': a comment (a literal starts with a quote)
            parts.append(text[at:start])
            parts.append(b"\n" if b"\n" in match[0] else b" ")
            at = match.end()
    if not parts:
        return text
    parts.append(text[at:])
    return b"".join(parts)
