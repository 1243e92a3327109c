"""The interpreter's state and the environment: variables and scopes, the access path an
expression denotes, what a path holds (derived from its parent when not listed), joins.

The interpreter is built in layers, each a module that adds one responsibility on top of
the one below: this core, then `narrowing` (conditions), `expressions`, `writes`,
`closures`, `calls`, `statements`, `control` (control flow) and `interpreter` (how a run
starts and what it yields). The few calls that go up a layer (an expression that calls a
function, a closure that runs a block) are declared here and defined where they belong.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import compress, filterfalse
from operator import is_not
from typing import Any

from tree_sitter import Node

from analyzers.flow.constant_keys import (
    FOLDED_KINDS,
    MAX_CALL_DEPTH,
    constructed_field,
    declared_zero_field,
    field_unchanged,
    fold,
    library_constant,
    local_initialiser,
    returned_constant,
    spelled_key,
)
from analyzers.flow.decoded import WELL_KNOWN_GETTERS, is_foreign_type
from analyzers.flow.elements import EACH_ELEMENT, EVERY_ELEMENT, UNLISTED, listed_positions
from analyzers.flow.events import WriteEvent
from analyzers.flow.facts import PackageFacts
from analyzers.flow.frames import Env, FuncContext, Var
from analyzers.flow.known_values import Known, constant_of, zero_of
from analyzers.flow.paths import (
    DEREF,
    DEREF_KIND,
    FIELD,
    IDENTIFIER,
    INDEX,
    MAY_FACTS,
    PARTNER,
    RANGE_COPY,
    RANGE_DIVERGED,
    WRITTEN,
    Global,
    Local,
    Path,
    Relation,
    Root,
    below,
    is_constant_key,
    keys_below,
    with_root_kind,
)
from analyzers.flow.reaching_values import may_run_before, reaching_value, set_out_of_order
from analyzers.flow.syntax import INDEX_KINDS, arguments_of, index_parts, make_length, root_name, strip
from analyzers.flow.types import TypeView, normalise, pointee
from analyzers.flow.values import (
    ENTRY,
    EXTERNAL,
    MADE,
    NIL,
    UNKNOWN,
    UNKNOWN_VAL,
    FirstRound,
    Literal,
    Origin,
    OriginKind,
    Val,
    join,
    join_known,
)
from analyzers.index import FieldDecl
from analyzers.parsing import text
from analyzers.source import SourceFile

_UNSEEN = object()
_WRITTEN = frozenset({WRITTEN})
_ARRAY_LENGTH = re.compile(r"^\[\s*([0-9][0-9_xXa-fA-F]*)\s*\]")  # `[2]T`: an array's length, when a literal
MAX_LISTED_ARRAY = 64  # an array longer than this is not checked element by element


class Mode(enum.Enum):
    """What a run of a function is for."""

    CHECK = "check"  # its findings (and its results and exit environment, for summaries of callers)
    METHOD_SUMMARY = "method-summary"  # the receiver starts as it came in (ENTRY); assignments are noted
    FUNCTION_SUMMARY = "function-summary"  # map parameters start as they came in (ENTRY); assignments are noted
    POINTER_SUMMARY = "pointer-summary"  # pointer parameters start as they came in (ENTRY); assignments are noted


class Core:
    """State of one run of a function body, and the environment's questions."""

    def __init__(self, facts: PackageFacts, file: SourceFile, func: Node, mode: Mode = Mode.CHECK) -> None:
        self.flow = facts
        self.types: TypeView = facts.types.for_file(file.path)
        self.file = file
        self.func = func
        # The code whose start the package variables' entry values are asked for: the function,
        # or an escaping closure's literal while its body runs at a time we do not follow (what
        # the function starts with as declared need not hold then).
        self.entered_at = func
        self.mode = mode
        self.events: dict[tuple, WriteEvent] = {}
        self.scopes: list[dict[str, Var]] = [{}]
        self.vars: dict[str, Var] = {}
        self.inline_depth = 0
        self.ctx = FuncContext()
        self.analysed_closures: set[int] = set()
        self.conditions: dict[int, Node] = {}  # node id -> the condition a `HOLDS` relation names
        self.counters: list[tuple[str, str, Node]] = []  # enclosing `for i := c; ...; i++`: (i, c, loop)
        self.exit_env: Env | None = None
        self.exit_envs: list[Env] = []  # the environment at each way out (`return`s, the end)
        self._paths: dict[int, Path | None] = {}  # node id -> the path it denotes (see `path_of`)
        self._literals: dict[tuple[int, bool], Literal] = {}  # (node id, truth) -> its fact (see `literal_of`)
        # Summaries: the receiver's key, map parameters' keys by position (None for `_`,
        # unnamed or non-map ones), and every path the function assigns anywhere.
        self.receiver_key: str | None = None
        self.parameters_at_entry: list[str | None] = []
        self.assigned_paths: set[Path] = set()
        # Summaries: paths still holding the caller's value, only known not nil past a write
        # or a nil test (what the caller handed in, not something the function stored).
        self.narrowed_paths: set[Path] = set()
        self._reaching: dict[tuple[int, int, str], str | None] = {}  # `_reaching_constant`, by use
        self._set_out_of_order: dict[str, bool] = {}  # `reaching_values.set_out_of_order`, by name
        # (collection, part of an element) pairs a store by an index no constant set (`s[i].f`):
        # a loop that ran such stores may have set that part of any element (`loop_elements`).
        self.element_parts: set[tuple[Path, Path]] = set()
        # Writes into maps nothing was known of, by event key (see `paths.WRITTEN`).
        self.unguarded_writes: dict[tuple, WriteEvent] = {}
        self._set_names_cache: frozenset[str] | None = None
        # What a loop's run reads or changes besides the environment (see `loop_runs`): the
        # closure bodies run (inlined, or analysed where one escapes), the variables bound to a closure or a pointer, the lookups of
        # remembered unguarded writes, the labels.
        self.closure_runs = 0
        self.bindings = 0
        # Whether a `range` noted a copy of an element (`RANGE_COPY`) in any environment of this
        # run: until one has, a store has no range copy to look for (see `drop_range_copies`).
        self.range_copies = False
        self.related_kinds: set[str] = set()  # the kinds of the facts related in this run
        self.unguarded_reads: list[tuple[tuple, WriteEvent | None]] = []
        # Labels read (label, what the `goto`s had left there) and `goto`s joined ("goto
        # label", the environment taken there), in order.
        self.goto_log: list[tuple[str, Env | None]] = []

    @property
    def summarising(self) -> bool:
        return self.mode is not Mode.CHECK

    # ------------------------------------------------------------------ defined by upper layers
    def eval(self, env: Env, node: Node | None) -> Val:
        """The value of an expression, its effects applied to `env` (expressions)."""
        raise NotImplementedError

    def address_taken(self, env: Env, node: Node | None) -> None:
        """`&x`: whatever holds the address may change x (calls)."""
        raise NotImplementedError

    def eval_call(self, env: Env, node: Node) -> Val:
        """A call's value and effects (calls)."""
        raise NotImplementedError

    def escape_closure(self, env: Env, literal: Node) -> None:
        """A closure handed to code that runs it at an unknown time (closures)."""
        raise NotImplementedError

    def declare_parameters(
        self, env: Env, parameters: Node | None, at_entry: bool = False, arguments: list[Node] | None = None, external: bool = False
    ) -> None:
        """Declare a function's or closure's parameters (statements)."""
        raise NotImplementedError

    def exec_block(self, env: Env | None, block: Node) -> Env | None:
        """Run a block; None when no path leaves it (control)."""
        raise NotImplementedError

    def surely_runs_first_round(self, clause: Node | None, ranged: Node | None) -> bool:
        """Whether a loop's body runs at least once whatever the run (control)."""
        raise NotImplementedError

    def reassigned(self) -> set[str]:
        """Names assigned anywhere in the function after their declaration (closures)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ relations
    # A relation's payload has the type its kind gives it (`Any` to the type checker): a path
    # for ALIAS and READ_FROM, (value path, element path) for FOUND, a node id for HOLDS.
    @staticmethod
    def related(env: Env, kind: str, path: Path) -> Any:
        """What `path` is related to by a fact of `kind` on this path of the function, or None."""
        val = env.get((Relation(kind, path),))
        return val.related if val is not None else None

    # A fact is found by a scan of the environment; the kinds this run has related at all
    # (`related_kinds`) tell when no environment of it can hold one, and the scan is skipped.
    def relate(self, env: Env, kind: str, path: Path, payload: object) -> None:
        self.related_kinds.add(kind)
        env[(Relation(kind, path),)] = Val(UNKNOWN, related=payload)

    def relations(self, env: Env, kind: str) -> list[tuple[Path, Any]]:
        if kind not in self.related_kinds:
            return []
        return [(key[0].of, val.related) for key, val in with_root_kind(env, Relation) if key[0].kind == kind and val.related is not None]

    def unrelate(self, env: Env, stale: Callable[[str, Path, Any], bool], kinds: frozenset[str] | None = None) -> None:
        """Drop the facts `stale(kind, path, payload)` says no longer hold (`kinds`, when given:
        the only kinds it may say so of)."""
        if self.related_kinds.isdisjoint(kinds) if kinds is not None else not self.related_kinds:
            return
        # (`stale` is asked only of the kinds it may answer for: the others are most facts)
        for key in [k for k, v in with_root_kind(env, Relation) if (kinds is None or k[0].kind in kinds) and stale(k[0].kind, k[0].of, v.related)]:
            del env[key]

    # ------------------------------------------------------------------ joins
    def join_env(self, a: Env | None, b: Env | None) -> Env | None:
        """The environment after two paths meet; a path listed on one side only is derived on the other."""
        if a is None:
            return None if b is None else dict(b)
        if b is None:
            return dict(a)
        # Most keys hold the same value on both paths, untouched since they parted: `a` is
        # copied whole, and the keys whose values differ, or that one side lists alone, are
        # picked by C code (a Python step per key was most of every join), then joined.
        out: Env = dict(a)
        for key in list(compress(a, map(is_not, a.values(), map(b.get, a)))):
            out[key] = self._join_listed(a, b, key, out[key], b.get(key))
        for key in list(filterfalse(a.__contains__, b)):
            out[key] = self._join_listed(a, b, key, None, b[key])
        for key in [k for k, _ in with_root_kind(out, Global) if len(k) == 1 and (k not in a or k not in b)]:
            self._list_declared_fields(a if key not in a else b, a, b, key, out)
        return out

    def _list_declared_fields(self, unlisted: Env, a: Env, b: Env, key: Path, out: Env) -> None:
        """A package struct assigned on one path only (`if c { g = &T{} }`): on the other its map
        fields, and those of the structs it holds by value, hold what the function started with
        (`PackageFacts.package_var_field_entry`), which the joined struct no longer derives; they
        are listed, joined field by field."""
        for fields in self.types.maps_held(self.type_of_path(key), 4):
            if self.flow.package_var_field_entry(key[0].name, fields[0], self.entered_at) is None:
                continue
            child = key + tuple((FIELD, name) for name in fields)
            if any(child[:size] in out for size in range(len(key) + 1, len(child) + 1)):
                continue
            out[child] = join_known(self.lookup(a, child), self.lookup(b, child))

    def _join_listed(self, a: Env, b: Env, key: Path, va: Val | None, vb: Val | None) -> Val:
        """What `key`, listed in `a` or `b` (or both, with different values), holds where they meet."""
        if isinstance(key[0], Relation) and key[0].kind in MAY_FACTS:
            kept = va if va is not None else vb  # a may-fact: it ran on one of the paths
            assert kept is not None
            return kept
        if va is None:
            va = self.lookup(a, key)
        if vb is None:
            vb = self.lookup(b, key)
        return join_known(va, vb)

    def join_all(self, envs: Iterable[Env | None]) -> Env | None:
        result = None
        for env in envs:
            if env is not None:
                result = dict(env) if result is None else self.join_env(result, env)
        return result

    # ------------------------------------------------------------------ scopes
    def declare(self, name_node: Node, type_text: str) -> Var | None:
        name = text(name_node)
        if name == "_" or not name:
            return None
        var = Var(f"{name}@{name_node.start_byte}", name, normalise(type_text), name_node)
        self.scopes[-1][name] = var
        self.vars[var.key] = var
        return var

    def resolve(self, name: str, at: Node | None = None) -> Var | None:
        """The variable `name` denotes, innermost first; as read at `at`, one declared after
        `at` in the function's text is not in scope there, whatever the interpreter has run
        since (a closure defined above `seen := ...` and called below it reads the outer
        `seen`: a short declaration's scope begins where it ends)."""
        for scope in reversed(self.scopes):
            var = scope.get(name)
            if var is not None and (at is None or not self._declared_after(var, at)):
                return var
        return None

    def _declared_after(self, var: Var, at: Node) -> bool:
        func = self.func
        if var.node is None or func is None:
            return False
        # (both in this function's text: a variable of another tree is no position to compare)
        return func.start_byte <= at.start_byte < var.node.start_byte < func.end_byte

    def push(self) -> None:
        self.scopes.append({})

    def pop(self) -> None:
        self.scopes.pop()

    @staticmethod
    def text_of(node: Node | None) -> str:
        return text(node) if node is not None else ""

    def var_of(self, root: Root) -> Var | None:
        """The variable a path's root is, when it is one of the function's."""
        # (a `Local` is its key as a string: looked up as it is, without a copy of the text)
        return self.vars.get(root) if isinstance(root, Local) else None

    # ------------------------------------------------------------------ paths
    def path_of(self, node: Node | None) -> Path | None:
        """The access path an expression denotes, or None when it is not one we track.

        Go's scopes are lexical, so an expression always denotes the same path: it is worked
        out once per node (the interpreter asks about the same nodes round after round).
        """
        node = strip(node)
        if node is None:
            return None
        known = self._paths.get(node.id, _UNSEEN)
        if known is _UNSEEN:
            known = self._paths[node.id] = self._path_of(node)
        return known  # type: ignore[return-value]

    def _path_of(self, node: Node) -> Path | None:
        kind = node.type
        if kind in ("identifier", "type_identifier", "package_identifier"):
            return self.path_of_name(text(node), node)  # (a variable where tree-sitter saw a type: `m[a.B][c.D]`)
        if kind in ("selector_expression", "qualified_type"):
            selector = kind == "selector_expression"
            base = self.path_of(node.child_by_field_name("operand" if selector else "package"))
            field_node = node.child_by_field_name("field" if selector else "name")
            if base is None or field_node is None:
                return None
            name = text(field_node)
            if base[-1] == DEREF:
                base = base[:-1]  # `(*p).f` is `p.f`
            # A promoted field is reached through its embedded field: `t.tmpl` is `t.common.tmpl`,
            # so an assignment to `t.common` reaches it.
            chain = self.types.promotion_chain(self.type_of_path(base), name)
            return base + tuple((FIELD, step) for step in chain) + ((FIELD, name),)
        if kind in INDEX_KINDS:
            parts = index_parts(node)
            base = self.path_of(parts[0]) if parts is not None else None
            if base is None or parts is None:
                return None
            return base + ((INDEX, self.key_of(parts[1])),)
        if kind == "call_expression":
            return self._getter_path(node)
        if kind == "unary_expression" and text(node).startswith("*"):
            pointer = self.path_of(node.child_by_field_name("operand"))
            if pointer is None:
                return None
            pointer_type = self.type_of_path(pointer)
            if pointer_type.startswith("*") and self.types.struct_name(pointer_type) is None:
                return pointer + (DEREF,)  # `*p` of a pointer to a map: not the pointer itself
            return pointer  # a pointer to a struct (or of a type we cannot tell): as before
        return None

    def key_of(self, index: Node) -> str:
        """An index's key as a path step: its text, or for a named constant of the package the
        literal it stands for (`m[keyA]` and `m["a"]` are the same entry, `m["b"]` another)."""
        shown = normalise(text(index))
        if index.type == "identifier" and self.resolve(shown) is None:
            return self.flow.package.consts.get(shown, shown)
        if index.type in FOLDED_KINDS:
            # `"a"+key`, `names[1]`, `key`: the literal a key that never changes equals.
            return self._folded(index) or shown
        return shown

    def _folded(self, expression: Node) -> str | None:
        """The literal `expression` equals where it stands: its names never set again, or set
        last, on every path here, to what folds (`reaching_values`)."""
        return fold(expression, lambda name: self._constant_name(name) or self._reaching_constant(name, expression), self._constant_slice, lambda name, field: self._constant_field(name, field, expression), self._constant_call)

    def _reaching_constant(self, name: str, use: Node) -> str | None:
        """The literal local `name` holds at `use`, from the assignment every path there takes last."""
        key = (use.start_byte, use.end_byte, name)
        if key in self._reaching:
            return self._reaching[key]
        self._reaching[key] = None  # (a value naming itself, `k = k + "a"`, folds from the one before)
        var = self.resolve(name)
        if var is None or var.node is None or self.func is None:
            return None
        unfollowed = self._set_out_of_order.get(name)
        if unfollowed is None:
            unfollowed = self._set_out_of_order[name] = set_out_of_order(self.func, name, self.flow.syntax(self.file.path, self.func))
        value = None if unfollowed else reaching_value(self.func, use, name)
        if value is not None and value.start_byte > var.node.start_byte:  # (an assignment of this variable, not of one it shadows)
            self._reaching[key] = self._folded(value)
        return self._reaching[key]

    def _constant_call(self, name: str, arguments: tuple[str, ...], depth: int = 0) -> str | None:
        """The literal a function of the package returns for literal arguments (`keyOf(1)` of
        `func keyOf(i int) string { return names[i%len(names)] }`): a function whose body is one
        `return` of what folds, the package's constants, unchanging slices and fields in it."""
        package, dot, function = name.partition(".")
        if dot:
            return self._library_constant(package, function, arguments)
        decl = self.flow.package.funcs.get(name) if self.resolve(name) is None else None
        if decl is None or decl.receiver_type or depth >= MAX_CALL_DEPTH:
            return None
        return returned_constant(
            decl.node,
            arguments,
            self.flow.package.consts.get,
            self.flow.constant_slice,
            lambda variable, field: self.flow.constant_fields(variable).get(field),
            lambda called, passed: self._constant_call(called, passed, depth + 1),
        )

    def _library_constant(self, package: str, function: str, arguments: tuple[str, ...]) -> str | None:
        """`strings.ToLower("A")`: the literal a pure standard library function returns, when
        `package` names the import of that library here (no variable of the function)."""
        if self.resolve(package) is not None or self.file.path not in self.flow.package.files:
            return None
        import_path = self.flow.package.facts_of(self.file.path).imports.get(package)
        return library_constant(import_path, function, arguments) if import_path is not None else None

    def known_constant(self, node: Node | None) -> Known | None:
        """The integer or string a literal or a named constant of the package stands for."""
        return constant_of(strip(node), lambda name: self.flow.package.consts.get(name) if self.resolve(name) is None else None)

    def _constant_name(self, name: str, declaring: tuple[Var, ...] = ()) -> str | None:
        """The literal a name always stands for here: a named constant, or a local declared
        with a foldable value and never set again (no assignment, `++`, or `&` of it).

        `declaring` are the locals whose initialisers are being folded: a variable's scope
        begins after its declaration, so in `i := i` the `i` on the right is the outer one."""
        var = self._resolve_outside(name, declaring)
        if var is None:
            return self.flow.package.consts.get(name)
        if var.node is None or name in self._set_names():
            return None
        if var.key in self.parameters_at_entry:
            return self._bound_parameter(var)
        inner = (*declaring, var)
        return fold(local_initialiser(var.node), lambda used: self._constant_name(used, inner), self._constant_slice, call_value=self._constant_call)

    def _bound_parameter(self, var: Var) -> str | None:
        """The literal every call of the function hands its parameter `var`, which it never sets
        (`run("b")` the one call of `func run(key string)`): a key it spells is that literal."""
        if self.func is None or self.func.type != "function_declaration":
            return None
        name = self.func.child_by_field_name("name")
        bound = self.flow.bound_argument(text(name), self.parameters_at_entry.index(var.key)) if name is not None else None
        return spelled_key(bound) if bound is not None else None

    def _resolve_outside(self, name: str, declaring: tuple[Var, ...]) -> Var | None:
        """The variable `name` denotes in the initialiser of the innermost of `declaring`:
        the innermost one in scope that is not being declared there."""
        for scope in reversed(self.scopes):
            var = scope.get(name)
            if var is not None and not any(var is d for d in declaring):
                return var
        return None

    def _constant_field(self, name: str, field: str, at: Node) -> str | None:
        """The literal field `field` of struct variable `name` holds at `at`, when no code that
        may run before sets it: a package variable every use of which reads fields, or a local
        whose every use that may run first reads fields (no method called on it, no `&`, not
        handed on, not set again)."""
        var = self.resolve(name)
        if var is None:
            return self.flow.constant_fields(name).get(field)
        if var.node is None or self.func is None:
            return None
        syntax = self.flow.syntax(self.file.path, self.func)
        uses = [use for use in syntax.identifiers_named(self.func, name) if use.start_byte != var.node.start_byte and may_run_before(use, at, self.func, syntax)]
        # Every use selects a field, so the variable is never set again nor handed on: the
        # field holds what the construction gave it until a use sets that field.
        if not field_unchanged(uses, field):
            return None
        initialiser = local_initialiser(var.node)
        if initialiser is None:
            return declared_zero_field(var.node, field, self._own_fields)  # `var s T`
        return constructed_field(initialiser, field, self._own_fields)

    def _own_fields(self, type_text: str) -> tuple[FieldDecl, ...] | None:
        """The fields struct `type_text` of the package declares itself (not promoted), in order."""
        decl = self.types.struct_of(type_text)
        return decl.fields if decl is not None else None

    def _constant_slice(self, name: str) -> tuple[str, ...] | None:
        return self.flow.constant_slice(name) if self.resolve(name) is None else None

    def _set_names(self) -> frozenset[str]:
        """Root names the function (closures included) assigns, increments or takes `&` of."""
        if self._set_names_cache is None:
            syntax = self.flow.syntax(self.file.path, self.func)
            roots = {root_name(target, through_index=False) for target in syntax.stored_targets(self.func)}
            self._set_names_cache = frozenset(roots | syntax.address_taken_names(self.func))
        return self._set_names_cache

    def _getter_path(self, call: Node) -> Path | None:
        """`x.GetLabels()` returns the field `x.Labels` itself: a same-package method whose body
        is `return r.f`, or the getter of a well-known field of an API object."""
        function = strip(call.child_by_field_name("function"))
        if function is None or function.type != "selector_expression" or arguments_of(call):
            return None
        base = self.path_of(function.child_by_field_name("operand"))
        if base is None:
            return None
        method = text(function.child_by_field_name("field") or function)
        base_type = self.type_of_path(base)
        fields = self.flow.field_getter(pointee(base_type), method)
        if fields is None:
            use = self.types.foreign_method(base_type, method)  # a getter of another package of the module
            fields = use.getter if use is not None else None
        if fields is None and method in WELL_KNOWN_GETTERS and (not base_type or self.flow.api_type(base_type, self.file.path)):
            fields = (WELL_KNOWN_GETTERS[method],)
        return base + tuple((FIELD, f) for f in fields) if fields is not None else None

    def path_of_name(self, name: str, at: Node | None = None) -> Path | None:
        var = self.resolve(name, at)
        if var is not None:
            return var.same_as or (Local(var.key),)
        if name in self.flow.package_vars:
            return (Global(name),)
        return None

    def type_of_path(self, path: Path) -> str:
        root = path[0]
        if isinstance(root, Global):
            type_text = self.flow.package_var_type(root.name)
        else:
            var = self.var_of(root)
            type_text = var.type_text if var is not None else ""
        for step in path[1:]:
            if not type_text:
                return ""
            if step[0] == FIELD:
                type_text = self.types.field_type(type_text, step[1])
            elif step[0] == DEREF_KIND:
                type_text = pointee(type_text)
            else:
                type_text = self.types.index_type(type_text)
        return type_text

    def display(self, path: Path) -> str:
        """A path as the code would spell it: promoted fields without their embedded field."""
        root = path[0]
        if isinstance(root, Global):
            shown = root.name
        else:
            var = self.var_of(root)
            shown = var.name if var is not None else root.key.split("@")[0]
        for position in range(1, len(path)):
            step = path[position]
            if step[0] == DEREF_KIND:
                shown = f"*{shown}" if position + 1 == len(path) else f"(*{shown})"
                continue
            if step[0] == INDEX:
                # (an element standing for several, which the code names by no index of its own)
                shown += "[…]" if step[1] in (EVERY_ELEMENT, EACH_ELEMENT) else f"[{step[1]}]"
                continue
            container = self.types.struct_of(self.type_of_path(path[:position]))
            declared = container.field(step[1]) if container is not None else None
            if declared is not None and declared.embedded and position + 1 < len(path):
                continue
            shown += f".{step[1]}"
        return shown

    # ------------------------------------------------------------------ values
    def lookup(self, env: Env, path: Path) -> Val:
        """What `path` holds: listed in `env`, or derived from what its parent holds."""
        val = env.get(path)
        if val is not None:
            return val
        if len(path) == 1:
            root = path[0]
            if isinstance(root, Global):
                return self.flow.package_var_entry(root.name, self.entered_at) or UNKNOWN_VAL
            return UNKNOWN_VAL
        root = path[0]
        if len(path) == 2 and isinstance(root, Global) and path[1][0] == FIELD and path[:1] not in env:
            field = self.flow.package_var_field_entry(root.name, path[1][1], self.entered_at)
            if field is not None:
                return field
        spread = self._any_element(env, path)
        if spread is not None:
            return spread
        standing = self.standing_element(env, path)
        if standing is not None:
            return self.lookup(env, standing)
        parent = self.lookup(env, path[:-1])
        step = path[-1]
        if parent.zero is not None and parent.bits & ~(NIL | MADE) == 0 and step[0] != DEREF_KIND:
            possible = self.possible_keys(env, step[1]) if step[0] == INDEX and not is_constant_key(step[1]) and parent.keys else None
            derived = self._zero_child(path, parent, step, possible)
            if derived is not None:
                return derived
        if parent.bits & NIL and parent.origin is not None and step[0] == INDEX and self.types.is_map(self.type_of_path(path)):
            return self._read_from_nil(path, parent)
        if parent.bits & ENTRY and step[0] in (FIELD, DEREF_KIND):
            return Val(ENTRY)
        if parent.external is not None and step[0] == FIELD:
            # Types of other packages' fields are unknown: the root's type then tells the kind of object.
            parent_type = self.type_of_path(path[:-1]) or self.type_of_path(path[:1])
            decoded = self.flow.decoded_field(parent_type, step[1], self.file.path)
            if decoded is not None:
                return Val(EXTERNAL | UNKNOWN, external=replace(parent.external, condition=decoded.condition, type_name=decoded.map_type))
            if self.flow.carries_external(parent_type, step[1], self.file.path):
                return Val(UNKNOWN, external=parent.external)
        if parent.external is not None and step[0] == INDEX:
            element_type = self.type_of_path(path)
            if not element_type or self.flow.decoded_struct(element_type) or is_foreign_type(element_type):
                return Val(UNKNOWN, external=parent.external)
        if len(path) == 2 and step[0] == FIELD and parent == UNKNOWN_VAL:
            return self._held_decoded(path) or UNKNOWN_VAL
        return UNKNOWN_VAL

    def _any_element(self, env: Env, path: Path) -> Val | None:
        """`all[i].m`, the index no constant, in a slice or array whose elements are known one by
        one: any of them, so the join of what each holds there. A literal lists them all
        (`[]T{{...}, {}}`); elements stored one by one (`all[0] = ...`) sit beside zero ones,
        which count too. None when nothing is listed: the zero elements tell alone."""
        for position in range(1, len(path)):
            step = path[position]
            if step[0] != INDEX or is_constant_key(step[1]) or step[1] == EVERY_ELEMENT:
                continue  # (the element standing for every element is listed itself)
            container = path[:position]
            if not self.type_of_path(container).startswith("["):
                continue
            held = self.lookup(env, container)
            if held.zero is None or held.bits & ~(NIL | MADE):
                return None
            listed = listed_positions(env, container, held.keys)
            if not listed:
                return None
            rest = path[position + 1 :]
            alternatives = [container + ((INDEX, key),) + rest for key in sorted(listed)]
            if self.may_hold_unlisted(container, held, listed):
                alternatives.append(container + ((INDEX, UNLISTED),) + rest)  # a zero element
            joined: Val | None = None
            for alternative in alternatives:
                joined = join(joined, self.lookup(env, alternative))
            return joined
        return None

    def standing_element(self, env: Env, path: Path) -> Path | None:
        """`all[0].m` of a collection a loop set one element per round (`loop_elements`): the
        element that stands for every element holds what `all[0]` does, unless a statement
        listed `all[0]` apart. None for any other path."""
        for position in range(1, len(path)):
            step = path[position]
            if step[0] != INDEX or not is_constant_key(step[1]) or step[1] == EVERY_ELEMENT:
                continue
            container = path[:position]
            held = env.get(container)
            if held is None or held.zero is None or held.zero.kind is not OriginKind.LISTED:
                continue
            if held.keys is not None and EVERY_ELEMENT in held.keys and step[1] not in held.keys and path[: position + 1] not in env:
                return container + ((INDEX, EVERY_ELEMENT),) + path[position + 1 :]
        return None

    def may_hold_unlisted(self, container: Path, held: Val, listed: set[str]) -> bool:
        """Whether a slice or array whose elements at `listed` are known may hold another, a
        zero one: not a literal (it lists them all), nor an array `[n]T` whose n elements are
        all listed."""
        if held.zero is not None and held.zero.kind is OriginKind.LISTED:
            return False
        length = _ARRAY_LENGTH.match(pointee(self.type_of_path(container)))
        if length is None:
            return True
        try:
            size = int(length.group(1).replace("_", ""), 0)
        except ValueError:
            return True
        return size > MAX_LISTED_ARRAY or any(str(i) not in listed for i in range(size))

    def _held_decoded(self, path: Path) -> Val | None:
        """`c.config` of a receiver or parameter `c` as it came in, when the field holds a
        decoded struct (`config *config.Config`, which its package loads from a file): that
        value is the decoded one, whoever holds it."""
        var = self.var_of(path[0])
        node = var.node if var is not None else None
        declaration = node.parent if node is not None else None
        if var is None or node is None or declaration is None or declaration.type != "parameter_declaration":
            return None
        if not self.flow.decoded_struct(pointee(self.type_of_path(path))):
            return None
        holder = declaration.parent.parent if declaration.parent is not None else None
        kind = OriginKind.RECEIVER if holder is not None and holder.type == "method_declaration" and holder.child_by_field_name("receiver") == declaration.parent else OriginKind.PARAMETER
        description = f"{kind.value} `{var.name}`, field `{path[1][1]}`"
        return Val(UNKNOWN, external=Origin(kind, self.file.path, node.start_byte, node.end_byte, description))

    def _read_from_nil(self, path: Path, parent: Val) -> Val:
        """An inner map read from a map of maps that may be nil: reading a nil map gives the
        zero value, a nil inner map, wherever the outer one is nil."""
        outer = parent.origin
        assert outer is not None
        why = f"`{outer.type_name}` {outer.description} leaves `{outer.field}` nil" if outer.kind is OriginKind.CONSTRUCTION else outer.description
        state = "is nil" if parent.bits == NIL else "may be nil"
        origin = replace(outer, kind=OriginKind.NIL_OUTER, description=f"`{self.display(path[:-1])}` {state} ({why})")
        return Val(parent.bits & NIL | (UNKNOWN if parent.bits != NIL else 0), origin, parent.when)

    def _zero_child(self, path: Path, parent: Val, step: tuple, possible: frozenset[str] | None = None) -> Val | None:
        """A child of a zero value: a struct's map field is nil, an empty map of maps' elements
        are: those of keys it does not hold, `possible` the constants a variable key may be."""
        zero = parent.zero
        assert zero is not None
        if zero.kind is OriginKind.LISTED:
            return None  # a literal's elements are each listed: none is a zero value
        child_type = self.type_of_path(path)
        # Zero elements a later round of a loop may have set are nil only as the first round left them.
        # A key absent from a map is absent in every round that did not store it (the stores are
        # listed), and absent from the nil map the first round may hold too: its inner map is nil.
        first_round = isinstance(parent.when, FirstRound) and zero.kind is not OriginKind.ABSENT_KEY
        nil_bits = NIL | UNKNOWN if first_round else NIL
        if step[0] == FIELD:
            if self.types.is_map(child_type):
                return Val(nil_bits, replace(zero, field=step[1]), parent.when)
            if self.types.struct_name(child_type) and not child_type.startswith("*"):
                return Val(MADE, zero=zero, when=parent.when)
            if child_type.startswith("*"):
                return Val(NIL, replace(zero, field=step[1]))  # a nil pointer: `if t.p == nil` then tells
            if child_type == "bool":
                return Val(UNKNOWN, constant=False)
            zero_value = zero_of(child_type)
            return Val(UNKNOWN, known=frozenset((zero_value,))) if zero_value is not None else None
        key = step[1]
        keys = parent.keys or frozenset()
        if (is_constant_key(key) and key not in keys) or not keys or (possible is not None and not possible & keys):
            origin = zero
            if zero.kind is OriginKind.ABSENT_KEY:
                holds = f"has no key {key}" if is_constant_key(key) else f"has no key {' or '.join(sorted(possible))}" if possible else "is empty"
                if parent.bits & NIL:
                    # nil on some paths (`values.join`): where it is, it needs making too
                    origin = replace(zero, kind=OriginKind.NIL_OUTER, description=f"`{self.display(path[:-1])}` is nil or {holds} ({zero.description})")
                else:
                    origin = replace(zero, description=f"`{self.display(path[:-1])}` {holds} ({zero.description})")
            if self.types.struct_name(child_type) and not child_type.startswith("*"):
                return Val(MADE, zero=origin, when=parent.when)  # a zero struct, whose maps are nil for the same reason
            if child_type and not self.types.is_map(child_type):
                return None
            if parent.bits & NIL and zero.kind is OriginKind.ABSENT_KEY:
                # Nil or made without the key: the outer map may need making too (its fix guards both).
                origin = replace(origin, kind=OriginKind.NIL_OUTER, description=origin.description.replace("` has no key", "` is nil or has no key", 1).replace("` is empty", "` is nil or empty", 1))
            return Val(nil_bits, origin, parent.when)
        return None

    def note_pointer_partners(self, env: Env, copy: Path, original: Path) -> None:
        """`copy := original` of a struct pointer the flow does not follow as one pointer (the
        original is pointed elsewhere on some path later): both reach one struct until either
        is pointed elsewhere, which drops the fact (`Writes.assign_path`)."""
        if copy != original:
            self.relate(env, PARTNER, copy, original)

    def touch_partners(self, env: Env, path: Path) -> None:
        """What lies under `path` may have changed (a field set, a method called, the pointer
        handed on): what is known of the fields of every pointer that may share its struct
        (`PARTNER`) no longer holds."""
        pairs = self.relations(env, PARTNER)
        if not pairs:
            return
        touched = [path]
        seen: set[Path] = set()
        while touched:
            changed = touched.pop()
            for copy, original in pairs:
                for near, far in ((copy, original), (original, copy)):
                    if changed[: len(near)] == near and far not in seen:
                        seen.add(far)
                        touched.append(far)
        for partner in seen:
            if path[: len(partner)] == partner:
                continue  # the changed pointer itself: the change is followed there
            for key in keys_below(env, partner):
                del env[key]
            val = self.lookup(env, partner)
            if val.zero is not None or val.keys is not None:
                env[partner] = replace(val, zero=None, keys=None)

    def origin(self, kind: OriginKind, node: Node, description: str, type_name: str = "") -> Origin:
        return Origin(kind, self.file.path, node.start_byte, node.end_byte, description, type_name)

    def elements_unknown(self, env: Env, path: Path, stored: Val | None = None) -> None:
        """`ts[i].m = ...` or `&ts[i].m`: which element changes is unknown, so what is known of
        the part `.m` of any element no longer holds. The rest of every element is as it was:
        a store into one field of an element leaves its other fields, and every other element,
        alone. Zero elements stay zero but for `.m` when the collection's elements are all
        known by position (an array `[2]T`, `make([]T, 2)`, a literal); else no element is
        known to be a zero one any more.

        `stored`, the value a store puts at `path` itself: each element's `.m` is what it was
        or that value, so a nil one stays nil where a nil is stored (`ts[i].m = nil`)."""
        for position in range(1, len(path)):
            step = path[position]
            if step[0] != INDEX or is_constant_key(step[1]):
                continue
            container = path[:position]
            rest = path[position + 1 :]
            if not rest or rest[0][0] != FIELD:
                rest = ()  # the whole element, or an element's element: all of it may change
            possible = self.possible_keys(env, step[1]) if self.types.is_map(self.type_of_path(container)) else None
            if possible is not None:
                self._entries_may_change(env, container, possible, rest)
                continue
            stores_nil = stored is not None and stored.bits == NIL and bool(rest) and position + 1 + len(rest) == len(path)
            for key in [k for k in env if len(k) > position and k[:position] == container and k[position][0] == INDEX and k[position] != step]:
                if not rest or not is_constant_key(key[position][1]) or key[position + 1 : position + 1 + len(rest)] == rest:
                    if stores_nil and len(key) == len(path) and is_constant_key(key[position][1]) and env[key].bits == NIL:
                        continue  # nil before the store and nil if the store was its own
                    del env[key]
            val = self.lookup(env, container)
            if val.zero is None:
                continue
            positions = self._every_position(env, container, val) if rest else None
            if positions is None:
                env[container] = replace(val, zero=None, keys=None)
                continue
            self.element_parts.add((container, rest))
            for key in positions:
                part = container + ((INDEX, key),) + rest
                if stores_nil and self.lookup(env, part).bits == NIL:
                    env[part] = self.lookup(env, part)
                    continue
                env[part] = UNKNOWN_VAL

    def possible_keys(self, env: Env, key: str) -> frozenset[str] | None:
        """The constant keys an index variable may hold here (`k` of `for _, k := range
        []string{"a", "b"}`), as key steps spell them; None when not known."""
        path = self.path_of_name(key) if IDENTIFIER.fullmatch(key) else None
        known = self.lookup(env, path).known if path is not None else None
        if not known:
            return None
        spelled = [spelled_key(value) for value in known]
        return frozenset(k for k in spelled if k is not None) if None not in spelled else None

    def _entries_may_change(self, env: Env, container: Path, possible: frozenset[str], rest: Path) -> None:
        """A store through `m[k]` whose `k` is one of `possible`: what is known of those entries
        (of their part `rest`) no longer holds, and the map may hold those keys; entries under
        other constant keys are as they were."""
        size = len(container)
        for key in [k for k in env if len(k) > size and k[:size] == container and k[size][0] == INDEX]:
            if (key[size][1] in possible or not is_constant_key(key[size][1])) and key[size + 1 : size + 1 + len(rest)] == rest:
                del env[key]
        val = self.lookup(env, container)
        if val.zero is not None:
            env[container] = replace(val, keys=(val.keys or frozenset()) | possible)

    def _every_position(self, env: Env, container: Path, held: Val) -> list[str] | None:
        """Every index of the slice or array `container` (whose unlisted elements are zero ones),
        when known: a literal lists them, an array `[n]T` and `make([]T, n)` with a constant n
        have n. None when unknown or too many to list."""
        if held.bits & ~(NIL | MADE) or held.zero is None:
            return None
        zero = held.zero
        if zero.kind is OriginKind.LISTED:
            return sorted(listed_positions(env, container, held.keys))
        length = _ARRAY_LENGTH.match(pointee(self.type_of_path(container)))
        size_text = length.group(1) if length is not None else None
        if size_text is None and zero.kind in (OriginKind.CONSTRUCTION, OriginKind.ZERO_ELEMENT) and zero.path == self.file.path and not zero.others:
            made = self.func.descendant_for_byte_range(zero.start, zero.end) if self.func is not None else None
            size_text = make_length(made) if made is not None and (made.start_byte, made.end_byte) == (zero.start, zero.end) else None
        try:
            size = int(size_text.replace("_", ""), 0) if size_text is not None else -1
        except ValueError:
            return None
        if not 0 <= size <= MAX_LISTED_ARRAY:
            return None
        return sorted(listed_positions(env, container, held.keys) | {str(i) for i in range(size)})

    def forget(self, env: Env, path: Path) -> None:
        """Nothing is known any more of `path` and what lies under it."""
        self.elements_unknown(env, path)
        size = len(path)
        for key in [k for k in env if len(k) >= size and k[:size] == path]:
            del env[key]
        self.unrelate(env, lambda kind, subject, payload: kind == WRITTEN and subject[:size] == path, _WRITTEN)
        self.drop_range_copies(env, path)
        if size > 1 or isinstance(path[0], Global):
            env[path] = UNKNOWN_VAL

    def drop_range_copies(self, env: Env, path: Path) -> None:
        """A store into `path`: a range value and the element it copies differ from here on
        where the store is of (or above) either, and below the store where it is under one
        (`v.f = x` or `X[i].f = x` leaves `v.g` and `X[i].g` one map)."""
        if not self.range_copies:
            return  # no range of this run noted a copy: no environment of it holds one
        # One scan for both steps (it runs at every store and every value handed on, and the
        # relations are few among the paths); marking a divergence adds no range copy.
        copies = [(key, key[0].of, val.related) for key, val in with_root_kind(env, Relation) if key[0].kind == RANGE_COPY]
        for _, subject, element in copies:
            if element is None:
                continue
            for side in (subject, element):
                if len(path) > len(side) and path[: len(side)] == side:
                    self.relate(env, RANGE_DIVERGED, subject + path[len(side) :], True)
        size = len(path)
        for key, subject, element in copies:
            if subject[:size] == path or (element is not None and element[:size] == path):
                del env[key]

    def range_copied(self, env: Env, path: Path) -> Path | None:
        """The element path `path` (under a range value) is one with, or None: `X[i].f` for
        `v.f` of `for i, v := range X`, unless `v.f` (or what holds it) was stored since."""
        element = self.related(env, RANGE_COPY, path[:1])
        if element is None or any(self.related(env, RANGE_DIVERGED, path[:end]) for end in range(2, len(path) + 1)):
            return None
        return element + path[1:]

    def forget_entry(self, env: Env, path: Path, key: str) -> None:
        """What `path` holds under `key` is no longer known (code we cannot follow may have
        stored it); under a key that is no constant, any entry may have been stored."""
        size = len(path)
        constant = is_constant_key(key)
        for stale in [k for k in env if len(k) > size and k[:size] == path and k[size][0] == INDEX and (not constant or k[size][1] == key)]:
            del env[stale]
        val = self.lookup(env, path)
        if val.zero is None and val.keys is None:
            return
        if constant:
            env[path] = replace(val, keys=(val.keys or frozenset()) | {key})
            env[path + ((INDEX, key),)] = UNKNOWN_VAL
        else:
            env[path] = replace(val, zero=None, keys=None)

    @staticmethod
    def path_children(env: Env, path: Path) -> dict[tuple, Val]:
        """The values listed under `path`, by their steps below it."""
        size = len(path)
        return {k[size:]: v for k, v in env.items() if below(k, path)}
