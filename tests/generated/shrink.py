"""Reducing a disagreement to a small program that still shows it.

Greedy delta debugging over the program's tree. Each round tries, in one Go build, every
single edit: remove a statement or declaration, remove a declaration together with every
statement that mentions what it declares, or replace a compound statement by the body of
one of its branches. Every candidate is run and checked with nilmap again; those that still
show the same disagreement (same kind, same write, same rules) are kept. The round then
applies all the kept removals at once if that still works, else the one that removes most,
and starts again until no edit keeps the disagreement.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path

from tests.generated.evaluate import evaluate
from tests.generated.program import Node, NodePath, Program, hoisted, node_at, node_paths, render, without
from tests.generated.verdicts import MISS, Discrepancy, Verdict

MAX_ROUNDS = 40


@dataclass(frozen=True)
class Target:
    """What must survive shrinking."""

    kind: str
    write: int
    rules: frozenset[str]
    clean: bool = False  # the program must also run without panicking (a fixture without wants must)

    @classmethod
    def of(cls, discrepancy: Discrepancy) -> Target:
        return cls(discrepancy.kind, discrepancy.write, frozenset(f.code for f in discrepancy.findings), discrepancy.kind != MISS)

    def shown_by(self, verdict: Verdict) -> Discrepancy | None:
        if verdict.failure is not None or (self.clean and verdict.panicked):
            return None
        for d in verdict.discrepancies:
            if d.kind == self.kind and d.write == self.write:
                if self.kind == MISS or frozenset(f.code for f in d.findings) & self.rules:
                    return d
        return None


@dataclass
class Shrunk:
    program: Program
    verdict: Verdict
    discrepancy: Discrepancy
    rounds: int
    lines_before: int
    lines_after: int


def _mentions(node: Node, name: str) -> bool:
    """Whether the node's own text (not its body) names `name`."""
    own = [node.text] if not node.sections else [s.header for s in node.sections] + [node.tail]
    if name.startswith("."):
        pattern = re.compile(re.escape(name) + r"\(")
    else:
        pattern = re.compile(r"(?<![\w.])" + re.escape(name) + r"(?!\w)")
    return any(pattern.search(text) for text in own)


def _with_mentions(program: Program, path: NodePath) -> list[NodePath]:
    """The node at `path` and every outermost node elsewhere that mentions what it declares."""
    names = node_at(program, path).declares
    chosen = [path]
    for other in node_paths(program):
        if other[: len(path)] == path or any(other[: len(c)] == c for c in chosen):
            continue
        node = node_at(program, other)
        if any(_mentions(node, name) for name in names):
            chosen.append(other)
    return chosen


def candidates(program: Program) -> Iterator[tuple[list[NodePath], Program]]:
    """(removed paths, candidate) for every single edit; removals first, biggest first."""
    paths = node_paths(program)
    edits: list[tuple[int, list[NodePath], Program]] = []
    for path in paths:
        node = node_at(program, path)
        if node.keep:
            continue
        size = sum(1 for _ in _subtree(node))
        edits.append((size, [path], without(program, [path])))
        if node.declares:
            group = _with_mentions(program, path)
            if len(group) > 1:
                edits.append((size + len(group), group, without(program, group)))
        if node.sections and len(path) > 1:
            for s, section in enumerate(node.sections):
                if section.body:
                    edits.append((size - len(section.body), [], hoisted(program, path, s)))
    edits.sort(key=lambda e: -e[0])
    for _, removed, candidate in edits:
        yield removed, candidate


def _subtree(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children():
        yield from _subtree(child)


def _lines(program: Program) -> int:
    return render(program).text.count("\n")


def _outermost(paths: list[NodePath]) -> list[NodePath]:
    unique = sorted(set(paths), key=len)
    kept: list[NodePath] = []
    for path in unique:
        if not any(path[: len(k)] == k for k in kept):
            kept.append(path)
    return kept


def shrink(program: Program, discrepancy: Discrepancy, jobs: int = 2, workdir: Path | None = None, pool: Executor | None = None) -> Shrunk:
    target = Target.of(discrepancy)
    current = program
    before = _lines(program)
    verdict = evaluate([program], jobs, workdir, pool)[0]
    if target.clean and verdict.panicked:
        target = replace(target, clean=False)  # until a round leaves a program that runs clean
    shown = target.shown_by(verdict)
    if shown is None:
        raise ValueError(f"seed {program.seed}: the disagreement does not show: {discrepancy}")
    rounds = 0
    for round_number in range(1, MAX_ROUNDS + 1):
        rounds = round_number  # the rounds taken, reported
        edits = list(candidates(current))
        if not edits:
            break
        verdicts = evaluate([c for _, c in edits], jobs, workdir, pool)
        kept = [(removed, c, v) for (removed, c), v in zip(edits, verdicts, strict=True) if target.shown_by(v) is not None]
        if not kept:
            break
        if discrepancy.kind != MISS and not target.clean and any(not v.panicked for _, _, v in kept):
            target = replace(target, clean=True)
            kept = [k for k in kept if not k[2].panicked]
        removals = _outermost([p for removed, _, _ in kept for p in removed])
        best = min(kept, key=lambda k: _lines(k[1]))
        if len(removals) > 1:
            together = without(current, removals)
            joint = evaluate([together], jobs, workdir, pool)[0]
            if target.shown_by(joint) is not None and _lines(together) < _lines(best[1]):
                current, verdict = together, joint
                continue
        current, verdict = best[1], best[2]
    shown = target.shown_by(verdict)
    assert shown is not None
    return Shrunk(current, verdict, shown, rounds, before, _lines(current))
