"""What the interpreter may ask about the package around the function it runs.

The interpreter is handed an object with this interface (`summaries.PackageFlow` in the
analysis, a stub in tests); it never imports the code that computes the answers, which
itself runs the interpreter on other functions. So imports go one way: the facts know the
interpreter, the interpreter knows only this protocol.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from tree_sitter import Node

from analyzers.flow.answer_order import AnswerOrder
from analyzers.flow.decoded import Decoded
from analyzers.flow.events import WriteEvent
from analyzers.flow.exit_paths import ExitPath
from analyzers.flow.known_values import Known
from analyzers.flow.paths import Path
from analyzers.flow.syntax_index import SyntaxIndex
from analyzers.flow.types import TypeView
from analyzers.flow.values import Effect, OriginKind, Val
from analyzers.index import PackageIndex, VarDecl


@dataclass
class MethodSummary:
    """What calling a method does to the map fields of its receiver."""

    name: str
    writes: dict[tuple, WriteEvent] = field(default_factory=dict)  # relative path -> the write, as on entry
    effects: dict[tuple, Effect] = field(default_factory=dict)  # relative path -> what the method does to it
    escapes: bool = False  # the method hands its receiver to code we cannot follow
    pointer_receiver: bool = False  # `func (t *T)`: called on an addressable `t`, it gets `&t`
    constants: dict[tuple, bool] = field(default_factory=dict)  # relative path -> the boolean it is set to
    # Where the method returns a nil error (its last result), what it does beyond `effects`:
    # `if err := t.Init(); err != nil { return err }` leaves what Init makes on success made.
    success_effects: dict[tuple, Effect] = field(default_factory=dict)
    receiver: str | None = None  # the receiver's key in the method, and its parameters' by position,
    parameters: tuple[str | None, ...] = ()  # which the conditions of its writes name
    # For a field it changes on some paths only (`Effect.MAYBE`): each way out with its facts,
    # so a call whose values refute some of them knows the effect (`exit_paths`).
    exit_paths: dict[tuple, tuple[ExitPath, ...]] = field(default_factory=dict)
    # Which declaration and place it summarises: (receiver type or "", name, the pointer
    # parameter's position or -1 for the receiver), to ask what it leaves in a place handed in
    # nil (`PackageFacts.left_when_nil`); None when it cannot be asked.
    source: tuple[str, str, int] | None = None


@dataclass
class FunctionSummary:
    """Which map parameters a same-package function writes as they came in (nil ones panic)."""

    name: str
    writes: dict[int, WriteEvent] = field(default_factory=dict)  # parameter position -> its first write
    parameters: tuple[str | None, ...] = ()  # the parameters' keys by position, which the writes' conditions name


@dataclass
class FunctionResult:
    """What a same-package function returns (its first result)."""

    val: Val
    children: dict[tuple, Val]
    # A map result made on every return with a nil error, nil beside every error (`return nil,
    # err`): nil exactly where the call's error is not nil (see `calls.multi_result`).
    made_past_error: bool = False


@dataclass(frozen=True)
class NilPredicate:
    """A method whose body is `return r.f != nil` (or `== nil`): calling it tests that field."""

    fields: tuple[str, ...]
    nil_when_true: bool


class PackageFacts(Protocol):
    """The package-wide answers the interpreter needs."""

    @property
    def package(self) -> PackageIndex: ...

    @property
    def answer_order(self) -> AnswerOrder:
        """Which of the package's answers a recursion guard reached (`answer_order`)."""
        ...

    def never_returns(self, name: str, receiver_type: str = "") -> bool: ...

    def left_when_nil(self, source: tuple[str, str, int], rel: tuple, came_nil: bool = True) -> Val | None: ...

    def left_as_made(self, source: tuple[str, str, int], rel: tuple) -> bool: ...

    @property
    def types(self) -> TypeView: ...

    @property
    def package_vars(self) -> dict[str, VarDecl]: ...

    @property
    def structs_with_maps(self) -> frozenset[str]:
        """Same-package structs holding a map, directly or in a struct-valued field."""

    @property
    def never_set_ranged(self) -> frozenset[tuple[str, str]]:
        """(struct, field) of the package's unexported map and slice fields no code of the
        package sets (nil in every value of the struct) and some `range` walks (`unset_fields`)."""

    @property
    def parameter_writers(self) -> frozenset[str]:
        """Same-package functions whose text writes one of their map parameters."""

    @property
    def decoded_types(self) -> frozenset[str]:
        """Struct types the package decodes (another package's by its written name)."""

    def package_var_type(self, name: str) -> str:
        """The type of a package-level variable: declared, or of its initialiser."""
        ...

    def result_by_argument(self, name: str) -> tuple[int, bool] | None:
        """(position, truth) of the bool parameter that decides whether function `name` returns nil."""

    def result_following_argument(self, name: str) -> int | None:
        """The position of the map argument whose nil function `name` returns (nil only then)."""

    def constant_slice(self, name: str) -> tuple[str, ...] | None:
        """The literal elements of package slice `name` when no code changes it."""

    def constant_fields(self, name: str) -> dict[str, str]:
        """The literal fields of package struct `name` when no code sets a field of it."""

    def package_pointer_fixed(self, name: str) -> bool:
        """Whether package-level pointer `name` points to one struct once init() has run: unexported,
        and no other code assigns it or takes its address."""

    def package_var_entry(self, name: str, func: Node) -> Val | None:
        """The value of package-level `name` when `func` starts."""

    def package_var_field_entry(self, name: str, field: str, func: Node) -> Val | None:
        """The value of map field `field` of package-level struct `name` when `func` starts, when
        known apart from the struct's own (None: derived from it)."""

    def package_paths_set_by(self, call: Node, func: Node) -> list[Path]:
        """Package maps and struct fields `func` starts with as known that `call` may change."""

    def returned_parameter(self, name: str) -> int | None:
        """The position of the map parameter same-package function `name` returns unchanged."""

    def function_result(self, name: str) -> FunctionResult | None:
        """What same-package function `name` returns, when it returns a map or a struct."""

    def error_never_nil(self, name: str) -> bool:
        """Whether same-package function `name`, whose only result is an `error`, returns a
        non-nil one on every path."""

    def method_result(self, type_name: str, method: str) -> FunctionResult | None:
        """What a same-package method returns, when it returns a struct."""

    def bound_argument(self, name: str, position: int) -> bool | Known | None:
        """The `bool`, `string` or `int` literal every call of unexported function `name` passes
        at `position`, when the body never sets that parameter."""

    def bound_length(self, name: str, position: int) -> int | None:
        """The length of the slice every call of unexported function `name` passes at
        `position` (a literal listing its elements, or nil), when the body never sets it."""

    def result_with_bool(self, name: str, position: int, value: bool) -> FunctionResult | None:
        """What same-package function `name` returns (a struct) when its `bool` parameter at
        `position` is `value`."""

    def map_result_with_nil(self, name: str, position: int) -> Val | None:
        """What same-package function `name` returns (a map not nil on any way out) when it is
        handed nil at `position`."""

    def returns_made_argument(self, name: str, position: int) -> bool:
        """Whether same-package function `name` returns the map it is handed at `position`, when
        that is not nil, storing no entry into it."""

    def function_summary(self, name: str) -> FunctionSummary | None:
        """Which map parameters same-package function `name` writes as they came in."""

    def method_parameter_summary(self, type_name: str, method: str) -> FunctionSummary | None:
        """Which map parameters (not the receiver) same-package method `type_name.method` writes."""

    @property
    def pointer_writers(self) -> frozenset[str]:
        """Same-package functions and methods whose text writes a map through a pointer parameter."""

    @property
    def map_writers(self) -> frozenset[str]:
        """Names of same-package functions and methods that may write a map (`map_writers`)."""

    @property
    def library_writers(self) -> frozenset[str]:
        """Names of library methods a call of which may write a map in this package."""

    @property
    def option_types(self) -> re.Pattern[bytes] | None:
        """The names of the package's functional option types some option of which writes a field."""

    @property
    def pointer_resetters(self) -> frozenset[str]:
        """Same-package functions and methods that may assign nil through a pointer parameter."""

    @property
    def method_parameter_writers(self) -> frozenset[tuple[str, str]]:
        """Same-package methods whose text writes one of their map parameters."""

    def method_summary(self, type_name: str, method: str) -> MethodSummary | None:
        """How a same-package method treats its receiver's maps (None: unknown)."""

    def option_summaries(self, type_text: str) -> tuple[MethodSummary, ...]:
        """What each of the package's functional options of type `type_text` does to the value
        it is applied to (empty: not an option type, or none is built here)."""
        ...

    def pointer_summaries(self, type_name: str, name: str) -> dict[int, MethodSummary]:
        """What a same-package function (`type_name` "") or method does through its pointer
        parameters, by position: only those it neither copies nor hands to code that runs later."""

    def constructions_leaving_out(self, type_name: str, field: str) -> tuple[tuple[str, int, int], ...]:
        """The constructions of the package's struct `type_name` that leave the map `field` nil."""

    def nil_predicate(self, type_name: str, method: str) -> NilPredicate | None:
        """The field a same-package method compares with nil and returns, if that is all it does."""

    def field_getter(self, type_name: str, method: str) -> tuple[str, ...] | None:
        """The receiver's field a same-package method returns, if that is all it does."""

    def stdlib_writes_receiver(self, type_text: str, method: str) -> bool:
        """Whether a method of a standard-library map type writes its receiver (`http.Header.Set`)."""

    def parameter_val(self, type_text: str, node: Node | None, path: str, kind: OriginKind = OriginKind.PARAMETER) -> Val:
        """A parameter or receiver as the function sees it on entry."""

    def decoded_struct(self, type_text: str) -> bool:
        """Whether values of the type (or collections of it) are filled by decoding."""

    def api_type(self, type_text: str, path: str) -> bool:
        """Whether the type (named in the file at `path`) is a Kubernetes-style API type."""

    def decoded_field(self, owner_type: str, field_name: str, path: str) -> Decoded | None:
        """How a field of a decoded value can be nil, or None when it cannot."""

    def carries_external(self, owner_type: str, field_name: str, path: str) -> bool:
        """Whether a non-map field of a fetched value leads on to decoded maps."""

    def handed_to_literal(self, path: str, literal: Node, position: int) -> Val | None:
        """The decoded map a same-package function hands parameter `position` of the func literal
        (in the file at `path`) it is given, or None."""

    def assigned_names(self, path: str, node: Node, include_calls: bool, skip: Node | None = None) -> set[str]:
        """Names assigned under `node` but under `skip` (remembered: closures are asked about many times)."""

    def syntax(self, path: str, node: Node) -> SyntaxIndex:
        """The syntactic facts of the file at `path` (which holds `node`), listed once."""
