"""Wording shared by the flow rules: what a write is, and why the map is nil there."""
from __future__ import annotations

from analyzers.flow.events import WriteEvent
from analyzers.flow.values import NIL, Condition, FirstRound, Origin
from analyzers.model import Severity
from analyzers.rule import Pass

MAX_CONDITION = 120  # longer conditions are left out of messages: "may be nil"


def severity_of(event: WriteEvent) -> Severity:
    """Error when the map is nil on every path to the write and the write runs whenever its
    statement does; warning when the map is nil on some paths, or when a callee handed the
    nil writes it only under conditions the call leaves open."""
    return Severity.ERROR if on_every_path(event) else Severity.WARNING


def on_every_path(event: WriteEvent) -> bool:
    """The map is nil on every path to the write, and the write runs whenever its statement
    does: nothing the analysis cannot see stands between the nil and the panic. NM001 and
    NM002 report these; the writes of a map nil on some paths only are NM008's."""
    return event.val.bits == NIL and event.open_conditions is None


def described(pass_: Pass, origin: Origin) -> str:
    """An origin's description, with the line it starts at."""
    file = pass_.package.files.get(origin.path)
    line = file.lines.line_of(origin.start) + 1 if file is not None else 0
    return origin.describe(line)


def why_nil(pass_: Pass, event: WriteEvent) -> str:
    origin = event.val.origin
    return described(pass_, origin) if origin is not None else "nil on some path"


def write_message(pass_: Pass, event: WriteEvent, noun: str = "map") -> str:
    """`write to nil map `m`: declared at line 9 without make`, and the may-be-nil forms."""
    target = f"`{event.target}`"
    action = f"call of `{event.via_method}` writes to" if event.via_method else "write to"
    if event.val.bits == NIL:
        return f"{action} nil {noun} {target}{_in_callee_when(event)}: {why_nil(pass_, event)}"
    when = event.val.when
    if isinstance(when, Condition) and len(when.render()) <= MAX_CONDITION:
        return f"{action} {noun} {target} that is nil when {when.render()}: {why_nil(pass_, event)}"
    return f"{action} {noun} {target} that may be nil: {why_nil(pass_, event)}"


def _in_callee_when(event: WriteEvent) -> str:
    """` when `event.Type == 2` is true in `render``: the open conditions of a callee's write."""
    opened = event.open_conditions
    if opened is None or len(opened.render()) > MAX_CONDITION:
        return " on some paths of the callee" if opened is not None else ""
    return f" when {opened.render()} in `{event.via_method}`"


def loop_carried(event: WriteEvent) -> bool:
    """A may-be-nil write inside the loop whose first round alone leaves the map nil."""
    when = event.val.when
    return event.val.bits != NIL and isinstance(when, FirstRound) and when.holds(event.node.start_byte)
