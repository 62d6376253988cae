"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from lambdalint.core.finding import Finding, RunResult, Severity
from lambdalint.core.rule import all_rules

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part, escaped as the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property: also `:` and `,`, which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, names: dict[str, str]) -> str:
    span = finding.span
    title = f"{finding.rule} {names.get(finding.rule, '')}".rstrip()
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", span.path),
            ("line", span.line),
            ("col", span.column),
            ("endLine", span.end_line),
            ("endColumn", span.end_column),
            ("title", title),
        )
    )
    return f"::{COMMAND[finding.severity]} {properties}::{escape_data(finding.message)}"


def render(result: RunResult, color: bool = False) -> str:
    names = {rule_id: cls.meta.name for rule_id, cls in all_rules().items()}
    return "".join(annotation(finding, names) + "\n" for finding in result.findings)
