from __future__ import annotations

from lambdalint.core.finding import Finding, RunResult
from lambdalint.report.summary import fix_summary, summary

FIXABLE = "[*]"


def headline(finding: Finding, unsafe_fixes: bool = False) -> str:
    span = finding.span
    location = f"{span.path}:{span.line}:{span.column}:"
    mark = f" {FIXABLE}" if finding.fix is not None and finding.fix.applies(unsafe_fixes) else ""
    return f"{location} {finding.rule}{mark} [{finding.severity}] {finding.message}"


def fix_diff(finding: Finding) -> list[str]:
    """With --show-fixes: what the fix would change, under the finding."""
    fix = finding.fix
    if fix is None or not fix.diff:
        return []
    kind = f"{fix.applicability} fix" if fix.applicability != "display-only" else "suggestion"
    return [f"  = help: {fix.message} ({kind})", *("    " + line for line in fix.diff.splitlines())]


def render(result: RunResult, color: bool = False, quiet: bool = False) -> str:
    lines = []
    for finding in result.findings:
        lines.append(headline(finding, result.unsafe_fixes).splitlines()[0])
        lines.extend(fix_diff(finding))
    if not quiet:
        lines.append(summary(result))
        lines.extend(fix_summary(result))
    return "".join(line + "\n" for line in lines)
