from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.rules.config.reading import function_urls


@register
class PublicFunctionUrl(TemplateRule):
    """A function URL anyone on the internet can call without signing the request."""

    meta = RuleMeta(
        id="LL209",
        name="public-function-url",
        severity=Severity.ERROR,
        summary="A function URL with auth type NONE: anyone can invoke the function.",
        anchors=("checkov CKV_AWS_258", "Security Hub Lambda.1"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for url, function in function_urls(ctx.template):
            auth = url.auth_type
            if not auth.every(lambda value: isinstance(value, str) and value.upper() == "NONE"):
                continue
            owner = f" of function {function.logical_id}" if function is not None else ""
            yield self.finding(
                auth.span or url.span,
                f"the function URL{owner} has {url.prop('AuthType')} NONE: anyone who finds "
                "the URL can invoke the function (and run up its bill); use AWS_IAM, or check "
                "the caller in the handler and cap the function's concurrency",
                anchor=url.anchor or (function.anchor if function is not None else ""),
            )
