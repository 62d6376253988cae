"""Reads of the process environment (LL502 undefined-env-var, LL508 silent-resource-default):
`os.environ["X"]`, `os.environ.get("X"[, default])`, `os.getenv("X"[, default])`, and a
fallback written as `os.environ.get("X") or "default"`. Only reads whose variable name is known
are recorded; a read is *unguarded* when a missing variable fails at once."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.structure_facts.env_reads import NAME, EnvRead, EnvReads
from lambdalint.frontends.python.visitors.env_writes import is_main_test

GETTERS = frozenset({"os.getenv", "os.environ.get"})
# Exceptions a `try:` may catch around `os.environ["X"]` that make the read guarded.
CAUGHT = frozenset({"KeyError", "LookupError", "Exception", "BaseException"})


class EnvReadsVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = EnvReads()
        core.facts.structure[NAME] = self.facts
        self.subscript_index = -1
        self.written: set[int] = set()  # ids of subscripts that are assignment/del targets
        self.fallbacks: dict[int, str | None] = {}  # id of a getter call -> its `or` fallback
        self.used_at_once: set[int] = set()  # ids of getter calls used directly
        self.guards: list[bool] = []  # enclosing `try:` bodies: does each catch KeyError?
        self.main_ifs: list[bool] = []  # enclosing `if` bodies: is each `__name__ == "__main__"`?

    def _func(self) -> str:
        return self.core.current_function() if self.core.scope.kind == "function" else ""

    # -- context --------------------------------------------------------------------------

    def visit_If_body(self, node: cst.If) -> None:
        # Code under `if __name__ == "__main__":` never runs in Lambda: its reads do not count.
        self.main_ifs.append(self.core.scope.kind == "module" and is_main_test(node.test))

    def leave_If_body(self, node: cst.If) -> None:
        self.main_ifs.pop()

    def _record(self, read: EnvRead) -> None:
        if not any(self.main_ifs):
            self.facts.reads.append(read)

    def visit_Try_body(self, node: cst.Try) -> None:
        self.guards.append(any(_catches_key_error(handler) for handler in node.handlers))

    def leave_Try_body(self, node: cst.Try) -> None:
        self.guards.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        self.written.update(id(target.target) for target in node.targets)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.written.add(id(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for target in targets:
            self.written.add(id(target.value if isinstance(target, cst.Element) else target))

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if isinstance(node.operator, cst.Or) and isinstance(node.left, cst.Call):
            right = self.core.evaluate(node.right)
            self.fallbacks[id(node.left)] = right.text

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.used_at_once.add(id(node.value))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)) and self._is_environ(
                target.comparator
            ):
                name = self._name(node.left)
                if name:
                    self.facts.tested.add(name)

    # -- reads ----------------------------------------------------------------------------

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.subscript_index += 1
        if isinstance(node.value, cst.Call):
            self.used_at_once.add(id(node.value))
        if id(node) in self.written or not self._is_environ(node.value):
            return
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        name = self._name(node.slice[0].slice.value)
        if name:
            unguarded = not any(self.guards)
            self._record(EnvRead("Subscript", self.subscript_index, self._func(), name, unguarded))

    def visit_Call(self, node: cst.Call) -> None:
        callee = self.core.resolve(dotted_name(node.func) or "")
        if callee in ("int", "float"):
            self.used_at_once.update(id(arg.value) for arg in node.args[:1])
        if callee not in GETTERS or not node.args or node.args[0].keyword is not None:
            return
        name = self._name(node.args[0].value)
        if not name:
            return
        index, func = self.core.call_index, self._func()
        if len(node.args) > 1:
            default = self.core.evaluate(node.args[1].value).text
            self._record(EnvRead("Call", index, func, name, False, default, True))
        elif id(node) in self.fallbacks:
            default = self.fallbacks[id(node)]
            self._record(EnvRead("Call", index, func, name, False, default, True))
        else:
            # Parents are visited first: whether the None it may return is used at once
            # (`os.getenv("X").split()`, `int(os.getenv("X"))`) is already known.
            unguarded = id(node) in self.used_at_once
            self._record(EnvRead("Call", index, func, name, unguarded))

    # -- helpers --------------------------------------------------------------------------

    def _is_environ(self, node: cst.BaseExpression) -> bool:
        dotted = dotted_name(node)
        return dotted is not None and self.core.resolve(dotted) == "os.environ"

    def _name(self, node: cst.BaseExpression) -> str:
        """The variable name when it is known (a literal or a module constant), else ""."""
        value = self.core.evaluate(node)
        return value.literal if isinstance(value.literal, str) else ""


def _catches_key_error(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for item in types:
        node = item.value if isinstance(item, cst.Element) else item
        if (dotted_name(node) or "").rpartition(".")[2] in CAUGHT:
            return True
    return False


VISITORS = [EnvReadsVisitor]
