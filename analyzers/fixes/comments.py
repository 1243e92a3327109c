"""Keeping trailing comments aligned, as gofmt does, when a fix changes a line's length.

gofmt aligns the `//` comments that end consecutive one-line statements at one indentation
(go/printer writes the code and the comment as tabwriter cells). A fix that lengthens
`var m map[K]V` into `m := make(map[K]V)`, or inserts a guard between two such lines,
leaves the block misaligned, and `gofmt -l` would list the file. `realigned` widens a fix
with the whitespace changes that put the block back as gofmt would write it.

Only plain blocks are touched: lines at the same indentation, each ending in a `//` comment,
none opening or closing a bracket. When a block borders a line it cannot judge (an `if x {
// c` line, say), the fix is left as it was rather than guessed at.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Callable

from analyzers.fixes.layout import Row, align_rows, line_end, line_start
from analyzers.fixes.line_endings import with_line_endings
from analyzers.model import Edit, Fix

# A line: indentation, code, and a trailing line comment; the code may hold strings and runes
# (a `//` inside one is not a comment).
_CODE = r"""(?:[^"'`/\n]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`|/(?![/*]))*?"""
_COMMENTED = re.compile(rf"^(?P<indent>\t*)(?P<code>\S{_CODE})[ \t]+(?P<comment>//.*)$")


def _commented(line: str) -> re.Match[str] | None:
    return _COMMENTED.match(line)


def _plain(match: re.Match[str]) -> bool:
    """A one-line statement: it neither opens nor closes a bracket that spans lines."""
    code = match.group("code").rstrip()
    return not code.endswith(("{", "(", "[", ",")) and not code.startswith(("}", ")", "]", "case ", "default:"))


def realigned_in_files(fix: Fix, home: str, source_of: Callable[[str], bytes | None]) -> Fix:
    """`realigned` for a fix that may edit several files: each file's edits against its own
    text, their new lines ending as that file's lines do."""
    if fix.is_local():
        source = source_of(home)
        return with_line_endings(source, realigned(source, fix)) if source is not None else fix
    edits: list[Edit] = []
    for path, part in fix.edits_by_file(home).items():
        source = source_of(path)
        widened = with_line_endings(source, realigned(source, replace(fix, edits=part))) if source is not None else replace(fix, edits=part)
        edits.extend(replace(e, path=None if path == home else path) for e in widened.edits)
    return replace(fix, edits=tuple(edits))


def realigned(source: bytes, fix: Fix) -> Fix:
    """`fix`, widened to keep the trailing comments around it aligned as gofmt would."""
    if not _near_a_comment(source, fix):
        return fix  # the common case, and the server asks on every edit: no decoding
    fixed, changed = _apply(source, fix)
    lines = fixed.decode("utf-8", errors="surrogateescape").split("\n")
    offsets = _line_offsets(lines)
    touched: set[int] = set()
    for start, end in changed:
        first, last = _line_of(offsets, start), _line_of(offsets, end)
        touched.update(range(max(first - 1, 0), min(last + 2, len(lines))))
    blocks = _blocks(lines, sorted(touched))
    if not blocks:
        return fix
    aligned = list(lines)
    for first, last in blocks:
        matches = [_commented(lines[i]) for i in range(first, last + 1)]
        rows = [Row((m.group("code").rstrip(),), m.group("comment")) for m in matches]
        for i, rendered in zip(range(first, last + 1), align_rows(rows)):
            aligned[i] = matches[i - first].group("indent") + rendered
    if aligned == lines:
        return fix
    # Nothing differs before the first change or after the last: start the comparison there.
    first_line = min([first for first, _ in blocks] + [_line_of(offsets, start) for start, _ in changed])
    last_line = max([last for _, last in blocks] + [_line_of(offsets, end) for _, end in changed])
    same_before = offsets[first_line]
    same_after = len(fixed) - (offsets[last_line + 1] if last_line + 1 < len(offsets) else len(fixed))
    new_fixed = "\n".join(aligned).encode("utf-8", errors="surrogateescape")
    try:
        edit = _one_edit(source, new_fixed, same_before, same_after)
    except UnicodeDecodeError:
        return fix  # bytes that are not UTF-8 near the fix: leave the layout as it is
    return replace(fix, edits=(edit,))


def _near_a_comment(source: bytes, fix: Fix) -> bool:
    """Whether a `//` is on an edited line or a line next to one (only those start a block)."""
    for edit in fix.edits:
        if "//" in edit.new_text:
            return True
        start, end = line_start(source, edit.start), line_end(source, edit.end)
        before = line_start(source, start - 1) if start > 0 else 0
        after = line_end(source, end + 1) if end < len(source) else end
        if b"//" in source[before:after]:
            return True
    return False


def _apply(source: bytes, fix: Fix) -> tuple[bytes, list[tuple[int, int]]]:
    """The fixed bytes, and where each edit's text landed in them."""
    out = bytearray()
    position = 0
    changed = []
    for edit in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        out += source[position : edit.start]
        start = len(out)
        out += edit.new_text.encode("utf-8")
        changed.append((start, len(out)))
        position = edit.end
    out += source[position:]
    return bytes(out), changed


def _line_offsets(lines: list[str]) -> list[int]:
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line.encode("utf-8", errors="surrogateescape")) + 1)
    return offsets


def _line_of(offsets: list[int], offset: int) -> int:
    return bisect.bisect_right(offsets, offset) - 1


def _blocks(lines: list[str], touched: list[int]) -> list[tuple[int, int]] | None:
    """The comment blocks holding the touched lines; None when one borders a line we cannot judge."""
    blocks: list[tuple[int, int]] = []
    for i in touched:
        if any(first <= i <= last for first, last in blocks):
            continue
        match = _commented(lines[i])
        if match is None:
            continue
        if not _plain(match):
            return None
        first = _extend(lines, i, -1, match.group("indent"))
        last = _extend(lines, i, 1, match.group("indent"))
        if first is None or last is None:
            return None
        blocks.append((first, last))
    return blocks


def _extend(lines: list[str], i: int, step: int, indent: str) -> int | None:
    """The last line of the block from `i` in direction `step`; None at a line we cannot judge."""
    while 0 <= i + step < len(lines):
        neighbour = _commented(lines[i + step])
        if neighbour is None or neighbour.group("indent") != indent:
            break
        if not _plain(neighbour):
            return None
        i += step
    return i


def _one_edit(source: bytes, fixed: bytes, same_before: int = 0, same_after: int = 0) -> Edit:
    """The single edit turning `source` into `fixed`: what lies between their common ends
    (known to share at least `same_before` leading and `same_after` trailing bytes)."""
    prefix = same_before
    limit = min(len(source), len(fixed))
    while prefix < limit and source[prefix] == fixed[prefix]:
        prefix += 1
    suffix = min(same_after, limit - prefix)
    while suffix < limit - prefix and source[len(source) - 1 - suffix] == fixed[len(fixed) - 1 - suffix]:
        suffix += 1
    # Whole characters only: back off to the start of a UTF-8 sequence on both ends.
    while prefix > 0 and source[prefix] & 0xC0 == 0x80:
        prefix -= 1
    while suffix > 0 and source[len(source) - suffix] & 0xC0 == 0x80:
        suffix -= 1
    return Edit(prefix, len(source) - suffix, fixed[prefix : len(fixed) - suffix].decode("utf-8"))
