from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.rules.events.sources import event_span, mappings, numbers, source_queue

MIN_RECEIVES = 5  # the SQS guide: throttled receives also count against maxReceiveCount


@register
class SqsNoDlq(TemplateRule):
    """A source queue whose poison messages are retried forever, or moved away too soon."""

    meta = RuleMeta(
        id="LL404",
        name="sqs-no-dlq",
        severity=Severity.WARNING,
        summary="An SQS source queue has no redrive policy (dead-letter queue), or one whose "
        "maxReceiveCount is below 5.",
        anchors=("serverless-rules ES6000", "AwsSolutions-SQS3"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for function, event in mappings(ctx.template, frozenset({"sqs"})):
            queue = source_queue(event)
            if queue is None or id(queue) in seen:
                continue
            seen.add(id(queue))
            related = [Related(event_span(event, function), f"consumed by {function.logical_id}")]
            if queue.dead_letter_target.is_missing and queue.max_receive_count.is_missing:
                yield self.finding(
                    queue.span,
                    f"Source queue {queue.logical_id} has no redrive policy "
                    f"({queue.prop('RedrivePolicy')}): a message that "
                    "always fails is retried until it expires, and then it is lost.",
                    related=related,
                    anchor=queue.anchor,
                )
                continue
            receives = numbers(queue.max_receive_count)
            if receives and all(count < MIN_RECEIVES for count in receives):
                yield self.finding(
                    queue.max_receive_count.span or queue.span,
                    f"Source queue {queue.logical_id} moves a message to its dead-letter queue "
                    f"after {max(receives):g} receives; Lambda's throttled receives count too, "
                    "so set maxReceiveCount to at least 5.",
                    related=related,
                    anchor=queue.anchor,
                )
