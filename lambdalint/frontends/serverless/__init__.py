"""The Serverless Framework frontend: `serverless.yml` in, the same `Template` model out.

The file is read with the CloudFormation frontend's safe YAML loader (positions on every node),
its variables resolved where they can be, then translated into the CloudFormation the framework
would deploy and built by the CloudFormation builder. The framework's defaults go on the model:
a 6 s timeout, one shared execution role, log groups without retention unless
`provider.logRetentionInDays` sets one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.frontends.registry import Analysis
from lambdalint.model import Function, LogGroup, Role, Template
from lambdalint.sources import parse_error

if TYPE_CHECKING:
    from lambdalint.frontends.cloudformation.nodes import Node
    from lambdalint.frontends.serverless.translate import Generated
    from lambdalint.sources import SourceFile

DEFAULT_TIMEOUT = 6  # seconds: the framework's default, not Lambda's 3


def analyse(source: SourceFile, text: str, parse: bool = True) -> Analysis:
    """One serverless.yml (or serverless.json) in; its model out, or why it is not a service."""
    as_json = source.path.suffix.lower() == ".json"
    template, findings = load_serverless(text, source.display, as_json)
    if template is None and not findings:
        return Analysis(passed_over="not a Serverless Framework service for AWS")
    analysis = Analysis(model=template, findings=findings)
    if template is not None and not as_json:
        from lambdalint.core.directive import scan_hash_comments

        analysis.directives = scan_hash_comments(text, source.display)
    return analysis


def load_serverless(
    text: str, path: str, as_json: bool = False
) -> tuple[Template | None, list[Finding]]:
    """The model of one service file; (None, []) for a file that is not an AWS service."""
    from lambdalint.frontends.cloudformation.nodes import LoadError

    try:
        if as_json:
            from lambdalint.frontends.cloudformation.json_loader import load_json

            root, problems = load_json(text, path)
        else:
            from lambdalint.frontends.cloudformation.yaml_loader import load_yaml

            root, problems = load_yaml(text, path)
    except LoadError as exc:
        return None, [parse_error(path, exc.message, exc.line, exc.column)]
    if not is_service(root):
        return None, []
    findings = [parse_error(path, p.message, p.line, p.column) for p in problems]
    try:
        return build(root, path), findings
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the run
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        message = f"the Serverless Framework frontend failed on this file: {reason}"
        return None, [*findings, Finding("LL000", Severity.ERROR, message, Span.point(path, 1))]


def is_service(root: Node) -> bool:
    if not root.is_map or root.get("service") is None:
        return False
    provider = root.get("provider")
    name = provider.get("name") if provider is not None else None
    return name is None or name.value == "aws"


def build(root: Node, path: str) -> Template:
    from lambdalint.frontends.cloudformation.build import Builder
    from lambdalint.frontends.serverless.translate import Translator
    from lambdalint.frontends.serverless.variables import resolve_tree

    generated = Translator(resolve_tree(root)).translate()
    builder = Builder(generated.root, path)
    template = builder.build()
    template.source = "serverless"
    finish(template, generated, builder.resolver.objects)
    return template


def finish(template: Template, generated: Generated, objects: dict) -> None:
    """What the framework does that CloudFormation does not show: its defaults and names."""
    from lambdalint.frontends.serverless.names import SERVERLESS_NAMES

    for logical_id in generated.generated:
        obj = objects.get(logical_id)
        if obj is None:
            continue
        obj.source = "serverless"
        obj.names = SERVERLESS_NAMES
    for event in (e for f in template.functions for e in f.events):
        if event.logical_id in generated.generated:
            event.source, event.names = "serverless", SERVERLESS_NAMES
    for logical_id, key in generated.keys.items():
        function = objects.get(logical_id)
        if not isinstance(function, Function):
            continue
        function.default_timeout = DEFAULT_TIMEOUT
        function.anchor = f"functions/{key}"
        group = objects.get(generated.log_groups.get(logical_id, ""))
        if isinstance(group, LogGroup) and function.log_group_ref.is_missing:
            function.log_group = group
    role = objects.get("IamRoleLambdaExecution")
    if isinstance(role, Role) and "IamRoleLambdaExecution" in generated.generated:
        role.anchor = "provider/iam/role"


__all__ = ["analyse", "load_serverless"]
