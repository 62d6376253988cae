from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Function, Template


@register
class SharedExecutionRole(TemplateRule):
    """Several functions running with one execution role."""

    meta = RuleMeta(
        id="LL304",
        name="shared-execution-role",
        severity=Severity.WARNING,
        summary="One execution role is used by several functions.",
        anchors=("KICS",),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        for role_name, functions in _groups(ctx.template):
            first = functions[0]
            for function in functions[1:]:
                yield self.finding(
                    function.role_ref.span or function.span,
                    f"{function.logical_id} shares the execution role {role_name} with "
                    f"{first.logical_id}: each gets the other's permissions. Give every "
                    "function its own role.",
                    related=[Related(first.role_ref.span or first.span, "also uses it")],
                    anchor=function.anchor,
                )


def _groups(template: Template) -> list[tuple[str, list[Function]]]:
    """Functions grouped by the role they name: the same role object, or the same literal ARN
    when the role is defined elsewhere. SAM's implicit per-function roles are never shared."""
    groups: dict[object, tuple[str, list[Function]]] = {}
    for function in template.functions:
        role = function.role
        if role is not None:
            if role.implicit:
                continue
            key: object = id(role)
            name = role.logical_id
        else:
            text = function.role_ref.text()
            if not text or not text.startswith("arn:"):
                continue
            key, name = text, text
        groups.setdefault(key, (name, []))[1].append(function)
    return [(name, functions) for name, functions in groups.values() if len(functions) > 1]
