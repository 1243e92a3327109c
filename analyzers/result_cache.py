"""Results of `nilmap check` kept on disk between runs, per directory and content.

A re-run over an unchanged tree (a CI job, a pre-commit hook) reads each directory's
result instead of parsing and analysing it again. The key covers everything a result
depends on: the bytes of every file of the directory, the files asked about, the settings,
the platform the build constraints were read for, and nilmap's own code; anything else
changing simply misses. Entries live in `$NILMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/nilmap`
or `~/.cache/nilmap`; `--no-cache` bypasses it.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from importlib.resources import files
from typing import Any

MAX_ENTRIES = 20_000


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


class ResultCache:
    """Pickled job results in one directory, keyed by a hash of their inputs."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory or default_directory()

    def key(self, paths: list[str], targets: list[str] | None, settings: Any, platform: tuple[str, str]) -> str | None:
        digest = hashlib.sha256()
        digest.update(code_fingerprint().encode())
        digest.update(repr((settings, targets, platform)).encode())
        for path in sorted(paths):
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                return None  # unreadable now: check it the slow way, which reports why
            digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + ".pickle")

    def get(self, key: str) -> Any | None:
        try:
            with open(self._path(key), "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # missing or unreadable entries are just misses

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
        except OSError:
            pass  # a read-only or full disk only costs the next run its speed
