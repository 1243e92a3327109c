"""What the runtime did against what nilmap said, for one program.

The unit is a write site (a write id): a map write, or a call of a same-package function
or method that writes a map. A write that panicked with `assignment to entry in nil map`
is *found* when some finding sits on a line of the panic's stack (the write, or the call
that led to it, or the `defer` statement of a deferred call on it) or points there as its
related location (an NM003 finding at the
construction names the write). Otherwise it is a **miss**. A write site that ran and never
panicked (a call: that returned) is *safe*: an error-severity finding on its line is a
**false alarm**; a warning there is counted apart, as are findings on write sites that
never ran. A finding is judged by its own line only: one at a construction speaks of a
path through that construction, which the markers do not follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.generated.batch import Outcome
from tests.generated.findings import Checked, Finding
from tests.generated.program import Rendered

MISS = "miss"
FALSE_ALARM = "false-alarm"
SAFE_WARNING = "warning-on-safe-write"


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # MISS, FALSE_ALARM or SAFE_WARNING
    write: int
    line: int
    findings: tuple[Finding, ...] = ()  # the findings that were wrong (none for a miss)

    @property
    def key(self) -> tuple[str, int]:
        """What the shrinker keeps: the same kind of disagreement on the same write."""
        return (self.kind, self.write)


@dataclass
class Verdict:
    seed: int
    tags: frozenset[str]
    failure: str | None = None  # the program is unusable: build error, other panic, timeout
    panicked: list[int] = field(default_factory=list)
    through: list[int] = field(default_factory=list)  # calls of writing functions on the panic's stack
    found: list[int] = field(default_factory=list)
    safe: list[int] = field(default_factory=list)
    unexecuted_findings: list[Finding] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    nilmap_failures: tuple[str, ...] = ()
    write_tags: dict[int, frozenset[str]] = field(default_factory=dict)  # each write site's own shape tags

    def of_kind(self, kind: str) -> list[Discrepancy]:
        return [d for d in self.discrepancies if d.kind == kind]


def writes_of(finding: Finding, rendered: Rendered) -> set[int]:
    """The write sites on the finding's own line."""
    return {w for w, line in rendered.write_lines.items() if line == finding.line}


def judge(
    seed: int, tags: frozenset[str], rendered: Rendered, outcome: Outcome, checked: Checked, write_tags: dict[int, frozenset[str]]
) -> Verdict:
    verdict = Verdict(seed, tags, nilmap_failures=checked.failures, write_tags=write_tags)
    if outcome.failure is not None:
        verdict.failure = outcome.failure
        return verdict
    findings = checked.findings
    verdict.through = sorted(outcome.through)
    for write in sorted(outcome.panicked):
        verdict.panicked.append(write)
        if any(f.lines & outcome.stack_lines for f in findings):
            verdict.found.append(write)
        else:
            verdict.discrepancies.append(Discrepancy(MISS, write, rendered.write_lines[write]))
    safe = sorted(outcome.executed - outcome.panicked - outcome.through)
    verdict.safe = safe
    for write in safe:
        on_it = tuple(f for f in findings if write in writes_of(f, rendered))
        errors = tuple(f for f in on_it if f.severity == "error")
        warnings = tuple(f for f in on_it if f.severity != "error")
        if errors:
            verdict.discrepancies.append(Discrepancy(FALSE_ALARM, write, rendered.write_lines[write], errors))
        elif warnings:
            verdict.discrepancies.append(Discrepancy(SAFE_WARNING, write, rendered.write_lines[write], warnings))
    ran = outcome.executed | outcome.panicked | outcome.through
    for f in findings:
        spoken_of = writes_of(f, rendered)
        if spoken_of and not spoken_of & ran:
            verdict.unexecuted_findings.append(f)
    return verdict
