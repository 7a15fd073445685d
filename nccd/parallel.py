"""Per-document stages on every core: forked workers over chunks of documents
(:func:`chunked`), and compiled corpus-wide kernels on threads (:func:`threaded`).

Workers are forked after the shared state (layout, template index) is built, so
they read it from memory copied on write instead of having it pickled to them;
only each chunk's results travel back. Chunks come back in order, so the output
never depends on how many workers there were.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")

#: ``work(state, lo, hi)``: the results of items ``lo .. hi - 1``, in order.
Work = Callable[[Any, int, int], Sequence[T]]

_STATE: Any = None


def default_jobs() -> int:
    """Every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None) -> int:
    """``jobs`` as a worker count: ``None`` or 0 means every core."""
    if jobs is None or jobs == 0:
        return default_jobs()
    if jobs < 0:
        raise ValueError(f"jobs must be >= 0 (0 = every core), got {jobs}")
    return jobs


def chunked(work: Work, state: Any, n: int, *, jobs: int | None = 1, min_chunk: int = 32,
            progress: Callable[[int, int], None] | None = None) -> list:
    """``work(state, 0, n)`` split over ``jobs`` forked workers, results in order.

    Runs in this process when one job is asked for, when there are too few items
    to be worth a fork, where ``fork`` does not exist, or when other threads are
    running: a thread holding a lock at the fork leaves it held forever in the child.
    """
    jobs = check_jobs(jobs)
    size = max(min_chunk, -(-n // (jobs * 8)))
    bounds = [(lo, min(lo + size, n)) for lo in range(0, n, size)]
    if jobs == 1 or n < 2 * min_chunk or not _may_fork():
        if progress:  # about a hundred ticks, so a progress bar moves
            step = max(1, min(size, 1 + n // 100))
            bounds = [(lo, min(lo + step, n)) for lo in range(0, n, step)]
        out: list = []
        for lo, hi in bounds:
            out.extend(work(state, lo, hi))
            if progress:
                progress(hi, n)
        return out
    global _STATE
    _STATE = state
    out = []
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for part, (_, hi) in zip(pool.map(_run, [(work, lo, hi) for lo, hi in bounds]), bounds):
                out.extend(part)
                if progress:
                    progress(hi, n)
    finally:
        _STATE = None
    return out


def threaded(kernel: Callable[[int, int], T], n: int, *, jobs: int | None = 1) -> list[T]:
    """``kernel(lo, hi)`` over ``jobs`` equal slices of ``range(n)`` on threads, results in
    slice order. For compiled kernels that release the GIL (``nogil``) and write only
    their own arrays; the threads are joined before this returns, so a later fork
    never sees them."""
    jobs = check_jobs(jobs)
    cuts = [n * k // jobs for k in range(jobs + 1)]
    if jobs == 1 or n < 2:
        return [kernel(0, n)]
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(kernel, cuts[:-1], cuts[1:]))


def threaded_blocks(kernel: Callable[[int, int], None], n: int, block: int, *, jobs: int | None = 1) -> None:
    """``kernel(lo, hi)`` for each block ``[lo, hi)`` of ``range(n)``, ``block`` items at a
    time (bounding each call's temporaries), on ``jobs`` threads that each take the next
    block when done with one (blocks differ in work: boilerplate is not spread evenly)."""
    blocks = iter(range(0, n, block))
    lock = threading.Lock()

    def run(_: int, __: int) -> None:
        while True:
            with lock:
                lo = next(blocks, None)
            if lo is None:
                return
            kernel(lo, min(lo + block, n))

    threaded(run, min(check_jobs(jobs), -(-n // block)), jobs=jobs)


def _may_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run(task: tuple[Work, int, int]) -> list:
    work, lo, hi = task
    return list(work(_STATE, lo, hi))
