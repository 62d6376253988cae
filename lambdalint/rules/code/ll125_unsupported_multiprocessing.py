from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register

# Objects built on POSIX shared-memory semaphores, which need /dev/shm.
SHM_TYPES = ("Pool", "Queue", "JoinableQueue", "SimpleQueue", "Manager")
CONTEXT_FACTORIES = ("multiprocessing.get_context",)
UNSUPPORTED = frozenset(
    {f"multiprocessing.{name}" for name in SHM_TYPES}
    | {"multiprocessing.pool.Pool", "multiprocessing.managers.SyncManager"}
    | {f"{factory}.{name}" for factory in CONTEXT_FACTORIES for name in SHM_TYPES}
    | {"concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"}
)


@register
class UnsupportedMultiprocessing(CodeRule):
    """multiprocessing objects that need /dev/shm, created on the handler path."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL125",
        name="unsupported-multiprocessing",
        severity=Severity.ERROR,
        summary="multiprocessing Pool/Queue/Manager or ProcessPoolExecutor, which fail in Lambda.",
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            if call.callee not in UNSUPPORTED:
                continue
            reach = ctx.reach(call.func)
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` needs shared memory (/dev/shm), which Lambda does not provide: "
                f"it fails with `OSError` ({reach.describe()}); use `multiprocessing.Process` "
                "with `Pipe`, or threads",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
            )
