"""The policy evaluator of the model: what a function's execution role allows."""

from __future__ import annotations

import textwrap

import pytest

from lambdalint.frontends.cloudformation import load_template
from lambdalint.model.policy import (
    ALLOWED,
    DENIED,
    UNKNOWN,
    action_matches,
    permissions,
    platform_actions,
)


def _function(policies: str, extra: str = ""):
    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Orders:
            Type: AWS::DynamoDB::Table
          Jobs:
            Type: AWS::SQS::Queue
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              Policies:
        """
    )
    text += textwrap.indent(textwrap.dedent(policies), " " * 8)
    text += textwrap.indent(textwrap.dedent(extra), " " * 6)
    template, findings = load_template(text, "template.yaml")
    assert not findings
    return next(f for f in template.functions if f.logical_id == "Fn")


def test_sam_policy_templates_and_the_implicit_managed_policy():
    function = _function("- DynamoDBCrudPolicy: {TableName: !Ref Orders}\n")
    granted = permissions(function.role)
    assert granted.complete
    assert granted.decide("dynamodb:GetItem") == ALLOWED
    assert granted.decide("dynamodb:DeleteTable") == DENIED
    assert granted.decide("logs:PutLogEvents") == ALLOWED  # AWSLambdaBasicExecutionRole
    crud = [g for g in granted.allows() if g.statement is not None]
    assert crud[0].resources[-1].logical_id == "Orders"  # the `!Ref` resolved to the table


@pytest.mark.parametrize(
    ("statement", "action", "decision"),
    [
        ("Effect: Allow\nAction: s3:Get*\nResource: '*'", "s3:GetObject", ALLOWED),
        ("Effect: Allow\nAction: s3:Get*\nResource: '*'", "s3:PutObject", DENIED),
        ("Effect: Allow\nNotAction: iam:*\nResource: '*'", "s3:PutObject", ALLOWED),
        ("Effect: Allow\nNotAction: iam:*\nResource: '*'", "iam:PassRole", DENIED),
        (
            "Effect: Allow\nAction: s3:*\nResource: '*'\nCondition: {Bool: {aws:SecureTransport: true}}",
            "s3:GetObject",
            UNKNOWN,
        ),
        ("Effect: Allow\nAction: !Ref AWS::NoSuchThing\nResource: '*'", "s3:GetObject", UNKNOWN),
    ],
)
def test_statements(statement, action, decision):
    lines = textwrap.indent(statement, "    ").lstrip()
    function = _function(f"- Statement:\n  - {lines}\n".replace("\n    ", "\n    "))
    assert permissions(function.role).decide(action) == decision


def test_a_deny_on_everything_wins():
    function = _function(
        """\
        - Statement:
          - Effect: Allow
            Action: sqs:*
            Resource: '*'
          - Effect: Deny
            Action: sqs:DeleteQueue
            Resource: '*'
        """
    )
    granted = permissions(function.role)
    assert granted.decide("sqs:SendMessage") == ALLOWED
    assert granted.decide("sqs:DeleteQueue") == DENIED
    assert granted.may_deny(["sqs:DeleteQueue"]) and not granted.may_deny(["sqs:SendMessage"])


def test_unknown_managed_policies_make_the_answer_unknown():
    function = _function("- AmazonSomethingNewAccess\n")
    granted = permissions(function.role)
    assert not granted.complete
    assert granted.decide("s3:GetObject") == UNKNOWN
    assert granted.decide("logs:PutLogEvents") == ALLOWED


def test_known_managed_policies_by_name_or_arn():
    function = _function(
        "- AWSXRayDaemonWriteAccess\n- arn:aws:iam::aws:policy/service-role/AWSLambdaRole\n"
    )
    granted = permissions(function.role)
    assert granted.complete
    assert granted.decide("xray:PutTraceSegments") == ALLOWED
    assert granted.decide("lambda:InvokeFunction") == ALLOWED
    assert granted.decide("lambda:DeleteFunction") == DENIED


def test_no_role_is_unknown():
    assert permissions(None).decide("s3:GetObject") == UNKNOWN


def test_platform_use_of_the_role():
    function = _function(
        "- SQSPollerPolicy: {QueueName: !GetAtt Jobs.QueueName}\n",
        """\
        Events:
          Work:
            Type: SQS
            Properties:
              Queue: !GetAtt Jobs.Arn
        """,
    )
    used = platform_actions(function)
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "logs:PutLogEvents"} <= used
    assert "sqs:SendMessage" not in used


def test_action_patterns_match_as_iam_does():
    assert action_matches("s3:Get*", "s3:GetObject")
    assert action_matches("S3:getobject", "s3:GetObject")
    assert action_matches("iam:Pass?ole", "iam:PassRole")
    assert not action_matches("s3:Get", "s3:GetObject")


def test_a_policy_under_a_template_condition_is_only_possible():
    # The policy exists only when IsProd is true: what it allows (or denies) is not certain.
    text = textwrap.dedent(
        """\
        Conditions:
          IsProd: !Equals [!Ref AWS::StackName, prod]
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {}
              Policies:
                - PolicyName: always
                  PolicyDocument:
                    Statement:
                      - {Effect: Allow, Action: sqs:SendMessage, Resource: '*'}
          Extra:
            Type: AWS::IAM::Policy
            Condition: IsProd
            Properties:
              PolicyName: extra
              Roles: [!Ref Role]
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Action: s3:GetObject, Resource: '*'}
                  - {Effect: Deny, Action: sqs:SendMessage, Resource: '*'}
        """
    )
    template, findings = load_template(text, "template.yaml")
    assert not findings
    (role,) = template.roles
    granted = permissions(role)
    assert granted.decide("s3:GetObject") == UNKNOWN
    assert granted.decide("sqs:SendMessage") == UNKNOWN
    assert granted.decide("sqs:DeleteQueue") == DENIED
