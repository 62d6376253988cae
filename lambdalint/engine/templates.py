"""The template phase: every template rule over every template model; on a CDK-synthesized
template, each finding names the construct it is about."""

from __future__ import annotations

import datetime
from dataclasses import replace

from lambdalint.api import TemplateContext
from lambdalint.config import Settings
from lambdalint.core.finding import Finding
from lambdalint.core.rule import TemplateRule
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
        constructs = _constructs(context.resources())
        for rule in rules:
            try:
                findings.extend(_naming_construct(f, constructs) for f in rule.check(context))
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
                findings.append(internal_error(rule, template.path, exc, verbose))
    return findings


def _constructs(resources: list[Resource]) -> list[tuple[str, str]]:
    """(anchor, construct path) of resources a CDK app synthesized, most specific anchor first."""
    named = [(r.anchor, r.construct_path) for r in resources if r.construct_path and r.anchor]
    return sorted(named, key=lambda pair: -len(pair[0]))


def _naming_construct(finding: Finding, table: list[tuple[str, str]]) -> Finding:
    """A CDK user changes constructs, not logical ids: the message names the construct."""
    for anchor, path in table:
        if finding.anchor == anchor or finding.anchor.startswith(anchor + "/"):
            return replace(finding, message=f"{finding.message} (CDK construct {path})")
    return finding
