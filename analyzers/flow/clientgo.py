"""client-go's typed clients: the objects their calls return are fetched from the API server.

`clientset.CoreV1().ConfigMaps(ns).Get(ctx, name, opts)` (or `Get` on a field typed
`v1.ConfigMapInterface` of `k8s.io/client-go/kubernetes/typed/core/v1`) returns a
`*corev1.ConfigMap` decoded from the server's answer: its `Data`, `Labels` and `Annotations`
are nil when the object has none, as those of an object filled by controller-runtime's
`r.Get(ctx, key, &cm)` are. `Create`, `Update`, `Patch` and `Apply` return the object as the
server stored it, `List` a list of them.

The resource is read from the call's text: the group client (`CoreV1()`, `AppsV1()`) and the
resource's plural (`ConfigMaps(ns)`), or the typed interface's name (`ConfigMapInterface`) and
the import path of its package.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TYPED_PREFIX = "k8s.io/client-go/kubernetes/typed/"
CLIENTSET = "k8s.io/client-go/kubernetes"

# Methods of a typed resource client and what they return: the object, or a list of them.
_RETURNS = {"Get": "", "Create": "", "Update": "", "UpdateStatus": "", "Patch": "", "Apply": "", "ApplyStatus": "", "List": "List"}
FETCHING_METHODS = tuple(sorted(_RETURNS))

# `.CoreV1().ConfigMaps(ns).Get`: the group client, its version and the resource's plural.
_CHAIN = re.compile(r"\.([A-Z][A-Za-z]*?)(V\d+(?:(?:alpha|beta)\d+)?)\(\)\s*\.\s*([A-Z]\w*)\([^()]*\)$")
# `v1.ConfigMapInterface` of a typed package.
_INTERFACE = re.compile(r"^\*?(\w+)\.([A-Z]\w*)Interface$")
# A typed package's group and version: `core/v1` of `.../typed/core/v1`.
_TYPED = re.compile(r"^" + re.escape(TYPED_PREFIX) + r"([a-z0-9.]+)/(v\d+(?:(?:alpha|beta)\d+)?)$")


@dataclass(frozen=True)
class Fetched:
    """What a typed client's call returns: the API object's kind and the import path of its API package."""

    kind: str  # `ConfigMap`, `ConfigMapList`
    api_import: str  # `k8s.io/api/core/v1`


def fetched_by_chain(receiver_text: str, method: str, imports: dict[str, str]) -> Fetched | None:
    """`clientset.CoreV1().ConfigMaps(ns)` called with `method`, in a file with `imports`."""
    if method not in _RETURNS or CLIENTSET not in imports.values() and not any(p.startswith(TYPED_PREFIX) for p in imports.values()):
        return None
    match = _CHAIN.search(normalise_space(receiver_text))
    if match is None:
        return None
    group, version, plural = match.groups()
    return Fetched(singular(plural) + _RETURNS[method], f"k8s.io/api/{group.lower()}/{version.lower()}")


def fetched_by_interface(receiver_type: str, method: str, imports: dict[str, str]) -> Fetched | None:
    """A value typed `v1.ConfigMapInterface` (client-go's typed package) called with `method`."""
    match = _INTERFACE.match(receiver_type.strip())
    if method not in _RETURNS or match is None:
        return None
    qualifier, kind = match.groups()
    typed = _TYPED.match(imports.get(qualifier, ""))
    if typed is None or kind.endswith(("V1", "Client")) or re.search(r"V\d+(?:(?:alpha|beta)\d+)?$", kind):
        return None  # (a group client, `CoreV1Interface`, returns clients, not objects)
    group, version = typed.groups()
    return Fetched(kind + _RETURNS[method], f"k8s.io/api/{group}/{version}")


def type_in_file(fetched: Fetched, imports: dict[str, str]) -> str:
    """`*corev1.ConfigMap` when the file imports the API package (under any name), else ""."""
    for qualifier, path in imports.items():
        if path == fetched.api_import:
            return f"*{qualifier}.{fetched.kind}"
    return ""


def singular(plural: str) -> str:
    """The kind of a resource's plural: `ConfigMaps` -> `ConfigMap`, `NetworkPolicies` ->
    `NetworkPolicy`, `Ingresses` -> `Ingress`, `Endpoints` stays."""
    if plural == "Endpoints":
        return plural
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    if plural.endswith("sses"):
        return plural[:-2]
    return plural[:-1] if plural.endswith("s") else plural


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", "", text)
