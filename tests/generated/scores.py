"""Figures over many verdicts: recall on writes that panicked, false alarms, warnings on
safe writes, overall and broken down by shape: by the shapes each program composed, and by
the shapes of the written place itself (where its map came from, how it is written)."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from tests.generated.verdicts import FALSE_ALARM, SAFE_WARNING, Verdict


@dataclass
class Tally:
    programs: int = 0
    panicked_programs: int = 0
    panicked: int = 0  # writes that panicked
    found: int = 0
    safe: int = 0  # writes that ran and never panicked
    false_alarms: int = 0  # safe writes with an error-severity finding
    safe_warnings: int = 0  # safe writes with a warning only
    unexecuted_findings: int = 0

    def add(self, verdict: Verdict) -> None:
        self.programs += 1
        self.panicked_programs += bool(verdict.panicked)
        self.panicked += len(verdict.panicked)
        self.found += len(verdict.found)
        self.safe += len(verdict.safe)
        self.false_alarms += len(verdict.of_kind(FALSE_ALARM))
        self.safe_warnings += len(verdict.of_kind(SAFE_WARNING))
        self.unexecuted_findings += len(verdict.unexecuted_findings)

    @property
    def misses(self) -> int:
        return self.panicked - self.found

    @property
    def recall(self) -> float:
        return self.found / self.panicked if self.panicked else 1.0


@dataclass
class WriteTally:
    """Write sites that share one shape tag of their own."""

    panicked: int = 0
    found: int = 0
    safe: int = 0
    false_alarms: int = 0
    safe_warnings: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.panicked if self.panicked else 1.0


@dataclass
class Summary:
    total: Tally = field(default_factory=Tally)
    by_shape: dict[str, Tally] = field(default_factory=dict)
    by_write_shape: dict[str, WriteTally] = field(default_factory=dict)
    failures: Counter = field(default_factory=Counter)  # unusable programs, by reason
    nilmap_failures: int = 0

    def to_json(self) -> dict:
        return {
            "total": asdict(self.total) | {"misses": self.total.misses, "recall": round(self.total.recall, 4)},
            "by_shape": {
                tag: asdict(t) | {"misses": t.misses, "recall": round(t.recall, 4)} for tag, t in sorted(self.by_shape.items())
            },
            "by_write_shape": {
                tag: asdict(t) | {"recall": round(t.recall, 4)} for tag, t in sorted(self.by_write_shape.items())
            },
            "unusable_programs": dict(self.failures),
            "programs_with_nilmap_internal_errors": self.nilmap_failures,
        }


def summarise(verdicts: list[Verdict]) -> Summary:
    summary = Summary()
    for verdict in verdicts:
        if verdict.failure is not None:
            summary.failures[verdict.failure.split(":", 1)[0]] += 1
            continue
        summary.nilmap_failures += bool(verdict.nilmap_failures)
        summary.total.add(verdict)
        for tag in verdict.tags:
            summary.by_shape.setdefault(tag, Tally()).add(verdict)
        _add_writes(summary.by_write_shape, verdict)
    return summary


def _add_writes(table: dict[str, WriteTally], verdict: Verdict) -> None:
    wrong = {(d.kind, d.write) for d in verdict.discrepancies}
    calls = set().union(*(verdict.write_tags.get(c, ()) for c in verdict.through))
    for write in verdict.panicked:
        # a write inside a helper or method counts under the shapes of the call that led there
        for tag in set(verdict.write_tags.get(write, ())) | calls:
            t = table.setdefault(tag, WriteTally())
            t.panicked += 1
            t.found += write in verdict.found
    for write in verdict.safe:
        for tag in verdict.write_tags.get(write, ()):
            t = table.setdefault(tag, WriteTally())
            t.safe += 1
            t.false_alarms += (FALSE_ALARM, write) in wrong
            t.safe_warnings += (SAFE_WARNING, write) in wrong


def format_summary(summary: Summary) -> str:
    t = summary.total
    lines = [
        f"programs run: {t.programs} ({t.panicked_programs} died of a nil-map write)",
        f"writes that panicked: {t.panicked}; found by nilmap: {t.found} (recall {t.recall:.1%}); missed: {t.misses}",
        f"writes that ran safely: {t.safe}; error-severity false alarms on them: {t.false_alarms}; "
        f"warnings on them: {t.safe_warnings}",
        f"findings on writes that never ran: {t.unexecuted_findings}",
    ]
    if summary.failures:
        lines.append("unusable programs: " + ", ".join(f"{n} {why}" for why, n in summary.failures.most_common()))
    if summary.nilmap_failures:
        lines.append(f"programs where nilmap reported an internal error: {summary.nilmap_failures}")
    lines.append("")
    lines.append(f"{'shape':34} {'programs':>8} {'panicked':>8} {'found':>6} {'recall':>7} {'safe':>6} {'false':>6} {'warn':>6}")
    for tag, s in sorted(summary.by_shape.items(), key=lambda item: (item[1].recall, item[0])):
        lines.append(
            f"{tag:34} {s.programs:8} {s.panicked:8} {s.found:6} {s.recall:7.1%} {s.safe:6} {s.false_alarms:6} {s.safe_warnings:6}"
        )
    lines += ["", f"{'written place':34} {'panicked':>8} {'found':>6} {'recall':>7} {'safe':>6} {'false':>6} {'warn':>6}"]
    for tag, w in sorted(summary.by_write_shape.items(), key=lambda item: (item[1].recall, item[0])):
        lines.append(f"{tag:34} {w.panicked:8} {w.found:6} {w.recall:7.1%} {w.safe:6} {w.false_alarms:6} {w.safe_warnings:6}")
    return "\n".join(lines)

