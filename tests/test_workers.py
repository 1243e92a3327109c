"""Worker processes: a task that kills its worker, or fails, costs that task only."""
from __future__ import annotations

import os

from analyzers.workers import MIN_LIMIT, memory_limit, run_all


def task(value: str) -> str:
    if value == "die":
        os._exit(3)  # as the kernel's OOM killer would end it: no exception, no cleanup
    if value == "fail":
        raise ValueError("bad input")
    if value.startswith("hog:"):
        return str(len(bytearray(int(value[4:]))))  # calloc: pages are not touched, only reserved
    return value.upper()


def outcomes(values: list[str], workers: int = 2) -> dict[str, tuple[object, object]]:
    return {o.task[0]: (o.result, o.error) for o in run_all(task, [(v,) for v in values], workers)}


def test_every_task_but_the_one_that_kills_its_worker_finishes() -> None:
    found = outcomes(["a", "b", "die", "c", "d", "e", "f"])
    assert {k: v for k, v in found.items() if k != "die"} == {k: (k.upper(), None) for k in "abcdef"}
    assert found["die"] == (None, "its worker process died (out of memory?)")


def test_a_failing_task_is_reported_and_the_rest_go_on() -> None:
    found = outcomes(["a", "fail", "b"])
    assert found["a"] == ("A", None) and found["b"] == ("B", None)
    assert found["fail"] == (None, "ValueError('bad input')")


def test_memory_is_capped_in_workers() -> None:
    """Just past the cap (well within this machine's memory, when it has a few GiB)."""
    hog = f"hog:{memory_limit(2) + (1 << 30)}"
    found = outcomes([hog, "a"])
    assert found[hog] == (None, "MemoryError()") and found["a"] == ("A", None)
    assert memory_limit(2) >= MIN_LIMIT and memory_limit(1) >= memory_limit(2)
