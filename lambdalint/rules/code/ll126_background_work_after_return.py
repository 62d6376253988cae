from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.io_threads import (
    Started,
    ThreadFacts,
    thread_facts,
)

WHAT = {"thread": "a thread", "future": "executor work", "task": "an asyncio task"}
HOW = {"thread": "`join()` it", "future": "wait for its result", "task": "await it"}


def left_running(started: Started, facts: ThreadFacts) -> bool:
    """Whether nothing in the starting function waits for the work or hands it to anyone."""
    used = facts.used.get(started.func, set())
    if started.kind == "thread":
        return not started.name or started.name not in used
    if started.func in facts.waits:
        return False
    if started.index in facts.dropped:
        return True
    return bool(started.name) and started.name not in used


@register
class BackgroundWorkAfterReturn(CodeRule):
    """Work started on the handler path and not waited for before the handler returns."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL126",
        name="background-work-after-return",
        severity=Severity.WARNING,
        summary="A thread, future or task is started and not waited for before returning.",
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        facts = thread_facts(ctx.facts)
        for started in facts.started:
            reach = ctx.reach(started.func)
            if reach is None or not left_running(started, facts):
                continue
            yield self.finding(
                ctx.call_ref(started.index),
                f"starts {WHAT[started.kind]} that is not waited for ({reach.describe()}): "
                "Lambda freezes the environment when the handler returns, so it may never "
                f"finish or finish during a later invocation; {HOW[started.kind]} before returning",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{started.func}",
            )
