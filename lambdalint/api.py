"""The rule API: what a rule is given to read. Rules import this, never the engine.

Three contexts, one per rule kind (core/rule.py):

- `CodeContext`: one Python module's facts, with the linked project to ask about the handler
  path (`reach`, `per_invocation`).
- `TemplateContext`: one template's model, with the other templates of the run.
- `ProjectContext`: every function of the model next to the code it runs (`LinkedFunction`,
  `HandlerCode`): the rules that need both worlds (LL104's template-wired names, LL5xx).

This module sits below the engine and the frontends' project analysis and above `core`, the
model and the Python facts. The linked project is described by the `LinkedCode` protocol,
implemented in frontends/python/project.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lambdalint.core.finding import Related
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import CallEdge, CallFact, FunctionFact, ModuleFacts
from lambdalint.model import Function, Resource, Template
from lambdalint.model.index import ModelIndex


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

    def related(self) -> list[Related]:
        """The handler as a finding's related location: where the path starts."""
        return [Related(self.handler_ref, f"handler {self.handler}")]


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
    """What a code rule sees: one module's facts and the linked project to ask about them,
    and the template functions linked to their code (empty when the run has no template)."""

    facts: ModuleFacts
    project: LinkedCode
    functions: list[LinkedFunction] = field(default_factory=list)

    def linked(self, func: str) -> list[tuple[LinkedFunction, Reach]]:
        """The template functions whose handler reaches `func` of this module, with how."""
        return functions_reaching(self.functions, self.facts, func)

    def reach(self, func: str) -> Reach | None:
        """How a handler reaches `func` of this module, or None when no handler does."""
        if not func:
            return None
        return self.project.reach.get(FunctionKey(self.facts.path, func))

    def function(self, func: str) -> FunctionFact | None:
        return self.facts.functions.get(func)

    def call_ref(self, index: int, argument: str = "") -> NodeRef:
        """A call, or with `argument` (a keyword or `#N`, see CallFact.argument_key) one of its
        arguments: findings about one argument point at it."""
        return NodeRef(self.facts.path, "Call", index, argument)

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
    # One index for the whole run (the engine passes the same object to every context), so
    # rules that pair resources across templates stay linear in the number of templates.
    shared_index: ModelIndex | None = None

    @property
    def index(self) -> ModelIndex:
        if self.shared_index is None:
            others = (
                self.templates
                if self.template in self.templates
                else [
                    self.template,
                    *self.templates,
                ]
            )
            self.shared_index = ModelIndex.build(others)
        return self.shared_index

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


# -- project rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlerCode:
    """The code a template function runs, found in the project."""

    module: ModuleFile  # the handler module
    handler: FunctionKey  # the handler the template names, in that module
    function: FunctionFact | None  # its facts; None when the module has no such function
    # The handler module, then every project module importing it runs, then any other module
    # the handler path leads into (one imported inside a function).
    closure: tuple[ModuleFile, ...]
    path: Mapping[FunctionKey, Reach]  # every function this handler reaches, and how

    def reach(self, module: ModuleFacts, func: str) -> Reach | None:
        """How this handler reaches `func` of `module`, or None when it does not."""
        return self.path.get(FunctionKey(module.path, func)) if func else None

    def calls(self) -> Iterator[tuple[ModuleFile, CallFact]]:
        """Every call this function's code runs, as far as it is known: import-time calls of
        the modules in the closure and the calls of every function on the handler path."""
        for module in self.closure:
            for call in module.facts.calls:
                if not call.func or FunctionKey(module.facts.path, call.func) in self.path:
                    yield module, call


@dataclass(frozen=True)
class LinkedFunction:
    """A function of the model next to its code. `function` holds what the template says
    (role, events, environment, timeout...); `code` is None when the code is not in this run
    (an S3 object, an image, another runtime, a path or handler that does not resolve)."""

    function: Function
    template: Template
    handler_file: str  # where the template puts the handler module (display path); "" if unknown
    code: HandlerCode | None


@dataclass
class ProjectContext:
    """What a project rule sees: every function of every template of the run, linked to its
    code, and the linked project (for code no template names)."""

    functions: list[LinkedFunction]
    project: LinkedCode
    templates: list[Template] = field(default_factory=list)
    as_of: datetime.date = field(default_factory=datetime.date.today)
    # Why a rule did not judge something it would have (`--verbose` prints them): a rule
    # that stays silent on what it cannot know says so here, never by printing.
    notes: list[str] = field(default_factory=list)

    def note(self, rule_id: str, text: str) -> None:
        self.notes.append(f"{rule_id}: {text}")

    def modules(self) -> list[ModuleFile]:
        return list(self.project.modules.values())

    def code_context(self, module: ModuleFile) -> CodeContext:
        """The module as a code rule sees it (its handler path, calls by index...)."""
        return CodeContext(module.facts, self.project, self.functions)

    def linked(self, module: ModuleFacts, func: str) -> list[tuple[LinkedFunction, Reach]]:
        """The template functions whose handler reaches `func` of `module`, with how."""
        return functions_reaching(self.functions, module, func)


def functions_reaching(
    functions: list[LinkedFunction], module: ModuleFacts, func: str
) -> list[tuple[LinkedFunction, Reach]]:
    found = []
    for linked in functions:
        reach = linked.code.reach(module, func) if linked.code else None
        if reach is not None:
            found.append((linked, reach))
    return found
