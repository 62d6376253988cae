"""Data that changes with AWS, each file with its source and date. Loaded on first use."""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.cache
def reserved_environment() -> frozenset[str]:
    """Environment variable names Lambda reserves (reserved_environment.json)."""
    text = resources.files(__name__).joinpath("reserved_environment.json").read_text("utf-8")
    return frozenset(json.loads(text)["names"])
