"""Per-file work in parallel: sequential below a handful of files, so small runs start fast."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

SEQUENTIAL_BELOW = 16


def map_files(function: Callable, items: list, *args: object) -> Iterable:
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < SEQUENTIAL_BELOW or workers < 2:
        return [function(item, *args) for item in items]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return list(
            executor.map(function, items, *[[a] * len(items) for a in args], chunksize=chunk)
        )
