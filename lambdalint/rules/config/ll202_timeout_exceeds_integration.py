from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import Option, RuleMeta, TemplateRule, register
from lambdalint.model import EventSource, Function
from lambdalint.rules.config.reading import numbers, show

# Callers that hold a connection open until the function returns.
SYNC_KINDS = {
    "api": "an API Gateway REST API",
    "httpapi": "an API Gateway HTTP API",
    "alb": "an Application Load Balancer",
    "appsync": "an AppSync resolver",
}
# What the others wait by default; a REST API's 29 s is the rule's `max_seconds` option. HTTP
# APIs wait 30 s (their default and maximum), a load balancer its idle timeout, AppSync its
# request limit.
DEFAULT_WAIT = {"httpapi": 30.0, "alb": 60.0, "appsync": 30.0}


@register
class TimeoutExceedsIntegration(TemplateRule):
    """A synchronously invoked function allowed to run longer than its caller waits."""

    meta = RuleMeta(
        id="LL202",
        name="timeout-exceeds-integration",
        severity=Severity.WARNING,
        summary="The function's timeout exceeds what its synchronous caller waits.",
        anchors=("serverless/serverless#4371",),
        options=(Option("max_seconds", float, 29, minimum=1, maximum=900, unit="seconds"),),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            timeouts = numbers(function.timeout, default=function.default_timeout)
            if not timeouts:
                continue
            shortest = min(timeouts)
            too_slow = [
                (event, limit)
                for event in function.events
                if (limit := self._caller_limit(event)) is not None and shortest > limit
            ]
            if too_slow:
                yield self._report(function, shortest, too_slow)

    def _caller_limit(self, event: EventSource) -> float | None:
        """Seconds the caller waits, or None when it is not a synchronous caller we know or
        its own timeout is set to something we cannot resolve."""
        if event.kind not in SYNC_KINDS or event.invocation not in ("sync", ""):
            return None
        if event.integration_timeout.is_missing:
            return DEFAULT_WAIT.get(event.kind, float(self.options["max_seconds"]))
        milliseconds = numbers(event.integration_timeout)
        # With alternatives, only the most patient caller is certain to be exceeded.
        return max(milliseconds) / 1000 if milliseconds else None

    def _report(
        self, function: Function, timeout: float, callers: list[tuple[EventSource, float]]
    ) -> Finding:
        event, limit = min(callers, key=lambda pair: pair[1])
        where = function.timeout.span or function.span
        source = "" if function.timeout.span else " (the default)"
        message = (
            f"function {function.logical_id}: timeout {show(timeout)} s{source} exceeds the "
            f"{show(limit)} s "
            f"{SYNC_KINDS[event.kind]} waits: the caller gives up while the function keeps "
            "running and billing; lower the timeout or make the work asynchronous"
        )
        related = [
            Related(e.span, f"invoked synchronously here; the caller waits {show(lim)} s")
            for e, lim in callers
        ]
        return self.finding(where, message, related=related, anchor=function.anchor)
