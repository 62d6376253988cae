"""Running work that recurses as deep as the input nests.

libcst's parser (native) and its visitors (Python) recurse once per level of nesting, and
valid Python nests hundreds of levels deep (a 300-branch `elif` chain, a long method chain). The
main thread's 8 MiB stack and the default recursion limit of 1,000 are far too small for that, so
such work runs on a thread of its own with a big stack (reserved, not committed: untouched pages
cost nothing) and a raised recursion limit. The complexity guard before libcst
(`frontends/python/bounds.py`) keeps the depth far below what this stack holds.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 100_000

T = TypeVar("T")


def on_big_stack(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` run on a thread with a big stack; its exception is re-raised here."""
    if getattr(_state, "inside", False):
        return function(*args)
    outcome: dict[str, object] = {}

    def target() -> None:
        _state.inside = True
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread unchanged
            outcome["error"] = exc

    limit = sys.getrecursionlimit()
    previous = threading.stack_size()
    try:
        # Process-wide, so given back afterwards: code around lambdalint (a TOML reader that
        # relies on RecursionError to refuse deep nesting) keeps the limit it knows.
        sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
        threading.stack_size(STACK_BYTES)
        thread = threading.Thread(target=target, name="lambdalint-deep", daemon=True)
        thread.start()
        threading.stack_size(previous)
        thread.join()
    finally:
        threading.stack_size(previous)
        sys.setrecursionlimit(limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


_state = threading.local()
