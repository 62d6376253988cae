"""Values as a template states them: known, unknown (an unresolved reference) or missing."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lambdalint.core.span import Span


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self):  # stay singletons across processes
        return (_marker, (self.name,))


def _marker(name: str) -> _Marker:
    return {"UNKNOWN": UNKNOWN, "MISSING": MISSING}[name]


UNKNOWN: Any = _Marker("UNKNOWN")  # set, but to something we cannot resolve: rules stay silent
MISSING: Any = _Marker("MISSING")  # not set at all: the platform default applies


def as_number(value: Any) -> float | None:
    """A plain value as a number (CloudFormation accepts "30" as well as 30)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value) if "." in value else int(value)
        except ValueError:  # not a number, or beyond int's 4,300-digit conversion limit
            return None
    if isinstance(value, (int, float)):
        return value if _finite(value) else None
    return None


def _finite(number: float) -> bool:
    """1e309 is infinite and a 400-digit integer overflows a float: neither is a setting."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


@dataclass(frozen=True)
class Val:
    """One property value with where it is written.

    `value` is a plain Python value (str, int, float, bool, list, dict of plain values), UNKNOWN
    or MISSING. A conditional (`!If`) has several `possible` values; a rule fires only if it would
    fire for every one of them (`every`), unless its page says otherwise. `span` points at the
    value in the file; for MISSING it is None and rules point at the resource instead."""

    value: Any = MISSING
    span: Span | None = None
    possible: tuple[Any, ...] = ()

    @property
    def alternatives(self) -> tuple[Any, ...]:
        return self.possible or (self.value,)

    @property
    def is_missing(self) -> bool:
        return self.value is MISSING and not self.possible

    @property
    def is_known(self) -> bool:
        return all(v is not UNKNOWN and v is not MISSING for v in self.alternatives)

    def every(self, predicate: Callable[[Any], bool]) -> bool:
        """True only when every possible value is known and satisfies the predicate."""
        return self.is_known and all(predicate(v) for v in self.alternatives)

    def number(self) -> float | None:
        """The value as a number when it is one known number (CloudFormation allows "30")."""
        if self.possible or not self.is_known:
            return None
        return as_number(self.value)

    def text(self) -> str | None:
        """The value as one known string."""
        if self.possible or not isinstance(self.value, str):
            return None
        return self.value


MISSING_VAL = Val()
UNKNOWN_VAL = Val(UNKNOWN)
