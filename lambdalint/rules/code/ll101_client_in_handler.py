from __future__ import annotations

from collections.abc import Iterator

from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.engine.project import CodeContext
from lambdalint.rules.code.per_invocation import creations_on_handler_path, report

SESSIONS = frozenset(
    {
        "boto3.Session",
        "boto3.session.Session",
        "botocore.session.get_session",
        "botocore.session.Session",
        "aioboto3.Session",
        "aioboto3.session.Session",
        "aiobotocore.session.get_session",
        "aiobotocore.session.AioSession",
    }
)
SESSION_METHODS = ("client", "resource", "create_client")
CLIENTS = frozenset(
    {"boto3.client", "boto3.resource"}
    | {f"{session}.{method}" for session in SESSIONS for method in SESSION_METHODS}
)


@register
class ClientInHandler(CodeRule):
    """An AWS SDK client, resource or session created on every invocation."""

    meta = RuleMeta(
        id="LL101",
        name="client-in-handler",
        severity=Severity.WARNING,
        summary="An AWS SDK client, resource or session is created on every invocation.",
        fix="none",
        anchors=("S6243", "CodeGuru lambda-client-reuse", "PW001-PW003"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        creations = list(creations_on_handler_path(ctx, CLIENTS | SESSIONS))
        # A session made only to create a client is reported once, at the client.
        feeding = {
            call.receiver.origin
            for call, _ in creations
            if call.callee in CLIENTS and call.receiver is not None
        }
        for call, reach in creations:
            if call.callee in SESSIONS:
                if call.index in feeding:
                    continue
                what = "an AWS SDK session"
            elif call.callee.endswith("resource"):
                what = "an AWS SDK resource"
            else:
                what = "an AWS SDK client"
            yield report(self, ctx, call, reach, what)
