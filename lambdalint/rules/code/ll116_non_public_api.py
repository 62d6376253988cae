from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.structure_facts.runtime_api import (
    NAME,
    RUNTIME_API_PATH,
    RUNTIME_API_VARIABLE,
    ImportUse,
    RuntimeApi,
)

VENDORED_REQUESTS = "botocore.vendored.requests"
# Modules of the Lambda Python runtime itself (the runtime interface client, and the modules the
# older managed runtimes load from /var/runtime): present in the execution environment, but not
# an API, and they change with every runtime release.
RUNTIME_MODULES = frozenset(
    {
        "awslambdaric",
        "bootstrap",
        "lambda_runtime_client",
        "lambda_runtime_marshaller",
        "lambda_runtime_exception",
        "lambda_runtime_log_utils",
    }
)


@register
class NonPublicApi(CodeRule):
    """Function code that relies on removed or private APIs: botocore's vendored requests, the
    Lambda runtime's own modules, or the Runtime API the runtime itself talks to."""

    # Imports of runtime modules and vendored requests are reported in any module.
    unreached_tokens = (
        "vendored",
        RUNTIME_API_VARIABLE,
        RUNTIME_API_PATH,
        *sorted(RUNTIME_MODULES),
    )
    meta = RuleMeta(
        id="LL116",
        name="non-public-api",
        severity=Severity.ERROR,
        summary="Function code uses a removed or non-public API (vendored requests, "
        "runtime internals).",
        fix="none",
        anchors=("CodeGuru deprecated-method",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        facts = ctx.facts.structure.get(NAME)
        if not isinstance(facts, RuntimeApi):
            return
        yield from self._imports(ctx, facts)
        yield from self._vendored_calls(ctx, facts)
        yield from self._runtime_api(ctx, facts)

    def _imports(self, ctx: CodeContext, facts: RuntimeApi) -> Iterator[Finding]:
        own_modules = self._own_modules(ctx.project)
        for use in facts.imports:
            if use.type_checking:
                continue
            message = _import_problem(use, own_modules)
            if message:
                yield self.finding(
                    NodeRef(ctx.facts.path, use.kind, use.index),
                    message,
                    anchor=f"{ctx.facts.module}.<imports>",
                )

    def _own_modules(self, project) -> set[str]:
        """The project's module names, gathered once per project rather than once per module
        (which made the rule quadratic in the number of modules)."""
        known = getattr(self, "_own_modules_of", None)
        if known is None or known[0] is not project:
            known = (project, {module.facts.module for module in project.modules.values()})
            self._own_modules_of = known
        return known[1]

    def _vendored_calls(self, ctx: CodeContext, facts: RuntimeApi) -> Iterator[Finding]:
        """`import botocore` then `botocore.vendored.requests.get(...)`: no import names it."""
        if any(_is_vendored(name) for use in facts.imports for name in use.names):
            return
        for call in ctx.facts.calls:
            if call.callee.startswith(VENDORED_REQUESTS + "."):
                yield self.finding(
                    ctx.call_ref(call.index),
                    f"`{call.text}` uses `{VENDORED_REQUESTS}`, removed from botocore in 1.13; "
                    "use `requests` or `urllib3` packaged with the function",
                    anchor=f"{ctx.facts.module}.{call.func or '<module>'}",
                )

    def _runtime_api(self, ctx: CodeContext, facts: RuntimeApi) -> Iterator[Finding]:
        if not facts.uses:
            return
        handler_code = any(ctx.reach(name) is not None for name in ctx.facts.functions)
        for use in facts.uses:
            if use.what == "variable" and facts.extension_api:
                continue  # an extension registering through the same endpoint
            if use.func:
                reach = ctx.reach(use.func)
                if reach is None:
                    continue
                where = reach.describe()
            elif handler_code:
                where = "at import time of handler code"
            else:
                continue
            what = (
                f"reads `{RUNTIME_API_VARIABLE}`"
                if use.what == "variable"
                else "calls the Lambda Runtime API (`/2018-06-01/runtime/`)"
            )
            yield self.finding(
                NodeRef(ctx.facts.path, use.kind, use.index),
                f"Function code {what} ({where}): the runtime owns that interface and "
                "fetching or answering invocations from the handler breaks the runtime; "
                "return from the handler instead",
                anchor=f"{ctx.facts.module}.{use.func or '<module>'}",
            )


def _is_vendored(name: str) -> bool:
    return name == VENDORED_REQUESTS or name.startswith(VENDORED_REQUESTS + ".")


def _import_problem(use: ImportUse, own_modules: set[str]) -> str:
    for name in use.names:
        if _is_vendored(name):
            return (
                f"`{VENDORED_REQUESTS}` was removed from botocore in 1.13 (only a stub is "
                "left); package `requests` or use `urllib3` instead"
            )
        head = name.split(".")[0]
        if head in RUNTIME_MODULES and head not in own_modules:
            return (
                f"`{name}` is part of the Lambda runtime, not a public API: it changes with "
                "every runtime release; use the `context` object the handler receives"
            )
    return ""
