from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Statement
from lambdalint.model.policy import Grant, permissions
from lambdalint.rules.iam.policy import (
    action_matches,
    allow_statements,
    is_everything,
    known_strings,
    where,
)

PASS_ROLE = "iam:PassRole"


@register
class PassroleWildcard(TemplateRule):
    """`iam:PassRole` allowed on every role."""

    meta = RuleMeta(
        id="LL306",
        name="passrole-wildcard",
        severity=Severity.ERROR,
        summary='`iam:PassRole` (directly or through a wildcard) is allowed on `Resource: "*"`.',
        anchors=("cfn_nag F38-F40", "CKV_AWS_110/286"),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for statement, use in allow_statements(ctx.template):
            # A condition (iam:PassedToService, iam:AssociatedResourceArn...) may scope it.
            if statement.has_condition or statement.not_resources:
                continue
            star = next((r for r in statement.resources if is_everything(r)), None)
            if star is None or not _grants_pass_role(statement):
                continue
            if permissions(use.role).denies_all(PASS_ROLE):
                continue  # denied on every role: the Allow passes none
            yield self.finding(
                where(star, statement, use.span),
                f"The execution role of {use.name} may pass any role (`iam:PassRole` on "
                '`Resource: "*"`): a function that can pass an admin role can become admin. '
                "List the role ARNs it passes.",
                anchor=use.anchor,
            )


def _grants_pass_role(statement: Statement) -> bool:
    for action in statement.actions:
        texts = known_strings(action)
        if texts and all(action_matches(text, PASS_ROLE) for text in texts):
            return True
    if statement.not_actions:
        # Allow + NotAction grants PassRole unless a listed pattern (all known) excludes it.
        excluded = [known_strings(action) for action in statement.not_actions]
        if all(texts is not None for texts in excluded):
            patterns = tuple(text for texts in excluded for text in texts)
            return Grant("Allow", patterns, not_action=True).matches(PASS_ROLE)
    return False
