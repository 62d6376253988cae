"""The project phase: link every module's facts, find the handlers and their handler paths."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import CallEdge, FunctionFact, ModuleFacts

MAX_REEXPORT_HOPS = 5


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
        self.declared_handlers = self._declared_handlers(extra_handlers)
        conventional = self._find_handlers()
        self.handlers = conventional + [h for h in self.declared_handlers if h not in conventional]
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
        search = [module.path.parent, *self._parents_up_to(module.path.parent, module.scan_root)]
        return self._lookup_dotted(target, search + self.src, hops)

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
        """Handlers by the signature convention."""
        handlers = []
        for path, module in sorted(self.modules.items()):
            for function in module.facts.functions.values():
                if function.looks_like_handler:
                    handlers.append(FunctionKey(path, function.qualname))
        return handlers

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
        for handler in self.handlers:
            function = self.function(handler)
            start = Reach(
                self.handler_name(handler), NodeRef(handler.path, "FunctionDef", function.index), ()
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
        return edges


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
