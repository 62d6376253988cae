from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.placeholders import is_placeholder
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Val

ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

# Words of a variable name that say its value is a secret...
SECRET_WORDS = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY")
SECRET_PAIRS = (("API", "KEY"), ("PRIVATE", "KEY"))
# ...unless another word says the value only names, locates or describes the secret.
REFERENCE_WORDS = frozenset(
    {
        "ARN",
        "NAME",
        "ID",
        "PARAM",
        "PARAMETER",
        "PATH",
        "FILE",
        "URL",
        "URI",
        "ENDPOINT",
        "HEADER",
        "TTL",
        "TIMEOUT",
        "EXPIRY",
        "EXPIRATION",
        "LENGTH",
        "ENABLED",
        "TYPE",
        "REGION",
        "SSM",
        "VERSION",
    }
)


def words(key: str) -> list[str]:
    """`dbPassword`, `DB_PASSWORD` and `db-password` all give DB, PASSWORD."""
    return [word.upper() for word in WORD.findall(key)]


def names_a_secret(key: str) -> bool:
    parts = words(key)
    if any(part in REFERENCE_WORDS for part in parts):
        return False
    if any(part.endswith(SECRET_WORDS) for part in parts):
        return True
    pairs = set(zip(parts, parts[1:], strict=False))
    return any(pair in pairs for pair in SECRET_PAIRS)


def is_literal_secret(value: Any) -> bool:
    """A value written out in the template, not a pointer to where the secret lives."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return False
    text = str(value).strip()
    if is_placeholder(text):
        return False
    if "{{resolve:" in text or text.startswith(("arn:", "${")):
        return False  # dynamic reference, an ARN, or an unresolved variable
    return not (text.startswith("/") and " " not in text)  # an SSM parameter path


def holds_access_key(value: Any) -> bool:
    return (
        isinstance(value, str)
        and ACCESS_KEY_ID.search(value) is not None
        and not is_placeholder(value)
    )


@register
class SecretInEnvironment(TemplateRule):
    """A plain-text secret in the function's environment variables."""

    meta = RuleMeta(
        id="LL208",
        name="secret-in-environment",
        severity=Severity.ERROR,
        summary="A plain-text secret is written in the function's environment variables.",
        anchors=("checkov CKV_AWS_45", "checkov CKV_AWS_41"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for function in ctx.template.functions:
            for key, val in function.environment.items():
                what = self._secret_kind(key, val)
                if what is None:
                    continue
                yield self.finding(
                    val.span or function.environment_span or function.span,
                    f"environment variable {key} holds {what} in plain text: anyone who can "
                    "read the function's configuration or the template can read it; store it "
                    "in Secrets Manager or SSM Parameter Store and read it at run time",
                    anchor=function.anchor,
                )

    def _secret_kind(self, key: str, val: Val) -> str | None:
        if val.every(holds_access_key):
            return "an AWS access key id"
        if names_a_secret(key) and val.every(is_literal_secret):
            return "a literal secret"
        return None
