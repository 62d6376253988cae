"""Several visitors in one traversal of the tree (as Fixit batches its rules)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import libcst as cst

Hooks = tuple[Callable, ...]
NO_HOOKS: Hooks = ()
# node name -> (attribute or "") -> [(visitor position, method name)]
HookNames = dict[str, dict[str, list[tuple[int, str]]]]


@functools.lru_cache(maxsize=8)
def _hook_names(visitor_types: tuple[type, ...]) -> tuple[HookNames, HookNames]:
    """The node hooks the visitor classes define, found once per set of classes. libcst's
    typed base visitor defines a no-op for every node type; those are left out."""
    visits: HookNames = {}
    leaves: HookNames = {}
    for position, visitor_type in enumerate(visitor_types):
        for name in dir(visitor_type):
            for prefix, table in (("visit_", visits), ("leave_", leaves)):
                if not name.startswith(prefix):
                    continue
                node, _, attribute = name[len(prefix) :].partition("_")
                if not node[:1].isupper():
                    continue  # not a node hook: libcst node names are CamelCase
                if getattr(visitor_type, name) is getattr(cst.CSTVisitor, name, None):
                    continue
                table.setdefault(node, {}).setdefault(attribute, []).append((position, name))
    return visits, leaves


class BatchedVisitor(cst.CSTVisitor):
    """Calls each visitor's `visit_<Node>` / `leave_<Node>` (and `_<attr>` hooks) in order on
    visit, in reverse order on leave, so later visitors see the core extractor's state for the
    node they are in. Sub-visitors never skip children: every one sees the whole tree.

    The traversal calls these methods for every node and every attribute of every node, so the
    hooks are looked up once per node type."""

    def __init__(self, visitors: list[cst.CSTVisitor]):
        self.visitors = visitors
        self._names = _hook_names(tuple(type(v) for v in visitors))
        self._by_type: dict[type, tuple[Hooks, Hooks, dict, dict]] = {}

    def _bind(self, entries: list[tuple[int, str]], reverse: bool) -> Hooks:
        hooks = tuple(getattr(self.visitors[position], name) for position, name in entries)
        return tuple(reversed(hooks)) if reverse else hooks

    def _hooks_for(self, node_type: type) -> tuple[Hooks, Hooks, dict, dict]:
        entry = self._by_type.get(node_type)
        if entry is None:
            visits, leaves = (table.get(node_type.__name__, {}) for table in self._names)
            entry = (
                self._bind(visits.get("", []), reverse=False),
                self._bind(leaves.get("", []), reverse=True),
                {a: self._bind(e, reverse=False) for a, e in visits.items() if a},
                {a: self._bind(e, reverse=True) for a, e in leaves.items() if a},
            )
            self._by_type[node_type] = entry
        return entry

    def on_visit(self, node: cst.CSTNode) -> bool:
        for hook in self._hooks_for(type(node))[0]:
            hook(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        for hook in self._hooks_for(type(original_node))[1]:
            hook(original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        by_attribute = self._hooks_for(type(node))[2]
        if by_attribute:
            for hook in by_attribute.get(attribute, NO_HOOKS):
                hook(node)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        by_attribute = self._hooks_for(type(original_node))[3]
        if by_attribute:
            for hook in by_attribute.get(attribute, NO_HOOKS):
                hook(original_node)
