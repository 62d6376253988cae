from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.placeholders import is_placeholder
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.facts import (
    ACCESS_KEY,
    LITERAL,
    STATIC,
    CallFact,
    Value,
)
from lambdalint.frontends.python.outline import (
    ACCESS_KEY_SHAPE,
    CREDENTIALS_BY_POSITION,
    URL_WITH_PASSWORD,
)
from lambdalint.rules.code.tests_and_fixtures import is_test_module

CREDENTIAL_KEYWORDS = {
    "aws_access_key_id": "an AWS access key id",
    "aws_secret_access_key": "an AWS secret access key",
    "aws_session_token": "an AWS session token",
}
# Positions of the three credentials in the SDK factories' signatures.
CREDENTIAL_POSITIONS = {
    "client": (6, 7, 8),
    "resource": (6, 7, 8),
    "session": (0, 1, 2),
}
REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$")
PASSWORD_KEYWORDS = frozenset({"password", "passwd", "pwd"})
# Database and cache connects, by the end of their dotted names.
CONNECT_SUFFIXES = (
    ".connect",
    ".Connect",
    ".Connection",
    ".Redis",
    ".StrictRedis",
    ".MongoClient",
    ".create_pool",
    "ConnectionPool",
    "Database",
    ".OpenSearch",
    ".Elasticsearch",
)
STRING_KINDS = {
    "access-key": "an AWS access key id",
    "url-password": "a connection URL with a password",
}


@register
class HardcodedCredentials(CodeRule):
    """Credentials written into the code, anywhere (module scope included)."""

    # Outside handler code too (deployment scripts ship keys as well), but only where a key
    # shape, a URL with a password, a credential or password keyword, or credentials given by
    # position may be written.
    unreached_tokens = (
        ACCESS_KEY_SHAPE,
        URL_WITH_PASSWORD,
        CREDENTIALS_BY_POSITION,
        *CREDENTIAL_KEYWORDS,
        *sorted(PASSWORD_KEYWORDS),
    )

    def reports_unreached(self, path: str) -> bool:
        return not is_test_module(path)

    meta = RuleMeta(
        id="LL108",
        name="hardcoded-credentials",
        severity=Severity.ERROR,
        summary="AWS credentials or a password are written into the code.",
        anchors=("S7625", "CodeGuru hardcoded-credentials", "B105", "B106", "B107"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        if is_test_module(ctx.facts.path):
            return  # test suites and recorded events hold mock keys; they are never deployed
        for kind, func, index in ctx.facts.secrets:
            yield self.report(
                NodeRef(ctx.facts.path, "SimpleString", index), STRING_KINDS[kind], ctx, func
            )
        for call in ctx.facts.calls:
            found = list(_credentials(call))
            if found:
                whats = [what for what, _ in found]
                what = " and ".join([", ".join(whats[:-1]), whats[-1]] if len(whats) > 1 else whats)
                # One credential: point at its argument; several: at the call that holds them.
                argument = found[0][1] if len(found) == 1 else ""
                yield self.report(ctx.call_ref(call.index, argument), what, ctx, call.func)

    def report(self, where: NodeRef, what: str, ctx: CodeContext, func: str) -> Finding:
        return self.finding(
            where,
            f"{what} {'are' if ' and ' in what else 'is'} written into the code; read it at run "
            "time from Secrets Manager or SSM Parameter Store, or let the execution role provide "
            "AWS credentials",
            anchor=f"{ctx.facts.module}.{func or '<module>'}",
        )


def _credentials(call: CallFact) -> Iterator[tuple[str, str]]:
    """(what is written, the argument holding it: see CallFact.argument_key)."""
    positions = CREDENTIAL_POSITIONS.get(call.sdk, ())
    for number, (keyword, what) in enumerate(CREDENTIAL_KEYWORDS.items()):
        position = positions[number] if positions else 99
        if _secret(call.argument(position, keyword)):
            yield what, call.argument_key(position, keyword)
    if call.callee.endswith(CONNECT_SUFFIXES) and not call.callee.startswith("@"):
        for keyword in PASSWORD_KEYWORDS:
            if _secret(call.kwarg(keyword)):
                yield f"a database or cache password (`{keyword}=`)", keyword


def _secret(value: Value | None) -> bool:
    """A literal that is not a placeholder. Access-key shapes are reported at the string."""
    if value is None or value.kind not in (LITERAL, STATIC) or value.text is None:
        return False
    text = value.text
    # A region in a credential's position is a misplaced argument, not a secret.
    return not is_placeholder(text) and not ACCESS_KEY.search(text) and not REGION.match(text)
