"""What the interpreter reports to the rules: writes into maps that may be nil."""
from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from analyzers.flow.values import Condition, Val, When


@dataclass(frozen=True)
class WriteEvent:
    """A write into the map `target` while it holds `val`.

    `node` is the written expression (`m[k]`, or the call `h.Set(...)`), `statement` the
    statement holding it (where a guard would go), `map_type` the map's type text when known.
    `nested` is true when the map is itself an element of a map (`m[a]` in `m[a][b] = v`).
    """

    path: str
    node: Node
    statement: Node
    target: str
    target_path: tuple
    map_type: str
    type_text: str  # the map's type as declared (`Set`, `map[string]int`), for fixes
    val: Val
    nested: bool
    via_method: str = ""
    owner_type: str = ""  # the type of the value holding the written map field
    root_type: str = ""  # the type of the variable the written path starts from
    through_map_element: bool = False  # the path crosses `m[k].f`, which cannot be assigned
    callee: WriteEvent | None = None  # for a write inside a called method: that method's write
    reached: When | None = None  # when summarising: the conditions under which the write runs
    by_option: bool = False  # a call applying a functional option (`opt(b)`), `callee` its write
    # For a call handed a nil map: the callee's conditions for its write that this call leaves
    # open (`event.Type == 2` of a switch case in the callee); the write may not run at all.
    open_conditions: Condition | None = None
