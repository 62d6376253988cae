from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import HandlerCode, LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.batch_errors import NAME as BATCH_ERRORS
from lambdalint.frontends.python.structure_facts.event_records import NAME as EVENT_RECORDS
from lambdalint.model import EventSource
from lambdalint.rules.cross.joined import handler_ref, runs, structure, with_code
from lambdalint.rules.events.sources import BATCH_RESPONSE, KIND_NAMES, event_span

REPORT = "ReportBatchItemFailures"


@register
class BatchResponseMismatch(ProjectRule):
    """Partial batch responses enabled on one side only: template or code."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL506",
        name="batch-response-mismatch",
        severity=Severity.ERROR,
        summary="ReportBatchItemFailures is enabled but the handler never returns "
        "batchItemFailures, or the handler returns them while the mapping does not enable it.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for linked, code in with_code(ctx.functions):
            for event in linked.function.events:
                if event.kind not in BATCH_RESPONSE or event.invocation not in ("poll", ""):
                    continue
                types = event.function_response_types
                enabled = types.every(lambda value: isinstance(value, list) and REPORT in value)
                disabled = types.is_missing or types.every(
                    lambda value: isinstance(value, list) and REPORT not in value
                )
                if enabled and not _mentions_failures(code):
                    yield self._never_returned(linked, code, event)
                elif disabled and _returns_failures(code):
                    where = handler_ref(code)
                    if where is not None:
                        yield self._not_enabled(linked, event, where)

    def _never_returned(
        self, linked: LinkedFunction, code: HandlerCode, event: EventSource
    ) -> Finding:
        function = linked.function
        where = event.function_response_types.span or event_span(event, function)
        handler = handler_ref(code)
        related = [Related(handler, f"handler {code.handler.qualname}")] if handler else []
        return self.finding(
            where,
            f"The {KIND_NAMES[event.kind]} mapping of {function.logical_id} enables {REPORT} but "
            f"its handler {code.module.facts.path}:{code.handler.qualname} never returns "
            "`batchItemFailures`: every message of a batch counts as processed, failed ones too",
            related=related,
            anchor=event.anchor or function.anchor,
        )

    def _not_enabled(self, linked: LinkedFunction, event: EventSource, where) -> Finding:
        function = linked.function
        return self.finding(
            where,
            f"The handler returns `batchItemFailures` but the {KIND_NAMES[event.kind]} mapping of "
            f"{function.logical_id} ({linked.template.path}) does not enable {REPORT}: "
            "the failures it reports are ignored and the whole batch is retried or dropped",
            related=[Related(event_span(event, function), f"the mapping of {function.logical_id}")],
            anchor=event.anchor or function.anchor,
        )


def _mentions_failures(code: HandlerCode) -> bool:
    """Some module of the code writes `batchItemFailures` or uses Powertools' batch utility
    (which builds the response): it may well return them."""
    for module in code.closure:
        facts = structure(module, BATCH_ERRORS, None)
        if facts is None or facts.mentions_failures or facts.powertools_batch:
            return True
        records = structure(module, EVENT_RECORDS, None)
        if records is None or records.returns_failures:
            return True
    return False


def _returns_failures(code: HandlerCode) -> bool:
    for module in code.closure:
        records = structure(module, EVENT_RECORDS, None)
        if records is not None and any(
            func and runs(code, module.facts, func) for func in records.returns_failures
        ):
            return True
    return False
