"""Running checks in worker processes, so that one bad package cannot take the run down.

Each worker's address space is capped (a share of the machine's memory), so a runaway
analysis raises MemoryError in that worker instead of waking the kernel's OOM killer,
which may pick any process, the user's editor included. If a worker dies anyway, the jobs
that were in flight are re-run one at a time in a fresh worker: those that finish are
kept, and the one that kills its worker again is reported by name.

Workers never outlive the command: on Linux the kernel kills each one when the process
that started it dies, even by `kill -9` (`PR_SET_PDEATHSIG`); elsewhere a thread in the
worker watches its parent. Ctrl-C is the parent's to handle (it stops the run), so workers
ignore it instead of each printing a traceback.
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Iterator

MIN_LIMIT = 2 << 30  # 2 GiB: below this a big but healthy package could fail


@dataclass
class Outcome:
    """A task's result, or why there is none."""

    task: tuple
    result: Any = None
    error: str | None = None


def memory_limit(workers: int) -> int | None:
    """Bytes of address space for each of `workers` processes: three quarters of the memory, shared."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    return max(total * 3 // 4 // max(workers, 1), MIN_LIMIT)


def _cap_memory(limit: int | None) -> None:
    if limit is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker end when `parent` does, however it ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        watched = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        watched = False
    if os.getppid() != parent:
        os._exit(1)  # the parent is already gone: it died before the request above took effect
    if not watched:
        threading.Thread(target=_watch_parent, args=(parent,), name="nilmap-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _start_worker(parent: int, limit: int | None) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _cap_memory(limit)


def _pool(workers: int, limit: int | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(), limit))


def run_all(function: Callable[..., Any], tasks: list[tuple], workers: int) -> Iterator[Outcome]:
    """`function(*task)` for every task in `workers` processes, yielded as each finishes."""
    limit = memory_limit(workers)
    in_flight_when_broken: list[tuple] = []
    pool = _pool(workers, limit)
    try:
        futures = {pool.submit(function, *task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield Outcome(futures[future], future.result())
            except BrokenProcessPool:
                in_flight_when_broken.append(futures[future])
            except Exception as exc:  # the task itself failed (MemoryError under the cap, say)
                yield Outcome(futures[future], error=repr(exc))
    except BaseException:
        # Ctrl-C, or the caller stopped listening: waiting for the tasks in flight would
        # keep the user waiting; the workers are ended with the process.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    yield from _one_at_a_time(function, in_flight_when_broken, limit)


def _one_at_a_time(function: Callable[..., Any], tasks: list[tuple], limit: int | None) -> Iterator[Outcome]:
    pool: ProcessPoolExecutor | None = None
    try:
        for task in tasks:
            pool = pool or _pool(1, limit)
            try:
                yield Outcome(task, pool.submit(function, *task).result())
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                yield Outcome(task, error="its worker process died (out of memory?)")
            except Exception as exc:
                yield Outcome(task, error=repr(exc))
    finally:
        if pool is not None:
            pool.shutdown()
