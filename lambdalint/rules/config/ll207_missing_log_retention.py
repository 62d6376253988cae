from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import Function, LogGroup
from lambdalint.model.index import ModelIndex


@register
class MissingLogRetention(TemplateRule):
    """The function's log group keeps logs forever (no retention anywhere we can see)."""

    meta = RuleMeta(
        id="LL207",
        name="missing-log-retention",
        severity=Severity.WARNING,
        summary="The function's log group has no retention: logs are kept (and billed) forever.",
        anchors=("serverless-rules WS1004",),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        index = ctx.index
        unnamed = index.unclaimed_unnamed_log_group_near(ctx.template)
        unclaimed = index.unclaimed_log_group_near(ctx.template)
        for function in ctx.template.functions:
            finding = self._check_function(function, index, unnamed, unclaimed)
            if finding is not None:
                yield finding

    def _check_function(
        self, function: Function, index: ModelIndex, unnamed: bool, unclaimed: bool
    ) -> Finding | None:
        if function.log_group is not None:
            return self._check_group(function, function.log_group)
        if not function.log_group_ref.is_missing:
            return self._check_logging_config(function, index)
        return self._check_default_group(function, index, unnamed, unclaimed)

    def _check_group(self, function: Function, group: LogGroup) -> Finding | None:
        """A log group we know is the function's: only a retention that is not written at
        all is a problem."""
        if not group.retention.is_missing:
            return None
        # A group the function's own block makes (a serverless.yml function, the lambda
        # module) has a name the user never wrote: name only the function.
        made_by_function = group.span == function.span
        which = "the log group" if made_by_function else f"log group {group.logical_id}"
        return self.finding(
            group.span,
            f"{which} of function {function.logical_id} sets no "
            f"{group.prop('RetentionInDays')}: its logs are kept, and billed, forever",
            related=[Related(function.span, "the function logging to it")],
            anchor=function.anchor,
        )

    def _check_logging_config(self, function: Function, index: ModelIndex) -> Finding | None:
        """LoggingConfig names a log group the frontend could not link: judge it only when
        it is a literal name defined in these templates (one made elsewhere may well have a
        retention)."""
        name = function.log_group_ref.text()
        if name is None:
            return None
        named = index.log_groups_named(name)
        if len(named) != 1:
            return None
        return self._check_group(function, named[0])

    def _check_default_group(
        self, function: Function, index: ModelIndex, unnamed: bool, unclaimed: bool
    ) -> Finding | None:
        """Lambda writes to /aws/lambda/<function name>, creating it without retention unless
        a log group resource of that name exists. A name we cannot resolve matters only when
        some log group could be the function's: with none left unclaimed, it has none."""
        if unnamed:
            return None  # a group we cannot name may be this function's
        name = function.name.text()
        if function.name.is_missing or name is None:
            # A generated name could be named by a group only through a reference, which the
            # frontend would have linked to the function.
            if name is None and not function.name.is_missing and unclaimed:
                return None
            matching: list[LogGroup] = []
        else:
            matching = index.log_groups_named(f"/aws/lambda/{name}")
        if matching:
            return self._check_group(function, matching[0])
        return self.finding(
            function.span,
            f"function {function.logical_id} has no log group resource with a retention: "
            "Lambda creates /aws/lambda/<function name> on first run and keeps its logs "
            f"forever; declare the log group with {function.prop('RetentionInDays')} (or point "
            f"{function.prop('LoggingConfig')} at "
            "one)",
            anchor=function.anchor,
        )
