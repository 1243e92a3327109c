"""Package-wide facts the interpreter asks for, computed once per package and cached.

- what a package-level map variable holds when a function other than `init` starts
  (never made, made on every path of `init()`, on some paths, or assigned elsewhere);
- what a same-package function returns (always nil, sometimes nil, a struct whose map
  fields a constructor leaves nil);
- method summaries: which map fields of its receiver a method writes as they were on
  entry (with no guard), and which it makes on every path (`Reset`/`init` style), so a
  call `t.Add(k)` on a value built as `&T{}` is followed into the method.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from tree_sitter import Node

from analyzers.flow.decoded import WELL_KNOWN_FIELDS, WELL_KNOWN_GETTERS, Decoded, decoding_tag, is_foreign_type, tagged_condition, well_known_condition
from analyzers.flow.events import WriteEvent
from analyzers.gotext import NOT_ID_AFTER, NOT_ID_BEFORE
from analyzers.gotext import name as name_pattern
from analyzers.flow.types import TypeView, normalise, pointee
from analyzers.flow.values import ENTRY, EXTERNAL, MADE, MADE_VAL, NIL, UNKNOWN, UNKNOWN_VAL, Origin, Val, join
from analyzers.index import STDLIB_WRITING_METHODS, FuncDecl, PackageIndex, VarDecl
from analyzers.parsing import text

if TYPE_CHECKING:
    from analyzers.flow.interpreter import Interpreter


@dataclass
class MethodSummary:
    """What calling a method does to the map fields of its receiver."""

    name: str
    writes: dict[tuple, WriteEvent] = field(default_factory=dict)  # relative path -> the write, as on entry
    effects: dict[tuple, str] = field(default_factory=dict)  # relative path -> "made" | "assigned" | "maybe"
    escapes: bool = False


@dataclass
class FunctionSummary:
    """Which map parameters a same-package function writes as they came in (nil ones panic)."""

    name: str
    writes: dict[int, WriteEvent] = field(default_factory=dict)  # parameter position -> its first write


@dataclass
class FunctionResult:
    """What a same-package function returns (first result)."""

    val: Val
    children: dict[tuple, Val]


class Prefilter:
    """Rules out most functions before any of them is interpreted.

    A function can produce a finding only if it holds a write into something (the query
    `map_writes.scm`: an index on the left of an assignment, `++`/`--`, a call of a method
    that may write its receiver's maps) and, in its text, a source of nil or of decoded
    values (`nil`, `var`, `new`, a struct with map fields, a package variable or function
    known to give nil, a decoded type's name). Missing either, it is skipped: this is what
    keeps nilmap near the speed of parsing.
    """

    def __init__(
        self,
        sources: re.Pattern[bytes],
        writing_methods: frozenset[str],
        struct_words: frozenset[bytes] = frozenset(),
        writing_calls: re.Pattern[bytes] | None = None,
    ) -> None:
        self.sources = sources
        self.writing_methods = writing_methods
        self.struct_words = struct_words  # same-package structs holding maps
        self.writing_calls = writing_calls  # calls of same-package functions that write a map parameter
        self._signature: int | None = None

    def functions_with_writes(self, file, flow: PackageFlow, remember: bool = False) -> set[int]:
        """Start bytes of the functions of `file` holding a write into something that may be nil,
        or a call of a function that writes a map parameter.

        A write whose root is a parameter or receiver is left out unless that value can be
        decoded (NM004): the analysis treats parameters as unknown, so nothing could come of it.
        """
        from analyzers.flow.cache import known_declaration_fact, put_declaration_fact

        # With `remember` (the server, re-checking a file on every edit), a function's verdict is
        # kept by its text and the package facts the prefilter was built from, so a re-check
        # asks only about what changed. A one-off check would only pay for storing them.
        kind = f"kept-{self.signature(flow)}" if remember else ""
        found: set[int] = set()
        missing = []
        for node in file.functions:
            verdict = known_declaration_fact(kind, node, file) if remember else None
            if verdict is None:
                missing.append(node)
            elif verdict:
                found.add(node.start_byte)
        if missing:
            _prime_writes(file)
        for node in missing:
            verdict = self._writes_into_maybe_nil(file, node, flow) or self._calls_a_writer(file, node)
            if remember:
                put_declaration_fact(kind, node, verdict, file)
            if verdict:
                found.add(node.start_byte)
        return found

    def signature(self, flow: PackageFlow) -> int:
        """What the verdicts depend on besides a function's text."""
        if self._signature is None:
            decoded = frozenset(name for name in flow.package.structs if flow.decoded_struct(name))
            self._signature = hash(
                (
                    self.sources.pattern,
                    self.writing_methods,
                    self.struct_words,
                    self.writing_calls.pattern if self.writing_calls is not None else None,
                    decoded,
                    frozenset(flow.package.named_types.items()),
                )
            )
        return self._signature

    def _writes_into_maybe_nil(self, file, node: Node, flow: PackageFlow) -> bool:
        from analyzers.flow.cache import declaration_fact

        writes = declaration_fact("writes", node, _writes, file)
        if not writes:
            return False
        parameters = declaration_fact("parameters", node, _parameters, file)
        body = file.source[node.start_byte : node.end_byte]
        for root, method in writes:
            if method and method not in self.writing_methods:
                continue
            type_text = parameters.get(root)
            if type_text is not None:
                if not (flow.decoded_struct(type_text) or is_foreign_type(type_text)) and not _reassigned(body, root):
                    continue
            elif not method and not self.may_be_nil_local(body, root, flow):
                continue
            return True
        return False

    def _calls_a_writer(self, file, node: Node) -> bool:
        """Whether the function calls a same-package function that writes a map parameter."""
        body = node.child_by_field_name("body")
        if self.writing_calls is None or body is None:
            return False
        return self.writing_calls.search(file.source, body.start_byte, body.end_byte) is not None

    def may_be_nil_local(self, body: bytes, root: str, flow: PackageFlow) -> bool:
        """Whether an index write's root, not a parameter, can hold a nil map (or nil maps).

        False only when every assignment of it in the function is plainly not nil and holds
        no nil maps: `make(map[K]V)` or `map[K]V{...}` of plain values, a slice or array of
        non-maps, or a call into another package. Anything else, or a name the function never
        assigns (a package variable, a named result, a captured variable), may be nil.
        """
        if not root:
            return True
        name = name_pattern(root)
        if re.search(rb"\bvar\s+(?:[\w\x80-\xff]+\s*,\s*)*" + name, body):
            return True
        right_sides = re.findall(
            rb"(?:^|[\s,(;])(?:[\w\x80-\xff]+\s*,\s*)*" + name + rb"\s*(?:,\s*[\w\x80-\xff]+\s*)*:?=(?!=)\s*([^\n]*)", body
        )
        if not right_sides:
            return True
        return any(not self._plainly_not_nil(rhs) for rhs in right_sides)

    def _plainly_not_nil(self, rhs: bytes) -> bool:
        if _GETTERS.search(rhs) or rhs.startswith(b"maps.Clone"):
            return False
        plain = _PLAIN_MAKE.match(rhs) or _PLAIN_MAP_LITERAL.match(rhs)
        if plain:
            value = plain.group(1).strip().lstrip(b"*")
            return value not in self.struct_words  # a map of structs holding maps may hold nil ones
        if _SLICE.match(rhs):
            element = _SLICE.match(rhs).group(1)
            return not element.startswith(b"map[") and element.rstrip(b"{(),").lstrip(b"*") not in self.struct_words
        if _OTHER_PACKAGE_CALL.match(rhs):
            return True
        return False

    def has_source(self, body: bytes, named_results: bool = False, roots: Iterable[str] = ()) -> bool:
        """Whether the function's text holds a nil or decoded source; `roots` are its write roots,
        whose own `== nil` checks count (a write under `if m == nil` is a finding)."""
        if named_results or self.sources.search(body) is not None:
            return True
        # A nil that one of the written roots can hold: `m = nil`, `m := map[K]V(nil)`, `m == nil`.
        return any(
            re.search(
                name_pattern(root) + rb"[\w\x80-\xff.\[\]\"]*\s*(?:==\s*nil\b|(?:,[^=\n]*)?:?=\s*(?:nil\b|[^\n]*\(nil\)))",
                body,
            )
            is not None
            for root in roots
            if root
        )


_GETTERS = re.compile(rb"\.(?:" + b"|".join(g.encode() for g in WELL_KNOWN_GETTERS) + rb")\(")
_PLAIN_MAKE = re.compile(rb"make\(map\[[^\]\[]*\](?!map\[|\[\]map\[|\*?map\[)([^,)\n]*)")
_PLAIN_MAP_LITERAL = re.compile(rb"map\[[^\]\[]*\](?!map\[|\[\]map\[)([^{\n]*)\{")
_SLICE = re.compile(rb"(?:make\(|&?)\[[0-9]*\]([\w\x80-\xff.*\[\]]+)")
_OTHER_PACKAGE_CALL = re.compile(rb"[a-z][\w]*\.[A-Z][\w]*\(")


def _prime_writes(file) -> None:
    """Fill the per-declaration `writes` facts of a file with one query over the whole tree
    (one query per function costs more when most are new, as on the command line)."""
    from tree_sitter import QueryCursor

    from analyzers.flow.cache import has_declaration_fact, put_declaration_fact
    from analyzers.flow.interpreter import _root_name
    from analyzers.queries import load

    # The file's own top-level functions only (those recovered from ERROR nodes live in other trees).
    functions = [n for n in file.tree.root_node.named_children if n.type in ("function_declaration", "method_declaration")]
    missing = [n for n in functions if not has_declaration_fact("writes", n, file)]
    if len(missing) < 8:
        return
    starts = [n.start_byte for n in missing]
    found: dict[int, set[tuple[str, str]]] = {start: set() for start in starts}
    import bisect

    for _pattern, captures in QueryCursor(load("map_writes")).matches(file.tree.root_node):
        node = captures.get("write.call", captures.get("write", [None]))[0]
        if node is None:
            continue
        index = bisect.bisect_right(starts, node.start_byte) - 1
        if index < 0 or node.end_byte > missing[index].end_byte:
            continue
        if "write.method" in captures:
            method = captures["write.method"][0].text.decode("utf-8", "replace")
            found[starts[index]].add((_root_name(captures["write.receiver"][0], through_index=True), method))
        else:
            target = captures["write.target"][0]
            found[starts[index]].add((_root_name(target.child_by_field_name("operand"), through_index=True), ""))
    for node in missing:
        put_declaration_fact("writes", node, frozenset(found[node.start_byte]), file)


def _writes(node: Node) -> frozenset[tuple[str, str]]:
    """(root name, method or "") of each write in a function: `m` for `m[k] = v`, `h`+`Set` for `h.Set(...)`."""
    from tree_sitter import QueryCursor

    from analyzers.flow.interpreter import _root_name
    from analyzers.queries import load

    found: set[tuple[str, str]] = set()
    for _pattern, captures in QueryCursor(load("map_writes")).matches(node):
        if "write.method" in captures:
            method = captures["write.method"][0].text.decode("utf-8", "replace")
            found.add((_root_name(captures["write.receiver"][0], through_index=True), method))
        else:
            target = captures["write.target"][0]
            found.add((_root_name(target.child_by_field_name("operand"), through_index=True), ""))
    return frozenset(found)


def _parameters(node: Node) -> dict[str, str]:
    """Parameter and receiver names of a function with their type texts."""
    found: dict[str, str] = {}
    for field_name in ("receiver", "parameters"):
        params = node.child_by_field_name(field_name)
        for decl in params.named_children if params is not None else []:
            type_node = decl.child_by_field_name("type")
            for name in decl.children_by_field_name("name"):
                found[text(name)] = text(type_node) if type_node is not None else ""
    return found


def _leaves_receiver_alone(decl: FuncDecl) -> bool:
    """A method that writes no map, assigns nothing through its receiver, calls none of its
    methods and hands it to no one: its summary is empty without interpreting it."""
    from analyzers.flow.cache import declaration_fact

    body = decl.body
    if body is None or not decl.receiver_name or decl.receiver_name == "_":
        return body is None
    if declaration_fact("writes", decl.node, _writes):
        return False
    receiver = name_pattern(decl.receiver_name)
    uses = re.compile(receiver + rb"(?:\.[\w\x80-\xff.]+\s*(?:,[^=\n]*)?(?:[-+*/%&|^]|<<|>>)?=[^=]|\.[\w\x80-\xff]+\(|\s*[,)])|&" + receiver + rb"|[(,]\s*" + receiver)
    return uses.search(body.text or b"") is None


def _reassigned(body: bytes, identifier: str) -> bool:
    return re.search(rb"(?<![.])" + name_pattern(identifier) + rb"\s*(?:,[^=\n]*)?=[^=]|&" + name_pattern(identifier), body) is not None


class PackageFlow:
    """The package-wide side of the analysis (one per package check)."""

    def __init__(self, package: PackageIndex) -> None:
        self.package = package
        self.types = TypeView(package)
        self.package_vars: dict[str, VarDecl] = package.vars
        self._var_entry: dict[str, Val | None] = {}
        self._results: dict[str, FunctionResult | None] = {}
        self._summaries: dict[tuple[str, str], MethodSummary | FunctionSummary | None] = {}
        self._in_progress: set = set()
        self._assigned_outside_init: set[str] | None = None
        self._assigned: dict[tuple, set[str]] = {}

    def assigned_names(self, path: str, node: Node, include_calls: bool) -> set[str]:
        """Names assigned under `node` (cached: closures are asked about many times)."""
        from analyzers.flow.interpreter import _assigned_names

        key = (path, node.start_byte, node.end_byte, include_calls)
        found = self._assigned.get(key)
        if found is None:
            found = self._assigned[key] = _assigned_names(node, include_calls)
        return found

    def prefilter(self) -> Prefilter:
        words = {*WELL_KNOWN_FIELDS, *WELL_KNOWN_GETTERS}
        words |= set(self.structs_with_maps)
        words |= {name for name in self.package.named_types if self.types.is_map(name)}
        for name, decl in self.package_vars.items():
            if self.types.is_map(decl.type_text) or self.types.struct_name(decl.type_text):
                words.add(name)
        for name, decl in self.package.funcs.items():
            if decl.result_types and (self.types.is_map(decl.result_types[0]) or self.types.struct_name(decl.result_types[0])):
                words.add(name)
        # `nil` as a value, not in the `err != nil` of nearly every function; `var` of a map
        # or an array of maps (struct types with maps are among the words).
        nil_or_var = rb"\bvar\s+[\w\x80-\xff, ]+?\s(?:map\[|\[\w*\]map\[|\w+\.(?:Header|Values|MIMEHeader|MD)\b)|\bvar\s*\(|\]map\["
        writers = self.parameter_writers
        writer_names = b"|".join(re.escape(w.encode()) for w in sorted(writers))
        # `record(nil, w)`: a nil handed straight to a function that writes it.
        nil_to_writer = rb"|(?<![\w\x80-\xff.])(?:" + writer_names + rb")\s*\([^()\n]*\bnil\b" if writers else b""
        sources = re.compile(
            NOT_ID_BEFORE + rb"(?:" + b"|".join(re.escape(w.encode()) for w in sorted(words)) + rb")" + NOT_ID_AFTER + rb"|\bmake\(\[\]|" + nil_or_var + nil_to_writer
        )
        methods = {m for (type_name, m) in self.package.methods if type_name in words}
        methods |= {"Set", "Add", "Append", "Do", *WELL_KNOWN_GETTERS}
        calls = re.compile(rb"(?<![\w\x80-\xff.])(?:" + writer_names + rb")\s*\(") if writers else None
        return Prefilter(sources, frozenset(methods), frozenset(w.encode() for w in self.structs_with_maps), calls)

    @cached_property
    def parameter_writers(self) -> frozenset[str]:
        """Same-package functions whose text writes one of their map parameters, directly or
        by handing it to another such function (the candidates for `function_summary`)."""
        from analyzers.flow.cache import declaration_fact

        for file in self.package.files.values():
            _prime_writes(file)  # one query a file; analysing the package needs these anyway

        def map_parameters_of(decl: FuncDecl, written_only: bool) -> bool:
            file = self.package.files.get(decl.path)
            if written_only:
                roots = {root for root, method in declaration_fact("writes", decl.node, _writes, file) if not method}
                if not roots:
                    return False
            parameters = declaration_fact("parameters", decl.node, _parameters, file)
            return any(self.types.is_map(t) for p, t in parameters.items() if not written_only or p in roots)

        found = {name for name, decl in self.package.funcs.items() if map_parameters_of(decl, written_only=True)}
        if not found:
            return frozenset()
        map_parameters = {name for name, decl in self.package.funcs.items() if map_parameters_of(decl, written_only=False)}
        for _ in range(3):  # through a few levels of helpers
            if not found:
                break
            calls = re.compile(rb"(?<![\w\x80-\xff.])(?:" + b"|".join(re.escape(w.encode()) for w in sorted(found)) + rb")\s*\(")
            more = {name for name in map_parameters - found if calls.search(self.package.funcs[name].node.text or b"")}
            if not more:
                break
            found |= more
        return frozenset(found)

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
    def package_var_entry(self, name: str, func: Node) -> Val | None:
        """The value of package-level `name` when `func` starts."""
        decl = self.package_vars.get(name)
        if decl is None:
            return None
        if _is_init(func):
            return self._declared_value(decl)
        if name not in self._var_entry:
            self._var_entry[name] = None  # cycle guard
            self._var_entry[name] = self._entry_after_init(decl)
        return self._var_entry[name] or UNKNOWN_VAL

    def _declared_value(self, decl: VarDecl) -> Val:
        if decl.value is not None:
            value = decl.value
            if value.type == "nil":
                return Val(NIL, Origin("package-var", decl.path, decl.start, decl.end, "set to nil in its declaration"))
            if value.type == "composite_literal" or text(value).startswith("make("):
                return MADE_VAL
            return UNKNOWN_VAL
        if self.types.is_map(decl.type_text):
            where = f"declared at line {self._line(decl)} without make"
            return Val(NIL, Origin("package-var", decl.path, decl.start, decl.end, where))
        struct = self.types.struct_name(decl.type_text)
        if struct is not None and not decl.type_text.strip().startswith("*"):
            where = f"package-level zero value declared at line {self._line(decl)}"
            return Val(MADE, zero=Origin("construction", decl.path, decl.start, decl.end, where, struct))
        return UNKNOWN_VAL

    def _line(self, decl: VarDecl) -> int:
        file = self.package.files.get(decl.path)
        return file.lines.line_of(decl.start) + 1 if file is not None else 0

    def _entry_after_init(self, decl: VarDecl) -> Val:
        declared = self._declared_value(decl)
        if declared.zero is not None:
            return UNKNOWN_VAL  # any function may have set the fields of a package-level struct first
        if not declared.bits & NIL:
            return declared
        # Exported variables may be set by other packages; anything assigned outside
        # init() may run before the function we look at.
        if decl.name[:1].isupper() or self.assigned_outside_init(decl.name):
            return UNKNOWN_VAL
        val = declared
        from analyzers.flow.interpreter import Interpreter

        for init in self.package.inits:
            if decl.name not in _mentioned_names(init.node):
                continue
            file = self.package.files[init.path]
            interpreter = Interpreter(self, file, init.node)
            interpreter.run()
            exit_env = interpreter.exit_env
            if exit_env is None:
                continue
            key = ("pkg:" + decl.name,)
            after = exit_env.get(key)
            if after is None:
                # Fields set by init on a package-level struct stay unknown here: too rare to model.
                if any(k[:1] == key and len(k) > 1 for k in exit_env):
                    return UNKNOWN_VAL
                continue
            if after.bits & NIL and val.origin is not None:
                when = after.when
                note = val.origin.description
                if after.bits != NIL:
                    note += " and made only on some paths of init()"
                after = Val(after.bits, Origin("package-var", decl.path, decl.start, decl.end, note), when)
            val = after
        return val

    @cached_property
    def nil_package_vars(self) -> frozenset[str]:
        """Package-level maps and structs declared without a value that nothing but init() assigns.

        Part of every cached function's key: whether such a variable is assigned elsewhere
        decides what functions see of it, wherever the assignment is.
        """
        return frozenset(
            name
            for name, decl in self.package_vars.items()
            if decl.value is None
            and (self.types.is_map(decl.type_text) or self.types.struct_name(decl.type_text))
            and not self.assigned_outside_init(name)
        )

    def assigned_outside_init(self, name: str) -> bool:
        """Whether any code but `init()` may assign package-level `name` (by its text).

        A textual test is enough: a local variable of the same name only makes us treat
        the package variable as unknown, which never causes a report.
        """
        pattern = re.compile(
            rb"(?<![.])" + name_pattern(name) + rb"\s*(?:,[^=\n]*)?(?:[-+*/%&|^]|<<|>>)?=(?!=)"
            + rb"|[,(]\s*" + name_pattern(name) + rb"\s*(?:,[^=\n]*)?=(?!=)"
            + rb"|&" + name_pattern(name)
        )
        for path, file in self.package.files.items():
            source = file.source
            if name.encode() not in source:
                continue
            for init in self.package.facts_of(path).inits:
                source = source[: init.node.start_byte] + b" " * (init.node.end_byte - init.node.start_byte) + source[init.node.end_byte :]
            for match in pattern.finditer(source):
                if not _in_declaration(file, match.start()):
                    return True
        return False

    # ------------------------------------------------------------------ functions
    def call_result(self, name: str) -> Val:
        """The value a call of same-package function `name` gives (unknown unless summarised)."""
        result = self.function_result(name)
        return result.val if result is not None else UNKNOWN_VAL

    def function_result(self, name: str) -> FunctionResult | None:
        decl = self.package.funcs.get(name)
        if decl is None or not decl.result_types:
            return None
        first = normalise(decl.result_types[0])
        is_map = self.types.is_map(first)
        struct = self.types.struct_name(first)
        if not is_map and struct is None:
            return None
        if name in self._results:
            return self._results[name]
        self._results[name] = None  # recursion guard
        self._results[name] = self._compute_result(decl, is_map, len(decl.result_types))
        return self._results[name]

    def _compute_result(self, decl: FuncDecl, is_map: bool, arity: int) -> FunctionResult | None:
        from analyzers.flow.interpreter import Interpreter

        file = self.package.files[decl.path]
        interpreter = Interpreter(self, file, decl.node)
        interpreter.run()
        values = interpreter.ctx.return_values
        if not values:
            return None
        val: Val | None = None
        children: dict[tuple, Val] | None = None
        for returned, returned_children in (results[0] for results in values if results):
            if not is_map and returned.bits == NIL:
                continue  # a nil pointer: using it fails before any map write
            val = join(val, returned)
            if children is None:
                children = dict(returned_children)
            else:
                keys = children.keys() | returned_children.keys()
                children = {k: join(children.get(k, UNKNOWN_VAL), returned_children.get(k, UNKNOWN_VAL)) for k in keys}
        if val is None:
            return None
        # A field nil on some paths of the constructor only (`if withGraph { t.g = make(...) }`)
        # depends on its arguments, which the caller knows and we do not: unknown.
        children = {k: (UNKNOWN_VAL if v.bits & NIL and v.bits != NIL else v) for k, v in (children or {}).items()}
        if is_map:
            if arity > 1 and val.bits != NIL:
                return FunctionResult(UNKNOWN_VAL, {})  # nil beside an error: callers check the error
            if val.bits & NIL:
                where = "returns nil on every path" if val.bits == NIL else "may return nil"
                origin = Origin("function", decl.path, decl.node.start_byte, decl.node.end_byte, f"`{decl.name}()` {where}")
                val = Val(val.bits, origin)
        return FunctionResult(val, children or {})

    def result_children(self, name: str) -> dict[tuple, Val]:
        result = self.function_result(name)
        return result.children if result is not None else {}

    def multi_result(self, right: list[Node], index: int, interpreter: Interpreter) -> Val:
        """The value of result `index` of a multi-value call (`t, err := NewT()`)."""
        if len(right) == 1 and index == 0:
            call = right[0]
            if call.type == "call_expression":
                function = call.child_by_field_name("function")
                if function is not None and function.type == "identifier" and interpreter.resolve(text(function)) is None:
                    result = self.function_result(text(function))
                    if result is not None and result.val.bits & NIL == 0:
                        return result.val
        return UNKNOWN_VAL

    def qualified_call_result(self, env: dict, receiver: Node | None, method: str, args: list[Node], interpreter: Interpreter) -> Val:
        """A call into another package, or on a value we do not track."""
        if receiver is not None and receiver.type == "identifier" and text(receiver) == "maps" and method == "Clone" and len(args) == 1:
            # maps.Clone of a nil map is nil: the clone is as nil as the original.
            path = interpreter.path_of(args[0])
            if path is not None:
                val = interpreter.lookup(env, path)
                if val.bits & (NIL | EXTERNAL):
                    return val
        return UNKNOWN_VAL

    def method_result_type(self, interpreter: Interpreter, selector: Node) -> str:
        receiver = selector.child_by_field_name("operand")
        field_node = selector.child_by_field_name("field")
        path = interpreter.path_of(receiver)
        if path is None or field_node is None:
            return ""
        type_name = pointee(interpreter.type_of_path(path))
        decl = self.package.methods.get((type_name, text(field_node)))
        if decl is not None and decl.result_types:
            return normalise(decl.result_types[0])
        return ""

    def nil_predicate(self, interpreter: Interpreter, call: Node) -> tuple[tuple, bool] | None:
        """`x.IsDir()` where `IsDir` is `return r.Children != nil`: (path of x.Children, nil when true)."""
        function = call.child_by_field_name("function")
        arguments = call.child_by_field_name("arguments")
        if function is None or function.type != "selector_expression" or (arguments is not None and arguments.named_child_count):
            return None
        receiver = function.child_by_field_name("operand")
        name = function.child_by_field_name("field")
        path = interpreter.path_of(receiver)
        if path is None or name is None:
            return None
        decl = self.package.methods.get((pointee(interpreter.type_of_path(path)), text(name)))
        if decl is None or decl.body is None:
            return None
        statements = [c for c in decl.body.named_children if c.type == "statement_list"]
        body = statements[0].named_children if statements else []
        if len(body) != 1 or body[0].type != "return_statement":
            return None
        match = _NIL_PREDICATE.match(normalise(text(body[0])))
        if match is None or match.group(1) != decl.receiver_name:
            return None
        fields = tuple(("f", f) for f in match.group(2).split("."))
        return path + fields, match.group(3) == "=="

    # ------------------------------------------------------------------ methods
    def stdlib_writes_receiver(self, type_text: str, method: str) -> bool:
        methods = STDLIB_WRITING_METHODS.get(pointee(type_text))
        return methods is not None and method in methods

    def method_summary(self, type_name: str, method: str) -> MethodSummary | None:
        """How a same-package method treats its receiver's maps (None: unknown method)."""
        key = (type_name, method)
        if key in self._summaries:
            return self._summaries[key]
        if type_name not in self.structs_with_maps and not self.types.is_map(type_name):
            return None
        decl = self.package.methods.get(key)
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
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
            inner = self.method_summary(pointee(normalise(f.type_text)), method)
            if inner is None:
                continue
            prefix = (("f", f.name),)
            return MethodSummary(
                inner.name,
                {prefix + rel: w for rel, w in inner.writes.items()},
                {prefix + rel: e for rel, e in inner.effects.items()},
                inner.escapes,
            )
        return None

    def _summarise(self, decl: FuncDecl) -> MethodSummary | None:
        from analyzers.flow.interpreter import Interpreter

        if _leaves_receiver_alone(decl):
            return MethodSummary(decl.name)

        file = self.package.files[decl.path]
        interpreter = Interpreter(self, file, decl.node)
        interpreter.summary_mode = True
        events = interpreter.run()
        receiver_key = interpreter.receiver_key
        summary = MethodSummary(decl.name)
        if receiver_key is None:
            return summary
        for event in events.values():
            if event.target_path[0] == receiver_key and event.val.bits & ENTRY:
                summary.writes.setdefault(event.target_path[1:], event)
        exit_env = interpreter.exit_env
        if exit_env is None:
            return summary
        for rel in list(summary.writes):
            if (receiver_key, *rel) in interpreter.assigned_paths:
                # The method also assigns the field on some path (`case start: t.m = make(...)`):
                # which path a caller takes is its state's business, so no write is promised.
                del summary.writes[rel]
        root = exit_env.get((receiver_key,))
        summary.escapes = root is not None and bool(root.bits & UNKNOWN)
        if decl.pointer_receiver:
            for path, val in exit_env.items():
                if path[0] != receiver_key or len(path) < 2:
                    continue
                if val.bits == ENTRY:
                    continue
                if val.bits & ENTRY:
                    summary.effects[path[1:]] = "maybe"  # assigned on some paths only
                elif not val.bits & (NIL | UNKNOWN | EXTERNAL):
                    summary.effects[path[1:]] = "made"
                else:
                    summary.effects[path[1:]] = "assigned"
        return summary

    # ------------------------------------------------------------------ functions
    def function_summary(self, name: str) -> FunctionSummary | None:
        """Which map parameters a same-package function writes as they came in (None: none)."""
        if name not in self.parameter_writers:
            return None
        key = ("func", name)
        if key in self._summaries:
            return self._summaries[key]
        if key in self._in_progress:
            return None  # recursion: what is known so far is nothing
        self._in_progress.add(key)
        try:
            summary = self._summarise_function(self.package.funcs[name])
        finally:
            self._in_progress.discard(key)
        self._summaries[key] = summary
        return summary

    def _summarise_function(self, decl: FuncDecl) -> FunctionSummary | None:
        from analyzers.flow.interpreter import Interpreter

        interpreter = Interpreter(self, self.package.files[decl.path], decl.node)
        interpreter.summary_mode = True
        interpreter.parameters_at_entry = []
        events = interpreter.run()
        positions = {key: i for i, key in enumerate(interpreter.parameters_at_entry) if key is not None}
        summary = FunctionSummary(decl.name)
        for event in sorted(events.values(), key=lambda e: e.node.start_byte):
            root = event.target_path[0]
            if len(event.target_path) != 1 or root not in positions or not event.val.bits & ENTRY:
                continue
            if (root,) in interpreter.assigned_paths:
                continue  # also assigned on some path (`if m == nil { m = make(...) }`): the caller's state decides
            summary.writes.setdefault(positions[root], event)
        return summary if summary.writes else None

    def receiver_val(self, interpreter: Interpreter, var) -> Val:
        if interpreter.summary_mode:
            interpreter.receiver_key = var.key
            return Val(ENTRY)
        return self.parameter_val(var.type_text, var.node, interpreter.file.path, "receiver")

    # ------------------------------------------------------------------ decoded values
    def parameter_val(self, type_text: str, node: Node | None, path: str, kind: str = "parameter") -> Val:
        """A parameter or receiver: unknown, but a decoded struct's tagged map fields may be nil."""
        if node is not None and (self.decoded_struct(type_text) or is_foreign_type(type_text)):
            origin = Origin(kind, path, node.start_byte, node.end_byte, f"{kind} `{text(node)}`")
            return Val(UNKNOWN, external=origin)
        return UNKNOWN_VAL

    def decoded_struct(self, type_text: str) -> bool:
        """A same-package struct with decoding tags, or a collection of them (`[]*Item`)."""
        for _ in range(3):
            struct = self.package.struct_of(pointee(type_text))
            if struct is not None:
                return any(decoding_tag(f.tag) for f in struct.fields)
            type_text = self.types.index_type(type_text)
            if not type_text:
                return False
        return False

    def decoded_field(self, owner_type: str, field_name: str) -> Decoded | None:
        """How field `field_name` of a value of `owner_type` can be nil after decoding, or None."""
        struct = self.package.struct_of(pointee(owner_type))
        if struct is not None:
            found = self.types.find_field(owner_type, field_name)
            if found is None or not self.types.is_map(found.type_text):
                return None
            if not self._decoded_through(owner_type, field_name):
                return None  # promoted from an embedded field that decoding skips (`json:"-"`)
            return tagged_condition(field_name, found.tag)
        if is_foreign_type(owner_type) or not owner_type:
            return well_known_condition(field_name, owner_type)
        return None

    def _decoded_through(self, owner_type: str, field_name: str) -> bool:
        type_text = owner_type
        for step in self.types.promotion_chain(owner_type, field_name):
            embedded = self.types.find_field(type_text, step)
            if embedded is None or re.search(r'\w+:"-"', embedded.tag):
                return False
            type_text = normalise(embedded.type_text)
        return True

    def carries_external(self, owner_type: str, field_name: str) -> bool:
        """Whether a non-map field of a fetched object leads on to its maps (`pod.Spec.Containers`)."""
        struct = self.package.struct_of(pointee(owner_type))
        if struct is not None:
            found = self.types.find_field(owner_type, field_name)
            return found is not None and self.decoded_struct(found.type_text)
        return is_foreign_type(owner_type) or not owner_type


_NIL_PREDICATE = re.compile(r"^return (\w+)\.(\w+(?:\.\w+)*) (==|!=) nil$")


def _in_declaration(file, offset: int) -> bool:
    """Whether `offset` lies in a package-level `var` declaration (its own initialiser)."""
    node = file.tree.root_node.descendant_for_byte_range(offset, offset + 1)
    while node is not None and node.parent is not None and node.parent.type != "source_file":
        node = node.parent
    return node is not None and node.type in ("var_declaration", "const_declaration")


def _is_init(func: Node) -> bool:
    name = func.child_by_field_name("name")
    return func.type == "function_declaration" and name is not None and text(name) == "init"


def _mentioned_names(node: Node) -> set[str]:
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            names.add(text(current))
        stack.extend(current.named_children)
    return names


__all__ = ["FunctionResult", "MethodSummary", "PackageFlow", "Prefilter"]
