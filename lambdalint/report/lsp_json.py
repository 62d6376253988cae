"""LSP `Diagnostic` objects keyed by file URI, for editor plug-ins that shell out; the language
server sends the same objects. Positions are 0-based with UTF-16 columns, as LSP counts."""

from __future__ import annotations

import json

from lambdalint.core.finding import Finding, RunResult, Severity
from lambdalint.core.rule import all_rules
from lambdalint.core.span import LineIndex, Span, lsp_position
from lambdalint.report.paths import file_uri
from lambdalint.report.sources import SourceTexts

SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}  # 4 (hint) unused


def lsp_range(span: Span, index: LineIndex | None) -> dict:
    def position(line: int, column: int) -> dict:
        # Without the text (a file gone since the run) code points are the best guess.
        at = index.lsp(line, column) if index else lsp_position("", line, column)
        return {"line": at[0], "character": at[1]}

    return {
        "start": position(span.line, span.column),
        "end": position(span.end_line, span.end_column),
    }


def diagnostic(
    finding: Finding, sources: SourceTexts, help_urls: dict[str, str] | None = None
) -> dict:
    """One finding as an LSP Diagnostic; `data` carries the rule's name and the fingerprint."""
    rules = all_rules()
    item: dict = {
        "range": lsp_range(finding.span, sources.index(finding.path)),
        "severity": SEVERITY[finding.severity],
        "code": finding.rule,
        "source": "lambdalint",
        "message": finding.message,
    }
    if finding.rule in rules:
        meta = rules[finding.rule].meta
        url = (help_urls or {}).get(finding.rule) or meta.help_url()
        item["codeDescription"] = {"href": url}
        item["data"] = {"name": meta.name, "fingerprint": finding.fingerprint}
    if finding.related:
        item["relatedInformation"] = [
            {
                "location": {
                    "uri": file_uri(related.where.path),
                    "range": lsp_range(related.where, sources.index(related.where.path)),
                },
                "message": related.message,
            }
            for related in finding.related
        ]
    return item


def render(result: RunResult, color: bool = False) -> str:
    sources = SourceTexts(result.texts)
    by_uri: dict[str, list[dict]] = {}
    for finding in result.findings:
        by_uri.setdefault(file_uri(finding.path), []).append(
            diagnostic(finding, sources, result.help_urls)
        )
    return json.dumps(by_uri, indent=2) + "\n"
