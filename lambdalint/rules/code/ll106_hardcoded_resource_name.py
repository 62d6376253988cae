from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import LITERAL, STATIC, CallFact, Value
from lambdalint.frontends.python.sdk_usage import (
    POSITIONAL_BUCKET,
    RESOURCE_PARAMETERS,
    SUBRESOURCES,
)
from lambdalint.rules.code.per_invocation import in_function_code

ACCOUNT_ID = re.compile(r"^\d{12}$")


@register
class HardcodedResourceName(CodeRule):
    """A bucket, table, queue, topic, ARN or account id written into the code."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL106",
        name="hardcoded-resource-name",
        severity=Severity.WARNING,
        summary="A resource name, ARN or account id is hardcoded in an AWS SDK call.",
        anchors=("AWS Lambda best practices: use environment variables",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        if not in_function_code(ctx):
            return  # tests, deployment scripts, container apps
        for call in ctx.facts.calls:
            for parameter, text, argument in _hardcoded(call):
                yield self.finding(
                    ctx.call_ref(call.index, argument),
                    f"`{call.text}` is given a hardcoded {parameter} ({text!r}); pass it in "
                    "an environment variable set by the template, so each stage and account "
                    "gets its own",
                    anchor=f"{ctx.facts.module}.{call.func or '<module>'}",
                )


def _hardcoded(call: CallFact) -> Iterator[tuple[str, str, str]]:
    """(what is hardcoded, its text, the argument that holds it: see CallFact.argument_key)."""
    if call.sdk == "subresource" and call.receiver is not None and call.receiver.sdk == "resource":
        keyword = SUBRESOURCES.get((call.service, call.resource_kind))
        if keyword is not None:
            text = _text(call.argument(0, keyword))
            if text:
                yield f"{call.resource_kind} name", text, call.argument_key(0, keyword)
        return
    if not call.is_sdk_operation:
        return
    reported = set()
    for key, value in call.kwargs:
        text = _text(value)
        if not text:
            continue
        if RESOURCE_PARAMETERS.get(key) == call.service or text.startswith("arn:"):
            reported.add(key)
            yield f"`{key}`", text, key
        elif ACCOUNT_ID.match(text):
            yield f"account id (`{key}`)", text, key
    position = POSITIONAL_BUCKET.get(call.operation) if call.service == "s3" else None
    if position is not None and "Bucket" not in reported and position < len(call.args):
        text = _text(call.args[position])
        if text:
            yield "bucket name", text, call.argument_key(position, "")


def _text(value: Value | None) -> str:
    """The literal text of a value written in the code (directly, through a module constant,
    or built only from literals); "" for anything else."""
    if value is None or value.kind not in (LITERAL, STATIC):
        return ""
    return (value.text or "").strip()
