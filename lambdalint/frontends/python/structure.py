"""Structural fact visitors that join the one shared pass (try/except around record loops,
returns, threads...). Each is a libcst visitor constructed with the core FactExtractor, whose
state (`core.current_function()`, `core.evaluate(expr)`, `core.call_index`, `core.facts`) it may
read; it writes its own fields of ModuleFacts."""

from __future__ import annotations

STRUCTURE_VISITORS: list[type] = []
