from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import FunctionFact
from lambdalint.frontends.python.structure_facts.handler_shape import NAME, HandlerShape

# Decorators known to call the function they wrap as `fn(event, context, ...)`: the signature
# still has to take both. Any other decorator may change the signature, so the rule is silent.
PASS_THROUGH_METHODS = frozenset({"inject_lambda_context", "capture_lambda_handler", "log_metrics"})
PASS_THROUGH = frozenset(
    {
        "aws_lambda_powertools.utilities.data_classes.event_source",
        "aws_lambda_powertools.utilities.idempotency.idempotent",
    }
)


@register
class BadHandlerSignature(CodeRule):
    """A handler named by a template or the configuration that cannot be called as
    `handler(event, context)`."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL118",
        name="bad-handler-signature",
        severity=Severity.ERROR,
        summary="A configured handler cannot be called with `(event, context)`.",
        fix="none",
        anchors=("runtime behaviour",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        shape = ctx.facts.structure.get(NAME)
        keyword_only = shape.required_keyword_only if isinstance(shape, HandlerShape) else {}
        for key in ctx.project.declared_handlers:
            if key.path != ctx.facts.path:
                continue
            function = ctx.function(key.qualname)
            if function is None or function.in_class or not _known_signature(function):
                continue
            problem = _problem(function, keyword_only.get(key.qualname, ()))
            if problem:
                yield self.finding(
                    NodeRef(ctx.facts.path, "FunctionDef", function.index),
                    f"handler `{key.qualname}` {problem}; Lambda calls it as "
                    f"`{key.qualname}(event, context)`, which fails with a TypeError on every "
                    "invocation",
                    anchor=f"{ctx.facts.module}.{key.qualname}",
                )


def _known_signature(function: FunctionFact) -> bool:
    return all(
        name in PASS_THROUGH or name.rpartition(".")[2] in PASS_THROUGH_METHODS
        for name in function.decorators
    )


def _problem(function: FunctionFact, keyword_only: tuple[str, ...]) -> str:
    if function.positional < 2 and not function.has_varargs:
        count = function.positional
        return f"takes {count} positional parameter{'s' if count != 1 else ''}"
    if function.required_positional > 2:
        return f"requires {function.required_positional} positional arguments"
    if keyword_only:
        names = ", ".join(f"`{name}`" for name in keyword_only)
        return f"requires the keyword-only argument{'s' if len(keyword_only) > 1 else ''} {names}"
    return ""
