from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import HandlerCode, ProjectContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.structure_facts.batch_errors import NAME as BATCH_ERRORS
from lambdalint.frontends.python.structure_facts.event_records import NAME as EVENT_RECORDS
from lambdalint.rules.cross.joined import code_anchor, runs, structure, with_code
from lambdalint.rules.events.sources import KIND_NAMES, event_span, numbers

# Default batch sizes of event source mappings (CreateEventSourceMapping's BatchSize).
DEFAULT_BATCH = {"sqs": 10, "kinesis": 100, "dynamodb": 100}


@register
class FirstRecordOnly(ProjectRule):
    """The handler reads one record of a batch that can hold several."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL507",
        name="first-record-only",
        severity=Severity.ERROR,
        summary='The handler reads only `event["Records"][0]` while its mapping delivers batches '
        "of more than one record: the others count as processed and are lost.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for linked, code in with_code(ctx.functions):
            function = linked.function
            batched = [
                event
                for event in function.events
                if event.kind in DEFAULT_BATCH
                and event.invocation in ("poll", "")
                and _above_one(numbers(event.batch_size, DEFAULT_BATCH[event.kind]))
            ]
            if not batched or _reads_every_record(code):
                continue
            for module, func, index in _first_record_reads(code):
                event = batched[0]
                size = event.batch_size.number() or DEFAULT_BATCH[event.kind]
                yield self.finding(
                    NodeRef(module.facts.path, "Subscript", index),
                    f'Only `event["Records"][0]` is read, but the {KIND_NAMES[event.kind]} '
                    f"mapping of {function.logical_id} ({linked.template.path}) delivers up to "
                    f"{size:g} records an invocation: the others count as processed and are lost",
                    related=[Related(event_span(event, function), "the mapping")],
                    anchor=code_anchor(module.facts, func),
                )


def _above_one(sizes: list[float] | None) -> bool:
    """Every possible batch size is known and above 1 (a missing one is the default)."""
    return sizes is not None and all(size > 1 for size in sizes)


def _reads_every_record(code: HandlerCode) -> bool:
    """Some code of the handler iterates, slices, counts or hands on the records, or uses
    Powertools' batch utility: then `[0]` is not the only read. Unknown facts count as yes."""
    for module in code.closure:
        records = structure(module, EVENT_RECORDS, None)
        batch = structure(module, BATCH_ERRORS, None)
        if records is None or batch is None or batch.powertools_batch:
            return True
        if any(runs(code, module.facts, func) for func in records.all_records):
            return True
    return False


def _first_record_reads(code: HandlerCode):
    for module in code.closure:
        records = structure(module, EVENT_RECORDS, None)
        for func, index in records.first_record if records is not None else ():
            if func and runs(code, module.facts, func):
                yield module, func, index
