"""The facts the `json_prints` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import ModuleFacts

NAME = "json_prints"


@dataclass
class JsonPrints:
    # Call indexes of `print(json.dumps(...))`, also through a name bound to the json.dumps.
    calls: set[int] = field(default_factory=set)


def json_print_calls(facts: ModuleFacts) -> set[int]:
    found = facts.structure.get(NAME)
    return found.calls if isinstance(found, JsonPrints) else set()
