"""Results of `nilmap check` kept on disk between runs, per directory and content.

A re-run over an unchanged tree (a CI job, a pre-commit hook) reads each directory's
result instead of parsing and analysing it again. The key covers everything a result
depends on: the bytes of every file of the directory, the files asked about, the settings,
the platform the build constraints were read for, and nilmap's own code; anything else
changing simply misses. What the check read outside its directory (the other packages of the
module whose types and functions it looked up, the `go.mod` that says where they are) is
listed in the entry with a hash of its contents, and an entry none of whose listed
dependencies still hashes the same is a miss too. Entries live in `$NILMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/nilmap`
or `~/.cache/nilmap`; `--no-cache` bypasses it.

An entry is data, never code: JSON with a fixed shape, checked field by field when read.
Anything else found under an entry's name (damaged, truncated, planted, from another
version) is a miss and gets overwritten. Entries are written to a temporary file and
renamed into place, so a reader never sees half an entry and a full disk leaves nothing
behind; `prune` keeps the directory within `MAX_ENTRIES`, dropping the least recently used.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from analyzers.model import Applicability, Diagnostic, Edit, FileError, Fix, Related, Severity, Span
from analyzers.module import go_files

MAX_ENTRIES = 20_000
FORMAT = 3  # the shape of an entry; bumped when it changes
_SUFFIX = ".json"
_LITTER_SECONDS = 3600.0  # a temporary file this old belongs to a run that was killed


def default_directory() -> str:
    explicit = os.environ.get("NILMAP_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nilmap")


@functools.cache
def code_fingerprint() -> str:
    """A hash of nilmap's own sources: results of other code are never reused."""
    digest = hashlib.sha256()
    root = files("analyzers")
    stack = [root]
    entries = []
    while stack:
        current = stack.pop()
        for child in current.iterdir():
            if child.is_dir():
                if child.name != "__pycache__":
                    stack.append(child)
            elif child.name.endswith((".py", ".scm")):
                entries.append((str(child), child.read_bytes()))
    for name, data in sorted(entries):
        digest.update(name.rsplit("analyzers", 1)[-1].encode())
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


@dataclass
class CachedResult:
    """What is kept of one directory's check: its findings and unreadable files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    depends: dict[str, str] = field(default_factory=dict)  # a file or directory read outside -> its `fingerprint`


def fingerprint(path: str) -> str:
    """A hash of what nilmap reads at `path`: a directory's non-test Go files (their names and
    contents), a file's contents; "" when there is nothing to read."""
    if os.path.isdir(path):
        digest = hashlib.sha256()
        for name in go_files(path):
            digest.update(os.fsencode(os.path.basename(name)) + b"\0" + _file_hash(name).encode() + b"\0")
        return digest.hexdigest()
    return _file_hash(path)


_FILE_HASHES: dict[str, tuple[tuple[int, int, int], str]] = {}  # path -> (its stat, its hash)


def _file_hash(path: str) -> str:
    """A file's content hash, computed again only when its size, modification time or inode
    changes (every job of a run asks about the same few packages)."""
    try:
        status = os.stat(path)
    except OSError:
        return ""
    stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
    known = _FILE_HASHES.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        with open(path, "rb") as handle:
            found = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return ""
    _FILE_HASHES[path] = (stamp, found)
    return found


class ResultCache:
    """Job results in one directory as JSON files, keyed by a hash of their inputs."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory or default_directory()

    @staticmethod
    def key(contents: dict[str, bytes], targets: list[str] | None, settings: Any, platform: tuple[str, str]) -> str:
        """The key of a check of `contents` (every file of the directory, as read)."""
        digest = hashlib.sha256()
        digest.update(code_fingerprint().encode())
        digest.update(repr((settings, targets, platform)).encode("utf-8", "surrogateescape"))
        for path in sorted(contents):
            digest.update(os.fsencode(path) + b"\0" + hashlib.sha256(contents[path]).digest())
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + _SUFFIX)

    def get(self, key: str) -> CachedResult | None:
        """The stored result, or None for a missing or unusable entry."""
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                raw = json.loads(handle.read())
            result = _decode(raw, key)
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None  # not an entry we wrote: a miss, replaced by the next put
        if any(fingerprint(path) != known for path, known in result.depends.items()):
            return None  # another package it read has changed since: a miss, replaced by the next put
        try:
            os.utime(path)  # recently used: the last to be pruned
        except OSError:
            pass
        return result

    def put(self, key: str, result: CachedResult) -> None:
        path = self._path(key)
        data = json.dumps(_encode(result, key), separators=(",", ":")).encode("ascii")
        temporary = os.path.join(os.path.dirname(path), f".{key}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            with open(temporary, "xb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except OSError:
            _remove(temporary)  # a read-only or full disk only costs the next run its speed

    def prune(self, max_entries: int = MAX_ENTRIES) -> None:
        """Drop the least recently used entries beyond `max_entries`, and litter: temporary
        files of killed runs, entries of older formats. Only names nilmap writes are touched,
        whatever else the directory holds."""
        entries: list[tuple[float, str]] = []
        now = time.time()
        try:
            shards = [e.path for e in os.scandir(self.directory) if _SHARD.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
        except OSError:
            return
        for shard in shards:
            try:
                listing = list(os.scandir(shard))
            except OSError:
                continue
            for entry in listing:
                try:
                    modified = entry.stat(follow_symlinks=False).st_mtime
                except OSError:
                    continue
                if _ENTRY.fullmatch(entry.name):
                    entries.append((modified, entry.path))
                elif _STALE.fullmatch(entry.name) or (_TEMPORARY.fullmatch(entry.name) and now - modified > _LITTER_SECONDS):
                    _remove(entry.path)
        if len(entries) > max_entries:
            entries.sort()
            for _, path in entries[: len(entries) - max_entries]:
                _remove(path)


_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
_STALE = re.compile(r"[0-9a-f]{64}\.pickle")  # pickled entries of earlier nilmap versions, never read again
_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.\d+-[0-9a-f]{8}\.tmp|tmp[a-z0-9_]{8}")


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- the entry format -------------------------------------------------------------------------
def _encode(result: CachedResult, key: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "key": key,
        "files": result.files,
        "errors": [[e.path, e.message] for e in result.errors],
        "diagnostics": [_encode_diagnostic(d) for d in result.diagnostics],
        "depends": sorted([path, known] for path, known in result.depends.items()),
    }


def _encode_diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "message": d.message,
        "path": d.path,
        "span": [d.span.start, d.span.end],
        "severity": int(d.severity),
        "fixes": [
            {"title": f.title, "applicability": f.applicability.value, "edits": [[e.start, e.end, e.new_text, e.path] for e in f.edits]}
            for f in d.fixes
        ],
        "related": [{"path": r.path, "span": [r.span.start, r.span.end], "message": r.message} for r in d.related],
    }


def _decode(raw: Any, key: str) -> CachedResult:
    """The result an entry holds; raises ValueError (or TypeError, KeyError) if it is not one."""
    entry = _table(raw, {"format", "key", "files", "errors", "diagnostics", "depends"})
    if entry["format"] != FORMAT or entry["key"] != key:
        raise ValueError("an entry of another format or key")
    errors = [FileError(_text(path), _text(message)) for path, message in (_pair(e) for e in _list(entry["errors"]))]
    diagnostics = [_decode_diagnostic(d) for d in _list(entry["diagnostics"])]
    depends = {_text(path): _text(known) for path, known in (_pair(d) for d in _list(entry["depends"]))}
    return CachedResult(diagnostics, errors, _count(entry["files"]), depends)


def _decode_diagnostic(raw: Any) -> Diagnostic:
    d = _table(raw, {"rule", "message", "path", "span", "severity", "fixes", "related"})
    fixes = []
    for raw_fix in _list(d["fixes"]):
        f = _table(raw_fix, {"title", "applicability", "edits"})
        edits = []
        for raw_edit in _list(f["edits"]):
            start, end, new_text, path = _list(raw_edit, 4)  # path: None for the finding's own file
            edits.append(Edit(_count(start), _count(end), _text(new_text), None if path is None else _text(path)))
        fixes.append(Fix(_text(f["title"]), tuple(edits), Applicability(_text(f["applicability"]))))  # Fix checks overlaps
    related = []
    for raw_related in _list(d["related"]):
        r = _table(raw_related, {"path", "span", "message"})
        related.append(Related(_text(r["path"]), _span(r["span"]), _text(r["message"])))
    severity = d["severity"]
    if type(severity) is not int:
        raise TypeError("severity")
    return Diagnostic(
        _text(d["rule"]), _text(d["message"]), _text(d["path"]), _span(d["span"]), Severity(severity), tuple(fixes), tuple(related)
    )


def _table(raw: Any, keys: set[str]) -> dict[str, Any]:
    if type(raw) is not dict or set(raw) != keys:
        raise ValueError("not an entry's table")
    return raw


def _list(raw: Any, length: int | None = None) -> list[Any]:
    if type(raw) is not list or (length is not None and len(raw) != length):
        raise ValueError("not an entry's list")
    return raw


def _pair(raw: Any) -> list[Any]:
    return _list(raw, 2)


def _text(raw: Any) -> str:
    if type(raw) is not str:
        raise TypeError("not a string")
    return raw


def _count(raw: Any) -> int:
    if type(raw) is not int or raw < 0:
        raise ValueError("not a count")
    return raw


def _span(raw: Any) -> Span:
    start, end = _list(raw, 2)
    start, end = _count(start), _count(end)
    if start > end:
        raise ValueError("a span that ends before it starts")
    return Span(start, end)
