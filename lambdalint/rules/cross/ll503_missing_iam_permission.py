from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.model.policy import DENIED, permissions
from lambdalint.rules.cross.joined import (
    call_ref,
    code_anchor,
    resolved_usage,
    role_related,
    why_unknown,
    with_code,
)


@register
class MissingIamPermission(ProjectRule):
    """The code calls an API its function's role does not allow."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL503",
        name="missing-iam-permission",
        severity=Severity.ERROR,
        summary="The handler code calls an AWS API whose IAM action the function's role does "
        "not allow: AccessDenied at run time.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        for linked, code in with_code(ctx.functions):
            usage, unknown = resolved_usage(code)
            granted = permissions(linked.function.role)
            # Judged only when everything is known: every SDK call of the code (one unknown
            # call may be why the role looks the way it does) and every policy of the role.
            name = linked.function.logical_id
            if usage is None:
                ctx.note(self.meta.id, f"{name}: {unknown}")
                continue
            if not granted.complete:
                ctx.note(self.meta.id, f"{name}: its role: {why_unknown(granted.unknown)}")
                continue
            for use in usage.uses:
                missing = [a for a in use.need.primary if granted.decide(a) == DENIED]
                if missing:
                    yield self.finding(
                        call_ref(use.path, use.call.index),
                        f"`{use.call.text}` needs {_listed(missing)}, which the execution role "
                        f"of {linked.function.logical_id} ({linked.template.path}) does not "
                        "allow: AccessDenied at run time",
                        related=role_related(linked),
                        anchor=code_anchor(use.module, use.call.func),
                    )


def _listed(actions: list[str]) -> str:
    return ", ".join(f"`{action}`" for action in actions)
