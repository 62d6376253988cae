from lambdalint.core.finding import Severity
from lambdalint.core.rule import RuleMeta, ToolRule, register


@register
class InlineCodeLint(ToolRule):
    """Python inlined in a template is analysed with every enabled LL1xx rule.

    The engine does the work (engine/linking.py): each finding keeps its own rule id and severity
    and is placed on the template's lines. Deselecting LL211 leaves inline code unanalysed."""

    meta = RuleMeta(
        id="LL211",
        name="inline-code-lint",
        severity=Severity.INFO,  # nominal: findings carry the severity of the rule that made them
        summary="Python code inlined in a template (InlineCode, Code.ZipFile) is analysed too.",
    )
