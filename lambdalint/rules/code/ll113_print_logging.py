from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import CallFact
from lambdalint.frontends.python.structure_facts.json_prints import json_print_calls

STANDARD_STREAMS = frozenset({"sys.stdout", "sys.stderr"})


@register
class PrintLogging(CodeRule):
    """`print()` used as the function's logging."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL113",
        name="print-logging",
        severity=Severity.INFO,
        summary="The handler logs with print() instead of structured logging.",
        default=False,
        anchors=("AWS Lambda guide: structured logging",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        structured = json_print_calls(ctx.facts)
        for call in ctx.facts.calls:
            reach = ctx.reach(call.func) if _prints_a_log_line(call, structured) else None
            if reach is None:
                continue
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` writes an unstructured log line ({reach.describe()}); use "
                "`logging` (or Powertools `Logger`) with the JSON log format, so that lines "
                "carry a level and the request id and can be filtered and queried",
                related=reach.related(),
                anchor=f"{ctx.facts.module}.{call.func}",
            )


def _prints_a_log_line(call: CallFact, structured: set[int]) -> bool:
    if call.callee != "print":
        return False
    stream = call.kwarg("file")
    if stream is not None and stream.name not in STANDARD_STREAMS:
        return False  # writing to a file, not logging
    # `print(json.dumps({...}))` is a structured line (the documented way to emit EMF), also
    # through a name bound to the `json.dumps(...)`; text around the JSON is not.
    return call.index not in structured
