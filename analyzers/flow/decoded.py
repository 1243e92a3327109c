"""Values filled from outside: decoded configs and fetched API objects (NM004's sources).

Decoding leaves a map field nil when its key is absent from the input. Two kinds of field
are known to be such maps:
- fields of a same-package struct with a decoding tag (`json`, `yaml`, `toml`, `hcl`,
  `mapstructure`, `protobuf`, `xml`, `bson`);
- well-known API fields, kept in `WELL_KNOWN_FIELDS`: Kubernetes object metadata and the
  like, reached through values of Kubernetes-style API types of other packages (`is_api_import`):
  a field named `Labels` of any other type (a CLI command, an options struct) is not one;
  a type of the module whose own metadata is encoded as Kubernetes encodes it
  (`is_metadata_field`, or an embedded `ObjectMeta`) is an API type wherever it lives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DECODING_TAG_KEYS = ("json", "yaml", "toml", "hcl", "mapstructure", "protobuf", "xml", "bson")

# Field name -> (what leaves it nil, a type-name fragment the object's type must contain or "",
# the map's type when it is the same for every object that has the field, for the fix).
WELL_KNOWN_FIELDS: dict[str, tuple[str, str, str]] = {
    "Labels": ("the object has no labels", "", "map[string]string"),
    "Annotations": ("the object has no annotations", "", "map[string]string"),
    "Data": ("the object has no data", "ConfigMap|Secret", ""),
    "BinaryData": ("the object has no binary data", "ConfigMap", "map[string][]byte"),
    "StringData": ("the object has no string data", "Secret", "map[string]string"),
    "Requests": ("the container declares no requests", "Resource|Container", ""),
    "Limits": ("the container declares no limits", "Resource|Container", ""),
    "NodeSelector": ("the pod spec has no node selector", "Pod|Spec|Template", "map[string]string"),
}

# Import paths of API types with such maps: the Kubernetes API, apimachinery's object metadata
# (and unstructured objects), controller-runtime's client objects, the API groups of operators
# and other projects that follow the same conventions (`.../apis/<group>/v1alpha1`), and Google
# Cloud's API messages (`labels` maps of protocol buffers, nil when a request sets none).
_API_IMPORT = re.compile(
    r"^(?:k8s\.io/api/|k8s\.io/apimachinery/pkg/apis/meta/v1(?:/unstructured)?$|sigs\.k8s\.io/controller-runtime/pkg/client$)"
    r"|/apis?/(?:[\w.-]+/)*v\d+(?:(?:alpha|beta)\d+)?$"
    r"|^google\.golang\.org/genproto/googleapis/|^cloud\.google\.com/go/.+/apiv\d+\w*/\w+pb$"
)

# Getters that return one of those maps (`GetAnnotations()` returns the field itself).
WELL_KNOWN_GETTERS: dict[str, str] = {"GetLabels": "Labels", "GetAnnotations": "Annotations"}

# Calls that fill the value passed to them (`json.Unmarshal(data, &c)`, `r.Get(ctx, key, obj)`).
_DECODER_NAMES = re.compile(r"^(?:Unmarshal\w*|Decode\w*|Get|List|Into|ReadJSON|ReadYAML|BindJSON|ShouldBind\w*|Bind)$")


@dataclass(frozen=True)
class Decoded:
    """How a field comes to be nil: which input lacks which key."""

    field: str
    condition: str  # "the decoded YAML has no `labels` key"
    map_type: str = ""  # known for well-known fields of other packages' types


def decoding_tag(tag: str) -> tuple[str, str] | None:
    """(format, key) of the first decoding tag, e.g. ("yaml", "labels"); None when untagged or `-`."""
    for key in DECODING_TAG_KEYS:
        marker = f'{key}:"'
        if marker in tag:
            value = tag.split(marker, 1)[1].split('"', 1)[0]
            name = value.split(",")[0]
            if name == "-":
                return None
            if key == "protobuf":
                parts = dict(p.split("=", 1) for p in value.split(",") if "=" in p)
                name = parts.get("name", name)
            return key, name
    return None


def tagged_condition(field: str, tag: str) -> Decoded | None:
    found = decoding_tag(tag)
    if found is None:
        return None
    fmt, key = found
    formats = {"json": "JSON", "yaml": "YAML", "toml": "TOML", "hcl": "HCL", "xml": "XML", "bson": "BSON", "protobuf": "message", "mapstructure": "input"}
    return Decoded(field, f"the decoded {formats[fmt]} has no `{key or field}` key")


def well_known_condition(field: str, owner_type: str) -> Decoded | None:
    entry = WELL_KNOWN_FIELDS.get(field)
    if entry is None:
        return None
    condition, type_fragment, map_type = entry
    if type_fragment and not re.search(type_fragment, owner_type):
        return None
    return Decoded(field, condition, map_type)


def is_api_import(import_path: str) -> bool:
    """Whether a package holds Kubernetes-style API types, whose well-known maps decoding leaves nil."""
    return _API_IMPORT.search(import_path) is not None


def is_metadata_field(field: str, tag: str) -> bool:
    """Whether a declared field is an API object's metadata as Kubernetes encodes it: `Labels`
    or `Annotations` under the decoding key `labels` or `annotations` (a project's own object
    type, whatever its import path; a CLI command's untagged `Annotations` is not one)."""
    found = decoding_tag(tag)
    return field in WELL_KNOWN_GETTERS.values() and found is not None and found[1] == field.lower()


def qualifier(type_text: str) -> str:
    """`corev1` of `*corev1.Pod` or `[]corev1.Pod` ("" for a type of this package)."""
    bare = type_text.lstrip("*[]").strip()
    return bare.split(".", 1)[0] if "." in bare else ""


# Methods by which a type decodes itself.
UNMARSHAL_METHODS = frozenset({"UnmarshalJSON", "UnmarshalYAML", "UnmarshalText", "UnmarshalTOML", "UnmarshalHCL", "UnmarshalBinary", "Unmarshal", "Decode"})

# A function body that may hand something to a decoder (a cheap test before walking it).
DECODER_TEXT = re.compile(rb"\.(?:Unmarshal|Decode|Get\(|List\(|Into|ReadJSON|ReadYAML|BindJSON|ShouldBind|Bind)")


def is_decoder_call(name: str) -> bool:
    return _DECODER_NAMES.match(name) is not None


def is_foreign_type(type_text: str) -> bool:
    """A named type of another package (`*corev1.Pod`, `metav1.Object`)."""
    bare = type_text.lstrip("*[]").strip()
    return "." in bare and not bare.startswith(("map[", "func", "chan", "struct", "interface"))
