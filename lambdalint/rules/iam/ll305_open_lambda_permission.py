from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Permission

# A public function URL needs exactly this grant; LL209 reports URLs without auth instead.
URL_ACTION = "lambda:invokefunctionurl"


@register
class OpenLambdaPermission(TemplateRule):
    """A resource-based permission that lets anyone, or any account's resources, invoke."""

    meta = RuleMeta(
        id="LL305",
        name="open-lambda-permission",
        severity=Severity.ERROR,
        summary="A Lambda permission for principal `*` without a source condition, or for a "
        "service principal without `SourceArn` and `SourceAccount`.",
        anchors=("cfn_nag F13", "CKV_AWS_301/364", "cfn-lint W3663", "Security Hub Lambda.1"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for permission in ctx.template.permissions:
            if permission.action.every(lambda action: str(action).lower() == URL_ACTION):
                continue
            message = _problem(permission)
            if message:
                yield self.finding(
                    permission.principal.span or permission.span,
                    message,
                    anchor=permission.anchor,
                )


def _problem(permission: Permission) -> str | None:
    principal = permission.principal
    unscoped = permission.source_arn.is_missing and permission.source_account.is_missing
    if principal.every(lambda p: p == "*"):
        if unscoped and permission.principal_org_id.is_missing:
            return (
                "Anyone may invoke this function (principal `*` with no "
                f"{permission.prop('SourceArn')}, {permission.prop('SourceAccount')} or "
                f"{permission.prop('PrincipalOrgID')})."
            )
        return None
    if principal.every(_is_service) and unscoped:
        service = principal.alternatives[0]
        return (
            f"Any {service} resource, in any account, may invoke this function (confused "
            f"deputy): set {permission.prop('SourceArn')} (and "
            f"{permission.prop('SourceAccount')}) to the resource that calls it."
        )
    return None


def _is_service(principal: object) -> bool:
    return isinstance(principal, str) and principal.endswith(".amazonaws.com")
