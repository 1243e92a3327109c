"""The struct fields no code of a package sets, which every value of their type holds zero.

Only a package's own code can set an unexported field of its types: other packages cannot
name it, and decoders (`encoding/json`, `gob`, YAML) set exported fields only. A field is
set by `x.f = v` (also `x.f, y = ...`), by `f: v` in a composite literal, through its address
(`&x.f`), or by a literal of its struct that lists the fields by position (`T{a, b}`, and the
elided elements of `[]T{{a, b}}`). When none of those appears in the package, every value of
the struct, however and wherever it was built, has the field's zero value: a nil map or a
nil slice, which a `range` walks for no round.

The tests are on text (any field of that name counts as set, whatever its struct), so the
answer errs towards "set"; each file's part is kept with its version, so after an edit only
the edited file is read again.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node, QueryCursor

from analyzers.flow.types import receiver_name
from analyzers.gotext import ID
from analyzers.index import PackageIndex
from analyzers.parsing import text
from analyzers.queries import load
from analyzers.source import SourceFile

# `x.f = v` and `x.f, y = v` (not `==`); the name ends where the lookahead starts, so a
# second field of the same assignment (`x.a, y.b = ...`) is found by the next match.
_ASSIGNED = re.compile(rb"\.(" + ID + rb"+)(?=\s*(?:,[^=\n]*)?=[^=])")
# `f: v` as a key of a composite literal (a `case x: y` on one line counts too: it errs towards set).
_KEYED = re.compile(rb"[{,\s](" + ID + rb"+)(?=\s*:\s*[^\s/])")
# `&x.f` and `&x.f.g`: every field of the chain after the first name is addressable from it.
_ADDRESSED = re.compile(rb"&(" + ID + rb"+(?:\." + ID + rb"+)+)")


def fields_set(files: Iterable[SourceFile]) -> frozenset[str]:
    """The names of the fields some code of `files` sets (by name or through its address)."""
    found: set[str] = set()
    for file in files:
        found |= _fields_set_in(file)
    return frozenset(found)


def _fields_set_in(file: SourceFile) -> frozenset[str]:
    kept = file.memo.get("fields-set")
    if kept is None:
        names = {m.group(1) for pattern in (_ASSIGNED, _KEYED) for m in pattern.finditer(file.source)}
        for m in _ADDRESSED.finditer(file.source):
            names.update(m.group(1).split(b".")[1:])
        kept = file.memo["fields-set"] = frozenset(n.decode("utf-8", "replace") for n in names)
    return kept


def positional_types(files: Iterable[SourceFile]) -> frozenset[str]:
    """The types some literal of `files` builds by position: `T{a, b}`, or an elided element
    `{a, b}` of `[]T{...}`, `map[K]*T{...}`."""
    found: set[str] = set()
    for file in files:
        kept = file.memo.get("positional-types")
        if kept is None:
            kept = file.memo["positional-types"] = _positional_types_in(file.tree.root_node)
        found |= kept
    return frozenset(found)


def _positional_types_in(root: Node) -> frozenset[str]:
    found: set[str] = set()
    for _pattern, captures in QueryCursor(load("composite_literals")).matches(root):
        written, body = captures["literal.type"][0], captures["literal.body"][0]
        if _has_positional_element(body):
            found.add(receiver_name(text(written)))
        element = written.child_by_field_name("value" if written.type == "map_type" else "element")
        if written.type in ("slice_type", "array_type", "implicit_length_array_type", "map_type") and element is not None:
            if any(_has_positional_element(inner) for inner in _elided_literals(body)):
                found.add(receiver_name(text(element)))
    return frozenset(found)


def _elided_literals(body: Node) -> list[Node]:
    """The `{...}` elements (or keyed values) of a literal, whose type is the element type."""
    values = []
    for element in body.named_children:
        value = element.child_by_field_name("value") if element.type == "keyed_element" else element
        inner = value.named_children[0] if value is not None and value.type == "literal_element" and value.named_children else None
        if inner is not None and inner.type == "literal_value":
            values.append(inner)
    return values


def _has_positional_element(body: Node) -> bool:
    return any(element.type == "literal_element" for element in body.named_children)


def never_set_ranged(package: PackageIndex) -> frozenset[tuple[str, str]]:
    """(struct, field) of the package's structs whose unexported map or slice field no code of
    the package sets, nil in every value of the struct, and which some `range` walks (`range
    x.f {`). Only those: the answer is part of every cached function's key, and a field no
    range walks changes no answer, so renaming or setting one re-analyses nothing."""
    files = list(package.files.values())
    ranged = _ranged_fields(files)
    if not ranged:
        return frozenset()
    set_anywhere = fields_set(files)
    positional = positional_types(files)
    found: set[tuple[str, str]] = set()
    for struct in package.structs.values():
        if struct.name in positional:
            continue
        for declared in struct.fields:
            name = declared.name
            if name in ranged and name[:1].islower() and name not in set_anywhere and _nil_when_zero(package, declared.type_text):
                found.add((struct.name, name))
    return frozenset(found)


# `range x.f {`, `range *x.f {`: the field a range walks is the last name before the body.
_RANGED = re.compile(rb"\brange\s[^\n{]*?\.(" + ID + rb"+)\s*\{")


def _ranged_fields(files: Iterable[SourceFile]) -> frozenset[str]:
    found: set[str] = set()
    for file in files:
        kept = file.memo.get("ranged-fields")
        if kept is None:
            names = {m.group(1).decode("utf-8", "replace") for m in _RANGED.finditer(file.source)}
            kept = file.memo["ranged-fields"] = frozenset(names)
        found |= kept
    return frozenset(found)


def _nil_when_zero(package: PackageIndex, type_text: str) -> bool:
    """Whether the zero value of the type is a nil map or a nil slice (not an array, whose
    zero has its length)."""
    if package.map_type_of(type_text) is not None:
        return True
    underlying = package.named_types.get(type_text.strip(), type_text.strip())
    return underlying.startswith("[]")
