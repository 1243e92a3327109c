"""The package index: the declarations of every file of one Go package.

The analyses need to know, across files, which types are maps or structs with map fields,
which functions and methods exist, and which package-level variables hold maps. Each
file's declarations are read once into `FileFacts`; `PackageIndex.update` re-reads only
the file that changed (the language server calls it on every edit) and the merged views
are rebuilt lazily from the per-file facts.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from tree_sitter import Node

from analyzers.const_values import const_types, const_values
from analyzers.parsing import text
from analyzers.source import SourceFile

# Standard-library named map types: their methods that write the receiver map.
STDLIB_MAP_TYPES: dict[str, str] = {
    "http.Header": "map[string][]string",
    "url.Values": "map[string][]string",
    "textproto.MIMEHeader": "map[string][]string",
    "metadata.MD": "map[string][]string",
}
STDLIB_WRITING_METHODS: dict[str, frozenset[str]] = {
    "http.Header": frozenset({"Set", "Add"}),
    "url.Values": frozenset({"Set", "Add"}),
    "textproto.MIMEHeader": frozenset({"Set", "Add"}),
    "metadata.MD": frozenset({"Set", "Append"}),
}


@dataclass(frozen=True)
class FieldDecl:
    name: str
    type_text: str
    tag: str
    embedded: bool
    path: str
    start: int
    end: int


@dataclass(frozen=True)
class StructDecl:
    name: str
    fields: tuple[FieldDecl, ...]
    path: str
    start: int
    type_params: tuple[str, ...] = ()  # `type Cache[K comparable, V any] struct`: ("K", "V")

    def field(self, name: str) -> FieldDecl | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True)
class FuncDecl:
    """A function or method declaration. `receiver_type` is "" for plain functions."""

    name: str
    receiver_type: str
    receiver_name: str
    pointer_receiver: bool
    node: Node
    path: str

    @property
    def body(self) -> Node | None:
        return self.node.child_by_field_name("body")

    @cached_property
    def result_types(self) -> tuple[str, ...]:
        result = self.node.child_by_field_name("result")
        if result is None:
            return ()
        if result.type != "parameter_list":
            return (text(result),)
        types: list[str] = []
        for decl in result.named_children:
            if decl.type != "parameter_declaration":
                continue
            type_node = decl.child_by_field_name("type")
            names = decl.children_by_field_name("name")
            types.extend([text(type_node) if type_node else ""] * max(1, len(names)))
        return tuple(types)


@dataclass(frozen=True)
class VarDecl:
    """A package-level variable; `value` is its initialiser expression, if any."""

    name: str
    type_text: str
    value: Node | None
    path: str
    start: int
    end: int


@dataclass
class FileFacts:
    """The declarations of one file."""

    named_types: dict[str, str] = field(default_factory=dict)  # name -> underlying type text
    structs: dict[str, StructDecl] = field(default_factory=dict)
    funcs: dict[str, FuncDecl] = field(default_factory=dict)
    methods: dict[tuple[str, str], FuncDecl] = field(default_factory=dict)
    vars: dict[str, VarDecl] = field(default_factory=dict)
    inits: list[FuncDecl] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # local name -> import path
    consts: dict[str, str] = field(default_factory=dict)  # name -> the literal it is declared as (`const keyA = "a"`)
    const_types: dict[str, str] = field(default_factory=dict)  # name -> the type a constant is declared with


def _strip_pointer(type_text: str) -> tuple[str, bool]:
    type_text = type_text.strip()
    if type_text.startswith("*"):
        return type_text[1:].strip(), True
    return type_text, False


def _base_type_name(type_text: str) -> str:
    """`T`, `*T`, `T[K]` and `pkg.T` all name the type `T` (or `pkg.T`)."""
    name, _ = _strip_pointer(type_text)
    bracket = name.find("[")
    return name[:bracket] if bracket > 0 else name


def type_parameter_names(node: Node) -> tuple[str, ...]:
    """The names of a generic type's or function's type parameters, in order."""
    params = node.child_by_field_name("type_parameters")
    if params is None:
        return ()
    return tuple(
        text(name)
        for decl in params.named_children
        if decl.type == "type_parameter_declaration"
        for name in decl.children_by_field_name("name")
    )


def _struct_fields(node: Node, path: str) -> tuple[FieldDecl, ...]:
    fields: list[FieldDecl] = []
    body = next((c for c in node.named_children if c.type == "field_declaration_list"), None)
    if body is None:
        return ()
    for decl in body.named_children:
        if decl.type != "field_declaration":
            continue
        type_node = decl.child_by_field_name("type")
        tag_node = decl.child_by_field_name("tag")
        tag = text(tag_node).strip("`\"") if tag_node is not None else ""
        names = decl.children_by_field_name("name")
        type_text = text(type_node) if type_node is not None else ""
        if not names:
            embedded = _base_type_name(type_text).split(".")[-1]
            fields.append(FieldDecl(embedded, type_text, tag, True, path, decl.start_byte, decl.end_byte))
        for name in names:
            fields.append(FieldDecl(text(name), type_text, tag, False, path, name.start_byte, decl.end_byte))
    return tuple(fields)


def _receiver(node: Node) -> tuple[str, str, bool]:
    receiver = node.child_by_field_name("receiver")
    if receiver is None:
        return "", "", False
    for decl in receiver.named_children:
        if decl.type == "parameter_declaration":
            type_node = decl.child_by_field_name("type")
            name_node = decl.child_by_field_name("name")
            type_text = text(type_node) if type_node is not None else ""
            bare, pointer = _strip_pointer(type_text)
            return _base_type_name(bare), text(name_node) if name_node is not None else "", pointer
    return "", "", False


def read_facts(file: SourceFile) -> FileFacts:
    """Read the top-level declarations of one file (damaged ones are skipped)."""
    facts = FileFacts()
    for node in file.tree.root_node.named_children:
        kind = node.type
        if kind in ("function_declaration", "method_declaration"):
            decl = _func_decl(file, node, kind)
            if decl is None:
                continue
            if decl.receiver_type:
                facts.methods[(decl.receiver_type, decl.name)] = decl
            elif decl.name == "init":
                facts.inits.append(decl)
            else:
                facts.funcs[decl.name] = decl
        elif kind == "type_declaration":
            for spec in node.named_children:
                if spec.type not in ("type_spec", "type_alias"):
                    continue
                name = spec.child_by_field_name("name")
                type_node = spec.child_by_field_name("type")
                if name is None or type_node is None:
                    continue
                facts.named_types[text(name)] = text(type_node)
                if type_node.type == "struct_type":
                    facts.structs[text(name)] = StructDecl(
                        text(name), _struct_fields(type_node, file.path), file.path, spec.start_byte, type_parameter_names(spec)
                    )
        elif kind == "var_declaration":
            for spec in _var_specs(node):
                type_node = spec.child_by_field_name("type")
                value = spec.child_by_field_name("value")
                values = value.named_children if value is not None else []
                names = spec.children_by_field_name("name")
                for i, name in enumerate(names):
                    facts.vars[text(name)] = VarDecl(
                        text(name),
                        text(type_node) if type_node is not None else "",
                        values[i] if i < len(values) and len(values) == len(names) else None,
                        file.path,
                        spec.start_byte,
                        spec.end_byte,
                    )
        elif kind == "const_declaration":
            facts.consts.update(const_values(node))
            facts.const_types.update(const_types(node))
        elif kind == "import_declaration":
            alternates: list[tuple[str, str]] = []
            for spec in _import_specs(node):
                path_node = spec.child_by_field_name("path")
                name_node = spec.child_by_field_name("name")
                if path_node is None:
                    continue
                import_path = text(path_node).strip('"`')
                if name_node is not None:
                    facts.imports[text(name_node)] = import_path
                    continue
                facts.imports[import_path.rsplit("/", 1)[-1]] = import_path
                alternate = assumed_package_name(import_path)
                if alternate != import_path.rsplit("/", 1)[-1]:
                    alternates.append((alternate, import_path))
            # The other name an import may bind, unless another import binds it for sure.
            for alternate, import_path in alternates:
                facts.imports.setdefault(alternate, import_path)
    return facts


def assumed_package_name(import_path: str) -> str:
    """The name an import without one binds, as goimports assumes it before reading the
    package: the path's last element, or the one before a major-version suffix
    (`example.com/mod/v2` is package `mod`), up to the first character that cannot be in an
    identifier (`gopkg.in/yaml.v3` is `yaml`, `go-toml` is `toml` once `go-` is dropped).
    The real name is the package clause's, which the file's own index does not read: an API
    version's package (`k8s.io/api/core/v1`) is named `v1`, so both names are bound."""
    elements = import_path.split("/")
    base = elements[-1]
    if len(elements) > 1 and base[:1] == "v" and base[1:].isdigit():
        base = elements[-2]
    base = base.removeprefix("go-")
    end = next((i for i, c in enumerate(base) if not (c.isalnum() or c == "_")), len(base))
    return base[:end]


# What a function or method declaration's header says (name, receiver, result types), by
# the declaration's text: the file of an edit is read again on every keystroke, and all its
# declarations but the edited one are texts read before. Past `MAX_HEADS` entries the
# older half (in insertion order) is dropped.
_Head = tuple[str, str, str, bool, tuple[str, ...]]
_HEADS: dict[tuple[str, int, int], _Head | None] = {}
MAX_HEADS = 20_000


def _func_decl(file: SourceFile, node: Node, kind: str) -> FuncDecl | None:
    """The declaration of a function or method node (`kind` is its type); None when it has
    no name (or a method no receiver type)."""
    key = (kind, *file.text_key(node))
    if key in _HEADS:
        head = _HEADS[key]
    else:
        head = _read_head(node, file.path)
        if len(_HEADS) >= MAX_HEADS:
            for old in list(itertools.islice(_HEADS, MAX_HEADS // 2)):
                _HEADS.pop(old, None)
        _HEADS[key] = head
    if head is None:
        return None
    name, receiver_type, receiver_name, pointer, result_types = head
    decl = FuncDecl(name, receiver_type, receiver_name, pointer, node, file.path)
    decl.__dict__["result_types"] = result_types  # the cached property, known already
    return decl


def _read_head(node: Node, path: str) -> _Head | None:
    name = node.child_by_field_name("name")
    if name is None:
        return None
    if node.type == "method_declaration":
        receiver_type, receiver_name, pointer = _receiver(node)
        if not receiver_type:
            return None
    else:
        receiver_type, receiver_name, pointer = "", "", False
    decl = FuncDecl(text(name), receiver_type, receiver_name, pointer, node, path)
    return (decl.name, receiver_type, receiver_name, pointer, decl.result_types)


def _var_specs(node: Node) -> Iterator[Node]:
    for child in node.named_children:
        if child.type == "var_spec":
            yield child
        elif child.type == "var_spec_list":
            yield from (c for c in child.named_children if c.type == "var_spec")


def _import_specs(node: Node) -> Iterator[Node]:
    for child in node.named_children:
        if child.type == "import_spec":
            yield child
        elif child.type == "import_spec_list":
            yield from (c for c in child.named_children if c.type == "import_spec")


class PackageIndex:
    """All files of one package (one directory, one package clause) and their declarations."""

    def __init__(self, files: Iterable[SourceFile] = ()) -> None:
        self.files: dict[str, SourceFile] = {}
        self._facts: dict[str, FileFacts] = {}
        self.generation = 0
        for file in files:
            self.update(file)

    # -- building -------------------------------------------------------------------
    def update(self, file: SourceFile) -> None:
        """Add or replace one file; only that file's declarations are read again."""
        self.files[file.path] = file
        self._facts[file.path] = read_facts(file)
        self._invalidate()

    def fork(self) -> PackageIndex:
        """A copy that can be updated without disturbing readers of this one (cheap: per-file
        facts are immutable once read, so they are shared)."""
        copy = PackageIndex()
        copy.files = dict(self.files)
        copy._facts = dict(self._facts)
        copy.generation = self.generation
        return copy

    def remove(self, path: str) -> None:
        self.files.pop(path, None)
        self._facts.pop(path, None)
        self._invalidate()

    def _invalidate(self) -> None:
        self.generation += 1
        for name in ("named_types", "structs", "funcs", "methods", "vars", "inits", "consts", "const_types"):
            self.__dict__.pop(name, None)

    def facts_of(self, path: str) -> FileFacts:
        return self._facts[path]

    # -- merged views -----------------------------------------------------------------
    def _merge(self, attribute: str) -> dict:
        merged: dict = {}
        for path in sorted(self._facts):
            merged.update(getattr(self._facts[path], attribute))
        return merged

    @cached_property
    def named_types(self) -> dict[str, str]:
        return self._merge("named_types")

    @cached_property
    def structs(self) -> dict[str, StructDecl]:
        return self._merge("structs")

    @cached_property
    def funcs(self) -> dict[str, FuncDecl]:
        return self._merge("funcs")

    @cached_property
    def methods(self) -> dict[tuple[str, str], FuncDecl]:
        return self._merge("methods")

    @cached_property
    def vars(self) -> dict[str, VarDecl]:
        return self._merge("vars")

    @cached_property
    def consts(self) -> dict[str, str]:
        return self._merge("consts")

    @cached_property
    def const_types(self) -> dict[str, str]:
        return self._merge("const_types")

    def constants_of_type(self, type_name: str) -> dict[str, str | None]:
        """The package's constants declared with the named type `type_name`, with the literal
        each equals (None when its value does not fold)."""
        return dict(self._constants_by_type.get(type_name, {}))

    @cached_property
    def _constants_by_type(self) -> dict[str, dict[str, str | None]]:
        """`constants_of_type` of every type, in one pass: every switch on a named type asks,
        and a scan of all the package's constants for each cost more than the switch."""
        found: dict[str, dict[str, str | None]] = {}
        for name, declared in self.const_types.items():
            found.setdefault(declared, {})[name] = self.consts.get(name)
        return found

    @cached_property
    def inits(self) -> list[FuncDecl]:
        return [f for path in sorted(self._facts) for f in self._facts[path].inits]

    # -- type questions ---------------------------------------------------------------------
    def map_type_of(self, type_text: str, depth: int = 0) -> str | None:
        """The map type text behind `type_text` (`map[K]V`, a named map type), or None."""
        type_text = type_text.strip()
        if type_text.startswith("map["):
            return type_text
        if depth > 8 or not type_text:
            return None
        if type_text in STDLIB_MAP_TYPES:
            return STDLIB_MAP_TYPES[type_text]
        underlying = self.named_types.get(_base_type_name(type_text))
        if underlying is None or "." in type_text:
            return None
        return self.map_type_of(underlying, depth + 1)

    def struct_of(self, type_text: str) -> StructDecl | None:
        """The same-package struct behind `T` or `*T`, or None."""
        name = _base_type_name(type_text)
        if "." in name:
            return None
        return self.structs.get(name)

