"""Map fields of decoded values whose type nilmap cannot read.

A decode target of a type from a module that is not in the tree (`var msg wrp.Message`,
filled by `wrp.NewDecoderBytes(b, f).Decode(&msg)`) has fields whose types are unknown.
An index write with a string constant for key (`msg.Metadata["k"] = v`, or a named
constant of the package) says the field is a map: a slice, an array or a string cannot be
indexed by a string, and a pointer to a map cannot be indexed at all. Decoding leaves a map field nil when its key is absent, as it does for the
package's own tagged structs; the value was declared zero and only the decoder filled it.

Only a value the function decoded itself counts (not a parameter: its callers may have
filled the map), only a type of a package that is neither read (the module's own, replaced or
vendored: its declarations say what the field is), nor the standard library's, nor an API
package's (Kubernetes objects: their maps are listed in `decoded`, and an unstructured
object's decoder makes `Object` whatever the input).
"""
from __future__ import annotations

from dataclasses import replace

from analyzers.flow.decoded import is_api_import, is_foreign_type, qualifier
from analyzers.flow.paths import FIELD, Path
from analyzers.flow.types import TypeView
from analyzers.flow.values import EXTERNAL, UNKNOWN, OriginKind, Val

_STRING_QUOTES = ('"', "`")  # a key folded to a string constant (a literal, or a named constant's)


def unread_decoded_map(types: TypeView, map_path: Path, key: str, parent: Val, parent_type: str, field_type: str) -> Val | None:
    """What the field at `map_path` holds when it is written with the key `key` (as a path
    step: a constant's literal, `"partner-ids"`): a map decoding may have left nil, when the
    key is a string constant and the field's owner (`parent`, of type `parent_type`) is a value
    this function decoded whose type's package cannot be read; else None."""
    if field_type or key[:1] not in _STRING_QUOTES or len(map_path) < 2 or map_path[-1][0] != FIELD:
        return None
    source = parent.external
    if source is None or source.kind is not OriginKind.DECODED or not is_foreign_type(parent_type) or parent_type.startswith("["):
        return None
    if types.struct_of(parent_type) is not None or not _unread_import(types, qualifier(parent_type)):
        return None
    field = map_path[-1][1]
    return Val(EXTERNAL | UNKNOWN, external=replace(source, condition=f"the decoded input has no `{field}`"))


def _unread_import(types: TypeView, name: str) -> bool:
    """Whether the import `name` is a package of another module whose source is not here
    (not the standard library, whose paths have no dot in their first element)."""
    import_path = types.import_path(name)
    if not import_path or "." not in import_path.split("/", 1)[0] or is_api_import(import_path):
        return False  # an API package's objects are described by the well-known fields (`decoded`)
    return types.foreign(name) is None
