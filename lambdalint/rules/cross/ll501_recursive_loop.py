from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.sdk_usage import SdkUse, handler_usage
from lambdalint.model import EventSource
from lambdalint.rules.cross.joined import call_ref, code_anchor, with_code
from lambdalint.rules.cross.trigger_writes import reaches, skipped_by_guard, watched, writes
from lambdalint.rules.events.sources import KIND_NAMES, event_span


@register
class RecursiveLoop(ProjectRule):
    """The handler writes to the very resource that triggers its function."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL501",
        name="recursive-loop",
        severity=Severity.ERROR,
        summary="The handler code writes to the bucket, queue, topic or streamed table that "
        "triggers its function: an infinite loop.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for linked, code in with_code(ctx.functions):
            triggers = [event for event in linked.function.events if watched(event)]
            for use in handler_usage(code).uses if triggers else ():
                event = next(
                    (
                        e
                        for e in triggers
                        if writes(use, e) and reaches(linked.function, use, e) is True
                    ),
                    None,
                )
                if event is not None:
                    yield self._finding(linked, use, event, skipped_by_guard(code, use, event))

    def _finding(
        self, linked: LinkedFunction, use: SdkUse, event: EventSource, kept: str
    ) -> Finding:
        function, target = linked.function, event.target
        consequence = "each write invokes the function again, in a loop that runs until stopped"
        if kept:
            # The guard is only in code: no loop, but every write costs one more invocation.
            consequence = (
                "each write invokes the function again, which skips the record (the handler "
                f"keeps only keys starting with {kept!r}): a wasted invocation, not a loop; "
                "an event filter (FilterCriteria) would drop it before it is billed"
            )
        return self.finding(
            call_ref(use.path, use.call.index),
            f"`{use.call.text}` writes to {KIND_NAMES[event.kind]} {target.logical_id}, which "
            f"triggers {function.logical_id} ({linked.template.path}): {consequence}",
            severity=Severity.INFO if kept else None,
            related=[Related(event_span(event, function), f"the trigger of {function.logical_id}")],
            anchor=code_anchor(use.module, use.call.func),
        )
