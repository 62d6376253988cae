"""Per-file work in parallel: sequential below a handful of files (so small runs start fast) or
with one job, otherwise in chunks over a process pool."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

SEQUENTIAL_BELOW = 16
MAX_AUTO_WORKERS = 8


def workers_for(jobs: int | None) -> int:
    """The worker count: `jobs` when given (>= 1), else one per core up to MAX_AUTO_WORKERS."""
    if jobs:
        return jobs
    return min(os.cpu_count() or 1, MAX_AUTO_WORKERS)


def map_files(
    function: Callable,
    items: list,
    *args: object,
    done: Callable[[Any], None] | None = None,
    jobs: int | None = None,
) -> Iterable:
    """`function(item, *args)` for every item, in order; `done(result)` as each arrives."""
    workers = min(workers_for(jobs), len(items))
    if len(items) < SEQUENTIAL_BELOW or workers < 2:
        return [_counted(function(item, *args), done) for item in items]
    from concurrent.futures import ProcessPoolExecutor

    # A few chunks per worker: few enough that pickling overhead stays small, enough that one
    # slow file does not leave the other workers idle at the end.
    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        results = executor.map(function, items, *[[a] * len(items) for a in args], chunksize=chunk)
        return [_counted(result, done) for result in results]


def _counted(result: object, done: Callable[[Any], None] | None) -> object:
    if done is not None:
        done(result)
    return result
