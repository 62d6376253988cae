from __future__ import annotations

import weakref
from collections.abc import Iterator

from lambdalint.api import CodeContext, FunctionKey, Reach
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.structure_facts.batch_errors import NAME, BatchErrors, BroadExcept


@register
class SwallowedBatchError(CodeRule):
    """A batch handler catches every exception around per-record work and neither re-raises nor
    reports the record as failed: the failed messages are deleted as if processed."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL114",
        name="swallowed-batch-error",
        severity=Severity.ERROR,
        summary="A batch handler swallows per-record exceptions: failed records are lost.",
        fix="none",
        anchors=("B110/B112 (generic)",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        facts = ctx.facts.structure.get(NAME)
        if not isinstance(facts, BatchErrors) or not facts.handlers or facts.powertools_batch:
            return
        for handler in facts.handlers:
            if handler.notification:
                continue  # S3/SNS/SES notifications: asynchronous invokes, not a polled batch
            reach = ctx.reach(handler.func)
            if reach is None or _handled(handler, facts, ctx, reach):
                continue
            if handler.loop_param and not _fed_records(ctx, handler):
                continue
            if handler.placement == "helper" and not _called_per_record(ctx, handler):
                continue
            yield self._report(ctx, handler, reach)

    def _report(self, ctx: CodeContext, handler: BroadExcept, reach: Reach) -> Finding:
        where = {
            "inside": "inside the loop over the batch's records",
            "around": "around the loop over the batch's records",
            "helper": f"in `{handler.func}()`, called for each of the batch's records,",
        }[handler.placement]
        return self.finding(
            NodeRef(ctx.facts.path, "ExceptHandler", handler.index),
            f"`except {handler.catches}` {where} neither "
            "re-raises nor reports the record in `batchItemFailures`: a failed record counts "
            "as processed (SQS deletes it, a stream moves past it) and is never retried "
            f"({reach.describe()})",
            related=reach.related(),
            anchor=f"{ctx.facts.module}.{handler.func}",
        )


def _handled(handler: BroadExcept, facts: BatchErrors, ctx: CodeContext, reach: Reach) -> bool:
    """The failure still reaches Lambda, a dead-letter queue, or the partial-batch response."""
    if handler.reraises or handler.forwards or handler.reports:
        return True
    if not handler.records:
        return False
    if handler.raise_after:
        return True  # errors collected per record, raised once the batch is done
    handler_module = ctx.project.modules.get(reach.handler_ref.path)
    handler_facts = handler_module.facts.structure.get(NAME) if handler_module else None
    return facts.mentions_failures or (
        isinstance(handler_facts, BatchErrors)
        and (handler_facts.mentions_failures or handler_facts.powertools_batch)
    )


def _fed_records(ctx: CodeContext, handler: BroadExcept) -> bool:
    """Whether a caller on the handler path passes the batch's records as the parameter the
    loop iterates."""
    function = ctx.function(handler.func)
    if function is None or handler.loop_param not in function.params:
        return False
    position = function.params.index(handler.loop_param)
    if function.in_class and function.params[:1] in (("self",), ("cls",)):
        position -= 1
    wanted = {handler.loop_param}
    if 0 <= position < function.positional:
        wanted.add(str(position))

    def passes_records(facts: BatchErrors, edge) -> bool:
        return bool(wanted.intersection(facts.record_args.get(edge.index, ())))

    return _reached_call(ctx, handler, passes_records)


def _called_per_record(ctx: CodeContext, handler: BroadExcept) -> bool:
    """Whether a loop over the event's records on the handler path calls the function."""
    return _reached_call(ctx, handler, lambda facts, edge: edge.index in facts.per_record_calls)


def _reached_call(ctx: CodeContext, handler: BroadExcept, accepts) -> bool:
    """Whether a call on the handler path that `accepts(caller's facts, edge)` reaches the
    function holding the handler."""
    target = FunctionKey(ctx.facts.path, handler.func)
    return any(accepts(facts, edge) for facts, edge in _calls_on_path(ctx.project).get(target, ()))


# The calls on the handler path of each project by the function they reach, built once per
# project: looking them up per broad `except` made the rule quadratic in the project's size.
_CALLS_ON_PATH: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _calls_on_path(project) -> dict[FunctionKey, list[tuple[BatchErrors, object]]]:
    known = _CALLS_ON_PATH.get(project)
    if known is not None:
        return known
    known = {}
    for module in project.modules.values():
        facts = module.facts.structure.get(NAME)
        if not isinstance(facts, BatchErrors):
            continue
        for edge in module.facts.edges:
            caller = FunctionKey(module.facts.path, edge.caller)
            if caller not in project.reach:
                continue
            target = project.resolve_edge(module, edge)
            if target is not None:
                known.setdefault(target, []).append((facts, edge))
    _CALLS_ON_PATH[project] = known
    return known
