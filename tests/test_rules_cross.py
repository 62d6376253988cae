"""LL5xx: the template and the handler code read together (beyond the rule pages' examples)."""

from __future__ import annotations

from pathlib import Path

from lambdalint.docs import examples, pages_dir

CRUD = Path(__file__).parent / "fixtures" / "crud_get_item"


def _page_example(rule: str, kind: str, number: int = 0) -> dict[str, str]:
    found = [e for e in examples(pages_dir() / f"{rule}.md") if e.kind == kind]
    return dict(found[number].files)


def test_ll501_points_at_the_write_with_the_trigger_as_related(lint):
    result = lint(_page_example("LL501", "bad"), select=["LL501"])
    (finding,) = result.findings
    assert (finding.path, finding.span.line) == ("src/app.py", 12)
    assert "S3 bucket Images" in finding.message and "Thumbnailer" in finding.message
    (related,) = finding.related
    assert (related.where.path, related.where.line) == ("template.yaml", 18)  # `Upload:`


def test_ll501_follows_the_key_against_the_filter(lint):
    files = _page_example("LL501", "good")  # a `uploads/` filter, writes under `thumbnails/`
    assert lint(files, select=["LL501"]).findings == []
    inside = files["src/app.py"].replace('f"thumbnails/{key}"', 'f"uploads/again/{key}"')
    assert len(lint({**files, "src/app.py": inside}, select=["LL501"]).findings) == 1
    unknown = files["src/app.py"].replace('f"thumbnails/{key}"', "key")
    assert lint({**files, "src/app.py": unknown}, select=["LL501"]).findings == []


def test_a_stream_record_guard_makes_a_table_write_a_wasted_invocation_only_when_provable(lint):
    files = next(
        dict(e.files)
        for e in examples(pages_dir() / "LL501.md")
        if e.kind == "bad" and "startswith" in e.files.get("src/app.py", "")
    )
    code = files["src/app.py"]

    def severities(text: str) -> list[tuple[str, str]]:
        result = lint({**files, "src/app.py": text}, select=["LL501", "LL408"])
        return sorted((f.rule, f.severity.name.lower()) for f in result.findings)

    assert severities(code) == [("LL501", "info")]
    loops = [("LL408", "error"), ("LL501", "error")]
    # The written key starts with the kept prefix: it comes back and is written again.
    assert severities(code.replace('"SUMMARY#" + key[6:]', '"ORDER#" + key[6:]')) == loops
    # The key is not spelled in the call: not known to be skipped.
    unknown = code.replace('Item={"pk": "SUMMARY#" + key[6:], "seen": True}', "Item=record")
    assert severities(unknown) == loops
    # A write before the guard runs for every record, the handler's own writes included (and a
    # guard after it is no longer first in the loop: neither write is judged skipped).
    early = code.replace(
        '        key = record["dynamodb"]["Keys"]["pk"]["S"]\n',
        '        table.put_item(Item={"pk": "SEEN#1"})\n'
        '        key = record["dynamodb"]["Keys"]["pk"]["S"]\n',
    )
    assert severities(early) == [("LL408", "error"), ("LL501", "error"), ("LL501", "error")]


def test_ll504_names_the_nine_unused_actions_and_proposes_the_statement(lint):
    files = {
        "template.yaml": (CRUD / "template.yaml").read_text(),
        "src/app.py": (CRUD / "src" / "app.py").read_text(),
    }
    (finding,) = lint(files, select=["LL504"]).findings
    unused = [
        "dynamodb:DeleteItem",
        "dynamodb:PutItem",
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:BatchGetItem",
        "dynamodb:DescribeTable",
        "dynamodb:ConditionCheckItem",
    ]
    assert f"allows 9 actions its code never uses ({', '.join(unused)})" in finding.message
    assert "the code needs: dynamodb:GetItem on !GetAtt Orders.Arn" in finding.message


def test_ll503_and_ll504_judge_a_shared_role_on_every_function(lint):
    template = (CRUD / "template.yaml").read_text() + (
        "  Writer:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: writer.handler\n"
        "      Runtime: python3.12\n"
        "      CodeUri: src/\n"
        "      Role: !GetAtt ReaderRole.Arn\n"
    )
    writer = (
        "import boto3\n\n"
        "def handler(event, context):\n"
        "    boto3.client(event['service']).do_something()\n"
    )
    files = {
        "template.yaml": template,
        "src/app.py": (CRUD / "src" / "app.py").read_text(),
        "src/writer.py": writer,
    }
    # Writer's usage is unknown and it shares Reader's role: nothing is judged unused.
    assert lint(files, select=["LL504"]).findings == []


def test_project_findings_on_a_resource_follow_its_metadata_suppression(lint):
    template = (
        (CRUD / "template.yaml")
        .read_text()
        .replace(
            "  Reader:\n    Type: AWS::Serverless::Function\n",
            "  Reader:\n    Type: AWS::Serverless::Function\n"
            "    Metadata:\n      lambdalint:\n        ignore: [LL504]\n",
        )
    )
    files = {"template.yaml": template, "src/app.py": (CRUD / "src" / "app.py").read_text()}
    assert "ignore: [LL504]" in template
    assert lint(files, select=["LL504"]).findings == []


def test_ll408_is_silent_when_the_code_provably_writes_elsewhere(lint):
    good = _page_example("LL408", "good", 1)
    assert lint(good, select=["LL408"]).findings == []
    # The same code writing to the trigger bucket: the configuration's loop is real.
    loops = good["src/app.py"].replace('os.environ["OUTPUT"]', 'os.environ["INPUT"]')
    template = good["template.yaml"].replace(
        "OUTPUT: !Ref Thumbnails", "OUTPUT: !Ref Thumbnails\n          INPUT: !Ref Uploads"
    )
    found = lint({"template.yaml": template, "src/app.py": loops}, select=["LL408"]).findings
    assert len(found) == 1


def test_ll504_never_judges_what_services_use_for_the_function(lint):
    template = (
        (CRUD / "template.yaml")
        .read_text()
        .replace(
            "      Policies:\n",
            "      Policies:\n"
            "        - Statement:\n"
            "            - Effect: Allow\n"
            "              Action: [iam:PassRole, kms:Decrypt, elasticfilesystem:ClientMount]\n"
            "              Resource: '*'\n",
        )
    )
    files = {"template.yaml": template, "src/app.py": (CRUD / "src" / "app.py").read_text()}
    (finding,) = lint(files, select=["LL504"]).findings  # the CRUD template's, nothing else
    assert "DynamoDBCrudPolicy" in finding.message


def test_ll504_one_finding_for_a_policy_template_of_several_statements(lint):
    template = (
        (CRUD / "template.yaml")
        .read_text()
        .replace(
            "        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n",
            "        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n"
            "        - AthenaQueryPolicy:\n            WorkGroupName: primary\n",
        )
    )
    files = {"template.yaml": template, "src/app.py": (CRUD / "src" / "app.py").read_text()}
    findings = lint(files, select=["LL504"]).findings
    assert [f.span.line for f in findings] == [18, 20]


def test_ll504_counts_what_called_services_do_with_the_role_and_skips_layers(lint):
    template = (
        (CRUD / "template.yaml")
        .read_text()
        .replace(
            "        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n",
            "        - S3ReadPolicy:\n            BucketName: !Ref Images\n"
            "        - Statement:\n"
            "            - Effect: Allow\n"
            "              Action: [rekognition:DetectLabels, dynamodb:GetItem]\n"
            "              Resource: '*'\n",
        )
    )
    app = (CRUD / "src" / "app.py").read_text() + (
        "\n\ndef labels(key):\n"
        "    return boto3.client('rekognition').detect_labels(Image={'S3Object': {'Name': key}})\n"
    )
    app = app.replace("    return TABLE", "    labels(event['key'])\n    return TABLE")
    files = {"template.yaml": template, "src/app.py": app}
    # Rekognition reads the image from S3 with the function's own permissions.
    assert lint(files, select=["LL504"]).findings == []
    crud = {
        "template.yaml": (CRUD / "template.yaml")
        .read_text()
        .replace(
            "      Runtime: python3.12\n",
            "      Runtime: python3.12\n      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:x:1]\n",
        ),
        "src/app.py": (CRUD / "src" / "app.py").read_text(),
    }
    assert lint(crud, select=["LL504"]).findings == []  # a layer's code may use the rest
    no_layers = crud["template.yaml"].replace(
        "[arn:aws:lambda:us-east-1:123456789012:layer:x:1]", "[]"
    )
    assert len(lint({**crud, "template.yaml": no_layers}, select=["LL504"]).findings) == 1


def test_ll502_and_ll503_treat_what_a_condition_adds_as_possible(lint):
    template = (CRUD / "template.yaml").read_text()
    template = template.replace(
        "Resources:\n",
        "Conditions:\n  IsProd: !Equals [!Ref AWS::StackName, prod]\nResources:\n",
    ).replace(
        "          BUCKET: !Ref Images\n",
        "          BUCKET: !Ref Images\n          MODE: !If [IsProd, strict, !Ref AWS::NoValue]\n",
    )
    template += (
        "  Lockdown:\n"
        "    Type: AWS::IAM::Policy\n"
        "    Condition: IsProd\n"
        "    Properties:\n"
        "      PolicyName: lockdown\n"
        "      Roles: [!Ref ReaderRole]\n"
        "      PolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Deny, Action: dynamodb:GetItem, Resource: '*'}\n"
    )
    app = (
        (CRUD / "src" / "app.py")
        .read_text()
        .replace(
            "def handler(event, context):\n",
            "def handler(event, context):\n    os.environ['MODE']\n",
        )
    )
    files = {"template.yaml": template, "src/app.py": app}
    # MODE is set when IsProd holds; the Deny exists only when it holds: neither is certain.
    assert lint(files, select=["LL502", "LL503"]).findings == []
    always = template.replace("    Condition: IsProd\n", "")
    (finding,) = lint({**files, "template.yaml": always}, select=["LL503"]).findings
    assert "dynamodb:GetItem" in finding.message


def test_ll503_and_ll504_do_not_judge_a_role_sam_connectors_add_to(lint):
    # Seen on aws-samples/serverless-samples (owasp-api-security-controls-demo): a connector's
    # Write grants through a policy SAM writes (here: to a queue the code sends to).
    template = (CRUD / "template.yaml").read_text().replace(
        "  Reader:\n    Type: AWS::Serverless::Function\n",
        "  Reader:\n    Type: AWS::Serverless::Function\n"
        "    Connectors:\n"
        "      Orders:\n"
        "        Properties:\n"
        "          Destination: {Id: Jobs}\n"
        "          Permissions: [Write]\n",
    ) + "  Jobs:\n    Type: AWS::SQS::Queue\n"
    app = (
        (CRUD / "src" / "app.py")
        .read_text()
        .replace(
            "    return TABLE",
            "    boto3.client('sqs').send_message(QueueUrl='q', MessageBody='x')\n    return TABLE",
        )
    )
    files = {"template.yaml": template, "src/app.py": app}
    assert lint(files, select=["LL503", "LL504"]).findings == []
    standalone = (CRUD / "template.yaml").read_text() + (
        "  Link:\n"
        "    Type: AWS::Serverless::Connector\n"
        "    Properties:\n"
        "      Source: {Id: Reader}\n"
        "      Destination: {Id: Jobs}\n"
        "      Permissions: [Write]\n"
        "  Jobs:\n"
        "    Type: AWS::SQS::Queue\n"
    )
    assert lint({**files, "template.yaml": standalone}, select=["LL503"]).findings == []
    other = standalone.replace("Source: {Id: Reader}", "Source: {Id: Someone}")
    assert len(lint({**files, "template.yaml": other}, select=["LL503"]).findings) == 1
