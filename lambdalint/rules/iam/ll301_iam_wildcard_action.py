from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model.policy import permissions
from lambdalint.rules.iam.policy import allow_statements, is_full_wildcard, known_strings, where


@register
class IamWildcardAction(TemplateRule):
    """An execution role allows every action, or every action of a service."""

    meta = RuleMeta(
        id="LL301",
        name="iam-wildcard-action",
        severity=Severity.ERROR,
        summary='An execution role allows `Action: "*"` or `<service>:*`, or Allow with NotAction.',
        anchors=(
            "cfn_nag F3/F4/F5",
            "CKV_AWS_63/49/1",
            "serverless-rules WS1003",
            "AwsSolutions-IAM5",
        ),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for statement, use in allow_statements(ctx.template):
            granted = permissions(use.role)
            for action in statement.actions:
                texts = known_strings(action)
                if texts and all(is_full_wildcard(text) for text in texts):
                    if all(granted.denies_all(text) for text in texts):
                        continue  # a Deny on everything takes the whole wildcard back
                    yield self.finding(
                        where(action, statement, use.span),
                        f"The execution role of {use.name} allows {_describe(texts[0])}: "
                        "grant the actions the function calls, on its resources.",
                        anchor=use.anchor,
                    )
            if statement.not_actions and not granted.denies_all("*"):
                # Allow + NotAction grants every action but the listed ones, today and tomorrow.
                first = statement.not_actions[0]
                yield self.finding(
                    where(first, statement, use.span),
                    f"The execution role of {use.name} uses Allow with NotAction, which grants "
                    "every other action of every service.",
                    anchor=use.anchor,
                )


def _describe(action: str) -> str:
    if action == "*":
        return 'every action (`Action: "*"`)'
    return f"every {action.split(':', 1)[0]} action (`{action}`)"
