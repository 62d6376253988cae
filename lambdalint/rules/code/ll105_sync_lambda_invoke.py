from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import CallFact

MISSING_TEXT = "\0missing"  # InvocationType not given at all


@register
class SyncLambdaInvoke(CodeRule):
    """One function waiting on another: billed twice for the same wall-clock time."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL105",
        name="sync-lambda-invoke",
        severity=Severity.WARNING,
        summary="A Lambda function is invoked synchronously from a handler.",
        anchors=("S6246",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            how = _synchronous(call)
            reach = ctx.reach(call.func) if how else None
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` invokes a Lambda function synchronously ({how}; "
                f"{reach.describe()}): this function is billed while it waits; invoke "
                'asynchronously (`InvocationType="Event"`), or chain with Step Functions, '
                "SQS or EventBridge",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
            )


def _synchronous(call: CallFact) -> str:
    """Why the call waits for the invoked function, or "" when it does not (or may not)."""
    if not call.is_sdk_operation or call.service != "lambda" or call.star_kwargs:
        return ""
    if call.operation not in ("invoke", "invoke_with_response_stream"):
        return ""
    kind = call.kwarg("InvocationType")
    text = MISSING_TEXT if kind is None else kind.text
    if call.operation == "invoke_with_response_stream" and text in (
        MISSING_TEXT,
        "RequestResponse",
    ):
        return "a response stream is read while the function runs"
    if text == MISSING_TEXT:
        return "no InvocationType: boto3 defaults to RequestResponse"
    if text == "RequestResponse":
        return 'InvocationType="RequestResponse"'
    return ""
