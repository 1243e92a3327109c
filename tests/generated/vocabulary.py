"""The Go types generated programs use, and the places that hold a map.

A `Place` is an expression whose value is a map (`m`, `s.items`, `ss[0].meta.tags`,
`groups[key]`), with what the language lets a program do to it: assign it (not a field of a
struct read out of a map), take its address, call pointer methods on it. A `Holder` is an
expression whose value is a struct with map fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.generated.program import PREFIX_MARK as P


@dataclass(frozen=True)
class MapType:
    go: str  # as written in the program: "map[string]int", "§Counts", "url.Values"
    value: str  # "int", "string", "strings" ([]string) or "map" (an inner map[string]int)
    short: str  # the suffix of helper names: putInts, putCounts
    named: bool = False
    inner: MapType | None = None

    def make(self) -> str:
        return f"make({self.go})"

    def empty(self) -> str:
        return f"{self.go}{{}}"

    def literal(self, key: str = '"a"') -> str:
        return f"{self.go}{{{key}: {self.sample_value()}}}"

    def nil_conversion(self) -> str:
        return f"{self.go}(nil)"

    def sample_value(self) -> str:
        return {"int": "1", "string": '"x"', "strings": '{"x"}', "map": "{}"}[self.value]


INTS = MapType("map[string]int", "int", "Ints")
COUNTS = MapType(f"{P}Counts", "int", "Counts", named=True)
LABELS = MapType("map[string]string", "string", "Labels")
VALUES = MapType("url.Values", "strings", "Values", named=True)
GROUPS = MapType("map[string]map[string]int", "map", "Groups", inner=INTS)

LOCAL_MAP_TYPES = (INTS, INTS, COUNTS, GROUPS, GROUPS, LABELS, VALUES)


@dataclass(frozen=True)
class Field:
    name: str  # "" for an embedded struct
    go: str
    mtype: MapType | None = None
    struct: StructType | None = None
    tag: str = ""

    @property
    def selector(self) -> str:
        """The name a selector uses: the field's, or the embedded type's."""
        return self.name or self.go


@dataclass(frozen=True)
class StructType:
    name: str  # "§Store"
    fields: tuple[Field, ...]

    def map_paths(self) -> list[tuple[str, MapType, frozenset[str]]]:
        """Selectors from a value of this type to each map it holds, with their shape tags."""
        paths: list[tuple[str, MapType, frozenset[str]]] = []
        for f in self.fields:
            if f.mtype is not None:
                paths.append((f".{f.name}", f.mtype, frozenset({"field.direct"})))
            elif f.struct is not None:
                for sub, mtype, _ in f.struct.map_paths():
                    if f.name:
                        paths.append((f".{f.name}{sub}", mtype, frozenset({"field.nested_struct"})))
                    else:
                        paths.append((sub, mtype, frozenset({"field.embedded_promoted"})))
                        paths.append((f".{f.selector}{sub}", mtype, frozenset({"field.embedded"})))
        return paths

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Place:
    """An expression that holds a map."""

    expr: str
    mtype: MapType
    assignable: bool = True
    addressable: bool = True
    root: str | None = None  # the local variable it is read through, for `declared and not used`
    outer: Place | None = None  # for `groups[k]`: the nested map it is an entry of
    tags: frozenset[str] = frozenset()

    @property
    def is_plain_local(self) -> bool:
        return self.root is not None and self.expr == self.root


@dataclass(frozen=True)
class Holder:
    """An expression that holds a struct (or a pointer to one) with map fields."""

    expr: str
    stype: StructType
    pointer: bool = False
    addressable: bool = True
    root: str | None = None
    reassignable: bool = False  # a plain variable: `s = Store{...}` is allowed
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def can_call_pointer_methods(self) -> bool:
        return self.pointer or self.addressable

    @property
    def fields_assignable(self) -> bool:
        return self.pointer or self.addressable

    def places(self) -> list[Place]:
        found = []
        for path, mtype, tags in self.stype.map_paths():
            found.append(
                Place(
                    self.expr + path,
                    mtype,
                    assignable=self.fields_assignable,
                    addressable=self.fields_assignable,
                    root=self.root,
                    tags=tags | self.tags,
                )
            )
        return found
