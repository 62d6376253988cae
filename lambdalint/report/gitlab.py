"""GitLab Code Quality: the JSON a `codequality` report artifact holds (GitLab shows it on the
merge request). Paths are relative to the repository root, as GitLab requires."""

from __future__ import annotations

import json

from lambdalint.core.finding import Finding, RunResult, Severity
from lambdalint.report.paths import RepositoryPaths

# GitLab's scale is info, minor, major, critical, blocker. Our warnings cost money or lose
# messages (major); our errors break the function or open a hole (critical); blocker is left
# for nothing a static check can know.
SEVERITY = {Severity.INFO: "info", Severity.WARNING: "major", Severity.ERROR: "critical"}


def issue(finding: Finding, paths: RepositoryPaths) -> dict:
    span = finding.span
    return {
        "type": "issue",
        "description": f"{finding.rule}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": finding.fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {
            "path": paths.path(span.path),
            "lines": {"begin": span.line, "end": span.end_line},
        },
    }


def render(result: RunResult, color: bool = False) -> str:
    paths = RepositoryPaths()
    return json.dumps([issue(finding, paths) for finding in result.findings], indent=2) + "\n"
