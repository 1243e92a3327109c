"""The results of an analysis: plain frozen dataclasses in byte offsets.

A `Diagnostic` may carry several `Fix`es; they are alternatives, one of which the rule marks
preferred by putting it first among the safe ones.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """How sure we are that the write panics: ERROR on every path, WARNING on some."""

    ERROR = 1
    WARNING = 2
    INFO = 3


class Applicability(enum.Enum):
    """Whether a fix may be applied without a human reading it (ruff's notion)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Span:
    """A half-open byte range of a file's source."""

    start: int
    end: int


@dataclass(frozen=True)
class Edit:
    """Replace bytes [start, end) with `new_text`; a pure insertion has start == end.

    `path` is None for the finding's own file; a fix that makes a map where it is built in
    another file of the package (NM003 at the write) names that file.
    """

    start: int
    end: int
    new_text: str
    path: str | None = None


@dataclass(frozen=True)
class Fix:
    """One way to fix a finding: edits that never overlap, and whether it is safe."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    def __post_init__(self) -> None:
        ordered = sorted(self.edits, key=lambda e: (e.path or "", e.start, e.end))
        for edit in ordered:
            if edit.start > edit.end:
                raise ValueError(f"edit start {edit.start} after end {edit.end}")
        for before, after in zip(ordered, ordered[1:]):
            if before.path == after.path and before.end > after.start:
                raise ValueError(f"overlapping edits in fix {self.title!r}")

    def edits_by_file(self, home: str) -> dict[str, tuple[Edit, ...]]:
        """The edits per file, `home` (the finding's file) first; each without its path."""
        files: dict[str, list[Edit]] = {home: []}
        for edit in self.edits:
            files.setdefault(edit.path or home, []).append(replace(edit, path=None))
        return {path: tuple(edits) for path, edits in files.items() if edits}

    def is_local(self) -> bool:
        """Whether every edit is in the finding's own file."""
        return all(edit.path is None for edit in self.edits)


@dataclass(frozen=True)
class Related:
    """The other end of a finding: where the map was left nil, or where it is written."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True)
class Diagnostic:
    """One finding of one rule in one file."""

    rule: str
    message: str
    path: str
    span: Span
    severity: Severity
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = ()

    @property
    def preferred_fix(self) -> Fix | None:
        """The first safe fix, which `--fix` applies and editors mark preferred."""
        for fix in self.fixes:
            if fix.applicability is Applicability.SAFE:
                return fix
        return None


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or decoded; reported once, the run goes on."""

    path: str
    message: str


@dataclass
class CheckResult:
    """What a check of some paths produced."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_checked: int = 0
