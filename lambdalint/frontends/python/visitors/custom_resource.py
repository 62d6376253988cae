"""Functions that answer CloudFormation as custom resources: a handler reading `RequestType` or
`ResponseURL` from its request, calling `cfnresponse.send`, or built on crhelper. Such a
function runs a few times per deployment, so per-invocation performance advice matters little.
"""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.custom_resource import NAME, CustomResource

REQUEST_KEYS = frozenset({"RequestType", "ResponseURL"})
ANSWERS = ("cfnresponse.send", "crhelper.")


class CustomResourceVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = CustomResource()
        core.facts.structure[NAME] = self.facts

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            self._key(node.slice[0].slice.value)

    def visit_Call(self, node: cst.Call) -> None:
        callee = self.core.named_callee(node)
        if callee.startswith(ANSWERS):
            self._mark()
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
            self._key(node.args[0].value)

    def _key(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.SimpleString) and node.raw_value in REQUEST_KEYS:
            self._mark()

    def _mark(self) -> None:
        # "" for import time: crhelper's `helper = CfnResource()` at module scope.
        self.facts.functions.add(self.core.current_function())


VISITORS = [CustomResourceVisitor]
