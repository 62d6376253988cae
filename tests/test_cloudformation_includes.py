"""AWS::Include: a local included OpenAPI document is read; anything else stays Unknown."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  BookingFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Timeout: 60
  BookingApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: {location}
"""
OPENAPI = """\
openapi: 3.0.1
paths:
  /bookings:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${BookingFunction.Arn}/invocations
"""


def _ll202(result) -> list[tuple[str, int]]:
    return [(f.path, f.span.line) for f in result.findings if f.rule == "LL202"]


def test_a_local_include_is_read_from_the_templates_directory(lint):
    files = {"infra/template.yaml": TEMPLATE.format(location="api.yaml"), "infra/api.yaml": OPENAPI}
    assert _ll202(lint(files, select=["LL202"])) == [("infra/template.yaml", 10)]


def test_an_include_outside_the_project_is_not_read(lint, tmp_path: Path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text(OPENAPI, encoding="utf-8")
    files = {"template.yaml": TEMPLATE.format(location=f"../{outside.name}")}
    assert _ll202(lint(files, select=["LL202"])) == []


def test_s3_missing_and_broken_includes_are_unknown(lint):
    for location in ("s3://bucket/api.yaml", "missing.yaml", "broken.yaml", "!Ref Where"):
        files = {"template.yaml": TEMPLATE.format(location=location), "broken.yaml": "a: [\n"}
        result = lint(files, select=["LL202", "LL000", "LL001"])
        assert result.findings == [], location
