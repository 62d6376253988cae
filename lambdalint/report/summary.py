"""The closing line every human-readable format ends with."""

from __future__ import annotations

from lambdalint.core.finding import RunResult, Severity


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary(result: RunResult) -> str:
    findings = result.findings
    if not findings:
        return f"All checks passed ({plural(result.files_checked, 'file')} checked)."
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    files = len({finding.path for finding in findings})
    return (
        f"Found {plural(len(findings), 'finding')} ({plural(counts[Severity.ERROR], 'error')}, "
        f"{plural(counts[Severity.WARNING], 'warning')}, {counts[Severity.INFO]} info) "
        f"in {plural(files, 'file')}."
    )
