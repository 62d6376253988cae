"""The Terraform frontend builds the same model as CloudFormation: a module in, objects out."""

from __future__ import annotations

from pathlib import Path

from lambdalint.frontends.terraform import hcl_directives, load_module
from lambdalint.model import UNKNOWN, Function, Queue, Role

FIXTURE = Path(__file__).parent / "fixtures" / "terraform" / "module"


def _module(files: dict[str, str], tfvars: dict[str, str] | None = None):
    template, findings = load_module(files, tfvars or {})
    assert template is not None, findings
    return template, findings


def _fixture():
    files = {f"module/{p.name}": p.read_text() for p in sorted(FIXTURE.glob("*.tf"))}
    tfvars = {"module/terraform.tfvars": (FIXTURE / "terraform.tfvars").read_text()}
    return _module(files, tfvars)


def test_a_module_spans_its_files_variables_locals_and_tfvars():
    template, findings = _fixture()
    assert findings == []
    assert template.path == "module/main.tf"
    (function,) = template.functions
    assert function.logical_id == "aws_lambda_function.worker"
    assert function.name.value == "worker-prod"  # the local, with the tfvars stage
    assert function.runtime.value == "python3.12"  # a variable default from variables.tf
    assert function.memory_size.value == 512  # arithmetic on literals
    assert function.memory_size.span.line == 6


def test_a_variable_without_default_is_unknown_not_missing():
    template, _ = _fixture()
    timeout = template.functions[0].timeout
    assert timeout.value is UNKNOWN
    assert not timeout.is_missing
    assert timeout.span.line == 5


def test_references_resolve_to_model_objects():
    template, _ = _fixture()
    function = template.functions[0]
    jobs = next(q for q in template.queues if q.logical_id == "aws_sqs_queue.jobs")
    assert isinstance(function.role, Role) and function.role.logical_id == "aws_iam_role.worker"
    assert function.environment["QUEUE_URL"].value is jobs
    assert function.environment["STAGE"].value == "prod"
    (event,) = function.events
    assert (event.kind, event.invocation, event.target) == ("sqs", "poll", jobs)
    assert event.batch_size.value == 10


def test_jsonencode_redrive_and_policy_keep_their_lines():
    template, _ = _fixture()
    jobs = next(q for q in template.queues if q.logical_id == "aws_sqs_queue.jobs")
    dlq = next(q for q in template.queues if q.logical_id == "aws_sqs_queue.dlq")
    assert isinstance(jobs, Queue)
    assert jobs.dead_letter_target.value is dlq
    assert jobs.max_receive_count.value == 5
    (statement,) = template.functions[0].role.statements
    assert [a.value for a in statement.actions] == ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    assert statement.actions[0].span.line == 35
    assert statement.targets == [jobs]


def test_code_location_comes_from_the_archive_source():
    template, _ = _fixture()
    function = template.functions[0]
    assert function.code_path.value == "src"
    assert function.handler.value == "app.handler"


def test_a_log_group_named_after_the_function_is_its_log_group():
    template, _ = _fixture()
    function = template.functions[0]
    assert function.log_group is not None
    assert function.log_group.retention.value == 14


def test_policy_document_data_source_and_heredoc():
    text = """
resource "aws_lambda_function" "fn" {
  role = aws_iam_role.fn.arn
}
resource "aws_iam_role" "fn" {}
data "aws_iam_policy_document" "fn" {
  statement {
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
  }
}
resource "aws_iam_role_policy" "doc" {
  role   = aws_iam_role.fn.name
  policy = data.aws_iam_policy_document.fn.json
}
resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.fn.name
  policy = <<EOF
{"Statement": [
  {"Effect": "Allow", "Action": "sns:Publish", "Resource": "${aws_s3_bucket.b.arn}"}
]}
EOF
}
resource "aws_s3_bucket" "b" {}
"""
    template, _ = _module({"main.tf": text})
    bucket = template.buckets[0]
    document, heredoc = template.roles[0].statements
    assert document.effect.value == "Allow"  # the data source's default effect
    assert (document.actions[0].value, document.actions[0].span.line) == ("s3:*", 8)
    assert document.resources[0].value is UNKNOWN and document.targets == [bucket]
    assert (heredoc.actions[0].value, heredoc.actions[0].span.line) == ("sns:Publish", 20)
    assert heredoc.resources[0].value is bucket


def test_what_terraform_decides_at_apply_time_is_unknown():
    text = """
resource "aws_lambda_function" "fn" {
  for_each    = toset(["a", "b"])
  timeout     = module.config.timeout
  memory_size = each.value
  runtime     = var.undeclared
  role        = data.aws_iam_role.shared.arn
}
"""
    template, _ = _module({"main.tf": text})
    (function,) = template.functions  # one shape judged, whatever the instance count
    for val in (function.timeout, function.memory_size, function.runtime, function.role_ref):
        assert val.value is UNKNOWN
    assert function.role is None


def test_broken_hcl_is_one_ll001_with_its_line_and_other_files_still_build():
    broken = 'resource "aws_lambda_function" "fn" {\n  timeout = \n}\n'
    good = 'resource "aws_lambda_function" "ok" {\n  timeout = 30\n}\n'
    template, findings = load_module({"a.tf": broken, "b.tf": good}, {})
    assert [(f.rule, f.path, f.span.line) for f in findings] == [("LL001", "a.tf", 2)]
    assert [f.logical_id for f in template.functions] == ["aws_lambda_function.ok"]


def test_the_lambda_module_becomes_a_function_with_role_and_log_group():
    text = """
module "fn" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "fn"
  handler       = "index.handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/src"
  timeout       = 30

  attach_policy_statements = true
  policy_statements = {
    all = {
      effect    = "Allow"
      actions   = ["dynamodb:*"]
      resources = ["*"]
    }
  }
  cloudwatch_logs_retention_in_days = 7
}
"""
    template, _ = _module({"main.tf": text})
    (function,) = template.functions
    assert isinstance(function, Function)
    assert function.timeout.value == 30
    assert function.code_path.value == "src"
    assert function.role.implicit
    assert function.role.statements[0].actions[0].value == "dynamodb:*"
    assert function.log_group.retention.value == 7


def test_messages_name_terraform_attributes():
    template, _ = _module({"main.tf": 'resource "aws_lambda_function" "fn" {}\n'})
    function = template.functions[0]
    assert function.prop("Timeout") == "timeout"
    assert function.prop("MemorySize") == "memory_size"


def test_hash_and_slash_comments_are_directives():
    text = 'a = 1 # lambdalint: ignore[LL201]\n// lambdalint: ignore[LL203]\nb = "//x"\n'
    directives = hcl_directives(text, "main.tf")
    assert [(d.line, d.codes, d.own_line) for d in directives] == [
        (1, ("LL201",), False),
        (2, ("LL203",), True),
    ]


def test_a_heredoc_marker_followed_by_blanks_closes_it_as_terraform_does():
    text = 'locals {\n  doc = <<EOF\n{"a": 1}\nEOF  \n}\n'
    _, findings = _module({"main.tf": text})
    assert findings == []


def test_acceptance_variable_timeout_and_policy_document_wildcard(lint):
    text = """\
variable "timeout" {}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  timeout       = var.timeout
  role          = aws_iam_role.fn.arn
}

resource "aws_iam_role" "fn" {
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "fn" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "fn" {
  role   = aws_iam_role.fn.id
  policy = data.aws_iam_policy_document.fn.json
}
"""
    result = lint({"main.tf": text}, select=["LL201", "LL301"])
    assert [(f.rule, f.span.line) for f in result.findings] == [("LL301", 15)]


def test_tf_json_files_build_the_same_model():
    text = """{
  "variable": {"timeout": {"default": 30}},
  "resource": {
    "aws_lambda_function": {
      "fn": {
        "function_name": "fn",
        "timeout": "${var.timeout}",
        "role": "${aws_iam_role.fn.arn}",
        "tracing_config": {"mode": "Active"},
        "environment": {"variables": {"QUEUE": "${aws_sqs_queue.q.url}"}}
      }
    },
    "aws_iam_role": {"fn": {"assume_role_policy": "{}"}},
    "aws_sqs_queue": {"q": {}},
    "aws_iam_role_policy": {
      "fn": {
        "role": "${aws_iam_role.fn.id}",
        "policy": "${jsonencode({Statement = [{Effect = \\"Allow\\", Action = \\"s3:*\\", Resource = \\"*\\"}]})}"
      }
    }
  }
}
"""
    template, findings = _module({"main.tf.json": text})
    assert findings == []
    (function,) = template.functions
    assert function.span.line == 5  # the resource's name
    assert (function.timeout.value, function.timeout.span.line) == (30, 7)
    assert function.tracing.value == "Active"
    assert function.environment["QUEUE"].value is template.queues[0]
    (statement,) = function.role.statements
    assert statement.actions[0].value == "s3:*"


def test_tf_json_is_a_terraform_file_for_discovery():
    from pathlib import Path

    from lambdalint.engine.discover import kind_of

    assert kind_of(Path("main.tf.json")) == "terraform"
    assert kind_of(Path("template.json")) == "template"


def test_every_file_of_a_module_reports_its_own_syntax_error_once(lint):
    files = {
        "a.tf": 'resource "aws_lambda_function" "a" {\n  timeout = 10\n}\n',
        "b.tf": 'resource "aws_lambda_function" "b" {\n  timeout =\n}\n',
    }
    result = lint(files, select=["LL001", "LL201"])
    assert [(f.rule, f.path, f.span.line) for f in result.findings] == [("LL001", "b.tf", 2)]


def test_the_handler_and_archive_source_make_a_python_handler(lint):
    files = {
        "infra/main.tf": """\
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  runtime       = "python3.13"
  handler       = "entry.run"
  filename      = data.archive_file.fn.output_path
  timeout       = 10
}

data "archive_file" "fn" {
  type        = "zip"
  source_dir  = "${path.module}/../src"
  output_path = "${path.module}/fn.zip"
}
""",
        # Not the (event, context) convention: only the Terraform handler makes it one.
        "src/entry.py": "import boto3\n\n\ndef run(payload, runtime):\n    return boto3.client('s3').list_buckets()\n",
    }
    result = lint(files, select=["LL101"])
    assert [(f.rule, f.path, f.span.line) for f in result.findings] == [
        ("LL101", "src/entry.py", 5)
    ]


def test_a_comment_on_the_resource_line_suppresses_its_findings(lint):
    text = """\
resource "aws_lambda_function" "a" { # lambdalint: ignore[LL201]
  function_name = "a"
}

// lambdalint: ignore[missing-timeout]
resource "aws_lambda_function" "b" {
  function_name = "b"
}

resource "aws_lambda_function" "c" {
  function_name = "c"
}
"""
    result = lint({"main.tf": text}, select=["LL201"])
    assert [f.span.line for f in result.findings] == [10]


def test_locals_doubling_at_every_step_or_in_a_cycle_stay_cheap_and_unknown():
    chain = "\n".join(f'  l{i} = "${{local.l{i + 1}}}${{local.l{i + 1}}}"' for i in range(50))
    text = f'locals {{\n{chain}\n  l50 = "x"\n  a = local.b\n  b = local.a\n}}\n'
    text += 'resource "aws_lambda_function" "fn" {\n  function_name = local.l0\n  handler = local.a\n}\n'
    template, _ = _module({"main.tf": text})
    function = template.functions[0]
    assert function.name.value is UNKNOWN  # 2**50 characters: not built
    assert function.handler.value is UNKNOWN


def test_messages_name_terraform_attributes_end_to_end(lint):
    text = 'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n}\n'
    result = lint({"main.tf": text}, select=["LL201", "LL203"])
    messages = {f.rule: f.message for f in result.findings}
    assert "set timeout to" in messages["LL201"]
    assert "set memory_size from" in messages["LL203"]


def test_scheduler_alb_attachment_and_policy_attachment_to_roles():
    text = """\
resource "aws_lambda_function" "fn" {
  role = aws_iam_role.fn.arn
}
resource "aws_iam_role" "fn" {}
resource "aws_iam_policy_attachment" "admin" {
  name       = "admin"
  roles      = [aws_iam_role.fn.name]
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_scheduler_schedule" "nightly" {
  schedule_expression = "cron(0 3 * * ? *)"
  target {
    arn      = aws_lambda_function.fn.arn
    role_arn = "arn:aws:iam::123456789012:role/scheduler"
  }
}
resource "aws_lb_target_group_attachment" "fn" {
  target_group_arn = aws_lb_target_group.fn.arn
  target_id        = aws_lambda_function.fn.arn
}
"""
    template, _ = _module({"main.tf": text})
    function = template.functions[0]
    assert [(e.kind, e.invocation) for e in function.events] == [
        ("schedule", "async"),
        ("alb", "sync"),
    ]
    assert [m.value for m in function.role.managed_policies] == [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]


def test_layers_of_a_function_and_of_the_lambda_module():
    text = """
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  layers        = [aws_lambda_layer_version.shared.arn]
}

resource "aws_lambda_function" "plain" {
  function_name = "plain"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "plain.zip"
}

module "mod" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "mod"
  handler       = "app.handler"
  runtime       = "python3.12"
  source_path   = "src"
  layers        = ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:1"]
}
"""
    template, _ = _module({"main.tf": text})
    by_name = {f.logical_id: f for f in template.functions}
    assert not by_name["aws_lambda_function.fn"].layers.is_missing
    assert by_name["aws_lambda_function.plain"].layers.is_missing
    assert by_name["module.mod"].layers.value == [
        "arn:aws:lambda:eu-west-1:123456789012:layer:shared:1"
    ]


def test_the_archive_providers_archive_file_resource_locates_the_code():
    # hashicorp/archive also has `resource "archive_file"` (seen in
    # diodonfrost/terraform-aws-lambda-scheduler-stop-start): its source is the code too.
    text = """
resource "archive_file" "this" {
  type        = "zip"
  source_dir  = "${path.module}/package/"
  output_path = "${path.module}/fn.zip"
}

resource "aws_lambda_function" "fn" {
  filename = archive_file.this.output_path
  handler  = "scheduler.main.lambda_handler"
}
"""
    template, _ = _module({"main.tf": text})
    (function,) = template.functions
    assert function.code_path.value == "package"


def test_a_comparison_with_null_picks_the_branch_of_a_null_default():
    # `var.custom_role == null ? aws_iam_role.this[0].arn : var.custom_role`: the module's
    # switch between its own role and one passed in (seen in
    # diodonfrost/terraform-aws-lambda-scheduler-stop-start).
    text = """
variable "custom" {
  type    = string
  default = null
}

variable "given" {
  default = "arn:aws:iam::123456789012:role/given"
}

variable "unset" {
  type = string
}

resource "aws_iam_role" "this" {
  count = var.custom == null ? 1 : 0
  name  = "fn"
}

resource "aws_lambda_function" "own" {
  role = var.custom == null ? aws_iam_role.this[0].arn : var.custom
}

resource "aws_lambda_function" "negated" {
  role = var.custom != null ? var.custom : aws_iam_role.this[0].arn
}

resource "aws_lambda_function" "given" {
  role = var.given == null ? aws_iam_role.this[0].arn : var.given
}

resource "aws_lambda_function" "unset" {
  role = var.unset == null ? aws_iam_role.this[0].arn : var.unset
}
"""
    template, _ = _module({"main.tf": text})
    roles = {f.logical_id.rpartition(".")[2]: f for f in template.functions}
    assert roles["own"].role is template.roles[0]
    assert roles["negated"].role is template.roles[0]
    assert roles["given"].role is None
    assert roles["given"].role_ref.value == "arn:aws:iam::123456789012:role/given"
    # A variable without a default must be given: not null, not known.
    assert roles["unset"].role is None and roles["unset"].role_ref.value is UNKNOWN


def test_the_lambda_module_makes_no_function_for_a_layer_or_when_disabled():
    # The module's function has `count = create && create_function && !create_layer`: a
    # layer-only instance gave LL201/LL203/LL206/LL207 on serverless-patterns'
    # terraform-lambda-layer.
    text = """
module "layer" {
  source       = "terraform-aws-modules/lambda/aws"
  create_layer = true
  layer_name   = "deps"
  runtime      = "python3.13"
  source_path  = "deps"
}

module "off" {
  source        = "terraform-aws-modules/lambda/aws"
  create        = false
  function_name = "off"
  handler       = "app.handler"
  source_path   = "src"
}

module "fn" {
  source        = "terraform-aws-modules/lambda/aws"
  create_layer  = false
  function_name = "fn"
  handler       = "app.handler"
  source_path   = "src"
}
"""
    template, _ = _module({"main.tf": text})
    assert [f.logical_id for f in template.functions] == ["module.fn"]
