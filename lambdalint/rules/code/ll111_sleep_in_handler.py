from __future__ import annotations

from collections.abc import Iterator

from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.engine.project import CodeContext
from lambdalint.frontends.python.facts import LITERAL, STATIC, CallFact

SLEEPS = {"time.sleep": "secs", "asyncio.sleep": "delay"}
SHORT_BACKOFF = 1.0  # seconds
POLLING_PREFIXES = ("describe_", "get_")


@register
class SleepInHandler(CodeRule):
    """Billed idle time: sleeping, waiting on a waiter or polling on the handler path."""

    meta = RuleMeta(
        id="LL111",
        name="sleep-in-handler",
        severity=Severity.WARNING,
        summary="The handler sleeps, waits on an SDK waiter or polls a status in a loop.",
        anchors=("S7621", "CodeGuru aws-polling-instead-of-waiter"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            what = _idle(call)
            reach = ctx.reach(call.func) if what else None
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` {what} ({reach.describe()}): the function is billed while it "
                "waits; let Step Functions (a Wait state or a callback), an SQS delay or an "
                "EventBridge schedule do the waiting",
                related=[Related(reach.handler_ref, f"handler {reach.handler}")],
                anchor=f"{ctx.facts.module}.{call.func}",
            )


def _idle(call: CallFact) -> str:
    if call.callee in SLEEPS:
        return _sleep(call, SLEEPS[call.callee])
    if call.sdk == "wait":
        return f"blocks on the SDK waiter {call.operation or ''!s}".rstrip() + " until it is met"
    if call.is_sdk_operation and call.operation.startswith("wait_until_"):
        return "blocks on a resource waiter"
    polling = call.is_sdk_operation and call.operation.startswith(POLLING_PREFIXES)
    if polling and call.in_while_true:
        return "polls a status in a `while True` loop"
    return ""


def _sleep(call: CallFact, keyword: str) -> str:
    duration = call.argument(0, keyword)
    seconds = (
        duration.literal if duration is not None and duration.kind in (LITERAL, STATIC) else None
    )
    number = (
        seconds if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else None
    )
    if call.in_loop and number != 0:
        return "sleeps inside a loop"
    if number is not None and number > SHORT_BACKOFF:
        return f"sleeps {number} s"
    return ""
