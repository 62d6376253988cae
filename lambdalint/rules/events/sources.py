"""What the event-source rules share: which kinds of source behave alike, numbers with their
platform defaults, and where a finding about a source points."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product

from lambdalint.core.span import Span
from lambdalint.model import MISSING, EventSource, Function, Queue, Template, Val

STREAMS = frozenset({"kinesis", "dynamodb", "msk", "kafka"})  # ordered, shard/partition based
RETRYING_STREAMS = frozenset({"kinesis", "dynamodb"})  # retry attempts and record age settable
BATCH_RESPONSE = frozenset({"sqs", "kinesis", "dynamodb"})  # ReportBatchItemFailures
ASYNC = frozenset({"s3", "sns", "eventbridge", "schedule", "iot", "ses", "logs"})
POLLED = frozenset({"sqs", "kinesis", "dynamodb", "msk", "kafka", "mq"})

QUEUE_VISIBILITY_DEFAULT = 30  # seconds, AWS::SQS::Queue VisibilityTimeout


def events(template: Template, kinds: frozenset[str]) -> Iterator[tuple[Function, EventSource]]:
    for function in template.functions:
        for event in function.events:
            if event.kind in kinds:
                yield function, event


def mappings(template: Template, kinds: frozenset[str]) -> Iterator[tuple[Function, EventSource]]:
    """Polled sources (event source mappings) of the given kinds."""
    for function, event in events(template, kinds):
        if event.invocation in ("poll", ""):
            yield function, event


def source_queue(event: EventSource) -> Queue | None:
    return event.target if isinstance(event.target, Queue) else None


def numbers(val: Val, default: float | None = None) -> list[float] | None:
    """Every number the value may be (MISSING counts as `default`), or None when any
    alternative is unknown or not a number."""
    found: list[float] = []
    for value in val.alternatives:
        if value is MISSING:
            if default is None:
                return None
            found.append(default)
            continue
        number = Val(value).number()
        if number is None:
            return None
        found.append(number)
    return found


def always(values: list[list[float]], predicate) -> bool:
    """The predicate holds for every combination of the alternatives."""
    return all(predicate(*combination) for combination in product(*values))


def flag(val: Val) -> list[bool] | None:
    """A boolean property's possible values (MISSING is false), None when unknown."""
    found: list[bool] = []
    for value in val.alternatives:
        if value is MISSING:
            found.append(False)
        elif isinstance(value, bool):
            found.append(value)
        elif isinstance(value, str) and value.lower() in ("true", "false"):
            found.append(value.lower() == "true")
        else:
            return None
    return found


def event_span(event: EventSource, function: Function) -> Span:
    return event.span or function.span


def event_anchor(event: EventSource, function: Function) -> str:
    return event.anchor or function.anchor


KIND_NAMES = {
    "sqs": "SQS queue",
    "kinesis": "Kinesis stream",
    "dynamodb": "DynamoDB stream",
    "msk": "MSK topic",
    "kafka": "Kafka topic",
    "mq": "Amazon MQ broker",
    "s3": "S3 bucket",
    "sns": "SNS topic",
    "eventbridge": "EventBridge rule",
    "schedule": "schedule",
    "iot": "IoT rule",
    "ses": "SES receipt rule",
    "logs": "CloudWatch Logs subscription",
}


def describe(event: EventSource, start: bool = False) -> str:
    """`the SQS queue source OrdersEvent`: how messages name a source."""
    article = "The" if start else "the"
    return f"{article} {KIND_NAMES.get(event.kind, event.kind)} source {event.logical_id}"
