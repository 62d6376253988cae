from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import ENV, PARAM, CallFact, Value

INVOKES = frozenset({"invoke", "invoke_async", "invoke_with_response_stream"})
SELF_ATTRIBUTES = ("function_name", "invoked_function_arn")
# Parameter names of the Lambda context object (the signature convention's second parameter).
CONTEXT_NAMES = frozenset({"context", "_context", "ctx", "_ctx", "lambda_context"})


@register
class RecursiveInvocation(CodeRule):
    """The handler invokes the very function it runs in."""

    meta = RuleMeta(
        id="LL104",
        name="recursive-invocation",
        severity=Severity.ERROR,
        summary="The handler invokes its own Lambda function.",
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            if not _is_invoke(call):
                continue
            how = _names_itself(call.argument(0, "FunctionName"))
            reach = ctx.reach(call.func) if how else None
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` invokes this same function ({how}; {reach.describe()}): "
                "unless the code itself bounds it, every invocation starts another, a loop "
                "that runs until throttled",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
            )


def _is_invoke(call: CallFact) -> bool:
    return call.is_sdk_operation and call.service == "lambda" and call.operation in INVOKES


def _names_itself(value: Value | None) -> str:
    """How a FunctionName value names the running function, or ""."""
    if value is None:
        return ""
    if value.kind == ENV and value.name == "AWS_LAMBDA_FUNCTION_NAME":
        return "FunctionName is AWS_LAMBDA_FUNCTION_NAME"
    head, _, attribute = value.name.partition(".")
    if value.kind == PARAM and head in CONTEXT_NAMES and attribute in SELF_ATTRIBUTES:
        return f"FunctionName is {value.name}"
    return ""
