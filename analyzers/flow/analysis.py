"""The shared flow analysis of a package: every function of the target files, run once.

Rules ask for it through `Pass.result_of("flow", analyze)` so NM001–NM004 share one run.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from analyzers.flow.events import WriteEvent
from analyzers.flow.interpreter import Interpreter
from analyzers.flow.summaries import PackageFlow
from analyzers.parsing import text

log = logging.getLogger("nilmap")


@dataclass
class FlowResult:
    flow: PackageFlow
    events: list[WriteEvent] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def function_name(node) -> str:
    name = node.child_by_field_name("name")
    if node.type == "method_declaration":
        receiver = node.child_by_field_name("receiver")
        return f"{text(receiver) if receiver is not None else ''}.{text(name) if name is not None else ''}"
    return text(name) if name is not None else ""


def analyze(pass_) -> FlowResult:
    flow = PackageFlow(pass_.package)
    result = FlowResult(flow)
    prefilter = flow.prefilter()
    # Every file of the package, not only the ones reported on: a construction in one file
    # may reach a write in another, and both ends are reported.
    for file in [pass_.package.files[p] for p in sorted(pass_.package.files)]:
        with_writes = prefilter.functions_with_writes(file)
        for node in file.tree.root_node.named_children:
            if node.start_byte not in with_writes:
                continue
            if not prefilter.has_source(file.source[node.start_byte : node.end_byte], _has_named_results(node)):
                continue
            try:
                interpreter = Interpreter(flow, file, node, function_name(node))
                result.events.extend(interpreter.run().values())
            except RecursionError:
                log.warning("%s: %s is nested too deeply to analyse", file.path, function_name(node))
            except Exception as exc:  # a bug must cost one function's findings, not the package's
                log.exception("analysis of %s in %s failed", function_name(node), file.path)
                pass_.fail(f"{file.path}: {function_name(node)}: {exc!r}")
    return result


def _has_named_results(node) -> bool:
    result = node.child_by_field_name("result")
    if result is None or result.type != "parameter_list":
        return False
    return any(d.child_by_field_name("name") is not None for d in result.named_children)
