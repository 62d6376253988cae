from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Fix, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import SESSION_FACTORIES
from lambdalint.rules.code.per_invocation import (
    creations_on_handler_path,
    only_custom_resources,
    report,
)

if TYPE_CHECKING:  # libcst is imported only when fixes are asked for
    import libcst as cst

    from lambdalint.frontends.python.fix_tree import FixTree

SESSIONS = SESSION_FACTORIES
SESSION_METHODS = ("client", "resource", "create_client")
CLIENTS = frozenset(
    {"boto3.client", "boto3.resource"}
    | {f"{session}.{method}" for session in SESSIONS for method in SESSION_METHODS}
)


@register
class ClientInHandler(CodeRule):
    """An AWS SDK client, resource or session created on every invocation."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL101",
        name="client-in-handler",
        severity=Severity.WARNING,
        summary="An AWS SDK client, resource or session is created on every invocation.",
        fix="safe",
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
            # A custom resource runs a few times per deployment: the cost hardly adds up.
            severity = Severity.INFO if only_custom_resources(ctx, call.func) else None
            yield report(self, ctx, call, reach, what, severity)

    def fix(self, finding: Finding, tree: FixTree, node: cst.CSTNode) -> Fix | None:
        """Create it once at module scope. Safe for a client the function only calls methods
        on, built from literals, module constants and `os.environ.get`; unsafe otherwise (a
        resource or session has state, a passed-on object may be changed, `os.environ[...]`
        raises at import time instead of in the invocation, and so does a creation a `try`
        of the function used to handle)."""
        import libcst as cst

        from lambdalint.rules.code.hoist import hoist, qualified_callee, string_argument

        if not isinstance(node, cst.Call):
            return None
        callee = qualified_callee(node, tree)
        if callee.startswith(("aioboto3", "aiobotocore")):
            return None
        kind = callee.rpartition(".")[2]
        service = string_argument(node, 0, "service_name")
        moved = hoist(tree, node, _variable_name(kind, service))
        if moved is None:
            return None
        client = kind in ("client", "create_client")
        safe = client and moved.calls_only and not (moved.environ_index or moved.in_try)
        message = (
            f"Use the module-level `{moved.name}`"
            if moved.reused
            else f"Create `{moved.name}` once at module scope"
        )
        return Fix(message, "safe" if safe else "unsafe", moved.edits)


def _variable_name(kind: str, service: str | None) -> str:
    """`s3_client`, `dynamodb_resource`, `session`: what is made, of which service."""
    service = re.sub(r"\W+", "_", service or "").strip("_").lower()
    if kind in ("client", "create_client"):
        return f"{service}_client" if service else "client"
    if kind == "resource":
        return f"{service}_resource" if service else "resource"
    return "session"
