from __future__ import annotations

import json

from lambdalint.core.finding import RunResult
from lambdalint.core.rule import all_rules


def render(result: RunResult, color: bool = False) -> str:
    rules = all_rules()
    items = []
    for finding in result.findings:
        span = finding.span
        items.append(
            {
                "rule": finding.rule,
                "name": rules[finding.rule].meta.name if finding.rule in rules else finding.rule,
                "severity": str(finding.severity),
                "message": finding.message,
                "path": span.path,
                "line": span.line,
                "column": span.column,
                "end_line": span.end_line,
                "end_column": span.end_column,
                "fix": None,
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
        )
    return json.dumps(items, indent=2) + "\n"
