"""Inline suppression comments and LL002."""

from __future__ import annotations

CREATE = "import boto3\n\ndef handler(event, context):\n"


def findings(result):
    return [(f.rule, f.span.line) for f in result.findings]


def test_ignore_by_id_name_or_list_on_the_same_line(lint):
    body = (
        CREATE + "    a = boto3.client('s3')  # lambdalint: ignore[LL101]\n"
        "    b = boto3.client('s3')  # lambdalint: ignore[client-in-handler]\n"
        "    c = boto3.client('s3')  # lambdalint: ignore[LL102, LL101]\n"
        "    d = boto3.client('s3')  # lambdalint: ignore\n"
        "    e = boto3.client('s3')  # lambdalint: ignore[LL102]\n"
    )
    assert findings(lint({"app.py": body})) == [("LL101", 8)]


def test_ignore_alone_on_the_line_above(lint):
    body = CREATE + "    # lambdalint: ignore[LL101]\n    a = boto3.client('s3')\n"
    assert findings(lint({"app.py": body})) == []


def test_ignore_two_lines_above_does_not_reach(lint):
    body = CREATE + "    # lambdalint: ignore[LL101]\n    x = 1\n    a = boto3.client('s3')\n"
    assert findings(lint({"app.py": body})) == [("LL101", 6)]


def test_file_ignore(lint):
    body = "# lambdalint: file-ignore[LL1]\n" + CREATE + "    boto3.client('s3')\n"
    assert findings(lint({"app.py": body})) == []


def test_directive_inside_a_string_is_not_a_comment(lint):
    body = CREATE + "    boto3.client('s3'); x = '# lambdalint: ignore'\n"
    assert findings(lint({"app.py": body})) == [("LL101", 4)]


def test_unused_suppression_is_ll002_when_enabled(lint):
    body = (
        CREATE + "    a = boto3.client('s3')  # lambdalint: ignore[LL101]\n"
        "    b = 1  # lambdalint: ignore[LL101]\n"
        "    c = 2  # lambdalint: ignore[LL102]\n"
    )
    assert findings(lint({"app.py": body})) == []
    result = lint({"app.py": body}, extend_select=["LL002"])
    assert findings(result) == [("LL002", 5), ("LL002", 6)]
    assert "unused suppression" in result.findings[0].message


def test_ll002_leaves_comments_naming_disabled_rules_alone(lint):
    body = CREATE + "    b = 1  # lambdalint: ignore[LL102]\n"
    assert findings(lint({"app.py": body}, select=["LL101", "LL002"])) == []


TEMPLATE = """Resources:
  Quiet:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x = 1"}
      Timeout: 999COMMENT
"""


def test_yaml_comment_suppresses_the_finding_on_its_line(lint):
    plain = lint({"template.yaml": TEMPLATE.replace("COMMENT", "")}, select=["LL210"])
    assert findings(plain) == [("LL210", 9)]
    quiet = TEMPLATE.replace("COMMENT", "  # lambdalint: ignore[invalid-limits]")
    assert findings(lint({"template.yaml": quiet}, select=["LL210"])) == []


def test_json_metadata_suppresses_rules_for_the_resource(lint):
    import json

    def template(metadata):
        resource = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "app.handler",
                "Role": "arn:aws:iam::123456789012:role/r",
                "Code": {"ZipFile": "x = 1"},
            },
        }
        if metadata:
            resource["Metadata"] = {"lambdalint": {"ignore": ["LL201"]}}
        return json.dumps({"Resources": {"Fn": resource}}, indent=2)

    assert [f.rule for f in lint({"t.json": template(False)}, select=["LL201"]).findings] == [
        "LL201"
    ]
    assert lint({"t.json": template(True)}, select=["LL201"]).findings == []


SAM_METADATA = """Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore: [LL201, LL301]
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      MemorySize: 256
      Policies:
        - Statement:
            - {Effect: Allow, Action: "*", Resource: "*"}
"""


def test_metadata_suppresses_the_function_and_what_sam_derives_from_it(lint):
    assert findings(lint({"template.yaml": SAM_METADATA}, select=["LL201", "LL301", "LL002"])) == []


def test_metadata_that_suppresses_nothing_is_ll002(lint):
    timed = SAM_METADATA.replace("MemorySize: 256", "MemorySize: 256\n      Timeout: 10")
    unused = timed.replace("[LL201, LL301]", "[LL201]")
    result = lint({"template.yaml": unused}, select=["LL201", "LL002"])
    assert findings(result) == [("LL002", 3)]
    assert result.findings[0].message == (
        "unused suppression `Metadata: lambdalint: ignore: [LL201]` on Fn"
    )
    # As with comments, a directive that suppressed something (here LL301) is used.
    assert findings(lint({"template.yaml": timed}, select=["LL201", "LL301", "LL002"])) == []


def test_metadata_naming_only_rules_that_are_off_is_not_ll002(lint):
    assert findings(lint({"template.yaml": SAM_METADATA}, select=["LL101", "LL002"])) == []
