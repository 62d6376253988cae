"""Writes to the process environment (LL119 reserved-env-override): `os.environ[k] = v`,
`del os.environ[k]`, `os.environ.update/setdefault/pop/popitem/clear`, `os.putenv/unsetenv`."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.structure_facts.env_writes import (
    ENVIRON_METHODS,
    EVERY_VARIABLE,
    NAME,
    EnvWrite,
    EnvWrites,
)


class EnvWritesVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = EnvWrites()
        core.facts.structure[NAME] = self.facts
        self.assign_index = -1
        self.del_index = -1
        self.main_depth = 0
        self.main_ifs: list[bool] = []

    def _func(self) -> str:
        return self.core.current_function() if self.core.scope.kind == "function" else ""

    def _record(self, kind: str, index: int, names: list[str], how: str) -> None:
        if names:
            self.facts.writes.append(
                EnvWrite(kind, index, self._func(), tuple(names), how, self.main_depth > 0)
            )

    # -- `if __name__ == "__main__":` -----------------------------------------------------

    def visit_If_body(self, node: cst.If) -> None:
        is_main = self.core.scope.kind == "module" and is_main_test(node.test)
        self.main_ifs.append(is_main)
        self.main_depth += is_main

    def leave_If_body(self, node: cst.If) -> None:
        self.main_depth -= self.main_ifs.pop()

    # -- writes ---------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        self.assign_index += 1
        names = []
        for target in node.targets:
            names += self._environ_keys(target.target)
        self._record("Assign", self.assign_index, names, "`os.environ[...] = ...`")

    def visit_Del(self, node: cst.Del) -> None:
        self.del_index += 1
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        names = []
        for target in targets:
            inner = target.value if isinstance(target, cst.Element) else target
            names += self._environ_keys(inner)
        self._record("Del", self.del_index, names, "`del os.environ[...]`")

    def visit_Call(self, node: cst.Call) -> None:
        func_node = node.func
        if isinstance(func_node, cst.Attribute) and self.is_environ(func_node.value):
            method = func_node.attr.value
            if method in ENVIRON_METHODS:
                how = f"`os.environ.{method}(...)`"
                self._record("Call", self.core.call_index, self._method_keys(method, node), how)
            return
        callee = self.core.resolve(dotted_name(func_node) or "")
        if callee in ("os.putenv", "os.unsetenv") and node.args:
            name = self._literal(node.args[0].value)
            self._record("Call", self.core.call_index, [name] if name else [], f"`{callee}()`")

    # -- helpers --------------------------------------------------------------------------

    def is_environ(self, node: cst.BaseExpression) -> bool:
        dotted = dotted_name(node)
        if dotted is None:
            return False
        if self.core.resolve(dotted) == "os.environ":
            return True
        # `env = os.environ` inside a function keeps the name it was read from.
        value = self.core.lookup(dotted) if "." not in dotted else None
        return value is not None and value.name == "os.environ"

    def _environ_keys(self, target: cst.BaseExpression) -> list[str]:
        if isinstance(target, (cst.Tuple, cst.List)):  # `key, os.environ["AWS_REGION"] = ...`
            return [
                name
                for element in target.elements
                for name in self._environ_keys(
                    element.value.value
                    if isinstance(element, cst.StarredElement)
                    else element.value
                )
            ]
        if not isinstance(target, cst.Subscript) or not self.is_environ(target.value):
            return []
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return []
        name = self._literal(target.slice[0].slice.value)
        return [name] if name else []

    def _method_keys(self, method: str, node: cst.Call) -> list[str]:
        if method in ("clear", "popitem"):
            return [EVERY_VARIABLE]
        if method in ("setdefault", "pop"):
            name = self._literal(node.args[0].value) if node.args else ""
            return [name] if name else []
        names = []  # update(mapping, **more)
        for arg in node.args:
            if arg.keyword is not None:
                names.append(arg.keyword.value)
            elif isinstance(arg.value, cst.Dict) and not arg.star:
                for element in arg.value.elements:
                    if isinstance(element, cst.DictElement):
                        name = self._literal(element.key)
                        if name:
                            names.append(name)
        return names

    def _literal(self, node: cst.BaseExpression) -> str:
        """The variable name when it is known (a literal or a module constant), else ""."""
        value = self.core.evaluate(node)
        return value.literal if isinstance(value.literal, str) else ""


def is_main_test(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = {s.value for s in sides if isinstance(s, cst.Name)}
    strings = {s.evaluated_value for s in sides if isinstance(s, cst.SimpleString)}
    return (
        isinstance(test.comparisons[0].operator, cst.Equal)
        and names == {"__name__"}
        and strings == {"__main__"}
    )


VISITORS = [EnvWritesVisitor]
