"""Per-file work in parallel: sequential below a handful of files (so small runs start fast) or
with one job, otherwise in chunks over a process pool.

A worker process can die under a file (a native crash, the memory killer): that costs only the
files it was working on. The chunks lost with a broken pool are run again one file per process,
and a file that kills its process again gets the `lost` result instead of stopping the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from lambdalint.core.deep import on_big_stack

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
    lost: Callable[[Any], Any] | None = None,
    jobs: int | None = None,
) -> list:
    """`[function(item, *args) for item in items]`, in order; `done(result)` as each arrives;
    `lost(item)` stands for the result of an item whose worker process died (the exception is
    raised without `lost`)."""
    workers = min(workers_for(jobs), len(items))
    if len(items) < SEQUENTIAL_BELOW or workers < 2:
        return [_counted(on_big_stack(function, item, *args), done) for item in items]
    # Imported here: a small or single-job run never starts a pool, so it does not pay for it.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # A few chunks per worker: few enough that pickling overhead stays small, enough that one
    # slow file does not leave the other workers idle at the end.
    size = max(1, len(items) // (workers * 4))
    chunks = [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
    results: dict[int, Any] = {}
    retry: list[int] = []
    with ProcessPoolExecutor(max_workers=workers) as executor:
        futures = [
            (chunk, executor.submit(_run_chunk, function, [items[i] for i in chunk], args))
            for chunk in chunks
        ]
        for chunk, future in futures:
            try:
                results.update(zip(chunk, future.result(), strict=True))
            except BrokenProcessPool:
                retry += chunk
                continue
            for index in chunk:
                _counted(results[index], done)
    for index in retry:
        results[index] = _counted(_run_alone(function, items[index], args, lost), done)
    return [results[index] for index in range(len(items))]


def _counted(result: Any, done: Callable[[Any], None] | None) -> Any:
    if done is not None:
        done(result)
    return result


def _run_chunk(function: Callable, items: list, args: tuple) -> list:
    return [on_big_stack(function, item, *args) for item in items]


def _run_alone(function: Callable, item: object, args: tuple, lost: Callable | None) -> Any:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1) as executor:
            return executor.submit(_run_chunk, function, [item], args).result()[0]
    except BrokenProcessPool:
        if lost is None:
            raise
        return lost(item)
