"""The template phase: every template rule over every template model."""

from __future__ import annotations

import datetime

from lambdalint.api import TemplateContext
from lambdalint.config import Settings
from lambdalint.core.finding import Finding
from lambdalint.core.rule import TemplateRule
from lambdalint.model import Template
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
        for rule in rules:
            try:
                findings.extend(rule.check(context))
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
                findings.append(internal_error(rule, template.path, exc, verbose))
    return findings
