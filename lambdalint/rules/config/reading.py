"""How LL2xx rules read model values: every alternative of a `Val`, or nothing when one of
them cannot be known (the rule then stays silent)."""

from __future__ import annotations

from lambdalint.model import MISSING, UNKNOWN, Function, FunctionUrl, Template, Val
from lambdalint.model.values import as_number


def numbers(val: Val, default: float | None = None) -> list[float] | None:
    """Every alternative as a number; MISSING counts as `default` when one is given.
    None when any alternative is unknown, missing without a default, or not a number."""
    found = []
    for value in val.alternatives:
        if value is MISSING and default is not None:
            found.append(default)
            continue
        if value is UNKNOWN or value is MISSING:
            return None
        number = as_number(value)
        if number is None:
            return None
        found.append(number)
    return found


def texts(val: Val) -> list[str] | None:
    """Every alternative as a string; None when any is not a known string."""
    if not val.alternatives or not all(isinstance(v, str) for v in val.alternatives):
        return None
    return list(val.alternatives)


def show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def function_urls(template: Template) -> list[tuple[FunctionUrl, Function | None]]:
    """Each function URL once, with the function it belongs to when the frontend linked it."""
    found: list[tuple[FunctionUrl, Function | None]] = []
    seen: set[int] = set()
    for function in template.functions:
        if function.url is not None and id(function.url) not in seen:
            seen.add(id(function.url))
            found.append((function.url, function))
    for url in template.urls:
        if id(url) not in seen:
            seen.add(id(url))
            owner = getattr(url, "function", None)  # set by frontends that resolve the target
            found.append((url, owner if isinstance(owner, Function) else None))
    return found
