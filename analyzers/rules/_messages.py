"""Wording shared by the flow rules: what a write is, and why the map is nil there."""
from __future__ import annotations

from analyzers.flow.events import WriteEvent
from analyzers.flow.values import NIL
from analyzers.model import Severity


def severity_of(event: WriteEvent) -> Severity:
    """Error when the map is nil on every path to the write, warning when on some."""
    return Severity.ERROR if event.val.bits == NIL else Severity.WARNING


def why_nil(event: WriteEvent) -> str:
    origin = event.val.origin
    return origin.description if origin is not None else "nil on some path"


def write_message(event: WriteEvent, noun: str = "map") -> str:
    """`write to nil map `m`: declared at line 9 without make`, and the may-be-nil forms."""
    target = f"`{event.target}`"
    action = f"call of `{event.via_method}` writes to" if event.via_method else "write to"
    if event.val.bits == NIL:
        return f"{action} nil {noun} {target}: {why_nil(event)}"
    when = event.val.when
    if when is not None and not when[0].startswith("<"):
        condition, survives = when
        state = "true" if survives else "false"
        return f"{action} {noun} {target} that is nil when `{condition}` is {state}: {why_nil(event)}"
    return f"{action} {noun} {target} that may be nil: {why_nil(event)}"


def loop_carried(event: WriteEvent) -> bool:
    """A may-be-nil write inside the loop whose first round alone leaves the map nil."""
    when = event.val.when
    if event.val.bits == NIL or when is None or not when[0].startswith("<loop:"):
        return False
    _, start, end = when[0].rstrip(">").split(":")
    return int(start) <= event.node.start_byte < int(end)
