from lambdalint.core.finding import Severity
from lambdalint.core.rule import RuleMeta, ToolRule, register


@register
class UnusedSuppression(ToolRule):
    """A suppression comment that suppresses nothing (like ruff's RUF100)."""

    meta = RuleMeta(
        id="LL002",
        name="unused-suppression",
        severity=Severity.INFO,
        default=False,
        fix="none",
        summary="A `# lambdalint: ignore` comment that suppresses nothing.",
        anchors=("RUF100",),
    )
