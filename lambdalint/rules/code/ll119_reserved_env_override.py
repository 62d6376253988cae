from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.data import reserved_environment
from lambdalint.frontends.python.outline import ENVIRON_WRITE_AT_IMPORT
from lambdalint.frontends.python.structure_facts.env_writes import (
    EVERY_VARIABLE,
    NAME,
    EnvWrite,
    EnvWrites,
)
from lambdalint.rules.code.tests_and_fixtures import is_test_module


@register
class ReservedEnvOverride(CodeRule):
    """Function code that sets or deletes an environment variable the Lambda runtime reserves."""

    # Module scope runs at import time, reached or not.
    unreached_tokens = (ENVIRON_WRITE_AT_IMPORT,)

    def reports_unreached(self, path: str) -> bool:
        return not is_test_module(path)

    meta = RuleMeta(
        id="LL119",
        name="reserved-env-override",
        severity=Severity.ERROR,
        summary="Code sets or deletes an environment variable reserved by the Lambda runtime.",
        fix="none",
        anchors=("S7617", "CodeGuru lambda-override-reserved"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        facts = ctx.facts.structure.get(NAME)
        if not isinstance(facts, EnvWrites) or not facts.writes:
            return
        for write in facts.writes:
            names = _reserved(write)
            if not names:
                continue
            if write.func:
                reach = ctx.reach(write.func)
                if reach is None:
                    continue
                when = reach.describe()
                related = reach.related()
            elif write.main_only or is_test_module(ctx.facts.path):
                continue
            else:
                when, related = "at import time", []
            yield self.finding(
                NodeRef(ctx.facts.path, write.kind, write.index),
                f"{write.how} changes {names}, reserved by the Lambda runtime ({when}): the "
                "runtime, the AWS SDK and X-Ray rely on the values Lambda sets; use a variable "
                "of your own or pass the value explicitly",
                related=related,
                anchor=f"{ctx.facts.module}.{write.func or '<module>'}",
            )


def _reserved(write: EnvWrite) -> str:
    if EVERY_VARIABLE in write.names:
        return "every reserved variable"
    names = sorted(name for name in set(write.names) if name in reserved_environment())
    return ", ".join(f"`{name}`" for name in names)
