"""From a handler's SDK calls to the statements its role needs.

Each primary action of each call is granted on the resource the call works on, resolved
through the template: `os.environ["TABLE"]` with `TABLE: !Ref Orders` is the table `Orders`,
so `dynamodb:GetItem` goes on `!GetAtt Orders.Arn`; S3 object actions go on the bucket's
objects (`${Bucket.Arn}/*`), bucket actions on the bucket. A table, queue or topic the code
names literally becomes its ARN in the deploying stack's region and account (a queue URL gives
both). `*` is used only for actions that support no resource-level permission; a resource the
template does not wire stays visibly unresolved instead of becoming `*`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import ENV, Value
from lambdalint.frontends.python.sdk_usage import HandlerUsage, SdkUse, template_value
from lambdalint.model import Bucket, Function, Queue, Resource, Table, Topic
from lambdalint.model.sdk_actions import resource_types

# The ARN of a model object: the attribute that holds it (`!GetAtt X.Arn`, or `!Ref X` for
# topics, whose Ref is their ARN).
ARN_ATTRIBUTE = {Bucket: "Arn", Table: "Arn", Queue: "Arn", Topic: "", Function: "Arn"}
# The resource type (Service Authorization Reference) each model object stands for.
KIND = {Bucket: "bucket", Table: "table", Queue: "queue", Topic: "topic", Function: "function"}


@dataclass(frozen=True)
class Arn:
    """A statement's resource: `*`, a literal ARN, a model object's ARN (plus a suffix such as
    `/*` for a bucket's objects), or a resource the code names but the template does not wire
    (`unresolved` says how the code names it)."""

    literal: str = ""
    resource: Resource | None = None
    attribute: str = ""
    suffix: str = ""
    unresolved: str = ""
    # `literal` holds the deploying stack's region and account as `${AWS::Region}` and
    # `${AWS::AccountId}`; each output format spells them its own way.
    regional: bool = False

    @property
    def is_star(self) -> bool:
        return self.literal == "*"


STAR = Arn("*")


@dataclass
class PolicyStatement:
    actions: list[str]
    resources: list[Arn]


@dataclass
class LeastPrivilege:
    statements: list[PolicyStatement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be resolved, and why


def least_privilege(function: Function, usage: HandlerUsage) -> LeastPrivilege:
    """Allow statements for every primary action of the code, grouped by resource."""
    result = LeastPrivilege(notes=list(usage.unresolved))
    by_resources: dict[tuple[Arn, ...], list[str]] = {}
    for use in usage.uses:
        for action in use.need.primary:
            arns = (_arn(function, use, action, result.notes),)
            actions = by_resources.setdefault(arns, [])
            if action not in actions:
                actions.append(action)
    merged: dict[tuple[str, ...], list[Arn]] = {}
    for arns, actions in by_resources.items():
        key = tuple(sorted(actions))
        merged.setdefault(key, [])
        merged[key].extend(arn for arn in arns if arn not in merged[key])
    result.statements = [
        PolicyStatement(list(actions), arns) for actions, arns in sorted(merged.items())
    ]
    return result


def _arn(function: Function, use: SdkUse, action: str, notes: list[str]) -> Arn:
    types = resource_types(action) or ""
    if not types:
        return STAR  # no resource-level permission: `*` is the only way
    target = template_value(function, use.resource)
    if isinstance(target, Resource) and type(target) in KIND:
        return _object_arn(target, types.split())
    if isinstance(target, str) and target.startswith("arn:"):
        return Arn(target)
    if isinstance(target, str) and target and use.call.service == "s3":
        # A bucket name: S3 ARNs carry no region or account.
        suffix = "/*" if "object" in types.split() else ""
        return Arn(f"arn:aws:s3:::{target}{suffix}")
    if isinstance(target, str) and target:
        named = _named_arn(use.call.service, target, types.split())
        if named is not None:
            return named
    how = _describe(use.resource)
    note = f"{action}: the resource ({how}) is not wired by the template"
    if note not in notes:  # several calls of one operation say it once
        notes.append(note)
    return Arn(unresolved=how)


# The ARN of a resource the code names literally, with the deploying stack's region and account.
NAMED_ARNS = {
    "dynamodb": ("table", "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/{name}"),
    "sqs": ("queue", "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:{name}"),
    "sns": ("topic", "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:{name}"),
}
# A queue URL names its region and account: https://sqs.eu-west-1.amazonaws.com/123456789012/q
QUEUE_URL = re.compile(
    r"^https://sqs\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<account>\d{12})/"
    r"(?P<name>[\w-]+(?:\.fifo)?)$"
)
NAME = re.compile(r"^[\w.-]+$")


def _named_arn(service: str, target: str, types: list[str]) -> Arn | None:
    """A DynamoDB table, SQS queue (name or URL) or SNS topic the code names by a literal."""
    kind, pattern = NAMED_ARNS.get(service, ("", ""))
    if kind not in types:
        return None
    url = QUEUE_URL.match(target) if service == "sqs" else None
    if url is not None:
        region, account, name = url.group("region", "account", "name")
        partition = "aws-cn" if ".amazonaws.com.cn/" in target else "aws"
        return Arn(f"arn:{partition}:sqs:{region}:{account}:{name}")
    if not NAME.match(target):
        return None
    return Arn(pattern.replace("{name}", target), regional=True)


def _object_arn(target: Resource, types: list[str]) -> Arn:
    attribute = ARN_ATTRIBUTE[type(target)]
    if isinstance(target, Bucket) and "object" in types:
        return Arn(resource=target, attribute=attribute, suffix="/*")
    return Arn(resource=target, attribute=attribute)


def _describe(value: Value | None) -> str:
    if value is None:
        return "no resource argument"
    if value.kind == ENV and value.name:
        return f"environment variable {value.name}"
    if value.text is not None:
        return repr(value.text)
    return "a value the analyzer cannot resolve"
