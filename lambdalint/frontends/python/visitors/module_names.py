"""Names a module binds at its top level (LL505 handler-not-found: `handler = Mangum(app)` is
a handler the runtime can import although no `def handler` exists)."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.module_names import NAME, ModuleNames


class ModuleNamesVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = ModuleNames()
        core.facts.structure[NAME] = self.facts

    def _at_module(self) -> bool:
        return self.core.scope.kind == "module"

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._at_module():
            for target in node.targets:
                self._bind(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._at_module() and node.value is not None:
            self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        if self._at_module():
            self._bind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self._at_module() and node.asname is not None:
            self._bind(node.asname.name)

    def visit_Global(self, node: cst.Global) -> None:
        self.facts.bound.update(item.name.value for item in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_import = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # The core enters the function's scope first: its parent is the module when top-level.
        if node.name.value == "__getattr__" and len(self.core.scopes) == 2:
            self.facts.module_getattr = True

    def _bind(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.facts.bound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)


VISITORS = [ModuleNamesVisitor]
