"""The cached results a file's functions were served at one check, kept together for the
language server: at the next check a file that did not change is served whole.

A re-check of a package of many files looks up, checks and places the cached result of every
function of every file (about 10 us each), though after an edit usually only one file is new.
For a file whose functions and package facts are those of the package's last check (the same
list of candidates, the same facts in their keys), what held then holds now when every name
changed since gives each function the digest it gave then (`Recheck.holds_for_all`). That
digest depends on a function only through what it observes of the name (`Recheck._same_digest`),
so it is asked once per class of functions that observe the same (`Reach.representatives`), not
once per function; and the events served then are served again when none of the files they
point into changed since (the same file versions: placing them again would give the same).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzers.flow.cache import Closure
    from analyzers.flow.rechecks import Variant
    from analyzers.source import SourceFile


class FileResults:
    """The variants a file's analysed functions were served from at one check, in order, and
    the events served."""

    __slots__ = ("candidates", "facts", "variants", "owns", "events", "files", "checked", "_reach")

    def __init__(
        self,
        candidates: list,
        facts: tuple,
        variants: list[Variant],
        owns: list[tuple[str, int]],
        events: list[Any],
        files: dict[str, SourceFile],
        checked: int,
    ) -> None:
        self.candidates = candidates  # the file's `analysis._candidates` list, kept with its version
        self.facts = facts  # the package facts of the functions' keys
        self.variants = variants
        self.owns = owns  # each function's own code (`Recheck.holds`)
        self.events = events  # as placed at the check `checked`
        self.files = files  # the versions of the package's files the events point into, at that check
        self.checked = checked  # the check (`Recheck.token`) at which every variant held
        self._reach: Reach | None = None

    def serves(self, candidates: list, facts: tuple) -> bool:
        """Whether these are the results of the same functions under the same facts."""
        return candidates is self.candidates and facts == self.facts

    def placed_alike(self, files: dict[str, SourceFile]) -> bool:
        """Whether the events served then are where they would be placed now: no file they
        point into changed."""
        for path, file in self.files.items():  # (one or two: a loop, not a generator, for every file at every check)
            if files.get(path) is not file:
                return False
        return True

    @property
    def reach(self) -> Reach:
        if self._reach is None:
            self._reach = Reach([variant.closure for variant in self.variants], self.owns)
        return self._reach


class Reach:
    """What a group of cached variants reach, by name, as bit masks of their places in the group
    (found for a name when first asked)."""

    def __init__(self, closures: list[Closure | None], owns: list[tuple[str, int]]) -> None:
        self.closures = closures
        self.owns = owns
        self.unbounded = any(closure is None for closure in closures)  # one reaches every declaration
        self.names: frozenset[str] = frozenset().union(*(closure.names for closure in closures if closure is not None))
        self._reaching: dict[str, int] = {}
        self._observing: dict[str, int] = {}
        self._building: dict[str, int] = {}
        self._by_own: dict[tuple[str, int], int] = {}
        for place, own in enumerate(owns):
            self._by_own[own] = self._by_own.get(own, 0) | 1 << place
        self._own_set = frozenset(owns)
        self._classes: dict[tuple[str, frozenset[tuple[str, int]], frozenset[str]], list[int]] = {}

    def representatives(self, name: str, plain: frozenset[tuple[str, int]], fields: frozenset[str]) -> list[int]:
        """One place of each class of the variants reaching `name` that `Recheck._same_digest`
        answers alike, given the declarations of `name` without struct fields (`plain`) and the
        field names of those with (`fields`). Kept by what of those the variants can meet (their
        own code among `plain`, a field some of them names): a field typed on is a new name at
        every check, which none of them names."""
        key = (name, plain & self._own_set, fields & self.names)
        found = self._classes.get(key)
        if found is None:
            found = self._classes[key] = self._classify(name, key[1], key[2])
        return found

    def _classify(self, name: str, plain: frozenset[tuple[str, int]], fields: frozenset[str]) -> list[int]:
        """`representatives`: a variant whose own code is one of `plain` alone (its digest leaves
        its own declaration out); then those building the type (they observe it whole); then the
        others by which of `fields` they observe."""
        reaching = self._mask(self._reaching, name, lambda closure: name in closure.names)
        if not reaching:
            return []
        found: list[int] = []
        own_in_plain = 0
        for own in plain:
            own_in_plain |= self._by_own[own]
        found.extend(_places(own_in_plain & reaching))
        reaching &= ~own_in_plain
        building = reaching & self._mask(self._building, name, lambda closure: name in closure.built)
        if building:
            found.append(_lowest(building))
            reaching &= ~building
        classes = [reaching] if reaching else []
        for field in fields:
            observing = self._mask(self._observing, field, lambda closure: field in closure.names and field not in closure.unseen)  # noqa: B023  (called at once)
            if observing & reaching:
                classes = [part for mask in classes for part in (mask & observing, mask & ~observing) if part]
        found.extend(_lowest(mask) for mask in classes)
        return found

    def _mask(self, table: dict[str, int], name: str, holds: Callable[[Closure], bool]) -> int:
        """The places of the closures `holds` for, kept in `table` by `name` (only a name some
        closure reaches can hold: the others are not kept)."""
        if name not in self.names:
            return 0
        found = table.get(name)
        if found is None:
            found = table[name] = sum(1 << place for place, closure in enumerate(self.closures) if closure is not None and holds(closure))
        return found


def _places(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1
