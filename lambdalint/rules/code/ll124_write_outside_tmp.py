from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.io_files import PathText, file_facts

# Writable places in a Lambda execution environment: ephemeral storage, device files
# (/dev/null, /dev/stdout), /proc, and EFS mounts (their local path must start with /mnt/).
WRITABLE_ROOTS = frozenset({"tmp", "dev", "proc", "mnt"})


def outside_tmp(path: PathText, changes_directory: bool) -> str | None:
    """Why a write to `path` cannot work, or None when it can or the path is not known enough."""
    head = path.head
    if not head:
        return None
    if not head.startswith("/"):
        if changes_directory:
            return None  # the working directory may have moved to /tmp
        return "a relative path, which resolves under the read-only /var/task"
    rest = head[1:]
    if not path.exact and "/" not in rest:
        return None  # the first directory is not known yet (`f"/{d}/x"`)
    root = rest.split("/", 1)[0]
    if root in WRITABLE_ROOTS:
        return None
    return f"`/{root}`, which is read-only in Lambda (only /tmp is writable)"


@register
class WriteOutsideTmp(CodeRule):
    """A file written outside /tmp on the handler path: the file system there is read-only."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL124",
        name="write-outside-tmp",
        severity=Severity.ERROR,
        summary="A file is written outside /tmp, where Lambda's file system is read-only.",
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        files = file_facts(ctx.facts)
        for write in files.writes:
            reach = ctx.reach(write.func)
            if reach is None:
                continue
            why = outside_tmp(write.path, files.changes_directory)
            if why is None:
                continue
            shown = write.path.head + ("" if write.path.exact else "…")
            yield self.finding(
                ctx.call_ref(write.index),
                f"writes `{shown}`: {why} ({reach.describe()}); "
                "this fails with `OSError: Read-only file system`; write under /tmp",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{write.func}",
            )
