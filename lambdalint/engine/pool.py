"""Per-file work in parallel: sequential below a handful of files, so small runs start fast.

A worker process can die under a file (a native crash, the memory killer): that costs only the
files it was working on. The chunks lost with a broken pool are run again one file per process,
and a file that kills its process again gets the `lost` result instead of stopping the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from lambdalint.core.deep import on_big_stack

SEQUENTIAL_BELOW = 16


def map_files(
    function: Callable,
    items: list,
    *args: object,
    done: Callable[[Any], None] | None = None,
    lost: Callable[[Any], Any] | None = None,
) -> list:
    """`[function(item, *args) for item in items]`, in order; `done(result)` as each arrives;
    `lost(item)` stands for the result of an item whose worker process died (the exception is
    raised without `lost`)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < SEQUENTIAL_BELOW or workers < 2:
        return [_counted(on_big_stack(function, item, *args), done) for item in items]
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
    try:
        with ProcessPoolExecutor(max_workers=1) as executor:
            return executor.submit(_run_chunk, function, [item], args).result()[0]
    except BrokenProcessPool:
        if lost is None:
            raise
        return lost(item)
