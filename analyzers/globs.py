"""Exclude globs, matched the way .gitignore and ruff's `exclude` match them.

- `*` and `?` stay inside one path component; `**` crosses them (`**/x`, `a/**`, `a/**/b`).
- A pattern without a `/` matches any single component: `vendor` or `*_gen.go` anywhere.
- A pattern with a `/` is anchored at the directory the pattern belongs to (a config file's
  directory, a workspace root).
- A pattern that matches a directory excludes everything below it.
- `[abc]`, `[a-z]` and `[!a-z]` match one character of a set, never `/`.

A pattern that cannot be read (`[z-a]`, an unclosed `[`) raises `GlobError` when it is
compiled; settings are checked with `problem` when they are read, so a bad pattern is
reported where it was written instead of failing every later match.
"""
from __future__ import annotations

import functools
import re


class GlobError(ValueError):
    """A pattern that is not a valid glob; `str()` says why."""


def problem(pattern: str) -> str | None:
    """Why `pattern` is not a valid glob, or None when it is one."""
    try:
        _compile(pattern)
    except GlobError as error:
        return str(error)
    return None


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            regex, i = _character_class(pattern, i)
            out.append(regex)
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _character_class(pattern: str, start: int) -> tuple[str, int]:
    """The regex of the `[...]` set at `start`, and the index after it (fnmatch's rules: a
    leading `!` negates, a `]` first in the set is a member, `a-z` is a range)."""
    i = start + 1
    negated = i < len(pattern) and pattern[i] == "!"
    if negated:
        i += 1
    members: list[str] = []
    first = True
    while True:
        if i >= len(pattern):
            raise GlobError(f"`[` at column {start + 1} is never closed")
        c = pattern[i]
        if c == "]" and not first:
            break
        first = False
        if i + 2 < len(pattern) and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            low, high = c, pattern[i + 2]
            if low > high:
                raise GlobError(f"`{low}-{high}` is not a range: `{low}` comes after `{high}`")
            members.append(f"{re.escape(low)}-{re.escape(high)}")
            i += 3
        else:
            members.append(re.escape(c))
            i += 1
    body = "".join(members)
    return (f"[^/{body}]" if negated else f"(?!/)[{body}]"), i + 1


def _prefixes(relative: str) -> list[str]:
    """`a/b/c.go` -> `a`, `a/b`, `a/b/c.go`: the path and every directory above it."""
    parts = relative.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def matches(relative: str, pattern: str) -> bool:
    """Whether the `/`-separated `relative` path, or a directory above it, matches `pattern`."""
    relative = "/".join(part for part in relative.split("/") if part not in ("", "."))
    if not relative or relative == ".." or relative.startswith("../") or not pattern.strip():
        return False
    regex = _compile(pattern)
    if "/" not in pattern.strip().strip("/"):
        return any(regex.match(part) for part in relative.split("/"))
    return any(regex.match(prefix) for prefix in _prefixes(relative))


def matches_any(relative: str, patterns: tuple[str, ...] | list[str]) -> bool:
    return any(matches(relative, p) for p in patterns)
