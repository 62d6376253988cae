from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext, FunctionKey, Reach
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.io_files import Write, file_facts
from lambdalint.rules.code.per_invocation import called_from

# Ways of writing content into a file (an empty `touch` fills nothing).
CONTENT_WRITES = frozenset({"open", "write", "download", "copy"})
MAX_FUNCTIONS = 500  # a bound on the walk over one invocation's functions


@register
class TmpFixedPath(CodeRule):
    """A fixed file name under /tmp written on every invocation and never removed."""

    unreached_tokens = ()  # reports on handler code only
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
            # A cached asset (written once, tested for existence) is the recommended use.
            if path.head in files.checked or write.index in guarded:
                continue
            reach = ctx.reach(write.func)
            if reach is None or _cleaned_up(ctx, write, reach):
                continue
            yield self.finding(
                ctx.call_ref(write.index),
                f"writes the fixed path `{path.head}` on every invocation ({reach.describe()}) "
                "and never removes it: it stays in /tmp for later invocations; use `tempfile` "
                "or delete it when done",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{write.func}",
            )


def _cleaned_up(ctx: CodeContext, write: Write, reach: Reach) -> bool:
    """Whether the same invocation removes the file: the writing function, its handler, or a
    function either calls (`cleanup(path)` -> `os.unlink(path)`) removes that path or a path it
    cannot name. A removal in another handler of the module does not run in this invocation."""
    for key in _same_invocation(ctx, write.func, reach):
        module = ctx.project.modules.get(key.path)
        if module is None:
            continue
        files = file_facts(module.facts)
        if key.qualname in files.removes_unknown:
            return True
        if write.path.head in files.removed.get(key.qualname, ()):
            return True
    return False


def _same_invocation(ctx: CodeContext, func: str, reach: Reach) -> list[FunctionKey]:
    """The writing function and the handler reaching it, and every project function they call."""
    start = [FunctionKey(ctx.facts.path, func)]
    handler_module = ctx.project.modules.get(reach.handler_ref.path)
    if handler_module is not None:
        start += [
            FunctionKey(reach.handler_ref.path, fact.qualname)
            for fact in handler_module.facts.functions.values()
            if fact.index == reach.handler_ref.index
        ]
    return list(called_from(ctx.project, start, MAX_FUNCTIONS))
