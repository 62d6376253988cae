"""SAM: Globals, implicit roles, Events, Policies and policy templates (fixture sam_app.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.frontends.cloudformation import load_template
from lambdalint.frontends.cloudformation.sam import BASIC_EXECUTION, MANAGED, policy_templates
from lambdalint.model import UNKNOWN, Template

FIXTURE = Path(__file__).parent / "fixtures" / "templates" / "sam_app.yaml"


@pytest.fixture(scope="module")
def template() -> Template:
    loaded, findings = load_template(FIXTURE.read_text(encoding="utf-8"), "sam_app.yaml")
    assert findings == []
    assert loaded is not None
    return loaded


def by_id(items, logical_id):
    return next(item for item in items if item.logical_id == logical_id)


def test_sam_template_with_transform_list(template):
    assert template.source == "sam"
    assert [f.logical_id for f in template.functions] == ["Worker", "Reader", "External"]


def test_globals_merge(template):
    worker = by_id(template.functions, "Worker")
    reader = by_id(template.functions, "Reader")
    assert worker.timeout.value == 60 and worker.timeout.span.line == 46  # the function wins
    assert reader.timeout.value == 10 and reader.timeout.span.line == 12  # from Globals
    assert worker.memory_size.value == 256
    env = {key: val.value for key, val in worker.environment.items()}
    assert env["STAGE"] == "dev" and env["SHARED"] == "no"
    assert env["QUEUE_URL"] is by_id(template.queues, "Orders")
    assert set(reader.environment) == {"STAGE", "SHARED"}


def test_globals_lists_concatenate_as_sam_does():
    from lambdalint.frontends.cloudformation.nodes import plain
    from lambdalint.frontends.cloudformation.sam import merge
    from lambdalint.frontends.cloudformation.yaml_loader import load_yaml

    root, _ = load_yaml(
        "g: {Layers: [a], Env: {V: {A: 1, B: 2}}, T: 3}\nl: {Layers: [b], Env: {V: {B: 5}}, T: 4}\n",
        "t.yaml",
    )
    merged = merge(root.get("g"), root.get("l"))
    assert plain(merged) == {"Layers": ["a", "b"], "Env": {"V": {"A": 1, "B": 5}}, "T": 4}


def test_implicit_role_per_function(template):
    worker = by_id(template.functions, "Worker")
    external = by_id(template.functions, "External")
    assert worker.role.logical_id == "WorkerRole" and worker.role.implicit
    assert external.role.logical_id == "ExternalRole" and external.role is not worker.role
    assert worker.role.anchor.startswith("Resources/Worker")
    assert worker.role.suppressed == worker.suppressed


def test_explicit_role_reference_to_an_implicit_role_is_shared(template):
    assert by_id(template.functions, "Reader").role is by_id(template.functions, "Worker").role


def test_managed_policies(template):
    managed = [val.value for val in by_id(template.functions, "Worker").role.managed_policies]
    assert managed[0] == BASIC_EXECUTION
    assert MANAGED + "AWSXrayWriteOnlyAccess" in managed  # Tracing: Active
    assert MANAGED + "service-role/AWSLambdaSQSQueueExecutionRole" in managed  # SQS event
    assert MANAGED + "AWSLambdaExecute" in managed  # a name becomes an ARN
    assert "arn:aws:iam::123456789012:policy/custom" in managed


def test_policy_templates_and_inline_statements(template):
    role = by_id(template.functions, "Worker").role
    by_origin = {statement.policy: statement for statement in role.statements}
    poller = by_origin["SAM policy template SQSPollerPolicy"]
    assert "sqs:ReceiveMessage" in [a.value for a in poller.actions]
    assert poller.resources[0].value is UNKNOWN
    assert poller.targets == [by_id(template.queues, "Orders")]
    crud = by_origin["SAM policy template S3CrudPolicy"]
    assert "s3:PutObject" in [a.value for a in crud.actions]
    assert set(crud.targets) == {by_id(template.buckets, "Uploads")}
    inline = by_origin["SAM inline policy #6"]
    assert inline.effect.value == "Allow" and inline.resources[0].value is by_id(
        template.topics, "Alerts"
    )
    assert "SAM DeadLetterQueue" in by_origin and "SAM EventInvokeConfig OnFailure" in by_origin
    assert role.complete is False  # NoSuchPolicyTemplate cannot be read
    assert template.policies_complete is False


def test_no_value_policies_add_nothing(template):
    role = by_id(template.functions, "External").role
    assert [val.value for val in role.managed_policies] == [BASIC_EXECUTION]
    assert role.complete


def test_events(template):
    worker = by_id(template.functions, "Worker")
    events = {event.logical_id: event for event in worker.events}
    queue = events["WorkerFromQueue"]
    assert (queue.kind, queue.invocation) == ("sqs", "poll")
    assert queue.target is by_id(template.queues, "Orders") and queue.function is worker
    assert queue.batch_size.value == 20 and queue.batching_window.value == 5
    assert queue.function_response_types.value == ["ReportBatchItemFailures"]
    assert queue.anchor == "Resources/Worker/Properties/Events/FromQueue"
    bucket = events["WorkerFromBucket"]
    assert (bucket.kind, bucket.invocation) == ("s3", "async")
    assert bucket.filter_prefix.value == "incoming/" and bucket.filter_suffix.value == ".csv"
    assert events["WorkerFromTopic"].target is by_id(template.topics, "Alerts")
    stream = events["WorkerFromStream"]
    assert stream.kind == "dynamodb" and stream.target is by_id(template.tables, "Stream")
    assert stream.on_failure.value is by_id(template.queues, "Failures")
    assert stream.bisect_on_error.value is True
    assert events["WorkerNightly"].kind == "schedule"
    assert events["WorkerRule"].on_failure.value is UNKNOWN  # SAM creates the DLQ
    assert (events["WorkerHttp"].invocation, events["WorkerHttp"].integration_timeout.value) == (
        "sync",
        5000,
    )
    assert events["WorkerRest"].kind == "api"


def test_dead_letter_async_config_and_url(template):
    worker = by_id(template.functions, "Worker")
    failures = by_id(template.queues, "Failures")
    assert worker.dead_letter.value is failures
    assert worker.async_config.on_failure.value is failures
    assert worker.async_config.maximum_retry_attempts.value == 1
    assert worker.url is template.urls[0] and worker.url.function is worker
    assert worker.url.auth_type.value == "NONE"
    assert worker.url.cors_origins.value == ["*"] and worker.url.cors_credentials.value is True


def test_code_locations(template):
    worker, reader, external = template.functions
    assert worker.code_path.value == "worker/" and worker.template_dir == ""
    assert reader.inline_code.value.startswith("def handler")
    assert external.code_path.value is UNKNOWN  # an S3 URI is no local path
    assert external.runtime.value == "dotnet9"


def test_simple_table(template):
    items = by_id(template.tables, "Items")
    assert items.resource_type == "AWS::Serverless::SimpleTable"
    assert items.stream_enabled.value is False


def test_policy_template_data_file_is_dated_and_sourced():
    import json
    from importlib import resources

    text = resources.files("lambdalint.data").joinpath("sam_policy_templates.json").read_text()
    data = json.loads(text)
    assert "aws-sam-translator" in data["source"] and data["generated"]
    assert policy_templates()["SQSPollerPolicy"]["parameters"] == ["QueueName"]


def test_policy_template_with_missing_parameter_is_unreadable():
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Policies:\n        - SQSPollerPolicy: {}\n"
    )
    loaded, _ = load_template(text, "t.yaml")
    assert loaded.functions[0].role.complete is False
    assert loaded.functions[0].role.statements == []


def test_stream_failure_destination_and_unmodelled_event_policies():
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Dlq:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/s
            DestinationConfig:
              OnFailure: {Type: SQS, Destination: !GetAtt Dlq.Arn}
        Broker:
          Type: MQ
          Properties: {Broker: arn:aws:mq:us-east-1:123456789012:broker:b, Queues: [q]}
"""
    loaded, _ = load_template(text, "t.yaml")
    (fn,) = loaded.functions
    (statement,) = fn.role.statements
    assert [a.value for a in statement.actions] == ["sqs:SendMessage"]
    assert statement.targets == [loaded.queues[0]]
    assert fn.role.complete is False  # SAM's MQ policy is not modelled
    assert [(e.kind, e.target) for e in fn.events] == [("kinesis", None), ("mq", None)]
    assert fn.events[0].target_ref.value.startswith("arn:aws:kinesis")


def test_http_api_quick_create_is_a_sync_caller():
    text = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: x, ProtocolType: HTTP, Target: !GetAtt Fn.Arn}
"""
    loaded, _ = load_template(text, "t.yaml")
    assert [(e.kind, e.invocation) for e in loaded.functions[0].events] == [("httpapi", "sync")]


def test_sam_adds_a_scoped_permission_for_each_pushing_event():
    text = """\
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Alerts:
    Type: AWS::SNS::Topic
  Jobs:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}
        Alert: {Type: SNS, Properties: {Topic: !Ref Alerts}}
        Poll: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
"""
    template, findings = load_template(text, "template.yaml")
    assert not findings
    fn = by_id(template.functions, "Fn")
    assert fn.condition == "IsProd"
    made = {p.logical_id: p for p in template.permissions}
    # A polled queue needs no resource-based permission: the role reads it.
    assert sorted(made) == ["FnAlertPermission", "FnGetPermission", "FnUploadPermission"]
    assert all(p.implicit and p.function is fn and p.condition == "IsProd" for p in made.values())
    assert made["FnGetPermission"].principal.value == "apigateway.amazonaws.com"
    assert made["FnAlertPermission"].source_arn.value is UNKNOWN  # scoped, to the topic
    upload = made["FnUploadPermission"]
    assert upload.source_arn.is_missing and upload.source_account.value is UNKNOWN
