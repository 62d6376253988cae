"""The one suppression step, after every rule has run: comments (Python, YAML), resource
Metadata, per-file ignores; LL002 for every directive that suppressed nothing."""

from __future__ import annotations

import os
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.core.directive import Directive
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import expand_selector
from lambdalint.core.span import Span
from lambdalint.model import Template

UNSUPPRESSIBLE = frozenset({"LL000"})


def _covers(directive: Directive, rule: str) -> bool:
    if not directive.codes:
        return True
    return any(rule in expand_selector(code) for code in directive.codes)


def _applies_to(directive: Directive, finding: Finding) -> bool:
    if directive.kind == "file-ignore":
        return True
    if directive.kind == "metadata":
        anchor = finding.anchor
        return anchor == directive.anchor or anchor.startswith(directive.anchor + "/")
    line = finding.span.line
    return line == directive.line or (directive.own_line and line == directive.line + 1)


def metadata_directives(template: Template) -> list[Directive]:
    """One directive per resource whose Metadata suppresses rules. Resources SAM derives from a
    function (its role, events, URL) carry the function's list and sit under its anchor: the
    directive is the declaring resource's, not repeated for each of them."""
    from lambdalint.api import TemplateContext

    directives: dict[tuple[str, tuple[str, ...]], Directive] = {}
    for resource in TemplateContext(template).resources():
        if not resource.suppressed or not resource.anchor:
            continue
        anchor = "/".join(resource.anchor.split("/")[:2])
        known = directives.get((anchor, resource.suppressed))
        if known is None or resource.anchor == anchor:
            span = resource.span
            directives[(anchor, resource.suppressed)] = Directive(
                template.path,
                span.line,
                span.column,
                "metadata",
                resource.suppressed,
                False,
                anchor,
            )
    return list(directives.values())


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
                if _applies_to(directive, finding) and _covers(directive, finding.rule):
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
        if directive.kind == "metadata":
            resource = directive.anchor.rpartition("/")[2]
            message = f"unused suppression `Metadata: lambdalint: ignore: {codes}` on {resource}"
        else:
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


def apply_per_file_ignores(findings: list[Finding], settings: Settings) -> list[Finding]:
    """The configuration's `per-file-ignores`, matched on root-relative paths."""
    if not settings.per_file_ignores:
        return findings
    ignored: dict[str, set[str]] = {}
    kept = []
    for finding in findings:
        if finding.path not in ignored:
            ignored[finding.path] = settings.ignored_for(
                relative_to_root(finding.path, settings.root)
            )
        if finding.rule not in ignored[finding.path]:
            kept.append(finding)
    return kept


def relative_to_root(display: str, root: Path) -> str:
    try:
        return Path(os.path.realpath(display)).relative_to(root).as_posix()
    except ValueError:
        return display
