"""`--statistics`: findings counted per rule, with how many `--fix` repairs (`fixable`; the JSON
also counts those only `--unsafe-fixes` repairs), and a total."""

from __future__ import annotations

import json
from collections import Counter

from lambdalint.core.finding import Finding, RunResult
from lambdalint.core.rule import all_rules


def rows(result: RunResult) -> list[dict]:
    rules = all_rules()
    counts = Counter(f.rule for f in result.findings)
    fixable = Counter(applicability(f) for f in result.findings)
    return [
        {
            "rule": rule,
            "name": rules[rule].meta.name if rule in rules else "",
            "count": count,
            "fixable": fixable[rule, "safe"],
            "unsafe_fixable": fixable[rule, "unsafe"],
        }
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def applicability(finding: Finding) -> tuple[str, str]:
    return finding.rule, finding.fix.applicability if finding.fix else "none"


def render_text(result: RunResult) -> str:
    table = rows(result)
    if not table:
        return ""
    lines = [f"{'count':>5}  {'fixable':>7}  rule   name"]
    lines += [
        f"{row['count']:5d}  {row['fixable']:7d}  {row['rule']}  {row['name']}".rstrip()
        for row in table
    ]
    total, fixable = sum(r["count"] for r in table), sum(r["fixable"] for r in table)
    lines.append(f"{total:5d}  {fixable:7d}  total")
    return "\n".join(lines) + "\n"


def render_json(result: RunResult) -> str:
    """The rows as a JSON list (consumers add up the total themselves)."""
    return json.dumps(rows(result), indent=2) + "\n"
