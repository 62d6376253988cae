from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Role, Statement
from lambdalint.model.policy import permissions
from lambdalint.rules.iam.action_table import scoped_writes
from lambdalint.rules.iam.policy import (
    allow_statements,
    is_everything,
    is_full_wildcard,
    known_strings,
    where,
)

# Writes the Lambda service itself needs on "*", as AWS's own execution-role policies grant them:
# logs (AWSLambdaBasicExecutionRole), traces (AWSXRayDaemonWriteAccess), the network
# interfaces of a function in a VPC (AWSLambdaVPCAccessExecutionRole), a durable function's
# checkpoints (AWSLambdaBasicDurableExecutionRolePolicy) and an S3 Object Lambda function's
# answer (AmazonS3ObjectLambdaExecutionRolePolicy).
EXEMPT = frozenset(
    {
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        "ec2:createnetworkinterface",
        "ec2:deletenetworkinterface",
        "ec2:assignprivateipaddresses",
        "ec2:unassignprivateipaddresses",
        "lambda:checkpointdurableexecution",
        "s3-object-lambda:writegetobjectresponse",
    }
)
SHOWN = 3
# An ARN that names every resource of one service: `arn:aws:sns:*:*:*`, `arn:*:sns:*:*`.
SERVICE_ARN_WILDCARD = re.compile(r"^arn:[^:]*:([a-z0-9-]+)[:*]*$", re.IGNORECASE)


@register
class IamWildcardResource(TemplateRule):
    """Write, tagging or permissions-management actions granted on every resource."""

    meta = RuleMeta(
        id="LL302",
        name="iam-wildcard-resource",
        severity=Severity.WARNING,
        summary="Write, tagging or permissions-management actions that support resource-level "
        'permissions are allowed on `Resource: "*"`.',
        anchors=("cfn_nag W11-W13", "CKV_AWS_111/355/356", "AwsSolutions-IAM5"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for statement, use in allow_statements(ctx.template):
            # NotAction and full wildcards are LL301's; a condition may scope the "*".
            if statement.not_actions or statement.has_condition or statement.not_resources:
                continue
            star = next((r for r in statement.resources if is_everything(r)), None)
            if star is None:
                continue
            actions = [
                a for a in _scoped_actions(statement) if not _denied_on_resources(use.role, a)
            ]
            if not actions:
                continue
            listed = ", ".join(f"`{a}`" for a in actions[:SHOWN])
            more = f" and {len(actions) - SHOWN} more" if len(actions) > SHOWN else ""
            yield self.finding(
                where(star, statement, use.span),
                f'The execution role of {use.name} allows {listed}{more} on `Resource: "*"`; '
                "these can be limited to the function's own resources.",
                anchor=use.anchor,
            )


def _scoped_actions(statement: Statement) -> list[str]:
    found: list[str] = []
    for action in statement.actions:
        texts = known_strings(action)
        if not texts or any(is_full_wildcard(text) for text in texts):
            continue
        # With `!If` alternatives, report only what every alternative grants.
        granted = [{a for a in scoped_writes(text) if a.lower() not in EXEMPT} for text in texts]
        common = set.intersection(*granted) if granted else set()
        found.extend(sorted(a for a in common if a not in found))
    return found


def _denied_on_resources(role: Role, action: str) -> bool:
    """The role also denies `action` on every resource of its service (`Deny sns:Publish on
    arn:aws:sns:*:*:*`): the "*" is then deliberate, and reaches only what has no ARN (SMS to a
    phone number), which cannot be scoped."""
    service = action.split(":", 1)[0].lower()
    for grant in permissions(role).grants:
        if grant.effect != "Deny" or grant.conditional or not grant.matches(action):
            continue
        if any(isinstance(r, str) and _names_whole_service(r, service) for r in grant.resources):
            return True
    return False


def _names_whole_service(arn: str, service: str) -> bool:
    match = SERVICE_ARN_WILDCARD.match(arn)
    return match is not None and match.group(1).lower() == service
