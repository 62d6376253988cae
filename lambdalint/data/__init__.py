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


@functools.cache
def runtime_environment() -> frozenset[str]:
    """Every environment variable the Lambda runtime sets itself: the reserved ones and the
    others it defines (reserved_environment.json)."""
    text = resources.files(__name__).joinpath("reserved_environment.json").read_text("utf-8")
    data = json.loads(text)
    return frozenset(data["names"]) | frozenset(data.get("also_defined", ()))
