"""A least-privilege policy in the shape each tool writes it: IAM JSON (CloudFormation
intrinsics for the template's resources), SAM `Policies`, a Terraform
`aws_iam_policy_document`, CDK Python statements."""

from __future__ import annotations

import json
import re

from lambdalint.least_privilege.statements import Arn, PolicyStatement
from lambdalint.model import Bucket, Function, Queue, Table, Topic

FORMATS = ("json", "sam", "terraform", "cdk-python")
TERRAFORM_TYPES = {
    Bucket: "aws_s3_bucket",
    Table: "aws_dynamodb_table",
    Queue: "aws_sqs_queue",
    Topic: "aws_sns_topic",
    Function: "aws_lambda_function",
}
CDK_ARNS = {
    Bucket: "bucket_arn",
    Table: "table_arn",
    Queue: "queue_arn",
    Topic: "topic_arn",
    Function: "function_arn",
}


def render(function: Function, statements: list[PolicyStatement], style: str) -> str:
    if style == "sam":
        return _sam(statements)
    if style == "terraform":
        return _terraform(function, statements)
    if style == "cdk-python":
        return _cdk(function, statements)
    return _json(statements)


def _unresolved(arn: Arn) -> str:
    return f"<{arn.unresolved}>"


# How each format spells the deploying stack's region and account in a regional ARN.
TERRAFORM_PLACEHOLDERS = {
    "${AWS::Region}": "${data.aws_region.current.name}",
    "${AWS::AccountId}": "${data.aws_caller_identity.current.account_id}",
}
TERRAFORM_DATA = ('data "aws_region" "current" {}', 'data "aws_caller_identity" "current" {}')
CDK_PLACEHOLDERS = {"${AWS::Region}": "{Aws.REGION}", "${AWS::AccountId}": "{Aws.ACCOUNT_ID}"}


def _placed(arn: Arn, placeholders: dict[str, str]) -> str:
    text = arn.literal
    for placeholder, spelled in placeholders.items():
        text = text.replace(placeholder, spelled)
    return text


# -- IAM JSON and SAM ----------------------------------------------------------------------


def _intrinsic(arn: Arn) -> object:
    if arn.regional:
        return {"Fn::Sub": arn.literal}
    if arn.resource is None:
        return arn.literal or _unresolved(arn)
    name = arn.resource.logical_id
    if arn.suffix:
        return {"Fn::Sub": f"${{{name}.{arn.attribute}}}{arn.suffix}"}
    if not arn.attribute:
        return {"Ref": name}
    return {"Fn::GetAtt": [name, arn.attribute]}


def _json(statements: list[PolicyStatement]) -> str:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": _one_or_many(s.actions),
                "Resource": _one_or_many([_intrinsic(arn) for arn in s.resources]),
            }
            for s in statements
        ],
    }
    return json.dumps(document, indent=2)


def _one_or_many(items: list) -> object:
    return items[0] if len(items) == 1 else items


def _sam_value(arn: Arn) -> str:
    if arn.regional:
        return f"!Sub {json.dumps(arn.literal)}"
    if arn.resource is None:
        return json.dumps(arn.literal or _unresolved(arn))
    name = arn.resource.logical_id
    if arn.suffix:
        return f'!Sub "${{{name}.{arn.attribute}}}{arn.suffix}"'
    if not arn.attribute:
        return f"!Ref {name}"
    return f"!GetAtt {name}.{arn.attribute}"


def _sam(statements: list[PolicyStatement]) -> str:
    lines = ["Policies:", "  - Statement:"]
    for statement in statements:
        lines += ["      - Effect: Allow", "        Action:"]
        lines += [f"          - {action}" for action in statement.actions]
        lines.append("        Resource:")
        lines += [f"          - {_sam_value(arn)}" for arn in statement.resources]
    return "\n".join(lines)


# -- Terraform and CDK ---------------------------------------------------------------------


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def _terraform_value(arn: Arn) -> str:
    if arn.regional:
        return json.dumps(_placed(arn, TERRAFORM_PLACEHOLDERS))
    if arn.resource is None:
        return json.dumps(arn.literal or _unresolved(arn))
    resource = arn.resource
    if resource.source == "terraform":
        address = resource.logical_id
    else:
        address = f"{TERRAFORM_TYPES[type(resource)]}.{_snake(resource.logical_id)}"
    return f'"${{{address}.arn}}{arn.suffix}"' if arn.suffix else f"{address}.arn"


def _terraform(function: Function, statements: list[PolicyStatement]) -> str:
    name = _snake(function.logical_id.rpartition(".")[2])
    lines = [f'data "aws_iam_policy_document" "{name}" {{']
    for statement in statements:
        actions = ", ".join(json.dumps(a) for a in statement.actions)
        resources = ", ".join(_terraform_value(arn) for arn in statement.resources)
        lines += [
            "  statement {",
            f"    actions   = [{actions}]",
            f"    resources = [{resources}]",
            "  }",
        ]
    lines.append("}")
    if any(arn.regional for statement in statements for arn in statement.resources):
        lines += ["", *TERRAFORM_DATA]
    return "\n".join(lines)


def _cdk_value(arn: Arn) -> str:
    if arn.regional:
        return f"f{json.dumps(_placed(arn, CDK_PLACEHOLDERS))}"  # with `from aws_cdk import Aws`
    if arn.resource is None:
        return json.dumps(arn.literal or _unresolved(arn))
    variable = f"{_snake(arn.resource.logical_id)}.{CDK_ARNS[type(arn.resource)]}"
    return f'f"{{{variable}}}{arn.suffix}"' if arn.suffix else variable


def _cdk(function: Function, statements: list[PolicyStatement]) -> str:
    target = _snake(function.logical_id)
    lines = []
    for statement in statements:
        lines += [
            f"{target}.add_to_role_policy(",
            "    iam.PolicyStatement(",
            f"        actions={json.dumps(statement.actions)},",
            f"        resources=[{', '.join(_cdk_value(arn) for arn in statement.resources)}],",
            "    )",
            ")",
        ]
    return "\n".join(lines)


def summary(statements: list[PolicyStatement], source: str = "") -> str:
    """The statements in one line, for messages, as the function's format (`source`) writes
    a resource's ARN: `dynamodb:GetItem on !GetAtt Orders.Arn`, on Terraform
    `dynamodb:GetItem on aws_dynamodb_table.orders.arn`."""
    value = _terraform_value if source == "terraform" else _sam_value
    parts = []
    for statement in statements:
        resources = ", ".join(value(arn) for arn in statement.resources)
        parts.append(f"{', '.join(statement.actions)} on {resources}")
    return "; ".join(parts) if parts else "no statement at all"
