from __future__ import annotations

from lambdalint.core.finding import Finding, RunResult
from lambdalint.report.summary import summary


def headline(finding: Finding) -> str:
    span = finding.span
    location = f"{span.path}:{span.line}:{span.column}:"
    return f"{location} {finding.rule} [{finding.severity}] {finding.message}"


def render(result: RunResult, color: bool = False, quiet: bool = False) -> str:
    lines = [headline(finding).splitlines()[0] for finding in result.findings]
    if not quiet:
        lines.append(summary(result))
    return "".join(line + "\n" for line in lines)
