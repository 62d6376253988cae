from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.rules.config.reading import numbers


@register
class NoReservedConcurrency(TemplateRule):
    """No reserved concurrency (advice), or a reserved concurrency of 0 (never runs)."""

    meta = RuleMeta(
        id="LL205",
        name="no-reserved-concurrency",
        severity=Severity.INFO,
        summary="No reserved concurrency caps the function; a reserved concurrency of 0 "
        "means it can never run.",
        default=False,
        anchors=("checkov CKV_AWS_115", "cfn_nag W92"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            reserved = function.reserved_concurrency
            if reserved.is_missing:
                yield self.finding(
                    function.span,
                    f"function {function.logical_id} has no reserved concurrency: nothing caps "
                    "a runaway loop or a traffic spike, and it can starve the account's other "
                    "functions",
                    anchor=function.anchor,
                )
                continue
            values = numbers(reserved)
            if values and all(value == 0 for value in values):
                yield self.finding(
                    reserved.span or function.span,
                    "reserved concurrency 0 throttles every invocation: the function can never run",
                    anchor=function.anchor,
                    severity=Severity.WARNING,
                )
