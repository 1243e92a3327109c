"""Models of what library functions do to the maps handed to them, read from their names.

Decoders fill the value their pointer argument points to only when they succeed: json, yaml,
xml and toml `Unmarshal`, a `Decoder`'s `Decode`, and a package's own wrappers around them
(`unmarshal(path, &m)`, `decodeFile(&m)`), which fail before decoding when the input cannot
be read. A nil map handed to one stays nil where the call's error is not nil, so code that
tolerates that error (`os.IsNotExist(err)`, a logged error, an ignored one) writes a nil map.

Some flag libraries write into the map a pointer given to them points to, without making it:
kingpin's `StringMapVar(&m)` stores each `--flag k=v` as `(*p)[k] = v` (its `stringMapValue.Set`),
so the map must be made before the flags are parsed. pflag's `StringToStringVar` is not one of
them: it makes a fresh map on the first value.

YAML decoders that go through JSON (`github.com/ghodss/yaml`, `sigs.k8s.io/yaml`) turn an empty
or comment-only document into JSON `null`, and decoding `null` into a map sets the map to nil,
a made one too, with a nil error: after `yaml.Unmarshal(b, &m)` the map may be nil even when
the call succeeded. (gopkg.in/yaml leaves the map as it was on empty input.)
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analyzers.flow.syntax import arguments_of, strip
from analyzers.parsing import text

# A callee that decodes into what its pointer argument points to: `Unmarshal`, `unmarshalFile`,
# `yaml.Unmarshal`, `Decode`, `decodeInto`, `readAndUnmarshal`.
_DECODES_INTO = re.compile(r"^(?:[Uu]nmarshal\w*|[Dd]ecode\w*|\w*(?:Unmarshal|Decode))$")


# Methods that write into the map their pointer argument points to, and the import paths that
# must be among the file's imports for the name to mean that library's method.
_WRITES_POINTEE = {"StringMapVar": ("alecthomas/kingpin",)}


# Import paths of YAML libraries that convert to JSON before decoding, and their decoding
# functions (`yaml.Unmarshal(b, &m)`), which set a map to nil for a document that is `null`.
_NULL_DECODING_LIBRARIES = ("github.com/ghodss/yaml", "sigs.k8s.io/yaml")
_NULL_DECODING_FUNCTIONS = frozenset({"Unmarshal", "UnmarshalStrict"})


def decodes_null_document(import_path: str | None, function: str) -> bool:
    """Whether `pkg.function(data, &m)`, `pkg` imported from `import_path`, sets `m` to nil
    (with a nil error) when the document is empty or only comments."""
    return import_path in _NULL_DECODING_LIBRARIES and function in _NULL_DECODING_FUNCTIONS


def writes_pointee(method: str, import_paths: Iterable[str]) -> bool:
    """Whether `x.method(&m)` writes into `m` without making it, in a file with these imports."""
    libraries = _WRITES_POINTEE.get(method)
    return libraries is not None and any(library in path for path in import_paths for library in libraries)


def writes_pointee_methods() -> frozenset[str]:
    """The names of the library methods that write into the map a pointer handed to them points to."""
    return frozenset(_WRITES_POINTEE)


def decodes_into_pointer(callee: str) -> bool:
    """Whether a function or method of this name fills its pointer argument only on success."""
    return _DECODES_INTO.match(callee) is not None


def parameter_names(func: Node) -> list[str]:
    """A function's parameter names by position ("" for unnamed or `_` ones)."""
    names: list[str] = []
    parameters = func.child_by_field_name("parameters")
    for decl in parameters.named_children if parameters is not None else []:
        declared = decl.children_by_field_name("name")
        names.extend(text(n) for n in declared) if declared else names.append("")
    return names


def hands_to_decoder(func: Node, position: int) -> bool:
    """Whether a function passes its parameter at `position` on to a decoder as it is
    (`func readConfig(path string, v any) error { ...; return json.Unmarshal(data, v) }`)."""
    names = parameter_names(func)
    body = func.child_by_field_name("body")
    if position >= len(names) or not names[position] or names[position] == "_" or body is None:
        return False
    name = names[position]
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            continue
        if node.type == "call_expression" and decodes_into_pointer(callee_name(node)):
            if any((arg := strip(a)) is not None and arg.type == "identifier" and text(arg) == name for a in arguments_of(node)):
                return True
        stack.extend(node.named_children)
    return False


def callee_name(call: Node) -> str:
    """The called function's or method's own name: `Unmarshal` of `yaml.Unmarshal(...)`."""
    function = strip(call.child_by_field_name("function"))
    if function is not None and function.type == "selector_expression":
        function = function.child_by_field_name("field")
    return text(function) if function is not None and function.type in ("identifier", "field_identifier") else ""


_CLONE = re.compile(rb"(?<![\w.])([A-Za-z_]\w*)\s*:?=\s*maps\.Clone\(\s*([A-Za-z_]\w*)\s*\)")


def cloned_into(body: bytes, written: set[str]) -> set[str]:
    """The names cloned (`c := maps.Clone(m)`) into one of the `written` names: `maps.Clone` of
    a nil map is nil, so writing the clone of `m` writes a nil `m`'s clone as nil."""
    if b"maps.Clone" not in body:
        return set()  # (a search for the literal first: the pattern tries every byte of a long function)
    return {match.group(2).decode() for match in _CLONE.finditer(body) if match.group(1).decode() in written}
