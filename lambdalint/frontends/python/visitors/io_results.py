"""What happens to a call's result: dropped, kept in a name, read for its first item, handed on;
and which field names a function mentions (`"NextToken"`, `"UnprocessedItems"`).

LL120 (missing-pagination) and LL123 (unchecked-batch-write) read these facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.io_results import NAME, ResultFacts

MAX_FIELD_NAME = 64
# Calls that only print what they are given: a response passed to them is not handed on.
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)


def _is_log_call(node: cst.Call) -> bool:
    func = node.func
    if isinstance(func, cst.Name):
        return func.value == "print"
    return isinstance(func, cst.Attribute) and func.attr.value in LOG_METHODS


def _call_of(node: cst.BaseExpression) -> cst.Call | None:
    if isinstance(node, cst.Await):
        node = node.expression
    return node if isinstance(node, cst.Call) else None


def _is_zero(node: cst.SubscriptElement) -> bool:
    index = node.slice
    return isinstance(index, cst.Index) and (
        isinstance(index.value, cst.Integer) and index.value.value == "0"
    )


def _chain_base(node: cst.BaseExpression) -> cst.Name | None:
    """The name under a chain of field reads (`resp["Items"]`, `resp.get("Items", [])`)."""
    while True:
        if isinstance(node, cst.Name):
            return node
        if isinstance(node, cst.Subscript):
            if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
                return None
            key = node.slice[0].slice.value
            if not isinstance(key, cst.SimpleString) and not _is_zero(node.slice[0]):
                return None
            node = node.value
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "get"
            and all(isinstance(a.value, (cst.SimpleString, cst.List, cst.Dict)) for a in node.args)
        ):
            node = node.func.value
        else:
            return None


def _tested(node: cst.BaseExpression) -> list[cst.Name]:
    """The names a condition only tests for emptiness: `x`, `not x`, `x["K"]`, `len(x) > 0`,
    also as operands of `and` / `or`."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return _tested(node.expression)
    if isinstance(node, cst.BooleanOperation):
        return _tested(node.left) + _tested(node.right)
    if isinstance(node, cst.Comparison):
        left = node.left
        if (
            len(node.comparisons) == 1
            and isinstance(left, cst.Call)
            and isinstance(left.func, cst.Name)
            and left.func.value == "len"
            and len(left.args) == 1
            and isinstance(node.comparisons[0].comparator, cst.Integer)
            and node.comparisons[0].comparator.value in ("0", "1")
        ):
            node = left.args[0].value
        else:
            return []
    base = _chain_base(node)
    return [base] if base is not None else []


@dataclass
class _Probes:
    """Per function: which names hold a call's result and whether each use only probes it."""

    roots: dict[str, int] = field(default_factory=dict)  # name -> call index it derives from
    rebound: set[str] = field(default_factory=set)
    uses: dict[str, int] = field(default_factory=dict)  # every occurrence of the name
    probes: dict[str, int] = field(default_factory=dict)  # occurrences that only probe


class ResultVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.out = ResultFacts()
        core.facts.structure[NAME] = self.out
        self.probes: dict[str, _Probes] = {}
        self.probe_nodes: set[int] = set()  # id() of Name nodes that are probes or bindings
        self.log_args: set[int] = set()  # id() of the arguments of print / logging calls

    def _probes(self) -> _Probes:
        return self.probes.setdefault(self._func(), _Probes())

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
        probes = self._probes()
        if name in probes.roots:
            probes.rebound.add(name)
        if _call_of(value) is not None:
            self.out.bound[str(self.core.call_index + 1)] = name
        base = _chain_base(value)
        if base is not None and base.value in probes.roots:  # `items = resp.get("Items", [])`
            probes.roots.setdefault(name, probes.roots[base.value])
            self.probe_nodes.add(id(base))
        elif _call_of(value) is not None:
            probes.roots.setdefault(name, self.core.call_index + 1)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self.probe_nodes.add(id(node.target))  # a binding, not a use

    def visit_If(self, node: cst.If) -> None:
        self.probe_nodes.update(id(name) for name in _tested(node.test))

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.probe_nodes.update(id(name) for name in _tested(node.test))

    def visit_Name(self, node: cst.Name) -> None:
        # A use in a nested function is a use for every function around it (a closure).
        for scope in self.core.scopes:
            if scope.kind == "function":
                outer = self.probes.setdefault(scope.name, _Probes())
                outer.uses[node.value] = outer.uses.get(node.value, 0) + 1
        probes = self._probes()
        if not self._func():
            probes.uses[node.value] = probes.uses.get(node.value, 0) + 1
        if id(node) in self.probe_nodes:
            probes.probes[node.value] = probes.probes.get(node.value, 0) + 1

    def leave_Module(self, original_node: cst.Module) -> None:
        for probes in self.probes.values():
            by_root: dict[int, list[str]] = {}
            for name, root in probes.roots.items():
                by_root.setdefault(root, []).append(name)
            for root, names in by_root.items():
                if all(
                    name not in probes.rebound
                    and probes.uses.get(name, 0) == probes.probes.get(name, 0)
                    for name in names
                ):
                    self.out.probe_only.add(root)

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
            if _chain_base(node) is base:
                self.probe_nodes.add(id(base))
        elif isinstance(base, cst.Call):
            self.out.first_item_calls.add(self.core.call_index + 1 + gets)

    def visit_Call(self, node: cst.Call) -> None:
        if _is_log_call(node):
            self.log_args.update(id(arg) for arg in node.args)

    def visit_Arg(self, node: cst.Arg) -> None:
        if id(node) not in self.log_args:
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
