"""The server's garbage collection: each check's garbage freed when it ends, what is left
frozen, and the whole heap collected when idle."""
from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from lsp_server import collector
from lsp_server.collector import Collector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _garbage_in_a_cycle() -> weakref.ref:
    """An object only the cyclic collector can free, and a way to tell whether it was."""
    return weakref.ref(_Cycle())


@pytest.fixture
def made() -> Iterator[Collector]:
    """A collector, and the collector's state put back afterwards (collection on, nothing frozen)."""
    collector_ = Collector()
    try:
        yield collector_
    finally:
        gc.enable()
        collector_.collect()


async def test_the_cycles_a_check_leaves_are_freed_when_it_ends(made: Collector, monkeypatch) -> None:
    monkeypatch.setattr(collector, "IDLE_SECONDS", 60.0)
    gc.disable()  # no automatic collection between making the garbage and the check's end
    garbage = _garbage_in_a_cycle()
    made.check_ended()
    assert gc.get_freeze_count() > 0
    assert garbage() is None


async def test_cycles_among_frozen_objects_are_held_until_the_server_is_idle_then_collected(made: Collector, monkeypatch) -> None:
    monkeypatch.setattr(collector, "IDLE_SECONDS", 0.05)
    gc.disable()
    kept = [_Cycle()]  # a result a check keeps: frozen with the heap
    garbage = weakref.ref(kept[0])
    made.check_ended()
    gc.enable()
    kept.clear()  # replaced later: a cycle among frozen objects
    gc.collect()  # a collection during the next check does not look at the frozen objects
    assert garbage() is not None
    await asyncio.sleep(0.3)  # idle: unfrozen and collected in full
    assert gc.get_freeze_count() == 0
    assert garbage() is None


async def test_a_burst_without_pauses_is_collected_in_full_every_so_many_checks(made: Collector, monkeypatch) -> None:
    monkeypatch.setattr(collector, "IDLE_SECONDS", 60.0)
    monkeypatch.setattr(collector, "MAX_FROZEN_CHECKS", 1)
    gc.disable()
    kept = [_Cycle() for _ in range(1000)]
    garbage = [weakref.ref(cycle) for cycle in kept]
    made.check_ended()  # frozen with the first check of the burst
    kept.clear()
    made.check_ended()  # the second: past MAX_FROZEN_CHECKS, collected in full first
    assert all(g() is None for g in garbage)
