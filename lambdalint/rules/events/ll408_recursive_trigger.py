from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.api import LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.core.span import Span
from lambdalint.frontends.python.sdk_usage import handler_usage
from lambdalint.model import Bucket, EventSource, Queue, Role, Statement, Table, Topic, Val
from lambdalint.model.policy import action_matches, is_allow, known_strings, permissions
from lambdalint.rules.cross.trigger_writes import reaches, skipped_by_guard, writes
from lambdalint.rules.events.sources import KIND_NAMES, event_span

# The permission each trigger's loop needs: writing what the trigger reads.
WRITES: dict[type, tuple[str, ...]] = {
    Bucket: ("s3:PutObject",),  # CopyObject and multipart uploads need it too
    Queue: ("sqs:SendMessage",),  # SendMessageBatch is authorised as SendMessage
    Topic: ("sns:Publish",),
    Table: (
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:PartiQLInsert",
        "dynamodb:PartiQLUpdate",
        "dynamodb:PartiQLDelete",
    ),
}
KINDS = {"s3": Bucket, "sqs": Queue, "sns": Topic, "dynamodb": Table}
WILDCARDS = ("*", "?")


@register
class RecursiveTrigger(ProjectRule):
    """A function allowed to write to the very resource that triggers it. A project rule:
    when the function's code is known and provably writes elsewhere, there is no loop."""

    unreached_tokens = ()  # reads only the code templates link to functions
    meta = RuleMeta(
        id="LL408",
        name="recursive-trigger",
        severity=Severity.ERROR,
        summary="A function's role may write to the bucket, queue, topic or streamed table that "
        "triggers it: a possible infinite loop.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        code = {id(linked.function): linked for linked in ctx.functions}
        for template in ctx.templates:
            yield from self._template(template.functions, code)

    def _template(self, functions, code: dict[int, LinkedFunction]) -> Iterator[Finding]:
        for function in functions:
            role = function.role
            if role is None:
                continue
            for event in function.events:
                kind = KINDS.get(event.kind)
                if kind is None or not isinstance(event.target, kind):
                    continue
                if not event.filter_criteria.is_missing:
                    continue  # an event filter may drop the function's own writes

                grant = _grant(role, event)
                if grant is None or _code_writes_elsewhere(code.get(id(function)), event):
                    continue
                yield self.finding(
                    grant,
                    f"{function.logical_id} is triggered by {KIND_NAMES[event.kind]} "
                    f"{event.target.logical_id} and its role may write to it "
                    f"({_label(kind)}): each write can invoke it again, "
                    "in a loop that runs until stopped.",
                    related=[Related(event_span(event, function), "the trigger")],
                    # The loop is the function's: suppress it there, wherever the grant sits.
                    anchor=function.anchor,
                )


def _code_writes_elsewhere(linked: LinkedFunction | None, event: EventSource) -> bool:
    """The function's code is fully known and each of its writes of the trigger's kind
    provably goes elsewhere: another resource, an S3 key outside the notification's filter, or
    a table item whose key the handler's own record guard skips (LL501 reports the writes that
    provably reach it, those the guard skips as info)."""
    if linked is None or linked.code is None:
        return False
    usage = handler_usage(linked.code)
    if not usage.fully_resolved:
        return False
    return all(
        reaches(linked.function, use, event) is False
        or bool(skipped_by_guard(linked.code, use, event))
        for use in usage.uses
        if writes(use, event)
    )


def _label(kind: type) -> str:
    return "DynamoDB item writes" if kind is Table else WRITES[kind][0]


def _grant(role: Role, event: EventSource) -> Span | None:
    """Where the role may write to the trigger (a statement resource), if it may."""
    writes = WRITES[type(event.target)]
    if permissions(role).may_deny(writes):
        return None
    for statement in role.statements:
        if not is_allow(statement) or statement.has_condition:
            continue
        if statement.not_actions or statement.not_resources:
            continue
        if not any(_grants(action, writes) for action in statement.actions):
            continue
        for resource in statement.resources:
            if resource.alternatives and all(
                _names_trigger(value, event) for value in resource.alternatives
            ):
                return resource.span or statement.span or role.span
        if _unresolved_reference(statement, event):
            return statement.span or role.span
    return None


def _unresolved_reference(statement: Statement, event: EventSource) -> bool:
    """A resource written as a reference we could not turn into a string
    (`!Sub "${Queue.Arn}"`, `!Sub "${Bucket.Arn}/*"`) that names the trigger.

    For S3 the keys are then unknown, so it counts only when the notification has no key
    filter: then a write anywhere in the bucket triggers the function again."""
    if not any(target is event.target for target in statement.targets):
        return False
    if all(resource.is_known for resource in statement.resources):
        return False  # every value was readable and judged above
    if isinstance(event.target, Bucket):
        return event.filter_prefix.is_missing and event.filter_suffix.is_missing
    return True


def _grants(action: Val, writes: tuple[str, ...]) -> bool:
    texts = known_strings(action)
    return bool(texts) and all(
        any(action_matches(text, write) for write in writes) for text in texts
    )


def _names_trigger(value: Any, event: EventSource) -> bool:
    """Whether one resource value names the trigger: the resource itself (`!GetAtt Q.Arn`,
    `!Ref Topic`) or an ARN with its known name. `*` and name patterns never count."""
    target = event.target
    if isinstance(target, Bucket):
        return isinstance(value, str) and _bucket_key_pattern(value, target, event)
    if value is target:
        return True
    if not isinstance(value, str):
        return False
    name = target.name.text() if isinstance(target, (Queue, Topic, Table)) else None
    if not name or any(ch in name for ch in WILDCARDS):
        return False
    parts = value.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return False
    service, rest = parts[2], parts[5]
    if isinstance(target, Queue):
        return service == "sqs" and rest == name
    if isinstance(target, Topic):
        return service == "sns" and rest == name
    return service == "dynamodb" and rest == f"table/{name}"


def _bucket_key_pattern(arn: str, bucket: Bucket, event: EventSource) -> bool:
    """An object ARN of the trigger bucket whose keys the notification would fire for.

    With no key filter every object counts. With a filter, only an ARN whose keys all fall
    inside it: `bucket/*` next to a `uploads/` filter is how input and output are usually
    kept apart, and whether the code respects that is LL501's question, not ours."""
    name = bucket.name.text()
    prefix = arn.split(":", 5)
    if not name or len(prefix) < 6 or prefix[0] != "arn" or prefix[2] != "s3":
        return False
    bucket_part, slash, keys = prefix[5].partition("/")
    if bucket_part != name or not slash:
        return False
    filters = (event.filter_prefix, event.filter_suffix)
    if any(not f.is_missing and f.text() is None for f in filters):
        return False  # a filter we cannot read may well keep the writes out
    wanted_prefix = event.filter_prefix.text() or ""
    wanted_suffix = event.filter_suffix.text() or ""
    head = _before_wildcard(keys)
    tail = _after_wildcard(keys)
    inside_prefix = head.startswith(wanted_prefix)
    inside_suffix = tail.endswith(wanted_suffix) and len(tail) >= len(wanted_suffix)
    return inside_prefix and inside_suffix


def _before_wildcard(pattern: str) -> str:
    cut = [pattern.index(ch) for ch in WILDCARDS if ch in pattern]
    return pattern[: min(cut)] if cut else pattern


def _after_wildcard(pattern: str) -> str:
    cut = [pattern.rindex(ch) for ch in WILDCARDS if ch in pattern]
    return pattern[max(cut) + 1 :] if cut else pattern
