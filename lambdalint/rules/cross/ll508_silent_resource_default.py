from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.facts import ENV
from lambdalint.frontends.python.sdk_usage import handler_usage
from lambdalint.rules.cross.joined import (
    code_anchor,
    env_reads,
    environment_related,
    read_ref,
    sets_variable,
    with_code,
)


@register
class SilentResourceDefault(ProjectRule):
    """A resource name read with a literal fallback the function's configuration never
    replaces: the function quietly works on a hard-coded resource."""

    meta = RuleMeta(
        id="LL508",
        name="silent-resource-default",
        severity=Severity.WARNING,
        summary="The code reads a resource name with a literal fallback that the function's "
        "configuration does not set: the function silently targets the literal resource.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        found: dict[tuple, tuple] = {}
        for linked, code in with_code(ctx.functions):
            function = linked.function
            if not function.environment_complete:
                continue
            resources = {
                use.resource.name
                for use in handler_usage(code).uses
                if use.resource is not None and use.resource.kind == ENV
            }
            for module, read, _ in env_reads(code):
                if not read.default or read.name not in resources:
                    continue
                if sets_variable(function, read.name):
                    continue
                key = (module.facts.path, read.kind, read.index)
                found.setdefault(key, (module, read, []))[2].append(linked)
        for module, read, functions in found.values():
            names = ", ".join(f"{f.function.logical_id} ({f.template.path})" for f in functions)
            yield self.finding(
                read_ref(module, read),
                f"{read.name} falls back to {read.default!r}, and the configuration of {names} "
                f"does not set {read.name}: the function silently works on {read.default!r}",
                related=[environment_related(f.function) for f in functions],
                anchor=code_anchor(module.facts, read.func),
            )
