"""Plain CloudFormation resources -> the model (fixture cfn_app.yaml), and the engine hook:
which files count as templates, LL001, Metadata suppression, directives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdalint.frontends.cloudformation import load_template
from lambdalint.model import UNKNOWN, Template

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


@pytest.fixture(scope="module")
def template() -> Template:
    loaded, findings = load_template((FIXTURES / "cfn_app.yaml").read_text(), "cfn_app.yaml")
    assert findings == [] and loaded is not None
    return loaded


def by_id(items, logical_id):
    return next(item for item in items if item.logical_id == logical_id)


def test_function_properties(template):
    (worker,) = template.functions
    assert template.source == "cloudformation" and worker.source == "cloudformation"
    assert worker.name.value == "worker" and worker.runtime.value == "python3.12"
    assert (worker.timeout.value, worker.memory_size.value) == (20, 512)
    assert worker.reserved_concurrency.value == 5 and worker.ephemeral_storage.value == 1024
    assert worker.tracing.value == "PassThrough" and worker.recursive_loop.value == "Terminate"
    assert worker.inline_code.value.startswith("def handler") and worker.code_path.is_missing
    assert worker.dead_letter.value is by_id(template.queues, "JobsDlq")
    assert worker.environment["JOBS"].value is by_id(template.queues, "Jobs")
    assert worker.suppressed == ("LL206",) and worker.anchor == "Resources/Worker"
    assert worker.span.line == 91 and worker.resource_type == "AWS::Lambda::Function"


def test_queue(template):
    jobs = by_id(template.queues, "Jobs")
    assert jobs.name.value == "jobs" and jobs.visibility_timeout.value == 30
    assert jobs.fifo.value is False and jobs.max_receive_count.value == 5
    assert jobs.dead_letter_target.value is by_id(template.queues, "JobsDlq")


def test_role_with_inline_attached_and_managed_policies(template):
    role = template.functions[0].role
    assert role is by_id(template.roles, "WorkerRole") and not role.implicit and role.complete
    origins = [statement.policy for statement in role.statements]
    assert origins == [
        "inline policy queue",
        "inline policy queue",
        "managed policy WorkerManaged",
        "policy WorkerPolicy",
    ]
    first, second, managed, attached = role.statements
    assert [a.value for a in first.actions] == ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    assert first.targets == [by_id(template.queues, "Jobs")]
    assert [a.value for a in second.not_actions] == ["iam:*"] and second.has_condition
    assert second.resources[0].value == "*" and second.span.line == 68
    assert managed.targets == [by_id(template.topics, "Alerts")]
    assert attached.resources[0].value == "arn:aws:s3:::uploads-bucket/*"
    assert attached.targets == [by_id(template.buckets, "Uploads")]  # by its literal ARN
    assert role.managed_policies[0].value.endswith("AWSLambdaBasicExecutionRole")


def test_event_source_mappings(template):
    events = {event.logical_id: event for event in template.functions[0].events}
    jobs = events["JobsMapping"]  # FunctionName: !Ref Alias -> the aliased function
    assert (jobs.kind, jobs.invocation, jobs.target) == (
        "sqs",
        "poll",
        by_id(template.queues, "Jobs"),
    )
    assert jobs.batch_size.value == 10
    stream = events["StreamMapping"]  # FunctionName: a plain name
    assert stream.kind == "kinesis" and stream.target.resource_type == "AWS::Kinesis::Stream"
    assert stream.maximum_retry_attempts.value == 2 and stream.maximum_record_age.value == 3600
    assert stream.on_failure.value is by_id(template.queues, "JobsDlq")
    arn = events["ArnMapping"]  # kind from the ARN's service, target unknown
    assert arn.kind == "dynamodb" and arn.target is None and arn.target_ref.value is UNKNOWN
    assert template.unattached_events == []


def test_mapping_of_an_unknown_function_is_kept_unattached():
    text = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Target: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Target, EventSourceArn: !GetAtt Queue.Arn}
"""
    loaded, _ = load_template(text, "t.yaml")
    (mapping,) = loaded.unattached_events
    assert mapping.kind == "sqs" and mapping.function is None and mapping.target is loaded.queues[0]


def test_async_and_sync_callers(template):
    events = {event.logical_id: event for event in template.functions[0].events}
    uploads = events["Uploads"]
    assert (uploads.kind, uploads.invocation) == ("s3", "async")
    assert uploads.target is by_id(template.buckets, "Uploads")
    assert uploads.filter_suffix.value == ".json" and uploads.filter_prefix.is_missing
    assert events["Alerts"].kind == "sns" and events["AlertsSubscription"].kind == "sns"
    assert events["Nightly"].kind == "schedule"
    assert events["Nightly"].on_failure.value is by_id(template.queues, "JobsDlq")
    assert events["Schedule"].kind == "schedule"
    method = events["Method"]
    assert (method.kind, method.invocation, method.integration_timeout.value) == (
        "api",
        "sync",
        29000,
    )


def test_url_permission_invoke_config_log_group(template):
    worker = template.functions[0]
    assert worker.url is by_id(template.urls, "Url") and worker.url.auth_type.value == "AWS_IAM"
    permission = by_id(template.permissions, "S3Permission")
    assert permission.function is worker and permission.principal.value == "s3.amazonaws.com"
    assert permission.source_account.value is UNKNOWN and permission.source_arn.is_missing
    assert worker.async_config.maximum_retry_attempts.value == 0
    assert worker.async_config.on_failure.value is by_id(template.queues, "JobsDlq")
    # `!Sub /aws/lambda/${Worker}` names the function's default log group.
    assert worker.log_group is by_id(template.log_groups, "WorkerLogs")
    assert worker.log_group.retention.value == 14 and worker.log_group.name.value is UNKNOWN


def test_logging_config_and_literal_log_group_names():
    text = """\
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /custom/logs}
  Named:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /aws/lambda/two}
  One:
    Type: AWS::Lambda::Function
    Properties:
      LoggingConfig: {LogGroup: !Ref Logs}
  Two:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: two}
  Three:
    Type: AWS::Lambda::Function
    Properties:
      LoggingConfig: {LogGroup: /custom/logs}
"""
    loaded, _ = load_template(text, "t.yaml")
    one, two, three = loaded.functions
    assert one.log_group.logical_id == "Logs" and one.log_group_ref.value is one.log_group
    assert two.log_group.logical_id == "Named"
    assert three.log_group.logical_id == "Logs"


def test_dynamodb_stream_and_dotnet9_runtime():
    text = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: t, StreamSpecification: {StreamViewType: KEYS_ONLY}}
  Plain:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: dotnet9, Handler: x, Code: {S3Bucket: b, S3Key: k}}
"""
    loaded, findings = load_template(text, "t.yaml")
    assert findings == []
    assert [t.stream_enabled.value for t in loaded.tables] == [True, MISSING_VALUE]
    assert loaded.functions[0].runtime.value == "dotnet9"
    assert loaded.functions[0].code_path.value is UNKNOWN


MISSING_VALUE = __import__("lambdalint.model", fromlist=["MISSING"]).MISSING


# -- through the engine --------------------------------------------------------------------


def test_engine_metadata_suppression_and_directives(lint):
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Quiet:
    Type: AWS::Lambda::Function
    Metadata:
      lambdalint:
        ignore: [LL201]
    Properties: {Runtime: python3.12, Handler: app.handler, Role: x, Code: {ZipFile: x}}
  Loud:  # lambdalint: ignore[LL203]
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: x, Code: {ZipFile: x}}
"""
    result = lint({"template.yaml": template}, select=["LL201"])
    assert [(f.rule, f.span.line) for f in result.findings] == [("LL201", 9)]


def test_engine_directives_are_collected(tmp_path):
    from lambdalint.engine.discover import SourceFile
    from lambdalint.engine.work import FileResult, analyse_template

    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n  Fn:  # lambdalint: ignore[LL201]\n    Type: AWS::Lambda::Function\n"
    )
    source = SourceFile(path, "template.yaml", "template", tmp_path, False)
    result = analyse_template(source, 1 << 20, FileResult(source))
    assert isinstance(result.template, Template)
    assert [(d.line, d.codes) for d in result.directives] == [(2, ("LL201",))]


def test_engine_ignores_non_templates_and_reports_broken_ones(lint):
    files = {
        ".github/workflows/ci.yml": "name: ci\non: [push]\njobs: {a: {runs-on: x}}\n",
        "package.json": '{"name": "x", "scripts": {"deploy": "cdk deploy"},}',
        "tsconfig.json": "{ // comments\n}",
        "openapi.yaml": "openapi: 3.0.0\nx: ${AWS::Region}\n  bad: [\n",
        "broken.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n",
        "broken.json": '{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": }',
    }
    result = lint(files, select=["LL001"])
    assert sorted((f.path, f.span.line) for f in result.findings) == [
        ("broken.json", 2),
        ("broken.yaml", 4),
    ]


def test_engine_non_utf8_template_is_ll001_but_other_binary_yaml_is_silent(lint, tmp_path):
    (tmp_path / "template.yaml").write_bytes(
        b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: caf\xe9\n"
    )
    (tmp_path / "data.yaml").write_bytes(b"name: caf\xe9\n")
    result = lint({}, select=["LL001"])
    assert [(f.path, f.rule) for f in result.findings] == [("template.yaml", "LL001")]


def test_engine_cdk_and_serverless_outputs_are_templates(lint):
    cdk = {
        "Resources": {
            "Fn9270CBC0": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": "python3.12", "Handler": "index.handler"},
            }
        }
    }
    files = {
        "cdk.out/App.template.json": json.dumps(cdk, indent=1),
        ".serverless/cloudformation-template-update-stack.json": json.dumps(
            {"AWSTemplateFormatVersion": "2010-09-09", **cdk}
        ),
    }
    from lambdalint.config import Settings
    from lambdalint.engine.discover import discover
    from lambdalint.engine.work import FileResult, analyse_template

    lint(files, select=["LL001"])  # writes the files
    sources, _ = discover([Path(".")], Settings(root=Path(".").resolve()))
    models = {s.display: analyse_template(s, 1 << 20, FileResult(s)).template for s in sources}
    assert all(isinstance(model, Template) for model in models.values()), models
    assert len(models) == 2
    line = models["cdk.out/App.template.json"].functions[0].span.line
    assert line == 3


def test_cdk_asset_path_is_the_code_path():
    template = {
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"S3Bucket": {"Fn::Sub": "cdk-${AWS::AccountId}"}}},
                "Metadata": {"aws:asset:path": "asset.abc123", "aws:asset:property": "Code"},
            }
        }
    }
    loaded, _ = load_template(json.dumps(template), "cdk.out/App.template.json", as_json=True)
    assert loaded.functions[0].code_path.value == "asset.abc123"
    assert loaded.functions[0].template_dir == "cdk.out"


def test_engine_too_large_template_is_ll001_but_too_large_data_is_silent(lint):
    files = {
        "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\n" + "# padding\n" * 200,
        "data.json": '{"values": [' + ",".join(["1"] * 1000) + "]}",
    }
    result = lint(files, select=["LL001"], max_file_size=1000)
    assert [(f.path, f.rule) for f in result.findings] == [("template.yaml", "LL001")]
    assert "too large" in result.findings[0].message
