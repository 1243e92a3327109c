"""The shared flow analysis of a package: every function of the target files, run once.

Rules ask for it through `Pass.result_of("flow", analyze)` so NM001–NM004 share one run.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from tree_sitter import Node

from analyzers.flow.cache import Dependencies, FunctionCache, code_fact, code_hash
from analyzers.flow.events import WriteEvent
from analyzers.flow.file_results import FileResults
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.placing import Placements, referenced_paths
from analyzers.flow.prefilter import Prefilter, writes_of
from analyzers.flow.rechecks import LastChecks, Recheck, Variant
from analyzers.flow.result_store import ResultStore
from analyzers.flow.summaries import PackageFlow
from analyzers.flow.syntax import function_name, has_named_results
from analyzers.source import SourceFile

log = logging.getLogger("nilmap")

# A function's results are kept for the last two states of what it reaches: an edit undone
# (a name typed and erased, a field renamed and back) finds the earlier one still valid.
VARIANTS = 2


@dataclass
class FlowResult:
    flow: PackageFlow
    events: list[WriteEvent] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def analyze(pass_) -> FlowResult:
    cache = pass_.cache
    dependencies = Dependencies(pass_.package) if cache is not None else None
    recheck = _last_checks(cache).start(dependencies) if cache is not None and dependencies is not None else None
    flow = PackageFlow(pass_.package, ResultStore(cache, dependencies) if cache is not None and dependencies is not None else None)
    result = FlowResult(flow)
    prefilter = flow.prefilter()
    placements = Placements(dependencies) if dependencies is not None else None
    sourced_kind = f"source-{hash(prefilter.sources.pattern)}"
    facts: tuple | None = None  # (the package facts of the keys: found when a function is first analysed)
    # Every file of the package, not only the ones reported on: a construction in one file
    # may reach a write in another, and both ends are reported.
    for file in [pass_.package.files[p] for p in sorted(pass_.package.files)]:
        candidates = _candidates(file, flow, prefilter, sourced_kind, remember=cache is not None)
        if not candidates:
            continue
        facts = facts or flow.key_facts()
        if cache is not None and recheck is not None and placements is not None:
            served = _served_whole(cache, recheck, placements, file.path, candidates, facts)
            if served is not None:
                result.events.extend(served)
                continue
        kept: list[tuple[Variant, tuple[str, int], list[WriteEvent]]] = []
        for node, text, own in candidates:
            key = cached = None
            if text is not None and own is not None and cache is not None and recheck is not None:
                # Looked up by the function's text; valid while what it reaches is unchanged.
                key = (*text, *facts)
                cached = cache.get(key)
                if cached is not None and placements is not None:
                    found = _valid_variant(recheck, placements, cached, own)
                    if found is not None:
                        result.events.extend(found[1])
                        kept.append((found[0], own, found[1]))
                        continue
                    cache.stale += 1
            try:
                interpreter = Interpreter(flow, file, node)
                events = list(interpreter.run().values())
                result.events.extend(events)
                if key is not None and own is not None and dependencies is not None and recheck is not None:
                    closure = dependencies.closure(file.path, node.start_byte)
                    fingerprint = dependencies.fingerprint(closure, own)
                    then = {path: dependencies.spans(path) for path in referenced_paths(events) | {file.path}}
                    earlier = tuple(variant for variant in cached or () if variant.fingerprint != fingerprint)
                    variant = Variant(closure, fingerprint, then, events, recheck.token)
                    cache.put(key, (variant, *earlier[: VARIANTS - 1]))
                    kept.append((variant, own, events))
            except RecursionError:
                log.warning("%s: %s is nested too deeply to analyse", file.path, function_name(node))
            except Exception as exc:  # a bug must cost one function's findings, not the package's
                log.exception("analysis of %s in %s failed", function_name(node), file.path)
                pass_.fail(f"{file.path}: {function_name(node)}: {exc!r}")
        if cache is not None and recheck is not None:
            _keep_whole(cache, recheck, file.path, candidates, facts, kept)
    return result


# A function analysed, with its file's path and its text's key (`SourceFile.text_key`), and
# the hash of its own code (`code_hash`), when results are kept.
Candidate = tuple[Node, tuple[str, int, int] | None, tuple[str, int] | None]


def _candidates(file: SourceFile, flow: PackageFlow, prefilter: Prefilter, sourced_kind: str, remember: bool) -> list[Candidate]:
    """The functions of `file` that are analysed: those the prefilter lets through whose text
    holds a source of nil or decoded values. With `remember` (the server) they are kept with
    the file's version under the package facts they were found from besides its text (the
    prefilter's, the source pattern): a check asks of every function of the package, and
    after an edit only one file is new."""
    memo_key = ("flow-candidates", prefilter.signature(flow), sourced_kind) if remember else None
    if memo_key is not None and (kept := file.memo.get(memo_key)) is not None:
        return kept
    with_writes = prefilter.functions_with_writes(file, flow, remember=remember)
    found: list[Candidate] = []
    for node in file.functions:
        if node.start_byte not in with_writes:
            continue
        sourced = code_fact(sourced_kind, node, lambda n: prefilter.has_source(
            file.code(n),
            has_named_results(n),
            [root for root, _ in code_fact("writes", n, writes_of, file)],
        ), file)
        if not sourced:
            continue
        if remember:
            found.append((node, (file.path, *file.text_key(node)), (file.path, code_hash(node, file))))
        else:
            found.append((node, None, None))
    if memo_key is not None:
        file.memo[memo_key] = found
    return found


def _last_checks(cache) -> LastChecks:
    """The function cache's record of each package's last check, made when first needed."""
    if cache.checks is None:
        cache.checks = LastChecks()
    return cache.checks


def _valid_variant(
    recheck: Recheck, placements: Placements, cached: tuple[Variant, ...], own: tuple[str, int]
) -> tuple[Variant, list[WriteEvent]] | None:
    """The first cached variant whose fingerprint still holds, with its events placed where
    their declarations are now; None when none holds."""
    for variant in cached:
        if recheck.holds(variant, own):
            events = placements.events(variant)
            if events is not None:
                return variant, events
    return None


def _served_whole(
    cache: FunctionCache, recheck: Recheck, placements: Placements, path: str, candidates: list[Candidate], facts: tuple
) -> list[WriteEvent] | None:
    """The events of the file's functions served from the results kept together at the
    package's last check (`file_results`), when every one still holds; None when the file is
    to be served function by function."""
    kept: FileResults | None = cache.file_results(path)
    if kept is None or not kept.serves(candidates, facts) or not recheck.holds_for_all(kept.reach, kept.checked):
        return None
    files = recheck.now.package.files
    if not kept.placed_alike(files):
        placed = [placements.events(variant) for variant in kept.variants]
        if any(events is None for events in placed):
            return None
        kept.events = [event for events in placed if events is not None for event in events]
        kept.files = _versions(files, kept.files.keys())
    for variant in kept.variants:
        variant.checked = recheck.token
    kept.checked = recheck.token
    cache.served_together(len(kept.variants))
    return kept.events


def _keep_whole(
    cache: FunctionCache, recheck: Recheck, path: str, candidates: list[Candidate], facts: tuple, served: list[tuple[Variant, tuple[str, int], list[WriteEvent]]]
) -> None:
    """Keep the results the file's functions were served at this check together, when every
    one has a result to keep (one whose analysis failed has none)."""
    if len(served) != len(candidates):
        cache.forget_file_results(path)
        return
    paths = {path}.union(*[variant.then for variant, _, _ in served])
    events = [event for _, _, found in served for event in found]
    variants = [variant for variant, _, _ in served]
    owns = [own for _, own, _ in served]
    cache.keep_file_results(path, FileResults(candidates, facts, variants, owns, events, _versions(recheck.now.package.files, paths), recheck.token))


def _versions(files: dict[str, SourceFile], paths) -> dict[str, SourceFile]:
    """The current versions of those of `paths` that are files of the package."""
    return {path: files[path] for path in paths if path in files}
