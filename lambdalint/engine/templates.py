"""The template phase: every template rule over every template model, then per-resource
suppressions (`Metadata: {lambdalint: {ignore: [...]}}`)."""

from __future__ import annotations

import datetime

from lambdalint.api import TemplateContext
from lambdalint.config import Settings
from lambdalint.core.finding import Finding
from lambdalint.core.rule import TemplateRule, expand_selector
from lambdalint.model import Resource, Template
from lambdalint.model.index import ModelIndex


def check_templates(
    results: list, rules: list[TemplateRule], settings: Settings, verbose: bool
) -> list[Finding]:
    from lambdalint.engine.run import internal_error

    templates: list[Template] = [r.template for r in results if isinstance(r.template, Template)]
    as_of = settings.as_of or datetime.date.today()
    findings: list[Finding] = []
    index = ModelIndex.build(templates)
    for template in templates:
        context = TemplateContext(template, templates, as_of, index)
        suppressed = _suppressions(context.resources())
        for rule in rules:
            try:
                produced = list(rule.check(context))
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
                findings.append(internal_error(rule, template.path, exc, verbose))
                continue
            findings.extend(f for f in produced if not _is_suppressed(f, suppressed))
    return findings


def _suppressions(resources: list[Resource]) -> list[tuple[str, set[str]]]:
    table = []
    for resource in resources:
        if resource.suppressed and resource.anchor:
            ids = set().union(*(expand_selector(code) for code in resource.suppressed))
            table.append((resource.anchor, ids))
    return table


def _is_suppressed(finding: Finding, table: list[tuple[str, set[str]]]) -> bool:
    return any(
        finding.rule in ids
        and (finding.anchor == anchor or finding.anchor.startswith(anchor + "/"))
        for anchor, ids in table
    )
