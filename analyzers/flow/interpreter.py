"""Abstract interpretation of one Go function body over the syntax tree.

The environment maps access paths (`m`, `s.f`, `m[k]`) to abstract values (`values.Val`).
Go's structured control flow is followed directly on the tree: `if`/`else`, `switch`,
type switches, `select`, loops to a fixpoint, `return`, `break`/`continue` with labels,
`goto` (the whole body is iterated until the jumps' environments settle), `defer`
(run at the exit), and closures (run where they are called when that is known; an
escaping closure makes what it assigns unknown). Each write into a map records a
`WriteEvent` with the value the map has there; the rules decide what to report.

Precision comes before recall: anything we cannot follow becomes UNKNOWN, and UNKNOWN is
never reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterable

from tree_sitter import Node

from analyzers.flow.decoded import WELL_KNOWN_GETTERS, is_decoder_call, is_foreign_type, well_known_condition
from analyzers.flow.events import WriteEvent
from analyzers.flow.types import TypeView, normalise, pointee, strip_parens
from analyzers.flow.values import (
    ENTRY,
    EXTERNAL,
    MADE,
    MADE_VAL,
    NIL,
    UNKNOWN,
    UNKNOWN_VAL,
    Origin,
    Val,
    join,
    not_nil,
)
from analyzers.parsing import text
from analyzers.source import SourceFile

if TYPE_CHECKING:
    from analyzers.flow.summaries import PackageFlow

Path = tuple
Env = dict

MAX_LOOP_ROUNDS = 3
# A composite literal copies what its field values hold below them; past these sizes the
# field is left unknown instead (see `literal_children`).
MAX_COPIED_CHILDREN = 64
MAX_COPIED_DEPTH = 4
_DEAD = ("<panicked>",)
_UNSEEN = object()  # marks an environment whose path has certainly panicked
MAX_GOTO_ROUNDS = 4
MAX_INLINE_DEPTH = 3
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONSTANT = re.compile(r'^(?:"(?:[^"\\]|\\.)*"|`[^`]*`|-?[0-9][0-9_xXa-fA-F.]*|\'(?:[^\'\\]|\\.)+\')$')


def is_constant_key(key: str) -> bool:
    return bool(_CONSTANT.match(key))


@dataclass
class Var:
    key: str
    name: str
    type_text: str
    node: Node | None = None
    closure: Node | None = None  # a func literal bound to this variable


@dataclass
class Frame:
    """A target of `break` (and `continue` for loops)."""

    kind: str
    label: str | None
    breaks: list = field(default_factory=list)
    continues: list = field(default_factory=list)


@dataclass
class FuncContext:
    """Per function body (or inlined closure): where `return` and `goto` go."""

    returns: list = field(default_factory=list)
    defers: list = field(default_factory=list)
    frames: list = field(default_factory=list)
    gotos: dict = field(default_factory=dict)
    prev_gotos: dict = field(default_factory=dict)
    results: list = field(default_factory=list)  # named result Vars
    return_values: list = field(default_factory=list)  # (Val, literal children) per return, single-result functions


def _children(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"]


def _strip(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression":
        inner = _children(node)
        node = inner[0] if inner else None
    return node


class Interpreter:
    """Runs one function (with the closures it holds) and collects its write events."""

    def __init__(self, flow: PackageFlow, file: SourceFile, func: Node) -> None:
        self.flow = flow
        self.types: TypeView = flow.types
        self.file = file
        self.func = func
        self.events: dict[tuple, WriteEvent] = {}
        self.scopes: list[dict[str, Var]] = [{}]
        self.vars: dict[str, Var] = {}
        self.inline_depth = 0
        self.ctx = FuncContext()
        self._reassigned: set[str] | None = None
        self.summary_mode = False
        self.receiver_key: str | None = None
        # Summarising a function: its parameters' keys by position (None for `_` or unnamed);
        # map parameters start as ENTRY, so the writes into them as they came in show.
        self.parameters_at_entry: list[str | None] | None = None
        self.assigned_paths: set[Path] = set()  # in summary mode: what the method assigns anywhere
        self.analysed_closures: set = set()
        self.ok_facts: dict = {}
        self.aliases: dict[Path, Path] = {}
        self.read_from: dict[Path, Path] = {}  # a local holding a value read from a map -> that map
        self.exit_env: Env | None = None
        self._paths: dict[int, Path | None] = {}  # node id -> the path it denotes (see `path_of`)


    # ------------------------------------------------------------------ joins
    def join_env(self, a: Env | None, b: Env | None) -> Env | None:
        """The environment after two paths meet; a path listed on one side only is derived on the other."""
        if a is None:
            return None if b is None else dict(b)
        if b is None:
            return dict(a)
        out: Env = {}
        for key in a.keys() | b.keys():
            va = a.get(key)
            vb = b.get(key)
            if va is vb and va is not None:
                out[key] = va  # untouched on both paths since they parted (the common case)
                continue
            if va is None:
                va = self.lookup(a, key)
            if vb is None:
                vb = self.lookup(b, key)
            out[key] = join(va, vb)
        return out

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

    def resolve(self, name: str) -> Var | None:
        for scope in reversed(self.scopes):
            var = scope.get(name)
            if var is not None:
                return var
        return None

    def push(self) -> None:
        self.scopes.append({})

    def pop(self) -> None:
        self.scopes.pop()

    # ------------------------------------------------------------------ paths and values
    def path_of(self, node: Node | None) -> Path | None:
        """The access path an expression denotes, or None when it is not one we track.

        Go's scopes are lexical, so an expression always denotes the same path: it is worked
        out once per node (the interpreter asks about the same nodes round after round).
        """
        node = _strip(node)
        if node is None:
            return None
        known = self._paths.get(node.id, _UNSEEN)
        if known is _UNSEEN:
            known = self._paths[node.id] = self._path_of(node)
        return known

    def _path_of(self, node: Node) -> Path | None:
        kind = node.type
        if kind == "identifier":
            var = self.resolve(text(node))
            if var is not None:
                return (var.key,)
            if text(node) in self.flow.package_vars:
                return ("pkg:" + text(node),)
            return None
        if kind == "selector_expression":
            base = self.path_of(node.child_by_field_name("operand"))
            field_node = node.child_by_field_name("field")
            if base is None or field_node is None:
                return None
            name = text(field_node)
            # A promoted field is reached through its embedded field: `t.tmpl` is `t.common.tmpl`,
            # so an assignment to `t.common` reaches it.
            chain = self.types.promotion_chain(self.type_of_path(base), name)
            return base + tuple(("f", step) for step in chain) + (("f", name),)
        if kind == "index_expression":
            base = self.path_of(node.child_by_field_name("operand"))
            index = node.child_by_field_name("index")
            if base is None or index is None:
                return None
            return base + (("i", normalise(text(index))),)
        if kind == "unary_expression" and text(node).startswith("*"):
            return self.path_of(node.child_by_field_name("operand"))
        return None

    def type_of_path(self, path: Path) -> str:
        root = path[0]
        if root.startswith("pkg:"):
            decl = self.flow.package_vars.get(root[4:])
            type_text = normalise(decl.type_text) if decl is not None else ""
        else:
            var = self.vars.get(root)
            type_text = var.type_text if var is not None else ""
        for step in path[1:]:
            if not type_text:
                return ""
            if step[0] == "f":
                type_text = self.types.field_type(type_text, step[1])
            else:
                type_text = self.types.index_type(type_text)
        return type_text

    def lookup(self, env: Env, path: Path) -> Val:
        val = env.get(path)
        if val is not None:
            return val
        if len(path) == 1:
            if path[0].startswith("pkg:"):
                return self.flow.package_var_entry(path[0][4:], self.func) or UNKNOWN_VAL
            return UNKNOWN_VAL
        parent = self.lookup(env, path[:-1])
        step = path[-1]
        if parent.zero is not None and parent.bits & ~(NIL | MADE) == 0:
            derived = self._zero_child(path, parent, step)
            if derived is not None:
                return derived
        if parent.bits & ENTRY and step[0] == "f":
            return Val(ENTRY)
        if parent.external is not None and step[0] == "f":
            # Types of other packages' fields are unknown: the root's type then tells the kind of object.
            parent_type = self.type_of_path(path[:-1]) or self.type_of_path(path[:1])
            decoded = self.flow.decoded_field(parent_type, step[1])
            if decoded is not None:
                return Val(EXTERNAL | UNKNOWN, external=replace(parent.external, condition=decoded.condition, type_name=decoded.map_type))
            if self.flow.carries_external(parent_type, step[1]):
                return Val(UNKNOWN, external=parent.external)
        if parent.external is not None and step[0] == "i":
            element_type = self.type_of_path(path)
            if not element_type or self.flow.decoded_struct(element_type) or is_foreign_type(element_type):
                return Val(UNKNOWN, external=parent.external)
        return UNKNOWN_VAL

    def _zero_child(self, path: Path, parent: Val, step: tuple) -> Val | None:
        zero = parent.zero
        assert zero is not None
        child_type = self.type_of_path(path)
        if step[0] == "f":
            if self.types.is_map(child_type):
                origin = replace(zero, field=step[1])
                return Val(NIL, origin, parent.when)
            if self.types.struct_name(child_type) and not child_type.startswith("*"):
                return Val(MADE, zero=zero, when=parent.when)
            return None
        key = step[1]
        keys = parent.keys or frozenset()
        if (is_constant_key(key) and key not in keys) or not keys:
            if self.types.struct_name(child_type) and not child_type.startswith("*"):
                return Val(MADE, zero=zero)
            if child_type and not self.types.is_map(child_type):
                return None
            origin = zero
            if zero.kind == "absent-key":
                holds = f"has no key {key}" if is_constant_key(key) else "is empty"
                origin = replace(zero, description=f"`{self.display(path[:-1])}` {holds} ({zero.description})")
            return Val(NIL, origin, parent.when)
        return None

    def display(self, path: Path) -> str:
        """A path as the code would spell it: promoted fields without their embedded field."""
        shown = _path_text(path[:1], self.vars)
        for position in range(1, len(path)):
            step = path[position]
            if step[0] == "i":
                shown += f"[{step[1]}]"
                continue
            container = self.flow.package.struct_of(pointee(self.type_of_path(path[:position])))
            declared = container.field(step[1]) if container is not None else None
            if declared is not None and declared.embedded and position + 1 < len(path):
                continue
            shown += f".{step[1]}"
        return shown

    def origin(self, kind: str, node: Node, description: str, type_name: str = "") -> Origin:
        return Origin(kind, self.file.path, node.start_byte, node.end_byte, description, type_name)

    def line(self, node: Node) -> int:
        return node.start_point[0] + 1

    # ------------------------------------------------------------------ expressions
    def eval(self, env: Env, node: Node | None) -> Val:
        """The value of an expression; evaluating also applies its effects to `env`."""
        node = _strip(node)
        if node is None:
            return UNKNOWN_VAL
        kind = node.type
        if kind == "nil":
            return Val(NIL, self.origin("nil", node, f"set to nil at line {self.line(node)}"))
        if kind == "identifier":
            path = self.path_of(node)
            if path is None:
                return UNKNOWN_VAL
            var = self.vars.get(path[0])
            if var is not None and var.closure is not None:
                self.escape_closure(env, var.closure)
            return self.lookup(env, path)
        if kind in ("selector_expression", "index_expression"):
            self.eval_subexpressions(env, node)
            path = self.path_of(node)
            return self.lookup(env, path) if path is not None else UNKNOWN_VAL
        if kind == "composite_literal":
            return self.eval_literal(env, node)
        if kind == "unary_expression":
            operand = node.child_by_field_name("operand")
            op = text(node)[:1]
            if op == "&":
                inner = _strip(operand)
                if inner is not None and inner.type == "composite_literal":
                    return self.eval_literal(env, inner)
                self.address_taken(env, inner)
                return MADE_VAL
            if op == "<":
                self.eval(env, operand)
                return UNKNOWN_VAL
            self.eval(env, operand)
            return UNKNOWN_VAL
        if kind == "call_expression":
            return self.eval_call(env, node)
        if kind == "type_conversion_expression":
            operand = node.child_by_field_name("operand")
            return self.eval(env, operand)
        if kind == "func_literal":
            self.escape_closure(env, node)
            return MADE_VAL
        if kind == "binary_expression":
            self.eval(env, node.child_by_field_name("left"))
            self.eval(env, node.child_by_field_name("right"))
            return UNKNOWN_VAL
        self.eval_subexpressions(env, node)
        return UNKNOWN_VAL

    def eval_subexpressions(self, env: Env, node: Node) -> None:
        """Apply the effects of calls, closures and `&x` nested inside an expression."""
        for child in _children(node):
            if child.type in ("call_expression", "func_literal", "unary_expression", "composite_literal"):
                self.eval(env, child)
            elif child.type in ("selector_expression", "index_expression", "parenthesized_expression",
                                "binary_expression", "argument_list", "expression_list", "literal_value",
                                "keyed_element", "literal_element", "slice_expression", "type_assertion_expression"):
                self.eval_subexpressions(env, child)

    def eval_literal(self, env: Env, node: Node) -> Val:
        type_node = node.child_by_field_name("type")
        type_text = normalise(text(type_node)) if type_node is not None else ""
        body = node.child_by_field_name("body")
        if body is not None:
            self.eval_subexpressions(env, body)
        if self.types.struct_name(type_text):
            origin = self.origin("construction", node, f"built at line {self.line(node)}", self.types.struct_name(type_text) or "")
            return Val(MADE, zero=origin)
        if self.types.is_map(type_text):
            keys = self._literal_keys(body)
            origin = self.origin("absent-key", node, f"made at line {self.line(node)}")
            if keys is None:
                return MADE_VAL
            return Val(MADE, zero=origin, keys=keys)
        return MADE_VAL

    def _literal_keys(self, body: Node | None) -> frozenset[str] | None:
        keys = []
        for element in _children(body) if body is not None else []:
            if element.type != "keyed_element":
                return None
            key = element.child_by_field_name("key")
            key_text = normalise(text(key)) if key is not None else ""
            if not is_constant_key(key_text):
                return None
            keys.append(key_text)
        return frozenset(keys)

    def literal_children(self, env: Env, node: Node | None) -> dict[tuple, Val]:
        """Values of the fields (or constant keys) a composite literal sets, by relative path."""
        node = _strip(node)
        if node is not None and node.type == "unary_expression" and text(node).startswith("&"):
            node = _strip(node.child_by_field_name("operand"))
        if node is not None and node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "identifier" and self.resolve(text(function)) is None:
                return self.flow.result_children(text(function))
            return {}
        if node is None or node.type != "composite_literal":
            return {}
        type_node = node.child_by_field_name("type")
        type_text = normalise(text(type_node)) if type_node is not None else ""
        body = node.child_by_field_name("body")
        elements = _children(body) if body is not None else []
        children: dict[tuple, Val] = {}
        struct = self.flow.package.struct_of(type_text) if self.types.struct_name(type_text) else None
        for position, element in enumerate(elements):
            if element.type == "keyed_element":
                key = element.child_by_field_name("key")
                value = element.child_by_field_name("value")
                value_node = _strip(_children(value)[0]) if value is not None and _children(value) else None
                key_text = normalise(text(key)) if key is not None else ""
                step = ("f", key_text) if struct is not None else ("i", key_text)
            else:
                value_node = _strip(_children(element)[0]) if _children(element) else None
                if struct is None:
                    continue
                named = [f for f in struct.fields]
                if position >= len(named):
                    continue
                step = ("f", named[position].name)
            value = self.literal_value(env, value_node)
            if struct is not None and value.bits & NIL:
                # `T{f: nil}` or `T{f: tags}` with a nil local: the construction leaves f nil.
                origin = self.origin("construction", node, f"built at line {self.line(node)}", struct.name)
                value = replace(value, origin=replace(origin, field=step[1]))
            if value_node is not None and value_node.type in ("composite_literal", "unary_expression", "call_expression", "identifier", "selector_expression"):
                nested = self.value_children(env, value_node)
                if len(nested) > MAX_COPIED_CHILDREN or any(len(rel) > MAX_COPIED_DEPTH for rel in nested):
                    # Too much to copy: a value that holds itself (`c.x = &x{client: c}`, thirty
                    # times over) would double at each step. Its field is tracked no further,
                    # and unknown is never reported.
                    value = replace(value, bits=value.bits | UNKNOWN, zero=None, keys=None)
                    nested = {}
                for rel, child in nested.items():
                    children[(step,) + rel] = child
            children[(step,)] = value
        return children

    def literal_value(self, env: Env, node: Node | None) -> Val:
        """The value of a literal's element; a bare `{...}` element is a made value."""
        if node is None:
            return UNKNOWN_VAL
        if node.type == "literal_value":
            return MADE_VAL
        if node.type == "identifier":
            path = self.path_of(node)
            return self.lookup(env, path) if path is not None else UNKNOWN_VAL
        if node.type == "nil":
            return Val(NIL, self.origin("nil", node, f"set to nil at line {self.line(node)}"))
        if node.type in ("composite_literal", "call_expression", "unary_expression"):
            return self.eval(env, node)
        return UNKNOWN_VAL

    def address_taken(self, env: Env, node: Node | None) -> None:
        """`&x`: whatever holds the address may change x, so x becomes unknown."""
        path = self.path_of(node)
        if path is not None:
            self.forget(env, path)

    def forget(self, env: Env, path: Path) -> None:
        size = len(path)
        for key in [k for k in env if len(k) >= size and k[:size] == path]:
            del env[key]
        if size > 1 or path[0].startswith("pkg:"):
            env[path] = UNKNOWN_VAL

    def shared(self, env: Env, node: Node | None) -> None:
        """A value handed to other code: a map may be filled there, a pointer's fields set."""
        node = _strip(node)
        if node is None:
            return
        if node.type == "unary_expression" and text(node).startswith("&"):
            self.eval(env, node)
            return
        path = self.path_of(node)
        if path is None:
            self.eval(env, node)
            return
        val = self.lookup(env, path)
        if val.external is not None or val.bits & EXTERNAL:
            # Handed to other code, which may fill its maps: no longer as decoded.
            self.forget(env, path)
            return
        # The handle is copied: the callee can fill the map or set fields through a pointer,
        # but cannot make a nil map variable non-nil.
        for key in [k for k in env if k[: len(path)] == path and len(k) > len(path)]:
            env[key] = join(env[key], UNKNOWN_VAL)
        type_text = self.type_of_path(path)
        if val.zero is not None or val.keys is not None:
            if val.bits & NIL and not type_text.startswith("*") and not self.types.struct_name(type_text):
                env[path] = replace(val, keys=None)
            elif self.types.struct_name(type_text) and not type_text.startswith("*"):
                pass  # a struct value is copied: the callee cannot touch ours
            else:
                env[path] = replace(val, bits=val.bits | UNKNOWN, zero=None, keys=None)
        var = self.vars.get(path[0])
        if var is not None and var.closure is not None:
            self.escape_closure(env, var.closure)

    def eval_call(self, env: Env, node: Node) -> Val:
        function = _strip(node.child_by_field_name("function"))
        arguments = node.child_by_field_name("arguments")
        args = _children(arguments) if arguments is not None else []
        if function is None:
            return UNKNOWN_VAL
        fname = text(function)
        if function.type == "identifier" and self.resolve(fname) is None:
            if fname == "make":
                type_text = normalise(text(args[0])) if args else ""
                for arg in args[1:]:
                    self.eval(env, arg)
                if self.types.is_map(type_text):
                    return Val(MADE, zero=self.origin("absent-key", node, f"made at line {self.line(node)}"), keys=frozenset())
                if type_text.startswith("[]") and self.types.is_map(type_text[2:]):
                    return Val(MADE, zero=self.origin("zero-element", node, f"made at line {self.line(node)} with nil maps as elements"))
                element = self.types.struct_name(type_text[2:]) if type_text.startswith("[]") and not type_text[2:].startswith("*") else None
                if element is not None:
                    return Val(MADE, zero=self.origin("construction", node, f"made at line {self.line(node)} with zero-valued elements", element))
                return MADE_VAL
            if fname == "new":
                type_text = normalise(text(args[0])) if args else ""
                if self.types.struct_name(type_text):
                    return Val(MADE, zero=self.origin("construction", node, f"built with new at line {self.line(node)}", self.types.struct_name(type_text) or ""))
                return MADE_VAL
            if fname in ("len", "cap", "delete", "print", "println", "panic", "copy", "clear", "close", "min", "max"):
                for arg in args:
                    self.eval(env, arg)
                return UNKNOWN_VAL
            if fname == "append":
                for arg in args[1:]:
                    self.shared(env, arg)
                if args:
                    self.eval(env, args[0])
                return MADE_VAL
            if self.types.is_map(fname) and len(args) == 1:
                return self.eval(env, args[0])  # a conversion to a named map type
        # A call of a closure bound to a local variable runs its body here.
        if function.type == "identifier":
            var = self.resolve(fname)
            if var is not None and var.closure is not None and fname not in self.reassigned():
                for arg in args:
                    self.shared(env, arg)
                return self.run_closure(env, var.closure)
        if function.type == "func_literal":
            for arg in args:
                self.shared(env, arg)
            return self.run_closure(env, function)
        if function.type == "selector_expression":
            return self.eval_method_call(env, node, function, args)
        if function.type == "identifier" and self.resolve(fname) is None:
            self.apply_function_summary(env, node, fname, args)
        for arg in args:
            self.shared(env, arg)
        if function.type == "identifier":
            if self.resolve(fname) is None and fname in self.flow.package.funcs:
                return self.flow.call_result(fname)
        else:
            self.eval(env, function)
        return UNKNOWN_VAL

    def eval_method_call(self, env: Env, node: Node, function: Node, args: list[Node]) -> Val:
        receiver = _strip(function.child_by_field_name("operand"))
        method = text(function.child_by_field_name("field")) if function.child_by_field_name("field") else ""
        path = self.path_of(receiver)
        if path is None:
            # A package-qualified call (`json.Unmarshal(data, &c)`), or a method on a value
            # we do not track: its arguments are handed to unknown code.
            if receiver is not None and receiver.type != "identifier":
                self.eval(env, receiver)
            for arg in args:
                self.shared(env, arg)
            if is_decoder_call(method):
                self.mark_decoded(env, args, node)
            return self.flow.qualified_call_result(env, receiver, method, args, self)
        receiver_type = self.type_of_path(path)
        if method == "Do" and len(args) == 1 and receiver_type.endswith("sync.Once"):
            return self.call_once(env, args[0])
        getter = WELL_KNOWN_GETTERS.get(method)
        if getter is not None and not args:
            receiver_val = self.lookup(env, path)
            if receiver_val.external is not None:
                decoded = well_known_condition(getter, receiver_type)
                if decoded is not None:
                    return Val(EXTERNAL | UNKNOWN, external=replace(receiver_val.external, condition=decoded.condition, type_name=decoded.map_type))
        if method.startswith(("Get", "String")) and not args and not self.types.struct_name(receiver_type):
            return UNKNOWN_VAL  # a getter of another package's type: reads only
        for arg in args:
            self.shared(env, arg)
        if is_decoder_call(method):
            self.mark_decoded(env, args, node)
            return UNKNOWN_VAL
        # A method of a map type that writes its receiver (`http.Header.Set`, `Set.Add`).
        if self.flow.stdlib_writes_receiver(receiver_type, method):
            self.record_write(env, path, node, receiver, via_method=method)
            return UNKNOWN_VAL
        summary = self.flow.method_summary(pointee(receiver_type), method)
        if summary is not None:
            return self.apply_method_summary(env, path, node, receiver, summary)
        self.shared(env, receiver)
        return UNKNOWN_VAL

    def call_once(self, env: Env, function: Node) -> Val:
        """`once.Do(f)` runs f before it returns (the first time; later the effect persists)."""
        function = _strip(function)
        if function is not None and function.type == "func_literal":
            return self.run_closure(env, function)
        if function is not None and function.type == "selector_expression":
            receiver = _strip(function.child_by_field_name("operand"))
            field_node = function.child_by_field_name("field")
            path = self.path_of(receiver)
            if path is not None and field_node is not None:
                summary = self.flow.method_summary(pointee(self.type_of_path(path)), text(field_node))
                if summary is not None:
                    return self.apply_method_summary(env, path, function, receiver, summary)
        self.shared(env, function)
        return UNKNOWN_VAL

    def mark_decoded(self, env: Env, args: list[Node], call: Node) -> None:
        """`json.Unmarshal(data, &c)`, `r.Get(ctx, key, obj)`: the target is filled from input."""
        function = call.child_by_field_name("function")
        callee = normalise(text(function)) if function is not None else "a decoder"
        for arg in args:
            target = _strip(arg)
            if target is not None and target.type == "unary_expression" and text(target).startswith("&"):
                target = _strip(target.child_by_field_name("operand"))
            path = self.path_of(target)
            if path is None:
                continue
            type_text = self.type_of_path(path)
            if not (self.flow.decoded_struct(type_text) or is_foreign_type(type_text)):
                continue
            origin = self.origin("decoded", arg, f"filled by `{callee}`")
            self.forget(env, path)
            env[path] = Val(UNKNOWN, external=origin)

    def apply_function_summary(self, env: Env, node: Node, name: str, args: list[Node]) -> None:
        """A same-package function that writes a map parameter, called with a map we track."""
        summary = self.flow.function_summary(name)
        if summary is None:
            return
        for position, write in summary.writes.items():
            if position >= len(args):
                continue
            arg = _strip(args[position])
            if arg is not None and arg.type == "nil":
                self.record_nil_argument(env, node, arg, name, write)
                continue
            path = self.path_of(arg)
            if path is None:
                continue
            if self.lookup(env, path).bits & (NIL | EXTERNAL | ENTRY):
                self.record_write(env, path, node, arg, via_method=name, callee_write=write)

    def record_nil_argument(self, env: Env, call: Node, argument: Node, callee: str, write: WriteEvent) -> None:
        """`record(nil, w)` where `record` writes that parameter: a write to a nil map at the call."""
        var = Var(f"{write.target}@nil{argument.start_byte}", write.target, write.type_text, argument)
        self.vars[var.key] = var
        path = (var.key,)
        env[path] = Val(NIL, self.origin("nil", argument, f"`nil` passed at line {self.line(argument)}"))
        self.record_write(env, path, call, argument, via_method=callee, callee_write=write)
        del env[path]

    def apply_method_summary(self, env: Env, path: Path, node: Node, receiver: Node, summary) -> Val:
        """A same-package method called on a tracked value: its writes, then what it sets."""
        for rel, write in summary.writes.items():
            target = path + rel
            val = self.lookup(env, target)
            if val.bits & (NIL | EXTERNAL | ENTRY):
                self.record_write(env, target, node, receiver, via_method=summary.name, callee_write=write)
        for rel, effect in summary.effects.items():
            target = path + rel
            before = self.lookup(env, target)
            for key in [k for k in env if k[: len(target)] == target and len(k) > len(target)]:
                del env[key]
            if effect == "made":
                env[target] = MADE_VAL
            elif effect == "assigned":
                env[target] = UNKNOWN_VAL
            else:
                env[target] = join(before, UNKNOWN_VAL)
        if summary.escapes:
            self.shared(env, receiver)
        return UNKNOWN_VAL

    # ------------------------------------------------------------------ writes
    def record_write(self, env: Env, path: Path, node: Node, map_node: Node | None, via_method: str = "", callee_write=None) -> None:
        val = self.lookup(env, path)
        map_type = self.type_of_path(path)
        if val.bits & (NIL | EXTERNAL | ENTRY):
            statement = _enclosing_statement(node)
            target = self.display(path)
            key = (node.start_byte, node.end_byte, path, via_method)
            self.events[key] = WriteEvent(
                self.file.path,
                node,
                statement,
                target,
                path,
                self.types.map_type(map_type) or "",
                map_type,
                val,
                nested=len(path) > 1 and path[-1][0] == "i" and self.types.is_map(self.type_of_path(path[:-1])),
                via_method=via_method,
                owner_type=self.type_of_path(path[:-1]) if len(path) > 1 else "",
                through_map_element=any(
                    step[0] == "i" and self.types.is_map(self.type_of_path(path[:i]))
                    for i, step in enumerate(path[:-1]) if i > 0
                ),
                callee=callee_write,
            )
        # Past the write the map is not nil: a nil one would have panicked, and where it
        # is nil on every path, nothing runs past the write at all.
        if val.bits == NIL:
            env[_DEAD] = UNKNOWN_VAL
        elif val.bits & (NIL | EXTERNAL | ENTRY):
            env[path] = not_nil(val)

    def write_index(self, env: Env, target: Node, value: Val | None, value_node: Node | None = None) -> None:
        """`m[k] = v` (value given) or `m[k] op= v` / `m[k]++` (None): a write into `m`."""
        operand = target.child_by_field_name("operand")
        index = target.child_by_field_name("index")
        self.eval_subexpressions(env, target)
        map_path = self.path_of(operand)
        if map_path is None:
            return
        operand_type = self.type_of_path(map_path)
        is_container = bool(operand_type) and not self.types.is_map(operand_type)
        if not is_container:
            self.record_write(env, map_path, target, operand)
        # else: an array or slice element; `arr[i] = ...` stores into the container itself.
        if index is None:
            return
        key = normalise(text(index))
        element = map_path + (("i", key),)
        container = self.lookup(env, map_path)
        if container.zero is not None:
            keys = container.keys if container.keys is not None else frozenset()
            if is_constant_key(key):
                env[map_path] = replace(container, keys=keys | {key})
            else:
                env[map_path] = replace(container, zero=None, keys=None)
        if value is not None:
            self.assign_path(env, element, value, value_node)
        else:
            env.pop(element, None)

    def assign_path(self, env: Env, path: Path, val: Val, value_node: Node | None) -> None:
        size = len(path)
        if self.summary_mode:
            self.assigned_paths.add(path)
        for table in (self.aliases, self.read_from):
            for alias, source in list(table.items()):
                if alias[:size] == path or source[:size] == path:
                    del table[alias]
        for position in range(1, size):
            step = path[position]
            if step[0] == "i" and not is_constant_key(step[1]):
                # `ts[i].m = ...`: which element changed is unknown, so elements stop being zero.
                container = self.lookup(env, path[:position])
                if container.zero is not None:
                    env[path[:position]] = replace(container, zero=None, keys=None)
        for key in [k for k in env if len(k) > size and k[:size] == path]:
            del env[key]
        children = self.literal_children(env, value_node) if value_node is not None else None
        if size == 1 and val == UNKNOWN_VAL and not children and not path[0].startswith("pkg:"):
            env.pop(path, None)  # an unlisted variable is unknown: keep environments small
        else:
            env[path] = val
        if children:
            for rel, child in children.items():
                env[path + rel] = child
        self.invalidate_keys(env, path)

    def invalidate_keys(self, env: Env, path: Path) -> None:
        """Paths indexed by an expression that mentions a variable just assigned no longer hold."""
        if len(path) != 1:
            return
        var = self.vars.get(path[0])
        if var is None:
            return
        name = var.name
        stale = [k for k in env if len(k) > 1 and any(step[0] == "i" and name in _IDENT.findall(step[1]) for step in k[1:])]
        for key in stale:
            del env[key]

    # ------------------------------------------------------------------ closures
    def reassigned(self) -> set[str]:
        """Names assigned anywhere in the function after their declaration (closures too)."""
        if self._reassigned is None:
            self._reassigned = self.flow.assigned_names(self.file.path, self.func, False)
        return self._reassigned

    def run_closure(self, env: Env, literal: Node) -> Val:
        """Run a closure's body where it is called, against the caller's environment."""
        body = literal.child_by_field_name("body")
        if body is None:
            return UNKNOWN_VAL
        if self.inline_depth >= MAX_INLINE_DEPTH:
            self.escape_closure(env, literal)
            return UNKNOWN_VAL
        outer_ctx = self.ctx
        self.ctx = FuncContext()
        self.inline_depth += 1
        self.push()
        self.declare_parameters(env, literal.child_by_field_name("parameters"))
        try:
            end = self.exec_block(dict(env), body)
            exits = self.join_all([end, *self.ctx.returns])
        finally:
            self.pop()
            self.inline_depth -= 1
            self.ctx = outer_ctx
        if exits is None:
            env.clear()
            env[_DEAD] = UNKNOWN_VAL
            return UNKNOWN_VAL
        env.clear()
        env.update(exits)
        return UNKNOWN_VAL

    def escape_closure(self, env: Env, literal: Node) -> None:
        """A closure handed to other code runs at an unknown time: what it assigns is unknown."""
        body = literal.child_by_field_name("body")
        if body is None:
            return
        key = ("<closure>", literal.start_byte)
        if key not in self.analysed_closures:
            self.analysed_closures.add(key)
            # Its body is checked on its own: captured variables are unknown in there.
            outer_ctx = self.ctx
            self.ctx = FuncContext()
            self.push()
            self.declare_parameters({}, literal.child_by_field_name("parameters"))
            saved_depth = self.inline_depth
            self.inline_depth = MAX_INLINE_DEPTH  # nested closures escape too
            try:
                self.exec_block({}, body)
            finally:
                self.inline_depth = saved_depth
                self.pop()
                self.ctx = outer_ctx
        for name in self.flow.assigned_names(self.file.path, literal, True):
            path = self.path_of_name(name)
            if path is not None:
                self.forget(env, path)

    def path_of_name(self, name: str) -> Path | None:
        var = self.resolve(name)
        if var is not None:
            return (var.key,)
        if name in self.flow.package_vars:
            return ("pkg:" + name,)
        return None

    # ------------------------------------------------------------------ declarations
    def declare_parameters(self, env: Env, parameters: Node | None, external: bool = False) -> None:
        if parameters is None:
            return
        for decl in _children(parameters):
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_node = decl.child_by_field_name("type")
            type_text = text(type_node) if type_node is not None else ""
            names = decl.children_by_field_name("name")
            for name in names:
                var = self.declare(name, type_text)
                if var is not None:
                    env[(var.key,)] = self.parameter_entry(var, name) if external else UNKNOWN_VAL
                if external and self.parameters_at_entry is not None:
                    variadic = decl.type == "variadic_parameter_declaration"
                    self.parameters_at_entry.append(var.key if var is not None and not variadic and self.types.is_map(var.type_text) else None)
            if external and self.parameters_at_entry is not None and not names:
                self.parameters_at_entry.append(None)

    def parameter_entry(self, var: Var, name: Node) -> Val:
        if self.parameters_at_entry is not None and self.types.is_map(var.type_text):
            return Val(ENTRY)
        return self.flow.parameter_val(var.type_text, name, self.file.path)

    def declare_results(self, env: Env, result: Node | None) -> None:
        if result is None or result.type != "parameter_list":
            return
        for decl in _children(result):
            if decl.type != "parameter_declaration":
                continue
            type_node = decl.child_by_field_name("type")
            type_text = text(type_node) if type_node is not None else ""
            for name in decl.children_by_field_name("name"):
                var = self.declare(name, type_text)
                if var is None:
                    continue
                self.ctx.results.append(var)
                env[(var.key,)] = self.zero_value(var.type_text, name, "named-result", f"named result `{var.name}` is never assigned a map")

    def zero_value(self, type_text: str, node: Node, kind: str, description: str) -> Val:
        if self.types.is_map(type_text):
            return Val(NIL, self.origin(kind, node, description))
        struct = self.types.struct_name(type_text)
        if struct is not None and not type_text.startswith("*"):
            return Val(MADE, zero=self.origin("construction", node, f"zero value declared at line {self.line(node)}", struct))
        if self.types.is_zero_container(type_text):
            return Val(MADE, zero=self.origin("zero-element", node, f"declared at line {self.line(node)}; its elements are nil maps"))
        return UNKNOWN_VAL

    def exec_var_spec(self, env: Env, spec: Node) -> None:
        type_node = spec.child_by_field_name("type")
        type_text = text(type_node) if type_node is not None else ""
        value = spec.child_by_field_name("value")
        names = spec.children_by_field_name("name")
        if value is not None:
            values = _children(value)
            evaluated = [self.eval(env, v) for v in values]
            for i, name in enumerate(names):
                inferred = type_text or (self.infer_type(values[i]) if len(values) == len(names) else "")
                var = self.declare(name, inferred)
                if var is None:
                    continue
                if len(values) == len(names):
                    self.assign_path(env, (var.key,), evaluated[i], values[i])
                else:
                    env[(var.key,)] = UNKNOWN_VAL
            return
        for name in names:
            var = self.declare(name, type_text)
            if var is not None:
                env[(var.key,)] = self.zero_value(var.type_text, name, "declaration", f"declared at line {self.line(name)} without make")

    def infer_type(self, node: Node | None) -> str:
        """The type of an expression as far as declarations tell."""
        node = _strip(node)
        if node is None:
            return ""
        kind = node.type
        if kind == "composite_literal":
            type_node = node.child_by_field_name("type")
            return normalise(text(type_node)) if type_node is not None else ""
        if kind == "unary_expression" and text(node).startswith("&"):
            inner = self.infer_type(node.child_by_field_name("operand"))
            return "*" + inner if inner else ""
        if kind == "call_expression":
            function = _strip(node.child_by_field_name("function"))
            args = node.child_by_field_name("arguments")
            first = _children(args)[0] if args is not None and _children(args) else None
            fname = text(function) if function is not None else ""
            if fname == "make" and first is not None:
                return normalise(text(first))
            if fname == "new" and first is not None:
                return "*" + normalise(text(first))
            if function is not None and function.type == "identifier" and self.resolve(fname) is None:
                decl = self.flow.package.funcs.get(fname)
                if decl is not None and decl.result_types:
                    return normalise(decl.result_types[0])
                if self.types.is_map(fname) or self.types.struct_name(fname):
                    return fname
            if function is not None and function.type in ("parenthesized_expression", "map_type", "qualified_type"):
                return normalise(strip_parens(fname))
            if function is not None and function.type == "selector_expression":
                return self.flow.method_result_type(self, function)
            return ""
        if kind == "type_conversion_expression":
            type_node = node.child_by_field_name("type")
            return normalise(text(type_node)) if type_node is not None else ""
        path = self.path_of(node)
        if path is not None:
            return self.type_of_path(path)
        return ""

    # ------------------------------------------------------------------ statements
    def run(self) -> dict[tuple, WriteEvent]:
        """Analyse the function; returns its write events."""
        body = self.func.child_by_field_name("body")
        if body is None:
            return {}
        rounds = 0
        while True:
            self.events = {}
            self.analysed_closures = set()
            self.ok_facts = {}
            self.aliases = {}
            self.read_from = {}
            self.scopes = [{}]
            self.ctx = FuncContext(prev_gotos=self.ctx.gotos if rounds else {})
            env = self.entry_env()
            end = self.exec_block(env, body)
            self.run_defers(self.join_all([end, *self.ctx.returns]))
            rounds += 1
            if not self.ctx.gotos or self.ctx.gotos == self.ctx.prev_gotos or rounds >= MAX_GOTO_ROUNDS:
                break
        self.exit_env = self.join_all([end, *self.ctx.returns])
        return self.events

    def entry_env(self) -> Env:
        env: Env = {}
        receiver = self.func.child_by_field_name("receiver")
        if receiver is not None:
            self.declare_receiver(env, receiver)
        self.declare_parameters(env, self.func.child_by_field_name("parameters"), external=True)
        self.declare_results(env, self.func.child_by_field_name("result"))
        return env

    def declare_receiver(self, env: Env, receiver: Node) -> None:
        for decl in _children(receiver):
            if decl.type != "parameter_declaration":
                continue
            type_node = decl.child_by_field_name("type")
            name = decl.child_by_field_name("name")
            if name is None:
                continue
            var = self.declare(name, text(type_node) if type_node is not None else "")
            if var is not None:
                env[(var.key,)] = self.flow.receiver_val(self, var)

    def run_defers(self, exit_env: Env | None) -> None:
        if exit_env is None:
            return
        for literal, scopes in reversed(self.ctx.defers):
            saved = self.scopes
            self.scopes = scopes
            try:
                self.run_closure(exit_env, literal)
            finally:
                self.scopes = saved

    def exec_block(self, env: Env | None, block: Node) -> Env | None:
        self.push()
        try:
            for statement in _statements(block):
                if env is None and statement.type != "labeled_statement":
                    continue
                env = self.exec(env, statement)
            return env
        finally:
            self.pop()

    def exec_statements(self, env: Env | None, statements: Iterable[Node]) -> Env | None:
        for statement in statements:
            if env is None and statement.type != "labeled_statement":
                continue
            env = self.exec(env, statement)
        return env

    def exec(self, env: Env | None, node: Node, label: str | None = None) -> Env | None:
        handler = getattr(self, "exec_" + node.type, None)
        if env is None and node.type != "labeled_statement":
            return None
        if handler is None:
            if node.type in ("ERROR",):
                return env
            self.eval_subexpressions(env, node)
            return env
        if node.type in ("for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"):
            env = handler(env, node, label)
        else:
            env = handler(env, node)
        if env is not None and _DEAD in env:
            return None  # the statement panics on every path through it
        return env

    def exec_statement_list(self, env: Env, node: Node) -> Env | None:
        return self.exec_statements(env, _children(node))

    def exec_empty_statement(self, env: Env, node: Node) -> Env:
        return env

    def exec_expression_statement(self, env: Env, node: Node) -> Env | None:
        for child in _children(node):
            self.eval(env, child)
        if _is_panic_or_exit(node):
            return None
        return env

    def exec_send_statement(self, env: Env, node: Node) -> Env:
        self.eval(env, node.child_by_field_name("channel"))
        self.shared(env, node.child_by_field_name("value"))
        return env

    def exec_inc_statement(self, env: Env, node: Node) -> Env:
        target = _strip(_children(node)[0]) if _children(node) else None
        if target is not None and target.type == "index_expression":
            self.write_index(env, target, None)
        elif target is not None:
            path = self.path_of(target)
            if path is not None:
                self.invalidate_keys(env, path)
        return env

    exec_dec_statement = exec_inc_statement

    def exec_var_declaration(self, env: Env, node: Node) -> Env:
        for child in _children(node):
            if child.type == "var_spec":
                self.exec_var_spec(env, child)
            elif child.type == "var_spec_list":
                for spec in _children(child):
                    if spec.type == "var_spec":
                        self.exec_var_spec(env, spec)
        return env

    def exec_const_declaration(self, env: Env, node: Node) -> Env:
        return env

    def exec_type_declaration(self, env: Env, node: Node) -> Env:
        return env

    def exec_short_var_declaration(self, env: Env, node: Node) -> Env:
        left = _children(node.child_by_field_name("left")) if node.child_by_field_name("left") else []
        right = _children(node.child_by_field_name("right")) if node.child_by_field_name("right") else []
        if len(left) == 2 and len(right) == 1 and _strip(right[0]) is not None and _strip(right[0]).type == "index_expression":
            self.comma_ok(env, left, _strip(right[0]), declare=True)
            return env
        self.share_aliases(env, right)
        values = [self.eval(env, r) for r in right]
        for i, name in enumerate(left):
            if name.type != "identifier":
                continue
            existing = self.scopes[-1].get(text(name))
            if existing is not None:
                path = (existing.key,)
            else:
                var = self.declare(name, self.infer_type(right[i]) if len(right) == len(left) else "")
                if var is None:
                    continue
                path = (var.key,)
                if len(right) == len(left) and _strip(right[i]) is not None and _strip(right[i]).type == "func_literal":
                    var.closure = _strip(right[i])
                    env[path] = MADE_VAL
                    continue
            if len(right) == len(left):
                self.assign_path(env, path, values[i], right[i])
                self.note_origin_of(path, right[i])
            else:
                first_of_call = right[0] if i == 0 and len(right) == 1 else None  # `t, err := NewT()`
                self.assign_path(env, path, self.flow.multi_result(right, i, self), first_of_call)
        return env

    def note_origin_of(self, path: Path, value: Node) -> None:
        """Remember `m := t.m` (an alias of a map) and `list := m[k]` (a value read from m)."""
        source = self.path_of(value)
        if source is None:
            return
        if len(source) > 1 and self.types.is_map(self.type_of_path(source)):
            self.aliases[path] = source
        stripped = _strip(value)
        if stripped is not None and stripped.type == "index_expression":
            container = self.path_of(stripped.child_by_field_name("operand"))
            if container is not None and self.types.is_map(self.type_of_path(container)):
                self.read_from[path] = container

    def share_aliases(self, env: Env, right: list[Node]) -> None:
        """`q := p` for a pointer: either name may now set the fields, so they are unknown."""
        for node in right:
            path = self.path_of(node)
            if path is not None and self.type_of_path(path).startswith("*"):
                self.shared(env, node)

    def comma_ok(self, env: Env, left: list[Node], lookup: Node, declare: bool) -> None:
        """`v, ok := m[k]`: v is nil exactly when ok is false (for maps of maps)."""
        self.eval_subexpressions(env, lookup)
        element = self.path_of(lookup)
        paths: list[Path | None] = []
        for name in left:
            if declare and name.type == "identifier" and self.scopes[-1].get(text(name)) is None:
                var = self.declare(name, self.type_of_path(element) if element and not paths else "")
                paths.append((var.key,) if var is not None else None)
            else:
                paths.append(self.path_of(name))
        value_path, ok_path = paths
        if value_path is not None:
            self.assign_path(env, value_path, self.lookup(env, element) if element else UNKNOWN_VAL, None)
            if element is not None:
                self.read_from[value_path] = element[:-1]
        if ok_path is not None:
            self.assign_path(env, ok_path, UNKNOWN_VAL, None)
            self.ok_facts[ok_path] = (value_path, element)

    def exec_assignment_statement(self, env: Env, node: Node) -> Env:
        left_node = node.child_by_field_name("left")
        right_node = node.child_by_field_name("right")
        left = _children(left_node) if left_node is not None else []
        right = _children(right_node) if right_node is not None else []
        operator = node.child_by_field_name("operator")
        op = text(operator) if operator is not None else "="
        if op != "=":
            for r in right:
                self.eval(env, r)
            for target in left:
                target = _strip(target)
                if target is not None and target.type == "index_expression":
                    self.write_index(env, target, None)
                else:
                    path = self.path_of(target)
                    if path is not None:
                        self.invalidate_keys(env, path)
            return env
        if len(left) == 2 and len(right) == 1 and _strip(right[0]) is not None and _strip(right[0]).type == "index_expression":
            self.comma_ok(env, left, _strip(right[0]), declare=False)
            return env
        self.share_aliases(env, right)
        values = [self.eval(env, r) for r in right]
        for i, target in enumerate(left):
            target = _strip(target)
            if target is None:
                continue
            value = values[i] if len(values) == len(left) else self.flow.multi_result(right, i, self)
            value_node = right[i] if len(right) == len(left) else (right[0] if i == 0 and len(right) == 1 else None)
            if target.type == "index_expression":
                self.write_index(env, target, value, value_node)
                continue
            if target.type == "unary_expression":  # `*p = v` replaces what p points to
                path = self.path_of(target)
                if path is not None:
                    self.forget(env, path)
                continue
            if target.type == "selector_expression":
                self.eval_subexpressions(env, target)
            path = self.path_of(target)
            if path is None:
                continue
            if value_node is not None and _strip(value_node) is not None and _strip(value_node).type == "func_literal":
                var = self.vars.get(path[0])
                if var is not None and len(path) == 1:
                    # A closure stored in a variable that is also reassigned: it may be
                    # called anywhere, so it is treated as escaping.
                    self.escape_closure(env, _strip(value_node))
                env[path] = MADE_VAL
                continue
            self.assign_path(env, path, value, value_node)
        return env

    def exec_return_statement(self, env: Env, node: Node) -> None:
        values = []
        for child in _children(node):
            values = _children(child) if child.type == "expression_list" else [child]
        evaluated = [(self.eval(env, v), self.value_children(env, v)) for v in values]
        for v in values:
            self.shared(env, v)
        if values and len(values) == len(self.ctx.results):
            for var, (val, _) in zip(self.ctx.results, evaluated):
                env[(var.key,)] = val
        if not values and self.ctx.results:
            evaluated = [(self.lookup(env, (var.key,)), self.path_children(env, (var.key,))) for var in self.ctx.results]
        if evaluated:
            self.ctx.return_values.append(evaluated)
        self.ctx.returns.append(env)
        return None

    def value_children(self, env: Env, node: Node) -> dict[tuple, Val]:
        """What an expression's value holds below it: a literal's fields, or a variable's tracked paths."""
        path = self.path_of(node)
        if path is not None:
            return self.path_children(env, path)
        return self.literal_children(env, node)

    @staticmethod
    def path_children(env: Env, path: Path) -> dict[tuple, Val]:
        size = len(path)
        return {k[size:]: v for k, v in env.items() if len(k) > size and k[:size] == path}

    def deferred_call(self, env: Env, node: Node) -> Node | None:
        """The function of a `go` or `defer` call, its arguments evaluated (and handed over) now."""
        call = _strip(_children(node)[0]) if _children(node) else None
        if call is None or call.type != "call_expression":
            return None
        arguments = call.child_by_field_name("arguments")
        for arg in _children(arguments) if arguments is not None else []:
            self.shared(env, arg)
        return _strip(call.child_by_field_name("function"))

    def exec_go_statement(self, env: Env, node: Node) -> Env:
        function = self.deferred_call(env, node)
        if function is not None and function.type == "func_literal":
            self.escape_closure(env, function)  # runs at an unknown time
        elif function is not None:
            self.eval(env, function)
        return env

    def exec_defer_statement(self, env: Env, node: Node) -> Env:
        function = self.deferred_call(env, node)
        if function is not None and function.type == "func_literal":
            self.ctx.defers.append((function, list(self.scopes)))  # runs at the exit
        elif function is not None and function.type == "selector_expression":
            if self.path_of(function.child_by_field_name("operand")) is not None:
                self.shared(env, function.child_by_field_name("operand"))
        return env

    def exec_labeled_statement(self, env: Env | None, node: Node) -> Env | None:
        label_node = node.child_by_field_name("label")
        label = text(label_node) if label_node is not None else ""
        env = self.join_all([env, self.ctx.prev_gotos.get(label)])
        inner = [c for c in _children(node) if c.type != "label_name"]
        if env is None or not inner:
            return env
        return self.exec(env, inner[0], label=label)

    def exec_goto_statement(self, env: Env, node: Node) -> None:
        label = text(_children(node)[0]) if _children(node) else ""
        self.ctx.gotos[label] = self.join_all([self.ctx.gotos.get(label), env])
        return None

    def exec_break_statement(self, env: Env, node: Node) -> None:
        frame = self.frame_for(node, kinds=("loop", "switch", "select"))
        if frame is not None:
            frame.breaks.append(env)
        return None

    def exec_continue_statement(self, env: Env, node: Node) -> None:
        frame = self.frame_for(node, kinds=("loop",))
        if frame is not None:
            frame.continues.append(env)
        return None

    def exec_fallthrough_statement(self, env: Env, node: Node) -> Env:
        return env  # the switch handler joins it into the next case

    def frame_for(self, node: Node, kinds: tuple[str, ...]) -> Frame | None:
        label_nodes = [c for c in _children(node) if c.type == "label_name"]
        label = text(label_nodes[0]) if label_nodes else None
        for frame in reversed(self.ctx.frames):
            if label is not None:
                if frame.label == label:
                    return frame
            elif frame.kind in kinds:
                return frame
        return None

    def exec_initializer(self, env: Env, node: Node) -> Env | None:
        """The `x := ...;` of an `if` or `switch`, run in the statement's own scope."""
        initializer = node.child_by_field_name("initializer")
        return self.exec(env, initializer) if initializer is not None else env

    def exec_if_statement(self, env: Env, node: Node) -> Env | None:
        self.push()
        try:
            env = self.exec_initializer(env, node)
            if env is None:
                return None
            condition = node.child_by_field_name("condition")
            if condition is not None:
                self.eval_subexpressions(env, condition)
            then_env = self.refine(env, condition, True)
            else_env = self.refine(env, condition, False)
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if then_env is not None and consequence is not None:
                then_env = self.exec_block(then_env, consequence)
            if else_env is not None and alternative is not None:
                else_env = self.exec(else_env, alternative)
            return self.join_branches(then_env, else_env, condition)
        finally:
            self.pop()

    def join_branches(self, then_env: Env | None, else_env: Env | None, condition: Node | None) -> Env | None:
        """Join the two arms of an `if`, noting when a nil survives on one arm only."""
        joined = self.join_env(then_env, else_env)
        if joined is None or then_env is None or else_env is None or condition is None:
            return joined
        cond_text = normalise(text(condition))
        if len(cond_text) > 60:
            return joined
        group_guard = self.nil_checked_path(condition)
        nilish = NIL | ENTRY | EXTERNAL
        for path, val in joined.items():
            if not val.bits & nilish:
                continue
            in_then = self.lookup(then_env, path).bits & nilish
            in_else = self.lookup(else_env, path).bits & nilish
            if in_else and not in_then and group_guard is not None and group_guard != path:
                if not self.lookup(then_env, group_guard).bits & nilish:
                    # `if a == nil { a = make(...); b = make(...) }`: maps made together are
                    # taken to be nil together, so where `a` is not nil neither is `b`.
                    joined[path] = not_nil(val)
                    continue
            if not val.bits & NIL or val.when is not None:
                continue
            if in_then and not in_else:
                joined[path] = replace(val, when=(cond_text, True))
            elif in_else and not in_then:
                joined[path] = replace(val, when=(cond_text, False))
        return joined

    def nil_checked_path(self, condition: Node) -> Path | None:
        """The path `p` of a condition `p == nil`, else None."""
        cond = _strip(condition)
        if cond is None or cond.type != "binary_expression":
            return None
        operator = cond.child_by_field_name("operator")
        if operator is None or text(operator) != "==":
            return None
        left, right = _strip(cond.child_by_field_name("left")), _strip(cond.child_by_field_name("right"))
        if right is not None and right.type == "nil":
            return self.path_of(left)
        if left is not None and left.type == "nil":
            return self.path_of(right)
        return None

    def exec_for_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        self.push()
        try:
            clause = next((c for c in _children(node) if c.type in ("for_clause", "range_clause")), None)
            condition = None
            update = None
            body = node.child_by_field_name("body")
            range_vars: list[Node] = []
            range_text = ""
            if clause is not None and clause.type == "for_clause":
                initializer = clause.child_by_field_name("initializer")
                if initializer is not None:
                    env = self.exec(env, initializer)
                    if env is None:
                        return None
                condition = clause.child_by_field_name("condition")
                update = clause.child_by_field_name("update")
            elif clause is not None:
                ranged = clause.child_by_field_name("right")
                self.eval(env, ranged)
                range_text = normalise(text(ranged)) if ranged is not None else ""
                left = clause.child_by_field_name("left")
                range_vars = _children(left) if left is not None else []
                declares = any(c.type == ":=" for c in clause.children)
                ranged_path = self.path_of(ranged)
                element_type = self.types.index_type(self.type_of_path(ranged_path)) if ranged_path is not None else ""
                for position, name in enumerate(range_vars):
                    if declares and name.type == "identifier":
                        self.declare(name, element_type if position == 1 else "")
            else:
                condition = next((c for c in _children(node) if c != body), None)
            head = env
            frame = Frame("loop", label)
            for _round in range(MAX_LOOP_ROUNDS):
                frame = Frame("loop", label)
                self.ctx.frames.append(frame)
                try:
                    entry = self.refine(head, condition, True) if condition is not None else dict(head)
                    if entry is not None and range_text:
                        entry = self.refine_nonempty(entry, range_text)
                        ranged_path = self.path_of(ranged)
                        if ranged_path in self.read_from:
                            container = self.read_from[ranged_path]
                            entry[container] = not_nil(self.lookup(entry, container))
                        if ranged_path is not None and self.types.is_map(self.type_of_path(ranged_path)):
                            # The body runs only for entries of the map, so the map is not nil there.
                            entry[ranged_path] = not_nil(self.lookup(entry, ranged_path))
                    if entry is not None:
                        element = self.range_element(entry, ranged) if range_vars else UNKNOWN_VAL
                        for position, name in enumerate(range_vars):
                            path = self.path_of(name)
                            if path is not None:
                                value = element if position == len(range_vars) - 1 and len(range_vars) == 2 else UNKNOWN_VAL
                                self.assign_path(entry, path, value, None)
                    out = self.exec_block(entry, body) if entry is not None and body is not None else entry
                    back = self.join_all([out, *frame.continues])
                    if back is not None and update is not None:
                        back = self.exec(back, update)
                finally:
                    self.ctx.frames.pop()
                new_head = self.mark_loop_carried(head, back, node) if back is not None else head
                if new_head == head:
                    break
                head = new_head
            else:
                head = {k: join(v, UNKNOWN_VAL) for k, v in head.items()}  # widen
            infinite = clause is None and condition is None or (clause is not None and clause.type == "for_clause" and condition is None)
            exit_env = None if infinite else (self.refine(head, condition, False) if condition is not None else dict(head))
            return self.join_all([exit_env, *frame.breaks])
        finally:
            self.pop()

    def range_element(self, env: Env, ranged: Node | None) -> Val:
        """The value variable of `range` over a decoded collection is decoded too."""
        path = self.path_of(ranged)
        if path is None:
            return UNKNOWN_VAL
        val = self.lookup(env, path)
        if val.external is None:
            return UNKNOWN_VAL
        return Val(UNKNOWN, external=replace(val.external, description=f"{val.external.description}, ranged over in `{normalise(text(ranged))}`"))

    def mark_loop_carried(self, head: Env, back: Env, loop: Node) -> Env:
        """Join a loop's back edge into its head, marking nils that only the first round has.

        A map nil on entry and made by a later round (`if first { m = make(...) }` in a loop
        over input lines) is nil at a write in the loop only on inputs the loop's own logic
        usually rules out; such writes are not reported (see Known problems).
        """
        joined = self.join_env(head, back)
        assert joined is not None
        marker = (f"<loop:{loop.start_byte}:{loop.end_byte}>", False)
        for key, val in joined.items():
            if not val.bits & NIL or val.bits == NIL or val.when is not None:
                continue
            origin = val.origin
            if origin is not None and origin.path == self.file.path and loop.start_byte <= origin.start < loop.end_byte:
                continue  # a nil made inside the loop (`m = nil` each round) is no first-round artefact
            if self.lookup(head, key).bits & NIL:
                joined[key] = replace(val, when=marker)
        return joined

    def exec_expression_switch_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        return self.exec_switch(env, node, label, typed=False)

    def exec_type_switch_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        return self.exec_switch(env, node, label, typed=True)

    def exec_switch(self, env: Env, node: Node, label: str | None, typed: bool) -> Env | None:
        self.push()
        try:
            env = self.exec_initializer(env, node)
            if env is None:
                return None
            value = node.child_by_field_name("value")
            if value is not None:
                self.eval(env, value)
            frame = Frame("switch", label)
            self.ctx.frames.append(frame)
            ends: list[Env | None] = []
            remaining: Env | None = env
            has_default = False
            carried: Env | None = None  # from a `fallthrough`
            aliases = node.children_by_field_name("alias")
            try:
                for case in _children(node):
                    if case.type not in ("expression_case", "default_case", "type_case"):
                        continue
                    entry = remaining
                    if case.type == "default_case":
                        has_default = True
                    elif case.type == "expression_case" and value is None and remaining is not None:
                        conditions = case.child_by_field_name("value")
                        cond = _children(conditions)[0] if conditions is not None and len(_children(conditions)) == 1 else None
                        if cond is not None:
                            entry = self.refine(remaining, cond, True)
                            remaining = self.refine(remaining, cond, False)
                    entry = self.join_all([entry, carried]) if carried is not None else (dict(entry) if entry is not None else None)
                    carried = None
                    self.push()
                    try:
                        for alias in aliases:
                            for name in _children(alias) if alias.type == "expression_list" else [alias]:
                                var = self.declare(name, "")
                                if var is not None and entry is not None:
                                    entry[(var.key,)] = UNKNOWN_VAL
                        statements = [c for c in _children(case) if c.type == "statement_list"]
                        body = _children(statements[0]) if statements else []
                        end = self.exec_statements(entry, body)
                    finally:
                        self.pop()
                    if body and body[-1].type == "fallthrough_statement":
                        carried = end
                    else:
                        ends.append(end)
            finally:
                self.ctx.frames.pop()
            if not has_default:
                ends.append(remaining)
            return self.join_all([*ends, *frame.breaks])
        finally:
            self.pop()

    def exec_select_statement(self, env: Env, node: Node, label: str | None = None) -> Env | None:
        frame = Frame("select", label)
        self.ctx.frames.append(frame)
        ends = []
        try:
            for case in _children(node):
                if case.type not in ("communication_case", "default_case"):
                    continue
                self.push()
                try:
                    entry = dict(env)
                    communication = case.child_by_field_name("communication")
                    if communication is not None:
                        if communication.type == "receive_statement":
                            right = communication.child_by_field_name("right")
                            self.eval(entry, right)
                            left = communication.child_by_field_name("left")
                            for name in _children(left) if left is not None else []:
                                if name.type == "identifier":
                                    var = self.declare(name, "")
                                    if var is not None:
                                        entry[(var.key,)] = UNKNOWN_VAL
                        else:
                            entry = self.exec(entry, communication)
                    body = [c for c in _children(case) if c != communication]
                    statements = []
                    for c in body:
                        statements.extend(_children(c) if c.type == "statement_list" else [c])
                    ends.append(self.exec_statements(entry, statements))
                finally:
                    self.pop()
        finally:
            self.ctx.frames.pop()
        if not ends:
            return None  # `select {}` blocks forever
        return self.join_all([*ends, *frame.breaks])

    # ------------------------------------------------------------------ conditions
    def refine(self, env: Env | None, cond: Node | None, truth: bool) -> Env | None:
        """The environment on the branch where `cond` is `truth` (None: that branch cannot run)."""
        if env is None:
            return None
        env = dict(env)
        cond = _strip(cond)
        if cond is None:
            return env
        env = self.refine_correlated(env, cond, truth)
        kind = cond.type
        if kind == "unary_expression" and text(cond).startswith("!"):
            return self.refine(env, cond.child_by_field_name("operand"), not truth)
        if kind == "true":
            return env if truth else None
        if kind == "false":
            return None if truth else env
        if kind == "binary_expression":
            operator = cond.child_by_field_name("operator")
            op = text(operator) if operator is not None else ""
            left = cond.child_by_field_name("left")
            right = cond.child_by_field_name("right")
            if op == "&&":
                if truth:
                    return self.refine(self.refine(env, left, True), right, True)
                return self.join_env(self.refine(env, left, False), self.refine(self.refine(env, left, True), right, False))
            if op == "||":
                if truth:
                    return self.join_env(self.refine(env, left, True), self.refine(self.refine(env, left, False), right, True))
                return self.refine(self.refine(env, left, False), right, False)
            if op in ("==", "!="):
                subject = None
                if _strip(right) is not None and _strip(right).type == "nil":
                    subject = left
                elif _strip(left) is not None and _strip(left).type == "nil":
                    subject = right
                if subject is not None:
                    return self.refine_nil(env, subject, (op == "==") == truth, cond)
            measured = _len_operand(_strip(left))
            if measured is not None and _nonempty_when(op, _strip(right), truth):
                # `len(m) > 0`, or `len(m) == 0` false: m has entries, so it is not nil.
                path = self.path_of(measured)
                if path is not None and self.types.is_map(self.type_of_path(path)):
                    env = self.refine_nil_path(env, path, False, cond)
                    if env is None:
                        return None  # a map nil on every path has no entries: this branch cannot run
            if op in ("==", "!=", ">", ">=") and _strip(left) is not None and _strip(left).type == "index_expression":
                if _nonzero_when(op, _strip(right), truth):
                    # A lookup that found a non-zero value: the map holds entries, so it is not nil.
                    container = self.path_of(_strip(left).child_by_field_name("operand"))
                    if container is not None:
                        env[container] = not_nil(self.lookup(env, container))
                    return env
        if kind == "call_expression":
            predicate = self.flow.nil_predicate(self, cond)
            if predicate is not None:
                path, is_nil_when_true = predicate
                return self.refine_nil_path(env, path, is_nil_when_true == truth, cond)
        if kind == "identifier":
            path = self.path_of(cond)
            if path is not None and path in self.ok_facts:
                value_path, element = self.ok_facts[path]
                if truth and element is not None and len(element) > 1:
                    # The key is present, so the map holding it is not nil.
                    env[element[:-1]] = not_nil(self.lookup(env, element[:-1]))
                for target in (value_path, element):
                    if target is None:
                        continue
                    val = self.lookup(env, target)
                    if truth:
                        # Found in the map: a stored value, not the zero value of an absent key.
                        env[target] = replace(not_nil(val), zero=None, keys=None)
                    else:
                        env[target] = Val(NIL, self.origin("absent-key", cond, f"absent when `{text(cond)}` is false"))
                return env
        self.refine_nonempty_read(env, cond, truth)
        return self.refine_correlated(env, cond, truth)

    def refine_nil(self, env: Env, subject: Node, is_nil: bool, cond: Node) -> Env | None:
        path = self.path_of(subject)
        if path is None:
            return env
        alias = self.aliases.get(path)
        if alias is not None:
            # `m := t.m; if m == nil {...}` tells as much about t.m.
            self.refine_nil_path(env, alias, is_nil, cond)
        return self.refine_nil_path(env, path, is_nil, cond)

    def refine_nil_path(self, env: Env, path: Path, is_nil: bool, cond: Node) -> Env | None:
        container = self.read_from.get(path)
        if container is not None and not is_nil:
            # A non-nil value was read from the map, so the map is not nil either.
            env[container] = not_nil(self.lookup(env, container))
        val = self.lookup(env, path)
        if is_nil:
            if not val.bits & (NIL | UNKNOWN | EXTERNAL | ENTRY):
                return None  # `x == nil` cannot hold: x was made on every path
            origin = val.origin if val.bits & NIL and val.origin is not None else self.origin(
                "nil-check", cond, f"checked `{normalise(text(cond))}` at line {self.line(cond)}"
            )
            for key in [k for k in env if k[: len(path)] == path and len(k) > len(path)]:
                del env[key]
            env[path] = Val(NIL, origin, val.when if val.bits & NIL else None)
        else:
            if val.bits == NIL:
                return None  # `x != nil` cannot hold: x is nil on every path
            env[path] = not_nil(val)
        return env

    def refine_nonempty_read(self, env: Env, cond: Node, truth: bool) -> None:
        """`list := m[k]; if len(list) > 0 {...}`: a non-empty value came from a non-nil map."""
        if not self.read_from:
            return
        cond_text = normalise(text(cond))
        for local, container in self.read_from.items():
            var = self.vars.get(local[0])
            if var is None or len(local) != 1:
                continue
            name = var.name
            nonempty = {f"len({name}) > 0": True, f"len({name}) != 0": True, f"len({name}) == 0": False, f"{name} != nil": True, f"{name} == nil": False}
            expected = nonempty.get(cond_text)
            if expected is not None and expected == truth:
                env[container] = not_nil(self.lookup(env, container))

    def refine_nonempty(self, env: Env, ranged: str) -> Env:
        """Inside `for ... range X` X is not empty: nils that survive only when it is are gone."""
        empty_when = {
            (f"len({ranged}) > 0", False), (f"len({ranged}) != 0", False), (f"len({ranged}) >= 1", False),
            (f"len({ranged}) == 0", True), (f"{ranged} != nil", False), (f"{ranged} == nil", True),
        }
        for path, val in list(env.items()):
            if val.when in empty_when and val.bits & NIL:
                env[path] = not_nil(val)
        return env

    def refine_correlated(self, env: Env, cond: Node, truth: bool) -> Env:
        """A nil that survives only when `cond` has the other value is gone on this branch."""
        noted = [(path, val) for path, val in env.items() if val.when is not None and val.when[1] != truth and val.bits & NIL]
        if not noted:
            return env
        cond_text = normalise(text(cond))
        for path, val in noted:
            if val.when[0] == cond_text:
                env[path] = not_nil(val)
        return env


def _nonzero_when(op: str, other: Node | None, truth: bool) -> bool:
    """Whether `x op other` having value `truth` means x is not its type's zero value."""
    if other is None:
        return False
    literal = text(other)
    is_zero = other.type in ("nil", "false") or literal in ("0", '""', "``", "0.0")
    is_literal = other.type in ("int_literal", "float_literal", "interpreted_string_literal", "raw_string_literal", "true", "false", "nil", "rune_literal")
    if not is_literal:
        return False
    if op == "!=":
        return truth and is_zero
    if op == "==":
        return truth and not is_zero
    if op == ">":
        return truth and literal.isdigit()
    if op == ">=":
        return truth and literal.isdigit() and literal != "0"
    return False


_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def _nonempty_when(op: str, other: Node | None, truth: bool) -> bool:
    """Whether `len(x) op other` having value `truth` means len(x) > 0."""
    return _nonzero_when(op if truth else _NEGATED.get(op, ""), other, True)


def _len_operand(node: Node | None) -> Node | None:
    """x of `len(x)`."""
    if node is None or node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None or text(function) != "len" or arguments is None:
        return None
    args = _children(arguments)
    return _strip(args[0]) if len(args) == 1 else None


def _path_text(path: Path, variables: dict[str, Var]) -> str:
    root = path[0]
    if root.startswith("pkg:"):
        out = root[4:]
    else:
        var = variables.get(root)
        out = var.name if var is not None else root.split("@")[0]
    for step in path[1:]:
        out += f".{step[1]}" if step[0] == "f" else f"[{step[1]}]"
    return out


def _statements(block: Node) -> list[Node]:
    out = []
    for child in _children(block):
        if child.type == "statement_list":
            out.extend(_children(child))
        else:
            out.append(child)
    return out


_STATEMENT_TYPES = frozenset(
    {
        "expression_statement", "assignment_statement", "short_var_declaration", "inc_statement",
        "dec_statement", "send_statement", "return_statement", "go_statement", "defer_statement",
        "var_declaration", "if_statement", "for_statement", "expression_switch_statement",
        "type_switch_statement", "select_statement", "labeled_statement",
    }
)


def _enclosing_statement(node: Node) -> Node:
    current: Node | None = node
    while current is not None:
        parent = current.parent
        if current.type in _STATEMENT_TYPES and parent is not None and parent.type in ("statement_list", "block"):
            return current
        current = parent
    return node


_TERMINATING_CALLS = frozenset({"panic", "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "t.Fatal", "t.Fatalf", "t.FailNow", "t.Skip", "t.Skipf", "b.Fatal", "b.Fatalf", "b.Skip", "b.Skipf", "runtime.Goexit"})


def _is_panic_or_exit(statement: Node) -> bool:
    call = _strip(_children(statement)[0]) if _children(statement) else None
    if call is None or call.type != "call_expression":
        return False
    function = call.child_by_field_name("function")
    return function is not None and text(function) in _TERMINATING_CALLS


def _assigned_names(node: Node, include_calls: bool = False) -> set[str]:
    """Root names assigned (or address-taken) anywhere under `node`."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind == "assignment_statement":
            left = current.child_by_field_name("left")
            for target in _children(left) if left is not None else []:
                root = _root_name(target, through_index=False)
                if root:
                    names.add(root)
        elif kind in ("inc_statement", "dec_statement") and include_calls:
            pass
        elif kind == "unary_expression" and text(current).startswith("&"):
            root = _root_name(current.child_by_field_name("operand"), through_index=True)
            if root:
                names.add(root)
        elif kind == "call_expression" and include_calls:
            function = _strip(current.child_by_field_name("function"))
            if function is not None and function.type == "selector_expression":
                root = _root_name(function.child_by_field_name("operand"), through_index=True)
                if root:
                    names.add(root)
            arguments = current.child_by_field_name("arguments")
            for arg in _children(arguments) if arguments is not None else []:
                root = _root_name(arg, through_index=True)
                if root:
                    names.add(root)
        stack.extend(current.named_children)
    return names


def _root_name(node: Node | None, through_index: bool) -> str:
    node = _strip(node)
    while node is not None and node.type in ("selector_expression", "index_expression", "unary_expression"):
        if node.type == "index_expression" and not through_index:
            return ""
        node = _strip(node.child_by_field_name("operand"))
    if node is not None and node.type == "identifier":
        return text(node)
    return ""




__all__ = ["Interpreter"]
