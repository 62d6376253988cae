"""The facts the `io_threads` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import ModuleFacts

NAME = "io_threads"


@dataclass(frozen=True)
class Started:
    func: str
    index: int  # the call that starts the work: `.start()`, `.submit()`, `create_task()`
    kind: str  # "thread", "future", "task"
    name: str  # the local name holding the thread/future/task, "" if none


@dataclass
class ThreadFacts:
    started: list[Started] = field(default_factory=list)
    # Per function: names with uses other than their own setup (join, await, handed on...).
    used: dict[str, set[str]] = field(default_factory=dict)
    waits: set[str] = field(default_factory=set)  # functions that wait for futures somewhere
    dropped: set[int] = field(default_factory=set)  # calls whose result is dropped


def thread_facts(facts: ModuleFacts) -> ThreadFacts:
    found = facts.structure.get(NAME)
    return found if isinstance(found, ThreadFacts) else ThreadFacts()
