"""How functions read an event's records (LL507 first-record-only) and whether they answer with
`batchItemFailures` (LL506 batch-response-mismatch)."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.structure_facts.batch_errors import FAILURES_KEY
from lambdalint.frontends.python.structure_facts.event_records import NAME, EventRecords

RECORDS = "Records"
PARTIAL_RESPONSE = "process_partial_response"


class EventRecordsVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = EventRecords()
        core.facts.structure[NAME] = self.facts
        self.subscript_index = -1
        self.indexed: set[int] = set()  # ids of records expressions under a constant index

    def _func(self) -> str:
        return self.core.current_function() if self.core.scope.kind == "function" else ""

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.subscript_index += 1
        if not _is_records(node.value):
            return
        self.indexed.add(id(node.value))
        if _constant_index(node) == 0:
            self.facts.first_record.append((self._func(), self.subscript_index))
        else:
            self.facts.all_records.add(self._func())  # `records[i]`, `records[1:]`, ...

    def visit_Call(self, node: cst.Call) -> None:
        if any(_is_records(arg.value) for arg in node.args):
            self.facts.all_records.add(self._func())  # `len(records)`, `process(records)`
        callee = self.core.resolve(dotted_name(node.func) or "")
        if callee.rpartition(".")[2] == PARTIAL_RESPONSE:
            self.facts.all_records.add(self._func())

    def visit_For(self, node: cst.For) -> None:
        if _is_records(node.iter):
            self.facts.all_records.add(self._func())

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if _is_records(node.iter):
            self.facts.all_records.add(self._func())

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        if isinstance(value, cst.Dict) and any(
            isinstance(element, cst.DictElement) and _string(element.key) == FAILURES_KEY
            for element in value.elements
        ):
            self.facts.returns_failures.add(self._func())
        if isinstance(value, cst.Call):
            callee = self.core.resolve(dotted_name(value.func) or "")
            if callee.rpartition(".")[2] == PARTIAL_RESPONSE:
                self.facts.returns_failures.add(self._func())


def _is_records(node: cst.BaseExpression) -> bool:
    """`x["Records"]` or `x.get("Records")` (any `x`: the event, or a name holding it)."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        return isinstance(index, cst.Index) and _string(index.value) == RECORDS
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return (
            node.func.attr.value == "get"
            and bool(node.args)
            and (_string(node.args[0].value) == RECORDS)
        )
    return False


def _constant_index(node: cst.Subscript) -> int | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.slice[0].slice.value
    return int(value.value) if isinstance(value, cst.Integer) else None


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


VISITORS = [EventRecordsVisitor]
