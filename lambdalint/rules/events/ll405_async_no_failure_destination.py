from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Function
from lambdalint.rules.events.sources import ASYNC, describe, event_span


@register
class AsyncNoFailureDestination(TemplateRule):
    """An asynchronously invoked function whose failed events disappear."""

    meta = RuleMeta(
        id="LL405",
        name="async-no-failure-destination",
        severity=Severity.WARNING,
        summary="A function invoked asynchronously has neither a dead-letter queue nor an "
        "OnFailure destination.",
        anchors=("serverless-rules ES1007", "CKV_AWS_116"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            sources = [
                e for e in function.events if e.kind in ASYNC and e.invocation in ("async", "")
            ]
            if not sources or _has_failure_target(function):
                continue
            yield self.finding(
                function.span,
                f"{function.logical_id} is invoked asynchronously by {describe(sources[0])} "
                "but has neither a dead-letter queue nor a failure destination "
                f"({function.prop('OnFailure')}): an event that still fails after two retries "
                "is dropped.",
                related=[
                    Related(event_span(e, function), "invokes it asynchronously") for e in sources
                ],
                anchor=function.anchor,
            )


def _has_failure_target(function: Function) -> bool:
    """Either satisfies it; a value we cannot read counts as set."""
    config = function.async_config
    on_failure_set = config is not None and not config.on_failure.is_missing
    return on_failure_set or not function.dead_letter.is_missing
