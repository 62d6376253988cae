from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import EventSource, Function
from lambdalint.rules.events.sources import (
    POLLED,
    describe,
    event_anchor,
    event_span,
    flag,
    mappings,
    numbers,
    source_queue,
)

# CreateEventSourceMapping limits (AWS Lambda API reference and the SQS parameters page).
BATCH_SIZE_RANGE = (1, 10_000)
WINDOW_RANGE = (0, 300)
SQS_UNWINDOWED_MAX = 10  # above this an SQS mapping needs a batching window of at least 1 s
FIFO_MAX = 10


@register
class InvalidBatching(TemplateRule):
    """Batch settings CloudFormation's deployment would fail on."""

    meta = RuleMeta(
        id="LL407",
        name="invalid-batching",
        severity=Severity.ERROR,
        summary="Batch size or batching window that AWS rejects for the mapping's source.",
        anchors=("cfn-lint E3705",),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function, event in mappings(ctx.template, POLLED):
            for where, message in _problems(function, event):
                yield self.finding(
                    where,
                    f"{describe(event, start=True)} of {function.logical_id}: {message}",
                    anchor=event_anchor(event, function),
                )


def _problems(function: Function, event: EventSource) -> Iterator[tuple]:
    size = numbers(event.batch_size)
    window = numbers(event.batching_window)
    size_at = event.batch_size.span or event_span(event, function)
    window_at = event.batching_window.span or event_span(event, function)
    low, high = BATCH_SIZE_RANGE
    if size and all(not low <= value <= high for value in size):
        yield size_at, f"{event.prop('BatchSize')} {_show(size)} is outside {low}-{high}."
        return
    low, high = WINDOW_RANGE
    if window and all(not low <= value <= high for value in window):
        name = event.prop("MaximumBatchingWindowInSeconds")
        yield window_at, f"{name} {_show(window)} is outside {low}-{high}."
        return
    if event.kind == "sqs":
        yield from _sqs_problems(event, size, window, size_at, window_at)


def _sqs_problems(event, size, window, size_at, window_at) -> Iterator[tuple]:
    queue = source_queue(event)
    fifo = flag(queue.fifo) if queue is not None else None
    is_fifo = bool(fifo) and all(fifo)
    if is_fifo and size and all(value > FIFO_MAX for value in size):
        name = event.prop("BatchSize")
        yield size_at, f"{name} {_show(size)} exceeds {FIFO_MAX}, the maximum for FIFO queues."
        return
    if is_fifo and window and all(value > 0 for value in window):
        yield window_at, "FIFO queues do not support a batching window."
        return
    # Without a window the setting is MISSING, which means 0.
    no_window = numbers(event.batching_window, 0)
    too_big = bool(size) and all(value > SQS_UNWINDOWED_MAX for value in size)
    if too_big and no_window is not None and all(seconds < 1 for seconds in no_window):
        yield (
            size_at,
            (
                f"{event.prop('BatchSize')} {_show(size)} is over {SQS_UNWINDOWED_MAX}, "
                "which needs "
                f"{event.prop('MaximumBatchingWindowInSeconds')} of at least 1."
            ),
        )


def _show(values: list[float]) -> str:
    return " or ".join(f"{value:g}" for value in sorted(set(values)))
