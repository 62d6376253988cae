"""The one suppression step, after every rule has run: comments, per-file ignores, LL002."""

from __future__ import annotations

from lambdalint.core.directive import Directive
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import expand_selector
from lambdalint.core.span import Span

UNSUPPRESSIBLE = frozenset({"LL000"})


def _covers(directive: Directive, rule: str) -> bool:
    if not directive.codes:
        return True
    return any(rule in expand_selector(code) for code in directive.codes)


def _applies_to_line(directive: Directive, line: int) -> bool:
    if directive.kind == "file-ignore":
        return True
    return line == directive.line or (directive.own_line and line == directive.line + 1)


def apply_suppressions(
    findings: list[Finding],
    directives: list[Directive],
    enabled: set[str],
    report_unused: bool,
) -> list[Finding]:
    by_path: dict[str, list[Directive]] = {}
    for directive in directives:
        by_path.setdefault(directive.path, []).append(directive)
    used: set[Directive] = set()
    kept = []
    for finding in findings:
        suppressor = None
        if finding.rule not in UNSUPPRESSIBLE:
            for directive in by_path.get(finding.path, ()):
                if _applies_to_line(directive, finding.span.line) and _covers(
                    directive, finding.rule
                ):
                    suppressor = directive
                    break
        if suppressor is None:
            kept.append(finding)
        else:
            used.add(suppressor)
    if report_unused:
        kept.extend(_unused(directives, used, enabled))
    return kept


def _unused(directives: list[Directive], used: set[Directive], enabled: set[str]) -> list[Finding]:
    findings = []
    for directive in directives:
        if directive in used:
            continue
        named = (
            set().union(*(expand_selector(code) for code in directive.codes))
            if directive.codes
            else None
        )
        if named is not None and named and not named & enabled:
            continue  # it names only rules that are off: unknowable whether it would be needed
        codes = f"[{', '.join(directive.codes)}]" if directive.codes else ""
        unknown = [code for code in directive.codes if not expand_selector(code)]
        message = f"unused suppression `lambdalint: {directive.kind}{codes}`"
        if unknown:
            message += f" (unknown rule {', '.join(unknown)})"
        findings.append(
            Finding(
                rule="LL002",
                severity=Severity.INFO,
                message=message,
                where=Span(
                    directive.path,
                    directive.line,
                    directive.column,
                    directive.line,
                    directive.column + 1,
                ),
            )
        )
    return findings
