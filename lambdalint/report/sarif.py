"""SARIF 2.1.0, as GitHub code scanning reads it: every selected rule in `tool.driver.rules`,
results with physical locations relative to the repository root (`%SRCROOT%`), related
locations, the engine's fingerprints and the fixes that were computed."""

from __future__ import annotations

import json

from lambdalint import __version__
from lambdalint.core.finding import Finding, Fix, RunResult, Severity
from lambdalint.core.rule import Rule, all_rules
from lambdalint.core.span import Span
from lambdalint.report.paths import RepositoryPaths, file_uri, relative_uri
from lambdalint.report.sources import SourceTexts, edit_regions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/lambdalint/lambdalint"
ROOT_ID = "%SRCROOT%"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "lambdalint/v1"


def render(result: RunResult, color: bool = False) -> str:
    return json.dumps(sarif_log(result), indent=2) + "\n"


def sarif_log(result: RunResult) -> dict:
    registry = all_rules()
    # Rules that produced findings without being selected (LL000, LL001) still need an entry:
    # a result's ruleIndex must point into rules[].
    ids = sorted({*result.rules, *(f.rule for f in result.findings)} & set(registry))
    index = {rule_id: position for position, rule_id in enumerate(ids)}
    paths = RepositoryPaths()
    sources = SourceTexts(result.texts)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lambdalint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(registry[i], result.help_urls) for i in ids],
                    }
                },
                "invocations": [
                    {"executionSuccessful": not any(f.rule == "LL000" for f in result.findings)}
                ],
                "originalUriBaseIds": {ROOT_ID: {"uri": paths.root_uri()}},
                "columnKind": "unicodeCodePoints",
                "results": [
                    sarif_result(finding, index, paths, sources) for finding in result.findings
                ],
            }
        ],
    }


def rule_descriptor(rule: type[Rule], help_urls: dict[str, str]) -> dict:
    meta = rule.meta
    url = help_urls.get(meta.id) or meta.help_url()
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.summary},
        "helpUri": url,
        "help": {
            "text": f"{meta.summary} See {url}",
            "markdown": f"{meta.summary} [{meta.id} {meta.name}]({url})",
        },
        "defaultConfiguration": {"level": LEVEL[meta.severity], "enabled": meta.default},
        "properties": {"tags": rule_tags(rule)},
    }


def rule_tags(rule: type[Rule]) -> list[str]:
    """The rule's family (its package: code, config, iam, events, cross, tool) and scope."""
    family = rule.__module__.split(".")[-2]
    return sorted({"lambda", family, rule.scope})


def sarif_result(
    finding: Finding, index: dict[str, int], paths: RepositoryPaths, sources: SourceTexts
) -> dict:
    item: dict = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical_location(finding.span, paths)}],
    }
    if finding.rule in index:
        item["ruleIndex"] = index[finding.rule]
    if finding.related:
        item["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": physical_location(related.where, paths),
                "message": {"text": related.message},
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    if finding.fingerprint:
        item["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.fix is not None:
        fix = sarif_fix(finding.fix, paths, sources)
        if fix is not None:
            item["fixes"] = [fix]
    return item


def artifact_location(display: str, paths: RepositoryPaths) -> dict:
    relative = paths.relative(display)
    if relative is None:
        return {"uri": file_uri(display)}
    return {"uri": relative_uri(relative), "uriBaseId": ROOT_ID}


def physical_location(span: Span, paths: RepositoryPaths) -> dict:
    return {
        "artifactLocation": artifact_location(span.path, paths),
        "region": {
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        },
    }


def sarif_fix(fix: Fix, paths: RepositoryPaths, sources: SourceTexts) -> dict | None:
    regions = edit_regions(fix, sources)
    if regions is None:
        return None
    changes: dict[str, list[dict]] = {}
    for region in regions:
        changes.setdefault(region["path"], []).append(
            {
                "deletedRegion": {
                    "startLine": region["line"],
                    "startColumn": region["column"],
                    "endLine": region["end_line"],
                    "endColumn": region["end_column"],
                },
                "insertedContent": {"text": region["content"]},
            }
        )
    return {
        "description": {"text": f"{fix.message} ({fix.applicability})"},
        "artifactChanges": [
            {"artifactLocation": artifact_location(path, paths), "replacements": replacements}
            for path, replacements in changes.items()
        ],
    }
