from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.rules.events.sources import (
    STREAMS,
    describe,
    event_anchor,
    event_span,
    mappings,
)


@register
class StreamNoFailureDestination(TemplateRule):
    """A stream mapping that drops records it gives up on without a trace."""

    meta = RuleMeta(
        id="LL402",
        name="stream-no-failure-destination",
        severity=Severity.WARNING,
        summary="A Kinesis, DynamoDB-stream, MSK or Kafka mapping has no OnFailure destination.",
        anchors=("serverless-rules ES1001", "LambdaEventSourceMappingDestination"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        # SQS mappings are not streams: they cannot have a destination (the queue's DLQ is LL404).
        for function, event in mappings(ctx.template, STREAMS):
            if not event.on_failure.is_missing:
                continue
            yield self.finding(
                event_span(event, function),
                f"{describe(event, start=True)} of {function.logical_id} has no "
                f"{event.prop('OnFailure')} destination: records that exhaust their retries or "
                "age out are lost without a record of what failed.",
                anchor=event_anchor(event, function),
            )
