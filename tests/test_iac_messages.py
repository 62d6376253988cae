"""Messages name properties as the user wrote them: Terraform's and serverless.yml's own names,
not CloudFormation's, and never a name the frontend made up."""

from __future__ import annotations

CODE = "def handler(event, context):\n    return 1\n"
TERRAFORM = """resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.13"
  handler       = "app.work"
  filename      = data.archive_file.worker.output_path
  role          = "arn:aws:iam::123456789012:role/worker"
  timeout       = 10
}

data "archive_file" "worker" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/worker.zip"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
}

module "api" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "api"
  handler       = "app.handler"
  runtime       = "python3.13"
  source_path   = "src"
}
"""
SERVERLESS = """service: jobs
provider:
  name: aws
  runtime: python3.13
functions:
  worker:
    handler: src/app.work
    timeout: 10
"""
TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.work
      Runtime: python3.13
      CodeUri: src/
      Timeout: 10
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def messages(result) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in result.findings:
        found.setdefault(finding.rule, []).append(finding.message)
    return found


def test_terraform_messages_use_terraform_names(lint):
    said = messages(
        lint({"main.tf": TERRAFORM, "src/app.py": CODE}, select=["LL404", "LL505", "LL207"])
    )
    assert said["LL505"] == [
        "handler 'app.work' of aws_lambda_function.worker names work(), which src/app.py "
        "does not define: Runtime.HandlerNotFound on the first call"
    ]
    assert said["LL404"][0].startswith(
        "Source queue aws_sqs_queue.jobs has no redrive policy (redrive_policy):"
    )
    # The lambda module makes the log group: it has no address of its own to name.
    assert (
        "the log group of function module.api sets no cloudwatch_logs_retention_in_days: "
        "its logs are kept, and billed, forever"
    ) in said["LL207"]


def test_serverless_messages_use_serverless_names(lint):
    said = messages(
        lint({"serverless.yml": SERVERLESS, "src/app.py": CODE}, select=["LL505", "LL207"])
    )
    assert said["LL505"] == [
        "handler 'src/app.work' of worker names work(), which src/app.py does not define: "
        "Runtime.HandlerNotFound on the first call"
    ]
    assert said["LL207"] == [
        "the log group of function worker sets no provider.logRetentionInDays: its logs are "
        "kept, and billed, forever"
    ]


def test_cloudformation_messages_keep_cloudformation_names(lint):
    said = messages(
        lint({"template.yaml": TEMPLATE, "src/app.py": CODE}, select=["LL404", "LL505"])
    )
    assert said["LL505"][0].startswith("Handler 'app.work' of Worker names work()")
    assert said["LL404"][0].startswith("Source queue Jobs has no redrive policy (RedrivePolicy):")


READER = """resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["dynamodb:GetItem", "dynamodb:PutItem"], Resource = aws_dynamodb_table.orders.arn }]
  })
}

resource "aws_lambda_function" "reader" {
  function_name = "reader"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = data.archive_file.reader.output_path
  role          = aws_iam_role.reader.arn
  timeout       = 10
  environment {
    variables = {
      TABLE = aws_dynamodb_table.orders.name
    }
  }
}

data "archive_file" "reader" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/reader.zip"
}
"""
READ = """import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def handler(event, context):
    return table.get_item(Key={"id": event["id"]})
"""


def test_terraform_unused_permission_proposes_terraform_references(lint):
    said = messages(lint({"main.tf": READER, "src/app.py": READ}, select=["LL504"]))
    assert said["LL504"][0].endswith(
        "the code needs: dynamodb:GetItem on aws_dynamodb_table.orders.arn"
    )
