"""When the cyclic garbage collector runs: while the user pauses, not in the middle of a check.

A check makes many objects that outlive it (the kept per-function results, the findings),
and Python's full collections scan every object the process holds: with the caches of a
large package that is 80 to 200 ms, which a keystroke's check pays whenever a full
collection falls inside it. So after each check the objects there are now are frozen
(`gc.freeze`: later collections look only at what is made after), and once no check has
ended for `IDLE_SECONDS` they are unfrozen and collected in full, so garbage that a burst
of typing left in cycles is freed in the pause that follows it. A burst that never pauses
is collected in full every `MAX_FROZEN_CHECKS` checks, so what it holds stays bounded.
"""
from __future__ import annotations

import asyncio
import gc

IDLE_SECONDS = 1.0  # no check ended for this long: the user paused
# Checks in a row without a pause before their garbage is collected anyway: each holds its
# cycles until then (up to about 1.7 MB a check on a 3,000-line file).
MAX_FROZEN_CHECKS = 20


class Collector:
    """Freezes the heap after each check and collects it in full when the server is idle."""

    def __init__(self) -> None:
        self._pending: asyncio.TimerHandle | None = None
        self._frozen_checks = 0

    def check_ended(self) -> None:
        self._frozen_checks += 1
        if self._frozen_checks > MAX_FROZEN_CHECKS:
            self.collect()  # a burst without pauses: its garbage is collected now
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
