"""The Serverless Framework frontend: serverless.yml in, the model CloudFormation would give."""

from __future__ import annotations

from lambdalint.frontends.serverless import load_serverless
from lambdalint.model import UNKNOWN, Function, Queue

SERVICE = """\
service: orders
frameworkVersion: "3"

provider:
  name: aws
  runtime: python3.9
  stage: ${opt:stage, 'dev'}
  logRetentionInDays: ${self:custom.retention.${self:provider.stage}, 14}
  environment:
    STAGE: ${self:provider.stage}
    TABLE: ${ssm:/orders/table}
  iam:
    role:
      statements:
        - Effect: Allow
          Action: sqs:SendMessage
          Resource: !GetAtt Jobs.Arn

functions:
  worker:
    handler: src/worker.handler
    memorySize: 512
    reservedConcurrency: 5
    environment:
      MODE: batch
    events:
      - sqs:
          arn: !GetAtt Jobs.Arn
          batchSize: 10
          functionResponseType: ReportBatchItemFailures
  api:
    handler: src/api.handler
    timeout: ${self:custom.apiTimeout}
    url:
      authorizer: aws_iam
    events:
      - httpApi: GET /orders
    destinations:
      onFailure: arn:aws:sqs:eu-west-1:123456789012:failed

custom:
  apiTimeout: 20

resources:
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 60
"""


def _template(text: str = SERVICE):
    template, findings = load_serverless(text, "serverless.yml")
    assert template is not None, findings
    assert findings == []
    return template


def _function(template, key: str) -> Function:
    return next(f for f in template.functions if f.logical_id == key)


def test_functions_take_provider_defaults_and_their_own_settings():
    template = _template()
    assert template.source == "serverless"
    worker = _function(template, "worker")
    assert worker.runtime.value == "python3.9" and worker.runtime.span.line == 6
    assert worker.memory_size.value == 512
    assert worker.reserved_concurrency.value == 5
    assert worker.timeout.is_missing and worker.default_timeout == 6
    assert worker.span.line == 20  # the function's key
    assert worker.anchor == "functions/worker"
    assert worker.handler.value == "src/worker.handler"
    assert worker.code_path.value == "."  # the service directory is the package


def test_variables_self_references_and_literal_defaults_resolve_others_are_unknown():
    template = _template()
    worker = _function(template, "worker")
    assert worker.environment["STAGE"].value == "dev"
    assert worker.environment["TABLE"].value is UNKNOWN
    assert worker.environment["MODE"].value == "batch"
    api = _function(template, "api")
    assert (api.timeout.value, api.timeout.span.line) == (20, 33)
    # A self reference that does not exist falls back to its literal default.
    assert worker.log_group is not None and worker.log_group.retention.value == 14


def test_one_shared_role_unless_a_function_names_its_own():
    template = _template()
    worker, api = _function(template, "worker"), _function(template, "api")
    assert worker.role is api.role is not None
    assert not worker.role.implicit
    (statement,) = worker.role.statements
    assert statement.actions[0].value == "sqs:SendMessage"
    assert [t.logical_id for t in statement.targets] == ["Jobs"]


def test_events_url_and_destinations_become_model_relations():
    template = _template()
    worker, api = _function(template, "worker"), _function(template, "api")
    (sqs,) = worker.events
    assert (sqs.kind, sqs.invocation, sqs.batch_size.value) == ("sqs", "poll", 10)
    assert isinstance(sqs.target, Queue) and sqs.target.visibility_timeout.value == 60
    assert sqs.function_response_types.value == ["ReportBatchItemFailures"]
    assert [e.kind for e in api.events] == ["httpapi"]
    assert api.url is not None and api.url.auth_type.value == "AWS_IAM"
    assert api.async_config is not None
    assert api.async_config.on_failure.value.startswith("arn:aws:sqs")


def test_log_groups_keep_logs_forever_without_log_retention():
    text = "service: s\nprovider:\n  name: aws\nfunctions:\n  fn:\n    handler: h.handler\n"
    function = _template(text).functions[0]
    assert function.log_group is not None
    assert function.log_group.retention.is_missing
    assert function.prop("Timeout") == "timeout"
    assert function.log_group.prop("RetentionInDays") == "provider.logRetentionInDays"


def test_cloudformation_sub_variables_are_left_to_cloudformation():
    text = """\
service: s
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: s3:GetObject
          Resource: !Sub "arn:aws:s3:::${Bucket}/*"
functions:
  fn:
    handler: h.handler
resources:
  Resources:
    Bucket:
      Type: AWS::S3::Bucket
"""
    (statement,) = _template(text).functions[0].role.statements
    assert [t.logical_id for t in statement.targets] == ["Bucket"]


def test_files_that_are_not_aws_services_are_left_alone():
    assert load_serverless("service: s\nprovider:\n  name: google\n", "serverless.yml") == (
        None,
        [],
    )
    assert load_serverless("name: workflow\non: push\n", "serverless.yml") == (None, [])


def test_broken_yaml_is_ll001_with_its_line():
    template, findings = load_serverless("service: s\nprovider: [\n", "serverless.yml")
    assert template is None
    assert [(f.rule, f.span.line) for f in findings] == [("LL001", 3)]


def test_provider_runtime_without_timeout_reports_ll204_and_ll201_on_their_lines(lint):
    text = "service: s\nprovider:\n  name: aws\n  runtime: python3.9\nfunctions:\n  fn:\n    handler: h.handler\n"
    result = lint({"serverless.yml": text}, select=["LL201", "LL204"])
    assert sorted((f.rule, f.span.line) for f in result.findings) == [("LL201", 6), ("LL204", 4)]


def test_self_references_doubling_at_every_step_or_in_a_cycle_stay_cheap_and_unknown():
    chain = "\n".join(
        f"  v{i}: ${{self:custom.v{i + 1}}}${{self:custom.v{i + 1}}}" for i in range(50)
    )
    text = f"service: s\nprovider:\n  name: aws\n  timeout: ${{self:custom.a}}\nfunctions:\n  fn:\n    handler: h.handler\n    name: ${{self:custom.v0}}\ncustom:\n{chain}\n  v50: x\n  a: ${{self:custom.b}}\n  b: ${{self:custom.a}}\n"
    function = _template(text).functions[0]
    assert function.name.value is UNKNOWN
    assert function.timeout.value is UNKNOWN


def test_messages_name_serverless_properties(lint):
    text = "service: s\nprovider:\n  name: aws\nfunctions:\n  fn:\n    handler: h.handler\n    events:\n      - sns: topic\n"
    result = lint({"serverless.yml": text}, select=["LL201", "LL405"])
    messages = {f.rule: f.message for f in result.findings}
    assert "default of 6 s; set timeout to" in messages["LL201"]
    assert "(destinations.onFailure)" in messages["LL405"]


def test_intrinsics_in_resources_see_its_parameters_and_mappings():
    text = """\
service: s
provider:
  name: aws
functions:
  fn:
    handler: h.handler
    events:
      - sqs: !GetAtt Jobs.Arn
resources:
  Parameters:
    Visibility:
      Type: Number
      Default: 20
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: !Ref Visibility
"""
    (event,) = _template(text).functions[0].events
    assert event.target.visibility_timeout.value == 20


def test_a_provider_setting_shared_by_functions_is_reported_once_naming_them(lint):
    text = "service: s\nprovider:\n  name: aws\n  runtime: python3.9\nfunctions:\n  fn:\n    handler: h.a\n  other:\n    handler: h.b\n"
    result = lint({"serverless.yml": text}, select=["LL204"])
    (finding,) = result.findings
    assert finding.span.line == 4
    assert finding.message.endswith("(shared by fn and other)")


def test_layers_of_the_function_or_else_the_provider():
    text = SERVICE.replace(
        "  runtime: python3.9\n",
        "  runtime: python3.9\n  layers:\n    - arn:aws:lambda:eu-west-1:123456789012:layer:shared:1\n",
    )
    text = text.replace(
        "    memorySize: 512\n",
        "    memorySize: 512\n    layers:\n      - !Ref UtilsLambdaLayer\n",
    )
    template = _template(text)
    worker, api = _function(template, "worker"), _function(template, "api")
    assert (
        not worker.layers.is_missing and worker.layers.span.line == 26
    )  # its own, not the provider's
    assert api.layers.value == ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:1"]
    assert _function(_template(), "worker").layers.is_missing
