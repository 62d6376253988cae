from lambdalint.core.finding import Severity
from lambdalint.core.rule import RuleMeta, ToolRule, register


@register
class ParseError(ToolRule):
    """A file that should be analysed cannot be read or parsed."""

    meta = RuleMeta(
        id="LL001",
        name="parse-error",
        severity=Severity.ERROR,
        summary="A file that should be analysed cannot be parsed; the other files still are.",
    )
