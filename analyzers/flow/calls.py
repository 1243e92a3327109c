"""Calls and their effects: builtins, same-package functions and methods (through their
summaries), methods of map types that write their receiver, decoders that fill what they
are handed, and values handed to code we cannot follow (which may change them)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from tree_sitter import Node

from analyzers.flow.constant_keys import is_returned, keyed_stores, map_only_read
from analyzers.flow.core import Mode
from analyzers.flow.decoded import is_decoder_call, is_foreign_type
from analyzers.flow.events import WriteEvent
from analyzers.flow.exit_paths import ExitPath
from analyzers.flow.facts import FunctionSummary, MethodSummary
from analyzers.flow.frames import Env, Var
from analyzers.flow.known_documents import KnownDocuments
from analyzers.flow.known_values import holds
from analyzers.flow.library import (
    callee_name,
    decodes_into_pointer,
    decodes_null_document,
    hands_to_decoder,
    parameter_names,
    writes_pointee,
)
from analyzers.flow.paths import DEREF, FIELD, INDEX, WRITTEN, Local, Path, below, is_constant_key, keys_below
from analyzers.flow.prefilter import reads_receiver_only
from analyzers.flow.syntax import arguments_of, is_address_of, strip
from analyzers.flow.types import instantiate, normalise, pointee, receiver_name
from analyzers.flow.values import (
    DEEP_COPIED,
    ENTRY,
    EXTERNAL,
    LINE,
    MADE,
    MADE_VAL,
    NIL,
    NILISH,
    UNKNOWN,
    UNKNOWN_VAL,
    Condition,
    Effect,
    Literal,
    Origin,
    OriginKind,
    Val,
    join_known,
    not_nil,
)
from analyzers.index import type_parameter_names

# Standard-library functions whose result is never nil.
# (import path, function) of error constructors that never return nil; `Wrap` of pkg/errors
# returns nil for a nil error, so it is not one.
_NEVER_NIL = frozenset({("errors", "New"), ("fmt", "Errorf"), ("github.com/pkg/errors", "New"), ("github.com/pkg/errors", "Errorf")})

# Standard-library functions that only read the maps they are given.
_READS_ARGUMENTS = frozenset({"maps.Clone", "maps.Equal", "maps.Keys", "maps.Values"})
# (import path, function) of standard-library printers: they format their arguments, which
# stay as they were (a decoded map handed to a log line stays decoded).
_PRINTS_ARGUMENTS = frozenset(
    {("fmt", name) for name in ("Print", "Printf", "Println", "Sprint", "Sprintf", "Sprintln", "Fprint", "Fprintf", "Fprintln", "Errorf")}
    | {("log", name) for name in ("Print", "Printf", "Println", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln")}
)

# Calls that stop the test (or program) unless their second argument is nil (testify's
# `require`, with its formatting variants).
_STOPS_UNLESS_NIL = frozenset({"require.NoError", "require.NoErrorf", "require.Nil", "require.Nilf"})

# Methods that release a lock (sync.Mutex, sync.RWMutex).
_RELEASES_LOCK = frozenset({"Unlock", "RUnlock"})
# Methods every Kubernetes API object has (apimachinery's runtime.Object and schema.ObjectKind,
# generated deep copies) that read the object: a fetched object stays as fetched.
_READS_API_OBJECT = frozenset({"GroupVersionKind", "GetObjectKind", "DeepCopyObject", "DeepCopyInto"})

# Literal arguments whose value a callee's condition can be evaluated on.
_LITERAL_VALUES = frozenset({"interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal", "composite_literal", "func_literal"})

# Builtins that neither make nor change a map they are given.
_INERT_BUILTINS = ("len", "cap", "delete", "print", "println", "panic", "copy", "clear", "close", "min", "max")


class Calls(KnownDocuments):
    """Function and method calls."""

    def address_taken(self, env: Env, node: Node | None) -> None:
        """`&x`: whatever holds the address may change x, so x becomes unknown."""
        path = self.path_of(node)
        if path is not None:
            self.forget(env, path)

    def deleted(self, env: Env, map_node: Node, index: Node) -> None:
        """`delete(m, k)` of a constant key: past it `m` has no entry under `k`, and reading
        `m[k]` gives the zero value (a nil inner map), whatever was stored there. Only for a
        map whose keys are followed (made here, or a literal); another key may name any entry,
        which stays as it was (a delete makes nothing)."""
        map_path = self.path_of(map_node)
        stripped = strip(index)
        key = self.key_of(stripped) if stripped is not None else ""
        if map_path is None or not is_constant_key(key):
            return
        val = self.lookup(env, map_path)
        if val.zero is None or val.keys is None or val.zero.kind is not OriginKind.ABSENT_KEY:
            return
        element = map_path + ((INDEX, key),)
        for stale in [k for k in env if k[: len(element)] == element]:
            del env[stale]
        env[map_path] = replace(val, keys=val.keys - {key})

    def shared(self, env: Env, node: Node | None) -> None:
        """A value handed to other code: a map may be filled there, a pointer's fields set."""
        node = strip(node)
        if node is None:
            return
        if is_address_of(node):
            self.eval(env, node)
            return
        path = self.path_of(node)
        if path is None:
            self.eval(env, node)
            return
        self.touch_partners(env, path)
        self.drop_range_copies(env, path)  # (a slice handed on may have its elements set there)
        val = self.lookup(env, path)
        if self.mode is Mode.POINTER_SUMMARY and val.bits & ENTRY and not self.types.is_map(self.type_of_path(path)):
            # A pointer as it came in, handed on: the other code may set whatever it reaches,
            # which the caller then no longer knows (what lies under it is derived from it).
            self.forget(env, path)
            return
        if val.external is not None or val.bits & EXTERNAL:
            # Handed to other code, which may fill its maps: no longer as decoded.
            self.forget(env, path)
            return
        # The handle is copied: the callee can fill the map or set fields through a pointer,
        # but cannot make a nil map variable non-nil. What it can reach may now hold anything.
        type_text = self.type_of_path(path)
        copied_struct = bool(self.types.struct_name(type_text)) and not type_text.startswith("*")
        for key in keys_below(env, path):
            if not copied_struct or self._through_reference(key, len(path)):
                env[key] = self._after_sharing(key, env[key])
        # The callee may set the maps it reaches (to nil, too): a later nil check tells nothing.
        self.unrelate(env, lambda kind, subject, payload: kind == WRITTEN and below(subject, path), frozenset({WRITTEN}))
        if val.zero is not None or val.keys is not None:
            if val.bits & NIL and not type_text.startswith("*") and not self.types.struct_name(type_text):
                env[path] = replace(val, keys=None)
            elif self.types.struct_name(type_text) and not type_text.startswith("*"):
                pass  # a struct value is copied: the callee cannot touch ours
            else:
                env[path] = replace(val, bits=val.bits | UNKNOWN, zero=None, keys=None)
        var = self.var_of(path[0])
        if var is not None and var.closure is not None:
            self.escape_closure(env, var.closure)

    def _after_sharing(self, path: Path, val: Val) -> Val:
        """What a field holds once code we cannot follow may have changed it: anything, but a
        made map field stays made (such code fills maps, it does not unmake them), though not
        with the entries we knew. (A field of another package's type may be a map too.)"""
        if val.bits == MADE and path[-1][0] == FIELD:
            type_text = self.type_of_path(path)
            if not type_text or self.types.is_map(type_text):
                return replace(val, zero=None, keys=None)
        return UNKNOWN_VAL

    def _through_reference(self, path: Path, start: int) -> bool:
        """Whether `path` lies behind a pointer or a map below its first `start` steps (a copy
        of the value at `path[:start]` still shares what lies there)."""
        for end in range(start + 1, len(path)):
            type_text = self.type_of_path(path[:end])
            if not type_text or type_text.startswith("*") or self.types.is_map(type_text):
                return True
        return False

    def eval_call(self, env: Env, node: Node) -> Val:
        # A known document's decoding is followed store by store (`decode_known_document`).
        known_document = self._json_call(node) and self.known_document_target(env, node) is not None
        unfilled = [] if known_document else self.decode_targets(env, node)
        result = self._eval_call(env, node)
        for path in self.flow.package_paths_set_by(node, self.func):
            self.forget(env, path)  # code the call reaches may change it
        if unfilled:
            self.leave_unfilled_on_failure(env, node, unfilled)
        return result

    def _json_call(self, call: Node) -> bool:
        """Whether `call` is `json.Unmarshal(...)` of encoding/json."""
        function = strip(call.child_by_field_name("function"))
        if function is None or function.type != "selector_expression":
            return False
        package, name = function.child_by_field_name("operand"), function.child_by_field_name("field")
        if package is None or name is None or package.type != "identifier" or self.text_of(name) != "Unmarshal":
            return False
        return self.flow.package.facts_of(self.file.path).imports.get(self.text_of(package)) == "encoding/json" and self.resolve(self.text_of(package)) is None

    def decode_targets(self, env: Env, call: Node) -> list[tuple[Path, Val]]:
        """The nil maps a decoding call is handed the address of (`json.Unmarshal(b, &m)`), with
        what they hold before it."""
        name = callee_name(call)
        if not name or not _error_bound(call):
            return []
        function = strip(call.child_by_field_name("function"))
        wrapper = self.flow.package.funcs.get(name) if function is not None and function.type == "identifier" and self.resolve(name) is None else None
        if not decodes_into_pointer(name) and wrapper is None:
            return []
        found = []
        for position, arg in enumerate(arguments_of(call)):
            target = strip(arg)
            if not is_address_of(target):
                continue
            if not decodes_into_pointer(name) and not (wrapper is not None and hands_to_decoder(wrapper.node, position)):
                continue
            path = self.path_of(target.child_by_field_name("operand"))  # type: ignore[union-attr]
            if path is None or not self.types.is_map(self.type_of_path(path)):
                continue
            val = self.lookup(env, path)
            if val.bits & NIL:
                found.append((path, val))
        return found

    def leave_unfilled_on_failure(self, env: Env, call: Node, unfilled: list[tuple[Path, Val]]) -> None:
        """A decoder fills the map on success only: where its error is not nil (`<call> == nil`
        false, renamed to `err == nil` once the error is bound), the map is as nil as before."""
        shown = f"{normalise(self.text_of(call))} == nil"
        failed = Literal(shown, False, shown, False)
        for path, before in unfilled:
            when = before.when.conjoin((failed,)) if isinstance(before.when, Condition) else Condition((failed,))
            env[path] = replace(join_known(before, MADE_VAL), when=when)

    def _eval_call(self, env: Env, node: Node) -> Val:
        function = strip(node.child_by_field_name("function"))
        args = arguments_of(node)
        if function is None:
            return UNKNOWN_VAL
        fname = self.text_of(function)
        unshadowed = function.type == "identifier" and self.resolve(fname) is None
        if unshadowed:
            builtin = self._builtin_call(env, node, fname, args)
            if builtin is not None:
                return builtin
        # A call of a closure bound to a local variable runs its body here.
        if function.type == "identifier":
            var = self.resolve(fname)
            if var is not None and var.closure is not None and fname not in self.reassigned():
                for arg in args:
                    self.shared(env, arg)
                return self.run_closure(env, var.closure, node)
            if var is not None and var.closure is None and args and self.apply_options(env, node, var.type_text, args[0]):
                for arg in args[1:]:
                    self.shared(env, arg)
                return UNKNOWN_VAL
        if function.type == "func_literal":
            for arg in args:
                self.shared(env, arg)
            return self.run_closure(env, function, node)
        if function.type == "selector_expression":
            if len(args) == 1 and self.names_map_type(function):
                return self.eval(env, args[0])  # `url.Values(nil)`: a conversion to another package's map type
            return self.eval_method_call(env, node, function, args)
        followed: set[int] = set()
        if unshadowed:
            self.apply_function_summary(env, node, fname, args)
            followed = self.apply_pointer_summaries(env, node, "", fname, args)
            for position in self._maps_only_read(env, fname, args, node):
                self._entries_shared(env, args[position])
                followed.add(position)
            for position, keys in self._keys_stored(fname, args, node, followed).items():
                self._entries_shared(env, args[position])
                stored_into = self.path_of(args[position])
                for key in keys:
                    if stored_into is not None:
                        self.forget_entry(env, stored_into, key)  # an entry stored, whatever the callee stored there
                followed.add(position)
        for position, arg in enumerate(args):
            if position not in followed:
                self.shared(env, arg)
        if function.type == "identifier":
            if unshadowed and fname in self.flow.package.funcs:
                returned = self.flow.returned_parameter(fname)
                if returned is not None and returned < len(args):
                    return self._argument_value(env, args[returned])
                with_nil = self._result_with_nil_argument(env, fname, args)
                if with_nil is not None:
                    return with_nil
                for position in sorted(followed):
                    if position < len(args) and self._made_and_handed_back(env, fname, position, args[position], node):
                        return self._argument_value(env, args[position])  # the argument's map, given back
                result = self.flow.function_result(fname)
                if result is None:
                    return UNKNOWN_VAL
                decided = self.flow.result_by_argument(fname)
                if decided is not None and decided[0] < len(args):
                    return self._result_for_argument(env, result.val, node, fname, decided[0], args[decided[0]], decided[1])
                followed_argument = self.flow.result_following_argument(fname)
                if followed_argument is not None and followed_argument < len(args):
                    return self._result_following(env, node, args[followed_argument])
                return result.val
        else:
            self.eval(env, function)
        return UNKNOWN_VAL

    def _result_with_nil_argument(self, env: Env, name: str, args: list[Node]) -> Val | None:
        """The result of a function handed a map that is nil on every path here: what its body
        returns for a nil there (`withMade(nil)` is the empty map it makes), when that is a map."""
        for position, arg in enumerate(args):
            stripped, path = strip(arg), self.path_of(arg)
            handed_nil = stripped is not None and stripped.type == "nil"
            if not handed_nil and (path is None or not self.types.is_map(self.type_of_path(path))):
                continue
            if self._argument_value(env, arg).always_nil:
                made = self.flow.map_result_with_nil(name, position)
                if made is not None:
                    return made
        return None

    def _result_for_argument(self, env: Env, val: Val, call: Node, name: str, position: int, argument: Node, nil_truth: bool) -> Val:
        """A may-be-nil result that is nil exactly where `argument` is `nil_truth`: where the
        argument is decided here (a literal `true`, or `n > 1` where `n` is known 3), nil, or
        what the body returns for the other value (`result_with_bool`: an empty map it made
        has no key); else nil under the argument's facts."""
        truth = self.decided(env, argument)
        if truth is not None:
            if truth != nil_truth:
                bound = self.flow.result_with_bool(name, position, truth)
                return bound.val if bound is not None and bound.val.bits == MADE else not_nil(val)
            origin = replace(val.origin, description=f"`{normalise(self.text_of(call))}` returns nil") if val.origin is not None else None
            return Val(NIL, origin)
        facts = self.literals_of(argument, nil_truth)
        return replace(val, when=Condition(facts)) if facts else val

    def _result_following(self, env: Env, call: Node, argument: Node) -> Val:
        """The result of a function that returns nil only when handed nil: nil where the
        argument is (with the argument's own origin), made where it is not, and unknown where
        the argument is: the function is no source of nil of its own."""
        value = self._argument_value(env, argument)
        if value.bits == NIL:
            origin = replace(value.origin, description=f"`{normalise(self.text_of(call))}` returns nil") if value.origin is not None else None
            return Val(NIL, origin)
        if not value.bits & NIL:
            return MADE_VAL if value.bits & MADE and not value.bits & (UNKNOWN | EXTERNAL) else UNKNOWN_VAL
        return Val(value.bits & (NIL | MADE | UNKNOWN), value.origin, when=value.when)

    def _argument_value(self, env: Env, argument: Node) -> Val:
        """What an argument holds after the call it was handed to (`nil`, or a path's value)."""
        argument = strip(argument)  # type: ignore[assignment]
        if argument is not None and argument.type == "nil":
            return Val(NIL, self.origin(OriginKind.NIL, argument, f"`nil` passed at line {LINE}"))
        path = self.path_of(argument)
        return self.lookup(env, path) if path is not None else UNKNOWN_VAL

    def _builtin_call(self, env: Env, node: Node, fname: str, args: list[Node]) -> Val | None:
        """`make`, `new`, `append`, the inert builtins and conversions to a named map type."""
        if fname == "make":
            type_text = normalise(self.text_of(args[0])) if args else ""
            for arg in args[1:]:
                self.eval(env, arg)
            if self.types.is_map(type_text):
                return Val(MADE, zero=self.origin(OriginKind.ABSENT_KEY, node, f"made at line {LINE}"), keys=frozenset())
            if type_text.startswith("[]") and self.types.is_map(type_text[2:]):
                return Val(MADE, zero=self.origin(OriginKind.ZERO_ELEMENT, node, f"made at line {LINE} with nil maps as elements"))
            element = self.types.struct_name(type_text[2:]) if type_text.startswith("[]") and not type_text[2:].startswith("*") else None
            if element is not None:
                return Val(MADE, zero=self.origin(OriginKind.CONSTRUCTION, node, f"made at line {LINE} with zero-valued elements", element))
            return MADE_VAL
        if fname == "new":
            type_text = normalise(self.text_of(args[0])) if args else ""
            struct = self.types.struct_name(type_text)
            if struct:
                return Val(MADE, zero=self.origin(OriginKind.CONSTRUCTION, node, f"built with new at line {LINE}", struct))
            return MADE_VAL
        if fname in _INERT_BUILTINS:
            for arg in args:
                self.eval(env, arg)
            if fname == "delete" and len(args) == 2:
                self.deleted(env, args[0], args[1])
            return UNKNOWN_VAL
        if fname == "append":
            carried = [self.appended(env, arg) for arg in args[1:]]
            if args:
                carried.append(self.eval(env, args[0]).external)
            decoded = next((origin for origin in carried if origin is not None), None)
            return Val(MADE, external=decoded) if decoded is not None else MADE_VAL
        if self.types.is_map(fname) and len(args) == 1:
            return self.eval(env, args[0])  # a conversion to a named map type
        return None

    def appended(self, env: Env, arg: Node) -> Origin | None:
        """Where a decoded value handed to `append` came from: appended, it is decoded in the
        collection too (and stays decoded itself: `append` fills no map). Any other value is
        shared with the collection."""
        path = self.path_of(arg)
        val = self.lookup(env, path) if path is not None else None
        if val is not None and val.external is not None and not val.bits & EXTERNAL:
            return val.external
        self.shared(env, arg)
        return None

    def deep_copy(self, env: Env, path: Path) -> Val | None:
        """`obj.DeepCopy()` of a decoded or fetched object: generated deep copies copy a nil
        map as nil, so the copy's maps are as nil as the object's."""
        val = self.lookup(env, path)
        if val.external is None or val.bits & EXTERNAL:
            return None
        return Val(UNKNOWN, external=replace(val.external, description=val.external.description + DEEP_COPIED))

    def library_writes(self, env: Env, call: Node, method: str, args: list[Node]) -> None:
        """`app.Flag(...).StringMapVar(&cfg.Tags)`: the library writes into the map `&arg` points to."""
        for arg in args:
            target = strip(arg)
            if not is_address_of(target):
                continue
            path = self.path_of(target.child_by_field_name("operand"))  # type: ignore[union-attr]
            if path is not None and self.types.is_map(self.type_of_path(path)):
                self.record_write(env, path, call, target, via_method=method)

    def leave_nil_for_null_document(self, env: Env, call: Node, callee: str, targets: list[Path]) -> None:
        """`yaml.Unmarshal(b, &m)` of a YAML library that goes through JSON: where it succeeds
        (`<call> == nil`, renamed to `err == nil` once the error is bound), the document may
        have been `null` (empty, or only comments), which sets the map to nil. Where it fails,
        it failed before setting anything."""
        shown = f"{normalise(self.text_of(call))} == nil"
        succeeded = Condition((Literal(shown, True, shown, True),))
        origin = replace(
            self.origin(OriginKind.NULL_DOCUMENT, call, f"decoded by `{callee}` at line {LINE}, which turns such a document into JSON null"),
            condition="the document is empty or only comments",
        )
        for target in targets:
            env[target] = Val(MADE | EXTERNAL, when=succeeded, external=origin)

    def map_targets(self, args: list[Node]) -> list[Path]:
        """The maps whose address a call is handed (`&m`, `&c.Labels`)."""
        found = []
        for arg in args:
            target = strip(arg)
            if not is_address_of(target):
                continue
            path = self.path_of(target.child_by_field_name("operand"))  # type: ignore[union-attr]
            if path is not None and self.types.is_map(self.type_of_path(path)):
                found.append(path)
        return found

    def eval_method_call(self, env: Env, node: Node, function: Node, args: list[Node]) -> Val:
        receiver = strip(function.child_by_field_name("operand"))
        method = self.text_of(function.child_by_field_name("field"))
        if method in _RELEASES_LOCK:
            # Once a lock is released other goroutines may store anything: a later nil check
            # may be about their stores, not this function's writes.
            self.unrelate(env, lambda kind, subject, payload: kind == WRITTEN, frozenset({WRITTEN}))
        path = self.path_of(receiver)
        if path is None:
            # A package-qualified call (`json.Unmarshal(data, &c)`), or a method on a value
            # we do not track: its arguments are handed to unknown code.
            if receiver is not None and receiver.type != "identifier":
                self.eval(env, receiver)
            qualified = f"{self.text_of(receiver)}.{method}" if receiver is not None and receiver.type == "identifier" else ""
            imports = self.flow.package.facts_of(self.file.path).imports
            if self._json_call(node) and self.decode_known_document(env, node, args):
                return UNKNOWN_VAL
            if writes_pointee(method, imports.values()):
                self.library_writes(env, node, method, args)
            nulled = self.map_targets(args) if receiver is not None and decodes_null_document(imports.get(self.text_of(receiver)), method) else []
            prints = receiver is not None and (imports.get(self.text_of(receiver)), method) in _PRINTS_ARGUMENTS
            for arg in args:
                if qualified in _READS_ARGUMENTS or prints:
                    self.eval(env, arg)  # its arguments stay as they are (and a decoded map stays decoded)
                else:
                    self.shared(env, arg)
            if is_decoder_call(method):
                self.mark_decoded(env, args, node)
            if nulled:
                self.leave_nil_for_null_document(env, node, qualified, nulled)
            if receiver is not None and f"{self.text_of(receiver)}.{method}" in _STOPS_UNLESS_NIL and len(args) >= 2:
                # testify's `require.NoError(t, err)` ends the test unless err is nil.
                self.refute(env, {f"{normalise(self.text_of(args[1]))} == nil": True})
            return self.foreign_call_result(env, receiver, method, args)
        receiver_type = self.type_of_path(path)
        if method == "Do" and len(args) == 1 and receiver_type.endswith("sync.Once"):
            return self.call_once(env, args[0])
        field = self.path_of(node)
        if field is not None:
            return self.lookup(env, field)  # a getter of one of the receiver's fields
        if method == "DeepCopy" and not args:
            copied = self.deep_copy(env, path)
            if copied is not None:
                return copied
        if method in _READS_API_OBJECT and self.lookup(env, path).external is not None:
            for arg in args:
                self.shared(env, arg)
            return UNKNOWN_VAL  # (the object is as it was: decoded stays decoded)
        if not args and "." in pointee(receiver_type) and self.reads_only(receiver_type, method):
            return UNKNOWN_VAL  # (`is.Empty()`: the value is as it was, decoded stays decoded)
        if method.startswith(("Get", "String")) and not args and (not self.types.struct_name(receiver_type) or "." in pointee(receiver_type)):
            use = self.types.foreign_method(receiver_type, method)
            if use is None or not use.stores:
                # A method of the module read from its source that stores nothing into its
                # receiver only reads. Code outside the module is not read: by the convention
                # of getters and Stringers, a `Get...()` or `String()` without arguments reads
                # too (a protocol-buffer message's `GetSpec()`, a `String()` for a log line);
                # taking them as unknown would forget every map the caller made in the value.
                return UNKNOWN_VAL
        parameter_writes = self.flow.method_parameter_summary(receiver_name(receiver_type), method)
        if parameter_writes is not None:
            self.apply_parameter_writes(env, node, method, parameter_writes, args)
        followed = self.apply_pointer_summaries(env, node, receiver_name(receiver_type), method, args) if receiver_type else set()
        for position, arg in enumerate(args):
            if position not in followed:
                self.shared(env, arg)
        if is_decoder_call(method):
            self.mark_decoded(env, args, node)
            own = self.flow.method_summary(receiver_name(receiver_type), method)
            if own is None:
                return UNKNOWN_VAL
            # A decoder's name on a method the package defines (`k.UnmarshalBinary(data)`):
            # its source says what it does to its receiver.
            return self.apply_method_summary(env, path, node, receiver, own)
        # A method of a map type that writes its receiver (`http.Header.Set`, `Set.Add`).
        if self.flow.stdlib_writes_receiver(receiver_type, method):
            self.record_write(env, path, node, receiver, via_method=method)
            return UNKNOWN_VAL
        summary = self.flow.method_summary(receiver_name(receiver_type), method)
        if summary is not None:
            return self.apply_method_summary(env, path, node, receiver, summary)
        if self.type_of_path(path + ((FIELD, method),)).startswith("func"):
            # `r.now()` calls the function stored in a field (`now func() time.Time`): the
            # value is not handed to it, as it is to a method.
            return UNKNOWN_VAL
        self.unknown_method(env, path, receiver, receiver_type, method)
        return UNKNOWN_VAL

    def reads_only(self, receiver_type: str, method: str) -> bool:
        """Whether an argument-less method of another package of the module, read from its
        source, stores nothing into its receiver (`func (s *State) Empty() bool { return s == nil
        || s.ID == "" }`): the receiver is as it was after the call."""
        use = self.types.foreign_method(receiver_type, method)
        return use is not None and not use.stores

    def unknown_method(self, env: Env, path: Path, receiver: Node | None, receiver_type: str, method: str) -> None:
        """A method we cannot follow, called on a tracked value.

        A method with a pointer receiver gets the value's address (`lbs.init()` is
        `(&lbs).init()`) and may set it and all it holds; only a method known to take its
        receiver by value gets a copy, whose fields it cannot set.
        """
        decl = self.flow.package.methods.get((receiver_name(receiver_type), method))
        if decl is not None and reads_receiver_only(decl):
            return  # (what the value holds is as it was: decoded stays decoded)
        if decl is not None and not decl.pointer_receiver:
            self.shared(env, receiver)
        else:
            self.forget(env, path)

    def foreign_call_result(self, env: Env, receiver: Node | None, method: str, args: list[Node]) -> Val:
        """A call into another package, or on a value we do not track.

        Models of the standard library: `errors.New` and `fmt.Errorf` never return nil (so a
        `return errors.New(...)` is no success), nor do pkg/errors' `New` and `Errorf`, under
        whatever name the file imports them; `maps.Clone` of a nil map is nil."""
        if receiver is not None and receiver.type == "identifier" and self.resolve(self.text_of(receiver)) is None:
            imported = self.flow.package.facts_of(self.file.path).imports.get(self.text_of(receiver), self.text_of(receiver))
            if (imported, method) in _NEVER_NIL:
                return MADE_VAL
        if receiver is not None and receiver.type == "identifier" and self.text_of(receiver) == "maps" and method == "Clone" and len(args) == 1:
            # maps.Clone of a nil map is nil: the clone is as nil as the original.
            path = self.path_of(args[0])
            if path is not None:
                val = self.lookup(env, path)
                if val.bits & (NIL | EXTERNAL | ENTRY):
                    return val
        return UNKNOWN_VAL

    def multi_result(self, right: list[Node], index: int) -> Val:
        """The value of result `index` of a multi-value call (`t, err := NewT()`)."""
        if len(right) == 1 and index == 0:
            call = right[0]
            if call.type == "call_expression":
                function = call.child_by_field_name("function")
                if function is not None and function.type == "identifier" and self.resolve(self.text_of(function)) is None:
                    # Kept only where it comes with a nil error (`summaries` drops `nil, err`).
                    result = self.flow.function_result(self.text_of(function))
                    if result is not None and result.made_past_error:
                        return self.nil_beside_error(call)
                    if result is not None:
                        return result.val
                method = self._method_result(function) if function is not None and function.type == "selector_expression" else None
                if method is not None:
                    return method.val  # `sv, err := c.makeVariable(path)`
                fetched = self.fetched_object(call)
                if fetched is not None:
                    return Val(UNKNOWN, external=fetched[1])  # `cm, err := client.Get(...)`
        return UNKNOWN_VAL

    def apply_options(self, env: Env, call: Node, type_text: str, argument: Node) -> bool:
        """`opt(b)` with `opt` a functional option of the package (`type Option func(*T)`): one
        of its options runs on `b`, which one the caller picks. Each option's unguarded write
        into a field still nil here is a write at this call, unless some option makes that
        field (a defaults option, meant to run first); what any option sets may be set after."""
        summaries = self.flow.option_summaries(type_text)
        if not summaries:
            return False
        target = strip(argument)
        if is_address_of(target):
            target = strip(target.child_by_field_name("operand"))  # type: ignore[union-attr]
        path = self.path_of(target)
        if path is None:
            return False
        # (A field an option writes is not nil past its write: that is no make.)
        made = {rel for summary in summaries for rel, effect in summary.effects.items() if effect is Effect.MADE and rel not in summary.writes}
        for summary in summaries:
            binding = Binding(summary.receiver, path, False, {})
            for rel, write in summary.writes.items():
                field = path + (rel[1:] if rel[:1] == (DEREF,) else rel)
                if rel in made or not self.lookup(env, field).bits & NIL or not self.runs_here(env, write, binding):
                    continue
                self.record_write(
                    env, field, call, argument, via_method=summary.name, callee_write=write,
                    needs=self.carried_conditions(env, write, binding), by_option=True,
                )
        for rel in {rel for summary in summaries for rel in summary.effects}:
            field = path + (rel[1:] if rel[:1] == (DEREF,) else rel)
            before = self.lookup(env, field)
            for key in [k for k in env if below(k, field) and k != field]:
                del env[key]
            env[field] = join_known(before, UNKNOWN_VAL)
        if any(summary.escapes for summary in summaries):
            self.shared(env, argument)
        return True

    def call_once(self, env: Env, function: Node) -> Val:
        """`once.Do(f)` runs f before it returns (the first time; later the effect persists)."""
        function = strip(function)  # type: ignore[assignment]
        if function is not None and function.type == "func_literal":
            return self.run_closure(env, function)
        if function is not None and function.type == "selector_expression":
            receiver = strip(function.child_by_field_name("operand"))
            field_node = function.child_by_field_name("field")
            path = self.path_of(receiver)
            if path is not None and field_node is not None and receiver is not None:
                summary = self.flow.method_summary(receiver_name(self.type_of_path(path)), self.text_of(field_node))
                if summary is not None:
                    return self.apply_method_summary(env, path, function, receiver, summary)
        self.shared(env, function)
        return UNKNOWN_VAL

    def mark_decoded(self, env: Env, args: list[Node], call: Node) -> None:
        """`json.Unmarshal(data, &c)`, `r.Get(ctx, key, obj)`: the target is filled from input."""
        function = call.child_by_field_name("function")
        callee = normalise(self.text_of(function)) if function is not None else "a decoder"
        for arg in args:
            target = strip(arg)
            if is_address_of(target):
                target = strip(target.child_by_field_name("operand"))  # type: ignore[union-attr]
            path = self.path_of(target)
            if path is None:
                continue
            type_text = self.type_of_path(path)
            if not (self.flow.decoded_struct(type_text) or is_foreign_type(type_text)):
                continue
            origin = self.origin(OriginKind.DECODED, arg, f"filled by `{callee}`")
            self.forget(env, path)
            env[path] = Val(UNKNOWN, external=origin)

    def _maps_only_read(self, env: Env, name: str, args: list[Node], call: Node) -> set[int]:
        """The positions of map arguments (named by a path) that same-package function `name`
        only reads entries of (`map_only_read`): it stores no key into them and hands them to
        no other code, so the caller's map keeps the keys it knew (`_entries_shared`). A map
        the function returns (`returned_parameter`) is handed back to the caller only: when
        the call's result is assigned back to the argument (`m = withDefaults(m)`), no second
        name of the map is left, and its `return` counts as a read."""
        decl = self.flow.package.funcs.get(name)
        if decl is None or decl.body is None:
            return set()
        names = parameter_names(decl.node)
        returned = self.flow.returned_parameter(name)
        kept: set[int] = set()
        for position, arg in enumerate(args):
            if position >= len(names) or not names[position] or self.path_of(arg) is None:
                continue
            if not self.types.is_map(self.type_of_path(self.path_of(arg) or ())):
                continue
            if self._made_and_handed_back(env, name, position, arg, call):
                kept.add(position)
                continue
            uses = self.flow.syntax(decl.path, decl.node).identifiers_named(decl.body, names[position])
            if position == returned and self._assigned_back(call, arg):
                uses = [use for use in uses if not is_returned(use)]
            if map_only_read(uses):
                kept.add(position)
        return kept

    def _keys_stored(self, name: str, args: list[Node], call: Node, followed: set[int]) -> dict[int, list[str]]:
        """The map arguments (named by a path) that same-package function `name` stores entries
        into only under keys this call settles, each with those keys: `func put(m M, k string)
        { m[k] = ... }` called as `put(groups, "b")` adds the key "b" to `groups` and no other
        (its other uses only read, as for `_maps_only_read`). A key is a constant of the
        function, or a parameter it never sets, handed a constant here."""
        decl = self.flow.package.funcs.get(name)
        if decl is None or decl.body is None:
            return {}
        names = parameter_names(decl.node)
        returned = self.flow.returned_parameter(name)
        set_in_body: set[str] | None = None
        found: dict[int, list[str]] = {}
        for position, arg in enumerate(args):
            path = self.path_of(arg)
            if position in followed or position >= len(names) or not names[position] or path is None or not self.types.is_map(self.type_of_path(path)):
                continue
            uses = self.flow.syntax(decl.path, decl.node).identifiers_named(decl.body, names[position])
            if position == returned and self._assigned_back(call, arg):
                uses = [use for use in uses if not is_returned(use)]
            stores = keyed_stores(uses)
            if not stores:
                continue  # (none: the function only reads it, or does more than store entries)
            if set_in_body is None:
                set_in_body = self.flow.assigned_names(decl.path, decl.body, False)
            keys = [self._key_at_call(index, names, set_in_body, args) for index in stores]
            if all(key is not None and is_constant_key(key) for key in keys):
                found[position] = sorted({key for key in keys if key is not None})
        return found

    def _key_at_call(self, index: Node, names: list[str], set_in_body: set[str], args: list[Node]) -> str | None:
        """The key a callee's `m[index]` stores under at this call: a literal or constant of the
        package, or the constant the call hands a parameter the callee never sets."""
        shown = normalise(self.text_of(index))
        if index.type == "identifier" and shown in names:
            position = names.index(shown)
            if shown in set_in_body or position >= len(args):
                return None
            argument = strip(args[position])
            return self.key_of(argument) if argument is not None else None
        if is_constant_key(shown):
            return shown
        return self.flow.package.consts.get(shown) if index.type == "identifier" else None

    def _made_and_handed_back(self, env: Env, name: str, position: int, arg: Node, call: Node) -> bool:
        """Whether the made map `arg` is what `call` returns (`returns_made_argument`), assigned
        back to the argument (`m = withMade(m)`): no second name of it is left."""
        path = self.path_of(arg)
        if path is None or self.lookup(env, path).bits != MADE or not self._assigned_back(call, arg):
            return False
        return self.flow.returns_made_argument(name, position)

    def _assigned_back(self, call: Node, arg: Node) -> bool:
        """Whether `call` is the one value of `x = call` and `x` is what `arg` names."""
        right = call.parent
        statement = right.parent if right is not None else None
        if right is None or statement is None or right.type != "expression_list" or statement.type != "assignment_statement":
            return False
        operator = statement.child_by_field_name("operator")
        left = statement.child_by_field_name("left")
        if operator is None or left is None or self.text_of(operator) != "=" or statement.child_by_field_name("right") != right:
            return False
        if len(right.named_children) != 1 or len(left.named_children) != 1:
            return False
        target = self.path_of(left.named_children[0])
        return target is not None and target == self.path_of(arg)

    def _entries_shared(self, env: Env, arg: Node) -> None:
        """A map handed to code that reads its entries only: its keys stay, but the maps it holds
        were handed on with it (`inner := m[k]`), and may have been filled there."""
        path = self.path_of(arg)
        for key in keys_below(env, path) if path is not None else []:
            env[key] = self._after_sharing(key, env[key])

    def apply_function_summary(self, env: Env, node: Node, name: str, args: list[Node]) -> None:
        """A same-package function that writes a map parameter, called with a map we track."""
        summary = self.flow.function_summary(name)
        if summary is not None:
            self.apply_parameter_writes(env, node, name, summary, args)

    def apply_parameter_writes(self, env: Env, node: Node, name: str, summary: FunctionSummary, args: list[Node]) -> None:
        """The writes a same-package function or method makes into the map parameters it is handed."""
        binding = Binding(None, None, False, _arguments(summary.parameters, args))
        for position, write in summary.writes.items():
            if position >= len(args):
                continue
            arg = strip(args[position])
            if arg is not None and arg.type == "nil":
                # A nil handed in on purpose: the callee writes it wherever its own conditions let
                # the write run, unless this call settles one of them against it. A write inside
                # a closure the callee hands to other code is not this call's: that code decides
                # whether it ever runs, and a caller passing nil says it will not need the map.
                if not self.refuted_here(env, write, binding) and not _in_handed_closure(write):
                    self.record_nil_argument(env, node, arg, name, write, binding)
                continue
            path = self.path_of(arg)
            if path is None or arg is None:
                continue
            if not self.runs_here(env, write, binding):
                if self._decoded_argument(env, path) and not self.refuted_here(env, write, binding) and not _in_handed_closure(write):
                    # A decoded map handed in is written as a nil one is: wherever the callee's
                    # own conditions let the write run, which the call leaves open.
                    opened = self._open_conditions(env, write, binding)
                    self.record_write(env, path, node, arg, via_method=name, callee_write=write, open_conditions=opened)
                continue
            if self.lookup(env, path).bits & NILISH:
                self.record_write(env, path, node, arg, via_method=name, callee_write=write, needs=self.carried_conditions(env, write, binding))

    def _decoded_argument(self, env: Env, path: Path) -> bool:
        """Whether an argument is a decoded or fetched map, and only that (not nil here, not a
        summarised caller's parameter, whose own callers settle it)."""
        bits = self.lookup(env, path).bits
        return not self.summarising and bool(bits & EXTERNAL) and not bits & (NIL | ENTRY)

    def apply_pointer_summaries(self, env: Env, call: Node, type_name: str, name: str, args: list[Node]) -> set[int]:
        """`reset(&m)`, `fill(&st, k)`, `init(p)`: what a same-package function does through
        the pointers it is handed, applied as a method's summary is to its receiver. Returns
        the positions followed; the other arguments are handed over as to unknown code."""
        summaries = self.flow.pointer_summaries(type_name, name)
        followed: set[int] = set()
        for position, summary in summaries.items():
            if position >= len(args):
                continue
            pointed = self._pointed_to(args[position])
            if pointed is None:
                continue
            path, shown = pointed
            self.apply_method_summary(env, path, call, shown, summary)
            self.elements_unknown(env, path)  # `&ts[i].m`: which element it reached is unknown
            followed.add(position)
        return followed

    def _pointed_to(self, argument: Node) -> tuple[Path, Node] | None:
        """What an argument points to, as a receiver's path: `x` of `&x` (x no pointer itself),
        or `p` of a pointer `p`; with the expression naming it."""
        argument = strip(argument)  # type: ignore[assignment]
        if argument is None:
            return None
        if is_address_of(argument):
            operand = strip(argument.child_by_field_name("operand"))
            path = self.path_of(operand)
            if path is None or operand is None or self.type_of_path(path).startswith("*"):
                return None
            return path, operand
        path = self.path_of(argument)
        if path is None or not self.type_of_path(path).startswith("*"):
            return None
        return path, argument

    def record_nil_argument(self, env: Env, call: Node, argument: Node, callee: str, write: WriteEvent, binding: Binding) -> None:
        """`record(nil, w)` where `record` writes that parameter: a write to a nil map at the call."""
        type_text = self._instantiated_parameter_type(call, callee, write.type_text)
        var = Var(f"{write.target}@nil{argument.start_byte}", write.target, type_text, argument)
        self.vars[var.key] = var
        path = (Local(var.key),)
        env[path] = Val(NIL, self.origin(OriginKind.NIL, argument, f"`nil` passed at line {LINE}"))
        self.record_write(env, path, call, argument, via_method=callee, callee_write=write, open_conditions=self._open_conditions(env, write, binding))
        del env[path]

    def _open_conditions(self, env: Env, write: WriteEvent, binding: Binding) -> Condition | None:
        """The conditions a callee's write needs that this call does not settle: the nil is
        certain, whether the write runs is not."""
        open_literals = tuple(literal for literal in _needs(write) if self._holds_at_call(env, literal, binding) is None)
        return Condition(open_literals) if open_literals else None

    def _instantiated_parameter_type(self, call: Node, callee: str, type_text: str) -> str:
        """A generic callee's parameter type in the caller's terms: `map[K]V` of
        `put[string, int](nil, ...)` is `map[string]int`; "" when the call does not say (the
        type arguments are inferred), so no fix names a type the caller does not have."""
        decl = self.flow.package.funcs.get(callee)
        params = type_parameter_names(decl.node) if decl is not None else ()
        if not params:
            return type_text
        given = call.child_by_field_name("type_arguments")
        args = [self.text_of(arg) for arg in given.named_children] if given is not None else []
        return instantiate(type_text, params, args) if len(args) == len(params) else ""

    def apply_method_summary(self, env: Env, path: Path, node: Node, receiver: Node | None, summary: MethodSummary) -> Val:
        """A same-package method called on a tracked value: its writes, then what it sets."""
        # What the method reaches as `*r` is the value itself when it is called on an
        # addressable value (`set.Add(k)` is `(&set).Add(k)`), and `*p` when called on a pointer.
        by_address = summary.pointer_receiver and not self.type_of_path(path).startswith("*")

        def caller_path(rel: tuple) -> Path:
            return path + (rel[1:] if by_address and rel[:1] == (DEREF,) else rel)

        arguments = _arguments(summary.parameters, arguments_of(node) if node.type == "call_expression" else [])
        binding = Binding(summary.receiver, path, by_address, arguments)
        if summary.effects or summary.success_effects or summary.escapes:
            self.touch_partners(env, path)
        for rel, write in summary.writes.items():
            target = caller_path(rel)
            if self.lookup(env, target).bits & (NIL | EXTERNAL | ENTRY) and self.runs_here(env, write, binding):
                self.record_write(
                    env, target, node, receiver, via_method=summary.name, callee_write=write,
                    needs=self.carried_conditions(env, write, binding),
                )
        for rel, effect in summary.effects.items():
            target = caller_path(rel)
            if effect is Effect.MADE and summary.source is not None and self._made_before(env, target) and self.flow.left_as_made(summary.source, rel):
                continue  # `ensure(&m)` of a map that is there already: left as it was
            if effect is Effect.MAYBE and rel in summary.exit_paths:
                decided = self.decided_effect(env, summary.exit_paths[rel], binding)
                if decided is None:
                    continue  # every way out this call can take leaves the field as it was
                effect = decided
            self.elements_unknown(env, target)  # `ts[i].m.Init()`: which element it set is unknown
            self.drop_range_copies(env, target)
            before = self.lookup(env, target)
            for key in keys_below(env, target):
                del env[key]
            if effect is Effect.MADE:
                # Nil on every path here, it holds what the callee makes for a nil: an empty
                # map (`ensure(&m)` of `if *p == nil { *p = make(...) }`) has no inner maps;
                # whatever it held, what the callee makes for anything (`*p = make(...)`).
                fresh = self.flow.left_when_nil(summary.source, rel, before.always_nil) if summary.source is not None else None
                kept = self._kept_if_made(summary, rel, before, fresh)
                env[target] = kept if kept is not None else fresh if fresh is not None else MADE_VAL
            elif effect is Effect.NIL:
                env[target] = Val(NIL, self.origin(OriginKind.NIL, node, f"set to nil by `{summary.name}` at line {LINE}"))
            elif effect is Effect.ASSIGNED:
                env[target] = Val(UNKNOWN, constant=summary.constants.get(rel))
            else:
                env[target] = join_known(before, UNKNOWN_VAL)
        if summary.success_effects and node.type == "call_expression":
            self._apply_success_effects(env, node, summary, caller_path)
        if summary.escapes:
            self.shared(env, receiver)
        return UNKNOWN_VAL

    def _kept_if_made(self, summary: MethodSummary, rel: tuple, before: Val, fresh: Val | None) -> Val | None:
        """What a callee that makes the place at `rel` when it came nil and leaves a made map as it
        was (`if *p == nil { *p = make(...) }`) leaves there, when it came nil on some paths and
        made on the others: what it makes for a nil on the first, what was there on the others
        (a map made empty on both keeps every key absent). None when that is not the case."""
        if summary.source is None or before.bits != NIL | MADE:
            return None
        if not self.flow.left_as_made(summary.source, rel):
            return None
        made_for_nil = self.flow.left_when_nil(summary.source, rel, True)
        if made_for_nil is None:
            return None
        return join_known(made_for_nil, not_nil(before))

    def _made_before(self, env: Env, target: Path) -> bool:
        """Whether `target` holds a map that is not nil on every path here."""
        val = self.lookup(env, target)
        return val.bits == MADE and self.types.is_map(self.type_of_path(target))

    def decided_effect(self, env: Env, ways: tuple[ExitPath, ...], binding: Binding) -> Effect | None:
        """What a method that changes a field on some ways out only does to it at this call: the
        ways out whose facts this call's values refute are closed (`if r.Version >= 8 { return }`
        for a value built with `Version: 2`); when the rest agree, that is the effect (None: the
        field is left as it was), else it stays `Effect.MAYBE`."""
        open_ways = {way.effect for way in ways if not any(self._holds_at_call(env, fact, binding) is False for fact in way.reached)}
        return open_ways.pop() if len(open_ways) == 1 else Effect.MAYBE

    def _apply_success_effects(self, env: Env, call: Node, summary: MethodSummary, caller_path: Callable[[tuple], Path]) -> None:
        """What the method makes (or assigns) only where it returns a nil error is made (or
        unknown) where the call's error is nil: a nil it leaves survives only under `<call> ==
        nil` being false. A `load` that stores the map its store's `Get` returned, once the
        `Get` succeeded, has replaced the nil wherever it returns no error."""
        failed = Literal(f"{normalise(self.text_of(call))} == nil", False, f"{normalise(self.text_of(call))} == nil", False)
        for rel, effect in summary.success_effects.items():
            if effect not in (Effect.MADE, Effect.ASSIGNED):
                continue
            target = caller_path(rel)
            self.drop_range_copies(env, target)
            otherwise = self.lookup(env, target)
            if not otherwise.bits & NILISH:
                continue
            when = otherwise.when.conjoin((failed,)) if isinstance(otherwise.when, Condition) else Condition((failed,))
            stored = MADE_VAL if effect is Effect.MADE else UNKNOWN_VAL
            env[target] = replace(join_known(otherwise, stored), when=when)

    # ------------------------------------------------------------------ conditions of callees' writes
    def runs_here(self, env: Env, write: WriteEvent, binding: Binding) -> bool:
        """Whether a callee's write runs for this call: every condition it needs (to be reached,
        or for the map to be as it came in) holds here, or, when summarising, is left to the
        caller's own callers. A write behind `if h == nil { return }` does not run for a nil `h`,
        nor one behind a test of data this call cannot tell (a registry lookup, an input parse):
        a construction reaching such a method is no evidence of a bug."""
        for literal in _needs(write):
            holds = self._holds_at_call(env, literal, binding)
            if holds is False or (holds is None and not self._carried(literal, binding)):
                return False
        return True

    def refuted_here(self, env: Env, write: WriteEvent, binding: Binding) -> bool:
        """Whether this call settles one of the conditions a callee's write needs against it."""
        return any(self._holds_at_call(env, literal, binding) is False for literal in _needs(write))

    def _carried(self, literal: Literal, binding: Binding) -> bool:
        """Whether an open condition is about the summarised caller's own receiver or parameters."""
        if not self.summarising or literal.subject is None:
            return False
        target = self._caller_path(literal.subject, binding)
        return target is not None and isinstance(target[0], Local) and (
            target[0].key == self.receiver_key or target[0].key in self.parameters_at_entry
        )

    def carried_conditions(self, env: Env, write: WriteEvent, binding: Binding) -> tuple[Literal, ...]:
        """A callee's conditions that this call does not settle, restated on the caller's paths:
        a summary of the caller keeps them, so its own callers can settle them."""
        if not self.summarising:
            return ()
        carried = []
        for literal in _needs(write):
            if literal.subject is None or self._holds_at_call(env, literal, binding) is not None:
                continue
            target = self._caller_path(literal.subject, binding)
            if target is not None:
                atom = f"{self.display(target)}:{literal.test}"
                carried.append(replace(literal, atom=atom, shown=atom, subject=target, aside=True))
        return tuple(carried)

    def _holds_at_call(self, env: Env, literal: Literal, binding: Binding) -> bool | None:
        """The value a callee's fact about its receiver or parameters has for this call, if known."""
        if not literal.test or literal.subject is None:
            return None
        if literal.test == "empty":
            written = self._literal_argument(literal.subject, binding)
            if written is not None and written.type in ("interpreted_string_literal", "raw_string_literal"):
                return (self.text_of(written) in ('""', "``")) == literal.truth  # `len(s) > 0` of "PUB foo"
        value = self._at_call(env, literal.subject, binding)
        if value is None:
            return None
        if literal.test == "nil":
            if value.bits == NIL:
                is_nil = True
            elif not value.bits & (NIL | UNKNOWN | EXTERNAL | ENTRY):
                is_nil = False
            else:
                return None
            return is_nil == literal.truth
        if literal.test == "bool":
            return None if value.constant is None else value.constant == literal.truth
        if literal.test == "compare" and literal.against is not None and value.known is not None:
            outcome = holds(literal.against[0], value.known, literal.against[1])
            return None if outcome is None else outcome == literal.truth
        if literal.test == "empty" and value.bits == NIL:
            return literal.truth  # a nil map or slice is empty, and so is any element read from a nil map
        return None

    @staticmethod
    def _literal_argument(subject: Path, binding: Binding) -> Node | None:
        root = subject[0]
        if len(subject) == 1 and isinstance(root, Local) and root.key in binding.arguments:
            return strip(binding.arguments[root.key])
        return None

    def _caller_path(self, subject: Path, binding: Binding) -> Path | None:
        """The caller's path a callee's path (rooted at its receiver or a parameter) stands for."""
        root = subject[0]
        rest = subject[1:]
        if isinstance(root, Local) and root.key == binding.receiver and binding.receiver_path is not None:
            if binding.by_address and rest[:1] == (DEREF,):
                rest = rest[1:]
            return binding.receiver_path + rest
        if isinstance(root, Local) and root.key in binding.arguments:
            base = self.path_of(binding.arguments[root.key])
            return base + rest if base is not None else None
        return None

    def _at_call(self, env: Env, subject: Path, binding: Binding) -> Val | None:
        """What a callee's path holds at this call, reached through its receiver or a parameter."""
        root = subject[0]
        if isinstance(root, Local) and root.key in binding.arguments:
            argument = strip(binding.arguments[root.key])
            if argument is not None and argument.type == "nil":
                return Val(NIL) if len(subject) == 1 else None
            if argument is not None and len(subject) == 1:
                if argument.type in ("true", "false"):
                    return Val(UNKNOWN, constant=argument.type == "true")  # `render(nil, true)`
                known = self.known_constant(argument)
                if argument.type in _LITERAL_VALUES:
                    return MADE_VAL if known is None else replace(MADE_VAL, known=frozenset((known,)))  # a literal is not nil
                if known is not None:
                    return Val(UNKNOWN, known=frozenset((known,)))  # a named constant of the package
            if argument is not None and len(subject) > 1 and argument.type == "composite_literal":
                return self.literal_children(env, argument).get(subject[1:])  # `render(event{kind: closed}, nil)`
        target = self._caller_path(subject, binding)
        if target is None:
            return None
        base_size = len(target) - len(subject) + 1
        for end in range(base_size + 1, len(target)):
            if target[end][0] == INDEX and self.lookup(env, target[:end]).bits == NIL:
                return Val(NIL)  # an element of a nil map reads as the zero value
        return self.lookup(env, target)


@dataclass(frozen=True)
class Binding:
    """How a callee's receiver and parameters stand for the caller's values at one call."""

    receiver: str | None  # the receiver's key in the callee
    receiver_path: Path | None  # the caller's path it stands for
    by_address: bool  # a pointer receiver called on an addressable value: `*r` is the value
    arguments: dict[str, Node]  # a parameter's key in the callee -> the argument


def _in_handed_closure(write: WriteEvent) -> bool:
    """Whether a callee's write runs only if a closure it handed to other code is called."""
    return any(literal.test == "runs" for literal in _needs(write))


def _needs(write: WriteEvent) -> list[Literal]:
    """The conditions a write needs: to be reached, and for the map to be as it came in."""
    return [literal for when in (write.reached, write.val.when) if isinstance(when, Condition) for literal in when.literals]


def _arguments(parameters: tuple[str | None, ...], args: list[Node]) -> dict[str, Node]:
    return {key: arg for key, arg in zip(parameters, args, strict=False) if key is not None}


def _error_bound(call: Node) -> bool:
    """Whether a call's result is bound to a variable (`err := f()`, `if err = f(); ...`): a
    result thrown away (`_ = f()`, `f()`) says the caller holds the call cannot fail."""
    values = call.parent
    statement = values.parent if values is not None and values.type == "expression_list" else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = statement.child_by_field_name("left")
    names = left.named_children if left is not None else []
    return len(names) == 1 and names[0].type == "identifier" and names[0].text != b"_"
