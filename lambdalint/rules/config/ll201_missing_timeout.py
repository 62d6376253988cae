from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register


@register
class MissingTimeout(TemplateRule):
    """No timeout on the function (nor in SAM Globals / the serverless provider)."""

    meta = RuleMeta(
        id="LL201",
        name="missing-timeout",
        severity=Severity.WARNING,
        summary="No timeout is set: the platform default was rarely load-tested.",
        anchors=("serverless-rules ES1006", "cdk-nag Serverless-LambdaDefaultTimeout"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            # Only a timeout that is not written anywhere is missing; one set to a value we
            # cannot resolve is a deliberate choice.
            if function.timeout.is_missing:
                yield self.finding(
                    function.span,
                    f"function {function.logical_id} sets no timeout, so it runs with the "
                    f"default of {function.default_timeout} s; set {function.prop('Timeout')} to "
                    "what the work needs and what its callers wait for",
                    anchor=function.anchor,
                )
