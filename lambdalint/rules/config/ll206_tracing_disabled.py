from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register


def is_active(value: Any) -> bool:
    # Serverless Framework writes `tracing: {lambda: true}` for Active.
    return value is True or (isinstance(value, str) and value.lower() == "active")


@register
class TracingDisabled(TemplateRule):
    """X-Ray tracing not Active (PassThrough only forwards a caller's sampled trace)."""

    meta = RuleMeta(
        id="LL206",
        name="tracing-disabled",
        severity=Severity.INFO,
        summary="Active tracing is not enabled (PassThrough is not active tracing).",
        anchors=("serverless-rules WS1000", "checkov CKV_AWS_50", "Security Hub Lambda.7"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            tracing = function.tracing
            if tracing.is_missing:
                yield self.finding(
                    function.span,
                    f"function {function.logical_id} has no tracing configuration: X-Ray "
                    "traces only requests an upstream service already sampled; set "
                    f"{function.prop('Tracing')} to Active",
                    anchor=function.anchor,
                )
            elif tracing.every(lambda value: not is_active(value)):
                yield self.finding(
                    tracing.span or function.span,
                    "tracing is not Active (PassThrough only forwards a trace an upstream "
                    "service started); set it to Active",
                    anchor=function.anchor,
                )
