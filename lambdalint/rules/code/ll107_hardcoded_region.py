from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import LITERAL, OBJECT, STATIC, CallFact, Value
from lambdalint.rules.code.per_invocation import in_function_code

REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
# Where `region_name` sits positionally in each factory's signature.
REGION_POSITION = {"client": 1, "resource": 1, "session": 3}
# client(service_name, region_name, api_version, use_ssl, verify, endpoint_url, ...)
ENDPOINT_POSITION = 5
CONFIGS = frozenset({"botocore.config.Config", "botocore.client.Config"})


@cache
def pinned_regions() -> dict[str, list[str]]:
    """lambdalint/data/pinned_regions.json: services that live in one region (source inside)."""
    path = Path(__file__).resolve().parents[2] / "data" / "pinned_regions.json"
    return json.loads(path.read_text(encoding="utf-8"))["services"]


@register
class HardcodedRegion(CodeRule):
    """A literal region given to an SDK client, resource or session."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL107",
        name="hardcoded-region",
        severity=Severity.WARNING,
        summary="An AWS SDK client, resource or session is pinned to a literal region.",
        anchors=("S6262",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        if not in_function_code(ctx):
            return  # tests, deployment scripts, container apps
        for call in ctx.facts.calls:
            if call.sdk not in REGION_POSITION or _custom_endpoint(call):
                continue
            region, argument = _region(ctx, call)
            if not region or region in pinned_regions().get(call.service, ()):
                continue
            what = "session" if call.sdk == "session" else f"{call.service or 'SDK'} {call.sdk}"
            yield self.finding(
                ctx.call_ref(call.index, argument),
                f"`{call.text}` pins the {what} to region {region!r}; leave region_name out "
                "(Lambda sets AWS_REGION to the function's region) or read it from the "
                "environment",
                anchor=f"{ctx.facts.module}.{call.func or '<module>'}",
            )


def _custom_endpoint(call: CallFact) -> bool:
    """With `endpoint_url` the endpoint decides where calls go (LocalStack, the X-Ray daemon, a
    VPC endpoint); the region only signs them."""
    if call.sdk == "session":
        return False
    endpoint = call.argument(ENDPOINT_POSITION, "endpoint_url")
    return endpoint is not None and not (endpoint.kind == LITERAL and endpoint.literal is None)


def _region(ctx: CodeContext, call: CallFact) -> tuple[str, str]:
    """The literal region and the argument of `call` that sets it (`region_name`, or `config`
    for a botocore Config built with one); ("", "") when there is none."""
    position = REGION_POSITION[call.sdk]
    region = _literal_region(call.argument(position, "region_name"))
    if region:
        return region, call.argument_key(position, "region_name")
    config = call.kwarg("config")
    created = ctx.call_at(config.origin) if config is not None and config.kind == OBJECT else None
    if created is not None and created.callee in CONFIGS:
        region = _literal_region(created.kwarg("region_name"))
        return region, "config" if region else ""
    return "", ""


def _literal_region(value: Value | None) -> str:
    if value is None or value.kind not in (LITERAL, STATIC):
        return ""
    text = value.text or ""
    return text if REGION.match(text) else ""
