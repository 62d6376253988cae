"""What happens to a call's result: dropped, kept in a name, read for its first item, handed on;
and which field names a function mentions (`"NextToken"`, `"UnprocessedItems"`).

LL120 (missing-pagination) and LL123 (unchecked-batch-write) read these facts.
"""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.io_results import NAME, ResultFacts

MAX_FIELD_NAME = 64


def _call_of(node: cst.BaseExpression) -> cst.Call | None:
    if isinstance(node, cst.Await):
        node = node.expression
    return node if isinstance(node, cst.Call) else None


def _is_zero(node: cst.SubscriptElement) -> bool:
    index = node.slice
    return isinstance(index, cst.Index) and (
        isinstance(index.value, cst.Integer) and index.value.value == "0"
    )


class ResultVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.out = ResultFacts()
        core.facts.structure[NAME] = self.out

    def _func(self) -> str:
        return self.core.current_function()

    # Pre-order: a statement is visited before the calls inside it, and a call before the calls
    # in its callee and arguments, so "the next call" is `core.call_index + 1`.

    def visit_Expr(self, node: cst.Expr) -> None:
        if _call_of(node.value) is not None:
            self.out.dropped.add(self.core.call_index + 1)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._bind(node.targets[0].target.value, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, cst.Name):
            self._bind(node.target.value, node.value)

    def _bind(self, name: str, value: cst.BaseExpression) -> None:
        if _call_of(value) is not None:
            self.out.bound[str(self.core.call_index + 1)] = name

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        func = self._func()
        if "b" in node.prefix.lower():
            return
        try:
            text = node.evaluated_value
        except Exception:  # noqa: BLE001 - an invalid escape is no field name
            return
        if isinstance(text, str) and len(text) <= MAX_FIELD_NAME and text.isidentifier():
            self.out.fields.setdefault(func, set()).add(text)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        func = self._func()
        if not func or len(node.slice) != 1 or not _is_zero(node.slice[0]):
            return
        base: cst.BaseExpression = node.value
        gets = 0  # `.get("Items", [])` calls in the chain are visited before the inner call
        while True:
            if isinstance(base, cst.Subscript):
                base = base.value
            elif (
                isinstance(base, cst.Call)
                and isinstance(base.func, cst.Attribute)
                and base.func.attr.value == "get"
                and all(not isinstance(a.value, cst.Call) for a in base.args)
            ):
                gets += 1
                base = base.func.value
            else:
                break
        if isinstance(base, cst.Name):
            self.out.first_item.setdefault(func, set()).add(base.value)
        elif isinstance(base, cst.Call):
            self.out.first_item_calls.add(self.core.call_index + 1 + gets)

    def visit_Arg(self, node: cst.Arg) -> None:
        self._hand_on(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._hand_on(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self._hand_on(node.value)

    def _hand_on(self, value: cst.BaseExpression) -> None:
        names = self.out.handed_on.setdefault(self._func(), set())
        if isinstance(value, cst.Name):
            names.add(value.value)
        elif isinstance(value, (cst.Tuple, cst.List)):
            names.update(e.value.value for e in value.elements if isinstance(e.value, cst.Name))
        elif isinstance(value, cst.Dict):
            names.update(
                e.value.value
                for e in value.elements
                if isinstance(e, cst.DictElement) and isinstance(e.value, cst.Name)
            )


VISITORS = [ResultVisitor]
