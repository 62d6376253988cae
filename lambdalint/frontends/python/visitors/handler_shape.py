"""What the core FunctionFact leaves out about how a function can be called (LL117, LL118):
required keyword-only parameters, and functions handed to other code at import time
(`handler = sync_wrapper(main)`), which then are not entry points themselves."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.handler_shape import (
    NAME,
    HandlerShape,
)


class HandlerShapeVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = HandlerShape()
        core.facts.structure[NAME] = self.facts

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        required = tuple(p.name.value for p in node.params.kwonly_params if p.default is None)
        if required:
            # The core has already entered the function's scope: its name is the qualname.
            self.facts.required_keyword_only[self.core.current_function()] = required

    def visit_Call(self, node: cst.Call) -> None:
        if self.core.scope.kind == "module":
            for arg in node.args:
                self._reference(arg.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.core.scope.kind == "module":
            self._reference(node.value)

    def _reference(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name) and node.value in self.core.facts.functions:
            self.facts.wrapped_at_import.add(node.value)


VISITORS = [HandlerShapeVisitor]
