"""Package-level variables: what a map (or a struct holding maps) declared at package level
holds when a function other than `init` starts — never made, made on every path of
`init()`, on some paths, or assigned elsewhere (then unknown)."""
from __future__ import annotations

import re
from functools import cached_property

from tree_sitter import Node

from analyzers.flow.interpreter import Interpreter
from analyzers.flow.facts import PackageFacts
from analyzers.flow.paths import Global, below
from analyzers.flow.syntax import is_init, mentioned_names
from analyzers.flow.values import LINE, MADE, MADE_VAL, NIL, UNKNOWN_VAL, Origin, OriginKind, Val
from analyzers.gotext import name as name_pattern
from analyzers.index import VarDecl
from analyzers.source import SourceFile


class PackageVars:
    """Entry values of a package's variables (one per package check)."""

    def __init__(self, facts: PackageFacts) -> None:
        self.facts = facts
        self.package = facts.package
        self.types = facts.types
        self._entry: dict[str, Val | None] = {}

    def entry(self, name: str, func: Node) -> Val | None:
        """The value of package-level `name` when `func` starts."""
        decl = self.facts.package_vars.get(name)
        if decl is None:
            return None
        if is_init(func):
            return self._declared_value(decl)
        if name not in self._entry:
            self._entry[name] = None  # cycle guard
            self._entry[name] = self._entry_after_init(decl)
        return self._entry[name] or UNKNOWN_VAL

    def _declared_value(self, decl: VarDecl) -> Val:
        if decl.value is not None:
            value = decl.value
            if value.type == "nil":
                return Val(NIL, Origin(OriginKind.PACKAGE_VAR, decl.path, decl.start, decl.end, "set to nil in its declaration"))
            if value.type == "composite_literal" or (value.text or b"").startswith(b"make("):
                return MADE_VAL
            return UNKNOWN_VAL
        if self.types.is_map(decl.type_text):
            return Val(NIL, Origin(OriginKind.PACKAGE_VAR, decl.path, decl.start, decl.end, f"declared at line {LINE} without make"))
        struct = self.types.struct_name(decl.type_text)
        if struct is not None and not decl.type_text.strip().startswith("*"):
            where = f"package-level zero value declared at line {LINE}"
            return Val(MADE, zero=Origin(OriginKind.CONSTRUCTION, decl.path, decl.start, decl.end, where, struct))
        return UNKNOWN_VAL

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
        key = (Global(decl.name),)
        for init in self.package.inits:
            if decl.name not in mentioned_names(init.node):
                continue
            interpreter = Interpreter(self.facts, self.package.files[init.path], init.node)
            interpreter.run()
            exit_env = interpreter.exit_env
            if exit_env is None:
                continue
            after = exit_env.get(key)
            if after is None:
                # Fields set by init on a package-level struct stay unknown here: too rare to model.
                if any(below(k, key) for k in exit_env):
                    return UNKNOWN_VAL
                continue
            if after.bits & NIL and val.origin is not None:
                note = val.origin.description
                if after.bits != NIL:
                    note += " and made only on some paths of init()"
                after = Val(after.bits, Origin(OriginKind.PACKAGE_VAR, decl.path, decl.start, decl.end, note), after.when)
            val = after
        return val

    @cached_property
    def nil_names(self) -> frozenset[str]:
        """Package-level maps and structs declared without a value that nothing but init() assigns.

        Part of every cached function's key: whether such a variable is assigned elsewhere
        decides what functions see of it, wherever the assignment is.
        """
        return frozenset(
            name
            for name, decl in self.facts.package_vars.items()
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


def _in_declaration(file: SourceFile, offset: int) -> bool:
    """Whether `offset` lies in a package-level `var` declaration (its own initialiser)."""
    node = file.tree.root_node.descendant_for_byte_range(offset, offset + 1)
    while node is not None and node.parent is not None and node.parent.type != "source_file":
        node = node.parent
    return node is not None and node.type in ("var_declaration", "const_declaration")
