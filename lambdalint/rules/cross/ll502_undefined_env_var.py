from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.data import runtime_environment
from lambdalint.rules.cross.joined import (
    by_read,
    code_anchor,
    configured_by,
    environment_related,
    read_ref,
    unset_reads,
)


@register
class UndefinedEnvVar(ProjectRule):
    """The code needs an environment variable its function's configuration does not set."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL502",
        name="undefined-env-var",
        severity=Severity.ERROR,
        summary="The handler code reads an environment variable (without default, unguarded) "
        "that the function's configuration does not define: KeyError or None at run time.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        # One finding a read, naming every function that runs it without the variable.
        lacking = by_read(
            (module, read, linked)
            for linked, _, module, read, tested in unset_reads(ctx.functions)
            if read.unguarded and read.name not in tested and read.name not in runtime_environment()
        )
        for module, read, functions in lacking:
            yield self._finding(module, read, functions)

    def _finding(self, module, read, functions: list[LinkedFunction]) -> Finding:
        how = f'os.environ["{read.name}"]' if read.kind == "Subscript" else f"{read.name!r}"
        failure = "KeyError" if read.kind == "Subscript" else "None, used at once,"
        return self.finding(
            read_ref(module, read),
            f"{how} is read here but the configuration of {configured_by(functions)} does not "
            f"set {read.name}: {failure} fails the invocation",
            related=[environment_related(f.function) for f in functions],
            anchor=code_anchor(module.facts, read.func),
        )
