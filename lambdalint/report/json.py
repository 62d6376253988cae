from __future__ import annotations

import json
import re

from lambdalint.core.finding import Fix, RunResult
from lambdalint.core.rule import all_rules
from lambdalint.sources import display_text

NEWLINE = re.compile(r"\r\n|\r|\n")


class _Positions:
    """Edit offsets turned into 1-based lines and code-point columns, reading each file once
    (decoded as the analysis decoded it)."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self.starts: dict[str, list[int] | None] = {}
        self.texts = texts or {}

    def of(self, path: str, offset: int) -> tuple[int, int] | None:
        if path not in self.starts:
            self.starts[path] = _line_starts(path, self.texts)
        starts = self.starts[path]
        if starts is None:
            return None
        line = _bisect(starts, offset)
        return line + 1, offset - starts[line] + 1


def _line_starts(path: str, texts: dict[str, str]) -> list[int] | None:
    text = display_text(path, texts)
    if text is None:
        return None
    return [0] + [match.end() for match in NEWLINE.finditer(text)]


def _bisect(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _fix(fix: Fix | None, positions: _Positions) -> dict | None:
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        start = positions.of(edit.path, edit.start)
        end = positions.of(edit.path, edit.end)
        if start is None or end is None:
            return None
        edits.append(
            {
                "path": edit.path,
                "line": start[0],
                "column": start[1],
                "end_line": end[0],
                "end_column": end[1],
                "content": edit.text,
            }
        )
    return {"message": fix.message, "applicability": fix.applicability, "edits": edits}


def render(result: RunResult, color: bool = False) -> str:
    rules = all_rules()
    positions = _Positions(result.texts)
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
                "fix": _fix(finding.fix, positions),
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
