"""What a run of one function body keeps besides the environment: its variables, the
targets of `break`, `continue`, `return` and `goto`, and what it returns."""
from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from analyzers.flow.events import WriteEvent
from analyzers.flow.paths import Path
from analyzers.flow.values import Val

Env = dict  # Path -> Val; a missing path is derived from its parent (see `Core.lookup`)


@dataclass
class Var:
    """A variable declared in the function (parameters and receiver included)."""

    key: str  # `name@offset`: distinct for every declaration, shadowed or not
    name: str
    type_text: str
    node: Node | None = None
    closure: Node | None = None  # a func literal bound to this variable
    # the pointer this one is a second name of (`pointer_aliases`): a local, a package pointer
    # that no code but init() points elsewhere, or an element of a local collection (`all[1]`)
    same_as: Path | None = None


@dataclass
class Frame:
    """A target of `break` (and of `continue` for loops)."""

    kind: str  # "loop", "switch" or "select"
    label: str | None
    breaks: list[Env | None] = field(default_factory=list)
    continues: list[Env | None] = field(default_factory=list)


@dataclass
class Returned:
    """One value a `return` gives: the value and what it holds below it (a literal's fields)."""

    val: Val
    children: dict[tuple, Val]


@dataclass
class FuncContext:
    """Per function body (or inlined closure): where `return` and `goto` go."""

    returns: list[Env] = field(default_factory=list)
    return_defers: list[int] = field(default_factory=list)  # per `return`, the defers registered before it
    # The states at writes that may panic, by the defers registered before them: a panic
    # runs those deferred calls too, from where it happened.
    panics: dict[int, Env] = field(default_factory=dict)
    # Deferred closures, with the scopes they were deferred in and the `if` conditions (and
    # which way each went) on the path to their `defer`.
    defers: list[tuple[Node, list[dict[str, Var]], tuple[tuple[Node, bool], ...]]] = field(default_factory=list)
    deferred_writes: dict[tuple, WriteEvent] = field(default_factory=dict)  # of `defer put(m, k)`: made at the exit
    frames: list[Frame] = field(default_factory=list)
    gotos: dict[str, Env | None] = field(default_factory=dict)
    prev_gotos: dict[str, Env | None] = field(default_factory=dict)
    results: list[Var] = field(default_factory=list)  # named result Vars
    return_values: list[list[Returned]] = field(default_factory=list)  # per `return`, its values
    # The kept runs of the loops of this body, by what else they depend on (see `loop_runs`).
    loop_runs: dict[tuple, list] = field(default_factory=dict)
