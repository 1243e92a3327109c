"""The prefilter: which functions can produce a finding at all, decided from their text.

A function is interpreted only if it holds a write into something (the query
`map_writes.scm`: an index on the left of an assignment, `++`/`--`, a call of a method that
may write its receiver's maps) and, in its text, a source of nil or of decoded values. Missing
either, it is skipped: this is what keeps nilmap near the speed of parsing.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

from tree_sitter import Node, QueryCursor

from analyzers.flow.cache import (
    code_fact,
    declaration_fact,
    has_code_fact,
    known_code_fact,
    placed_keys,
    put_code_fact,
    type_shapes,
)
from analyzers.flow.clientgo import FETCHING_METHODS
from analyzers.flow.decoded import DECODER_TEXT, WELL_KNOWN_FIELDS, WELL_KNOWN_GETTERS, is_foreign_type
from analyzers.flow.facts import PackageFacts
from analyzers.flow.syntax import root_name
from analyzers.gotext import NOT_ID_AFTER, NOT_ID_BEFORE, matches_before_name, split_top_level, without_comments
from analyzers.gotext import name as name_pattern
from analyzers.index import STDLIB_MAP_TYPES, FuncDecl
from analyzers.parsing import text
from analyzers.queries import load
from analyzers.source import SourceFile


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
        option_types: re.Pattern[bytes] | None = None,
    ) -> None:
        self.sources = sources
        self.writing_methods = writing_methods
        self.struct_words = struct_words  # same-package structs holding maps
        self.writing_calls = writing_calls  # calls of same-package functions that write a map parameter
        self.option_types = option_types  # functional option types whose options write fields
        self._signature: int | None = None

    def functions_with_writes(self, file: SourceFile, flow: PackageFacts, remember: bool = False) -> set[int]:
        """Start bytes of the functions of `file` holding a write into something that may be nil,
        or a call of a function that writes a map parameter.

        A write whose root is a parameter or receiver is left out unless that value can be
        decoded (NM004): the analysis treats parameters as unknown, so nothing could come of it.
        """
        # With `remember` (the server, re-checking a file on every edit), a function's verdict is
        # kept by its code and the package facts the prefilter was built from, so a re-check
        # asks only about what changed. A one-off check would only pay for storing them.
        # Verdicts read the code without its comments (`SourceFile.code`), as the analysis
        # does: a comment typed in a long function asks nothing again.
        kind = f"kept-{self.signature(flow)}" if remember else ""
        if remember and kind in file.memo:
            return file.memo[kind]
        found: set[int] = set()
        missing = []
        for node in file.functions:
            verdict = known_code_fact(kind, node, file) if remember else None
            if verdict is None:
                missing.append(node)
            elif verdict:
                found.add(node.start_byte)
        if missing:
            prime_writes(file)
        for node in missing:
            verdict = self._writes_into_maybe_nil(file, node, flow) or self._calls_a_writer(file, node) or self._applies_options(file, node)
            if remember:
                put_code_fact(kind, node, verdict, file)
            if verdict:
                found.add(node.start_byte)
        if remember:
            file.memo[kind] = found
        return found

    def signature(self, flow: PackageFacts) -> int:
        """What the verdicts depend on besides a function's text."""
        if self._signature is None:
            decoded = frozenset(name for name in flow.package.structs if flow.decoded_struct(name))
            self._signature = hash(
                (
                    self.sources.pattern,
                    self.writing_methods,
                    self.struct_words,
                    self.writing_calls.pattern if self.writing_calls is not None else None,
                    self.option_types.pattern if self.option_types is not None else None,
                    decoded,
                    flow.decoded_types,  # (found through fields by their names: `json.Unmarshal(b, &c.cfg)`)
                    _type_tokens(flow),
                )
            )
        return self._signature

    def _writes_into_maybe_nil(self, file: SourceFile, node: Node, flow: PackageFacts) -> bool:
        writes = code_fact("writes", node, writes_of, file)
        if not writes:
            return False
        parameters = declaration_fact("parameters", node, parameters_of, file)
        body = file.code(node)
        for root, method in writes:
            if method and method not in self.writing_methods:
                continue
            type_text = parameters.get(root)
            if type_text is not None:
                if not (
                    flow.decoded_struct(type_text)
                    or is_foreign_type(type_text)
                    or _reassigned(body, root)
                    or _compared_with_nil(body, root)
                    or _nil_stored_below(body, root)
                    or _FIELD_LENGTH_TESTED.search(body) is not None
                ):
                    continue
            elif not method and root not in flow.package_vars and not self.may_be_nil_local(body, root, flow) and not _literal_parameter(body, root):
                continue  # (a package variable holds, when the function starts, what others left in it)
            return True
        return False

    def _calls_a_writer(self, file: SourceFile, node: Node) -> bool:
        """Whether the function calls a same-package function that writes a map parameter."""
        body = node.child_by_field_name("body")
        if self.writing_calls is None or body is None:
            return False
        return self.writing_calls.search(file.code(body)) is not None

    def _applies_options(self, file: SourceFile, node: Node) -> bool:
        """Whether the function names a functional option type whose options write fields
        (`func New(opts ...Option)`): applying one is a write."""
        return self.option_types is not None and self.option_types.search(file.code(node)) is not None

    def may_be_nil_local(self, body: bytes, root: str, flow: PackageFacts) -> bool:
        """Whether an index write's root, not a parameter, can hold a nil map (or nil maps).

        False only when every assignment of it in the function is plainly not nil and holds
        no nil maps: `make(map[K]V)` or `map[K]V{...}` of plain values, a slice or array of
        non-maps, or a call into another package. Anything else, or a name the function never
        assigns (a package variable, a named result, a captured variable), or one whose address
        is taken, may be nil.
        """
        if not root:
            return True
        declared, assigned, addressed, unmarshalled = _local_patterns(root)
        has_var, has_address, has_unmarshal = _holds_var_and_address(body)
        if has_var and next(matches_before_name(declared, body, root), None) is not None:
            return True
        if has_address and next(matches_before_name(addressed, body, root), None) is not None:
            return True  # `reset(&m)`: whatever holds its address may set it, to nil too
        right_sides = [_value_of_name(match) for match in matches_before_name(assigned, body, root, _ASSIGNED_AFTER_NAME)]
        if not right_sides:
            return True
        if has_unmarshal and unmarshalled.search(body) is not None:
            return True  # a YAML decoder may set even a made map to nil (`library`)
        return any(not self._plainly_not_nil(rhs) for rhs in right_sides)

    def _plainly_not_nil(self, rhs: bytes) -> bool:
        if _GETTERS.search(rhs) or rhs.startswith(b"maps.Clone"):
            return False
        plain = _PLAIN_MAKE.match(rhs) or _PLAIN_MAP_LITERAL.match(rhs)
        if plain:
            value = plain.group(1).strip().lstrip(b"*")
            return value not in self.struct_words  # a map of structs holding maps may hold nil ones
        if sliced := _SLICE.match(rhs):
            element = sliced.group(1)
            return not element.startswith(b"map[") and element.rstrip(b"{(),").lstrip(b"*") not in self.struct_words
        if _FETCHING_CALL.search(rhs) or b".DeepCopy()" in rhs:
            return False  # a client-go typed client's object, fetched (`clientgo`), or a copy of one
        if _OTHER_PACKAGE_CALL.match(rhs):
            return True
        return False

    def has_source(self, body: bytes, named_results: bool = False, roots: Iterable[str] = ()) -> bool:
        """Whether the function's text holds a nil or decoded source; `roots` are its write roots,
        whose own `== nil` checks count (a write under `if m == nil` is a finding)."""
        if named_results or self.sources.search(body) is not None:
            return True
        if STRING_KEYED_FIELD.search(body) is not None and DECODER_TEXT.search(body) is not None:
            return True  # `msg.Metadata["k"] = v` after a decode: a field of a type nilmap may not read
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


def _type_tokens(flow: PackageFacts) -> frozenset[int]:
    """The package's type declarations by their tokens: what the verdicts read of the named
    types, without the comments and spacing (typing a comment in a struct asks nothing again)
    nor the names of struct fields (`shape_hash`: no verdict names a field)."""
    return frozenset(digest for file in flow.package.files.values() for kind, digest in type_shapes(file) if kind == "type_declaration")


# `msg.Metadata["k"] = v`, `msg.Metadata[keyName] = v`: a field written with a key that may be a string constant.
STRING_KEYED_FIELD = re.compile(rb"[\w\x80-\xff)\]]\.[\w\x80-\xff]+\[\s*(?:[\"`][^\n]*|[\w\x80-\xff.]+\s*)\]\s*(?:[-+*/%&|^]|<<|>>|&\^)?=[^=]")
_GETTERS = re.compile(rb"\.(?:" + b"|".join(g.encode() for g in WELL_KNOWN_GETTERS) + rb")\(")
_PLAIN_MAKE = re.compile(rb"make\(map\[[^\]\[]*\](?!map\[|\[\]map\[|\*?map\[)([^,)\n]*)")
_PLAIN_MAP_LITERAL = re.compile(rb"map\[[^\]\[]*\](?!map\[|\[\]map\[)([^{\n]*)\{")
_SLICE = re.compile(rb"(?:make\(|&?)\[[0-9]*\]([\w\x80-\xff.*\[\]]+)")
_FETCHING_CALL = re.compile(rb"\.(?:" + "|".join(FETCHING_METHODS).encode() + rb")\(")
_OTHER_PACKAGE_CALL = re.compile(rb"[a-z][\w]*\.[A-Z][\w]*\(")


def _value_of_name(match: re.Match[bytes]) -> bytes:
    """The text of the value an assignment matched by `_local_patterns` gives the name: the whole
    right side, or in `a, m := x, y` the value at the name's position (`y`), as Go pairs them.
    A list of names with one value on the right (`m, err := f()`) is a call's results: the call."""
    right = match.group("right")
    if not match.group("before") and not match.group("after"):
        return right
    names = match.group("before").count(b",") + match.group("after").count(b",") + 1
    values = split_top_level(right)
    return values[match.group("before").count(b",")] if len(values) == names else right


# What follows the name in every match of `_local_patterns`' assignment: `m =`, `m :=`, `m, err :=`.
_ASSIGNED_AFTER_NAME = re.compile(rb"\s*[,:=]")


@functools.lru_cache(maxsize=8)
def _holds_var_and_address(body: bytes) -> tuple[bool, bool, bool]:
    """Whether a function's text holds `var`, `&` and `.Unmarshal` at all: without them, no name
    of it needs searching for a declaration, an address taken or a decode into it (asked for
    each name it writes: a search of the whole text each time)."""
    return b"var" in body, b"&" in body, b".Unmarshal" in body


@functools.lru_cache(maxsize=1024)
def _local_patterns(root: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """`var root` (also in a list), an assignment to `root` with its right side, `&root`, and
    `&root` handed to an Unmarshal; compiled once per name (a long function asks about
    hundreds, more than `re` keeps compiled)."""
    name = name_pattern(root)
    return (
        re.compile(rb"\bvar\s+(?:[\w\x80-\xff]+\s*,\s*)*" + name),
        re.compile(
            rb"(?:^|[\s,(;])(?P<before>(?:[\w\x80-\xff]+\s*,\s*)*)" + name + rb"\s*(?P<after>(?:,\s*[\w\x80-\xff]+\s*)*):?=(?!=)\s*(?P<right>[^\n]*)"
        ),
        re.compile(rb"&\s*" + name),
        re.compile(rb"\.Unmarshal\w*\([^\n]*&\s*" + name),
    )


def prime_writes(file: SourceFile) -> None:
    """Fill the per-declaration `writes` facts of a file with one query over the whole tree
    (one query per function costs more when most are new, as on the command line)."""
    if file.memo.get("writes-primed"):
        return  # this version was primed already (a fact dropped since is computed when asked)
    file.memo["writes-primed"] = True
    # The file's own top-level functions only (those recovered from ERROR nodes live in other trees).
    functions = [n for n in file.tree.root_node.named_children if n.type in ("function_declaration", "method_declaration")]
    missing = [n for n in functions if not has_code_fact("writes", n, file)]
    if len(missing) < 8:
        return
    starts = [n.start_byte for n in missing]
    found: dict[int, set[tuple[str, str]]] = {start: set() for start in starts}
    for _pattern, captures in QueryCursor(load("map_writes")).matches(file.tree.root_node):
        node = captures.get("write.call", captures.get("write", [None]))[0]
        if node is None:
            continue
        index = bisect.bisect_right(starts, node.start_byte) - 1
        if index < 0 or node.end_byte > missing[index].end_byte:
            continue
        if "write.method" in captures:
            method = text(captures["write.method"][0])
            found[starts[index]].add((root_name(captures["write.receiver"][0], through_index=True), method))
        else:
            target = captures["write.target"][0]
            found[starts[index]].add((root_name(target, through_index=True), ""))
    for node in missing:
        put_code_fact("writes", node, frozenset(found[node.start_byte]), file)


# A function body of more top-level statements than this is queried statement by statement,
# each statement's writes kept by its text: typing in a 3,000-line function then queries the
# statement typed in, not the whole function (the query costs about 3 us a line).
STATEMENTS_QUERIED_APART = 200


def writes_of(node: Node) -> frozenset[tuple[str, str]]:
    """(root name, method or "") of each write in a function: `m` for `m[k] = v`, `h`+`Set` for `h.Set(...)`."""
    body = node.child_by_field_name("body")
    statements = body.named_children[0] if body is not None and body.named_child_count == 1 else None
    if body is None or statements is None or statements.type != "statement_list" or statements.named_child_count <= STATEMENTS_QUERIED_APART:
        return _writes_in(node)
    found = set(_writes_in(node, before=body.start_byte))  # (the signature: `[unsafe.Sizeof(x)]T`)
    for statement in statements.named_children:
        # (a statement's tree is its text's only where it parsed without error)
        found |= _writes_in(statement) if statement.has_error else declaration_fact("statement-writes", statement, _writes_in)
    return frozenset(found)


def _writes_in(node: Node, before: int | None = None) -> frozenset[tuple[str, str]]:
    """`writes_of` found by one query over `node` (with `before`, over its bytes before it)."""
    found: set[tuple[str, str]] = set()
    cursor = QueryCursor(load("map_writes"))
    if before is not None:
        cursor.set_byte_range(node.start_byte, before)
    for _pattern, captures in cursor.matches(node):
        if "write.method" in captures:
            method = text(captures["write.method"][0])
            found.add((root_name(captures["write.receiver"][0], through_index=True), method))
        else:
            target = captures["write.target"][0]
            found.add((root_name(target, through_index=True), ""))
    return frozenset(found)


def parameters_of(node: Node) -> dict[str, str]:
    """Parameter and receiver names of a function with their type texts (without comments: the
    prefilter's verdicts, kept by the function's code, read them)."""
    found: dict[str, str] = {}
    for field_name in ("receiver", "parameters"):
        params = node.child_by_field_name(field_name)
        for decl in params.named_children if params is not None else []:
            type_node = decl.child_by_field_name("type")
            for name in decl.children_by_field_name("name"):
                found[text(name)] = without_comments(type_node.text or b"").decode("utf-8", "replace") if type_node is not None else ""
    return found


def leaves_receiver_alone(decl: FuncDecl) -> bool:
    """A method that writes no map, assigns nothing through its receiver, calls none of its
    methods and hands it to no one: its summary is empty without interpreting it."""
    body = decl.body
    if body is None or not decl.receiver_name or decl.receiver_name == "_":
        return body is None
    if code_fact("writes", decl.node, writes_of):
        return False
    receiver = name_pattern(decl.receiver_name)
    # `r.f = v`, `r.m()`, `f(r)`, `&r`, and `*r` (a pointer receiver's pointee, set or read).
    uses = re.compile(
        receiver + rb"(?:\.[\w\x80-\xff.]+\s*(?:,[^=\n]*)?(?:[-+*/%&|^]|<<|>>)?=[^=]|\.[\w\x80-\xff]+\(|\s*[,)])|&" + receiver
        + rb"|[(,]\s*" + receiver + rb"|\*\s*" + receiver
    )
    return uses.search(body.text or b"") is None


def reads_receiver_only(decl: FuncDecl) -> bool:
    """A method that writes no map, stores nothing through its receiver or through a name bound
    to what it holds, calls none of its receiver's methods, and neither takes its address nor
    hands it on (`seriesString()` reading fields into a string): calling it changes nothing the
    caller knows of the value."""
    body = decl.body
    if body is None or not decl.receiver_name or decl.receiver_name == "_":
        return False
    if code_fact("writes", decl.node, writes_of):
        return False
    return _CHANGES(name_pattern(decl.receiver_name)).search(body.text or b"") is None


@functools.lru_cache(maxsize=64)
def _CHANGES(receiver: bytes) -> re.Pattern[bytes]:
    """`r.f = v`, `r.f[i].g++`, `&r`, `*r`, `r.m()`, `f(r)`, and `x := r.items` (a name bound
    to what the receiver holds, which a store through it would change)."""
    held = receiver + rb"[\w\x80-\xff.\[\]]*"
    return re.compile(
        held + rb"\s*(?:,[^=\n]*)?(?:[-+*/%&|^]|<<|>>)?=[^=]|" + held + rb"\s*(?:\+\+|--)|&\s*" + receiver + rb"|\*\s*" + receiver
        + rb"|" + receiver + rb"\.[\w\x80-\xff]+\(|[(,]\s*" + receiver + rb"\s*[,)]|=\s*" + held + rb"\s*$",
        re.MULTILINE,
    )


# `len(l.vals) == 0` (and its spellings): a field's map found empty, which a nil one is; a
# write into it (or into the element it was copied from) on that branch may be one (`narrowing`).
_FIELD_LENGTH_TESTED = re.compile(rb"\blen\(\s*[\w\x80-\xff.\[\]]+\.[\w\x80-\xff]+\s*\)\s*(?:[!=]=|[<>]=?)\s*[01]\b")


# The parameter list of a func literal (`func(d *api.Deployment) {`), without nested parentheses.
_LITERAL_PARAMETERS = re.compile(rb"\bfunc\s*\(([^()]*)\)")


def _literal_parameter(body: bytes, identifier: str) -> bool:
    """Whether a func literal in the body declares `identifier` as a parameter: it holds what
    the literal's caller passes, whatever a variable of the same name outside it is assigned
    (`d := build(func(d *T) { d.m[k] = v })`, where the outer `d` is another variable)."""
    lists = _literal_parameter_lists(body)
    if not lists:
        return False
    declared = name_pattern(identifier) + rb"\s*(?:,|\.\.\.|\s+[\w\x80-\xff*\[(])"
    return any(re.search(declared, parameters) is not None for parameters in lists)


@functools.lru_cache(maxsize=8)
def _literal_parameter_lists(body: bytes) -> tuple[bytes, ...]:
    """The parameter lists of the func literals of a function's text, found once per text (asked
    for each name it writes: a 3,000-line function writing 500 names searched its 100 KB 500
    times)."""
    return tuple(match.group(1) for match in _LITERAL_PARAMETERS.finditer(body))


def _compared_with_nil(body: bytes, identifier: str) -> bool:
    """Whether something reached from `identifier` (`p`, `p.f`, `*p`) is compared with nil: the
    code's own evidence that what it writes there may be nil. A range value of it
    (`for i, v := range p.items`) is a copy of an element, so its comparison counts too."""
    compared = rb"[\w\x80-\xff.\[\]\"()]*\s*[!=]=\s*nil\b"
    if re.search(name_pattern(identifier) + compared, body) is not None:
        return True
    ranged = rb"[\w\x80-\xff]+\s*,\s*([\w\x80-\xff]+)\s*:?=\s*range\s+" + name_pattern(identifier)
    return any(re.search(name_pattern(match.group(1).decode()) + compared, body) is not None for match in re.finditer(ranged, body))


def _nil_stored_below(body: bytes, identifier: str) -> bool:
    """Whether nil is stored into something reached from `identifier` (`p.f = nil`,
    `(*p).f = nil`): a source of nil in the function itself, whatever the parameter held."""
    return re.search(name_pattern(identifier) + rb"\)?[.\[][\w\x80-\xff.\[\]\"()]*\s*=\s*nil\b", body) is not None


def _reassigned(body: bytes, identifier: str) -> bool:
    return re.search(rb"(?<![.])" + name_pattern(identifier) + rb"\s*(?:,[^=\n]*)?=[^=]|&" + name_pattern(identifier), body) is not None


@functools.lru_cache(maxsize=64)
def _alternatives(words: frozenset[str]) -> bytes:
    """`a|b|...` of the words, escaped (a package's words change rarely; it has one per function
    returning a map or a struct with maps)."""
    return b"|".join(re.escape(w.encode()) for w in sorted(words))


def build_prefilter(flow: PackageFacts) -> Prefilter:
    """The prefilter of a package: the words that can bring nil or decoded values into a function."""
    words = {*WELL_KNOWN_FIELDS, *WELL_KNOWN_GETTERS}
    words |= set(flow.structs_with_maps)
    words |= _decoded_collections_of_maps(flow)  # `range tc.ExpAlerts`: decoded elements hold the maps
    words |= _map_callback_takers(flow)  # `patch(obj, func(m map[K]V) { m[k] = v })`: it hands the map
    words |= flow.types.module_qualifiers  # `api.Job{...}`: another package's struct may hold maps
    words |= {name for name in flow.package.named_types if flow.types.is_map(name)}
    for name in flow.package_vars:
        type_text = flow.package_var_type(name)
        if flow.types.is_map(type_text) or flow.types.struct_name(type_text):
            words.add(name)
    words |= flow.pointer_resetters  # `reset(&m)`: sets the map to nil through the pointer
    for name, func in flow.package.funcs.items():
        if func.result_types and (flow.types.is_map(func.result_types[0]) or flow.types.struct_name(func.result_types[0])):
            words.add(name)
    for (_, name), method in flow.package.methods.items():
        # `sv, err := c.makeVariable(path)`: a method may return what it decoded.
        if len(method.result_types) > 1 and flow.types.struct_name(method.result_types[0]) and flow.decoded_struct(method.result_types[0]):
            words.add(name)
    # `nil` as a value, not in the `err != nil` of nearly every function; `var` of a map
    # or an array of maps (struct types with maps are among the words).
    library_maps = b"|".join(sorted(re.escape(t.rpartition(".")[2].encode()) for t in STDLIB_MAP_TYPES))
    nil_or_var = rb"\bvar\s+[\w\x80-\xff, ]+?\s(?:map\[|\[\w*\]map\[|\w+\.(?:" + library_maps + rb")\b)|\bvar\s*\(|\]map\["
    writers = flow.parameter_writers
    writer_names = b"|".join(re.escape(w.encode()) for w in sorted(writers))
    # `record(nil, w)`: a nil handed straight to a function that writes it.
    # `record[string, int](nil, w)`: a generic writer may be instantiated explicitly.
    instantiated = rb"\s*(?:\[[^\]\n]*\]\s*)?\("
    nil_to_writer = rb"|(?<![\w\x80-\xff.])(?:" + writer_names + rb")" + instantiated + rb"[^()\n]*\bnil\b" if writers else b""
    method_writers = sorted({method for _, method in flow.method_parameter_writers})
    if method_writers:
        # `r.record(nil, w)`: the same through a method.
        nil_to_writer += rb"|\.(?:" + b"|".join(re.escape(m.encode()) for m in method_writers) + rb")" + instantiated + rb"[^()\n]*\bnil\b"
    sources = re.compile(
        NOT_ID_BEFORE + rb"(?:" + _alternatives(frozenset(words)) + rb")" + NOT_ID_AFTER + rb"|\bmake\(\[\]|" + nil_or_var + nil_to_writer
    )
    # (a method that writes no map, nor calls one that may, cannot write a nil one)
    methods = {m for (type_name, m) in flow.package.methods if type_name in words and m in flow.map_writers}
    methods |= flow.library_writers
    called = [rb"(?<![\w\x80-\xff.])(?:" + writer_names + rb")" + instantiated] if writers else []
    if method_writers:
        called.append(rb"\.(?:" + b"|".join(re.escape(m.encode()) for m in method_writers) + rb")" + instantiated)
    pointer_writers = sorted(flow.pointer_writers)
    if pointer_writers:
        # `fill(&m, k)`, `st.merge(&other)`: a function writing a map through a pointer it is handed.
        called.append(rb"(?<![\w\x80-\xff])(?:" + b"|".join(re.escape(w.encode()) for w in pointer_writers) + rb")" + instantiated)
    calls = re.compile(b"|".join(called)) if called else None
    return Prefilter(sources, frozenset(methods), frozenset(w.encode() for w in flow.structs_with_maps), calls, flow.option_types)


def _decoded_collections_of_maps(flow: PackageFacts) -> set[str]:
    """Decoded same-package structs that reach a map only through a collection of structs
    (`ExpAlerts []alert`): a function naming one may range out elements whose maps decoding
    left nil, though its text names no struct that holds a map itself."""
    reaching = set(flow.structs_with_maps)
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, struct in flow.package.structs.items():
            if name in reaching or not flow.decoded_struct(name):
                continue
            if any(_held_struct(flow, f.type_text) in reaching for f in struct.fields):
                reaching.add(name)
                found.add(name)
                changed = True
    return found


def _map_callback_takers(flow: PackageFacts) -> set[str]:
    """Same-package functions and methods taking a func parameter that is handed a map
    (`f func(map[string]string)`): a literal passed to one may be handed a decoded map."""
    package = flow.package
    return {package.funcs[key].name for key in placed_keys(package, "map-callback-taker", "funcs", _takes_map_callback, by_text=False)} | {
        package.methods[key].name for key in placed_keys(package, "map-callback-taker", "methods", _takes_map_callback, by_text=False)
    }


def _takes_map_callback(decl: FuncDecl) -> bool:
    parameters = decl.node.child_by_field_name("parameters")
    for parameter in parameters.named_children if parameters is not None else ():
        type_node = parameter.child_by_field_name("type")
        if type_node is not None and type_node.type == "function_type" and b"map[" in (type_node.text or b""):
            return True
    return False


def _held_struct(flow: PackageFacts, type_text: str) -> str | None:
    """The struct a field's collection holds (`alert` of `[]alert`, `map[string]*alert`)."""
    for _ in range(3):
        element = flow.types.index_type(type_text)
        if not element:
            return None
        name = flow.types.struct_name(element)
        if name is not None:
            return name
        type_text = element
    return None


def option_types(flow: PackageFacts) -> re.Pattern[bytes] | None:
    """The names of the package's functional option types some option of which writes a field."""
    names = sorted(name for name in flow.package.named_types if any(summary.writes for summary in flow.option_summaries(name)))
    return re.compile(NOT_ID_BEFORE + rb"(?:" + b"|".join(re.escape(n.encode()) for n in names) + rb")" + NOT_ID_AFTER) if names else None
