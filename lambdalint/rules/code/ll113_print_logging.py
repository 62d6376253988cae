from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import OBJECT, CallFact

STANDARD_STREAMS = frozenset({"sys.stdout", "sys.stderr"})
JSON_DUMPS = frozenset({"json.dumps", "simplejson.dumps", "orjson.dumps", "ujson.dumps"})


@register
class PrintLogging(CodeRule):
    """`print()` used as the function's logging."""

    meta = RuleMeta(
        id="LL113",
        name="print-logging",
        severity=Severity.INFO,
        summary="The handler logs with print() instead of structured logging.",
        default=False,
        anchors=("AWS Lambda guide: structured logging",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            reach = ctx.reach(call.func) if _prints_a_log_line(call) else None
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


def _prints_a_log_line(call: CallFact) -> bool:
    if call.callee != "print":
        return False
    stream = call.kwarg("file")
    if stream is not None and stream.name not in STANDARD_STREAMS:
        return False  # writing to a file, not logging
    if len(call.args) == 1 and not call.star_args:
        # `print(json.dumps({...}))` is a structured line (the documented way to emit EMF),
        # also through a name bound to the `json.dumps(...)`; a `json.dumps` elsewhere is not.
        printed = call.args[0]
        if printed.kind == OBJECT and printed.name in JSON_DUMPS:
            return False
    return True
