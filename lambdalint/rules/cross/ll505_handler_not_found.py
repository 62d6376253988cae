from __future__ import annotations

import posixpath
from collections.abc import Iterator

from lambdalint.api import LinkedFunction, ModuleFile, ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.module_names import NAME as MODULE_NAMES
from lambdalint.frontends.python.structure_facts.module_names import ModuleNames
from lambdalint.rules.cross.joined import structure


@register
class HandlerNotFound(ProjectRule):
    """The template's `Handler` names a module or function the code does not have."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL505",
        name="handler-not-found",
        severity=Severity.ERROR,
        summary="The template's Handler names a module or function that does not exist under "
        "the function's code path: Runtime.ImportModuleError on the first call.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        analysed = [module.facts.path for module in ctx.modules()]
        for linked in ctx.functions:
            function = linked.function
            if not linked.handler_file or not _python_handler(linked):
                continue
            handler = function.handler.text() or ""
            where = function.handler.span or function.span
            if linked.code is None:
                root = _code_root(linked)
                if root is None or not _was_read(root, analysed):
                    continue  # the code directory is not part of this run
                yield self.finding(
                    where,
                    f"{function.prop('Handler')} {handler!r} of {function.logical_id} names module "
                    f"{linked.handler_file}, which does not exist under {root}/: "
                    "Runtime.ImportModuleError on the first call",
                    anchor=function.anchor,
                )
            elif linked.code.function is None and not _binds(
                linked.code.module, linked.code.handler.qualname
            ):
                name = linked.code.handler.qualname
                yield self.finding(
                    where,
                    f"{function.prop('Handler')} {handler!r} of {function.logical_id} names "
                    f"{name}(), which "
                    f"{linked.handler_file} does not define: Runtime.HandlerNotFound on the "
                    "first call",
                    anchor=function.anchor,
                )


# A wrapper script (the Lambda Web Adapter's `run.sh`) runs instead of a Python handler.
WRAPPER = "AWS_LAMBDA_EXEC_WRAPPER"


def _python_handler(linked: LinkedFunction) -> bool:
    """A handler the Python runtime resolves itself: local code, not inline (InlineCode wins
    over CodeUri), no wrapper script."""
    function = linked.function
    return function.inline_code.is_missing and WRAPPER not in function.environment


def _code_root(linked: LinkedFunction) -> str | None:
    code = linked.function.code_path.text()
    if code is None:
        return None
    return posixpath.normpath(posixpath.join(linked.function.template_dir, code))


def _was_read(root: str, analysed: list[str]) -> bool:
    """Some Python file under the code directory was analysed: the handler module would have
    been too (a directory skipped as vendored, excluded or not given is not judged)."""
    return any(root == "." or path.startswith(root + "/") for path in analysed)


def _binds(module: ModuleFile, name: str) -> bool:
    """The module may provide `name` some other way than `def`: a class, an import, an
    assignment (`handler = Mangum(app)`), a star import or a module `__getattr__`."""
    facts = module.facts
    names = structure(module, MODULE_NAMES, None)
    if not isinstance(names, ModuleNames):
        return True  # facts from before this visitor: do not guess
    return (
        name in facts.classes
        or name in facts.imports
        or name in names.bound
        or names.star_import
        or names.module_getattr
    )
