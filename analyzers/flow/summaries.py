"""Package-wide facts the interpreter asks for (`facts.PackageFacts`), computed once per
package check, each by running the interpreter on the function it is about:

- what a same-package function returns (always nil, sometimes nil, a struct whose map
  fields a constructor leaves nil);
- method summaries: which map fields of its receiver a method writes as they were on entry
  (with no guard), and which it makes on every path (`Reset`/`init` style), so a call
  `t.Add(k)` on a value built as `&T{}` is followed into the method;
- function summaries: which map parameters a function writes as they came in;
- package variables (`package_vars`), decoded types (`decoded`), the prefilter (`prefilter`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from tree_sitter import Node

from analyzers.flow.answer_order import AnswerOrder
from analyzers.flow.argument_results import bool_parameters, deciding_parameter
from analyzers.flow.cache import code_fact, declaration_fact, placed_fact, placed_keys, type_shapes
from analyzers.flow.callback_values import handed_to_literal
from analyzers.flow.decoded import (
    DECODER_TEXT,
    UNMARSHAL_METHODS,
    WELL_KNOWN_GETTERS,
    Decoded,
    decoding_tag,
    is_api_import,
    is_foreign_type,
    is_metadata_field,
    qualifier,
    tagged_condition,
    well_known_condition,
)
from analyzers.flow.exit_paths import exit_paths
from analyzers.flow.facts import FunctionResult, FunctionSummary, MethodSummary, NilPredicate
from analyzers.flow.frames import Env, Returned
from analyzers.flow.interpreter import Interpreter, Mode
from analyzers.flow.known_values import Known
from analyzers.flow.library import cloned_into
from analyzers.flow.map_writers import library_writers, map_writing_names
from analyzers.flow.nil_following import following_parameter
from analyzers.flow.omitted_fields import Site, constructions_leaving_out
from analyzers.flow.options import OptionInterpreter, option_literals, option_struct
from analyzers.flow.package_vars import PackageVars
from analyzers.flow.paths import FIELD, Local, Path
from analyzers.flow.pointer_params import pointer_parameters, stays_local
from analyzers.flow.prefilter import (
    Prefilter,
    build_prefilter,
    leaves_receiver_alone,
    option_types,
    parameters_of,
    prime_writes,
    writes_of,
)
from analyzers.flow.result_store import PACKAGE_WIDE, ResultStore
from analyzers.flow.syntax import assigned_names, decode_target_types, never_returns, nodes_of_type
from analyzers.flow.syntax_index import SyntaxIndex
from analyzers.flow.types import TypeView, map_value_type, normalise, pointee, receiver_name
from analyzers.flow.unset_fields import never_set_ranged
from analyzers.flow.values import (
    ENTRY,
    EXTERNAL,
    MADE,
    NIL,
    UNKNOWN,
    UNKNOWN_VAL,
    Effect,
    Origin,
    OriginKind,
    Val,
    join,
    join_known,
)
from analyzers.index import STDLIB_WRITING_METHODS, FuncDecl, PackageIndex, VarDecl, type_parameter_names
from analyzers.parsing import text

_NIL_PREDICATE = re.compile(r"^return (\w+)\.(\w+(?:\.\w+)*) (==|!=) nil$")
_FIELD_GETTER = re.compile(r"^return (\w+)\.(\w+(?:\.\w+)*)$")
# `x = nil`, `*p = nil`, `s.m = nil` (not `==`, `!=`, `<=`, `>=`, `:=`). The test of the byte
# before `=` comes after it (`after_no`'s reason): a pattern that starts with a class of bytes
# is tried at every byte of a function's text; one that starts with `=` is tried at its `=`s.
_ASSIGNS_NIL = re.compile(rb"=(?<=[^=!<>:]=)\s*nil\b")
MAX_WRITER_LEVELS = 3  # helpers that hand a map parameter on to a writer, followed this deep


# A map that came in not nil, told apart from any the function makes or is handed (`left_as_made`).
_CAME_MADE = Val(MADE, related=("came in made",))


@dataclass(frozen=True)
class ReturnsRun:
    """What a summarising run of a function saw at its returns: the environment at each, the
    values each gives, and the keys of the parameters as they came in (by position)."""

    returns: list[Env]
    return_values: list[list[Returned]]
    parameters: list[str | None]


class PackageFlow:
    """The package-wide side of the analysis (one per package check)."""

    def __init__(self, package: PackageIndex, store: ResultStore | None = None) -> None:
        self._package = package
        self._store = store  # function results kept across checks (the language server's)
        self._types = TypeView(package)
        self._vars = PackageVars(self)
        self._results: dict[tuple[str, str], FunctionResult | None] = {}
        self._by_argument: dict[str, tuple[int, bool] | None] = {}
        self._following: dict[str, int | None] = {}
        self._error_never_nil: dict[str, bool] = {}
        self._nil_returning_runs: dict[str, ReturnsRun | None] = {}
        self._bound_results: dict[tuple[str, int, bool], FunctionResult | None] = {}
        self._nil_argument_results: dict[tuple[str, int], Val | None] = {}
        self._made_argument_returned: dict[tuple[str, int], bool] = {}
        self._summaries: dict[tuple[str, str], MethodSummary | FunctionSummary | None] = {}
        self._in_progress: set[tuple[str, str]] = set()
        self._assigned: dict[tuple, set[str]] = {}
        self._syntax: dict[tuple[str, int, int], SyntaxIndex] = {}
        self._decoded_structs: dict[str, bool] = {}
        self._options: dict[str, tuple[MethodSummary, ...]] = {}
        self._pointer_summaries: dict[tuple[str, str], dict[int, MethodSummary]] = {}
        self._returned: dict[str, int | None] = {}
        self._never_returns: dict[str, bool] = {}
        self._left_when_nil: dict[tuple, Val | None] = {}
        self._leaving_out: dict[tuple[str, str], tuple[Site, ...]] = {}
        self._asking_left: set[tuple] = set()  # `left_when_nil` questions being answered
        self._order = AnswerOrder()
        self._facts: tuple | None = None
        self._facts_pending = False

    @property
    def package(self) -> PackageIndex:
        return self._package

    def never_returns(self, name: str, receiver_type: str = "") -> bool:
        """Whether the package's function `name` (the method `name` of `receiver_type`, a type
        name of the package) comes back on no path (`syntax.never_returns`), asked once per
        check rather than at every call of it."""
        key = f"{receiver_type}.{name}" if receiver_type else name
        if key not in self._never_returns:
            decl = self._package.methods.get((receiver_type, name)) if receiver_type else self._package.funcs.get(name)
            self._never_returns[key] = decl is not None and never_returns(decl.node)
        return self._never_returns[key]

    def left_when_nil(self, source: tuple[str, str, int], rel: tuple, came_nil: bool = True) -> Val | None:
        """What the function or method `source` names (see `MethodSummary.source`) leaves at
        `rel` below its pointer parameter or receiver on every way out when that place came in
        nil (or, `came_nil` false, holding anything), when it is a map it made empty there
        (`if *p == nil { *p = make(...) }`; `*p = make(...)` whatever came in): the keys it
        stores, every other key's inner map nil. None when it leaves anything else."""
        entry = None if came_nil else UNKNOWN_VAL
        val = self._left_at(source, rel, entry, "nil" if came_nil else "any")
        return val if val is not None and val.bits == MADE and val.zero is not None else None

    def left_as_made(self, source: tuple[str, str, int], rel: tuple) -> bool:
        """Whether the function or method `source` names leaves the place at `rel` below its
        pointer parameter or receiver as it came on every way out when it came in a map that is
        not nil (`if *p == nil { *p = make(...) }` does nothing to it)."""
        val = self._left_at(source, rel, _CAME_MADE, "made")
        return val is not None and val.bits == MADE and val.related is _CAME_MADE.related

    def _left_at(self, source: tuple[str, str, int], rel: tuple, entry: Val | None, kind: str) -> Val | None:
        """What `source` leaves at `rel` on every way out when that place came in holding `entry`
        (None: nil)."""
        key = (source, rel, kind)
        if key in self._left_when_nil:
            self._order.reused(("left-when-nil", key))
            return self._left_when_nil[key]
        if key in self._asking_left:
            self._order.reused(("left-when-nil", key))
            return None  # recursion: nothing is known of it yet
        type_name, name, position = source
        decl = self.package.methods.get((type_name, name)) if type_name else self.package.funcs.get(name)
        found = None
        if decl is not None and decl.body is not None:
            self._asking_left.add(key)
            try:
                with self._order.computing(("left-when-nil", key)):
                    mode = Mode.METHOD_SUMMARY if position < 0 else Mode.POINTER_SUMMARY
                    interpreter = Interpreter(self, self.package.files[decl.path], decl.node, mode, nil_at_entry=(position, rel), entry_val=entry)
                    interpreter.run()
                    keys = interpreter.parameters_at_entry
                    root = interpreter.receiver_key if position < 0 else keys[position] if position < len(keys) else None
                    if interpreter.exit_env is not None and root is not None:
                        found = interpreter.lookup(interpreter.exit_env, (Local(root), *rel))
            finally:
                self._asking_left.discard(key)
        self._left_when_nil[key] = found
        return found

    @property
    def types(self) -> TypeView:
        return self._types

    @property
    def answer_order(self) -> AnswerOrder:
        """Which of this check's answers a recursion guard reached (those are never kept)."""
        return self._order

    @property
    def package_vars(self) -> dict[str, VarDecl]:
        return self._package.vars

    def assigned_names(self, path: str, node: Node, include_calls: bool, skip: Node | None = None) -> set[str]:
        """Names assigned under `node` but under `skip` (cached: closures are asked about many times)."""
        key = (path, node.start_byte, node.end_byte, include_calls, skip.start_byte if skip is not None else -1)
        found = self._assigned.get(key)
        if found is None:
            found = self._assigned[key] = self.syntax(path, node).assigned_names(node, include_calls, skip)
        return found

    def syntax(self, path: str, node: Node) -> SyntaxIndex:
        """The syntactic facts of the top-level declaration of the file at `path` that holds
        `node`, listed on first use and kept with the file's version. Every question is about a
        range under its node, so the declaration's facts answer it: after an edit, listing the
        whole file's again for the one function analysed cost more than its analysis, and a
        file an edit left alone keeps its declarations' facts."""
        top = node
        while top.parent is not None and top.parent.parent is not None:
            top = top.parent
        key = (path, top.start_byte, top.end_byte)
        index = self._syntax.get(key)
        if index is None:
            file = self._package.files.get(path)
            kept = file.memo if file is not None and file.tree.root_node == top.parent else {}  # (a recovered declaration lives in a tree of its own)
            index = kept.get(("syntax", key[1:]))
            if index is None:
                index = kept[("syntax", key[1:])] = SyntaxIndex(top)
            self._syntax[key] = index
        return index

    def prefilter(self) -> Prefilter:
        return build_prefilter(self)

    @cached_property
    def parameter_writers(self) -> frozenset[str]:
        """Same-package functions whose text writes one of their map parameters, directly or
        by handing it to another such function (the candidates for `function_summary`)."""
        for file in self.package.files.values():
            prime_writes(file)  # one query a file; analysing the package needs these anyway

        found = self._typed_keys("map-parameters-True", "funcs", lambda d: self._has_map_parameters(d, True))
        if not found:
            return frozenset()
        map_parameters = self._typed_keys("map-parameters-False", "funcs", lambda d: self._has_map_parameters(d, False))
        for _ in range(MAX_WRITER_LEVELS):
            if not found:
                break
            calls = re.compile(rb"(?<![\w\x80-\xff.])(?:" + b"|".join(re.escape(w.encode()) for w in sorted(found)) + rb")\s*\(")
            more = {name for name in map_parameters - found if calls.search(self.package.funcs[name].node.text or b"")}
            if not more:
                break
            found |= more
        return frozenset(found)

    @cached_property
    def _types_signature(self) -> int:
        """The package's type and import declarations by their tokens, without the names of
        struct fields (`shape_hash`): what a declaration's answers about types (is this
        parameter a map? does this struct hold one?) read besides its own text. Answers are
        kept by both, so a re-check asks them only of the declarations an edit changed."""
        return hash(frozenset((path, type_shapes(file)) for path, file in self.package.files.items()))

    def _typed_keys(self, kind: str, attribute: str, compute: Callable[[FuncDecl], bool]) -> set:
        """The keys of the package's `attribute` (`funcs` or `methods`) whose declaration an
        answer that reads its text and the package's types holds for (`placed_keys`)."""
        return placed_keys(self.package, f"{kind}-{self._types_signature}", attribute, compute)

    def _typed_names(self, kind: str, compute: Callable[[FuncDecl], bool]) -> frozenset[str]:
        """The names of the package's functions and methods an answer that reads their text and
        the package's types holds for."""
        funcs, methods = self.package.funcs, self.package.methods
        return frozenset(
            {funcs[key].name for key in self._typed_keys(kind, "funcs", compute)} | {methods[key].name for key in self._typed_keys(kind, "methods", compute)}
        )

    def _has_map_parameters(self, decl: FuncDecl, written_only: bool) -> bool:
        file = self.package.files.get(decl.path)
        parameters = declaration_fact("parameters", decl.node, parameters_of, file)
        roots: set[str] = set()
        if written_only:
            # `m[k] = v`, and `m.Set(k, v)` on a map type of the standard library that writes its receiver.
            writes = code_fact("writes", decl.node, writes_of, file)
            roots = {root for root, method in writes if not method or self.stdlib_writes_receiver(normalise(parameters.get(root, "")), method)}
            if not roots:
                return False
        if written_only:
            roots |= cloned_into(decl.node.text or b"", roots)  # `c := maps.Clone(m); c[k] = v` writes m's nil
        return any(self.types.is_map(t) for p, t in parameters.items() if (not written_only or p in roots) and p != decl.receiver_name)

    @cached_property
    def pointer_writers(self) -> frozenset[str]:
        """Names of same-package functions and methods whose text writes a map reached through
        one of their pointer parameters (`(*p)[k] = v`, `s.items[k]++`): calls of them are
        candidates for a finding in the caller (a nil handed in by address)."""
        return self._typed_names(f"pointer-writer-{hash((self.map_writers, self.library_writers))}", self._writes_through_pointer)

    def _writes_through_pointer(self, decl: FuncDecl) -> bool:
        # (`p.mu.Lock()` on a pointer parameter writes no map: only a method that may write one counts)
        writes = code_fact("writes", decl.node, writes_of, self.package.files.get(decl.path))
        roots = {root for root, method in writes if not method or method in self.map_writers or method in self.library_writers}
        return bool(roots) and any(name in roots for name, _ in pointer_parameters(decl.node, self._reaches_maps).values())

    @cached_property
    def option_types(self) -> re.Pattern[bytes] | None:
        """The names of the package's functional option types some option of which writes a field."""
        return option_types(self)

    @cached_property
    def map_writers(self) -> frozenset[str]:
        """Names of same-package functions and methods that may write a map (`map_writers`)."""
        return map_writing_names(self.package, self.option_types, self.library_writers)

    @cached_property
    def library_writers(self) -> frozenset[str]:
        """Names of library methods a call of which may write a map here (`map_writers`)."""
        return library_writers(self.package)

    @cached_property
    def pointer_resetters(self) -> frozenset[str]:
        """Names of same-package functions and methods that may assign nil through a pointer
        parameter (`*p = nil`, `s.items = nil`): a call of one is a source of nil."""
        return self._typed_names("pointer-resetter", self._resets_through_pointer)

    def _resets_through_pointer(self, decl: FuncDecl) -> bool:
        if decl.body is None or not _ASSIGNS_NIL.search(decl.body.text or b""):
            return False
        return bool(pointer_parameters(decl.node, self._reaches_maps))

    @cached_property
    def method_parameter_writers(self) -> frozenset[tuple[str, str]]:
        """Same-package methods whose text writes one of their map parameters (not the receiver)."""
        return frozenset(self._typed_keys("map-parameters-True", "methods", lambda d: self._has_map_parameters(d, True)))

    @cached_property
    def structs_with_maps(self) -> frozenset[str]:
        """Same-package structs holding a map, directly or in a struct-valued field."""
        found: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, struct in self.package.structs.items():
                if name in found:
                    continue
                for f in struct.fields:
                    inner = pointee(normalise(f.type_text)) if f.embedded else normalise(f.type_text)
                    if self.types.is_map(f.type_text) or inner in found or self.types.is_zero_container(f.type_text):
                        found.add(name)
                        changed = True
                        break
        return frozenset(found)

    # ------------------------------------------------------------------ package variables
    def package_var_type(self, name: str) -> str:
        """The type of a package-level variable: declared (`var g *T`), or that of its
        initialiser as far as it tells (`var g = &T{}`, `var g = newT()`)."""
        decl = self.package.vars.get(name)
        if decl is None:
            return ""
        if decl.type_text:
            return normalise(decl.type_text)
        return self._initialiser_type(decl.value)

    def _initialiser_type(self, value: Node | None) -> str:
        while value is not None and value.type == "parenthesized_expression" and value.named_child_count == 1:
            value = value.named_children[0]
        if value is None:
            return ""
        if value.type == "composite_literal":
            type_node = value.child_by_field_name("type")
            return normalise(text(type_node)) if type_node is not None else ""
        if value.type == "unary_expression" and text(value).startswith("&"):
            inner = self._initialiser_type(value.child_by_field_name("operand"))
            return "*" + inner if inner else ""
        if value.type == "call_expression":
            function = value.child_by_field_name("function")
            arguments = value.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
            name = text(function) if function is not None else ""
            if name in ("new", "make") and first is not None:
                return ("*" if name == "new" else "") + normalise(text(first))
            decl = self.package.funcs.get(name)
            if function is not None and function.type == "identifier" and decl is not None and decl.result_types:
                return normalise(decl.result_types[0])
        if value.type == "type_conversion_expression":
            type_node = value.child_by_field_name("type")
            return normalise(text(type_node)) if type_node is not None else ""
        return ""

    def constant_slice(self, name: str) -> tuple[str, ...] | None:
        return self._vars.constant_slices.get(name)

    def constant_fields(self, name: str) -> dict[str, str]:
        return self._vars.constant_fields.get(name, {})

    def bound_argument(self, name: str, position: int) -> bool | Known | None:
        return self._vars.bound_arguments.get((name, position))

    def bound_length(self, name: str, position: int) -> int | None:
        return self._vars.bound_lengths.get((name, position))

    def package_pointer_fixed(self, name: str) -> bool:
        return self._vars.pointer_fixed(name)

    def package_var_entry(self, name: str, func: Node) -> Val | None:
        return self._vars.entry(name, func)

    def package_var_field_entry(self, name: str, field: str, func: Node) -> Val | None:
        return self._vars.field_entry(name, field, func)

    def package_paths_set_by(self, call: Node, func: Node) -> list[Path]:
        """Package maps and struct fields `func` starts with as known that `call` may change."""
        return self._vars.paths_set_by(call, func)

    @property
    def nil_package_vars(self) -> frozenset[str]:
        return self._vars.nil_names

    def _kept_facts(self) -> tuple:
        """The package facts a kept function result depends on besides what it reaches by name,
        as the per-function cache's key has them. They ask for function results themselves:
        those are kept as depending on the whole package's tokens (`PACKAGE_WIDE`)."""
        if self._facts is None:
            if self._facts_pending:
                return PACKAGE_WIDE
            self._facts_pending = True
            try:
                self._facts = self.key_facts()
            finally:
                self._facts_pending = False
        return self._facts

    def key_facts(self) -> tuple:
        """The package facts a function's analysis may use besides the declarations it reaches
        by name (which packages variables are nil, which types are decoded, which fields no
        code sets): part of every per-function cache key."""
        return (self.nil_package_vars, self.decoded_types, self.never_set_ranged)

    @cached_property
    def never_set_ranged(self) -> frozenset[tuple[str, str]]:
        """(struct, field) of the package's unexported map and slice fields no code sets and
        some `range` walks (`unset_fields`)."""
        return never_set_ranged(self.package)

    # ------------------------------------------------------------------ function results
    def function_result(self, name: str) -> FunctionResult | None:
        """What same-package function `name` returns (its first result), for maps and structs
        (of this package, or API objects of another)."""
        return self._result_of(self.package.funcs.get(name), ("", name), maps=True)

    def result_by_argument(self, name: str) -> tuple[int, bool] | None:
        """(position, truth) of the `bool` parameter that decides whether same-package function
        `name`, which may return nil, does: nil where it is `truth`, made where it is not."""
        if name in self._by_argument:
            self._order.reused(("by-argument", name))
            return self._by_argument[name]
        with self._order.computing(("by-argument", name)):
            self._by_argument[name] = None  # recursion guard
            decl = self.package.funcs.get(name)
            run = self._nil_returning_run(name) if decl is not None and bool_parameters(decl.node) else None
            if decl is not None and run is not None:
                values = [returned[0].val for returned in run.return_values if returned]
                self._by_argument[name] = deciding_parameter(decl.node, run.returns, values)
        return self._by_argument[name]

    def error_never_nil(self, name: str) -> bool:
        """Whether same-package function `name`, whose only result is an `error`, returns a
        non-nil error on every path (`return ErrorResponse{...}`, `return errResp` of a struct
        variable, `errors.New(...)`, or another such function's call): an interface holding a
        value of a concrete type is never nil, so a caller's `return T{}, newErr(...)` is a
        failure's return, which callers check before they use the `T`."""
        if name in self._error_never_nil:
            self._order.reused(("error-never-nil", name))
            return self._error_never_nil[name]
        with self._order.computing(("error-never-nil", name)):
            self._error_never_nil[name] = False  # recursion guard
            decl = self.package.funcs.get(name)
            if decl is not None and decl.body is not None and [normalise(t) for t in decl.result_types] == ["error"]:
                interpreter = Interpreter(self, self.package.files[decl.path], decl.node, Mode.FUNCTION_SUMMARY)
                interpreter.run()
                values = interpreter.ctx.return_values
                self._error_never_nil[name] = bool(values) and all(len(returned) == 1 and returned[0].val.bits == MADE for returned in values)
        return self._error_never_nil[name]

    def result_following_argument(self, name: str) -> int | None:
        """The position of the map parameter whose nil same-package function `name`, which may
        return nil, returns: nil only where that argument is nil, made elsewhere."""
        if name in self._following:
            self._order.reused(("following", name))
            return self._following[name]
        with self._order.computing(("following", name)):
            self._following[name] = None  # recursion guard
            decl = self.package.funcs.get(name)
            run = self._nil_returning_run(name)
            if decl is not None and decl.body is not None and run is not None:
                assigned = assigned_names(decl.body)
                keys = [key if key is not None and key.split("@", 1)[0] not in assigned else None for key in run.parameters]
                values = [returned[0].val if returned else UNKNOWN_VAL for returned in run.return_values]
                self._following[name] = following_parameter(keys, run.returns, values)
        return self._following[name]

    def _nil_returning_run(self, name: str) -> ReturnsRun | None:
        """A summarising run of same-package function `name` when it may return nil and may
        return a map (what each `return` gives, under which facts), shared by the questions
        above; None for any other function."""
        if name in self._nil_returning_runs:
            self._order.reused(("nil-returning-run", name))
            return self._nil_returning_runs[name]
        with self._order.computing(("nil-returning-run", name)):
            self._nil_returning_runs[name] = None  # recursion guard
            decl = self.package.funcs.get(name)
            result = self.function_result(name)
            if decl is not None and result is not None and result.val.bits & NIL and result.val.bits != NIL:
                interpreter = Interpreter(self, self.package.files[decl.path], decl.node, Mode.FUNCTION_SUMMARY)
                interpreter.run()
                self._nil_returning_runs[name] = ReturnsRun(interpreter.ctx.returns, interpreter.ctx.return_values, interpreter.parameters_at_entry)
        return self._nil_returning_runs[name]

    def method_result(self, type_name: str, method: str) -> FunctionResult | None:
        """What a same-package method returns (its first result) when that is a struct (of this
        package, or an API object of another): what its fields hold, for a caller's use."""
        return self._result_of(self.package.methods.get((type_name, method)), (type_name, method), maps=False)

    def _result_of(self, decl: FuncDecl | None, key: tuple[str, str], maps: bool) -> FunctionResult | None:
        if decl is None or not decl.result_types:
            return None
        first = normalise(decl.result_types[0])
        is_map = self.types.is_map(first)
        if is_map and not maps:
            return None
        if not is_map and self.types.struct_name(first) is None and not self.api_type(first, decl.path):
            return None
        if key in self._results:
            self._order.reused(("result", key))
            return self._results[key]
        facts = self._kept_facts() if self._store is not None else PACKAGE_WIDE
        kept = self._store.key(decl, (key, maps), facts) if self._store is not None else None
        if kept is not None and self._store is not None:
            found, result = self._store.get(kept, decl)
            if found:
                self._results[key] = result
                return result
        self._results[key] = None  # recursion guard
        with self._order.computing(("result", key)):
            self._results[key] = self._compute_result(decl, is_map, len(decl.result_types))
        if kept is not None and self._store is not None and not self._order.depends_on_order(("result", key)):
            self._store.put(kept, decl, self._results[key], package_wide=facts is PACKAGE_WIDE)
        return self._results[key]

    def result_with_bool(self, name: str, position: int, value: bool) -> FunctionResult | None:
        """What same-package function `name`, which returns a struct or a map, returns when its
        `bool` parameter at `position` is `value` (`newStoreIf(false)`, `maybeGroups(true)`):
        the body run with that parameter bound, so a map field it makes only `if ok` is nil
        for the caller, and a map it makes empty has no key."""
        key = (name, position, value)
        if key in self._bound_results:
            self._order.reused(("bound-result", key))
            return self._bound_results[key]
        decl = self.package.funcs.get(name)
        self._bound_results[key] = None  # recursion guard
        if decl is None or decl.body is None or not decl.result_types or position not in bool_parameters(decl.node).values():
            return None
        is_map = self.types.is_map(normalise(decl.result_types[0]))
        if not is_map and self.types.struct_name(normalise(decl.result_types[0])) is None:
            return None
        with self._order.computing(("bound-result", key)):
            bound = Val(UNKNOWN, constant=value)
            self._bound_results[key] = self._compute_result(decl, is_map, len(decl.result_types), nil_at_entry=(position, ()), entry_val=bound)
        return self._bound_results[key]

    def map_result_with_nil(self, name: str, position: int) -> Val | None:
        """What same-package function `name`, which returns a map, returns when it is handed nil
        at `position` (`withMade(nil)`): the body run with that parameter nil, when it returns a
        map that is not nil on any way out (`if m == nil { m = make(...) }; return m` gives the
        empty map it made). None otherwise: a nil result is the argument's own, told at the call."""
        key = (name, position)
        if key in self._nil_argument_results:
            self._order.reused(("nil-argument-result", key))
            return self._nil_argument_results[key]
        decl = self.package.funcs.get(name)
        self._nil_argument_results[key] = None  # recursion guard
        if decl is None or decl.body is None or len(decl.result_types) != 1 or not self.types.is_map(normalise(decl.result_types[0])):
            return None
        parameters = decl.node.child_by_field_name("parameters")
        if parameters is None or any(p.type == "variadic_parameter_declaration" for p in parameters.named_children):
            return None
        with self._order.computing(("nil-argument-result", key)):
            result = self._compute_result(decl, True, 1, nil_at_entry=(position, ()))
            made = result.val if result is not None and result.val.bits == MADE else None
            self._nil_argument_results[key] = made
        return made

    def returns_made_argument(self, name: str, position: int) -> bool:
        """Whether same-package function `name`, handed a map that is not nil at `position`,
        returns that very map on every way out and stores no entry into it (`if m == nil { m =
        make(...) }; return m` handed a made map): the call's value is the argument's."""
        key = (name, position)
        if key in self._made_argument_returned:
            self._order.reused(("made-argument-returned", key))
            return self._made_argument_returned[key]
        decl = self.package.funcs.get(name)
        self._made_argument_returned[key] = False  # recursion guard
        if decl is None or decl.body is None or name in self.parameter_writers or len(decl.result_types) != 1:
            return False
        parameters = decl.node.child_by_field_name("parameters")
        if not self.types.is_map(normalise(decl.result_types[0])) or parameters is None:
            return False
        if any(p.type == "variadic_parameter_declaration" for p in parameters.named_children):
            return False
        with self._order.computing(("made-argument-returned", key)):
            result = self._compute_result(decl, True, 1, nil_at_entry=(position, ()), entry_val=_CAME_MADE)
            same = result is not None and result.val.bits == MADE and result.val.related is _CAME_MADE.related
            self._made_argument_returned[key] = same
        return same

    def _compute_result(
        self, decl: FuncDecl, is_map: bool, arity: int, nil_at_entry: tuple[int, tuple] | None = None, entry_val: Val | None = None
    ) -> FunctionResult | None:
        interpreter = Interpreter(self, self.package.files[decl.path], decl.node, nil_at_entry=nil_at_entry, entry_val=entry_val)
        interpreter.run()
        val: Val | None = None
        children: dict[tuple, Val] | None = None
        paired = arity > 1 and normalise(decl.result_types[-1]) == "error"
        if is_map and arity > 1 and not paired:
            return FunctionResult(UNKNOWN_VAL, {})  # `return nil, false`: callers check the flag
        failures = 0
        for results in interpreter.ctx.return_values:
            if not results:
                continue
            if paired and len(results) == arity and _failure_pair(results, is_map):
                failures += 1
                continue  # `return nil, err`: callers check the error before they use the map
            returned = results[0]
            if not is_map and returned.val.bits == NIL:
                continue  # a nil pointer: using it fails before any map write
            val = join(val, returned.val)
            if children is None:
                children = dict(returned.children)
            else:
                keys = children.keys() | returned.children.keys()
                children = {
                    k: join_known(children.get(k, self._decoded_child(decl, returned.val, k)), returned.children.get(k, self._decoded_child(decl, returned.val, k)))
                    for k in keys
                }
        if val is None:
            return None
        # A field nil on some paths of the constructor only (`if withGraph { t.g = make(...) }`)
        # depends on its arguments, which the caller knows and we do not: unknown.
        children = {k: (UNKNOWN_VAL if v.bits & NIL and v.bits != NIL else v) for k, v in (children or {}).items()}
        if is_map:
            if arity > 1 and not val.bits & (NIL | EXTERNAL):
                # Made on every return with a nil error (`return nil, err` is left out above): made
                # wherever the caller goes on past its error check.
                return FunctionResult(UNKNOWN_VAL, {}, made_past_error=paired and failures > 0 and val.bits == MADE)
            if val.bits & EXTERNAL and not val.bits & NIL:
                return FunctionResult(replace(val, when=None), {})  # decoded (a YAML `null`): as decoded for the caller
            if val.bits & NIL:
                # What the made map holds by key is not what a nil one gives (nil inner maps).
                children = {}
                where = "returns nil on every path" if val.bits == NIL else "may return nil"
                where += " with a nil error" if arity > 1 else ""
                origin = Origin(OriginKind.FUNCTION, decl.path, decl.node.start_byte, decl.node.end_byte, f"`{decl.name}()` {where}")
                val = Val(val.bits, origin)
        return FunctionResult(val, children)

    def _decoded_child(self, decl: FuncDecl, returned: Val, key: tuple) -> Val:
        """What a field not listed in a returned value holds: a decoded map field of a decoded
        value (`json.Unmarshal(b, out); return out, nil` leaves `out.Items` as decoded), else unknown."""
        if returned.external is None or len(key) != 1 or key[0][0] != FIELD:
            return UNKNOWN_VAL
        decoded = self.decoded_field(normalise(decl.result_types[0]), key[0][1], decl.path)
        if decoded is None:
            return UNKNOWN_VAL
        return Val(EXTERNAL | UNKNOWN, external=replace(returned.external, condition=decoded.condition, type_name=decoded.map_type))

    def returned_parameter(self, name: str) -> int | None:
        """The position of the map parameter a same-package function returns on every path,
        never assigning it (`func withMade(m map[K]V) map[K]V { ...; return m }`): the call's
        value is its argument's."""
        if name not in self._returned:
            self._returned[name] = self._find_returned_parameter(self.package.funcs.get(name))
        return self._returned[name]

    def _find_returned_parameter(self, decl: FuncDecl | None) -> int | None:
        if decl is None or decl.body is None or len(decl.result_types) != 1 or not self.types.is_map(normalise(decl.result_types[0])):
            return None
        literals = nodes_of_type(decl.body, ("func_literal",))
        returns = [
            statement
            for statement in nodes_of_type(decl.body, ("return_statement",))
            if not any(literal.start_byte <= statement.start_byte < literal.end_byte for literal in literals)
        ]
        returned = {text(statement.named_children[0]) if statement.named_children else "" for statement in returns}
        if len(returned) != 1:
            return None
        (parameter,) = returned
        names = [text(n) for d in (decl.node.child_by_field_name("parameters") or decl.node).named_children for n in d.children_by_field_name("name") or [d]]
        if parameter not in names or parameter in assigned_names(decl.body):
            return None
        return names.index(parameter)

    def constructions_leaving_out(self, type_name: str, field: str) -> tuple[Site, ...]:
        """The constructions of the package's struct `type_name` that leave the map `field`
        nil (`omitted_fields`), asked once per check."""
        key = (type_name, field)
        if key not in self._leaving_out:
            self._leaving_out[key] = constructions_leaving_out(self._package, type_name, field)
        return self._leaving_out[key]

    def nil_predicate(self, type_name: str, method: str) -> NilPredicate | None:
        """`IsDir` of `func (r *T) IsDir() bool { return r.Children != nil }`: it tests `Children`."""
        decl = self.package.methods.get((type_name, method))
        body = _single_statement(decl)
        if decl is None or body is None or body.type != "return_statement":
            return None
        match = _NIL_PREDICATE.match(normalise(text(body)))
        if match is None or match.group(1) != decl.receiver_name:
            return None
        return NilPredicate(tuple(match.group(2).split(".")), match.group(3) == "==")

    def field_getter(self, type_name: str, method: str) -> tuple[str, ...] | None:
        """`Labels` of `func (m *T) GetLabels() map[string]string { return m.Labels }`: the
        receiver's field a same-package method returns, if that is all it does."""
        decl = self.package.methods.get((type_name, method))
        body = _single_statement(decl)
        if decl is None or body is None or body.type != "return_statement":
            return None
        match = _FIELD_GETTER.match(normalise(text(body)))
        if match is None or match.group(1) != decl.receiver_name:
            return None
        return tuple(match.group(2).split("."))

    # ------------------------------------------------------------------ methods
    def stdlib_writes_receiver(self, type_text: str, method: str) -> bool:
        methods = STDLIB_WRITING_METHODS.get(pointee(type_text))
        return methods is not None and method in methods

    def method_summary(self, type_name: str, method: str) -> MethodSummary | None:
        """How a same-package method treats its receiver's maps (None: unknown method)."""
        key = (type_name, method)
        if key in self._summaries:
            self._order.reused(key)
            return self._summaries[key]  # type: ignore[return-value]
        if type_name not in self.structs_with_maps and not self.types.is_map(type_name):
            return None
        decl = self.package.methods.get(key)
        if key in self._in_progress:
            self._order.reused(key)
            return None
        self._in_progress.add(key)
        try:
            with self._order.computing(key):
                summary = self._summarise(decl) if decl is not None else self._promoted_summary(type_name, method)
        finally:
            self._in_progress.discard(key)
        self._summaries[key] = summary
        return summary

    def _promoted_summary(self, type_name: str, method: str) -> MethodSummary | None:
        """A method promoted from an embedded struct: its summary, with paths through the field."""
        struct = self.package.struct_of(type_name)
        if struct is None:
            return None
        for f in struct.fields:
            if not f.embedded:
                continue
            inner = self.method_summary(receiver_name(normalise(f.type_text)), method)
            if inner is None:
                continue
            prefix = (("f", f.name),)
            return MethodSummary(
                inner.name,
                {prefix + rel: w for rel, w in inner.writes.items()},
                {prefix + rel: e for rel, e in inner.effects.items()},
                inner.escapes,
                inner.pointer_receiver,
            )
        return None

    def _summarise(self, decl: FuncDecl) -> MethodSummary:
        if leaves_receiver_alone(decl):
            return MethodSummary(decl.name, pointer_receiver=decl.pointer_receiver)
        interpreter = Interpreter(self, self.package.files[decl.path], decl.node, Mode.METHOD_SUMMARY)
        summary = self._receiver_summary(interpreter, decl.name, decl.pointer_receiver)
        summary.source = (decl.receiver_type, decl.name, -1)
        if decl.pointer_receiver and interpreter.receiver_key is not None:
            partly = [rel for rel, effect in summary.effects.items() if effect is Effect.MAYBE]
            summary.exit_paths = exit_paths(
                interpreter.exit_envs, Local(interpreter.receiver_key), partly, interpreter.lookup, interpreter.assigned_paths
            )
        if decl.pointer_receiver and interpreter.exit_env is not None and interpreter.receiver_key is not None:
            succeeded = _exits_without_error(interpreter, decl)
            if succeeded is not None:
                effects, _ = _effects(succeeded, Local(interpreter.receiver_key))
                summary.success_effects = {rel: e for rel, e in effects.items() if summary.effects.get(rel) is not e}
        return summary

    def _receiver_summary(self, interpreter: Interpreter, name: str, pointer_receiver: bool) -> MethodSummary:
        """Run a method (or an option's literal) and say what it does to its receiver."""
        events = interpreter.run()
        summary = MethodSummary(
            name,
            pointer_receiver=pointer_receiver,
            receiver=interpreter.receiver_key,
            parameters=tuple(interpreter.parameters_at_entry),
        )
        if interpreter.receiver_key is None:
            return summary
        receiver = Local(interpreter.receiver_key)
        for event in events.values():
            if event.target_path[0] == receiver and event.val.bits & ENTRY:
                summary.writes.setdefault(event.target_path[1:], event)
        exit_env = interpreter.exit_env
        if exit_env is None:
            return summary
        for rel in list(summary.writes):
            if (receiver, *rel) in interpreter.assigned_paths:
                # The method also assigns the field on some path (`case start: t.m = make(...)`):
                # which path a caller takes is its state's business, so no write is promised.
                del summary.writes[rel]
        root = exit_env.get((receiver,))
        summary.escapes = root is not None and bool(root.bits & UNKNOWN)
        if pointer_receiver:
            summary.effects, summary.constants = _effects(exit_env, receiver)
        return summary

    # ------------------------------------------------------------------ functional options
    def option_summaries(self, type_text: str) -> tuple[MethodSummary, ...]:
        """What each of the package's options of type `type_text` (`Option` of `type Option
        func(*T) error`) does to the value it is applied to, as a method summary named for
        the option's constructor. An option writes only what no other package could have
        made before it runs: a field of an unexported struct, or an unexported field."""
        type_text = normalise(type_text)
        if type_text in self._options:
            self._order.reused(("options", type_text))
            return self._options[type_text]
        with self._order.computing(("options", type_text)):
            return self._compute_option_summaries(type_text)

    def _compute_option_summaries(self, type_text: str) -> tuple[MethodSummary, ...]:
        self._options[type_text] = ()  # recursion guard
        struct = option_struct(type_text, self.package.named_types) if type_text else None
        found: list[MethodSummary] = []
        if struct is not None and struct in self.structs_with_maps:
            for literal in option_literals(self.package, type_text):
                interpreter = OptionInterpreter(self, self.package.files[literal.path], literal.node, Mode.METHOD_SUMMARY)
                summary = self._receiver_summary(interpreter, literal.constructor, pointer_receiver=True)
                summary.writes = {rel: w for rel, w in summary.writes.items() if struct[:1].islower() or _unexported_field(rel)}
                found.append(summary)
        self._options[type_text] = tuple(found)
        return self._options[type_text]

    # ------------------------------------------------------------------ functions
    def function_summary(self, name: str) -> FunctionSummary | None:
        """Which map parameters a same-package function writes as they came in (None: none)."""
        if name not in self.parameter_writers:
            return None
        key = ("func", name)
        if key in self._summaries:
            self._order.reused(key)
            return self._summaries[key]  # type: ignore[return-value]
        if key in self._in_progress:
            self._order.reused(key)
            return None  # recursion: what is known so far is nothing
        self._in_progress.add(key)
        try:
            with self._order.computing(key):
                summary = self._summarise_function(self.package.funcs[name])
        finally:
            self._in_progress.discard(key)
        self._summaries[key] = summary
        return summary

    def method_parameter_summary(self, type_name: str, method: str) -> FunctionSummary | None:
        """Which map parameters (not the receiver) a same-package method writes as they came in."""
        if (type_name, method) not in self.method_parameter_writers:
            return None
        key = ("method-parameters", f"{type_name}.{method}")
        if key in self._summaries:
            self._order.reused(key)
            return self._summaries[key]  # type: ignore[return-value]
        if key in self._in_progress:
            self._order.reused(key)
            return None
        self._in_progress.add(key)
        try:
            with self._order.computing(key):
                summary = self._summarise_function(self.package.methods[(type_name, method)])
        finally:
            self._in_progress.discard(key)
        self._summaries[key] = summary
        return summary

    def _summarise_function(self, decl: FuncDecl) -> FunctionSummary | None:
        interpreter = Interpreter(self, self.package.files[decl.path], decl.node, Mode.FUNCTION_SUMMARY)
        events = interpreter.run()
        positions = {Local(key): i for i, key in enumerate(interpreter.parameters_at_entry) if key is not None}
        summary = FunctionSummary(decl.name, parameters=tuple(interpreter.parameters_at_entry))
        for event in sorted(events.values(), key=lambda e: e.node.start_byte):
            root = event.target_path[0]
            if len(event.target_path) != 1 or root not in positions or not event.val.bits & ENTRY:
                continue
            if (root,) in interpreter.assigned_paths:
                continue  # also assigned on some path (`if m == nil { m = make(...) }`): the caller's state decides
            summary.writes.setdefault(positions[root], event)
        return summary if summary.writes else None

    def pointer_summaries(self, type_name: str, name: str) -> dict[int, MethodSummary]:
        """What a same-package function (`type_name` "") or method does through its pointer
        parameters (`p *map[K]V`, `s *T`), each summarised as a method's receiver is: the maps
        it writes as they came in, the fields it makes, sets to nil or to what we cannot follow;
        the others it leaves as they were. Only parameters it never copies get one."""
        decl = self.package.methods.get((type_name, name)) if type_name else self.package.funcs.get(name)
        if decl is None or decl.body is None or type_parameter_names(decl.node):
            return {}
        key = ("pointers", f"{type_name}.{name}")
        if key in self._pointer_summaries:
            self._order.reused(key)
            return self._pointer_summaries[key]
        if key in self._in_progress:
            self._order.reused(key)
            return {}  # recursion: nothing is known of it yet
        self._in_progress.add(key)
        try:
            with self._order.computing(key):
                found = self._summarise_pointers(decl)
        finally:
            self._in_progress.discard(key)
        self._pointer_summaries[key] = found
        return found

    def _reaches_maps(self, type_text: str) -> bool:
        return self.types.is_map(type_text) or self.types.struct_name(type_text) in self.structs_with_maps

    def _summarise_pointers(self, decl: FuncDecl) -> dict[int, MethodSummary]:
        assert decl.body is not None
        # Another package's API object (`*v1.ResourceRequirements`) holds well-known maps too: a
        # helper that only writes into them leaves the caller's fields as they were.
        # So does a decoded struct of another package of the module (`*terraform.InstanceState`).
        reaches = lambda type_text: self._reaches_maps(type_text) or self.api_type(type_text, decl.path) or self.decoded_struct(pointee(type_text))  # noqa: E731
        candidates = [position for position, (name, _) in pointer_parameters(decl.node, reaches).items() if stays_local(decl.body, name)]
        if not candidates:
            return {}
        interpreter = Interpreter(self, self.package.files[decl.path], decl.node, Mode.POINTER_SUMMARY)
        events = interpreter.run()
        exit_env = interpreter.exit_env
        keys = list(interpreter.parameters_at_entry)
        found: dict[int, MethodSummary] = {}
        for position in candidates:
            key = keys[position] if position < len(keys) else None
            if key is None:
                continue
            root = Local(key)
            held = exit_env.get((root,), UNKNOWN_VAL).bits if exit_env is not None else ENTRY
            if not held & ENTRY or held & UNKNOWN:
                continue  # the pointer itself was handed to code we cannot follow (compared with nil, it is kept)
            summary = MethodSummary(
                decl.name, pointer_receiver=True, receiver=key, parameters=tuple(keys), source=(decl.receiver_type, decl.name, position)
            )
            for event in sorted(events.values(), key=lambda e: e.node.start_byte):
                if event.target_path[0] == root and event.val.bits & ENTRY and (root, *event.target_path[1:]) not in interpreter.assigned_paths:
                    summary.writes.setdefault(event.target_path[1:], event)
            if exit_env is not None:
                effects, summary.constants = _effects(exit_env, root, _kept_by(interpreter))
                # Set on some of its paths only: which one a call takes depends on what it is
                # handed, so the caller's variable becomes unknown, as for code we cannot follow.
                summary.effects = {rel: Effect.ASSIGNED if e is Effect.MAYBE else e for rel, e in effects.items()}
                succeeded = _exits_without_error(interpreter, decl)
                if succeeded is not None:
                    # (Found not nil on every exit with a nil error, a map is made where the call succeeds.)
                    effects, _ = _effects(succeeded, root)
                    summary.success_effects = {rel: e for rel, e in effects.items() if summary.effects.get(rel) is not e}
            found[position] = summary
        return found

    # ------------------------------------------------------------------ decoded values
    def api_type(self, type_text: str, path: str) -> bool:
        """Whether `type_text`, in the file at `path`, names a Kubernetes-style API type of
        another package (by the import path of its qualifier)."""
        if not is_foreign_type(type_text):
            return False
        imports = self.package.facts_of(path).imports if path in self.package.files else {}
        import_path = imports.get(qualifier(type_text))
        if import_path is not None and is_api_import(import_path):
            return True
        return self._object_shaped(type_text.lstrip("*[]").strip())

    def _object_shaped(self, type_text: str) -> bool:
        """A type of another package of the module that carries an API object's metadata: its
        `Labels` or `Annotations` map encoded under `labels` or `annotations` (istio's
        `config.Config`, through its embedded `Meta`), or an embedded `ObjectMeta`."""
        if self.types.struct_of(type_text) is None:
            return False
        for name in WELL_KNOWN_GETTERS.values():
            found = self.types.find_field(type_text, name)
            if found is not None and self.types.is_map(found.type_text) and is_metadata_field(name, found.tag):
                return True
        return self._embeds_object_meta(type_text)

    def parameter_val(self, type_text: str, node: Node | None, path: str, kind: OriginKind = OriginKind.PARAMETER) -> Val:
        """A parameter or receiver: unknown, but a decoded struct's tagged map fields may be nil,
        as may the well-known maps of an API object."""
        if node is not None and (self.decoded_struct(type_text) or self.api_type(type_text, path)):
            origin = Origin(kind, path, node.start_byte, node.end_byte, f"{kind.value} `{text(node)}`")
            return Val(UNKNOWN, external=origin)
        return UNKNOWN_VAL

    def decoded_struct(self, type_text: str) -> bool:
        """A struct with decoding tags that can be decoded, or a collection of them
        (`[]*Item`). A tag says how a type is encoded, not that it is decoded: an unexported type
        counts only when the package decodes it (or a type holding it), or it decodes itself."""
        if type_text not in self._decoded_structs:  # asked for every method's receiver
            self._decoded_structs[type_text] = self._is_decoded_struct(type_text)
        return self._decoded_structs[type_text]

    def _is_decoded_struct(self, type_text: str) -> bool:
        for _ in range(3):
            struct = self.types.struct_of(type_text)
            if struct is not None:
                tagged = any(decoding_tag(f.tag) for f in struct.fields)
                if self.package.structs.get(struct.name) is not struct:
                    # Another package's type: its tags say how it is encoded; it counts as
                    # decoded when this package decodes it (`json.Unmarshal(b, &cfg)`), or its own package does (`config.Load` unmarshals `Config`).
                    return tagged and (_base_name(type_text) in self.decoded_types or self.types.decoded_by_its_package(type_text))
                return tagged and (struct.name[:1].isupper() or struct.name in self.decoded_types)
            type_text = self.types.index_type(type_text)
            if not type_text:
                return False
        return False

    def decoded_field(self, owner_type: str, field_name: str, path: str) -> Decoded | None:
        """How field `field_name` of a value of `owner_type` (named in the file at `path`) can be
        nil after decoding, or None."""
        struct = self.types.struct_of(owner_type)
        if struct is not None:
            found = self.types.find_field(owner_type, field_name)
            if found is None and self._embeds_object_meta(owner_type):
                # A project's own API type (`infrav1.DockerCluster`): its metadata is the API's.
                return well_known_condition(field_name, owner_type)
            if found is None or not self.types.is_map(found.type_text):
                return None
            if not self._decoded_through(owner_type, field_name):
                return None  # promoted from an embedded field that decoding skips (`json:"-"`)
            return tagged_condition(field_name, found.tag)
        if self.api_type(owner_type, path) or not owner_type:
            return well_known_condition(field_name, owner_type)
        return None

    def _embeds_object_meta(self, owner_type: str) -> bool:
        """Whether a struct embeds an API package's `ObjectMeta` (`metav1.ObjectMeta`, whose
        declaration is not read): the shape of a Kubernetes object, with its labels and annotations."""
        struct = self.types.struct_of(owner_type)
        for embedded in struct.fields if struct is not None else ():
            type_text = normalise(embedded.type_text).lstrip("*")
            if embedded.embedded and type_text.endswith(".ObjectMeta") and self.types.struct_of(type_text) is None:
                return True
        return False

    @cached_property
    def decoded_types(self) -> frozenset[str]:
        """Struct types the package decodes: targets of decoder calls (other packages' types by
        their written name, `api.Config`), types with their own Unmarshal methods, and the
        struct types they hold (another package's in its canonical names, `⟦n⟧.Meta`)."""
        found = {self._element_struct(name) for (name, method) in self.package.methods if method in UNMARSHAL_METHODS}
        found &= set(self.package.structs)
        files = self.package.files
        decoding = {path for path, file in files.items() if file.matches(DECODER_TEXT)}  # (no decoder call in a file: no target in it)
        for decl in [*self.package.funcs.values(), *self.package.methods.values(), *self.package.inits]:
            if decl.path in files and decl.path not in decoding:
                continue
            for type_text in placed_fact("decode-targets", decl.node, _decode_targets, files.get(decl.path)):
                name = self._element_struct(self._resolved(type_text))
                if name in self.package.structs or ("." in name and self.types.struct_of(name) is not None):
                    found.add(name)  # this package's struct, or another's by its written name
        queue = list(found)
        while queue:  # what a decoded value holds is decoded with it
            struct = self.types.struct_of(queue.pop())
            for f in struct.fields if struct is not None else ():
                inner = self._element_struct(normalise(f.type_text))
                if inner not in found and self.types.struct_of(inner) is not None:
                    found.add(inner)
                    queue.append(inner)
        return frozenset(found)

    def _element_struct(self, type_text: str) -> str:
        """The struct a type holds: `T` of `*T`, `[]T`, `map[K]T`, through named slices and maps."""
        name = _base_name(type_text)
        for _ in range(4):
            underlying = self.package.named_types.get(name)
            if underlying is None or name in self.package.structs:
                return name
            name = _base_name(normalise(underlying))
        return name

    def _resolved(self, type_text: str) -> str:
        """`x.f` of a decode target names a field: its type, through the receiver or a local."""
        if not type_text.startswith("."):
            return type_text
        owner, _, field = type_text[1:].partition(".")
        return self.types.field_type(owner, field)

    def _decoded_through(self, owner_type: str, field_name: str) -> bool:
        type_text = owner_type
        for step in self.types.promotion_chain(owner_type, field_name):
            embedded = self.types.find_field(type_text, step)
            if embedded is None or re.search(r'\w+:"-"', embedded.tag):
                return False
            type_text = normalise(embedded.type_text)
        return True

    def handed_to_literal(self, path: str, literal: Node, position: int) -> Val | None:
        """The decoded map a same-package function hands the literal's parameter (`callback_values`)."""
        return handed_to_literal(self, self.package.files[path], literal, position) if path in self.package.files else None

    def carries_external(self, owner_type: str, field_name: str, path: str) -> bool:
        """Whether a non-map field of a fetched object leads on to its maps (`pod.Spec.Containers`)."""
        struct = self.types.struct_of(owner_type)
        if struct is not None:
            found = self.types.find_field(owner_type, field_name)
            if found is not None and found.embedded and self.api_type(owner_type, path):
                return True  # an API object's embedded metadata (`c.Meta` of `c.Meta.Annotations`) is the object's
            if found is None or found.embedded:
                return found is not None and self.decoded_struct(found.type_text)
            # The owner was decoded whole: a struct it holds under a decoding key was decoded
            # with it, whether or not that struct is ever decoded on its own.
            return self.decoded_struct(found.type_text) or (decoding_tag(found.tag) is not None and self._tagged_struct(found.type_text))
        return self.api_type(owner_type, path) or not owner_type

    def _tagged_struct(self, type_text: str) -> bool:
        """A struct (or a pointer to one) with decoding tags on its fields."""
        struct = self.types.struct_of(normalise(type_text).lstrip("*"))
        return struct is not None and any(decoding_tag(f.tag) for f in struct.fields)


def _effects(exit_env: dict, receiver: Local, kept: Callable[[tuple, Val], bool] | None = None) -> tuple[dict[tuple, Effect], dict[tuple, bool]]:
    """What a method with a pointer receiver leaves in its receiver's fields: made, set to nil,
    assigned something we cannot follow, or assigned on some paths only; and booleans set to
    a constant. `kept` tells a field that still holds what the caller handed in."""
    effects: dict[tuple, Effect] = {}
    constants: dict[tuple, bool] = {}
    for path, val in exit_env.items():
        if path[0] != receiver or len(path) < 2 or val.bits == ENTRY or (kept is not None and kept(path, val)):
            continue
        if val.bits & ENTRY:
            effects[path[1:]] = Effect.MAYBE  # assigned on some paths only
        elif not val.bits & (NIL | UNKNOWN | EXTERNAL):
            effects[path[1:]] = Effect.MADE
        elif val.bits == NIL:
            effects[path[1:]] = Effect.NIL
        else:
            effects[path[1:]] = Effect.ASSIGNED
        if val.constant is not None:
            constants[path[1:]] = val.constant  # `t.ready = true` on every path
    return effects, constants


def _kept_by(interpreter: Interpreter) -> Callable[[tuple, Val], bool]:
    """Whether a path at the function's exit still holds the caller's value: never assigned (nor
    anything it lies under), only found not nil on some paths by a write into it or a nil test
    (`p.Limits[k] = v` under a condition writes the caller's map; it does not replace it)."""

    def kept(path: tuple, val: Val) -> bool:
        if path not in interpreter.narrowed_paths or val.bits & ~(ENTRY | MADE):
            return False
        return not any(path[:size] in interpreter.assigned_paths for size in range(1, len(path) + 1))

    return kept


def _unexported_field(rel: tuple) -> bool:
    """Whether a path below a value names an unexported field (`.runners`, `.Config.hooks`)."""
    return any(step[0] == "f" and step[1][:1].islower() for step in rel)


def _failure_pair(results: list, is_map: bool) -> bool:
    """Whether a `return` of a function whose last result is an error is a failure's: its
    error is known not nil (`errors.New(...)`), or, for a map result, the map is nil with an
    error that may not be nil (`return nil, err`), which callers check before using the map."""
    error = results[-1].val
    if error.bits == MADE:
        return True
    return is_map and results[0].val.bits == NIL and error.bits != NIL


def _exits_without_error(interpreter: Interpreter, decl: FuncDecl) -> dict | None:
    """The method's exits that may return a nil error, joined (None: it returns no error last)."""
    if not decl.result_types or normalise(decl.result_types[-1]) != "error":
        return None
    returns, values = interpreter.ctx.returns, interpreter.ctx.return_values
    if len(returns) != len(values):
        return None
    kept = [env for env, returned in zip(returns, values, strict=True) if returned and returned[-1].val.bits & (NIL | UNKNOWN)]
    return interpreter.join_all(kept)




def _decode_targets(node: Node) -> tuple[str, ...]:
    """The types a function decodes into (none when its body calls no decoder)."""
    body = node.child_by_field_name("body")
    if body is None or not DECODER_TEXT.search(body.text or b""):
        return ()
    return tuple(decode_target_types(node))


def _base_name(type_text: str) -> str:
    """`T` of `*T`, `[]T`, `[]*T`, `map[K]T`."""
    text_ = type_text.strip()
    while True:
        if text_.startswith("*"):
            text_ = text_[1:].strip()
        elif text_.startswith("[") and "]" in text_:
            text_ = text_[text_.index("]") + 1 :].strip()
        elif text_.startswith("map[") and "]" in text_:
            text_ = map_value_type(text_) or ""
        else:
            return text_


def _single_statement(decl: FuncDecl | None) -> Node | None:
    """The only statement of a method's body, if it has exactly one."""
    if decl is None or decl.body is None:
        return None
    lists = [c for c in decl.body.named_children if c.type == "statement_list"]
    body = [c for c in lists[0].named_children if c.type != "comment"] if lists else []
    return body[0] if len(body) == 1 else None


__all__ = ["FunctionResult", "FunctionSummary", "MethodSummary", "PackageFlow", "Prefilter"]
