"""Which elements of a slice or array the environment knows one by one.

A literal (`[]T{{...}, {}}`) lists every element of its collection; elements stored one by one
(`all[0] = ...`, `all[1].m = make(...)`) sit beside the zero elements of `make([]T, n)` or
of an array. An element at an index that is no constant (`all[i]`) is any of them
(`Core._any_element`).
"""
from __future__ import annotations

from collections.abc import Iterable

from analyzers.flow.paths import INDEX, Path, is_constant_key

# A position at which no element is listed: where a collection of zero values has one.
UNLISTED = "-1"

# The index of the element a `range` reaches in a round: no constant (any element), and no
# text of Go code, so it names no other index.
EACH_ELEMENT = "⟨each⟩"

# The index of the element that stands for every element of a collection a loop set one by
# one (`loop_elements`): listed among the collection's keys, so `Core._any_element` reads it,
# and no constant, so once the collection's keys are forgotten nothing reads it any more.
EVERY_ELEMENT = "⟨every⟩"


def listed_positions(env: dict, container: Path, keys: Iterable[str] | None) -> set[str]:
    """The constant positions of `container` the environment lists (or `keys` names as set)."""
    size = len(container)
    found = set(keys or ())
    for key in env:
        if isinstance(key, tuple) and len(key) > size and key[:size] == container:
            step = key[size]
            if step[0] == INDEX and is_constant_key(step[1]):
                found.add(step[1])
    return found
