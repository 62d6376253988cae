"""The facts the `handler_shape` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "handler_shape"


@dataclass
class HandlerShape:
    # qualname -> keyword-only parameters without a default
    required_keyword_only: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # module-level functions passed to a call or bound to another name at import time
    wrapped_at_import: set[str] = field(default_factory=set)
