from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import MISSING
from lambdalint.rules.events.sources import (
    BATCH_RESPONSE,
    describe,
    event_anchor,
    event_span,
    mappings,
    numbers,
)

REPORT = "ReportBatchItemFailures"


@register
class NoPartialBatchResponse(TemplateRule):
    """A batch mapping where one bad message retries the whole batch."""

    meta = RuleMeta(
        id="LL406",
        name="no-partial-batch-response",
        severity=Severity.INFO,
        summary="An SQS or stream mapping does not enable `ReportBatchItemFailures`.",
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function, event in mappings(ctx.template, BATCH_RESPONSE):
            types = event.function_response_types
            if not all(_lacks_report(value) for value in types.alternatives):
                continue
            # A batch of one record has nothing to report partially.
            sizes = numbers(event.batch_size)
            if sizes and all(size <= 1 for size in sizes):
                continue
            yield self.finding(
                types.span or event_span(event, function),
                f"{describe(event, start=True)} of {function.logical_id} does not enable "
                f"{REPORT}: one failing record makes the whole batch run again, successes "
                "included.",
                anchor=event_anchor(event, function),
            )


def _lacks_report(value: object) -> bool:
    if value is MISSING:
        return True
    # A list with anything unreadable in it might hold the value: stay silent.
    return (
        isinstance(value, list)
        and all(isinstance(item, str) for item in value)
        and REPORT not in value
    )
