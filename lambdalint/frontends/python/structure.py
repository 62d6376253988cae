"""Structural fact visitors that join the one shared pass (try/except around record loops,
returns, threads...). Each lives in its own module under `visitors/` and is a libcst visitor
constructed with the core FactExtractor, whose state (`core.current_function()`,
`core.evaluate(expr)`, `core.call_index`, `core.facts`) it may read. It writes only its own entry
of `facts.structure` (keyed by its module name), as plain picklable data."""

from __future__ import annotations

import importlib
import pkgutil


def _collect() -> list[type]:
    import lambdalint.frontends.python.visitors as package

    visitors: list[type] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        visitors.extend(getattr(module, "VISITORS", ()))
    return visitors


STRUCTURE_VISITORS: list[type] = _collect()
