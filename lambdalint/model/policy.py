"""What an execution role allows: every policy that reaches it, evaluated as IAM does.

A role's statements (inline, attached, SAM policy templates already expanded by the frontend)
and its AWS managed policies (from the dated data file managed_policies.json) become `Grant`s.
`Permissions.decide(action)` answers ALLOWED, DENIED or UNKNOWN; anything the model cannot read
(an unknown managed policy, an action or effect from an unresolved reference, a condition)
makes the answer UNKNOWN rather than a guess. Actions are matched as IAM matches them (`*` and
`?` wildcards, case-insensitive); `NotAction` grants every other action. Resources are carried
along for the reader but not judged here: an action allowed on some resource counts as allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources as package_data
from typing import Any

from lambdalint.model.resources import Bucket, Function, Queue, Resource, Role, Statement, Topic
from lambdalint.model.values import Val

ALLOWED = "allowed"
DENIED = "denied"  # not allowed: no grant, or an explicit Deny
UNKNOWN = "unknown"

MANAGED_ARN = re.compile(r"^arn:[^:]*:iam::aws:policy/(?:.*/)?(?P<name>[^/]+)$")


@lru_cache(maxsize=1024)
def _pattern(pattern: str) -> re.Pattern[str]:
    parts = (".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM's matching of an action pattern (`s3:Put*`, `iam:Pass?ole`) against one action:
    case-insensitive, `*` any run of characters, `?` one character."""
    return _pattern(pattern).fullmatch(action) is not None


def known_strings(val: Val) -> list[str] | None:
    """The alternatives of a value when all are known strings, else None."""
    if not val.is_known or not all(isinstance(v, str) for v in val.alternatives):
        return None
    return list(val.alternatives)


def is_allow(statement: Statement) -> bool:
    return statement.effect.every(lambda effect: effect == "Allow")


def is_deny(statement: Statement) -> bool:
    return statement.effect.every(lambda effect: effect == "Deny")


@dataclass(frozen=True)
class Grant:
    """One statement as the evaluator reads it: action patterns (or, with `not_action`, the
    actions excluded) allowed or denied on resources."""

    effect: str  # "Allow" or "Deny"
    actions: tuple[str, ...]
    not_action: bool = False
    resources: tuple[Any, ...] = ("*",)  # known values: "*", ARNs, model objects
    conditional: bool = False  # a Condition (or NotResource) limits it in ways not judged here,
    # or its policy exists only under a template condition
    statement: Statement | None = None  # None for an AWS managed policy
    managed: str = ""  # the AWS managed policy it comes from

    def matches(self, action: str) -> bool:
        hit = any(action_matches(pattern, action) for pattern in self.actions)
        return not hit if self.not_action else hit

    @property
    def everywhere(self) -> bool:
        return not self.conditional and all(resource == "*" for resource in self.resources)


@dataclass
class Permissions:
    """Every grant that reaches a role, and why some permission may be unknown."""

    grants: list[Grant] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # Statements not known to be Allow whose effect or actions cannot be read: any of them
    # may deny anything.
    unreadable_denies: int = 0

    @property
    def complete(self) -> bool:
        return not self.unknown

    def decide(self, action: str) -> str:
        denies = [g for g in self.grants if g.effect == "Deny" and g.matches(action)]
        if any(deny.everywhere for deny in denies):
            return DENIED
        allows = [g for g in self.grants if g.effect == "Allow" and g.matches(action)]
        if any(not allow.conditional for allow in allows):
            return UNKNOWN if denies else ALLOWED
        if allows or not self.complete:
            return UNKNOWN
        return DENIED

    def denies_all(self, pattern: str) -> bool:
        """A Deny on every resource covers every action `pattern` names (`s3:*` by `s3:*` or
        `*`): whatever an Allow of `pattern` grants is taken away again."""
        return any(
            grant.effect == "Deny"
            and grant.everywhere
            and not grant.not_action  # which of a wildcard's actions it leaves is not judged
            and grant.matches(pattern)
            for grant in self.grants
        )

    def may_deny(self, actions: Iterable[str]) -> bool:
        """A Deny that may cover one of `actions`, or a statement whose effect or actions are
        unknown (which might be one)."""
        wanted = list(actions)
        if self.unreadable_denies:
            return True
        return any(
            grant.effect == "Deny" and any(grant.matches(a) for a in wanted)
            for grant in self.grants
        )

    def allows(self) -> list[Grant]:
        return [grant for grant in self.grants if grant.effect == "Allow"]


def permissions(role: Role | None) -> Permissions:
    """The role's permissions. No role at all (an unresolved `Role`) is unknown."""
    found = Permissions()
    if role is None:
        found.unknown.append("the execution role is not known")
        return found
    if not role.complete:
        found.unknown.append("some policy of the role cannot be read")
    for statement in role.statements:
        grant = _grant(statement)
        if grant is None:
            found.unknown.append(f"a statement of {statement.policy or 'a policy'} is unknown")
            found.unreadable_denies += not is_allow(statement)
        else:
            found.grants.append(grant)
    for val in role.managed_policies:
        _managed(val, found)
    return found


def _grant(statement: Statement) -> Grant | None:
    effect = "Allow" if is_allow(statement) else "Deny" if is_deny(statement) else None
    if effect is None:
        return None
    not_action = bool(statement.not_actions)
    patterns: list[str] = []
    for val in statement.not_actions if not_action else statement.actions:
        texts = known_strings(val)
        if texts is None:
            return None
        if len(texts) > 1 and effect == "Allow":
            return None  # `!If` between actions: which one is granted is not known
        patterns.extend(texts)
    values: list[Any] = []
    for val in statement.resources:
        values.extend(v for v in val.alternatives if v is not None)
    values.extend(target for target in statement.targets if target not in values)
    return Grant(
        effect,
        tuple(patterns),
        not_action,
        tuple(values) or ("*",),
        statement.has_condition or statement.sometimes or bool(statement.not_resources),
        statement,
    )


def managed_name(arn: str) -> str | None:
    """The name of the AWS managed policy an ARN names (`arn:aws:iam::aws:policy/service-role/
    AWSLambdaBasicExecutionRole`, any partition), else None (a customer policy, a non-ARN)."""
    match = MANAGED_ARN.match(arn)
    return match.group("name") if match else None


def _managed(val: Val, found: Permissions) -> None:
    value = val.value
    if isinstance(value, Resource) and value.resource_type == "AWS::IAM::ManagedPolicy":
        return  # a policy of this template: its statements were read with the role's
    text = val.text()
    name = managed_name(text or "")
    statements = managed_policies().get(name) if name else None
    if statements is None:
        found.unknown.append(f"managed policy {text or 'from a reference'} is not known")
        return
    for statement in statements:
        found.grants.append(
            Grant(
                "Allow",
                tuple(statement["actions"]),
                resources=tuple(statement.get("resources", ["*"])),
                managed=name,
            )
        )


@cache
def managed_policies() -> dict[str, list[dict]]:
    """AWS managed policy name -> its statements (actions, resources)."""
    text = package_data.files("lambdalint.data").joinpath("managed_policies.json")
    return json.loads(text.read_text("utf-8"))["policies"]


# -- what the platform itself does with the role ----------------------------------------------

LOGS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")
XRAY = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
)
# The model does not say whether a function is in a VPC, nor whether it uses the Parameters
# and Secrets extension: their actions count as the platform's whenever granted.
NETWORK = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:DescribeVpcs",
    "ec2:DescribeSecurityGroups",
)
EXTENSION = (
    "ssm:GetParameter",
    "ssm:GetParameters",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
)
# Mounting an EFS file system, and a durable function's checkpoints (the model holds neither
# FileSystemConfigs nor DurableConfig).
FILE_SYSTEM = (
    "elasticfilesystem:ClientMount",
    "elasticfilesystem:ClientWrite",
    "elasticfilesystem:ClientRootAccess",
    "s3files:ClientMount",
    "s3files:ClientWrite",
)
DURABLE = ("lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState")
# Used by AWS services on the caller's behalf, whatever the code shows: a role passed to a
# service (a dependent action of many API calls) and customer-managed KMS keys of the resources
# the code reads and writes. A grant matching one of these is never judged unused.
INDIRECT = ("iam:PassRole", "kms:*")
# What the event source mapping's poller does with the function's role, by source kind.
POLLERS = {
    "sqs": (
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
    ),
    "kinesis": (
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
        "kinesis:ListStreams",
        "kinesis:SubscribeToShard",
    ),
    "dynamodb": (
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    ),
    "msk": (
        "kafka:DescribeCluster",
        "kafka:DescribeClusterV2",
        "kafka:GetBootstrapBrokers",
        *NETWORK,
    ),
}
# Sending to a dead-letter queue or destination: the action for each kind of target ARN.
SENDS = {
    "sqs": "sqs:SendMessage",
    "sns": "sns:Publish",
    "lambda": "lambda:InvokeFunction",
    "events": "events:PutEvents",
    "s3": "s3:PutObject",
}


def platform_actions(function: Function) -> set[str]:
    """Actions the Lambda service performs with the function's role on its behalf: log
    delivery, traces, network interfaces, the extension's reads, event source pollers and
    failure sends. They count as used (LL504)."""
    used = {*LOGS, *XRAY, *NETWORK, *EXTENSION, *FILE_SYSTEM, *DURABLE}
    destinations = [function.dead_letter]
    if function.async_config is not None:
        destinations += [function.async_config.on_failure, function.async_config.on_success]
    for event in function.events:
        used.update(POLLERS.get(event.kind, ()))
        destinations.append(event.on_failure)
    for destination in destinations:
        if destination.is_missing:
            continue
        kinds = [_service_of(value) for value in destination.alternatives]
        if all(kinds):
            used.update(SENDS[kind] for kind in kinds if kind in SENDS)
        else:
            used.update(SENDS.values())  # a destination of unknown kind may be any of them
    return used


# Services that act on other services with the caller's own permissions (forward access
# sessions): calling one may use these grants of the role without any call to them in the code.
# Keyed by the IAM prefix of the called actions.
FORWARDED = {
    "athena": ("s3:*", "glue:*", "lakeformation:*"),
    "rekognition": ("s3:*",),
    "transcribe": ("s3:*",),
    "textract": ("s3:*",),
    "polly": ("s3:*",),
    "comprehend": ("s3:*",),
    "translate": ("s3:*",),
    "bedrock": ("s3:*",),
    "kendra": ("s3:*",),
    "cloudformation": ("*",),  # creates the stack's resources as the caller
    "ssm": ("*",),  # automations and Run Command without their own role
}


def forwarded(called: set[str]) -> set[str]:
    """Patterns of what services the code calls may use with its role (FORWARDED)."""
    prefixes = {action.split(":", 1)[0] for action in called}
    return {pattern for prefix in prefixes for pattern in FORWARDED.get(prefix, ())}


def maybe_used_indirectly(pattern: str) -> bool:
    """A grant services may use on the function's behalf without a call in its code."""
    return any(
        action_matches(pattern, indirect) or action_matches(indirect, pattern)
        for indirect in INDIRECT
    )


def _service_of(value: Any) -> str:
    if isinstance(value, Queue):
        return "sqs"
    if isinstance(value, Topic):
        return "sns"
    if isinstance(value, Bucket):
        return "s3"
    if isinstance(value, Function):
        return "lambda"
    if isinstance(value, str) and value.startswith("arn:"):
        parts = value.split(":")
        return parts[2] if len(parts) > 2 else ""
    return ""
