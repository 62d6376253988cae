"""The template phase: every template rule over every template model, then per-resource
suppressions (`Metadata: {lambdalint: {ignore: [...]}}`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from lambdalint.config import Settings
from lambdalint.core.finding import Finding
from lambdalint.core.rule import TemplateRule, expand_selector
from lambdalint.model import Resource, Template


@dataclass
class TemplateContext:
    """What a template rule sees: one template's model, the others of the run, the date."""

    template: Template
    templates: list[Template] = field(default_factory=list)
    as_of: datetime.date = field(default_factory=datetime.date.today)

    def resources(self) -> list[Resource]:
        t = self.template
        return [
            *t.functions,
            *t.roles,
            *t.queues,
            *t.buckets,
            *t.topics,
            *t.tables,
            *t.log_groups,
            *t.permissions,
            *t.urls,
            *(event for function in t.functions for event in function.events),
            *t.unattached_events,
        ]


def check_templates(
    results: list, rules: list[TemplateRule], settings: Settings, verbose: bool
) -> list[Finding]:
    from lambdalint.engine.run import internal_error

    templates: list[Template] = [r.template for r in results if isinstance(r.template, Template)]
    as_of = settings.as_of or datetime.date.today()
    findings: list[Finding] = []
    for template in templates:
        context = TemplateContext(template, templates, as_of)
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
