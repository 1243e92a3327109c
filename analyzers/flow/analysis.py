"""The shared flow analysis of a package: every function of the target files, run once.

Rules ask for it through `Pass.result_of("flow", analyze)` so NM001–NM004 share one run.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from tree_sitter import Node

from analyzers.flow.cache import Dependencies, code_hash, declaration_fact
from analyzers.flow.events import WriteEvent
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
    # Every file of the package, not only the ones reported on: a construction in one file
    # may reach a write in another, and both ends are reported.
    for file in [pass_.package.files[p] for p in sorted(pass_.package.files)]:
        for node, text, own in _candidates(file, flow, prefilter, sourced_kind, remember=cache is not None):
            key = cached = None
            if text is not None and own is not None and cache is not None and recheck is not None:
                # Looked up by the function's text; valid while what it reaches is unchanged.
                key = (*text, flow.nil_package_vars, flow.decoded_types)
                cached = cache.get(key)
                if cached is not None and placements is not None:
                    events = _valid_variant(recheck, placements, cached, own)
                    if events is not None:
                        result.events.extend(events)
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
                    cache.put(key, (Variant(closure, fingerprint, then, events, recheck.token), *earlier[: VARIANTS - 1]))
            except RecursionError:
                log.warning("%s: %s is nested too deeply to analyse", file.path, function_name(node))
            except Exception as exc:  # a bug must cost one function's findings, not the package's
                log.exception("analysis of %s in %s failed", function_name(node), file.path)
                pass_.fail(f"{file.path}: {function_name(node)}: {exc!r}")
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
        sourced = declaration_fact(sourced_kind, node, lambda n: prefilter.has_source(
            file.source[n.start_byte : n.end_byte],
            has_named_results(n),
            [root for root, _ in declaration_fact("writes", n, writes_of, file)],
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


def _valid_variant(recheck: Recheck, placements: Placements, cached: tuple[Variant, ...], own: tuple[str, int]) -> list[WriteEvent] | None:
    """The events of the first cached variant whose fingerprint still holds, placed where their
    declarations are now; None when none holds."""
    for variant in cached:
        if recheck.holds(variant, own):
            events = placements.events(variant)
            if events is not None:
                return events
    return None
