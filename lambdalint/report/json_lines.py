"""One JSON object a line, the same objects as the `json` format: streams and `grep` well."""

from __future__ import annotations

import json

from lambdalint.core.finding import RunResult
from lambdalint.core.rule import all_rules
from lambdalint.report.json import finding_item
from lambdalint.report.sources import SourceTexts


def render(result: RunResult, color: bool = False) -> str:
    rules, sources = all_rules(), SourceTexts(result.texts)
    return "".join(
        json.dumps(finding_item(finding, rules, sources)) + "\n" for finding in result.findings
    )
