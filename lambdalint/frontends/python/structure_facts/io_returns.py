"""The facts the `io_returns` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import ModuleFacts

NAME = "io_returns"


@dataclass(frozen=True)
class Unserializable:
    func: str
    kind: str  # "Return" (the value is returned) or "Call" (a json.dumps that raises)
    index: int  # pre-order index among nodes of that kind
    what: str


@dataclass
class ReturnFacts:
    problems: list[Unserializable] = field(default_factory=list)


def return_facts(facts: ModuleFacts) -> ReturnFacts:
    found = facts.structure.get(NAME)
    return found if isinstance(found, ReturnFacts) else ReturnFacts()
