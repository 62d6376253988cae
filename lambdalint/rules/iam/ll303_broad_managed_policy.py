from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model.policy import managed_name
from lambdalint.rules.iam.policy import execution_roles, known_strings

BROAD = frozenset({"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"})
BARE_NAME = re.compile(r"^[\w+=,.@-]+$")


@register
class BroadManagedPolicy(TemplateRule):
    """An administrator-like AWS managed policy on a function's execution role."""

    meta = RuleMeta(
        id="LL303",
        name="broad-managed-policy",
        severity=Severity.ERROR,
        summary="`AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess` or a `*FullAccess` "
        "AWS managed policy is attached to an execution role.",
        anchors=("cfn_nag W43/W44", "CKV_AWS_274/275", "AwsSolutions-IAM4"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for use in execution_roles(ctx.template):
            for policy in use.role.managed_policies:
                texts = known_strings(policy)
                names = [_broad_name(text) for text in texts or ()]
                if not names or not all(names):
                    continue
                yield self.finding(
                    policy.span or use.span,
                    f"The execution role of {use.name} has the AWS managed policy {names[0]}, "
                    "which grants far more than a function needs; write a policy for the "
                    "actions and resources it uses.",
                    anchor=use.anchor,
                )


def _broad_name(policy: str) -> str | None:
    # SAM accepts bare AWS managed policy names in Policies.
    name = managed_name(policy) or (policy if BARE_NAME.match(policy) else None)
    if name and (name in BROAD or name.endswith("FullAccess")):
        return name
    return None
