"""The least-privilege policy derived from a handler's code and the template's wiring."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lambdalint.frontends.cloudformation import load_template
from lambdalint.frontends.python.parse import extract_facts
from lambdalint.frontends.python.sdk_usage import handler_usage
from lambdalint.least_privilege.formats import render
from lambdalint.least_privilege.statements import least_privilege

FIXTURE = Path(__file__).parent / "fixtures" / "crud_get_item"


class _Module:
    def __init__(self, facts):
        self.facts = facts


class _Code:
    """The handler's code with every function of the module reached (one small module)."""

    def __init__(self, source: str):
        self.closure = (_Module(extract_facts(source, "src/app.py", "app")),)

    def reach(self, module, func):
        return func

    def calls(self):
        for module in self.closure:
            for call in module.facts.calls:
                yield module, call


def _policy(template_text: str, source: str, name: str = "Reader"):
    template, findings = load_template(template_text, "template.yaml")
    assert not findings
    function = next(f for f in template.functions if f.logical_id == name)
    return function, least_privilege(function, handler_usage(_Code(source)))


def test_get_item_only_is_one_statement_on_the_tables_arn():
    function, policy = _policy(
        (FIXTURE / "template.yaml").read_text(), (FIXTURE / "src" / "app.py").read_text()
    )
    assert json.loads(render(function, policy.statements, "json")) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "dynamodb:GetItem",
                "Resource": {"Fn::GetAtt": ["Orders", "Arn"]},
            }
        ],
    }
    assert policy.notes == []


SOURCE = """\
import os
import boto3
s3 = boto3.client("s3")
def handler(event, context):
    s3.put_object(Bucket=os.environ["BUCKET"], Key="out/x", Body=b"")
    s3.list_objects_v2(Bucket=os.environ["BUCKET"])
    boto3.client("sts").get_caller_identity()
    boto3.client("xray").get_trace_summaries(StartTime=1, EndTime=2)
    boto3.client("sqs").send_message(QueueUrl=os.environ["MISSING"], MessageBody="x")
"""


def test_objects_buckets_stars_and_what_stays_unresolved():
    template = (FIXTURE / "template.yaml").read_text()
    function, policy = _policy(template, SOURCE)
    rendered = {tuple(s.actions): s.resources for s in policy.statements}
    (objects,) = rendered[("s3:PutObject",)]
    assert (objects.resource.logical_id, objects.suffix) == ("Images", "/*")
    (bucket,) = rendered[("s3:ListBucket",)]
    assert (bucket.resource.logical_id, bucket.suffix) == ("Images", "")
    (queue,) = rendered[("sqs:SendMessage",)]
    assert queue.unresolved == "environment variable MISSING"
    assert any("MISSING" in note for note in policy.notes)
    assert "sts:GetCallerIdentity" not in str(rendered)  # needs no permission


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            "sam",
            """\
            Policies:
              - Statement:
                  - Effect: Allow
                    Action:
                      - dynamodb:GetItem
                    Resource:
                      - !GetAtt Orders.Arn""",
        ),
        (
            "terraform",
            """\
            data "aws_iam_policy_document" "reader" {
              statement {
                actions   = ["dynamodb:GetItem"]
                resources = [aws_dynamodb_table.orders.arn]
              }
            }""",
        ),
        (
            "cdk-python",
            """\
            reader.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["dynamodb:GetItem"],
                    resources=[orders.table_arn],
                )
            )""",
        ),
    ],
)
def test_other_formats(style, expected):
    function, policy = _policy(
        (FIXTURE / "template.yaml").read_text(), (FIXTURE / "src" / "app.py").read_text()
    )
    assert render(function, policy.statements, style) == textwrap.dedent(expected)


NAMED = """\
import boto3
def handler(event, context):
    boto3.client("dynamodb").get_item(TableName="Orders", Key={})
    boto3.client("sqs").send_message(QueueUrl="jobs", MessageBody="x")
    boto3.client("sqs").delete_message(
        QueueUrl="https://sqs.eu-west-1.amazonaws.com/123456789012/done.fifo", ReceiptHandle="r"
    )
    boto3.client("sns").publish(TopicArn="alerts", Message="x")
"""
REGIONAL = "arn:aws:{}:${{AWS::Region}}:${{AWS::AccountId}}:{}"


def test_literal_table_queue_and_topic_names_become_arns_in_each_format():
    function, policy = _policy((FIXTURE / "template.yaml").read_text(), NAMED)
    assert policy.notes == []
    document = json.loads(render(function, policy.statements, "json"))
    resources = {s["Action"]: s["Resource"] for s in document["Statement"]}
    assert resources == {
        "dynamodb:GetItem": {"Fn::Sub": REGIONAL.format("dynamodb", "table/Orders")},
        "sqs:SendMessage": {"Fn::Sub": REGIONAL.format("sqs", "jobs")},
        "sqs:DeleteMessage": "arn:aws:sqs:eu-west-1:123456789012:done.fifo",  # the URL says
        "sns:Publish": {"Fn::Sub": REGIONAL.format("sns", "alerts")},
    }
    sam = render(function, policy.statements, "sam")
    assert '- !Sub "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders"' in sam
    terraform = render(function, policy.statements, "terraform")
    assert (
        '"arn:aws:sqs:${data.aws_region.current.name}:'
        '${data.aws_caller_identity.current.account_id}:jobs"'
    ) in terraform
    assert terraform.endswith(
        'data "aws_region" "current" {}\ndata "aws_caller_identity" "current" {}'
    )
    cdk = render(function, policy.statements, "cdk-python")
    assert 'resources=[f"arn:aws:sns:{Aws.REGION}:{Aws.ACCOUNT_ID}:alerts"]' in cdk


def test_an_unresolved_resource_is_noted_once_however_many_calls_name_it():
    source = (
        "import boto3\n"
        "ddb = boto3.client('dynamodb')\n"
        "def handler(event, context):\n"
        "    ddb.batch_get_item(RequestItems=event['first'])\n"
        "    ddb.batch_get_item(RequestItems=event['again'])\n"
    )
    _, policy = _policy((FIXTURE / "template.yaml").read_text(), source)
    assert policy.notes == [
        "dynamodb:BatchGetItem: the resource (no resource argument) is not wired by the template"
    ]
