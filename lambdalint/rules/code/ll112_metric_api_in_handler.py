from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import CallFact


@register
class MetricApiInHandler(CodeRule):
    """A synchronous CloudWatch PutMetricData call on every invocation."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL112",
        name="metric-api-in-handler",
        severity=Severity.WARNING,
        summary="The handler calls CloudWatch PutMetricData instead of logging metrics (EMF).",
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            reach = ctx.per_invocation(call) if _puts_metrics(call) else None
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` calls CloudWatch PutMetricData ({reach.describe()}): an extra "
                "API round trip on every invocation, throttled and billed per call; write "
                "metrics as Embedded Metric Format logs (Powertools `Metrics`) instead",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
            )


def _puts_metrics(call: CallFact) -> bool:
    if not call.is_sdk_operation or call.service != "cloudwatch":
        return False
    return call.operation == "put_metric_data" or (
        call.resource_kind == "Metric" and call.operation == "put_data"
    )
