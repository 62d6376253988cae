from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.rules.events.sources import (
    QUEUE_VISIBILITY_DEFAULT,
    always,
    event_anchor,
    event_span,
    mappings,
    numbers,
    source_queue,
)

RECOMMENDED_FACTOR = 6  # the SQS guide: six times the function timeout plus the batching window


@register
class SqsVisibilityTimeout(TemplateRule):
    """A source queue that makes a message visible again while the function may still run."""

    meta = RuleMeta(
        id="LL401",
        name="sqs-visibility-timeout",
        severity=Severity.ERROR,
        summary="An SQS source queue's visibility timeout is below the function timeout (error) "
        "or below 6x the function timeout plus the batching window (warning).",
        anchors=("cfn-lint E3505", "LambdaEventSourceSQSVisibilityTimeout"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function, event in mappings(ctx.template, frozenset({"sqs"})):
            queue = source_queue(event)
            if queue is None:
                continue
            visibility = numbers(queue.visibility_timeout, QUEUE_VISIBILITY_DEFAULT)
            timeout = numbers(function.timeout, function.default_timeout)
            window = numbers(event.batching_window, 0)
            if visibility is None or timeout is None or window is None:
                continue
            related = [
                Related(
                    queue.visibility_timeout.span or queue.span,
                    f"visibility timeout of {queue.logical_id}"
                    + (" (default 30 s)" if queue.visibility_timeout.is_missing else ""),
                ),
                Related(
                    function.timeout.span or function.span,
                    f"timeout of {function.logical_id}"
                    + (
                        f" (default {function.default_timeout} s)"
                        if function.timeout.is_missing
                        else ""
                    ),
                ),
            ]
            where, anchor = event_span(event, function), event_anchor(event, function)
            if always([visibility, timeout], lambda v, t: v < t):
                yield self.finding(
                    where,
                    f"Queue {queue.logical_id} hides a message for {_seconds(visibility)} but "
                    f"{function.logical_id} may run for {_seconds(timeout)}: AWS rejects the "
                    "mapping. Set the visibility timeout to at least 6x the function timeout.",
                    related=related,
                    anchor=anchor,
                )
            elif always(
                [visibility, timeout, window], lambda v, t, w: v < RECOMMENDED_FACTOR * t + w
            ):
                yield self.finding(
                    where,
                    f"Queue {queue.logical_id} hides a message for {_seconds(visibility)}, less "
                    f"than 6x the {_seconds(timeout)} timeout of {function.logical_id} plus the "
                    "batching window: throttled or retried batches reappear while still being "
                    "processed.",
                    related=related,
                    anchor=anchor,
                    severity=self._warning(),
                )

    def _warning(self) -> Severity:
        # A configured severity wins over the rule's own split between error and warning.
        return Severity.WARNING if self.severity == self.meta.severity else self.severity


def _seconds(values: list[float]) -> str:
    return " or ".join(f"{value:g} s" for value in sorted(set(values)))
