"""The CloudFormation/SAM frontend: a YAML or JSON file in, a `Template` model out.

Files that are not CloudFormation (workflows, OpenAPI, package.json...) are left alone without a
word; only a file that looks like a template and does not parse is an LL001."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lambdalint.core.finding import Finding
from lambdalint.frontends.registry import Analysis
from lambdalint.model import Template
from lambdalint.sources import SourceFile, parse_error

if TYPE_CHECKING:
    from lambdalint.frontends.cloudformation.includes import IncludeReader
    from lambdalint.frontends.cloudformation.nodes import LoadError, Node

# Cheap test on raw text before any parsing: every template names an AWS:: type, the format
# version or the transform.
_MAYBE_TEMPLATE = ("AWS::", "AWSTemplateFormatVersion")
# Stricter, for deciding whether a file that does not parse deserves an LL001.
_LOOKS_LIKE_TEMPLATE = re.compile(
    r"AWSTemplateFormatVersion|AWS::Serverless-2016-10-31"
    r"|[\"']?Type[\"']?\s*:\s*[\"']?AWS::[A-Za-z0-9]+::[A-Za-z0-9]+"
)


def maybe_template(text: str) -> bool:
    return any(marker in text for marker in _MAYBE_TEMPLATE)


def looks_like_template(text: str) -> bool:
    return _LOOKS_LIKE_TEMPLATE.search(text) is not None


def analyse_template_file(source: SourceFile, text: str, parse: bool = True) -> Analysis:
    """One YAML/JSON file's text in; its model out, or why it is not a template after all."""
    as_json = is_json(source, text)
    from lambdalint.frontends.cloudformation.includes import include_reader

    includes = include_reader(source.path, source.scan_root)
    template, findings = load_template(text, source.display, as_json, includes)
    if template is None and not findings:
        return Analysis(passed_over="not a CloudFormation or SAM template")
    analysis = Analysis(model=template, findings=findings)
    if template is not None and not as_json:
        from lambdalint.core.directive import scan_hash_comments

        analysis.directives = scan_hash_comments(text, source.display)
    return analysis


def load_template(
    text: str, path: str, as_json: bool = False, includes: IncludeReader | None = None
) -> tuple[Template | None, list[Finding]]:
    """The model of one template's text, and LL001 findings. (None, []) for non-templates."""
    if not maybe_template(text):
        return None, []
    from lambdalint.frontends.cloudformation.nodes import LoadError

    try:
        root, problems = _load(text, path, as_json)
    except LoadError as exc:
        if not looks_like_template(text):
            return None, []
        return None, [parse_error(path, exc.message, exc.line, exc.column)]
    from lambdalint.frontends.cloudformation.build import Builder, is_template
    from lambdalint.frontends.cloudformation.includes import no_includes

    if not is_template(root):
        return None, []
    findings = [parse_error(path, p.message, p.line, p.column) for p in problems]
    try:
        return Builder(root, path, includes or no_includes).build(), findings
    except Exception as exc:  # noqa: BLE001 - one odd template must not stop the run
        return None, [*findings, _internal_error(path, exc)]


def _internal_error(path: str, exc: Exception) -> Finding:
    from lambdalint.core.finding import Severity
    from lambdalint.core.span import Span

    reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
    message = f"the CloudFormation frontend failed on this file: {reason}"
    return Finding("LL000", Severity.ERROR, message, Span.point(path, 1))


def _load(text: str, path: str, as_json: bool) -> tuple[Node, list[LoadError]]:
    if as_json:
        from lambdalint.frontends.cloudformation.json_loader import load_json

        return load_json(text, path)
    from lambdalint.frontends.cloudformation.yaml_loader import load_yaml

    return load_yaml(text, path)


def is_json(source: SourceFile, text: str) -> bool:
    if source.path.suffix.lower() == ".json":
        return True
    if source.path.suffix.lower() == ".template":
        return text.lstrip()[:1] in ("{", "[")
    return False


__all__ = ["analyse_template_file", "load_template", "looks_like_template", "maybe_template"]
