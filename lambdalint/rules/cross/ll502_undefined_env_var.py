from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import LinkedFunction, ProjectContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import ProjectRule, RuleMeta, register
from lambdalint.data import runtime_environment
from lambdalint.rules.cross.joined import (
    code_anchor,
    env_reads,
    environment_related,
    read_ref,
    sets_variable,
    with_code,
)


@register
class UndefinedEnvVar(ProjectRule):
    """The code needs an environment variable its function's configuration does not set."""

    meta = RuleMeta(
        id="LL502",
        name="undefined-env-var",
        severity=Severity.ERROR,
        summary="The handler code reads an environment variable (without default, unguarded) "
        "that the function's configuration does not define: KeyError or None at run time.",
    )

    def check(self, ctx: ProjectContext) -> Iterator[Finding]:
        # One finding a read, naming every function that runs it without the variable.
        lacking: dict[tuple, tuple] = {}
        for linked, code in with_code(ctx.functions):
            if not linked.function.environment_complete:
                continue  # variables from a map we cannot read may include it
            for module, read, tested in env_reads(code):
                if not read.unguarded or read.name in tested:
                    continue
                if read.name in runtime_environment():
                    continue
                if sets_variable(linked.function, read.name):
                    continue
                key = (module.facts.path, read.kind, read.index)
                lacking.setdefault(key, (module, read, []))[2].append(linked)
        for module, read, functions in lacking.values():
            yield self._finding(module, read, functions)

    def _finding(self, module, read, functions: list[LinkedFunction]) -> Finding:
        names = ", ".join(f"{f.function.logical_id} ({f.template.path})" for f in functions)
        how = f'os.environ["{read.name}"]' if read.kind == "Subscript" else f"{read.name!r}"
        failure = "KeyError" if read.kind == "Subscript" else "None, used at once,"
        return self.finding(
            read_ref(module, read),
            f"{how} is read here but the configuration of {names} does not set "
            f"{read.name}: {failure} fails the invocation",
            related=[environment_related(f.function) for f in functions],
            anchor=code_anchor(module.facts, read.func),
        )
