"""Templates and code together: declared handlers and inline code."""

from __future__ import annotations

import json

SAM = """Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: jobs.worker.run
      CodeUri: functions/
      Timeout: 30
"""


def located(result, rule=None):
    return [(f.rule, f.path, f.span.line) for f in result.findings if rule in (None, f.rule)]


def test_template_handler_starts_a_handler_path(lint):
    files = {
        "template.yaml": SAM,
        "functions/jobs/worker.py": "from jobs.clients import make\n\ndef run(payload, ctx):\n    make()\n",
        "functions/jobs/clients.py": "import boto3\n\ndef make():\n    return boto3.client('s3')\n",
    }
    result = lint(files, select=["LL101"])
    assert located(result) == [("LL101", "functions/jobs/clients.py", 4)]
    assert "called from worker.run via make()" in result.findings[0].message


def test_template_handler_signature_is_checked(lint):
    files = {"template.yaml": SAM, "functions/jobs/worker.py": "def run(payload):\n    return 1\n"}
    assert located(lint(files, select=["LL118"])) == [("LL118", "functions/jobs/worker.py", 1)]


def test_handler_with_code_elsewhere_is_not_guessed(lint):
    template = SAM.replace("CodeUri: functions/", "CodeUri: s3://bucket/code.zip")
    files = {
        "template.yaml": template,
        "functions/jobs/worker.py": "def run(payload):\n    return 1\n",
    }
    assert located(lint(files, select=["LL118"])) == []


INLINE = """Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code:
        ZipFile: |
          def handler(event, context):
              return {
"""


def test_inline_syntax_error_is_ll001_on_the_template(lint):
    result = lint({"template.yaml": INLINE}, select=["LL001", "LL211", "LL101"])
    assert [(f.rule, f.path) for f in result.findings] == [("LL001", "template.yaml")]
    assert "inline code of Fn" in result.findings[0].message
    assert result.findings[0].span.line >= 10


def test_inline_code_is_skipped_when_ll211_is_deselected(lint):
    template = INLINE.replace("return {", "import boto3; return boto3.client('s3')")
    assert located(lint({"template.yaml": template}, select=["LL101", "LL211"]), "LL101") == [
        ("LL101", "template.yaml", 11)
    ]
    assert located(lint({"template.yaml": template}, select=["LL101"])) == []


def test_inline_code_in_json_points_at_the_code(lint):
    code = "import boto3\ndef handler(event, context):\n    return boto3.client('s3')\n"
    template = {
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": "arn:aws:iam::123456789012:role/r",
                    "Code": {"ZipFile": code},
                },
            }
        }
    }
    text = json.dumps(template, indent=2)
    result = lint({"template.json": text}, select=["LL101", "LL211"])
    line = next(n for n, t in enumerate(text.splitlines(), 1) if '"ZipFile"' in t)
    assert located(result) == [("LL101", "template.json", line)]
