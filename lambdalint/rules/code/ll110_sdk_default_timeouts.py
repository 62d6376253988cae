from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import OBJECT, CallFact
from lambdalint.rules.code.per_invocation import in_function_code

CONFIGS = frozenset(
    {"botocore.config.Config", "botocore.client.Config", "aiobotocore.config.AioConfig"}
)
TIMEOUTS = ("connect_timeout", "read_timeout")
CONFIG_POSITION = 9  # boto3.client(service_name, region_name, ..., aws_session_token, config)
# Client methods computed locally, without a request: a client used for nothing else never waits.
LOCAL_ONLY = frozenset(
    {"generate_db_auth_token", "generate_presigned_url", "generate_presigned_post", "can_paginate"}
)


@register
class SdkDefaultTimeouts(CodeRule):
    """An SDK client left with botocore's 60 s connect and read timeouts."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL110",
        name="sdk-default-timeouts",
        severity=Severity.INFO,
        summary="An AWS SDK client keeps botocore's 60 s timeouts, which can outlive the function.",
        default=False,
        anchors=("S7618",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        if not in_function_code(ctx):
            return  # tests, deployment scripts, container apps
        for call in ctx.facts.calls:
            if call.sdk not in ("client", "resource") or call.star_kwargs or call.star_args:
                continue
            problem = _problem(ctx, call) if not _never_sends(ctx, call) else ""
            if problem:
                yield self.finding(
                    ctx.call_ref(call.index),
                    f"`{call.text}` {problem}: botocore waits up to 60 s to connect and 60 s "
                    "per read, with retries; pass `config=Config(connect_timeout=..., "
                    "read_timeout=...)` shorter than the function's timeout",
                    anchor=f"{ctx.facts.module}.{call.func or '<module>'}",
                )


def _problem(ctx: CodeContext, call: CallFact) -> str:
    config = call.argument(CONFIG_POSITION, "config")
    if config is None:
        return "has no `config=`"
    created = ctx.call_at(config.origin) if config.kind == OBJECT else None
    if created is None or created.callee not in CONFIGS or created.star_kwargs:
        return ""  # a config we cannot see into
    if any(created.kwarg(name) is not None for name in TIMEOUTS):
        return ""
    return "has a `Config` that sets neither connect_timeout nor read_timeout"


def _never_sends(ctx: CodeContext, call: CallFact) -> bool:
    """The client is only used, in this module, for methods that make no request (signing an
    RDS IAM token, presigning a URL), and is not handed on to anything."""
    used = False
    for other in ctx.facts.calls:
        if any(value.kind == OBJECT and value.origin == call.index for value in other.values()):
            return False  # passed on: its use is not known
        receiver = other.receiver
        if receiver is not None and receiver.kind == OBJECT and receiver.origin == call.index:
            if other.method not in LOCAL_ONLY:
                return False
            used = True
    return used
