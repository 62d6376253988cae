from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import FunctionUrl
from lambdalint.rules.config.reading import function_urls


def has_wildcard(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return "*" in items


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


@register
class OpenFunctionUrlCors(TemplateRule):
    """A function URL whose CORS lets every site call it with credentials or every method."""

    meta = RuleMeta(
        id="LL212",
        name="open-function-url-cors",
        severity=Severity.WARNING,
        summary="A function URL's CORS allows every origin together with credentials or "
        "every method.",
        anchors=("checkov CKV2_AWS_75",),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for url, function in function_urls(ctx.template):
            problem = self._problem(url)
            if problem is None:
                continue
            owner = f" of function {function.logical_id}" if function is not None else ""
            yield self.finding(
                url.cors_origins.span or url.span,
                f"the CORS configuration of the function URL{owner} allows every origin "
                f"with {problem}: any web page can drive the function from a visitor's "
                "browser; list the origins that need it",
                anchor=url.anchor or (function.anchor if function is not None else ""),
            )

    def _problem(self, url: FunctionUrl) -> str | None:
        if not url.cors_origins.every(has_wildcard):
            return None
        if url.cors_credentials.every(is_true):
            return "credentials"
        if url.cors_methods.every(has_wildcard):
            return "every method"
        return None
