from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Val
from lambdalint.rules.events.sources import (
    RETRYING_STREAMS,
    describe,
    event_anchor,
    event_span,
    flag,
    mappings,
    numbers,
)

INFINITE = -1  # both settings' default and explicit "no limit"


@register
class StreamUnboundedRetries(TemplateRule):
    """A stream mapping that retries a failing batch until its records expire."""

    meta = RuleMeta(
        id="LL403",
        name="stream-unbounded-retries",
        severity=Severity.WARNING,
        summary="A Kinesis or DynamoDB stream mapping bounds neither retries nor record age "
        "and does not bisect failing batches.",
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function, event in mappings(ctx.template, RETRYING_STREAMS):
            bisect = flag(event.bisect_on_error)
            if bisect is None or any(bisect):
                continue
            if not (
                _unbounded(event.maximum_retry_attempts) and _unbounded(event.maximum_record_age)
            ):
                continue
            yield self.finding(
                event_span(event, function),
                f"{describe(event, start=True)} of {function.logical_id} retries a failing "
                f"batch until its records expire ({event.prop('MaximumRetryAttempts')} and "
                f"{event.prop('MaximumRecordAgeInSeconds')} unbounded, no "
                f"{event.prop('BisectBatchOnFunctionError')}): one bad "
                "record blocks its shard for up to the stream's retention.",
                anchor=event_anchor(event, function),
            )


def _unbounded(val: Val) -> bool:
    values = numbers(val, INFINITE)
    return values is not None and all(value == INFINITE for value in values)
