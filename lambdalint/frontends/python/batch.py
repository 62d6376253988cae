"""Several visitors in one traversal of the tree (as Fixit batches its rules)."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst


class BatchedVisitor(cst.CSTVisitor):
    """Calls each visitor's `visit_<Node>` / `leave_<Node>` (and `_<attr>` hooks) in order on
    visit, in reverse order on leave, so later visitors see the core extractor's state for the
    node they are in. Sub-visitors never skip children: every one sees the whole tree."""

    def __init__(self, visitors: list[cst.CSTVisitor]):
        self.visitors = visitors
        self._cache: dict[str, list[Callable]] = {}

    def _hooks(self, name: str, reverse: bool = False) -> list[Callable]:
        hooks = self._cache.get(name)
        if hooks is None:
            hooks = [getattr(v, name) for v in self.visitors if hasattr(v, name)]
            self._cache[name] = hooks
        return list(reversed(hooks)) if reverse else hooks

    def on_visit(self, node: cst.CSTNode) -> bool:
        for hook in self._hooks(f"visit_{type(node).__name__}"):
            hook(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        for hook in self._hooks(f"leave_{type(original_node).__name__}", reverse=True):
            hook(original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        for hook in self._hooks(f"visit_{type(node).__name__}_{attribute}"):
            hook(node)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        name = f"leave_{type(original_node).__name__}_{attribute}"
        for hook in self._hooks(name, reverse=True):
            hook(original_node)
