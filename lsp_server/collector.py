"""When the cyclic garbage collector runs: a short collection after each check, the full one
while the user pauses, never in the middle of a check.

A check makes many objects that outlive it (the kept per-function results, the findings),
and Python's full collections scan every object the process holds: with the caches of a
large package that is 40 to 200 ms, which a keystroke's check pays whenever a full
collection falls inside it. So after each check the objects made since the last check are
collected (a full collection skips the frozen objects, so this one looks only at the
check's own: about a millisecond, and it frees the cycles the check left) and what is left
is frozen (`gc.freeze`: later collections look only at what is made after). What a frozen
collection cannot free are cycles among frozen objects that lost their last outside
reference later (a cached result replaced); once no check has ended for `IDLE_SECONDS`
everything is unfrozen and collected in full, in the pause. A burst that never pauses is
collected in full every `MAX_FROZEN_CHECKS` checks, so what it holds stays bounded.
"""
from __future__ import annotations

import asyncio
import gc

IDLE_SECONDS = 1.0  # no check ended for this long: the user paused
# Checks in a row without a pause before the frozen objects are collected anyway: what
# those checks left in cycles among older objects is held until then (a few kilobytes a
# check on the benchmark's shapes: `benchmarks/README.md`).
MAX_FROZEN_CHECKS = 200


class Collector:
    """Collects each check's garbage when it ends, freezes what is left, and collects the
    whole heap when the server is idle."""

    def __init__(self) -> None:
        self._pending: asyncio.TimerHandle | None = None
        self._frozen_checks = 0

    def check_ended(self) -> None:
        self._frozen_checks += 1
        if self._frozen_checks > MAX_FROZEN_CHECKS:
            self.collect()  # a burst without pauses: what it left among frozen objects, now
        else:
            gc.collect()  # (the objects not frozen: the ones this check made)
        gc.freeze()
        if self._pending is not None:
            self._pending.cancel()
        self._pending = asyncio.get_running_loop().call_later(IDLE_SECONDS, self._idle)

    def _idle(self) -> None:
        self._pending = None
        self.collect()

    def collect(self) -> None:
        """Unfreeze and collect everything: the garbage of the checks since the last time."""
        gc.unfreeze()
        gc.collect()
        self._frozen_checks = 0
