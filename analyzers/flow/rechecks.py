"""Cached results checked again cheaply: by what changed since the package's last check.

A cached result is valid while the fingerprint of what it reaches (`Dependencies.fingerprint`)
equals the one it was kept with. Computing that fingerprint costs one digest per name the
function reaches, for every cached function at every check: most of a check of a package of
1,600 methods. Between two checks an edit usually changes the declarations of one name, or
of none (a comment, a function's own body). A fingerprint is made of one digest per name, so
a result found valid at the package's previous check is valid now when each changed name it
reaches gives the same digest now as then (a struct's new field name that it does not
observe changes nothing it sees); only then is the whole fingerprint skipped. Otherwise it is
computed as before, so the answer is the same either way.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # (the function cache holds the last checks: no import at run time)
    from analyzers.flow.cache import Closure, Dependencies, Spans


class Reach(Protocol):
    """What `holds_for_all` asks of a group of variants (`file_results.Reach`, whose module
    imports this one: the protocol keeps the two apart)."""

    closures: list[Closure | None]
    owns: list[tuple[str, int]]
    unbounded: bool
    names: frozenset[str]

    def representatives(self, name: str, plain: frozenset[tuple[str, int]], fields: frozenset[str]) -> Iterable[int]: ...

MAX_PACKAGES = 16  # packages whose last check is remembered (each holds that version's trees)

_TOKENS = itertools.count(1)


class Variant:
    """A function's cached result for one state of what it reaches."""

    __slots__ = ("closure", "fingerprint", "then", "then_key", "events", "checked", "extent", "node_paths")

    def __init__(
        self,
        closure: Closure | None,
        fingerprint: int,
        then: dict[str, Spans | None],
        events: Any,
        checked: int,
    ) -> None:
        self.closure = closure
        self.fingerprint = fingerprint
        self.then = then  # where the declarations its offsets lie in were
        # The state of those files, by which the results kept at one check are placed together
        # (`placing.Placements`).
        self.then_key = tuple(sorted((path, spans.digest if spans is not None else None) for path, spans in then.items()))
        self.events = events
        self.checked = checked  # the last check (`Recheck.token`) whose fingerprint it matched
        # The largest offset its events hold in each file, and the files their nodes lie in
        # (`cache.offsets_held`), once they are asked for.
        self.extent: dict[str, int] | None = None
        self.node_paths: frozenset[str] = frozenset()


class LastChecks:
    """The last check of each package, by its files' paths."""

    def __init__(self) -> None:
        self._last: dict[frozenset[str], tuple[int, Dependencies]] = {}
        self._lock = threading.Lock()

    def start(self, dependencies: Dependencies) -> Recheck:
        """A new check of the package of `dependencies`, remembered as its last one."""
        key = frozenset(dependencies.package.files)
        token = next(_TOKENS)
        with self._lock:
            before = self._last.pop(key, None)
            self._last[key] = (token, dependencies)
            while len(self._last) > MAX_PACKAGES:
                del self._last[next(iter(self._last))]
        return Recheck(dependencies, token, before)

    def clear(self) -> None:
        with self._lock:
            self._last.clear()


class Recheck:
    """Whether cached variants still hold at one check of a package."""

    def __init__(self, now: Dependencies, token: int, before: tuple[int, Dependencies] | None) -> None:
        self.now = now
        self.token = token
        self._previous = 0  # (no token is 0: nothing counts as checked at the previous check)
        self._before: Dependencies | None = None
        self._changed: frozenset[str] | None = None  # (found when first asked: a check may ask of no cached result)
        self._declared: dict[str, tuple[frozenset[tuple[str, int]], frozenset[str]]] = {}
        self._same: dict[tuple[str, bool, frozenset[str]], bool] = {}
        if before is not None and before[1].package is not now.package:
            self._previous, self._before = before
            self._before.previous = None  # (no chain of versions is kept)
            now.previous = self._before

    def holds(self, variant: Variant, own: tuple[str, int]) -> bool:
        """Whether the variant's fingerprint is the current one (and it is marked so)."""
        if not (variant.checked == self._previous and self._unchanged_for(variant.closure, own)):
            if self.now.fingerprint(variant.closure, own) != variant.fingerprint:
                return False
        variant.checked = self.token
        return True

    def holds_for_all(self, reach: Reach, checked: int) -> bool:
        """Whether variants that all held at the check `checked` all hold now, with no
        fingerprint computed: `checked` is the package's previous check and each changed name
        they reach gives them the digest it gave then, asked once per class of what they
        observe of it (`Reach.representatives`). The caller marks them checked."""
        if self._before is None or checked != self._previous:
            return False
        changed = self._changed if self._changed is not None else self._changed_names()  # (asked for every file)
        if not changed:
            return True
        if reach.unbounded:
            return False
        for name in changed & reach.names:
            plain, fields = self._declared.get(name) or self._declare(name, self._before)
            for place in reach.representatives(name, plain, fields):
                closure = reach.closures[place]
                assert closure is not None
                if not self._same_digest(name, closure, reach.owns[place]):
                    return False
        return True

    def _unchanged_for(self, closure: Closure | None, own: tuple[str, int]) -> bool:
        """Whether each changed name the closure reaches gives the digest it gave at the
        previous check (None: it reaches every declaration)."""
        if self._before is None:
            return False
        changed = self._changed if self._changed is not None else self._changed_names()  # (asked for every cached function)
        if closure is None:
            return not changed
        return all(self._same_digest(name, closure, own) for name in changed & closure.names)

    def _changed_names(self) -> frozenset[str]:
        """The names whose declarations changed since the previous check (found when first
        asked: a check may ask of no cached result)."""
        assert self._before is not None
        if self._changed is None:
            self._changed = self.now.changed_since(self._before)
        return self._changed

    def _same_digest(self, name: str, closure: Closure, own: tuple[str, int]) -> bool:
        """Whether `name` gives the closure the digest it gave at the previous check. Kept by
        what the digest reads of the closure (whether it builds the type, which of its fields
        it observes): the methods of a type edited all ask of it."""
        before = self._before
        assert before is not None
        plain, fields = self._declared.get(name) or self._declare(name, before)
        if own in plain:
            return before.name_digest(name, closure, own) == self.now.name_digest(name, closure, own)
        built = name in closure.built
        observed = frozenset() if built else (fields & closure.names) - closure.unseen
        key = (name, built, observed)
        found = self._same.get(key)
        if found is None:
            found = self._same[key] = before.name_digest(name, closure, own) == self.now.name_digest(name, closure, own)
        return found

    def _declare(self, name: str, before: Dependencies) -> tuple[frozenset[tuple[str, int]], frozenset[str]]:
        """The declarations of `name` without struct fields and the field names of those with,
        in either version."""
        plain_then, fields_then = before.declared(name)
        plain_now, fields_now = self.now.declared(name)
        found = self._declared[name] = (plain_then | plain_now, fields_then | fields_now)
        return found
