"""The corpus entries of `repos.tsv` and the rule that splits them into tune and held-back.

The split is a function of the entry's id alone, fixed before nilmap ran on anything, so
no finding can move an entry from one side to the other; `check_split` enforces that the
file still follows the rule.
"""
from __future__ import annotations

import csv
import hashlib
import pathlib
from dataclasses import dataclass

SPLITS = ("tune", "held-back")


@dataclass(frozen=True)
class Entry:
    """One corpus entry: a repository at a pinned commit, the Go standard library, or a
    local source tree."""

    id: str
    source: str  # github:owner/name, goroot, or debian:<absolute path>
    commit: str  # the snapshot's HEAD for github; a version or fingerprint otherwise
    kind: str
    split: str
    exclude: tuple[str, ...] = ()  # globs (relative to the entry's root) nilmap skips

    @property
    def is_github(self) -> bool:
        return self.source.startswith("github:")


def rule_split(entry_id: str, source: str) -> str:
    """held-back when the first byte of sha256(id) is divisible by 3, for repositories;
    the standard library and Debian's sources always tune."""
    if not source.startswith("github:"):
        return "tune"
    return "held-back" if hashlib.sha256(entry_id.encode()).digest()[0] % 3 == 0 else "tune"


def read_entries(path: pathlib.Path) -> list[Entry]:
    """Entries of the TSV, skipping `#` comment lines."""
    with path.open(newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t")
    return [
        Entry(row["id"], row["source"], row["commit"], row["kind"], row["split"],
              tuple(glob for glob in (row.get("exclude") or "").split(",") if glob))
        for row in rows
    ]


def check_split(entries: list[Entry]) -> list[str]:
    """Entries whose split column disagrees with the rule (an empty list when none)."""
    return [f"{e.id}: split says {e.split}, the rule says {rule_split(e.id, e.source)}"
            for e in entries if e.split != rule_split(e.id, e.source)]


def select(entries: list[Entry], split: str) -> list[Entry]:
    """The entries of one split, or all of them for `all`."""
    return entries if split == "all" else [e for e in entries if e.split == split]
