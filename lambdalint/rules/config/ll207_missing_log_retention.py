from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Finding, Related, Severity
from lambdalint.core.rule import RuleMeta, TemplateRule, register
from lambdalint.model import UNKNOWN, Function, LogGroup, Template


@register
class MissingLogRetention(TemplateRule):
    """The function's log group keeps logs forever (no retention anywhere we can see)."""

    meta = RuleMeta(
        id="LL207",
        name="missing-log-retention",
        severity=Severity.WARNING,
        summary="The function's log group has no retention: logs are kept (and billed) forever.",
        scope="template",
        anchors=("serverless-rules WS1004",),
    )

    def check(self, ctx: TemplateContext) -> Iterator[Finding]:
        templates = _templates(ctx)
        groups = [group for template in templates for group in template.log_groups]
        linked = {
            id(function.log_group)
            for template in templates
            for function in template.functions
            if function.log_group is not None
        }
        # A group whose name we cannot resolve and that no function claims may be anyone's
        # in its own folder tree; not the group of another project in the same run.
        unnamed = any(
            UNKNOWN in group.name.alternatives and id(group) not in linked
            for template in templates
            if _related(ctx.template, template)
            for group in template.log_groups
        )
        for function in ctx.template.functions:
            finding = self._check_function(function, groups, unnamed)
            if finding is not None:
                yield finding

    def _check_function(
        self, function: Function, groups: list[LogGroup], unnamed: bool
    ) -> Finding | None:
        if function.log_group is not None:
            return self._check_group(function, function.log_group)
        if not function.log_group_ref.is_missing:
            return self._check_logging_config(function, groups)
        return self._check_default_group(function, groups, unnamed)

    def _check_group(self, function: Function, group: LogGroup) -> Finding | None:
        """A log group we know is the function's: only a retention that is not written at
        all is a problem."""
        if not group.retention.is_missing:
            return None
        return self.finding(
            group.span,
            f"log group {group.logical_id} of function {function.logical_id} sets no "
            "RetentionInDays: its logs are kept, and billed, forever",
            related=[Related(function.span, "the function logging to it")],
            anchor=function.anchor,
        )

    def _check_logging_config(self, function: Function, groups: list[LogGroup]) -> Finding | None:
        """LoggingConfig names a log group the frontend could not link: judge it only when
        it is a literal name defined in these templates (one made elsewhere may well have a
        retention)."""
        name = function.log_group_ref.text()
        if name is None:
            return None
        named = [group for group in groups if group.name.text() == name]
        if len(named) != 1:
            return None
        return self._check_group(function, named[0])

    def _check_default_group(
        self, function: Function, groups: list[LogGroup], unnamed: bool
    ) -> Finding | None:
        """Lambda writes to /aws/lambda/<function name>, creating it without retention unless
        a log group resource of that name exists."""
        if unnamed:
            return None  # a group we cannot name may be this function's
        if function.name.is_missing:
            # The name is generated; a group could name it only through a reference, which
            # the frontend would have linked to the function.
            matching: list[LogGroup] = []
        else:
            name = function.name.text()
            if name is None:
                return None
            matching = [group for group in groups if group.name.text() == f"/aws/lambda/{name}"]
        if matching:
            return self._check_group(function, matching[0])
        return self.finding(
            function.span,
            f"function {function.logical_id} has no log group resource with a retention: "
            "Lambda creates /aws/lambda/<function name> on first run and keeps its logs "
            "forever; declare the log group with RetentionInDays (or point LoggingConfig at "
            "one)",
            anchor=function.anchor,
        )


def _templates(ctx: TemplateContext) -> list[Template]:
    """This template and the others of the run: a log group may be declared next door."""
    if ctx.template in ctx.templates:
        return ctx.templates
    return [ctx.template, *ctx.templates]


def _related(template: Template, other: Template) -> bool:
    """Two templates of one deployment, as far as paths tell: the same file, or folders one
    inside the other (`app/template.yaml` and `app/logging/logs.yaml`)."""
    if other is template:
        return True
    here, there = PurePosixPath(template.path).parent, PurePosixPath(other.path).parent
    return here == there or here in there.parents or there in here.parents
