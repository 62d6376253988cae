from __future__ import annotations

from collections.abc import Iterator

from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.engine.project import CodeContext
from lambdalint.frontends.python.facts import OBJECT, CallFact

CONFIGS = frozenset(
    {"botocore.config.Config", "botocore.client.Config", "aiobotocore.config.AioConfig"}
)
TIMEOUTS = ("connect_timeout", "read_timeout")
CONFIG_POSITION = 9  # boto3.client(service_name, region_name, ..., aws_session_token, config)


@register
class SdkDefaultTimeouts(CodeRule):
    """An SDK client left with botocore's 60 s connect and read timeouts."""

    meta = RuleMeta(
        id="LL110",
        name="sdk-default-timeouts",
        severity=Severity.INFO,
        summary="An AWS SDK client keeps botocore's 60 s timeouts, which can outlive the function.",
        default=False,
        anchors=("S7618",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            if call.sdk not in ("client", "resource") or call.star_kwargs or call.star_args:
                continue
            problem = _problem(ctx, call)
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
