from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import LITERAL, STATIC, CallFact
from lambdalint.rules.code.ll120_missing_pagination import paginators
from lambdalint.rules.code.per_invocation import only_custom_resources

SLEEPS = {"time.sleep": "secs", "asyncio.sleep": "delay"}
SHORT_BACKOFF = 1.0  # seconds
POLLING_PREFIXES = ("describe_", "get_")
# Page tokens of operations botocore has no paginator for: passing one means paging, not polling.
PAGE_TOKENS = frozenset(
    {"NextToken", "nextToken", "Marker", "ContinuationToken", "ExclusiveStartKey", "PageToken"}
)


@register
class SleepInHandler(CodeRule):
    """Billed idle time: sleeping, waiting on a waiter or polling on the handler path."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL111",
        name="sleep-in-handler",
        severity=Severity.WARNING,
        summary="The handler sleeps, waits on an SDK waiter or polls a status in a loop.",
        anchors=("S7621", "CodeGuru aws-polling-instead-of-waiter"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        # Operations a function reads pages of: `describe_x(NextToken=t) if t else describe_x()`.
        paging = {(c.func, c.service, c.operation) for c in ctx.facts.calls if _paging(c)}
        for call in ctx.facts.calls:
            what = _idle(call, (call.func, call.service, call.operation) in paging)
            reach = ctx.reach(call.func) if what else None
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` {what} ({reach.describe()}): the function is billed while it "
                "waits; let Step Functions (a Wait state or a callback), an SQS delay or an "
                "EventBridge schedule do the waiting",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
                # A custom resource runs a few times per deployment: the cost hardly adds up.
                severity=Severity.INFO if only_custom_resources(ctx, call.func) else None,
            )


def _idle(call: CallFact, paging: bool) -> str:
    if call.callee in SLEEPS:
        return _sleep(call, SLEEPS[call.callee])
    if call.sdk == "wait":
        return f"blocks on the SDK waiter {call.operation or ''!s}".rstrip() + " until it is met"
    if call.is_sdk_operation and call.operation.startswith("wait_until_"):
        return "blocks on a resource waiter"
    polling = call.is_sdk_operation and call.operation.startswith(POLLING_PREFIXES)
    if polling and call.in_while_true and not paging:
        return "polls a status in a `while True` loop"
    return ""


def _paging(call: CallFact) -> bool:
    """A `while True` loop that passes a page token reads pages, it does not poll; with
    `**kwargs` the token may be among them (and then nothing is known)."""
    if not call.is_sdk_operation:
        return False
    tokens = paginators()["services"].get(call.service, {}).get(call.operation, ())
    if call.star_kwargs and tokens:
        return True
    return any(key in PAGE_TOKENS or key in tokens for key, _ in call.kwargs)


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
