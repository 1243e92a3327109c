"""The markdown report of a run: figures overall and by shape, then each kind of
disagreement with the Go rule behind it and its smallest example."""
from __future__ import annotations

from collections import defaultdict

from tests.generated.kinds import classify
from tests.generated.pending import Candidate
from tests.generated.scores import Summary, Tally
from tests.generated.shapes import SHAPES
from tests.generated.shrink import Shrunk
from tests.generated.verdicts import MISS

INTRO = """\
# Generated programs: the Go runtime against nilmap

`benchmarks/generated_programs.py` generates small Go programs from seeds
(`tests/generated/generator.py`: local maps, struct fields, collections of structs, named map
types and their methods, package variables and `init()`, helpers, closures, goroutines, JSON
decoding, every kind of control flow, nested maps keyed by every kind of expression), builds
them in batches, runs each in its own process and checks each with nilmap. A
`println("W", id)` before every map write (and every call of a same-package function that
writes one) tells which writes ran; the panic's stack tells which one panicked. Per write:

- **recall**: writes that panicked with `assignment to entry in nil map` and have a finding
  on a line of the panic's stack (or an NM003 finding at the construction that names the
  write), over all writes that panicked;
- **false alarm**: an error-severity finding on a write that ran and never panicked;
- **warning on a safe write**: a warning there (counted apart: a warning says *some* path
  leaves the map nil, and the run took another);
- findings on writes that never ran are counted apart too.

Disagreements are shrunk (greedy delta debugging over the program's statements and
declarations, every candidate run and checked again) into fixture candidates under
`tests/fixtures_pending/generated/`.
"""


def _row(name: str, t: Tally) -> str:
    return (
        f"| {name} | {t.programs} | {t.panicked} | {t.found} | {t.recall:.1%} | {t.safe} | {t.false_alarms} | "
        f"{t.safe_warnings} |"
    )


def markdown(summary: Summary, seeds: list[int], elapsed: float, shrunk: list[Shrunk], written: dict[str, list[Candidate]]) -> str:
    t = summary.total
    out = [INTRO, f"## Figures: seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} programs, {elapsed / 60:.0f} minutes on 2 cores)", ""]
    out += [
        f"- programs run: {t.programs}; {t.panicked_programs} ({t.panicked_programs / max(t.programs, 1):.0%}) died of a nil-map write",
        f"- writes that panicked: {t.panicked}; found: {t.found}; **recall {t.recall:.1%}**; missed: {t.misses}",
        f"- writes that ran safely: {t.safe}; **error-severity false alarms: {t.false_alarms}**; "
        f"warnings on them: {t.safe_warnings}",
        f"- findings on writes that never ran: {t.unexecuted_findings}",
    ]
    if summary.failures:
        out.append("- unusable programs: " + ", ".join(f"{n} ({why})" for why, n in summary.failures.most_common()))
    out += ["", "## By shape", ""]
    out += [
        "Each program counts under every shape it composed (a program composes many), so a shape's",
        "figures are those of the programs that have it; lowest recall first.",
        "",
        "| shape | programs | panicked | found | recall | safe | false alarms | warnings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tag, tally in sorted(summary.by_shape.items(), key=lambda item: (item[1].recall, item[0])):
        out.append(_row(f"`{tag}`: {SHAPES.get(tag, '')}", tally))
    out += [
        "",
        "## By the written place's shape",
        "",
        "The same writes, counted under the shape tags of the write itself: where the written map came",
        "from (the declaration or construction that made or left it nil, the struct or collection it",
        "sits in) and how it is written. This tells which shapes of write nilmap misses; lowest recall",
        "first, shapes with fewer than 20 panicking writes left out.",
        "",
        "| shape | panicked | found | recall | safe | false alarms | warnings |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for tag, w in sorted(summary.by_write_shape.items(), key=lambda item: (item[1].recall, item[0])):
        if w.panicked >= 20:
            out.append(
                f"| `{tag}`: {SHAPES.get(tag, '')} | {w.panicked} | {w.found} | {w.recall:.1%} | {w.safe} | "
                f"{w.false_alarms} | {w.safe_warnings} |"
            )
    out += _kinds(shrunk, written)
    return "\n".join(out) + "\n"


def _kinds(shrunk: list[Shrunk], written: dict[str, list[Candidate]]) -> list[str]:
    if not shrunk:
        return []
    groups: dict[str, list[Shrunk]] = defaultdict(list)
    for result in shrunk:
        groups[classify(result).name].append(result)
    out = [
        "",
        "## Kinds of disagreement",
        "",
        f"{len(shrunk)} disagreements were shrunk: every false alarm, and a uniform sample of the misses",
        "(so a kind's share of the sample estimates its share of all misses). Each kind below is the",
        "Go rule the engine got wrong, with how many of the shrunk ones fell in it and the smallest",
        "example (the fixture candidate, which carries the `want` or `OK` comment).",
        "",
    ]
    order = sorted(groups.items(), key=lambda item: (item[1][0].discrepancy.kind != MISS, -len(item[1]), item[0]))
    for name, members in order:
        kind = classify(members[0])
        candidates = written.get(name, [])
        seeds = ", ".join(str(m.program.seed) for m in sorted(members, key=lambda m: m.program.seed))
        out += [f"### `{name}` ({len(members)})", "", kind.rule, "", f"Seeds: {seeds}."]
        if candidates:
            dirs = ", ".join(f"`{c.directory}`" for c in candidates)
            out += ["", f"Candidates: {dirs}.", "", "```go", candidates[0].source.rstrip(), "```"]
        out.append("")
    return out
