from lambdalint.core.finding import Severity
from lambdalint.core.rule import RuleMeta, ToolRule, register


@register
class InternalError(ToolRule):
    """A rule raised an exception on one file; every other rule and file still runs."""

    meta = RuleMeta(
        id="LL000",
        name="internal-error",
        severity=Severity.ERROR,
        summary="A rule failed on this file; the other rules and files were still checked.",
    )
