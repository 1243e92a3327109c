"""`json.Unmarshal` of a document known where it is called: what it stores, place by place.

The document is a string literal, or a string the analysis knows (a parameter every call binds
to one literal), converted with `[]byte(...)`. The target is `&x` of a map with string keys or
of a struct of this package, whose maps and structs, all the way down, are of such kinds and
decode themselves by no method of theirs. Anything else is handed to the decoder as before
(`mark_decoded`: filled from input). See `json_documents` for what the decoder does.
"""
from __future__ import annotations

from tree_sitter import Node

from analyzers.flow.closures import Closures
from analyzers.flow.frames import Env
from analyzers.flow.json_documents import matched_fields, parse_document, plain_key
from analyzers.flow.paths import FIELD, INDEX, Path
from analyzers.flow.syntax import arguments_of, is_address_of, strip
from analyzers.flow.types import normalise
from analyzers.flow.values import LINE, MADE, NIL, UNKNOWN_VAL, OriginKind, Val

# Methods by which a type decodes JSON itself: the decoder calls them instead of storing.
_OWN_DECODERS = ("UnmarshalJSON", "UnmarshalText")
_MAX_DEPTH = 8


class KnownDocuments(Closures):
    def decode_known_document(self, env: Env, call: Node, args: list[Node]) -> bool:
        """Apply `json.Unmarshal(data, &x)` of a known document to `x`; False (nothing done)
        when the document or the target is not one this follows."""
        known = self.known_document_target(env, call)
        if known is None:
            return False
        document, path = known
        self.eval(env, args[0])
        valid, value = parse_document(document)
        if valid:
            self._store(env, path, self.type_of_path(path), value, call)
        return True  # (an invalid document: the decoder stores nothing)

    def known_document_target(self, env: Env, call: Node) -> tuple[str, Path] | None:
        """(document, target path) of `json.Unmarshal([]byte(doc), &x)` (the callee's name
        checked by the caller) when the document is known here and `x` is of a type this
        follows."""
        args = arguments_of(call)
        if len(args) != 2:
            return None
        document = self._known_document(env, args[0])
        target = strip(args[1])
        if document is None or target is None or not is_address_of(target):
            return None
        path = self.path_of(strip(target.child_by_field_name("operand")))
        if path is None or not self._followed_type(self.type_of_path(path), 0):
            return None
        return document, path

    def _known_document(self, env: Env, data: Node) -> str | None:
        """The string `[]byte(s)` converts, when it is known here."""
        converted = strip(data)
        if converted is None or converted.type not in ("type_conversion_expression", "call_expression"):
            return None
        converter = converted.child_by_field_name("type") or converted.child_by_field_name("function")
        operands = arguments_of(converted) if converted.type == "call_expression" else [converted.child_by_field_name("operand")]
        operand = strip(operands[0]) if len(operands) == 1 else None
        if converter is None or operand is None or normalise(self.text_of(converter)) != "[]byte":
            return None
        constant = self.known_constant(operand)
        if isinstance(constant, str):
            return constant
        path = self.path_of(operand)
        known = self.lookup(env, path).known if path is not None else None
        if known is None or len(known) != 1:
            return None
        (value,) = known
        return value if isinstance(value, str) else None

    def _followed_type(self, type_text: str, depth: int) -> bool:
        """Whether a place of `type_text` is one whose decoding this follows: a map with string
        keys, or a struct of this package without embedded fields; neither decoding itself."""
        if depth > _MAX_DEPTH or self._decodes_itself(type_text):
            return False
        map_type = self.types.map_type(type_text)
        if map_type is not None:
            return normalise(map_type).startswith("map[string]")
        struct = self.flow.package.struct_of(type_text) if not type_text.startswith("*") else None
        if struct is None or struct.type_params or any(f.embedded for f in struct.fields):
            return False
        for f in struct.fields:
            field_type = normalise(f.type_text)
            if (self.types.is_map(field_type) or self.flow.package.struct_of(field_type) is not None) and not self._followed_type(field_type, depth + 1):
                return False
        return True

    def _decodes_itself(self, type_text: str) -> bool:
        """A named type of another package (its methods unseen), or one of this package with a
        decoding method."""
        bare = normalise(type_text).lstrip("*")
        if bare.startswith(("map[", "[", "func", "chan", "struct", "interface")) or bare in ("string", "bool", "int"):
            return False
        if "." in bare:
            return True
        return any((bare, method) in self.flow.package.methods for method in _OWN_DECODERS)

    def _store(self, env: Env, path: Path, type_text: str, value: object, call: Node) -> None:
        """What the decoder stores at `path` (of `type_text`, a followed type) for `value`."""
        if self.types.is_map(type_text):
            self._store_map(env, path, value, call)
            return
        if not isinstance(value, dict):
            return  # `null` leaves a struct as it is; another kind is a type error, stored nowhere
        struct = self.flow.package.struct_of(type_text)
        assert struct is not None
        fields = matched_fields(struct.fields, list(value))
        if fields is None:
            for f in struct.fields:
                self.forget(env, path + ((FIELD, f.name),))
            return
        for f in struct.fields:
            if f.name not in fields:
                continue  # no key names it: left as it was
            field_path = path + ((FIELD, f.name),)
            field_type = normalise(f.type_text)
            if self.types.is_map(field_type) or self.flow.package.struct_of(field_type) is not None:
                self._store(env, field_path, field_type, value[fields[f.name]], call)
            else:
                self.forget(env, field_path)

    def _store_map(self, env: Env, path: Path, value: object, call: Node) -> None:
        if value is None:
            self.forget(env, path)
            env[path] = Val(NIL, self.origin(OriginKind.NIL, call, f"set to nil by `json.Unmarshal` of `null` at line {LINE}"))
            return
        if not isinstance(value, dict):
            return  # a type error: the map is left as it was
        steps = [plain_key(key) for key in value]
        before = self.lookup(env, path)
        if before.always_nil:
            # A new map holding the document's keys, what they hold unknown.
            self.forget(env, path)
            keys = None if None in steps else frozenset(step for step in steps if step is not None)
            zero = self.origin(OriginKind.ABSENT_KEY, call, f"decoded at line {LINE}") if keys is not None else None
            env[path] = Val(MADE, zero=zero, keys=keys)
            for step in steps if keys is not None else []:
                env[path + ((INDEX, step),)] = UNKNOWN_VAL
            return
        if before.bits == MADE:
            for step in steps:
                self.forget_entry(env, path, step if step is not None else "key")  # (a key no constant spells: any entry)
            return
        self.forget(env, path)
