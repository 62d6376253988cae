from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.sdk_usage import SdkUse, handler_usage, template_value
from lambdalint.frontends.python.structure_facts.object_keys import NAME as KEYS
from lambdalint.frontends.python.structure_facts.object_keys import ObjectKey
from lambdalint.model import Bucket, EventSource, Queue, Table, Topic
from lambdalint.rules.cross.joined import call_ref, code_anchor, with_code
from lambdalint.rules.events.sources import KIND_NAMES, event_span

# The action that writes what each kind of trigger reads: a call needing it writes there.
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


@register
class RecursiveLoop(ProjectRule):
    """The handler writes to the very resource that triggers its function."""

    meta = RuleMeta(
        id="LL501",
        name="recursive-loop",
        severity=Severity.ERROR,
        summary="The handler code writes to the bucket, queue, topic or streamed table that "
        "triggers its function: an infinite loop.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for linked, code in with_code(ctx.functions):
            triggers = [e for e in linked.function.events if _watched(e)]
            if not triggers:
                continue
            for use in handler_usage(code).uses:
                for event in triggers:
                    if self._loops(linked, use, event):
                        yield self._finding(linked, use, event)
                        break

    def _loops(self, linked: LinkedFunction, use: SdkUse, event: EventSource) -> bool:
        kind, writes = WRITES[event.kind]
        if not writes & set(use.need.primary):
            return False
        if template_value(linked.function, use.resource) is not event.target:
            return False
        if event.kind != "s3":
            return True
        keys = use.module.structure.get(KEYS)
        key = keys.keys.get(str(use.call.index)) if keys is not None else None
        return _key_triggers(key, event)

    def _finding(self, linked: LinkedFunction, use: SdkUse, event: EventSource) -> Finding:
        function, target = linked.function, event.target
        return self.finding(
            call_ref(use.path, use.call.index),
            f"`{use.call.text}` writes to {KIND_NAMES[event.kind]} {target.logical_id}, which "
            f"triggers {function.logical_id} ({linked.template.path}): each write invokes the "
            "function again, in a loop that runs until stopped",
            related=[Related(event_span(event, function), f"the trigger of {function.logical_id}")],
            anchor=code_anchor(use.module, use.call.func),
        )


def _watched(event: EventSource) -> bool:
    """A trigger whose resource the model knows, with no event filter that may drop the
    function's own writes."""
    spec = WRITES.get(event.kind)
    return (
        spec is not None and isinstance(event.target, spec[0]) and event.filter_criteria.is_missing
    )


def _key_triggers(key: ObjectKey | None, event: EventSource) -> bool:
    """Whether an S3 write with this key would fire the notification. With no key filter every
    write does; with one, only a key known to fall inside it (an unknown key may well be kept
    out of it, which is how input and output usually share a bucket)."""
    prefix, suffix = event.filter_prefix, event.filter_suffix
    if prefix.is_missing and suffix.is_missing:
        return True
    wanted_prefix, wanted_suffix = prefix.text(), suffix.text()
    if (not prefix.is_missing and wanted_prefix is None) or (
        not suffix.is_missing and wanted_suffix is None
    ):
        return False  # a filter we cannot read
    if key is None:
        return False
    wanted_prefix, wanted_suffix = wanted_prefix or "", wanted_suffix or ""
    if key.exact:
        return key.prefix.startswith(wanted_prefix) and key.prefix.endswith(wanted_suffix)
    return key.prefix.startswith(wanted_prefix) and not wanted_suffix
