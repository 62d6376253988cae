from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.structure_facts.io_returns import return_facts

# Handler decorators that pass the handler's return value through unchanged. Any other
# decorator (an API framework, a resolver) may encode the value itself, so the rule stays out.
PASS_THROUGH = ("inject_lambda_context", "capture_lambda_handler", "log_metrics")


@register
class NonSerializableReturn(CodeRule):
    """A handler returns a value the Lambda runtime cannot encode as JSON."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL122",
        name="non-serializable-return",
        severity=Severity.ERROR,
        summary="The handler returns a value that JSON cannot encode (datetime, set, bytes...).",
        anchors=("S7613",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        handlers = self._plain_handlers(ctx)
        for problem in return_facts(ctx.facts).problems:
            if problem.func not in handlers:
                continue
            handler = ctx.function(problem.func)
            related = [
                Related(NodeRef(ctx.facts.path, "FunctionDef", handler.index), "the handler")
            ]
            if problem.kind == "Call":
                message = (
                    f"`json.dumps` raises `TypeError` on {problem.what} in the handler's "
                    "response; pass `default=` (e.g. `default=str`) or convert the value first"
                )
            else:
                message = (
                    f"the handler returns {problem.what}, which JSON cannot encode: the "
                    "invocation fails with `Runtime.MarshalError`; convert it first "
                    "(`.isoformat()`, `list(...)`, `.decode()`, a dict)"
                )
            yield self.finding(
                NodeRef(ctx.facts.path, problem.kind, problem.index),
                message,
                related=related,
                anchor=f"{ctx.facts.module}.{problem.func}",
            )

    @staticmethod
    def _plain_handlers(ctx: CodeContext) -> set[str]:
        """This module's handlers whose return value reaches the runtime as it is."""
        found = set()
        for key in ctx.project.handlers:
            function = ctx.function(key.qualname) if key.path == ctx.facts.path else None
            if function is None:
                continue
            if all(d.endswith(PASS_THROUGH) for d in function.decorators if d):
                found.add(key.qualname)
        return found
