"""Exclude globs, matched the way .gitignore and ruff's `exclude` match them.

- `*` and `?` stay inside one path component; `**` crosses them (`**/x`, `a/**`, `a/**/b`).
- A pattern without a `/` matches any single component: `vendor` or `*_gen.go` anywhere.
- A pattern with a `/` is anchored at the directory the pattern belongs to (a config file's
  directory, a workspace root).
- A pattern that matches a directory excludes everything below it.
"""
from __future__ import annotations

import functools
import re


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
        elif c == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


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
