"""Just enough of Go's types, as text, to know what is a map and what its elements are.

The analyses work on half-typed code without a type checker: types come from declarations
in the package (struct fields, named types, function results), so a type here is the text
of a type expression, normalised to single spaces.
"""
from __future__ import annotations

import os
import re
from functools import cached_property

from analyzers.getters import ReceiverUse
from analyzers.index import PackageIndex, StructDecl
from analyzers.module import MODULES, ForeignPackage, ModuleTypes

_SPACE = re.compile(r"\s+")


def normalise(type_text: str) -> str:
    stripped = type_text.strip()
    if "  " not in stripped and "\n" not in stripped and "\t" not in stripped:
        return stripped  # already single-spaced: the common case, without a regex
    return _SPACE.sub(" ", stripped)


def _closing(text: str, open_at: int) -> int:
    """The index of the bracket closing the one at `open_at`, or -1."""
    depth = 0
    pairs = {"[": "]", "(": ")", "{": "}"}
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch in pairs:
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def strip_parens(type_text: str) -> str:
    type_text = type_text.strip()
    while type_text.startswith("(") and _closing(type_text, 0) == len(type_text) - 1:
        type_text = type_text[1:-1].strip()
    return type_text


def map_value_type(map_text: str) -> str:
    """`map[K]V` -> `V` ("" when not a map literal type)."""
    map_text = strip_parens(map_text)
    if not map_text.startswith("map["):
        return ""
    close = _closing(map_text, 3)
    return map_text[close + 1 :].strip() if close > 0 else ""


def element_type(type_text: str) -> str:
    """`[N]T` or `[]T` -> `T`; `*T` -> `T`; otherwise ""."""
    type_text = strip_parens(type_text)
    if type_text.startswith("["):
        close = _closing(type_text, 0)
        return type_text[close + 1 :].strip() if close > 0 else ""
    return ""


def pointee(type_text: str) -> str:
    type_text = strip_parens(type_text)
    return type_text[1:].strip() if type_text.startswith("*") else type_text


def receiver_name(type_text: str) -> str:
    """The type a method set is declared on: `T` of `T`, `*T` and of an instantiation `T[int]`."""
    bare = pointee(type_text)
    if bare.startswith(("[", "map[")) or not bare.endswith("]"):
        return bare
    return bare.split("[", 1)[0]


def type_arguments(type_text: str) -> list[str]:
    """`[int, map[string]bool]` of an instantiated type `T[int, map[string]bool]`, split at the top level."""
    bare = pointee(type_text)
    open_at = bare.find("[")
    if open_at <= 0 or bare.startswith("map[") or _closing(bare, open_at) != len(bare) - 1:
        return []
    args, depth, start = [], 0, open_at + 1
    for i in range(open_at + 1, len(bare) - 1):
        ch = bare[i]
        if ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(bare[start:i].strip())
            start = i + 1
    args.append(bare[start : len(bare) - 1].strip())
    return [a for a in args if a]


def instantiate(type_text: str, params: tuple[str, ...], args: list[str]) -> str:
    """A generic type's field type with its type parameters replaced by the instantiation's
    arguments (`map[K]V` of `Cache[string, int]` is `map[string]int`); as is when they do not pair."""
    if not params or len(params) != len(args):
        return type_text
    bound = dict(zip(params, args, strict=True))
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(p) for p in params) + r")(?!\w)")
    return pattern.sub(lambda found: bound[found.group(1)], type_text)


class TypeView:
    """Type questions about one package, whose imports of other packages of the same module are
    resolved to their declarations (`analyzers.module`)."""

    def __init__(self, package: PackageIndex, modules: ModuleTypes | None = MODULES) -> None:
        self.package = package
        self.modules = modules
        # Answers by type text: a check asks about the same few types for every function of
        # the package, and the package does not change while it runs.
        self._structs: dict[str, StructDecl | None] = {}
        self._maps: dict[str, str | None] = {}
        self._foreign: dict[str, ForeignPackage | None] = {}
        self._field_types: dict[tuple[str, str], str] = {}

    @cached_property
    def _directory(self) -> str:
        first = min(self.package.files) if self.package.files else ""
        return os.path.dirname(os.path.abspath(first)) if first else ""

    @cached_property
    def _imports(self) -> dict[str, str]:
        """The package's import names (over its files) -> import paths."""
        imports: dict[str, str] = {}
        for path in sorted(self.package.files):
            for name, import_path in self.package.facts_of(path).imports.items():
                imports.setdefault(name, import_path)
        return imports

    @cached_property
    def module_qualifiers(self) -> frozenset[str]:
        """The import names, in any file of the package, of packages whose declarations can be
        read (the module's own, replaced or vendored): their struct types may hold maps."""
        if self.modules is None or not self._directory:
            return frozenset()
        # (each name and path asked once: the files of a package import much the same)
        imports = {pair for path in self.package.files for pair in self.package.facts_of(path).imports.items()}
        return frozenset(
            name for name, import_path in imports if name not in ("_", ".") and self.modules.directory(self._directory, import_path) is not None
        )

    def for_file(self, path: str) -> TypeView:
        """This view as the file `path` reads qualifiers: two files of a package may import
        different packages under one name (`api` for the project's own API in one file, a
        client library's in another)."""
        if path not in self.package.files:
            return self
        own = self.package.facts_of(path).imports
        if all(self._imports.get(name) == import_path for name, import_path in own.items()):
            return self  # the common case: the file agrees with the package
        views: dict[str, TypeView] = self.__dict__.setdefault("_file_views", {})
        view = views.get(path)
        if view is None:
            view = views[path] = TypeView(self.package, self.modules)
            view.__dict__["_imports"] = {**self._imports, **own}
        return view

    def import_path(self, name: str) -> str:
        """The import path the file (or package) imports under `name`, "" when none."""
        return self._imports.get(name, "")

    def foreign(self, qualifier: str) -> ForeignPackage | None:
        """The package a qualifier (`api` of `api.Job`, or a canonical `⟦n⟧`) names, if it can be read."""
        if self.modules is None or not self._directory:
            return None
        if qualifier in self._foreign:
            return self._foreign[qualifier]
        found = self._find_foreign(self.modules, qualifier)
        # Kept for the check, as the answers above are: finding and stamping the package's
        # directory costs file-system calls, and most functions ask again. (A marker's
        # directory may be learnt later in the check: it is kept once found.)
        if found is not None or not qualifier.startswith("⟦"):
            self._foreign[qualifier] = found
        return found

    def _find_foreign(self, modules: ModuleTypes, qualifier: str) -> ForeignPackage | None:
        if qualifier.startswith("⟦"):
            return modules.package_of_marker(qualifier)
        import_path = self._imports.get(qualifier)
        return modules.package(self._directory, import_path) if import_path else None

    def foreign_method(self, type_text: str, method: str) -> ReceiverUse | None:
        """How the argument-less `method` of `pkg.T` (or `*pkg.T`), a type of another package of
        the module, uses its receiver; None when that package's source is not read, or does not
        declare the method on the type."""
        bare = strip_parens(pointee(type_text))
        if "." not in bare or bare.startswith(("map[", "[", "func", "chan")):
            return None
        qualifier, _, name = bare.partition(".")
        package = self.foreign(qualifier)
        return package.methods.get((name.split("[", 1)[0], method)) if package is not None else None

    def decoded_by_its_package(self, type_text: str) -> bool:
        """Whether `pkg.T`, a struct of another package of the module, is decoded by that
        package's own code (or held by a struct it decodes)."""
        bare = strip_parens(pointee(type_text))
        if "." not in bare or bare.startswith(("map[", "[", "func", "chan")):
            return False
        qualifier, _, name = bare.partition(".")
        package = self.foreign(qualifier)
        return package is not None and name.split("[", 1)[0] in package.decoded

    def struct_of(self, type_text: str) -> StructDecl | None:
        """The struct behind `T`, `*T` or `pkg.T`: of this package or another of the module."""
        if type_text not in self._structs:
            self._structs[type_text] = self._find_struct(type_text)
        return self._structs[type_text]

    def _find_struct(self, type_text: str) -> StructDecl | None:
        bare = strip_parens(pointee(type_text))
        local = self.package.struct_of(bare)
        if local is not None or "." not in bare or bare.startswith(("map[", "[", "func", "chan")):
            return local
        qualifier, _, name = bare.partition(".")
        package = self.foreign(qualifier)
        return package.structs.get(name.split("[", 1)[0]) if package is not None else None

    def map_type(self, type_text: str) -> str | None:
        """The map type behind a type text (a named map type resolves), or None."""
        if type_text not in self._maps:
            self._maps[type_text] = self._find_map_type(type_text)
        return self._maps[type_text]

    def _find_map_type(self, type_text: str) -> str | None:
        if not type_text:
            return None
        bare = strip_parens(type_text)
        found = self.package.map_type_of(bare)
        if found is not None or "." not in bare or bare.startswith(("map[", "[", "*", "func", "chan")):
            return found
        qualifier, _, name = bare.partition(".")
        package = self.foreign(qualifier)
        underlying = package.named_types.get(name) if package is not None else None
        if underlying is None or underlying.lstrip().startswith("struct"):
            return None
        return underlying if underlying.startswith("map[") else (self.map_type(underlying) if "⟦" in underlying else None)

    def is_map(self, type_text: str) -> bool:
        return self.map_type(type_text) is not None

    def struct_name(self, type_text: str) -> str | None:
        """The struct named by `T`, `*T` or `pkg.T` (not through other pointers): its name in this
        package's terms."""
        decl = self.struct_of(type_text)
        if decl is None:
            return None
        if self.package.struct_of(decl.name) is decl:
            return decl.name
        return strip_parens(pointee(type_text)).split("[", 1)[0]  # another package's: as written, `api.Job`

    def field_type(self, type_text: str, field: str) -> str:
        """The type of `x.field` for `x` of `type_text`, with promoted fields of embedded structs.
        Kept by the two, as `struct_of` is: the interpreter asks it for every field step of
        every path whose type it needs, the same few hundred thousands of times over a package."""
        key = (type_text, field)
        found = self._field_types.get(key)
        if found is None:
            found = self._field_types[key] = self._field_type(pointee(type_text), field, 0)
        return found

    def _field_type(self, type_text: str, field: str, depth: int) -> str:
        decl = self.struct_of(type_text)
        if decl is None or depth > 4:
            return ""
        found = decl.field(field)
        args = type_arguments(type_text)
        if found is not None:
            return normalise(instantiate(found.type_text, decl.type_params, args))
        for embedded in decl.fields:
            if embedded.embedded:
                inner = self._field_type(pointee(instantiate(embedded.type_text, decl.type_params, args)), field, depth + 1)
                if inner:
                    return inner
        return ""

    def find_field(self, type_text: str, field: str, depth: int = 0):
        """The declaration of `x.field` for `x` of `type_text`, promoted fields included."""
        decl = self.struct_of(pointee(type_text))
        if decl is None or depth > 4:
            return None
        found = decl.field(field)
        if found is not None:
            return found
        for embedded in decl.fields:
            if embedded.embedded:
                inner = self.find_field(embedded.type_text, field, depth + 1)
                if inner is not None:
                    return inner
        return None

    def declaring_struct(self, type_text: str, field: str, depth: int = 0) -> StructDecl | None:
        """The struct that declares `x.field` for `x` of `type_text` (an embedded one's for a
        promoted field); None when no struct the index reads declares it."""
        decl = self.struct_of(pointee(type_text))
        if decl is None or depth > 4:
            return None
        if decl.field(field) is not None:
            return decl
        for embedded in decl.fields:
            if embedded.embedded:
                inner = self.declaring_struct(normalise(embedded.type_text), field, depth + 1)
                if inner is not None:
                    return inner
        return None

    def made_by_its_package(self, type_text: str, field: str, depth: int = 0) -> bool:
        """Whether the package of the module that declares `x.field` (for `x` of another
        package's `type_text`) gives that field a map of its own somewhere (a loader's lazy
        make after decoding): stores there tell its fields apart by name."""
        bare = strip_parens(pointee(type_text))
        decl = self.struct_of(bare)
        if decl is None or depth > 4 or "." not in bare:
            return False
        if decl.field(field) is not None:
            package = self.foreign(bare.partition(".")[0])
            return package is not None and field in package.made_fields
        return any(self.made_by_its_package(normalise(f.type_text), field, depth + 1) for f in decl.fields if f.embedded)

    def promotion_chain(self, type_text: str, field: str, depth: int = 0) -> tuple[str, ...]:
        """The embedded fields between a value of `type_text` and a promoted `field` (empty if direct)."""
        decl = self.struct_of(pointee(type_text)) if type_text else None
        if decl is None or depth > 4 or decl.field(field) is not None:
            return ()
        for embedded in decl.fields:
            if embedded.embedded:
                inner_type = normalise(embedded.type_text)
                inner = self.struct_of(pointee(inner_type))
                if inner is None:
                    continue
                if inner.field(field) is not None:
                    return (embedded.name,)
                deeper = self.promotion_chain(inner_type, field, depth + 1)
                if deeper:
                    return (embedded.name, *deeper)
        return ()

    def map_fields(self, type_text: str) -> list[str]:
        """The names of the map fields of a same-package struct (embedded ones' promoted)."""
        decl = self.struct_of(pointee(type_text))
        if decl is None:
            return []
        return [f.name for f in decl.fields if not f.embedded and self.is_map(f.type_text)]

    def maps_held(self, type_text: str, depth: int) -> list[tuple[str, ...]]:
        """The fields leading to each map a same-package struct holds: its own map fields, and
        those of the structs it holds by value (embedded ones too), at most `depth` fields deep."""
        decl = self.struct_of(pointee(type_text))
        found: list[tuple[str, ...]] = []
        for f in decl.fields if decl is not None and depth > 0 else ():
            if self.is_map(f.type_text):
                if not f.embedded:
                    found.append((f.name,))
            elif self.struct_name(f.type_text) and not f.type_text.lstrip().startswith("*"):
                found.extend((f.name, *below) for below in self.maps_held(normalise(f.type_text), depth - 1))
        return found

    def index_type(self, type_text: str) -> str:
        """The type of `x[i]` for `x` of `type_text`: map values, array and slice elements."""
        mapped = self.map_type(type_text)
        if mapped:
            return normalise(map_value_type(mapped))
        underlying = strip_parens(type_text)
        if not underlying.startswith("["):
            named = self.package.named_types.get(underlying)
            if named is None and "." in underlying and not underlying.startswith(("map[", "*")):
                qualifier, _, name = underlying.partition(".")
                package = self.foreign(qualifier)
                named = package.named_types.get(name) if package is not None else None
            underlying = named or ""
        return normalise(element_type(underlying)) if underlying.startswith("[") else ""

    def is_zero_container(self, type_text: str) -> bool:
        """Arrays of maps: their zero value holds nil maps."""
        text = strip_parens(type_text)
        return text.startswith("[") and not text.startswith("[]") and self.is_map(element_type(text))
