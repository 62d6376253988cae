"""Writes into module-level state from inside functions (LL115 request-state-in-global).

Only writes whose value comes from a handler's event are kept: module-level caches filled from
configuration, secrets or computed results are the recommended reuse pattern, not a leak.
"""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.facts import EVENT, FUNCTION, OBJECT
from lambdalint.frontends.python.structure_facts.globals_state import (
    EMPTY_FACTORIES,
    NAME,
    RESHAPING_CALLS,
    STORING_METHODS,
    GlobalsState,
    StateWrite,
)


class GlobalsStateVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = GlobalsState()
        core.facts.structure[NAME] = self.facts
        self.counts = {"Assign": -1, "AugAssign": -1, "AnnAssign": -1}
        self.tainted: list[set[str]] = [set()]  # per function: locals holding event data

    def _func(self) -> str:
        return self.core.current_function() if self.core.scope.kind == "function" else ""

    def _count(self, kind: str) -> int:
        self.counts[kind] += 1
        return self.counts[kind]

    # -- assignments ----------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        index = self._count("Assign")
        for target in node.targets:
            self._assignment("Assign", index, target.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assignment("AugAssign", self._count("AugAssign"), node.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        index = self._count("AnnAssign")
        if node.value is not None:
            self._assignment("AnnAssign", index, node.target, node.value)

    def _assignment(
        self, kind: str, index: int, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        func = self._func()
        if not func:
            return
        if isinstance(target, cst.Name):
            if target.value not in self.core.scope.globals:
                tainted = self.from_event(value)
                if tainted or kind != "AugAssign":  # `x += other` keeps what x held
                    self._taint(target, tainted)
                return
            if _is_empty(value, self.core):
                self.facts.resets.add((func, target.value))
            elif self.from_event(value):
                how = f"`global {target.value}` assigned"
                self.facts.writes.append(StateWrite(kind, index, func, target.value, how))
        elif isinstance(target, (cst.Subscript, cst.Attribute)):
            base = self.module_state(target)
            if base and self.from_event(value):
                shape = "[...]" if isinstance(target, cst.Subscript) else f".{target.attr.value}"
                how = f"`{base}{shape} = ...`"
                self.facts.writes.append(StateWrite(kind, index, func, base, how))

    # -- container calls ------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        func = self._func()
        if not func or not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        if method not in STORING_METHODS and method != "clear":
            return
        base = self.module_state(node.func.value)
        if not base:
            return
        if method == "clear":
            self.facts.resets.add((func, base))
        elif any(self.from_event(arg.value) for arg in node.args):
            how = f"`{dotted_name(node.func.value) or base}.{method}(...)`"
            self.facts.writes.append(StateWrite("Call", self.core.call_index, func, base, how))

    # -- helpers --------------------------------------------------------------------------

    def module_state(self, node: cst.BaseExpression) -> str:
        """The module-level name at the root of `X`, `X[k]`, `X.a[k]`; "" for locals, imported
        modules and anything not rooted in a name."""
        while isinstance(node, (cst.Subscript, cst.Attribute)):
            node = node.value
        if not isinstance(node, cst.Name):
            return ""
        name = node.value
        core = self.core
        if name in core.facts.imports or not core.is_module_level(name):
            return ""
        value = core.module_scope.names.get(name)
        if value is None:
            return name
        if value.kind == FUNCTION and value.name.lstrip("@") not in core.facts.classes:
            return ""  # a function object, not state
        if value.kind == OBJECT and getattr(value, "sdk", ""):
            return ""  # an AWS SDK object: `table.update(...)` is an API call, not storage
        return name

    def from_event(self, node: cst.BaseExpression) -> bool:
        """Whether the value is the event's data: the event, what is read from it, literal
        containers holding it, and reshapings of it (json.loads, str(), a method of it). The
        result of any other call is unknown, so it is not event data here."""
        if isinstance(node, cst.Name):
            return node.value in self.tainted[-1] or self._is_event_param(node.value)
        if isinstance(node, (cst.Subscript, cst.Attribute)):
            return self.from_event(node.value)
        if isinstance(node, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
            return any(self.from_event(part) for part in _element_parts(node))
        if isinstance(node, cst.FormattedString):
            return any(
                self.from_event(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
            return self.from_event(node.left) or self.from_event(node.right)
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute) and self.from_event(node.func.value):
                return True
            callee = self.core.resolve(dotted_name(node.func) or "")
            return callee in RESHAPING_CALLS and any(self.from_event(a.value) for a in node.args)
        return False

    def _is_event_param(self, name: str) -> bool:
        scope = self.core.function_scope()
        if scope is None or scope.event_param != name:
            return False
        value = self.core.lookup(name)
        return value is not None and value.kind == EVENT

    # -- local names holding event data ---------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.tainted.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.tainted.pop()

    def visit_For(self, node: cst.For) -> None:
        if self._func():
            self._taint(node.target, self.from_event(node.iter))

    def _taint(self, target: cst.BaseExpression, tainted: bool) -> None:
        if isinstance(target, cst.Name):
            if target.value in self.core.scope.globals:
                return
            if tainted:
                self.tainted[-1].add(target.value)
            else:
                self.tainted[-1].discard(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._taint(element.value, tainted)


def _element_parts(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    parts: list[cst.BaseExpression] = []
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            parts += [element.key, element.value]
        elif isinstance(element, (cst.Element, cst.StarredElement, cst.StarredDictElement)):
            parts.append(element.value)
    return parts


def _is_empty(node: cst.BaseExpression, core: FactExtractor) -> bool:
    if isinstance(node, cst.Name):
        return node.value == "None"
    if isinstance(node, (cst.Dict, cst.List, cst.Set, cst.Tuple)):
        return not node.elements
    if isinstance(node, cst.Call) and not node.args:
        return core.resolve(dotted_name(node.func) or "") in EMPTY_FACTORIES
    return False


VISITORS = [GlobalsStateVisitor]
