"""Uses of APIs that are not public (LL116 non-public-api): the imports of a module, reads of
`AWS_LAMBDA_RUNTIME_API`, and Runtime API URLs written in strings."""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.structure_facts.runtime_api import (
    EXTENSION_API_PATHS,
    NAME,
    RUNTIME_API_PATH,
    RUNTIME_API_VARIABLE,
    ImportUse,
    RuntimeApi,
    RuntimeApiUse,
)


class RuntimeApiVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.facts = RuntimeApi()
        core.facts.structure[NAME] = self.facts
        self.counts = {
            kind: -1
            for kind in ("Import", "ImportFrom", "Subscript", "SimpleString", "FormattedString")
        }
        self.type_checking = 0
        self.ifs: list[bool] = []
        self.written: set[int] = set()  # ids of subscripts assigned or deleted, not read

    def _count(self, kind: str) -> int:
        self.counts[kind] += 1
        return self.counts[kind]

    def _func(self) -> str:
        return self.core.current_function() if self.core.scope.kind == "function" else ""

    def _use(self, kind: str, index: int, what: str) -> None:
        self.facts.uses.append(RuntimeApiUse(kind, index, self._func(), what))

    # -- imports --------------------------------------------------------------------------

    def visit_If_body(self, node: cst.If) -> None:
        dotted = dotted_name(node.test) or ""
        is_guard = dotted in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        self.ifs.append(is_guard)
        self.type_checking += is_guard

    def leave_If_body(self, node: cst.If) -> None:
        self.type_checking -= self.ifs.pop()

    def visit_Import(self, node: cst.Import) -> None:
        index = self._count("Import")
        names = tuple(filter(None, (dotted_name(alias.name) for alias in node.names)))
        self._import("Import", index, names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        index = self._count("ImportFrom")
        if node.relative or node.module is None:
            return  # the project's own modules
        base = dotted_name(node.module) or ""
        names = [base]
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                name = dotted_name(alias.name)
                if name:
                    names.append(f"{base}.{name}")
        self._import("ImportFrom", index, tuple(names))

    def _import(self, kind: str, index: int, names: tuple[str, ...]) -> None:
        if names:
            self.facts.imports.append(ImportUse(kind, index, names, self.type_checking > 0))

    # -- the Runtime API ------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._written(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._written(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._written(node.target)

    def _written(self, target: cst.BaseExpression) -> None:
        """`os.environ["AWS_LAMBDA_RUNTIME_API"] = ...` sets the variable (LL119's business;
        local emulators do it), it does not use the Runtime API."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._written(element.value)
        elif isinstance(target, cst.Subscript):
            self.written.add(id(target))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        index = self._count("Subscript")
        if id(node) in self.written:
            return
        env = self.core.env_read(node)
        if env is not None and env.name == RUNTIME_API_VARIABLE:
            self._use("Subscript", index, "variable")

    def visit_Call(self, node: cst.Call) -> None:
        env = self.core.env_read(node)
        if env is not None and env.name == RUNTIME_API_VARIABLE:
            self._use("Call", self.core.call_index, "variable")

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # The raw text is enough for these ASCII paths, and avoids evaluating every string.
        self._text("SimpleString", self._count("SimpleString"), node.value)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        index = self._count("FormattedString")
        text = "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
        self._text("FormattedString", index, text)

    def _text(self, kind: str, index: int, text: str) -> None:
        if RUNTIME_API_PATH in text:
            self._use(kind, index, "url")
        if any(path in text for path in EXTENSION_API_PATHS):
            self.facts.extension_api = True


VISITORS = [RuntimeApiVisitor]
