"""The project phase: link every module's facts, find the handlers and their handler paths."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import (
    OBJECT,
    CallEdge,
    CallFact,
    FunctionFact,
    ModuleFacts,
    Value,
    complete_call,
)

MAX_REEXPORT_HOPS = 5

# Decorators that make the decorated function a Lambda handler. Methods of Powertools' Logger,
# Tracer and Metrics are known by name (those objects are often made in a shared module);
# the generic names count only when imported from Powertools.
HANDLER_DECORATOR_METHODS = frozenset(
    {"inject_lambda_context", "capture_lambda_handler", "log_metrics"}
)
POWERTOOLS = "aws_lambda_powertools."
POWERTOOLS_HANDLER_DECORATORS = frozenset(
    {"event_source", "idempotent", "batch_processor", "async_batch_processor", "parser"}
)
MIDDLEWARE_FACTORY = "lambda_handler_decorator"


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


class Project:
    """Every analysed module, indexed by file, with the handler path computed once."""

    def __init__(
        self, modules: list[ModuleFile], extra_handlers: list[str] = (), src: list[Path] = ()
    ):
        self.modules = {m.facts.path: m for m in modules}
        self.by_file = {m.path: m for m in modules}
        self.src = list(src)
        # The first part of an absolute import that can name a project module: a file stem or a
        # directory of the project. Most call targets are library calls (`boto3.client`,
        # `os.environ.get`) and are dismissed by this set without any path work.
        self.top_names = {m.path.stem for m in modules} | {
            part for m in modules for part in m.path.parent.parts
        }
        self._resolved: dict[tuple[Path, Path, str], FunctionKey | None] = {}
        self.declared_handlers = self._declared_handlers(extra_handlers)
        self._complete_factory_calls()
        conventional = self._find_handlers()
        self.handlers = conventional + [h for h in self.declared_handlers if h not in conventional]
        # Functions that run on their own once their owner runs (record handlers): walked after
        # the handlers, so a function both reach is described from its handler.
        self.callbacks = self._callbacks()
        self.reach = self._handler_paths()

    # -- resolution -----------------------------------------------------------------------

    def function(self, key: FunctionKey) -> FunctionFact | None:
        module = self.modules.get(key.path)
        return module.facts.functions.get(key.qualname) if module else None

    def resolve_edge(self, module: ModuleFile, edge: CallEdge) -> FunctionKey | None:
        return self.resolve_target(module, edge.target, MAX_REEXPORT_HOPS)

    def resolve_target(self, module: ModuleFile, target: str, hops: int) -> FunctionKey | None:
        if target.startswith("@"):
            return self._callable(module, target[1:])
        if target.startswith("."):
            level = len(target) - len(target.lstrip("."))
            base = module.path.parent
            for _ in range(level - 1):
                base = base.parent
            return self._lookup_dotted(target[level:], [base], hops)
        if target.partition(".")[0] not in self.top_names:
            return None
        key = (module.path.parent, module.scan_root, target)
        if key not in self._resolved:
            directory = module.path.parent
            search = [directory, *self._parents_up_to(directory, module.scan_root)]
            self._resolved[key] = self._lookup_dotted(target, search + self.src, hops)
        return self._resolved[key]

    def _parents_up_to(self, directory: Path, root: Path) -> list[Path]:
        parents = []
        for parent in directory.parents:
            if parent != root and root not in parent.parents:
                break
            parents.append(parent)
        return parents

    def _lookup_dotted(self, dotted: str, search: list[Path], hops: int) -> FunctionKey | None:
        parts = dotted.split(".")
        for directory in search:
            for cut in range(len(parts) - 1, 0, -1):
                module_parts, rest = parts[:cut], parts[cut:]
                candidate = directory.joinpath(*module_parts)
                for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                    found = self.by_file.get(file)
                    if found is not None:
                        return self._member(found, ".".join(rest), hops)
        return None

    def _member(self, module: ModuleFile, name: str, hops: int) -> FunctionKey | None:
        direct = self._callable(module, name)
        if direct is not None:
            return direct
        head, _, rest = name.partition(".")
        reexport = module.facts.imports.get(head)
        if reexport is not None and hops > 0:
            return self.resolve_target(module, reexport + ("." + rest if rest else ""), hops - 1)
        return None

    def _callable(self, module: ModuleFile, qualname: str) -> FunctionKey | None:
        facts = module.facts
        if qualname in facts.functions:
            return FunctionKey(facts.path, qualname)
        if qualname in facts.classes and f"{qualname}.__init__" in facts.functions:
            return FunctionKey(facts.path, f"{qualname}.__init__")
        return None

    # -- handlers and their paths ---------------------------------------------------------

    def _find_handlers(self) -> list[FunctionKey]:
        """Handlers by the signature convention and by the decorators that wrap handlers."""
        middleware = self._middleware_factories()
        handlers = []
        for path, module in sorted(self.modules.items()):
            for function in module.facts.functions.values():
                if function.looks_like_handler or self._handler_decorated(
                    module, function, middleware
                ):
                    handlers.append(FunctionKey(path, function.qualname))
        return handlers

    def _middleware_factories(self) -> set[FunctionKey]:
        """Project functions made into handler decorators by `@lambda_handler_decorator`."""
        found = set()
        for path, module in self.modules.items():
            for function in module.facts.functions.values():
                if any(
                    d.startswith(POWERTOOLS) and d.endswith("." + MIDDLEWARE_FACTORY)
                    for d in function.decorators
                ):
                    found.add(FunctionKey(path, function.qualname))
        return found

    def _handler_decorated(
        self, module: ModuleFile, function: FunctionFact, middleware: set[FunctionKey]
    ) -> bool:
        if function.in_class or function.nested:
            return False
        for decorator in function.decorators:
            last = decorator.rpartition(".")[2]
            if last in HANDLER_DECORATOR_METHODS and "." in decorator:
                return True
            if last in POWERTOOLS_HANDLER_DECORATORS and decorator.startswith(POWERTOOLS):
                return True
            if middleware and decorator:
                target = self.resolve_target(module, decorator, MAX_REEXPORT_HOPS)
                if target in middleware:
                    return True
        return False

    def _callbacks(self) -> list[tuple[FunctionKey, str]]:
        found = []
        for _, module in sorted(self.modules.items()):
            for target, why in module.facts.callbacks:
                key = self.resolve_target(module, target, MAX_REEXPORT_HOPS)
                if key is not None and key not in self.handlers:
                    found.append((key, why))
        return list(dict.fromkeys(found))

    def _declared_handlers(self, specs: list[str]) -> list[FunctionKey]:
        """Handlers named by configuration (`path/to/mod.py:func`); templates add theirs later.
        These are authoritative: rules such as LL118 check their signatures."""
        handlers = []
        for spec in specs:
            file_part, _, name = spec.rpartition(":")
            file_part = file_part.removeprefix("./")
            for path, module in sorted(self.modules.items()):
                named = path == file_part or path.endswith("/" + file_part)
                if named and name in module.facts.functions:
                    handlers.append(FunctionKey(path, name))
        return list(dict.fromkeys(handlers))

    def handler_name(self, key: FunctionKey) -> str:
        return f"{self.modules[key.path].facts.module}.{key.qualname}"

    def _handler_paths(self) -> dict[FunctionKey, Reach]:
        """For every function a handler reaches, the first handler (and shortest route) to it.

        Calls under a lazy-initialisation guard and bodies of cached functions run once per
        environment, so the walk does not go through them."""
        reach: dict[FunctionKey, Reach] = {}
        edges = self._edges_by_caller()
        roots = [*self.handlers, *(key for key, _ in self.callbacks)]
        for handler in roots:
            function = self.function(handler)
            if function is None:
                continue
            start = Reach(
                self.handler_name(handler),
                NodeRef(handler.path, "FunctionDef", function.index),
                (),
            )
            queue = deque([(handler, start)])
            seen = {handler}
            while queue:
                key, route = queue.popleft()
                reach.setdefault(key, route)
                function = self.function(key)
                if function is None or (function.cached and key != handler):
                    continue
                for edge, callee in edges.get(key, ()):
                    if edge.guarded or callee in seen:
                        continue
                    seen.add(callee)
                    queue.append(
                        (callee, Reach(route.handler, route.handler_ref, (*route.via, edge.text)))
                    )
        return reach

    def _edges_by_caller(self) -> dict[FunctionKey, list[tuple[CallEdge, FunctionKey]]]:
        edges: dict[FunctionKey, list[tuple[CallEdge, FunctionKey]]] = {}
        for module in self.modules.values():
            for edge in module.facts.edges:
                callee = self.resolve_edge(module, edge)
                if callee is not None:
                    caller = FunctionKey(module.facts.path, edge.caller)
                    edges.setdefault(caller, []).append((edge, callee))
            # Nested functions run when their enclosing function calls them; a call to one by
            # name is an ordinary edge, already recorded.
        self._route_edges(edges)
        return edges

    # -- event-handler resolvers ----------------------------------------------------------

    def _route_edges(self, edges: dict[FunctionKey, list[tuple[CallEdge, FunctionKey]]]) -> None:
        """`app.resolve(event, context)` runs the routes registered on `app` (`@app.get(...)`)
        and on every router included into it (`app.include_router(router)`)."""
        routes: dict[tuple[str, str], list[tuple[FunctionKey, str]]] = {}
        included: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for module in self.modules.values():
            for resolver, qualname, display in module.facts.routes:
                owner = self.locate_object(module, resolver)
                if owner is not None and qualname in module.facts.functions:
                    key = FunctionKey(module.facts.path, qualname)
                    routes.setdefault(owner, []).append((key, display))
            for resolver, router in module.facts.includes:
                owner = self.locate_object(module, resolver)
                member = self.locate_object(module, router)
                if owner is not None and member is not None:
                    included.setdefault(owner, []).append(member)
        if not routes:
            return
        for module in self.modules.values():
            for caller, resolver, index in module.facts.resolves:
                owner = self.locate_object(module, resolver)
                if owner is None:
                    continue
                key = FunctionKey(module.facts.path, caller)
                for route, display in self._routes_of(owner, routes, included):
                    edge = CallEdge(caller, "", index, f"{route.qualname} ({display})")
                    edges.setdefault(key, []).append((edge, route))

    def _routes_of(self, owner, routes, included) -> list[tuple[FunctionKey, str]]:
        found, pending, seen = [], [owner], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            found.extend(routes.get(current, ()))
            pending.extend(included.get(current, ()))
        return found

    def locate_object(self, module: ModuleFile, target: str) -> tuple[str, str] | None:
        """Where a module-level object named by a target lives: (module path, name)."""
        return self._locate(module, target, MAX_REEXPORT_HOPS)

    def _locate(self, module: ModuleFile, target: str, hops: int) -> tuple[str, str] | None:
        if target.startswith("@"):
            return module.facts.path, target[1:]
        if target.startswith("."):
            level = len(target) - len(target.lstrip("."))
            base = module.path.parent
            for _ in range(level - 1):
                base = base.parent
            search, dotted = [base], target[level:]
        else:
            parents = self._parents_up_to(module.path.parent, module.scan_root)
            search, dotted = [module.path.parent, *parents, *self.src], target
        parts = dotted.split(".")
        for directory in search:
            for cut in range(len(parts) - 1, 0, -1):
                candidate = directory.joinpath(*parts[:cut])
                for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                    found = self.by_file.get(file)
                    if found is None:
                        continue
                    name = ".".join(parts[cut:])
                    reexport = found.facts.imports.get(name)
                    if reexport is not None and hops > 0:
                        return self._locate(found, reexport, hops - 1)
                    return found.facts.path, name
        return None

    # -- factories in other modules -------------------------------------------------------

    def _complete_factory_calls(self) -> None:
        """`from clients import get_s3` then `get_s3().put_object(...)`: the SDK model of what a
        factory in another module returns. Origins there index another file, so they go."""
        for module in self.modules.values():
            facts = module.facts
            if not any(self._needs_factory(call) for call in facts.calls):
                continue

            cache: dict[str, Value | None] = {}

            def returned(name: str, module: ModuleFile = module, cache=cache) -> Value | None:
                if name not in cache:
                    cache[name] = self._returned(module, name)
                return cache[name]

            facts.calls = [
                complete_call(call, returned) if self._needs_factory(call) else call
                for call in facts.calls
            ]

    def _returned(self, module: ModuleFile, name: str) -> Value | None:
        key = self.resolve_target(module, name, MAX_REEXPORT_HOPS)
        if key is None or key.path == module.facts.path:
            return None
        value = self.modules[key.path].facts.returns.get(key.qualname)
        return replace(value, origin=-1) if value is not None else None

    @staticmethod
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


@dataclass
class CodeContext:
    """What a code rule sees: one module's facts and the linked project to ask about them."""

    facts: ModuleFacts
    project: Project

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
