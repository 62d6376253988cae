"""Intrinsic functions: values we can know, UNKNOWN for the rest, relations to model objects."""

from __future__ import annotations

import textwrap

from lambdalint.frontends.cloudformation import load_template
from lambdalint.model import MISSING, UNKNOWN

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage: {Type: String, Default: prod}
  NoDefault: {Type: String}
  Names: {Type: CommaDelimitedList, Default: "a, b"}
  Seconds: {Type: Number, Default: 45}
Mappings:
  Sizes:
    prod: {memory: 1024}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: orders}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {StreamSpecification: {StreamViewType: NEW_IMAGE}}
"""


def function(properties: str, extra: str = ""):
    text = HEADER + "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
    text += textwrap.indent(textwrap.dedent(properties), " " * 6)
    text += textwrap.indent(textwrap.dedent(extra), " " * 2)
    template, findings = load_template(text, "template.yaml")
    assert findings == []
    assert template is not None
    return template.functions[0], template


def env(fn):
    return {key: val.value for key, val in fn.environment.items()}


def test_parameter_defaults_and_unknowns():
    fn, _ = function(
        """\
        Timeout: !Ref Seconds
        Environment:
          Variables:
            STAGE: !Ref Stage
            NONE: !Ref NoDefault
            REGION: !Ref AWS::Region
            FIRST: !Select [0, !Ref Names]
        """
    )
    assert fn.timeout.value == 45 and fn.timeout.span.line == 22
    assert env(fn) == {"STAGE": "prod", "NONE": UNKNOWN, "REGION": UNKNOWN, "FIRST": "a"}


def test_sub_join_split_select_find_in_map():
    fn, _ = function(
        """\
        MemorySize: !FindInMap [Sizes, !Ref Stage, memory]
        Environment:
          Variables:
            SUB: !Sub "app-${Stage}-${!Literal}"
            SUBVARS: !Sub ["${x}/${Stage}", {x: one}]
            SUBUNKNOWN: !Sub "arn:aws:sqs:${AWS::Region}:1:q"
            JOIN: !Join ["-", [a, !Ref Stage]]
            JOINUNKNOWN: !Join ["-", [a, !Ref AWS::AccountId]]
            SPLIT: !Select [1, !Split [",", "x,y,z"]]
            MISSINGKEY: !FindInMap [Sizes, dev, memory]
            B64: !Base64 abc
        """
    )
    assert fn.memory_size.value == 1024
    assert env(fn) == {
        "SUB": "app-prod-${Literal}",
        "SUBVARS": "one/prod",
        "SUBUNKNOWN": UNKNOWN,
        "JOIN": "a-prod",
        "JOINUNKNOWN": UNKNOWN,
        "SPLIT": "y",
        "MISSINGKEY": UNKNOWN,
        "B64": UNKNOWN,
    }


def test_partition_in_sub_and_join_gives_one_string_per_partition():
    fn, _ = function(
        """\
        Environment:
          Variables:
            SUB: !Sub "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"
            SUBVAR: !Sub ["arn:${p}:sns:*:*:*", {p: !Ref AWS::Partition}]
            JOIN: !Join ["", ["arn:", !Ref AWS::Partition, ":s3:::logs"]]
            OTHERHOLE: !Sub "arn:${AWS::Partition}:sqs:${AWS::Region}:1:q"
            BARE: !Ref AWS::Partition
        """
    )
    variables = fn.environment
    assert variables["SUB"].alternatives == tuple(
        f"arn:{p}:iam::aws:policy/ReadOnlyAccess" for p in ("aws", "aws-cn", "aws-us-gov")
    )
    assert variables["SUBVAR"].alternatives[1] == "arn:aws-cn:sns:*:*:*"
    assert variables["JOIN"].alternatives[2] == "arn:aws-us-gov:s3:::logs"
    assert variables["OTHERHOLE"].value is UNKNOWN and not variables["OTHERHOLE"].possible
    assert variables["BARE"].value is UNKNOWN and not variables["BARE"].possible


def test_if_keeps_both_branches_and_novalue_is_missing():
    fn, _ = function(
        """\
        Timeout: !If [IsProd, 30, !Ref AWS::NoValue]
        MemorySize: !If [IsProd, 512, 256]
        """
    )
    assert fn.timeout.possible == (30, MISSING)
    assert not fn.timeout.is_known and not fn.timeout.is_missing
    assert fn.memory_size.alternatives == (512, 256)
    assert fn.memory_size.every(lambda v: v >= 256)
    assert fn.memory_size.number() is None


def test_refs_and_getatts_to_resources_are_model_objects():
    fn, template = function(
        """\
        Environment:
          Variables:
            URL: !Ref Queue
            ARN: !GetAtt Queue.Arn
            STREAM: !GetAtt [Table, StreamArn]
        """
    )
    queue, table = template.queues[0], template.tables[0]
    assert env(fn) == {"URL": queue, "ARN": queue, "STREAM": table}
    assert table.stream_enabled.value is True


def test_relations_through_sub_arns_and_names():
    _, template = function(
        """\
        Role: !GetAtt Role.Arn
        """,
        extra=textwrap.dedent(
            """\
              Role:
                Type: AWS::IAM::Role
                Properties:
                  Policies:
                    - PolicyName: p
                      PolicyDocument:
                        Statement:
                          - Effect: Allow
                            Action: [sqs:SendMessage]
                            Resource: !Sub arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:orders
                          - Effect: Allow
                            Action: dynamodb:PutItem
                            Resource: !Sub "${Table.Arn}"
            """
        ),
    )
    fn, role = template.functions[0], template.roles[0]
    assert fn.role is role and fn.role_ref.value is role
    first, second = role.statements
    assert first.resources[0].value is UNKNOWN
    assert first.targets == [template.queues[0]]
    assert second.targets == [template.tables[0]]
    assert [a.value for a in second.actions] == ["dynamodb:PutItem"]


def test_unresolvable_role_stays_none_with_raw_value():
    fn, _ = function("Role: !Ref NoDefault\n")
    assert fn.role is None and fn.role_ref.value is UNKNOWN and fn.role_ref.span is not None
    fn, _ = function("Handler: app.handler\n")
    assert fn.role is None and fn.role_ref.is_missing
