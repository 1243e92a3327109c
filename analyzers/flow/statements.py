"""Simple statements and declarations: `var`, `:=`, `=` (and `op=`), `++`, sends, `return`,
`go` and `defer`, parameters and named results, and the zero values they start with."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tree_sitter import Node

from analyzers.flow.argument_results import BOUND_TYPES
from analyzers.flow.calls import Calls
from analyzers.flow.core import Mode
from analyzers.flow.field_uses import handed_to_inert_call, reads_fields_only, selection_read_as_value
from analyzers.flow.frames import Env, Returned, Var
from analyzers.flow.joins import joined_call
from analyzers.flow.known_values import zero_of
from analyzers.flow.paths import DEREF, FOUND, INDEX, REACHED, READ_FROM, Global, Local, Path, is_constant_key
from analyzers.flow.pointer_aliases import stays_same_element, stays_same_pointer
from analyzers.flow.reaching_values import may_run_before
from analyzers.flow.syntax import (
    address_taken_names,
    arguments_of,
    children,
    identifiers_named,
    is_index,
    is_panic_or_exit,
    may_leave,
    root_name,
    selection,
    stored_targets,
    strip,
)
from analyzers.flow.types import element_type, normalise, pointee, strip_parens
from analyzers.flow.values import ENTRY, LINE, MADE, MADE_VAL, NIL, UNKNOWN, UNKNOWN_VAL, Condition, OriginKind, Val
from analyzers.parsing import text


class Statements(Calls):
    """Statements that do not change the control flow."""

    # ------------------------------------------------------------------ declarations
    def declare_parameters(
        self, env: Env, parameters: Node | None, at_entry: bool = False, arguments: list[Node] | None = None, external: bool = False
    ) -> None:
        """Declare parameters: the function's own (`at_entry`: as a caller may pass them), a
        closure's run where it is called (`arguments`: what the call passes), or a closure's that
        escapes (as a caller may pass them too)."""
        if parameters is None:
            return
        if arguments is not None:
            self._bind_arguments(env, parameters, arguments)
            return
        collect = at_entry  # (the positions a run with a parameter bound at entry finds it by)
        for decl in children(parameters):
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_text = self.text_of(decl.child_by_field_name("type"))
            if decl.type == "variadic_parameter_declaration":
                type_text = f"[]{type_text}"  # `opts ...Option` is a `[]Option`
            names = decl.children_by_field_name("name")
            for name in names:
                var = self.declare(name, type_text)
                if var is not None and external:
                    env[(Local(var.key),)] = self.flow.parameter_val(var.type_text, name, self.file.path)
                elif var is not None:
                    env[(Local(var.key),)] = self.parameter_entry(var, name) if at_entry else UNKNOWN_VAL
                if collect:
                    variadic = decl.type == "variadic_parameter_declaration"
                    self.parameters_at_entry.append(var.key if var is not None and not variadic else None)
            if collect and not names:
                self.parameters_at_entry.append(None)

    def _bind_arguments(self, env: Env, parameters: Node, arguments: list[Node]) -> None:
        """A closure run where it is called: each parameter holds what the call passes (a map
        handed over is the same map)."""
        position = 0
        for decl in children(parameters):
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_text = self.text_of(decl.child_by_field_name("type"))
            for name in decl.children_by_field_name("name") or (None,):
                argument = arguments[position] if position < len(arguments) and decl.type == "parameter_declaration" else None
                position += 1
                var = self.declare(name, type_text) if name is not None else None
                if var is None:
                    continue
                source = self.path_of(argument) if argument is not None else None
                value = self.lookup(env, source) if source is not None else UNKNOWN_VAL
                self.assign_path(env, (Local(var.key),), value, None)
                if source is not None:
                    for rel, child in self.path_children(env, source).items():
                        env[(Local(var.key), *rel)] = child

    def parameter_entry(self, var: Var, name: Node) -> Val:
        """A parameter on entry: as it came in when summarising which parameters are written
        (map parameters), or what a function does through its pointer parameters."""
        if self.mode is Mode.FUNCTION_SUMMARY and self.types.is_map(var.type_text):
            return Val(ENTRY)
        if self.mode is Mode.POINTER_SUMMARY and var.type_text.startswith("*"):
            return Val(ENTRY)
        if var.type_text in BOUND_TYPES and self.func.type == "function_declaration":
            bound = self.flow.bound_argument(self.text_of(self.func.child_by_field_name("name")), len(self.parameters_at_entry))
            if isinstance(bound, bool):
                return Val(UNKNOWN, constant=bound)  # every call passes this literal
            if bound is not None:
                return Val(UNKNOWN, known=frozenset((bound,)))
        return self.flow.parameter_val(var.type_text, name, self.file.path)

    def declare_results(self, env: Env, result: Node | None) -> None:
        if result is None or result.type != "parameter_list":
            return
        for decl in children(result):
            if decl.type != "parameter_declaration":
                continue
            type_text = self.text_of(decl.child_by_field_name("type"))
            for name in decl.children_by_field_name("name"):
                var = self.declare(name, type_text)
                if var is None:
                    continue
                self.ctx.results.append(var)
                env[(Local(var.key),)] = self.zero_value(
                    var.type_text, name, OriginKind.NAMED_RESULT, f"named result `{var.name}` is never assigned a map"
                )

    def zero_value(self, type_text: str, node: Node, kind: OriginKind, description: str) -> Val:
        """The zero value of a type: a nil map, a struct with nil map fields, an array of nil maps."""
        if self.types.is_map(type_text):
            return Val(NIL, self.origin(kind, node, description))
        struct = self.types.struct_name(type_text)
        if struct is not None and not type_text.startswith("*"):
            return Val(MADE, zero=self.origin(OriginKind.CONSTRUCTION, node, f"zero value declared at line {LINE}", struct))
        if self.types.is_zero_container(type_text):
            return Val(MADE, zero=self.origin(OriginKind.ZERO_ELEMENT, node, f"declared at line {LINE}; its elements are nil maps"))
        element = element_type(type_text)
        if _is_array(type_text) and not element.startswith("*") and self.types.struct_name(element) is not None:
            # `var list [2]T`: each element is T's zero value, its map fields nil.
            where = f"declared at line {LINE} with zero-valued elements"
            return Val(MADE, zero=self.origin(OriginKind.CONSTRUCTION, node, where, self.types.struct_name(element) or ""))
        if type_text.startswith("*"):
            return Val(NIL, self.origin(kind, node, description))  # a nil pointer: `if p != nil` then tells where it was set
        if type_text == "bool":
            return Val(UNKNOWN, constant=False)
        zero_value = zero_of(type_text)
        return Val(UNKNOWN, known=frozenset((zero_value,))) if zero_value is not None else UNKNOWN_VAL

    def exec_var_spec(self, env: Env, spec: Node) -> None:
        type_text = self.text_of(spec.child_by_field_name("type"))
        value = spec.child_by_field_name("value")
        names = spec.children_by_field_name("name")
        if value is not None:
            values = children(value)
            evaluated = [self.eval(env, v) for v in values]
            for i, name in enumerate(names):
                inferred = type_text or self.declared_type(values, len(names), i)
                var = self.declare(name, inferred)
                if var is None:
                    continue
                if len(values) == len(names):
                    self.assign_path(env, (Local(var.key),), evaluated[i], values[i])
                else:
                    env[(Local(var.key),)] = UNKNOWN_VAL
            return
        for name in names:
            var = self.declare(name, type_text)
            if var is not None:
                env[(Local(var.key),)] = self.zero_value(var.type_text, name, OriginKind.DECLARATION, f"declared at line {LINE} without make")

    def exec_var_declaration(self, env: Env, node: Node) -> Env:
        for child in children(node):
            if child.type == "var_spec":
                self.exec_var_spec(env, child)
            elif child.type == "var_spec_list":
                for spec in children(child):
                    if spec.type == "var_spec":
                        self.exec_var_spec(env, spec)
        return env

    def exec_const_declaration(self, env: Env, node: Node) -> Env:
        return env

    def exec_type_declaration(self, env: Env, node: Node) -> Env:
        return env

    # ------------------------------------------------------------------ simple statements
    def exec_empty_statement(self, env: Env, node: Node) -> Env:
        return env

    def exec_expression_statement(self, env: Env, node: Node) -> Env | None:
        for child in children(node):
            self.eval(env, child)
        if is_panic_or_exit(node) or self._calls_function_that_never_returns(node):
            return None
        return env

    def _calls_function_that_never_returns(self, statement: Node) -> bool:
        """`fail("...")` where `fail` is a function of the package that has no `return` and
        ends in `panic`, `os.Exit`, `log.Fatal`, ...: every path through it stops, so the
        caller's path stops at the call as at the `panic` itself. So does `x.Fail()` where
        `x`'s type is known and its method `Fail` is such, and `pkg.Fail()`, a function of
        another package of the module (or methods of its types) that is."""
        call = strip(children(statement)[0]) if children(statement) else None
        function = strip(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
        if function is not None and function.type == "identifier":
            name = self.text_of(function)
            return self.resolve(name) is None and self.flow.never_returns(name)
        if function is None or function.type != "selector_expression":
            return False
        operand = strip(function.child_by_field_name("operand"))
        field = function.child_by_field_name("field")
        if operand is None or field is None:
            return False
        method = self.text_of(field)
        if operand.type == "identifier" and self.resolve(self.text_of(operand)) is None and self.types.import_path(self.text_of(operand)):
            package = self.types.foreign(self.text_of(operand))
            return package is not None and method in package.never_returning
        path = self.path_of(operand)
        return path is not None and self._method_never_returns(self.type_of_path(path), method)

    def _method_never_returns(self, type_text: str, method: str) -> bool:
        """Whether `method` of a value of `type_text` (a named type of this package or another
        of the module, or a pointer to one) comes back on no path."""
        bare = strip_parens(pointee(type_text))
        if not bare or bare.startswith(("map[", "[", "*", "func", "chan", "struct", "interface")):
            return False
        bare = bare.split("[", 1)[0]  # a generic type's name
        if "." not in bare:
            return self.flow.never_returns(method, bare)
        qualifier, _, name = bare.partition(".")
        package = self.types.foreign(qualifier)
        return package is not None and f"{name}.{method}" in package.never_returning

    def exec_send_statement(self, env: Env, node: Node) -> Env:
        self.eval(env, node.child_by_field_name("channel"))
        self.shared(env, node.child_by_field_name("value"))
        return env

    def exec_inc_statement(self, env: Env, node: Node) -> Env:
        target = strip(children(node)[0]) if children(node) else None
        if is_index(target):
            self.write_index(env, target, None)
        elif target is not None:
            path = self.path_of(target)
            if path is not None:
                self.invalidate_keys(env, path)
                self.forget_known(env, path)
        return env

    exec_dec_statement = exec_inc_statement

    def exec_short_var_declaration(self, env: Env, node: Node) -> Env:
        left = children(left_node) if (left_node := node.child_by_field_name("left")) else []
        right = children(right_node) if (right_node := node.child_by_field_name("right")) else []
        lookup = strip(right[0]) if len(left) == 2 and len(right) == 1 else None
        if is_index(lookup):
            self.comma_ok(env, left, lookup, declare=True)
            return env
        same = self._second_names(node, left, right)
        kept = [i for i in range(len(right)) if i not in same]
        shared = self.share_aliases(env, [right[i] for i in kept], [n for i, n in enumerate(left) if i not in same])
        copied = {kept[j]: path for j, path in shared.items()} if len(left) == len(right) else {}
        # A func literal bound to a new variable runs only where it is called (or escapes where
        # the variable is handed on): defining it runs nothing.
        values = [MADE_VAL if self._binds_closure(left, right, i) else self.eval(env, r) for i, r in enumerate(right)]
        # A new variable's scope starts after the statement: on the right, `pa := pa(x)` still
        # calls the function `pa`. The new names enter the scope once the right side is read.
        declared: list[Var] = []
        for i, name in enumerate(left):
            if name.type != "identifier":
                continue
            existing = self.scopes[-1].get(self.text_of(name))
            if existing is not None and existing not in declared:
                path: Path = (Local(existing.key),)
            else:
                var = self.declare(name, self.declared_type(right, len(left), i) or self._first_result_type(right, i))
                if var is None:
                    continue
                declared.append(var)
                del self.scopes[-1][var.name]
                if i in same:
                    var.same_as = same[i]
                    self.bindings += 1
                    continue  # a second name of the same pointer: nothing to assign
                path = (Local(var.key),)
                literal = strip(right[i]) if len(right) == len(left) else None
                if literal is not None and literal.type == "func_literal":
                    var.closure = literal
                    self.bindings += 1
                    env[path] = MADE_VAL
                    continue
            if len(right) == len(left):
                self.assign_path(env, path, values[i], right[i])
                self.note_origin_of(env, path, right[i])
                self.note_result_in(env, path, right[i])
            else:
                first_of_call = right[0] if i == 0 and len(right) == 1 else None  # `t, err := NewT()`
                self.assign_path(env, path, self.multi_result(right, i), first_of_call)
        for var in declared:
            self.scopes[-1][var.name] = var
        self.note_copied_pointers(env, left, copied)
        self.note_error_beside(env, left, right)
        return env

    def _second_names(self, node: Node, left: list[Node], right: list[Node]) -> dict[int, Path]:
        """The positions of `left` that `node` declares as second names of a pointer that
        neither name is ever pointed elsewhere from (`pointer_aliases`): a pointer of the
        function, a package pointer no code but init() assigns, or an element of a local
        collection by a constant key; with the path each is the same as."""
        if len(left) != len(right):
            return {}
        same: dict[int, Path] = {}
        for i, (name, value) in enumerate(zip(left, right, strict=True)):
            original = strip(value)
            if name.type != "identifier" or original is None:
                continue
            if self.scopes[-1].get(self.text_of(name)) is not None:
                continue  # `p, q := ...` redeclaring `q`: an assignment, not a new name
            if original.type == "identifier":
                root = self._pointer_root(self.text_of(original))
                if root is not None and stays_same_pointer(self.func, node, name, original):
                    same[i] = root
            elif original.type == "index_expression":
                element = self._pointer_element(original)
                if element is not None and stays_same_element(self.func, node, name, original):
                    same[i] = element
        return same

    def _pointer_root(self, name: str) -> Path | None:
        """The path a second name of pointer `name` would share: a struct pointer declared in
        this function, or a package one that stays the same pointer after init()."""
        var = self.resolve(name)
        if var is None:
            type_text = self.flow.package_var_type(name) if name in self.flow.package_vars else ""
            fixed = type_text.startswith("*") and bool(self.types.struct_name(type_text)) and self.flow.package_pointer_fixed(name)
            return (Global(name),) if fixed else None
        if not self._declared_here(var) or not var.type_text.startswith("*") or not self.types.struct_name(var.type_text):
            return None
        return var.same_as or (Local(var.key),)

    def _pointer_element(self, element: Node) -> Path | None:
        """The path of `X[k]`, a struct pointer held by a collection `X` declared in this function
        at a constant key `k`: the element a second name of it would share."""
        collection = strip(element.child_by_field_name("operand"))
        var = self.resolve(self.text_of(collection)) if collection is not None and collection.type == "identifier" else None
        if var is None or var.same_as is not None or not self._declared_here(var):
            return None
        path = self.path_of(element)
        if path is None or len(path) != 2 or path[1][0] != INDEX or not is_constant_key(path[1][1]):
            return None
        type_text = self.type_of_path(path)
        return path if type_text.startswith("*") and self.types.struct_name(type_text) else None

    def _declared_here(self, var: Var) -> bool:
        """Whether `var` is declared in this function (one captured from an enclosing function
        may be set there meanwhile)."""
        return var.node is not None and self.func.start_byte <= var.node.start_byte < self.func.end_byte

    def _first_result_type(self, right: list[Node], index: int) -> str:
        """`vals, err := readValues(b)`: `vals` has the type of the call's first result."""
        return self.infer_type(right[0]) if index == 0 and len(right) == 1 else ""

    def _binds_closure(self, left: list[Node], right: list[Node], i: int) -> bool:
        """Whether `left[i] := right[i]` declares a new variable holding a func literal."""
        if len(left) != len(right) or left[i].type != "identifier" or self.scopes[-1].get(self.text_of(left[i])) is not None:
            return False
        value = strip(right[i])
        return value is not None and value.type == "func_literal"

    def share_aliases(self, env: Env, right: list[Node], left: list[Node] | None = None) -> dict[int, Path]:
        """`q := p` for a pointer: either name may now set the fields, so they are unknown,
        unless neither ever does (then both see the same fields, as they are here). The
        positions shared, with the pointer's path: the names stay partners from there on."""
        shared: dict[int, Path] = {}
        for i, node in enumerate(right):
            if _dereferenced(node):
                continue  # `cp := *p` copies the struct p points to, not the pointer
            path = self.path_of(node)
            if path is None or not self.type_of_path(path).startswith("*"):
                continue
            copy = left[i] if left is not None and len(left) == len(right) else None
            if copy is not None and self._fields_only_read(copy, node):
                continue
            self.shared(env, node)
            shared[i] = path
        return shared

    def note_copied_pointers(self, env: Env, left: list[Node], shared: dict[int, Path]) -> None:
        """The names a statement gave a shared pointer (`cp := reg`, `cp = reg`) are partners of
        the pointer's path: a field set through either is unknown through the other."""
        for i, original in shared.items():
            name = strip(left[i]) if i < len(left) else None
            copy = self.path_of(name) if name is not None and name.type == "identifier" else None
            if copy is not None and len(copy) == 1 and self.types.struct_name(self.type_of_path(original)):
                self.note_pointer_partners(env, copy, original)

    def _fields_only_read(self, copy: Node, original: Node) -> bool:
        """Whether the pointer `original` (a local, or an element of a local collection:
        `cp := stores["b"]` is a second name of the struct the element points to) and the new
        name `copy` it is given are used, everywhere in the function, only to read fields or
        store entries of map fields: no field of what they point to is set, neither is handed
        on or re-pointed (an element's collection is used only through its elements so, or
        handed to `len` and the like)."""
        original = strip(original)  # type: ignore[assignment]
        collection = _collection_of(original)
        if collection is not None:
            return self.elements_only_read(copy, collection)
        return original is not None and self._names_only_read(copy, original, of_elements=False)

    def elements_only_read(self, copy: Node, collection: Node | None) -> bool:
        """Whether `copy`, a name of any element pointer of the local `collection` (`cp :=
        stores["b"]`, the value of `for _, s := range all`), and the collection are used only
        so that no field of what the elements point to is set (see `_fields_only_read`)."""
        return collection is not None and self._names_only_read(copy, collection, of_elements=True)

    def _names_only_read(self, copy: Node, held: Node, of_elements: bool) -> bool:
        var = self.resolve(self.text_of(held)) if held.type == "identifier" else None
        if copy.type != "identifier" or var is None or var.node is None:
            return False
        pointer_type = self.types.index_type(var.type_text) if of_elements else var.type_text
        skipped = (copy.start_byte, held.start_byte, var.node.start_byte)
        syntax = self.flow.syntax(self.file.path, self.func)
        # The value of `for _, s := range all` names an element only while the loop runs: what
        # code that cannot run before the loop ends does to the elements does not happen meanwhile.
        loop = _range_loop_of(copy) if of_elements else None
        for name in (self.text_of(copy), var.name):
            for use in syntax.identifiers_named(self.func, name):
                if use.start_byte in skipped:
                    continue
                if loop is not None and self.func is not None and use.start_byte >= loop.end_byte and not may_run_before(use, loop, self.func, syntax):
                    continue
                if loop is not None and name == var.name and use.start_byte < loop.start_byte and _sets_element_field(use):
                    continue  # `all[1].m = v` before the loop: the flow follows it, and it names no element meanwhile
                if name == var.name and of_elements:
                    if handed_to_inert_call(use):
                        continue  # `len(stores)` reads no element and sets no field
                    use = _element_used(use)  # type: ignore[assignment]
                if use is None:
                    return False
                value = selection_read_as_value(use)
                if value is not None and self._copies_apart(value, pointer_type):
                    continue  # `n := s.name`: a copy of a string, through which no field is set
                if not reads_fields_only(use, lambda selector: self._copies_apart(selector, pointer_type)):
                    return False
        return True

    def _copies_apart(self, selector: Node, pointer_type: str) -> bool:
        """Whether `p.f` (`p` of type `pointer_type`) handed to a call or read into a variable
        gives a value through which no field of the struct can be set: a map field (whose
        entries may be stored, but the field stays), or a string, number or boolean (a copy).
        A method called (`p.M()`) may set fields."""
        parent = selector.parent
        if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == selector:
            operand = strip(selector.child_by_field_name("operand"))
            method = selector.child_by_field_name("field")
            if operand is None or method is None or operand.type != "identifier":
                return False
            struct = self.types.struct_name(pointer_type)
            return struct is not None and self._method_leaves_receiver(struct, self.text_of(method), frozenset())
        _, fields = selection(selector)
        type_text = pointer_type
        for field in fields:
            type_text = self.types.field_type(type_text, field)
        return bool(fields) and (self.types.is_map(type_text) or type_text == "bool" or zero_of(type_text) is not None)

    def _method_leaves_receiver(self, struct: str, method: str, visiting: frozenset[str]) -> bool:
        """Whether same-package method `struct.method` leaves everything its receiver reaches as
        it is: a value receiver (a copy), or a pointer one that stores nothing through it (no
        field set, no entry stored, no `&`), hands it nowhere and reads from it only strings,
        numbers and booleans, lengths and entries, or calls such methods on it."""
        decl = self.flow.package.methods.get((struct, method))
        if decl is None or decl.body is None or method in visiting:
            return False
        receiver = decl.receiver_name
        if not decl.pointer_receiver or not receiver or receiver == "_":
            return True
        body = decl.body
        if any(root_name(target, through_index=True) == receiver for target in stored_targets(body)) or receiver in address_taken_names(body):
            return False
        pointer_type = "*" + struct
        for use in identifiers_named(body, receiver):
            selector = use.parent
            if selector is None or selector.type != "selector_expression" or selector.child_by_field_name("operand") != use:
                return False  # the receiver itself handed on, returned or copied
            call = selector.parent
            if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == selector:
                field = selector.child_by_field_name("field")
                if field is None or not self._method_leaves_receiver(struct, self.text_of(field), visiting | {method}):
                    return False
            elif not self._read_apart(selector, pointer_type):
                return False
        return True

    def _read_apart(self, selection: Node, pointer_type: str) -> bool:
        """Whether `r.f` in a method that stores nothing through `r` is read without handing
        on what could reach the struct: an entry read (`r.m[k]`), compared, measured, or a
        string, number or boolean copied."""
        parent = selection.parent
        if parent is None:
            return False
        if parent.type == "index_expression" and parent.child_by_field_name("operand") == selection:
            return True
        if parent.type == "binary_expression" or handed_to_inert_call(selection):
            return True
        type_text = self.types.field_type(pointer_type, self.text_of(selection.child_by_field_name("field") or selection))
        return type_text == "bool" or zero_of(type_text) is not None

    def comma_ok(self, env: Env, left: list[Node], lookup: Node, declare: bool) -> None:
        """`v, ok := m[k]`: v is nil exactly when ok is false (for maps of maps)."""
        self.eval_subexpressions(env, lookup)
        element = self.path_of(lookup)
        paths: list[Path | None] = []
        for name in left:
            if declare and name.type == "identifier" and self.scopes[-1].get(self.text_of(name)) is None:
                var = self.declare(name, self.type_of_path(element) if element and not paths else "")
                paths.append((Local(var.key),) if var is not None else None)
            else:
                paths.append(self.path_of(name))
        value_path, ok_path = paths
        if value_path is not None:
            self.assign_path(env, value_path, self.lookup(env, element) if element else UNKNOWN_VAL, None)
        if ok_path is not None:
            self.assign_path(env, ok_path, UNKNOWN_VAL, None)
            self.relate(env, FOUND, ok_path, (value_path, element))
        if value_path is not None and element is not None:
            self.relate(env, READ_FROM, value_path, element[:-1])

    def exec_assignment_statement(self, env: Env, node: Node) -> Env:
        left = children(left_node) if (left_node := node.child_by_field_name("left")) else []
        right = children(right_node) if (right_node := node.child_by_field_name("right")) else []
        operator = node.child_by_field_name("operator")
        if operator is not None and self.text_of(operator) != "=":
            self._exec_operator_assignment(env, left, right)
            return env
        lookup = strip(right[0]) if len(left) == 2 and len(right) == 1 else None
        if is_index(lookup):
            self.comma_ok(env, left, lookup, declare=False)
            return env
        # `_ = p` gives the pointer no second name.
        named = [i for i in range(len(right)) if len(left) != len(right) or self.text_of(left[i]) != "_"]
        shared = self.share_aliases(env, [right[i] for i in named])
        copied = {named[j]: path for j, path in shared.items()} if len(left) == len(right) else {}
        values = [self.eval(env, r) for r in right]
        self._end_second_names(env, left)
        for i, target in enumerate(left):
            target = strip(target)  # type: ignore[assignment]
            if target is None:
                continue
            value = values[i] if len(values) == len(left) else self.multi_result(right, i)
            value_node = right[i] if len(right) == len(left) else (right[0] if i == 0 and len(right) == 1 else None)
            self._assign_to(env, target, value, value_node, single=len(right) == len(left))
        self.note_copied_pointers(env, left, copied)
        self.note_error_beside(env, left, right)
        return env

    def _end_second_names(self, env: Env, left: list[Node]) -> None:
        """`cp = v` of a second name of a pointer, or `p = v` of the pointer it names
        (`pointer_aliases`, which allows only such assignments later in the declaration's
        block): from here on `cp` is its own pointer, to the struct both named until now."""
        for target in left:
            target = strip(target)  # type: ignore[assignment]
            var = self.resolve(self.text_of(target)) if target is not None and target.type == "identifier" else None
            if var is None:
                continue
            if var.same_as is not None:
                var.same_as = None
                self.bindings += 1
                continue
            original: Path = (Local(var.key),)
            for second in [v for scope in self.scopes for v in scope.values() if v.same_as == original]:
                own: Path = (Local(second.key),)
                for path in [path for path in env if path[:1] == original]:
                    env[own + path[1:]] = env[path]
                second.same_as = None
                self.bindings += 1

    def _exec_operator_assignment(self, env: Env, left: list[Node], right: list[Node]) -> None:
        """`x op= v`: a read and a write of x; into a map element, a write into the map."""
        for r in right:
            self.eval(env, r)
        for target in left:
            stripped = strip(target)
            if is_index(stripped):
                self.write_index(env, stripped, None)
            else:
                path = self.path_of(stripped)
                if path is not None:
                    self.invalidate_keys(env, path)
                    self.forget_known(env, path)

    def forget_known(self, env: Env, path: Path) -> None:
        """`x++`, `x += n`: the constant x held is no longer known."""
        val = self.lookup(env, path)
        if val.known is not None:
            env[path] = replace(val, known=None)

    def _assign_to(self, env: Env, target: Node, value: Val, value_node: Node | None, single: bool = True) -> None:
        """One target of `=`."""
        if is_index(target):
            self.write_index(env, target, value, value_node)
            return
        if target.type == "unary_expression":  # `*p = v` replaces what p points to
            path = self.path_of(target)
            if path is not None and path[-1] == DEREF:
                self.assign_path(env, path, value, value_node)
            elif path is not None:
                self.forget(env, path)  # a struct pointed to: all of it replaced, by what we do not follow
            return
        if target.type == "selector_expression":
            self.eval_subexpressions(env, target)
        path = self.path_of(target)
        if path is None:
            return
        literal = strip(value_node)
        if literal is not None and literal.type == "func_literal":
            if self.var_of(path[0]) is not None and len(path) == 1:
                # A closure stored in a variable that is also reassigned: it may be
                # called anywhere, so it is treated as escaping.
                self.escape_closure(env, literal)
            env[path] = MADE_VAL
            return
        self.assign_path(env, path, value, value_node)
        if value_node is not None and single:
            self.note_result_in(env, path, value_node)  # (of `x, err = f()`, what is known of f's error is err's)

    def note_result_in(self, env: Env, path: Path, value: Node) -> None:
        """`ok := ready()`: facts known of the call's result are now known of the variable."""
        call = strip(value)
        var = self.var_of(path[0]) if len(path) == 1 else None
        if var is not None and call is not None and call.type == "call_expression":
            self.rename_facts(env, normalise(self.text_of(call)), var.name)

    def exec_return_statement(self, env: Env, node: Node) -> None:
        values: list[Node] = []
        for child in children(node):
            values = children(child) if child.type == "expression_list" else [child]
        evaluated = [Returned(self.eval(env, v), self.value_children(env, v)) for v in values]
        if values and evaluated[-1].val.bits == UNKNOWN and self._checked_not_nil(env, values[-1]):
            evaluated[-1] = Returned(MADE_VAL, evaluated[-1].children)  # `if err != nil { return err }`
        elif values and evaluated[-1].val.bits & UNKNOWN and _returns_error_last(node) and self._never_nil_error(values[-1]):
            evaluated[-1] = Returned(MADE_VAL, evaluated[-1].children)  # a failure's return: `T{}, errResp`
        for v in values:
            self.shared(env, v)
        if values and len(values) == len(self.ctx.results):
            for var, returned in zip(self.ctx.results, evaluated, strict=True):
                env[(Local(var.key),)] = returned.val
        if not values and self.ctx.results:
            evaluated = [
                Returned(self.lookup(env, (Local(var.key),)), self.path_children(env, (Local(var.key),))) for var in self.ctx.results
            ]
        if evaluated:
            self.ctx.return_values.append(evaluated)
        self.ctx.returns.append(env)
        self.ctx.return_defers.append(len(self.ctx.defers))
        return None

    def _never_nil_error(self, value: Node) -> bool:
        """Whether the last expression of a `return` is an error that cannot be nil: a variable
        of a struct type of the package (`errResp`, not a pointer: a struct value in an interface
        is never nil, whatever was done to its fields), or a call of a same-package function
        that returns such an error on every path (`return T{}, invalid("...")`)."""
        value = strip(value)  # type: ignore[assignment]
        if value is not None and value.type == "identifier":
            type_text = self._local_type(self.text_of(value))
            return type_text is not None and not type_text.startswith("*") and self.types.struct_name(type_text) is not None
        function = value.child_by_field_name("function") if value is not None and value.type == "call_expression" else None
        if function is None or function.type != "identifier":
            return False
        name = self.text_of(function)
        return self.resolve(name) is None and name in self.flow.package.funcs and self.flow.error_never_nil(name)

    def _checked_not_nil(self, env: Env, value: Node) -> bool:
        """Whether a returned variable is known not nil on the way here (summarising: the facts
        that hold where this `return` is reached say `err != nil`), though its value is unknown."""
        reached = env.get(REACHED)
        value = strip(value)  # type: ignore[assignment]
        if reached is None or not isinstance(reached.when, Condition) or value is None or value.type != "identifier":
            return False
        atom = f"{self.text_of(value)} == nil"
        return any(literal.atom == atom and not literal.truth for literal in reached.when.literals)

    def deferred_call(self, env: Env, node: Node) -> Node | None:
        """The function of a `go` or `defer` call, its arguments evaluated (and handed over) now.
        A deferred call runs when the function exits, after every statement of its body: the
        body goes on with the arguments as they are (what the call does to them matters to
        the function's callers only, so a summary hands them over)."""
        call = strip(children(node)[0]) if children(node) else None
        if call is None or call.type != "call_expression":
            return None
        arguments = call.child_by_field_name("arguments")
        later = node.type == "defer_statement" and not self.summarising
        for arg in children(arguments) if arguments is not None else []:
            if later:
                self.eval(env, arg)
            else:
                self.shared(env, arg)
        return strip(call.child_by_field_name("function"))

    def defer_writes(self, env: Env, call: Node | None) -> None:
        """`defer put(m, k)`: the arguments are evaluated now, so a map nil here is the nil
        `put` writes when the function exits; its writes are kept for the exit, which the
        function may never reach."""
        function = strip(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
        if call is None or function is None or function.type != "identifier":
            return
        name = self.text_of(function)
        if self.resolve(name) is not None or name not in self.flow.package.funcs:
            return
        before = set(self.events)
        self.apply_function_summary(dict(env), call, name, arguments_of(call))
        every_round = _runs_every_round(call, self.func, self.loop_surely_runs)
        for key in [k for k in self.events if k not in before]:
            event = self.events.pop(key)
            kept = self.ctx.deferred_writes.get(key)
            if kept is not None and kept.val.always_nil and not event.val.always_nil and every_round:
                # Each round registers a call of its own, and all of them run at the exit: the
                # first round's, handed a map nil on every path, panics whatever later rounds hand.
                continue
            self.ctx.deferred_writes[key] = event

    def exec_go_statement(self, env: Env, node: Node) -> Env:
        joined = joined_call(node, self.text_of, self._local_type)
        if joined is not None:
            # Waited for right after it starts: it runs, whole, before the function goes on.
            self.run_closure(env, *joined)
            return env
        function = self.deferred_call(env, node)
        if function is not None and function.type == "func_literal":
            self.escape_closure(env, function)  # runs at an unknown time
        elif function is not None:
            self.eval(env, function)
        return env

    def loop_surely_runs(self, loop: Node) -> bool:
        """Whether a `for` statement's body runs at least once whatever the run: `for {`, or
        a loop whose first round surely runs (see `surely_runs_first_round`)."""
        clause = next((c for c in children(loop) if c.type in ("for_clause", "range_clause")), None)
        if clause is None:
            return all(child == loop.child_by_field_name("body") for child in children(loop))
        ranged = clause.child_by_field_name("right") if clause.type == "range_clause" else None
        return self.surely_runs_first_round(clause, ranged)

    def _local_type(self, name: str) -> str | None:
        var = self.resolve(name)
        return normalise(var.type_text) if var is not None else None

    def exec_defer_statement(self, env: Env, node: Node) -> Env:
        self.defer_writes(env, strip(children(node)[0]) if children(node) else None)
        function = self.deferred_call(env, node)
        var = self.resolve(self.text_of(function)) if function is not None and function.type == "identifier" else None
        if var is not None and var.closure is not None and var.name not in self.reassigned():
            function = var.closure  # `defer cleanup()` of a closure bound to a variable
        if function is not None and function.type == "func_literal":
            self.ctx.defers.append((function, list(self.scopes), _branches_to(node, self.func)))  # runs at the exit
        elif function is not None and function.type == "selector_expression":
            if self.path_of(function.child_by_field_name("operand")) is not None:
                self.shared(env, function.child_by_field_name("operand"))
        return env


def _runs_every_round(node: Node, function: Node, surely_runs: Callable[[Node], bool]) -> bool:
    """Whether `node` runs in every round of the outermost loop of `function` that holds it:
    it sits straight in the body of each loop around it (no branch around it, after no
    statement that can leave the round: `continue`, `break`, `goto`, `return`, a label to jump
    to), and each inner loop around it surely runs a first round (`surely_runs`). The
    outermost loop's first round then runs it, before any later round changes what it reads."""
    loop = _loop_run_straight(node, function)
    if loop is None:
        return False
    while True:
        outer = _loop_run_straight(loop, function)
        if outer is None:
            # Not run straight in an outer loop: there must be none (a loop under a branch
            # of an outer one is reached in some rounds only), and this is the outermost.
            return _enclosing_loop(loop, function) is None
        if not surely_runs(loop):
            return False  # an inner loop that may have no round skips it in the outer round
        loop = outer


def _loop_run_straight(node: Node, function: Node) -> Node | None:
    """The loop whose body holds `node`'s statement itself, when no statement before it in
    that body can leave the round; None otherwise (or when a func literal comes between)."""
    statement = node
    while statement.parent is not None and statement.parent.type not in ("block", "statement_list"):
        if statement.parent == function or statement.parent.type == "func_literal":
            return None
        statement = statement.parent
    holder = statement.parent
    loop = holder.parent if holder is not None else None
    if loop is not None and loop.type == "block":
        loop = loop.parent
    if holder is None or loop is None or loop.type != "for_statement":
        return None
    for earlier in children(holder):
        if earlier == statement:
            return loop
        if may_leave(earlier):
            return None
    return None


def _enclosing_loop(node: Node, function: Node) -> Node | None:
    """The nearest loop or func literal around `node` inside `function`, if any."""
    outer = node.parent
    while outer is not None and outer != function:
        if outer.type in ("for_statement", "func_literal"):
            return outer
        outer = outer.parent
    return None


def _branches_to(node: Node, function: Node) -> tuple[tuple[Node, bool], ...]:
    """The `if` conditions a statement sits under inside its function, each with the way it
    went: a deferred call registered there runs at the exit only on paths where they held."""
    found = []
    current = node
    while current.parent is not None and current != function:
        parent = current.parent
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and current == parent.child_by_field_name("consequence"):
                found.append((condition, True))
            elif condition is not None and current == parent.child_by_field_name("alternative"):
                found.append((condition, False))
        if parent.type == "func_literal":
            break
        current = parent
    return tuple(found)


def _is_array(type_text: str) -> bool:
    """`[N]T`, not a slice."""
    text = strip_parens(type_text)
    return text.startswith("[") and not text.startswith("[]")


def _dereferenced(node: Node) -> bool:
    """Whether `node` is `*p`: the value p points to."""
    node = strip(node)  # type: ignore[assignment]
    return node is not None and node.type == "unary_expression" and text(node).startswith("*")


def _returns_error_last(statement: Node) -> bool:
    """Whether the function a `return` statement belongs to (a literal's own) has `error` for
    its last result."""
    func = statement.parent
    while func is not None and func.type not in ("function_declaration", "method_declaration", "func_literal"):
        func = func.parent
    result = func.child_by_field_name("result") if func is not None else None
    if result is not None and result.type == "parameter_list":
        declarations = result.named_children
        result = declarations[-1].child_by_field_name("type") if declarations else None
    return result is not None and result.text == b"error"


def _collection_of(element: Node | None) -> Node | None:
    """The collection `c` of an element `c[k]` (`c[i][j]` too), else None."""
    if not is_index(element):
        return None
    while is_index(element):
        element = strip(element.child_by_field_name("operand"))
    return element


def _element_used(use: Node) -> Node | None:
    """The element `c[k]` a use of collection `c` reads (`c[k].f`, `c[i][j].f`), else None: the
    collection itself handed on, ranged over or assigned may reach any element."""
    node = use
    while node.parent is not None and is_index(node.parent) and node.parent.child_by_field_name("operand") == node:
        node = node.parent
    return node if node is not use else None


def _range_loop_of(name: Node) -> Node | None:
    """The `for` statement whose `range` clause declares or sets `name`, if it is one."""
    clause = name.parent.parent if name.parent is not None and name.parent.type == "expression_list" else name.parent
    if clause is None or clause.type != "range_clause" or clause.parent is None or clause.parent.type != "for_statement":
        return None
    return clause.parent


def _sets_element_field(use: Node) -> bool:
    """Whether `use`, a collection's name, is the root of the whole left side of a plain
    assignment that sets a field of one of its elements (`all[1].m = v`, `all[i].meta.tags = v`)."""
    element = use.parent
    if element is None or element.type != "index_expression" or element.child_by_field_name("operand") != use:
        return False
    target = element
    while target.parent is not None and target.parent.type == "selector_expression" and target.parent.child_by_field_name("operand") == target:
        target = target.parent
    if target is element:
        return False
    left = target.parent
    statement = left.parent if left is not None and left.type == "expression_list" else None
    if statement is None or statement.type != "assignment_statement":
        return False
    operator = statement.child_by_field_name("operator")
    return operator is not None and text(operator) == "=" and statement.child_by_field_name("left") == left
