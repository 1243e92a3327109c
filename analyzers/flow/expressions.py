"""Expressions: the value an expression has, the effects of evaluating it, composite
literals and what they hold below them, and the type of an expression as far as the
package's declarations tell."""
from __future__ import annotations

from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.argument_results import bool_parameters
from analyzers.flow.channels import carries_decoded
from analyzers.flow.clientgo import fetched_by_chain, fetched_by_interface, type_in_file
from analyzers.flow.constant_keys import map_literal_keys
from analyzers.flow.decoded import is_foreign_type
from analyzers.flow.facts import FunctionResult
from analyzers.flow.frames import Env
from analyzers.flow.known_values import conversion, fits
from analyzers.flow.paths import DEREF, DEREFERENCED, FIELD, INDEX
from analyzers.flow.syntax import arguments_of, children, is_address_of, is_index, strip
from analyzers.flow.together import SetTogether
from analyzers.flow.types import normalise, pointee, receiver_name, strip_parens
from analyzers.flow.values import (
    EXTERNAL,
    LINE,
    MADE,
    MADE_VAL,
    NIL,
    UNKNOWN,
    UNKNOWN_VAL,
    Condition,
    Origin,
    OriginKind,
    Val,
    join_known,
)
from analyzers.parsing import text

# A composite literal copies what its field values hold below them; past these sizes the
# field is left unknown instead (see `literal_children`).
MAX_COPIED_CHILDREN = 64
MAX_COPIED_DEPTH = 4

# Expressions that may be a constant integer or string (`8`, `-1`, `"v2"`, `maxVersion`, `int16(2)`).
_CONSTANT_KINDS = frozenset({"int_literal", "interpreted_string_literal", "raw_string_literal", "unary_expression", "identifier", "call_expression"})
# Sub-expressions whose evaluation may have effects, and those that hold such sub-expressions.
_EFFECTFUL = ("call_expression", "func_literal", "unary_expression", "composite_literal")
_HOLDERS = (
    "selector_expression", "index_expression", "type_instantiation_expression", "generic_type", "qualified_type",
    "parenthesized_expression", "binary_expression", "argument_list",
    "expression_list", "literal_value", "keyed_element", "literal_element", "slice_expression", "type_assertion_expression",
)


class Expressions(SetTogether):
    """Values of expressions."""

    def eval(self, env: Env, node: Node | None) -> Val:
        """The value of an expression; evaluating also applies its effects to `env`."""
        node = strip(node)
        if node is None:
            return UNKNOWN_VAL
        kind = node.type
        if kind == "nil":
            return Val(NIL, self.origin(OriginKind.NIL, node, f"set to nil at line {LINE}"))
        if kind in ("true", "false"):
            return Val(UNKNOWN, constant=kind == "true")
        if kind in _CONSTANT_KINDS:
            known = self.known_constant(node)
            if known is not None:
                return Val(UNKNOWN, known=frozenset((known,)))
        if kind == "identifier":
            path = self.path_of(node)
            if path is None:
                return UNKNOWN_VAL
            var = self.var_of(path[0])
            if var is not None and var.closure is not None:
                self.escape_closure(env, var.closure)
            return self.lookup(env, path)
        if kind == "selector_expression" and is_call(node.child_by_field_name("operand")) and self.path_of(node) is None:
            return self.field_of_result(env, node)
        if kind == "selector_expression" or is_index(node):
            self.eval_subexpressions(env, node)
            path = self.path_of(node)
            value = self.lookup(env, path) if path is not None else UNKNOWN_VAL
            if kind == "selector_expression":
                self.note_dereferenced(env, node.child_by_field_name("operand"))
            return value
        if kind == "composite_literal":
            return self.eval_literal(env, node)
        if kind == "unary_expression":
            operand = node.child_by_field_name("operand")
            if is_address_of(node):
                inner = strip(operand)
                if inner is not None and inner.type == "composite_literal":
                    # A pointer to a struct literal is followed as the struct (`p.f` is `(*p).f`);
                    # a pointer to any other literal is a pointer, what it points to its child.
                    value = self.eval_literal(env, inner)
                    return value if self.types.struct_name(self._literal_type(inner)) else MADE_VAL
                self.address_taken(env, inner)
                return MADE_VAL
            if self.text_of(node).startswith("<-"):
                return self.received(env, operand, node)
            self.eval(env, operand)
            pointee_path = self.path_of(node) if self.text_of(node).startswith("*") else None
            return self.lookup(env, pointee_path) if pointee_path is not None else UNKNOWN_VAL
        if kind == "call_expression":
            converted = conversion(node)
            if converted is not None and converted[0] != "string":
                value = self.eval(env, converted[1])
                return Val(UNKNOWN, known=value.known) if value.known is not None and fits(converted[0], value.known) else UNKNOWN_VAL
            return self.eval_call(env, node)
        if kind == "type_conversion_expression":
            return self.eval(env, node.child_by_field_name("operand"))
        if kind == "func_literal":
            self.escape_closure(env, node)
            return MADE_VAL
        if kind == "binary_expression":
            self.eval(env, node.child_by_field_name("left"))
            operator = node.child_by_field_name("operator")
            if operator is not None and operator.type in ("&&", "||"):
                self._short_circuited += 1  # the right operand runs only on some paths
                try:
                    self.eval(env, node.child_by_field_name("right"))
                finally:
                    self._short_circuited -= 1
            else:
                self.eval(env, node.child_by_field_name("right"))
            return UNKNOWN_VAL
        self.eval_subexpressions(env, node)
        return UNKNOWN_VAL

    _short_circuited = 0  # how many `&&`/`||` right operands the evaluation is inside

    def note_dereferenced(self, env: Env, operand: Node | None) -> None:
        """`p.f` of a pointer to a struct panics when `p` is nil, so past it `p` is not nil
        (an `if p == nil` after it cannot hold: staticcheck's SA5011 reads the same rule the
        other way). Only where the selector runs on every path through the expression: the
        right operand of `&&` or `||` runs on some."""
        operand = strip(operand)
        if operand is None or operand.type != "identifier" or self._short_circuited or self.summarising:
            return
        path = self.path_of(operand)
        if path is None or len(path) != 1 or self.var_of(path[0]) is None:
            return
        pointer = self.type_of_path(path)
        if pointer.startswith("*") and self.types.struct_name(pointee(pointer)) is not None:
            self.relate(env, DEREFERENCED, path, True)

    def field_of_result(self, env: Env, selector: Node) -> Val:
        """`a.DeepCopy().Annotations`: a field of what a call returns, decoded where the call
        returns a decoded object (its copy, an object fetched) and the field is one decoding
        leaves nil."""
        call = strip(selector.child_by_field_name("operand"))
        val = self.eval(env, call)
        field = self.text_of(selector.child_by_field_name("field"))
        if val.external is None or val.bits & EXTERNAL:
            return UNKNOWN_VAL
        decoded = self.flow.decoded_field(self.infer_type(call), field, self.file.path)
        if decoded is None:
            return UNKNOWN_VAL
        return Val(EXTERNAL | UNKNOWN, external=replace(val.external, condition=decoded.condition, type_name=decoded.map_type))

    def received(self, env: Env, channel: Node | None, at: Node) -> Val:
        """A value received from `channel` (`<-ch`, `range ch`): decoded where the channel
        carries decoded messages (`channels`), else unknown."""
        self.eval(env, channel)
        path = self.path_of(channel)
        if path is None or not carries_decoded(self.types, self.type_of_path(path)):
            return UNKNOWN_VAL
        shown = normalise(self.text_of(channel))
        return Val(UNKNOWN, external=self.origin(OriginKind.RECEIVED, at, f"received from `{shown}`"))

    def eval_subexpressions(self, env: Env, node: Node) -> None:
        """Apply the effects of calls, closures and `&x` nested inside an expression."""
        for child in children(node):
            if child.type in _EFFECTFUL:
                self.eval(env, child)
            elif child.type in _HOLDERS:
                self.eval_subexpressions(env, child)

    def eval_literal(self, env: Env, node: Node) -> Val:
        """`T{...}`: a struct whose unlisted map fields are nil, or a map holding its constant keys."""
        type_node = node.child_by_field_name("type")
        type_text = normalise(self.text_of(type_node))
        body = node.child_by_field_name("body")
        if body is not None:
            self.eval_subexpressions(env, body)
        struct = self.types.struct_name(type_text)
        if struct:
            return Val(MADE, zero=self.origin(OriginKind.CONSTRUCTION, node, f"built at line {LINE}", struct))
        if self.types.is_map(type_text):
            keys = map_literal_keys(body, self.key_of)
            if keys is None:
                return MADE_VAL
            return Val(MADE, zero=self.origin(OriginKind.ABSENT_KEY, node, f"made at line {LINE}"), keys=keys)
        elements = children(body) if body is not None else []
        if strip_parens(type_text).startswith("[") and elements and all(e.type != "keyed_element" for e in elements):
            # Every element is listed, by position (`literal_children`): an element at an index
            # that is no constant is one of them.
            listed = frozenset(str(position) for position in range(len(elements)))
            return Val(MADE, zero=self.origin(OriginKind.LISTED, node, f"listed at line {LINE}"), keys=listed)
        return MADE_VAL

    def _literal_type(self, literal: Node) -> str:
        return normalise(self.text_of(literal.child_by_field_name("type")))

    def literal_children(self, env: Env, node: Node | None) -> dict[tuple, Val]:
        """Values of the fields (or constant keys) a composite literal sets, by relative path;
        for a pointer to a non-struct literal (`&Set{}`) or `new(M)` of a map type, what it points to."""
        node = strip(node)
        if is_address_of(node):
            node = strip(node.child_by_field_name("operand"))  # type: ignore[union-attr]
            literal_type = self._literal_type(node) if node is not None and node.type == "composite_literal" else ""
            if node is not None and literal_type and not self.types.struct_name(literal_type) and not self._foreign_struct(literal_type):
                return {(DEREF,): self.eval_literal(env, node)}
        if node is not None and node.type == "call_expression":
            function = node.child_by_field_name("function")
            name = self.text_of(function)
            if function is not None and function.type == "identifier" and self.resolve(name) is None:
                args = arguments_of(node)
                if name == "new" and len(args) == 1 and self.types.is_map(normalise(self.text_of(args[0]))):
                    return {(DEREF,): Val(NIL, self.origin(OriginKind.DECLARATION, node, f"made with new at line {LINE}, a pointer to a nil map"))}
                result = self._result_for_bool_argument(env, name, args) or self.flow.function_result(name)
                return result.children if result is not None else {}
            if function is not None and function.type == "selector_expression":
                if self.text_of(function.child_by_field_name("field")) == "DeepCopy" and self._copies_decoded(env, function):
                    return {}  # the copy holds what the decoded original does (`Calls.deep_copy`)
                result = self._method_result(function)
                return result.children if result is not None else {}
            return {}
        if node is None or node.type != "composite_literal":
            return {}
        type_text = normalise(self.text_of(node.child_by_field_name("type")))
        return self.elements_children(env, type_text, node.child_by_field_name("body"), node)

    def _result_for_bool_argument(self, env: Env, name: str, args: list[Node]) -> FunctionResult | None:
        """What a same-package constructor returns for this call, its body run with a `bool`
        parameter bound: decided here (`newStoreIf(false)`, or `n == 0` where `n` is known 2),
        the run for that value; else a map field nil for one value and made for the other is
        nil where the argument has that value (the caller's own facts, which its callers
        settle). The first `bool` parameter that decides anything is bound."""
        decl = self.flow.package.funcs.get(name)
        for position in sorted(bool_parameters(decl.node).values()) if decl is not None and decl.result_types else []:
            if position >= len(args):
                break
            truth = self.decided(env, args[position])
            if truth is not None:
                return self._if_deciding(self.flow.result_with_bool(name, position, truth), self.flow.function_result(name))
            when_true = self.flow.result_with_bool(name, position, True)
            when_false = self.flow.result_with_bool(name, position, False)
            if when_true is not None and when_false is not None and when_true.children != when_false.children:
                return self._result_on_argument(args[position], when_true, when_false)
        return None

    @staticmethod
    def _if_deciding(bound: FunctionResult | None, unbound: FunctionResult | None) -> FunctionResult | None:
        """The run with the parameter bound when it tells more of what the result holds (a map
        field nil or made where the shared result has it unknown), else None: the result all
        calls share, whose other facts (a flag field's value) callers settle themselves."""
        if bound is None or unbound is None:
            return bound
        same = {rel: val.bits for rel, val in bound.children.items()} == {rel: val.bits for rel, val in unbound.children.items()}
        return None if same else bound

    def _result_on_argument(self, argument: Node, when_true: FunctionResult, when_false: FunctionResult) -> FunctionResult:
        """The fields of a constructor's result for an argument not decided here: what both
        runs agree on, a nil of one run under the argument's facts for that value, and unknown
        for anything else."""
        fields: dict[tuple, Val] = {}
        for rel in when_true.children.keys() | when_false.children.keys():
            on_true, on_false = when_true.children.get(rel, UNKNOWN_VAL), when_false.children.get(rel, UNKNOWN_VAL)
            if on_true == on_false:
                fields[rel] = on_true
            elif on_true.bits == NIL and not on_false.bits & NIL:
                fields[rel] = replace(on_true, when=Condition(self.literals_of(argument, True)))
            elif on_false.bits == NIL and not on_true.bits & NIL:
                fields[rel] = replace(on_false, when=Condition(self.literals_of(argument, False)))
            else:
                fields[rel] = UNKNOWN_VAL
        return FunctionResult(join_known(when_true.val, when_false.val), fields)

    def decided(self, env: Env, cond: Node) -> bool | None:
        """The value a boolean expression has wherever `env` holds: the one whose branch can
        run when the other cannot; None when both can."""
        can_hold = self.refine(env, cond, True) is not None
        can_fail = self.refine(env, cond, False) is not None
        return can_hold if can_hold != can_fail else None

    def elements_children(self, env: Env, type_text: str, body: Node | None, node: Node) -> dict[tuple, Val]:
        """What the elements of a literal of `type_text` (its `{...}` body) set: a struct's
        fields, a map's constant keys, a slice's or an array's elements by position."""
        elements = children(body) if body is not None else []
        children_of: dict[tuple, Val] = {}
        struct = self.types.struct_of(type_text)
        element_type = self.types.index_type(type_text) if struct is None else ""
        sequence = struct is None and strip_parens(type_text).startswith("[")
        for position, element in enumerate(elements):
            if element.type == "keyed_element":
                if sequence:
                    break  # `[]T{2: {...}}`: positions are no longer counted
                key = element.child_by_field_name("key")
                value = element.child_by_field_name("value")
                value_node = strip(children(value)[0]) if value is not None and children(value) else None
                key_text = normalise(self.text_of(key))
                step = (FIELD, key_text) if struct is not None or self._foreign_struct_key(type_text, key_text) else (INDEX, key_text)
            else:
                value_node = strip(children(element)[0]) if children(element) else None
                if sequence:
                    step = (INDEX, str(position))
                elif struct is None or position >= len(struct.fields):
                    continue
                else:
                    step = (FIELD, struct.fields[position].name)
            val = self.literal_value(env, value_node, element_type)
            if self._names_pointer(value_node):
                # `[]*T{p}`, `T{next: p}`: a second pointer to what p points to, changed through
                # either; what p's fields hold is not copied, it may change under the literal.
                children_of[(step,)] = replace(val, bits=val.bits | UNKNOWN, zero=None, keys=None)
                continue
            if struct is not None and val.bits & NIL:
                # `T{f: nil}` or `T{f: tags}` with a nil local: the construction leaves f nil.
                origin = self.origin(OriginKind.CONSTRUCTION, node, f"built at line {LINE}", struct.name)
                val = replace(val, origin=replace(origin, field=step[1]))
            if value_node is not None and value_node.type in ("composite_literal", "unary_expression", "call_expression", "identifier", "selector_expression", "literal_value"):
                if value_node.type == "literal_value":
                    nested = self.elements_children(env, pointee(element_type), value_node, value_node) if element_type else {}
                else:
                    nested = self.value_children(env, value_node)
                if len(nested) > MAX_COPIED_CHILDREN or any(len(rel) > MAX_COPIED_DEPTH for rel in nested):
                    # Too much to copy: a value that holds itself (`c.x = &x{client: c}`, thirty
                    # times over) would double at each step. Its field is tracked no further,
                    # and unknown is never reported.
                    val = replace(val, bits=val.bits | UNKNOWN, zero=None, keys=None)
                    nested = {}
                for rel, child in nested.items():
                    children_of[(step,) + rel] = child
                if struct is None and step[0] == FIELD and self._embedded_foreign(step[1], value_node):
                    # `ObjectMeta: metav1.ObjectMeta{Labels: ...}` sets `x.Labels` too (promoted).
                    for rel, child in nested.items():
                        children_of.setdefault(rel, child)
            children_of[(step,)] = val
        return children_of

    @staticmethod
    def _embedded_foreign(key: str, value: Node | None) -> bool:
        """Whether a key of another package's struct literal names an embedded field: the key is
        the name of its value's type (`ObjectMeta: metav1.ObjectMeta{...}`), as Go requires."""
        if value is None or value.type != "composite_literal":
            return False
        type_node = value.child_by_field_name("type")
        type_text = text(type_node) if type_node is not None else ""
        return type_text.rsplit(".", 1)[-1] == key

    def _foreign_struct(self, type_text: str) -> bool:
        """Another package's named type that is no map we know: its literals are structs'
        (`corev1.Secret{...}`), or slices' when the type says so (`[]corev1.Volume{...}`)."""
        return is_foreign_type(type_text) and not strip_parens(type_text).startswith("[") and not self.types.is_map(type_text)

    def _foreign_struct_key(self, type_text: str, key: str) -> bool:
        """`Data` of `corev1.Secret{Data: ...}`: a literal of another package's struct, keyed by
        an exported name, sets that field (a map's keys are values, never field names)."""
        return self._foreign_struct(type_text) and key.isidentifier() and key[:1].isupper()

    def _names_pointer(self, node: Node | None) -> bool:
        """Whether `node` is a variable or field holding a pointer."""
        path = self.path_of(node) if node is not None and node.type in ("identifier", "selector_expression") else None
        return path is not None and self.type_of_path(path).startswith("*")

    def literal_value(self, env: Env, node: Node | None, type_text: str = "") -> Val:
        """The value of a literal's element; a bare `{...}` element is a literal of the
        element type (`type_text`): a struct with nil map fields but those it lists."""
        if node is None:
            return UNKNOWN_VAL
        if node.type == "literal_value":
            struct = self.types.struct_name(type_text) if type_text else None
            if struct:
                return Val(MADE, zero=self.origin(OriginKind.CONSTRUCTION, node, f"built at line {LINE}", struct))
            if type_text and self.types.is_map(type_text):
                keys = map_literal_keys(node, self.key_of)
                if keys is not None:
                    return Val(MADE, zero=self.origin(OriginKind.ABSENT_KEY, node, f"made at line {LINE}"), keys=keys)
            return MADE_VAL
        if node.type == "identifier":
            known = self.known_constant(node)  # a named constant of the package (`kind: closed`)
            if known is not None:
                return Val(UNKNOWN, known=frozenset((known,)))
            path = self.path_of(node)
            return self.lookup(env, path) if path is not None else UNKNOWN_VAL
        if node.type in ("nil", "true", "false", "composite_literal", "call_expression", "unary_expression"):
            return self.eval(env, node)
        known = self.known_constant(node)
        return Val(UNKNOWN, known=frozenset((known,))) if known is not None else UNKNOWN_VAL

    def value_children(self, env: Env, node: Node) -> dict[tuple, Val]:
        """What an expression's value holds below it: a literal's fields, or a variable's tracked paths."""
        path = self.path_of(node)
        if path is not None:
            return self.path_children(env, path)
        return self.literal_children(env, node)

    def infer_type(self, node: Node | None) -> str:
        """The type of an expression as far as declarations tell."""
        node = strip(node)
        if node is None:
            return ""
        kind = node.type
        if kind == "composite_literal":
            return normalise(self.text_of(node.child_by_field_name("type")))
        if is_address_of(node):
            inner = self.infer_type(node.child_by_field_name("operand"))
            return "*" + inner if inner else ""
        if kind == "unary_expression" and self.text_of(node).startswith("*"):
            # `cp := *st`: the value `st` points to (its path is `st`'s own when it points to a struct).
            inner = self.infer_type(node.child_by_field_name("operand"))
            return pointee(inner) if inner.startswith("*") else ""
        if kind == "call_expression":
            return self._call_type(node)
        if kind == "type_conversion_expression":
            return normalise(self.text_of(node.child_by_field_name("type")))
        path = self.path_of(node)
        if path is not None:
            return self.type_of_path(path)
        return ""

    def declared_type(self, values: list[Node], count: int, position: int) -> str:
        """The type of the name at `position` of `count` names declared from `values`: its own
        value's, or, for one call giving every name (`cfg, err := base.Clone()`), that call's
        result at the same position (a same-package function's or method's declaration)."""
        if len(values) == count:
            return self.infer_type(values[position])
        call = strip(values[0]) if len(values) == 1 else None
        if call is None or call.type != "call_expression":
            return ""
        declaration = self._callee_declaration(call)
        if declaration is None or len(declaration.result_types) != count:
            return ""
        return normalise(declaration.result_types[position])

    def _callee_declaration(self, call: Node):
        """The same-package function (`f(...)`) or method (`x.m(...)`) declaration a call calls."""
        function = strip(call.child_by_field_name("function"))
        if function is None:
            return None
        if function.type == "identifier":
            return self.flow.package.funcs.get(self.text_of(function)) if self.resolve(self.text_of(function)) is None else None
        if function.type != "selector_expression":
            return None
        path = self.path_of(function.child_by_field_name("operand"))
        field_node = function.child_by_field_name("field")
        if path is None or field_node is None:
            return None
        return self.flow.package.methods.get((receiver_name(self.type_of_path(path)), self.text_of(field_node)))

    def _call_type(self, node: Node) -> str:
        function = strip(node.child_by_field_name("function"))
        args = arguments_of(node)
        first = args[0] if args else None
        fname = self.text_of(function)
        if fname == "make" and first is not None:
            return normalise(self.text_of(first))
        if fname == "new" and first is not None:
            return "*" + normalise(self.text_of(first))
        if function is not None and function.type == "identifier" and self.resolve(fname) is None:
            decl = self.flow.package.funcs.get(fname)
            if decl is not None and decl.result_types:
                return normalise(decl.result_types[0])
            if self.types.is_map(fname) or self.types.struct_name(fname):
                return fname
        if function is not None and function.type in ("parenthesized_expression", "map_type", "qualified_type"):
            return normalise(strip_parens(fname))
        if fname == "maps.Clone" and first is not None and self.resolve("maps") is None:
            return self.infer_type(first)  # a clone has the type of the map it copies
        if function is not None and function.type == "selector_expression":
            if len(args) == 1 and self.names_map_type(function):
                return normalise(fname)  # `url.Values(nil)`
            fetched = self.fetched_object(node)
            return self._method_result_type(function) or (fetched[0] if fetched is not None else "") or self._deep_copy_type(function, args)
        return ""

    def _copies_decoded(self, env: Env, selector: Node) -> bool:
        path = self.path_of(selector.child_by_field_name("operand"))
        return path is not None and self.lookup(env, path).external is not None

    def _deep_copy_type(self, selector: Node, args: list[Node]) -> str:
        """`x.DeepCopy()` is a pointer to a value of `x`'s type."""
        path = self.path_of(selector.child_by_field_name("operand"))
        if args or path is None or self.text_of(selector.child_by_field_name("field")) != "DeepCopy":
            return ""
        type_text = self.type_of_path(path)
        return "*" + pointee(type_text) if type_text else ""

    def fetched_object(self, call: Node) -> tuple[str, Origin] | None:
        """A client-go typed client's call (`cs.CoreV1().ConfigMaps(ns).Get(...)`, `Get` on a
        `v1.ConfigMapInterface`): the fetched object's type in this file ("" when the file does
        not import its API package) and where it came from (`clientgo`)."""
        function = strip(call.child_by_field_name("function"))
        if function is None or function.type != "selector_expression":
            return None
        receiver = function.child_by_field_name("operand")
        method = self.text_of(function.child_by_field_name("field"))
        imports = self.flow.package.facts_of(self.file.path).imports if self.file.path in self.flow.package.files else {}
        path = self.path_of(receiver)
        fetched = fetched_by_interface(self.type_of_path(path), method, imports) if path is not None else None
        fetched = fetched or fetched_by_chain(self.text_of(receiver), method, imports)
        if fetched is None:
            return None
        origin = self.origin(OriginKind.DECODED, call, f"fetched by `{normalise(self.text_of(function))}`")
        return type_in_file(fetched, imports), origin

    def _method_result(self, selector: Node) -> FunctionResult | None:
        """What a same-package method called as `x.m()` returns, when that is a struct."""
        path = self.path_of(selector.child_by_field_name("operand"))
        field_node = selector.child_by_field_name("field")
        if path is None or field_node is None:
            return None
        return self.flow.method_result(receiver_name(self.type_of_path(path)), self.text_of(field_node))

    def names_map_type(self, selector: Node) -> bool:
        """Whether `pkg.T` names a map type of an imported package (not a method of a value)."""
        operand = strip(selector.child_by_field_name("operand"))
        if operand is None or operand.type != "identifier":
            return False
        qualifier = self.text_of(operand)
        if self.resolve(qualifier) is not None or qualifier in self.flow.package_vars:
            return False
        return self.types.is_map(self.text_of(selector))

    def _method_result_type(self, selector: Node) -> str:
        """The first result type of a same-package method called as `x.m()`."""
        path = self.path_of(selector.child_by_field_name("operand"))
        field_node = selector.child_by_field_name("field")
        if path is None or field_node is None:
            return ""
        decl = self.flow.package.methods.get((receiver_name(self.type_of_path(path)), self.text_of(field_node)))
        if decl is not None and decl.result_types:
            return normalise(decl.result_types[0])
        return ""


def is_call(node: Node | None) -> bool:
    node = strip(node)
    return node is not None and node.type == "call_expression"
