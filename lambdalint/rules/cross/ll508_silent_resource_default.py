from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import HandlerCode, ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.frontends.python.facts import ENV
from lambdalint.frontends.python.sdk_usage import handler_usage
from lambdalint.rules.cross.joined import (
    by_read,
    code_anchor,
    configured_by,
    environment_related,
    read_ref,
    unset_reads,
)


@register
class SilentResourceDefault(ProjectRule):
    """A resource name read with a literal fallback the function's configuration never
    replaces: the function quietly works on a hard-coded resource."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL508",
        name="silent-resource-default",
        severity=Severity.WARNING,
        summary="The code reads a resource name with a literal fallback that the function's "
        "configuration does not set: the function silently targets the literal resource.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        named: dict[int, set[str]] = {}  # per handler: its SDK usage is walked once

        def names_resource(code: HandlerCode, name: str) -> bool:
            if id(code) not in named:
                named[id(code)] = _names_resources(code)
            return name in named[id(code)]

        found = by_read(
            (module, read, linked)
            for linked, code, module, read, _ in unset_reads(ctx.functions)
            if read.default and names_resource(code, read.name)
        )
        for module, read, functions in found:
            yield self.finding(
                read_ref(module, read),
                f"{read.name} falls back to {read.default!r}, and the configuration of "
                f"{configured_by(functions)} does not set {read.name}: the function silently "
                f"works on {read.default!r}",
                related=[environment_related(f.function) for f in functions],
                anchor=code_anchor(module.facts, read.func),
            )


def _names_resources(code: HandlerCode) -> set[str]:
    """The environment variables the code's SDK calls take a resource (a bucket, a table...)
    from."""
    return {
        use.resource.name
        for use in handler_usage(code).uses
        if use.resource is not None and use.resource.kind == ENV
    }
