"""The project phase for Python: link every module's facts, find the handlers and their
handler paths. Resolution lives in imports.py, handler discovery in handlers.py, the call graph
in callgraph.py; this module puts them together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lambdalint.api import FunctionKey, ModuleFile
from lambdalint.frontends.python.callgraph import CallGraph
from lambdalint.frontends.python.facts import OBJECT, CallFact, Value, complete_call
from lambdalint.frontends.python.handlers import declared_handlers, find_callbacks, find_handlers
from lambdalint.frontends.python.imports import MAX_REEXPORT_HOPS, ModuleIndex


class Project(ModuleIndex):
    """Every analysed module, indexed by file, with the handler path computed once."""

    def __init__(
        self, modules: list[ModuleFile], extra_handlers: list[str] = (), src: list[Path] = ()
    ):
        super().__init__(with_factory_calls(ModuleIndex(modules, src), modules), src)
        self.declared_handlers = declared_handlers(self, extra_handlers)
        conventional = find_handlers(self)
        self.handlers = conventional + [h for h in self.declared_handlers if h not in conventional]
        # Functions that run on their own once their owner runs (record handlers): walked after
        # the handlers, so a function both reach is described from its handler.
        self.callbacks = find_callbacks(self, self.handlers)
        self.graph = CallGraph(self)
        self.reach = self.graph.paths([*self.handlers, *(key for key, _ in self.callbacks)])

    def reached_through(self, paths: set[str]) -> set[FunctionKey]:
        """Functions on a handler path that runs through one of these files: the functions of
        the files that a handler reaches, and every function they reach in turn."""
        return set(self.graph.paths([key for key in self.reach if key.path in paths]))


# -- factories in other modules -----------------------------------------------------------


def with_factory_calls(index: ModuleIndex, modules: list[ModuleFile]) -> list[ModuleFile]:
    """`from clients import get_s3` then `get_s3().put_object(...)`: the SDK model of what a
    factory in another module returns. Origins there index another file, so they go.

    The facts given may come from the cache and are shared with later links (fix rounds link
    again), so a module whose calls change gets new facts; the facts given stay as they were."""
    completed = []
    for module in modules:
        facts = module.facts
        if not any(_needs_factory(call) for call in facts.calls):
            completed.append(module)
            continue

        cache: dict[str, Value | None] = {}

        def returned(name: str, module: ModuleFile = module, cache=cache) -> Value | None:
            if name not in cache:
                cache[name] = _returned(index, module, name)
            return cache[name]

        calls = [
            complete_call(call, returned) if _needs_factory(call) else call for call in facts.calls
        ]
        completed.append(replace(module, facts=replace(facts, calls=calls)))
    return completed


def _returned(index: ModuleIndex, module: ModuleFile, name: str) -> Value | None:
    key = index.resolve_target(module, name, MAX_REEXPORT_HOPS)
    if key is None or key.path == module.facts.path:
        return None
    value = index.modules[key.path].facts.returns.get(key.qualname)
    return replace(value, origin=-1) if value is not None else None


def _needs_factory(call: CallFact) -> bool:
    receiver = call.receiver
    return (
        not call.sdk
        and receiver is not None
        and receiver.kind == OBJECT
        and not receiver.sdk
        and not receiver.name.startswith("@")
        and bool(receiver.name)
    )
