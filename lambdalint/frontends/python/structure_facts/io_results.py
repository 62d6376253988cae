"""The facts the `io_results` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import CallFact, ModuleFacts

NAME = "io_results"


@dataclass
class ResultFacts:
    # Identifier-like string literals per function ("" for module scope): the response and
    # request fields it names.
    fields: dict[str, set[str]] = field(default_factory=dict)
    # Calls whose result is dropped (an expression statement, possibly awaited).
    dropped: set[int] = field(default_factory=set)
    # Calls whose result is bound to a plain name: call index (as text: the cache keeps only
    # string keys) -> name.
    bound: dict[str, str] = field(default_factory=dict)
    # Names read for their first item (`resp["Items"][0]`), per function.
    first_item: dict[str, set[str]] = field(default_factory=dict)
    # Calls read for their first item directly (`client.query(...)["Items"][0]`).
    first_item_calls: set[int] = field(default_factory=set)
    # Names returned, yielded or passed to another call, per function ("" for module scope):
    # someone else may look at them.
    handed_on: dict[str, set[str]] = field(default_factory=dict)
    # Calls bound to a name that is only ever probed: read for its first item or tested for
    # emptiness (`if resp["Rules"]:`, `len(items) == 0`), directly or through names bound to
    # its fields (`items = resp["Items"]`). More pages would not change what the code sees.
    probe_only: set[int] = field(default_factory=set)

    def bound_name(self, index: int) -> str:
        """The name a call's result is bound to, or ""."""
        return self.bound.get(str(index), "")


def result_facts(facts: ModuleFacts) -> ResultFacts:
    found = facts.structure.get(NAME)
    return found if isinstance(found, ResultFacts) else ResultFacts()


def sdk_operation(call: CallFact) -> tuple[str, str, str]:
    """(service, operation, sub-resource kind) of an AWS SDK API call, or empty strings."""
    if call.is_sdk_operation:
        return call.service, call.operation or call.method, call.resource_kind
    return "", "", ""
