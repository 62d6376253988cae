"""Findings on a CDK-synthesized template name the construct to change (`aws:cdk:path`)."""

from __future__ import annotations

import json

TEMPLATE = {
    "Resources": {
        "OrdersFunction1A2B3C": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.13",
                "Handler": "index.handler",
                "MemorySize": 512,
                "Role": "arn:aws:iam::123456789012:role/orders",
                "Code": {"S3Bucket": "cdk-assets", "S3Key": "orders.zip"},
            },
            "Metadata": {"aws:cdk:path": "ShopStack/Orders/Resource"},
        },
        "Jobs4D5E6F": {
            "Type": "AWS::SQS::Queue",
            "Metadata": {"aws:cdk:path": "ShopStack/Jobs/Resource"},
        },
        "OrdersSqsEventSource7G8H9I": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "EventSourceArn": {"Fn::GetAtt": ["Jobs4D5E6F", "Arn"]},
                "FunctionName": {"Ref": "OrdersFunction1A2B3C"},
            },
            "Metadata": {"aws:cdk:path": "ShopStack/Orders/SqsEventSource:ShopStackJobs/Resource"},
        },
    }
}


def test_every_finding_names_its_construct(lint):
    files = {"cdk.out/ShopStack.template.json": json.dumps(TEMPLATE, indent=1)}
    result = lint(files, select=["LL201", "LL404", "LL406"])
    messages = {f.rule: f.message for f in result.findings}
    assert messages["LL201"].endswith("(CDK construct ShopStack/Orders)")
    assert messages["LL404"].endswith("(CDK construct ShopStack/Jobs)")
    assert messages["LL406"].endswith(
        "(CDK construct ShopStack/Orders/SqsEventSource:ShopStackJobs)"
    )


def test_templates_not_synthesized_by_cdk_are_unchanged(lint):
    plain = json.loads(json.dumps(TEMPLATE))
    for resource in plain["Resources"].values():
        del resource["Metadata"]
    result = lint({"template.json": json.dumps(plain)}, select=["LL201"])
    (finding,) = result.findings
    assert "CDK" not in finding.message
