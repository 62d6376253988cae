from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register


@register
class MissingMemorySize(TemplateRule):
    """No memory size set: the function gets 128 MB and the smallest CPU share."""

    meta = RuleMeta(
        id="LL203",
        name="missing-memory-size",
        severity=Severity.INFO,
        summary="No memory size is set: 128 MB also means the smallest CPU share.",
        anchors=("serverless-rules ES1005",),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            # The Serverless Framework deploys 1024 MB when none is given, not Lambda's 128.
            if function.memory_size.is_missing and function.source != "serverless":
                yield self.finding(
                    function.span,
                    f"function {function.logical_id} sets no memory size, so it gets 128 MB "
                    "and the CPU share that comes with it; set "
                    f"{function.prop('MemorySize')} from a measurement "
                    "(AWS Lambda Power Tuning)",
                    anchor=function.anchor,
                )
