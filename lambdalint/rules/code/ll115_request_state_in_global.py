from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.structure_facts.globals_state import NAME, GlobalsState


@register
class RequestStateInGlobal(CodeRule):
    """Event data stored in module-level state on the handler path: it survives into the next
    invocation of the same execution environment, which may serve another user."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL115",
        name="request-state-in-global",
        severity=Severity.ERROR,
        summary="Event data is stored in module-level state and leaks into later invocations.",
        fix="none",
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        facts = ctx.facts.structure.get(NAME)
        if not isinstance(facts, GlobalsState) or not facts.writes:
            return
        # A name the handler path empties or rebinds on each invocation is request-scoped.
        reset = {name for func, name in facts.resets if ctx.reach(func) is not None}
        for write in facts.writes:
            reach = ctx.reach(write.func)
            if reach is None or write.target in reset:
                continue
            yield self.finding(
                NodeRef(ctx.facts.path, write.kind, write.index),
                f"{write.how} stores event data in module-level `{write.target}` "
                f"({reach.describe()}): it outlives this invocation and is seen by the next "
                "one, possibly another caller's; keep request data in local variables",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{write.func}",
            )
