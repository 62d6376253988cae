from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register


@register
class RecursiveLoopAllowed(TemplateRule):
    """Lambda's recursive-loop detection turned off."""

    meta = RuleMeta(
        id="LL409",
        name="recursive-loop-allowed",
        severity=Severity.WARNING,
        summary="`RecursiveLoop: Allow` turns off Lambda's recursive loop detection.",
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            setting = function.recursive_loop
            if setting.every(lambda value: isinstance(value, str) and value.lower() == "allow"):
                yield self.finding(
                    setting.span or function.span,
                    f"{function.logical_id} sets {function.prop('RecursiveLoop')} to Allow: "
                    "Lambda no longer stops the recursive loops it detects (through an SQS "
                    "queue or SNS topic, for example), which then run and bill until someone "
                    "notices.",
                    anchor=function.anchor,
                )
