"""Per-file work in parallel: sequential below a handful of files, so small runs start fast."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

SEQUENTIAL_BELOW = 16


def map_files(
    function: Callable, items: list, *args: object, done: Callable[[Any], None] | None = None
) -> Iterable:
    """`function(item, *args)` for every item, in order; `done(result)` as each arrives."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < SEQUENTIAL_BELOW or workers < 2:
        return [_counted(function(item, *args), done) for item in items]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        results = executor.map(function, items, *[[a] * len(items) for a in args], chunksize=chunk)
        return [_counted(result, done) for result in results]


def _counted(result: object, done: Callable[[Any], None] | None) -> object:
    if done is not None:
        done(result)
    return result
