"""The call graph and the handler path: every function a handler reaches, and the first
handler (with the shortest route) that reaches it. Powertools event-handler resolvers add
edges from `app.resolve(...)` to the routes registered on `app`."""

from __future__ import annotations

from collections import deque

from lambdalint.api import FunctionKey, Reach
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import CallEdge
from lambdalint.frontends.python.imports import ModuleIndex

Edges = dict[FunctionKey, list[tuple[CallEdge, FunctionKey]]]


class CallGraph:
    """Resolved call edges of the whole project, computed once, walked from any roots."""

    def __init__(self, index: ModuleIndex):
        self.index = index
        self.edges = edges_by_caller(index)

    def paths(self, roots: list[FunctionKey]) -> dict[FunctionKey, Reach]:
        """For every function a root reaches, the first root (and shortest route) to it.

        Calls under a lazy-initialisation guard and bodies of cached functions run once per
        environment, so the walk does not go through them."""
        reach: dict[FunctionKey, Reach] = {}
        for root in roots:
            function = self.index.function(root)
            if function is None:
                continue
            start = Reach(
                self.index.handler_name(root),
                NodeRef(root.path, "FunctionDef", function.index),
                (),
            )
            queue = deque([(root, start)])
            seen = {root}
            while queue:
                key, route = queue.popleft()
                reach.setdefault(key, route)
                function = self.index.function(key)
                if function is None or (function.cached and key != root):
                    continue
                for edge, callee in self.edges.get(key, ()):
                    if edge.guarded or callee in seen:
                        continue
                    seen.add(callee)
                    queue.append(
                        (callee, Reach(route.handler, route.handler_ref, (*route.via, edge.text)))
                    )
        return reach


def edges_by_caller(index: ModuleIndex) -> Edges:
    edges: Edges = {}
    for module in index.modules.values():
        for edge in module.facts.edges:
            caller = FunctionKey(module.facts.path, edge.caller)
            callee = index.resolve_edge(module, edge)
            if callee is not None:
                edges.setdefault(caller, []).append((edge, callee))
            if edge.dispatch:
                # The instance may be of a subclass that overrides the method, or defines it
                # when this class does not (template-method dispatch).
                declared = FunctionKey(module.facts.path, edge.target.lstrip("@"))
                for override in index.overrides(declared):
                    if override != callee:
                        edges.setdefault(caller, []).append((edge, override))
        # Nested functions run when their enclosing function calls them; a call to one by
        # name is an ordinary edge, already recorded.
    _route_edges(index, edges)
    return edges


# -- event-handler resolvers --------------------------------------------------------------


def _route_edges(index: ModuleIndex, edges: Edges) -> None:
    """`app.resolve(event, context)` runs the routes registered on `app` (`@app.get(...)`)
    and on every router included into it (`app.include_router(router)`)."""
    routes: dict[tuple[str, str], list[tuple[FunctionKey, str]]] = {}
    included: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for module in index.modules.values():
        for resolver, qualname, display in module.facts.routes:
            owner = index.locate_object(module, resolver)
            if owner is not None and qualname in module.facts.functions:
                key = FunctionKey(module.facts.path, qualname)
                routes.setdefault(owner, []).append((key, display))
        for resolver, router in module.facts.includes:
            owner = index.locate_object(module, resolver)
            member = index.locate_object(module, router)
            if owner is not None and member is not None:
                included.setdefault(owner, []).append(member)
    if not routes:
        return
    for module in index.modules.values():
        for caller, resolver, call_index in module.facts.resolves:
            owner = index.locate_object(module, resolver)
            if owner is None:
                continue
            key = FunctionKey(module.facts.path, caller)
            for route, display in _routes_of(owner, routes, included):
                edge = CallEdge(caller, "", call_index, f"{route.qualname} ({display})")
                edges.setdefault(key, []).append((edge, route))


def _routes_of(owner, routes, included) -> list[tuple[FunctionKey, str]]:
    found, pending, seen = [], [owner], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        found.extend(routes.get(current, ()))
        pending.extend(included.get(current, ()))
    return found
