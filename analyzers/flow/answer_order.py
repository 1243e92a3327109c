"""Which package-level answers depend on the order they were asked in.

The package's summaries (what a function returns, what a method does to its receiver) are
computed on first use, and a question asked again while its own answer is being computed
is answered by a recursion guard (nothing known yet). An answer computed while a guard
answered, or from an answer that did, depends on which question came first: another check
asking in another order could compute another answer. Only answers that depend on nothing
of the kind may be kept across checks (`PackageFlow` keeps function results that way).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager


class AnswerOrder:
    """Tracks, for one package check, the answers that a recursion guard reached."""

    def __init__(self) -> None:
        self._guarded = 0  # answers given by a guard, or by an answer a guard reached
        self._running: set[Hashable] = set()
        self._order_dependent: set[Hashable] = set()

    def reused(self, key: Hashable) -> None:
        """`key`'s answer was asked for again: by a guard (it is being computed), or from the memo."""
        if key in self._running or key in self._order_dependent:
            self._guarded += 1

    @contextmanager
    def computing(self, key: Hashable) -> Iterator[None]:
        """While `key`'s answer is computed: it depends on the order when a guard answered meanwhile."""
        before = self._guarded
        self._running.add(key)
        try:
            yield
        finally:
            self._running.discard(key)
            if self._guarded != before:
                self._order_dependent.add(key)

    def depends_on_order(self, key: Hashable) -> bool:
        return key in self._order_dependent
