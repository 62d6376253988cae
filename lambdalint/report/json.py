from __future__ import annotations

import json

from lambdalint.core.finding import Finding, Fix, RunResult
from lambdalint.core.rule import all_rules
from lambdalint.report.sources import SourceTexts, edit_regions


def _fix(fix: Fix | None, sources: SourceTexts) -> dict | None:
    if fix is None:
        return None
    edits = edit_regions(fix, sources)
    if edits is None:
        return None
    return {"message": fix.message, "applicability": fix.applicability, "edits": edits}


def finding_item(finding: Finding, rules: dict, sources: SourceTexts) -> dict:
    """One finding as the JSON formats (json, json-lines) print it."""
    span = finding.span
    return {
        "rule": finding.rule,
        "name": rules[finding.rule].meta.name if finding.rule in rules else finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "fix": _fix(finding.fix, sources),
        "related": [
            {
                "path": related.where.path,
                "line": related.where.line,
                "column": related.where.column,
                "message": related.message,
            }
            for related in finding.related
        ],
    }


def render(result: RunResult, color: bool = False) -> str:
    rules, sources = all_rules(), SourceTexts(result.texts)
    items = [finding_item(finding, rules, sources) for finding in result.findings]
    return json.dumps(items, indent=2) + "\n"
