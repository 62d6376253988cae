"""The rule API: what a rule is given to read. Rules import this, never the engine.

It sits below the engine and the frontends' project analysis and above `core`, the model and
the Python facts: a context holds facts and model objects, and the linked project behind a
`CodeContext` is described by the `LinkedCode` protocol, implemented in
`frontends/python/project.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import CallEdge, CallFact, FunctionFact, ModuleFacts
from lambdalint.model import Resource, Template


@dataclass(frozen=True)
class FunctionKey:
    path: str  # display path of the module
    qualname: str


@dataclass(frozen=True)
class Reach:
    """How a handler reaches a function: the handler and the calls on the way."""

    handler: str  # "app.lambda_handler"
    handler_ref: NodeRef
    via: tuple[str, ...]  # call texts from the handler to the function, e.g. ("load()", "audit()")

    def describe(self) -> str:
        if not self.via:
            return f"in handler {self.handler}"
        return f"called from {self.handler} via {' -> '.join(self.via)}"


@dataclass(frozen=True)
class ModuleFile:
    facts: ModuleFacts
    path: Path  # absolute
    scan_root: Path


class LinkedCode(Protocol):
    """The linked Python project, as code rules may ask about it."""

    modules: Mapping[str, ModuleFile]  # by display path
    handlers: Sequence[FunctionKey]
    declared_handlers: Sequence[FunctionKey]  # named by configuration or a template
    reach: Mapping[FunctionKey, Reach]  # every function a handler reaches, and how

    def function(self, key: FunctionKey) -> FunctionFact | None: ...

    def resolve_edge(self, module: ModuleFile, edge: CallEdge) -> FunctionKey | None: ...

    def resolve_target(self, module: ModuleFile, target: str, hops: int) -> FunctionKey | None: ...

    def locate_object(self, module: ModuleFile, target: str) -> tuple[str, str] | None: ...


@dataclass
class CodeContext:
    """What a code rule sees: one module's facts and the linked project to ask about them."""

    facts: ModuleFacts
    project: LinkedCode

    def reach(self, func: str) -> Reach | None:
        """How a handler reaches `func` of this module, or None when no handler does."""
        if not func:
            return None
        return self.project.reach.get(FunctionKey(self.facts.path, func))

    def function(self, func: str) -> FunctionFact | None:
        return self.facts.functions.get(func)

    def call_ref(self, index: int) -> NodeRef:
        return NodeRef(self.facts.path, "Call", index)

    def per_invocation(self, call: CallFact) -> Reach | None:
        """How a handler reaches a call that runs on every invocation; None for import-time
        code, lazy-initialisation guards, cached functions and functions no handler reaches."""
        if call.guarded or not call.func:
            return None
        function = self.function(call.func)
        if function is None or function.cached:
            return None
        return self.reach(call.func)

    def call_at(self, index: int) -> CallFact | None:
        """The call of this module with that pre-order index (a Value's `origin`)."""
        calls = self.facts.calls
        if 0 <= index < len(calls) and calls[index].index == index:
            return calls[index]
        return next((call for call in calls if call.index == index), None)


@dataclass
class TemplateContext:
    """What a template rule sees: one template's model, the others of the run, the date."""

    template: Template
    templates: list[Template] = field(default_factory=list)
    as_of: datetime.date = field(default_factory=datetime.date.today)

    def resources(self) -> list[Resource]:
        t = self.template
        return [
            *t.functions,
            *t.roles,
            *t.queues,
            *t.buckets,
            *t.topics,
            *t.tables,
            *t.log_groups,
            *t.permissions,
            *t.urls,
            *(event for function in t.functions for event in function.events),
            *t.unattached_events,
        ]
