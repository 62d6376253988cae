from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.io_files import file_facts

# Ways of writing content into a file (an empty `touch` fills nothing).
CONTENT_WRITES = frozenset({"open", "write", "download", "copy"})


@register
class TmpFixedPath(CodeRule):
    """A fixed file name under /tmp written on every invocation and never removed."""

    meta = RuleMeta(
        id="LL121",
        name="tmp-fixed-path",
        severity=Severity.INFO,
        summary="A file with a fixed name is written under /tmp and never removed.",
        default=False,
        anchors=("S7620", "B108"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        files = file_facts(ctx.facts)
        guarded = {call.index for call in ctx.facts.calls if call.guarded}
        for write in files.writes:
            path = write.path
            if write.how not in CONTENT_WRITES or not path.exact:
                continue
            if not path.head.startswith("/tmp/") or path.head.rstrip("/") == "/tmp":
                continue
            # A cached asset (written once, tested for existence) and a file cleaned up are
            # the recommended uses of /tmp.
            if path.head in files.removed or path.head in files.checked:
                continue
            if write.func in files.removes_unknown or write.index in guarded:
                continue
            reach = ctx.reach(write.func)
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(write.index),
                f"writes the fixed path `{path.head}` on every invocation ({reach.describe()}) "
                "and never removes it: it stays in /tmp for later invocations; use `tempfile` "
                "or delete it when done",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{write.func}",
            )
