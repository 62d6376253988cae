"""The closing line every human-readable format ends with."""

from __future__ import annotations

from lambdalint.core.finding import RunResult, Severity


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary(result: RunResult) -> str:
    findings = result.findings
    missing = len(result.missing_paths)
    # A path that does not exist was not checked: never call that a pass.
    not_found = f" {plural(missing, 'path')} not found." if missing else ""
    if not findings and missing:
        return f"No findings in {plural(result.files_checked, 'file')} checked;{not_found}"
    if not findings and not result.files_checked:
        return "Nothing checked (0 files)."
    if not findings:
        return f"All checks passed ({plural(result.files_checked, 'file')} checked)."
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    files = len({finding.path for finding in findings})
    return (
        f"Found {plural(len(findings), 'finding')} ({plural(counts[Severity.ERROR], 'error')}, "
        f"{plural(counts[Severity.WARNING], 'warning')}, {counts[Severity.INFO]} info) "
        f"in {plural(files, 'file')}.{not_found}"
    )


def fix_summary(result: RunResult) -> list[str]:
    """As ruff: how many findings `--fix` would fix, and how many more `--unsafe-fixes` would."""
    fixes = [finding.fix for finding in result.findings if finding.fix is not None]
    fixable = sum(fix.applies(result.unsafe_fixes) for fix in fixes)
    hidden = sum(fix.applies(True) for fix in fixes) - fixable
    more = ""
    if hidden:
        noun = "hidden fix" if hidden == 1 else "hidden fixes"
        more = f" ({hidden} {noun} can be enabled with --unsafe-fixes)"
    if fixable:
        return [f"[*] {fixable} fixable with --fix{more}."]
    return [f"No fixes available{more}."] if hidden else []
