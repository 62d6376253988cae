"""`print(json.dumps(...))`: a structured log line (LL113 print-logging leaves it alone), told
apart from a print with text around the JSON (`print("event: " + json.dumps(event))`)."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.json_prints import NAME, JsonPrints

JSON_DUMPS = frozenset({"json.dumps", "simplejson.dumps", "orjson.dumps", "ujson.dumps"})


class JsonPrintsVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = JsonPrints()
        core.facts.structure[NAME] = self.facts
        self.json_names: dict[str, set[str]] = {}  # function -> names bound to a json.dumps

    def visit_Assign(self, node: cst.Assign) -> None:
        names = self.json_names.setdefault(self.core.current_function(), set())
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if self._dumps(node.value):
                    names.add(target.target.value)
                else:
                    names.discard(target.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if self.core.named_callee(node) != "print" or len(node.args) != 1 or node.args[0].star:
            return
        printed = node.args[0].value
        names = self.json_names.get(self.core.current_function(), set())
        if self._dumps(printed) or (isinstance(printed, cst.Name) and printed.value in names):
            self.facts.calls.add(self.core.call_index)

    def _dumps(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Call) and self.core.named_callee(node) in JSON_DUMPS


VISITORS = [JsonPrintsVisitor]
