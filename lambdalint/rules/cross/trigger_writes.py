"""Whether a write in the handler code reaches the resource that triggers the function: LL501
reports the writes that provably do, LL408 stays silent when every write provably does not."""

from __future__ import annotations

from lambdalint.api import HandlerCode
from lambdalint.frontends.python.sdk_usage import SdkUse, template_value
from lambdalint.frontends.python.structure_facts.object_keys import NAME as OBJECT_KEYS
from lambdalint.frontends.python.structure_facts.object_keys import ObjectKey, ObjectKeys
from lambdalint.model import Bucket, EventSource, Function, Queue, Table, Topic

# What each kind of trigger reads, and the actions that write it: a call needing one writes.
WRITES = {
    "s3": (Bucket, frozenset({"s3:PutObject"})),
    "sqs": (Queue, frozenset({"sqs:SendMessage"})),
    "sns": (Topic, frozenset({"sns:Publish"})),
    "dynamodb": (
        Table,
        frozenset(
            {
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
            }
        ),
    ),
}


def watched(event: EventSource) -> bool:
    """A trigger whose resource the model knows, with no event filter that may drop the
    function's own writes."""
    spec = WRITES.get(event.kind)
    return (
        spec is not None and isinstance(event.target, spec[0]) and event.filter_criteria.is_missing
    )


def writes(use: SdkUse, event: EventSource) -> bool:
    """The call writes the kind of resource the trigger reads (wherever it writes)."""
    return bool(WRITES[event.kind][1] & set(use.need.primary))


def reaches(function: Function, use: SdkUse, event: EventSource) -> bool | None:
    """Whether a write reaches the trigger: True when provably, False when provably not (another
    resource, or an S3 key outside the notification's filter), None when not known."""
    target = template_value(function, use.resource)
    if target is None:
        return None
    if target is not event.target:
        # Another resource; a string (a name or ARN) may still be the trigger's.
        return False if not isinstance(target, str) else None
    if event.kind != "s3":
        return True
    keys = use.module.structure.get(OBJECT_KEYS)
    return key_triggers(keys.keys.get(str(use.call.index)) if keys is not None else None, event)


def key_triggers(key: ObjectKey | None, event: EventSource) -> bool | None:
    """Whether an S3 write with this key fires the notification: always without a key filter;
    with one, True or False when the key is known well enough, else None."""
    prefix, suffix = event.filter_prefix, event.filter_suffix
    if prefix.is_missing and suffix.is_missing:
        return True
    wanted_prefix, wanted_suffix = prefix.text(), suffix.text()
    if (not prefix.is_missing and wanted_prefix is None) or (
        not suffix.is_missing and wanted_suffix is None
    ):
        return None  # a filter we cannot read
    if key is None:
        return None
    wanted_prefix, wanted_suffix = wanted_prefix or "", wanted_suffix or ""
    if key.exact:
        return key.prefix.startswith(wanted_prefix) and key.prefix.endswith(wanted_suffix)
    if not (key.prefix.startswith(wanted_prefix) or wanted_prefix.startswith(key.prefix)):
        return False  # the known start of the key already leaves the filter's prefix
    if key.prefix.startswith(wanted_prefix) and not wanted_suffix:
        return True
    return None


def skipped_by_guard(code: HandlerCode, use: SdkUse, event: EventSource) -> str:
    """The key prefix the handler keeps stream records by, when this table write provably
    writes an item whose key falls outside it: its stream record invokes the function again,
    which skips it (a wasted invocation, not a loop). "" otherwise."""
    if event.kind != "dynamodb" or use.module is not code.module.facts or code.function is None:
        return ""
    keys = use.module.structure.get(OBJECT_KEYS)
    if not isinstance(keys, ObjectKeys):
        return ""
    item = keys.items.get(str(use.call.index), {})
    for guard in keys.record_guards:
        in_loop = guard.first_call <= use.call.index <= guard.last_call
        if guard.function != code.handler.qualname or not in_loop:
            continue
        key = item.get(guard.attribute)
        if key is not None and _outside(key, guard.prefix):
            return guard.prefix
    return ""


def _outside(key: ObjectKey, prefix: str) -> bool:
    if key.exact:
        return not key.prefix.startswith(prefix)
    return not (key.prefix.startswith(prefix) or prefix.startswith(key.prefix))
